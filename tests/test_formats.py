"""Each output format of findings: what a terminal, a script, a pull request and a dashboard receive."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pymarkdown.api import PyMarkdownApi

from policy_ledger.formats import (
    as_github,
    as_json,
    as_markdown_summary,
    as_sarif,
    as_text,
    pick_format,
)
from policy_ledger.problems import CODES, Problem, Severity, Source
from policy_ledger.validation import validate_data

from .conftest import TODAY, delete_allocation_b17

L012_MESSAGE = "budget B1 (measure 1): allocations sum to 30.2亿元 but the total is 31.5亿元"
L012_HINT = "fix an allocation or the total"


def cells(line: str) -> list[str]:
    """The cells of one row of a Markdown table (an escaped ``\\|`` stays in its cell); [] for other lines."""
    if not line.startswith("|"):
        return []
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", line)[1:-1]]


@pytest.fixture
def broken(mini: Path, monkeypatch: pytest.MonkeyPatch) -> list[Problem]:
    """The findings of the small ledger with allocation B1.7 deleted, run from the ledger's folder."""
    delete_allocation_b17(mini)
    monkeypatch.chdir(mini.parent)
    return validate_data(Path("data"), today=TODAY).problems


def test_text_puts_the_place_first_then_what_to_do(broken: list[Problem]) -> None:
    assert as_text(broken).splitlines() == [
        "data/budgets.yaml:6:5: error L012 " + L012_MESSAGE + "; " + L012_HINT,
        "data/policies.yaml:17:7: info I001 document lezhengfa-2023-6: gross sum of 1 budget is 31.5亿元, "
        "stated total 31.5亿元; implied overlap 0亿元",
    ]


def test_json_lists_every_field_of_a_finding(broken: list[Problem]) -> None:
    findings = json.loads(as_json(broken))
    assert findings[0] == {
        "file": "data/budgets.yaml",
        "line": 6,
        "column": 5,
        "severity": "error",
        "code": "L012",
        "message": L012_MESSAGE,
        "hint": L012_HINT,
    }
    assert [(f["code"], f["severity"], f["hint"]) for f in findings] == [
        ("L012", "error", L012_HINT),
        ("I001", "info", ""),
    ]
    assert json.loads(as_json([])) == []


def test_github_prints_one_annotation_per_finding(broken: list[Problem]) -> None:
    lines = as_github(broken).splitlines()
    assert lines[0] == (
        f"::error file=data/budgets.yaml,line=6,col=5,title=L012::{L012_MESSAGE}; {L012_HINT}"
    )
    assert lines[1].startswith("::notice file=data/policies.yaml,line=17,col=7,title=I001::document ")
    assert len(lines) == 2


def test_github_levels_and_escaping() -> None:
    problems = [
        Problem(Source("a,b:c.yaml", 3, 4), Severity.WARNING, "L014", "50% done\nnext", "set it"),
        Problem(Source("x.yaml"), Severity.INFO, "I001", "overlap"),
    ]
    assert as_github(problems).splitlines() == [
        "::warning file=a%2Cb%3Ac.yaml,line=3,col=4,title=L014::50%25 done%0Anext; set it",
        "::notice file=x.yaml,line=1,col=1,title=I001::overlap",
    ]


def test_sarif_is_a_2_1_0_log_with_a_rule_per_code(broken: list[Problem]) -> None:
    silenced = [(Problem(Source("data/targets.yaml", 9, 5), Severity.WARNING, "L014", "m", "h"), "原文如此")]
    log = json.loads(as_sarif(broken, silenced, version="0.1.0"))
    assert log["version"] == "2.1.0"
    assert log["$schema"].endswith("sarif-2.1.0.json")
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "policy-ledger" and driver["semanticVersion"] == "0.1.0"
    assert [rule["id"] for rule in driver["rules"]] == list(CODES)
    assert run["columnKind"] == "unicodeCodePoints"
    first = run["results"][0]
    assert first["ruleId"] == "L012" and first["level"] == "error"
    assert driver["rules"][first["ruleIndex"]]["id"] == "L012"
    assert first["message"]["text"] == f"{L012_MESSAGE}; {L012_HINT}"
    (location,) = first["locations"]
    assert location["physicalLocation"] == {
        "artifactLocation": {"uri": "data/budgets.yaml", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 6, "startColumn": 5},
    }
    assert "suppressions" not in first
    last = run["results"][-1]
    assert last["ruleId"] == "L014" and last["level"] == "warning"
    assert last["suppressions"] == [{"kind": "inSource", "justification": "原文如此"}]


def test_sarif_levels_and_absolute_paths() -> None:
    info = Problem(Source("/srv/ledger/data/policies.yaml", 2, 1), Severity.INFO, "I001", "overlap")
    (result,) = json.loads(as_sarif([info]))["runs"][0]["results"]
    assert result["level"] == "note"
    assert result["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "file:///srv/ledger/data/policies.yaml"
    }


def test_markdown_summary_tables_every_finding_with_links(broken: list[Problem]) -> None:
    piped = Problem(Source("data/targets.yaml", 4, 1), Severity.WARNING, "L015", "a | b", "c")
    silenced = [(piped, "理由")]
    text = as_markdown_summary(broken, "2 errors, 0 warnings", silenced, "https://github.com/o/r/blob/abc")
    lines = text.splitlines()
    assert lines[0] == "## ledger validate"
    rows = [cells(line) for line in lines]
    assert ["severity", "where", "code", "finding", "what to do"] in rows
    assert [
        "error",
        "[data/budgets.yaml:6](https://github.com/o/r/blob/abc/data/budgets.yaml#L6)",
        "L012",
        L012_MESSAGE,
        L012_HINT,
    ] in rows
    link = "[data/targets.yaml:4](https://github.com/o/r/blob/abc/data/targets.yaml#L4)"
    assert [link, "L015", "a \\| b", "理由"] in rows
    assert lines[-1] == "2 errors, 0 warnings"


def test_markdown_summary_lints_clean(broken: list[Problem]) -> None:
    silenced = [(Problem(Source("data/targets.yaml", 4, 1), Severity.WARNING, "L015", "a | b"), "理由")]
    text = as_markdown_summary(broken, "2 errors", silenced, "https://github.com/o/r/blob/abc")
    # md013: a table of findings cannot wrap; md033: <details> folds the silenced findings away;
    # md041: the summary is one section of the step's page, under GitHub's own heading
    api = PyMarkdownApi()
    for rule in ("md013", "md033", "md041"):
        api = api.disable_rule_by_identifier(rule)
    assert api.scan_string(text).scan_failures == []


def test_markdown_summary_shows_all_findings_not_only_ten() -> None:
    many = [
        Problem(Source("data/targets.yaml", n), Severity.ERROR, "L010", f"target {n}") for n in range(1, 26)
    ]
    rows = [cells(line) for line in as_markdown_summary(many, "25 errors").splitlines()]
    rows = [row for row in rows if "L010" in row]
    assert len(rows) == 25
    assert rows[0] == ["error", "data/targets.yaml:1", "L010", "target 1", ""]


@pytest.mark.parametrize(
    ("requested", "environ", "chosen"),
    [
        ("auto", {"GITHUB_ACTIONS": "true"}, "github"),
        ("auto", {}, "text"),
        ("auto", {"GITHUB_ACTIONS": "false"}, "text"),
        ("text", {"GITHUB_ACTIONS": "true"}, "text"),
        ("sarif", {}, "sarif"),
    ],
)
def test_auto_picks_github_only_under_github_actions(
    requested: str, environ: dict[str, str], chosen: str
) -> None:
    assert pick_format(requested, environ) == chosen
