"""The ``ledger`` command as a user meets it: output, exit codes and one-line errors."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policy_ledger.cli import app

from .conftest import REAL_DATA, ROOT, delete_allocation_b17

runner = CliRunner()


pytestmark = pytest.mark.usefixtures("fixed_terminal")


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_show_17_matches_golden(golden) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run("show", "17", "--as-of", "2023-06-30", "--data", str(REAL_DATA))
    assert (code, err) == (0, "")
    golden("show-17.txt", out)


def test_show_1_renders_budget_with_shares_and_sum(golden) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run("show", "1", "--as-of", "2023-06-30", "--data", str(REAL_DATA))
    assert code == 0
    assert "Budget B1: 31.5亿元" in out
    assert "14.8亿元" in out and "47.0%" in out
    assert "Sum of allocations" in out and "= total" in out
    golden("show-1.txt", out)


def test_show_of_a_measure_followed_by_nothing_says_validate_reports_it(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(REAL_DATA, data)
    targets = data / "targets.yaml"
    text = targets.read_text(encoding="utf-8")
    block = re.search(r'  - id: "30\.1"\n(?:    .*\n)+', text)
    assert block is not None
    targets.write_text(text.replace(block.group(0), ""), encoding="utf-8")
    code, out, _ = run("show", "30", "--data", str(data))
    assert code == 0 and "Targets: none recorded (ledger validate reports this)" in out
    assert run("validate", "--data", str(data))[0] == 1  # L008: no target, budget or instrument
    code, out, _ = run("show", "1", "--data", str(data))
    assert "Targets: none; the measure is followed through what it funds and gives, below" in out


def test_show_21_keeps_the_documents_unit() -> None:
    code, out, _ = run("show", "21", "--data", str(REAL_DATA))
    assert code == 0
    assert "Budget B21: 5580万元" in out and "4880万元" in out


def test_show_json_is_exact_data(golden) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run("show", "1", "--format", "json", "--as-of", "2023-06-30", "--data", str(REAL_DATA))
    assert code == 0
    data = json.loads(out)
    assert data["number"] == 1 and data["area"]["leads"] == ["市发改局"]
    assert data["budget"]["total"] == "31.5" and data["budget"]["sums_to_total"] is True
    assert [a["amount"] for a in data["budget"]["allocations"]] == [
        "14.8",
        "3.5",
        "3.9",
        "1.2",
        "5",
        "1.8",
        "1.3",
    ]
    assert data["targets"] == []  # its one number is the budget's total, recorded once, as the budget
    golden("show-1.json", out)


def test_show_json_of_a_fraction_target() -> None:
    _, out, _ = run("show", "17", "-f", "json", "--data", str(REAL_DATA))
    values = {t["id"]: (t["value"], t["comparator"]) for t in json.loads(out)["targets"]}
    assert values["17.1"] == ("40", "at_least")
    assert values["17.3"] == ("1/2", "at_least")


@pytest.mark.parametrize("measure", ["58", "0", "abc", "17.1"])
def test_show_out_of_range_is_a_one_line_usage_error(measure: str) -> None:
    code, out, err = run("show", measure, "--data", str(REAL_DATA))
    assert code == 2
    assert out == ""
    assert err == f"ledger: no measure '{measure}' in lezhengfa-2023-6; measures are numbered 1-57\n"


def test_validate_clean_data_exits_0_with_summary() -> None:
    code, out, _ = run("validate", "--data", str(REAL_DATA))
    assert code == 0
    lines = out.splitlines()
    assert lines[-1] == (
        "ok: 1 document, 8 areas, 57 measures, 155 targets (58 milestones), "
        "8 budgets (38 allocations), 95 instruments; all 15 checks passed"
    )
    assert lines[0].startswith("data/policies.yaml:21:7: info I001") or "info I001" in lines[0]


def test_validate_bad_data_exits_1_and_lists_every_problem(mini: Path) -> None:
    budgets = (
        (mini / "budgets.yaml").read_text(encoding="utf-8").replace("    total: 31.5\n", "    total: 31.4\n")
    )
    (mini / "budgets.yaml").write_text(budgets, encoding="utf-8")
    targets = (mini / "targets.yaml").read_text(encoding="utf-8").replace("value: 150\n", 'value: "150"\n')
    (mini / "targets.yaml").write_text(targets, encoding="utf-8")
    code, out, _ = run("validate", "--data", str(mini))
    assert code == 1
    problems = [line.split("data/", 1)[1] for line in out.splitlines() if ": error " in line]
    assert problems == [
        "budgets.yaml:6:5: error L010 budget B1: 31.4亿元 does not appear in its quote "
        "“2023年统筹安排31.5亿元”; correct the value or quote the words that state it",
        "budgets.yaml:6:5: error L012 budget B1 (measure 1): allocations sum to 31.5亿元 but the total is "
        "31.4亿元; fix an allocation or the total",
        "policies.yaml:17:7: error L013 document lezhengfa-2023-6: stated total 31.5亿元 is above the gross "
        "sum of its 1 budget (31.4亿元); a budget is missing from budgets.yaml or a total is wrong",
        "targets.yaml:7:5: error L003 target A1.1: value: '150' is text (in quotes), not a number; "
        "write the number without quotes: 150",
    ]
    assert out.splitlines()[-1].startswith("4 errors, 0 warnings in ")


def test_validate_under_github_actions_annotates_and_summarises(
    mini: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    delete_allocation_b17(mini)
    monkeypatch.chdir(mini.parent)
    summary = tmp_path / "step-summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monkeypatch.setenv("GITHUB_SERVER_URL", "https://github.com")
    monkeypatch.setenv("GITHUB_REPOSITORY", "yueqing/ledger")
    monkeypatch.setenv("GITHUB_SHA", "abc123")
    code, out, _ = run("validate")
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == (
        "::error file=data/budgets.yaml,line=6,col=5,title=L012::budget B1 (measure 1): allocations sum to "
        "30.2亿元 but the total is 31.5亿元; fix an allocation or the total"
    )
    assert lines[1].startswith("::notice file=data/policies.yaml,line=17,col=7,title=I001::")
    assert lines[2].startswith("1 error, 0 warnings in 1 document")
    written = summary.read_text(encoding="utf-8")
    assert written.startswith("earlier step\n## ledger validate\n")  # appended, never overwritten
    assert [
        "error",
        "[data/budgets.yaml:6](https://github.com/yueqing/ledger/blob/abc123/data/budgets.yaml#L6)",
        "L012",
        "budget B1 (measure 1): allocations sum to 30.2亿元 but the total is 31.5亿元",
        "fix an allocation or the total",
    ] in [[cell.strip() for cell in line.split("|")[1:-1]] for line in written.splitlines()]
    assert run("validate", "-f", "text")[1].startswith("data/budgets.yaml:6:5: error L012 ")


@pytest.mark.parametrize("output_format", ["json", "sarif"])
def test_validate_json_and_sarif_print_only_the_document(mini: Path, output_format: str) -> None:
    delete_allocation_b17(mini)
    code, out, _ = run("validate", "--format", output_format, "--data", str(mini))
    assert code == 1
    document = json.loads(out)
    codes = (
        [f["code"] for f in document]
        if output_format == "json"
        else [r["ruleId"] for r in document["runs"][0]["results"]]
    )
    assert codes == ["L012", "I001"]


def test_no_data_found_is_one_line_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for command in (["validate"], ["show", "17"]):
        code, out, err = run(*command)
        assert code == 2 and out == ""
        assert err.count("\n") == 1 and err.startswith("ledger: no ledger data found")


def test_environment_variable_points_at_the_data(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LEDGER_DATA", str(REAL_DATA))
    assert run("show", "17")[0] == 0


def test_unknown_option_is_a_usage_error() -> None:
    assert run("show", "17", "--colour")[0] == 2
    assert run("show", "17", "--format", "xml", "--data", str(REAL_DATA))[0] == 2


def test_version() -> None:
    code, out, _ = run("--version")
    assert code == 0 and out.startswith("ledger ")


def test_piped_output_has_no_colour_codes_and_aligned_cjk() -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"FORCE_COLOR", "NO_COLOR", "TERM"}}
    env["COLUMNS"] = "100"
    result = subprocess.run(
        [sys.executable, "-m", "policy_ledger", "show", "17"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    )
    assert "\x1b[" not in result.stdout
    rows = [line for line in result.stdout.splitlines() if line.startswith(" 17.")]
    assert len(rows) == 6
    from rich.cells import cell_len

    # the Value column starts at the same screen column in every row: CJK counts as two cells
    value_columns = {cell_len(re.split(r"[≥=] |milestone", row)[0]) for row in rows}
    assert len(value_columns) == 1, value_columns


@pytest.mark.parametrize("kind", ["folder", "fifo", "read-only", "missing folder"])
def test_a_step_summary_that_cannot_be_written_is_one_warning(
    mini: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, kind: str
) -> None:
    """The findings still print and decide the exit code; the summary's absence is one line."""
    target = tmp_path / "summary"
    if kind == "folder":
        target.mkdir()
    elif kind == "fifo":
        os.mkfifo(target)
    elif kind == "read-only":
        target = Path("/proc/version")  # root ignores file modes; the kernel does not
    else:
        target = tmp_path / "no" / "such" / "summary.md"
    monkeypatch.chdir(mini.parent)
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(target))
    code, out, err = run("validate")
    assert code == 0 and out.splitlines()[-1].startswith("ok: ")
    assert err.count("\n") == 1 and err.startswith("ledger: warning: no step summary written: ")
