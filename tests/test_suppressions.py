"""Silencing a finding with a reason next to the data, and the warnings that keep suppressions honest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policy_ledger.cli import app
from policy_ledger.problems import Problem, Severity, Source
from policy_ledger.suppressions import apply_suppressions, parse_suppressions
from policy_ledger.validation import validate_data

from .conftest import TODAY, delete_allocation_b17

runner = CliRunner()


def finding(line: int, code: str = "L012") -> Problem:
    return Problem(Source("b.yaml", line, 5), Severity.ERROR, code, "budget B1: sums differ", "fix it")


def parse(text: str) -> tuple[list, list[Problem]]:  # type: ignore[type-arg]
    return parse_suppressions("b.yaml", text)


def test_a_comment_at_the_end_of_a_line_silences_that_line() -> None:
    suppressions, problems = parse("a: 1\ntotal: 31.5  # ledger: ignore[L012] 原文合计四舍五入\n")
    assert problems == []
    (suppression,) = suppressions
    assert (suppression.line, suppression.codes, suppression.reason) == (2, ("L012",), "原文合计四舍五入")
    assert (suppression.source.line, suppression.source.column) == (2, 14)
    outcome = apply_suppressions([finding(2), finding(1)], suppressions)
    assert outcome.problems == [finding(1)]
    assert outcome.silenced == [(finding(2), suppression)]


def test_a_comment_on_its_own_line_silences_the_next_line_with_data() -> None:
    text = "a: 1\n  # ledger: ignore[L012, L010] 原文如此\n\n  # another comment\n  total: 31.5\n"
    (suppression,), _ = parse(text)
    assert suppression.line == 5 and suppression.codes == ("L012", "L010")
    outcome = apply_suppressions([finding(5), finding(5, "L010"), finding(2)], [suppression])
    assert outcome.problems == [finding(2)]


def test_the_reason_ends_at_the_next_comment() -> None:
    (suppression,), _ = parse("total: 1  # ledger: ignore[L012] 原文如此  # reviewed\n")
    assert suppression.reason == "原文如此"


def test_without_a_reason_nothing_is_silenced_and_it_is_a_warning() -> None:
    suppressions, problems = parse("total: 1  # ledger: ignore[L012]\n")
    assert [(p.code, p.severity, p.source.line) for p in problems] == [("L019", Severity.WARNING, 1)]
    assert "has no reason" in problems[0].message and "ledger: ignore[L012]" in problems[0].hint
    outcome = apply_suppressions([finding(1)], suppressions)
    assert outcome.problems == [finding(1)] and outcome.silenced == []


@pytest.mark.parametrize(
    ("comment", "words"),
    [
        ("# ledger: ignore[L999] 原文如此", "no such code"),
        ("# ledger: ignore[12] 原文如此", "no such code"),
        ("# ledger: ignore[] 原文如此", "no code in the brackets"),
        ("# ledger: ignore[L003] 原文如此", "cannot be silenced"),
        ("# ledger: ignore[L020] 原文如此", "cannot be silenced"),
        ("# ledger: ignore L012 原文如此", "is not understood"),
        ("# ledger:ignore(L012) 原文如此", "is not understood"),
    ],
)
def test_a_suppression_that_cannot_work_is_a_warning(comment: str, words: str) -> None:
    suppressions, problems = parse(f"total: 1  {comment}\n")
    assert [p.code for p in problems] == ["L019"]
    assert words in problems[0].message
    outcome = apply_suppressions([finding(1), finding(1, "L003")], suppressions)
    assert outcome.silenced == []


def test_a_suppression_that_silences_nothing_is_a_warning() -> None:
    suppressions, _ = parse("total: 1  # ledger: ignore[L012, L010] 原文如此\n")
    outcome = apply_suppressions([finding(1, "L010")], suppressions)
    assert [(p.code, p.source.line) for p in outcome.problems] == [("L020", 1)]
    assert "suppression of L012 silences nothing" in outcome.problems[0].message


def test_text_that_only_mentions_the_ledger_is_no_suppression() -> None:
    text = "quote: 见ledger:ignore[L012]\n# `ledger validate` checks this file\nurl: a#ledger: x\n"
    assert parse(text) == ([], [])


def test_suppressed_finding_leaves_the_real_ledger_clean(mini: Path) -> None:
    delete_allocation_b17(mini)
    budgets = mini / "budgets.yaml"
    text = budgets.read_text(encoding="utf-8")
    budgets.write_text(
        text.replace("    total: 31.5\n", "    total: 31.5  # ledger: ignore[L012] 原文合计四舍五入\n"),
        encoding="utf-8",
    )
    report = validate_data(mini, today=TODAY)
    assert report.errors == [] and report.warnings == []
    ((silenced, suppression),) = report.silenced
    assert silenced.code == "L012" and suppression.reason == "原文合计四舍五入"
    assert "1 finding silenced (ledger validate --list-suppressions)" in report.summary()


def test_cli_lists_every_suppression_and_what_it_silences(mini: Path) -> None:
    delete_allocation_b17(mini)
    budgets = mini / "budgets.yaml"
    text = budgets.read_text(encoding="utf-8")
    text = text.replace("    total: 31.5\n", "    total: 31.5  # ledger: ignore[L012] 原文合计四舍五入\n")
    text = text.replace("    unit: 亿元\n", "    unit: 亿元  # ledger: ignore[L011]\n")
    text = text.replace("  - id: B1\n", "  # ledger: ignore[L004] 旧编号\n  - id: B1\n")
    budgets.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["validate", "--list-suppressions", "--data", str(mini)])
    assert result.exit_code == 0
    shown = [line.replace(str(mini), "data") for line in result.stdout.splitlines()]
    assert shown == [
        "data/budgets.yaml:3:3: # ledger: ignore[L004] 旧编号",
        "    silences nothing on line 4 (warning L020)",
        "data/budgets.yaml:7:18: # ledger: ignore[L012] 原文合计四舍五入",
        "    silences L012 on line 7: budget B1 (measure 1): allocations sum to 30.2亿元 but the total is "
        "31.5亿元",
        "data/budgets.yaml:8:15: # ledger: ignore[L011]",
        "    silences nothing: it has no reason (warning L019)",
        "3 suppressions, 1 finding silenced",
    ]
    result = runner.invoke(app, ["validate", "--list-suppressions", "-f", "json", "--data", str(mini)])
    listed = json.loads(result.stdout)
    assert [(s["line"], s["codes"], s["reason"], len(s["silences"])) for s in listed] == [
        (3, ["L004"], "旧编号", 0),
        (7, ["L012"], "原文合计四舍五入", 1),
        (8, ["L011"], "", 0),
    ]
    assert listed[1]["silences"][0]["code"] == "L012"
    validated = runner.invoke(app, ["validate", "-f", "text", "--data", str(mini)])
    assert validated.exit_code == 0  # the error is silenced; the two warnings do not fail the run
    assert [line.split(" ")[2] for line in validated.stdout.splitlines()[:-1]] == ["L020", "L019", "I001"]
