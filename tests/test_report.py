"""`ledger report`: deterministic, linted GitHub Markdown; golden files; atomic -o; What changed."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest
from pymarkdown.api import PyMarkdownApi
from typer.testing import CliRunner

from policy_ledger.cli import app
from policy_ledger.loader import load_ledger
from policy_ledger.progress import ProgressRequest, record_progress
from policy_ledger.report import build_report

from .conftest import REAL_DATA, ROOT

runner = CliRunner()
AS_OF = date(2023, 6, 30)


def lint(text: str) -> list[str]:
    """pymarkdownlnt with every rule but line length (tables of Chinese text cannot wrap)."""
    result = PyMarkdownApi().disable_rule_by_identifier("md013").scan_string(text)
    return [f"{f.line_number}: {f.rule_id} {f.rule_description}" for f in result.scan_failures]


@pytest.fixture(scope="module")
def whole() -> str:
    ledger, _ = load_ledger(REAL_DATA)
    return build_report(ledger, AS_OF)


def test_whole_report_matches_golden_and_lints_clean(whole: str, golden) -> None:  # type: ignore[no-untyped-def]
    assert lint(whole) == []
    golden("report.md", whole)


def test_area_report_matches_golden_and_lints_clean(golden) -> None:  # type: ignore[no-untyped-def]
    ledger, _ = load_ledger(REAL_DATA)
    text = build_report(ledger, AS_OF, area=3)
    assert lint(text) == []
    assert "## Area 3: “415X”先进制造业集群培育政策" in text and "## Area 1:" not in text
    golden("report-area-3.md", text)


def test_report_is_deterministic() -> None:
    first = build_report(load_ledger(REAL_DATA)[0], AS_OF)
    second = build_report(load_ledger(REAL_DATA)[0], AS_OF)
    assert first == second


def test_report_holds_the_budget_picture(whole: str) -> None:
    assert (
        "The 8 budgets add up to 75.538亿元 (gross). The document states 48.08亿元 net of overlaps" in whole
    )
    assert "so 27.458亿元 is counted by more than one area." in whole
    assert (
        '```mermaid\npie showData title Budget by area, gross, 亿元\n    "1 扩大有效投资政策" : 31.5\n'
        in whole
    )
    assert "| B21.3 | 各项现代服务业政策及预留促消费资金" in whole and "4880万元" in whole
    assert "| 4 现代服务业高质量发展政策" in whole and "5580万元" in whole  # the document's own unit


def test_ids_and_amounts_print_as_written(whole: str) -> None:
    assert "- [ ] 48.10 争创省级水稻产业“机器换人”高质量发展先行县" in whole
    assert "| A2.1 | 研发投入强度" in whole and "≈ 3.0% " in whole


def test_every_area_and_measure_has_its_section(whole: str) -> None:
    for number in range(1, 9):
        assert f"\n## Area {number}: " in whole
    for number in range(1, 58):
        assert f"\n### {number}．" in whole


def test_progress_shows_as_state_and_checklist(real: Path) -> None:
    today = date(2026, 1, 1)
    record_progress(real, ProgressRequest("17.1", "2023-06-30", value="23.5"), commit=False, today=today)
    record_progress(real, ProgressRequest("5.2", "2023-05-30", status="done"), commit=False, today=today)
    record_progress(real, ProgressRequest("B1.1", "2023-06-30", value="6.2"), commit=False, today=today)
    text = build_report(load_ledger(real)[0], AS_OF)
    assert lint(text) == []
    row = next(line for line in text.splitlines() if line.startswith("| 17.1 "))
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert cells == [
        "17.1",
        "新增制造业中长期贷款",
        "≥ 40亿元",
        "stretch",
        "2023-12-31",
        "23.5亿元 (2023-06-30)",
        "on track",
    ]
    assert "- [x] 5.2 开工建设乐清1号渔光互补项目: achieved (done as of 2023-05-30), due 2023-12-31" in text
    b1_1 = next(line for line in text.splitlines() if line.startswith("| B1.1 "))
    assert "Paid out" in text and b1_1.rstrip("| ").endswith("6.2亿元")
    assert "█" in text  # area 1 has an achieved target now


def test_output_file_is_written_whole_or_not_at_all(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    result = runner.invoke(
        app, ["report", "--as-of", "2023-06-30", "-o", str(target), "--data", str(REAL_DATA)]
    )
    assert result.exit_code == 0 and result.stdout == f"wrote {target}\n"
    assert target.read_text(encoding="utf-8") == build_report(load_ledger(REAL_DATA)[0], AS_OF)
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]  # no temporary left behind
    target.write_text("previous report\n", encoding="utf-8")
    failed = runner.invoke(app, ["report", "--area", "9", "-o", str(target), "--data", str(REAL_DATA)])
    assert failed.exit_code == 2 and "areas are 1, 2, 3, 4, 5, 6, 7, 8" in failed.stderr
    assert target.read_text(encoding="utf-8") == "previous report\n"
    missing = runner.invoke(app, ["report", "-o", str(tmp_path / "no" / "r.md"), "--data", str(REAL_DATA)])
    assert missing.exit_code == 2 and "no such folder" in missing.stderr


def test_since_reports_entries_states_and_corrections(real: Path) -> None:
    root = real.parent
    for args in (
        ["init", "-q", "-b", "main"],
        ["config", "user.name", "T"],
        ["config", "user.email", "t@x.invalid"],
    ):
        subprocess.run(["git", *args], cwd=root, check=True)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    subprocess.run(["git", "commit", "-qm", "data"], cwd=root, check=True)
    record_progress(real, ProgressRequest("17.1", "2023-06-30", value="23.5"), today=date(2026, 1, 1))
    path = real / "targets.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("what: 新增首贷户\n", "what: 全年新增首贷户\n"))
    subprocess.run(["git", "commit", "-qam", "correct 17.2"], cwd=root, check=True)
    result = runner.invoke(
        app, ["report", "--since", "HEAD~2", "--as-of", "2023-06-30", "--measure", "17", "--data", str(real)]
    )
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert lint(text) == []
    section = text[text.index("## What changed since HEAD~2") : text.index("## 17．")]
    assert "| 2023-06-30 | 17.1 | 新增制造业中长期贷款 | 23.5亿元" in section
    assert "| 17.1 | 新增制造业中长期贷款 | no data  | on track |" in section
    assert "- target 17.2: what" in section
    bad = runner.invoke(app, ["report", "--since", "no-such-rev", "--data", str(real)])
    assert bad.exit_code == 2 and "--since no-such-rev" in bad.stderr


def test_since_a_date_reports_the_progress_dated_since_without_git(real: Path) -> None:
    today = date(2026, 1, 1)
    for record_id, day, value in (("17.1", "2023-06-30", "23.5"), ("17.1", "2023-09-30", "33"),
                                  ("17.1", "2023-11-30", "41"), ("17.2", "2023-07-15", "300")):  # fmt: skip
        record_progress(real, ProgressRequest(record_id, day, value=value), commit=False, today=today)
    result = runner.invoke(app, ["report", "--since", "2023-07-01", "--as-of", "2023-09-30",
                                 "--measure", "17", "--data", str(real)])  # fmt: skip
    assert result.exit_code == 0, result.stderr  # no git repository at all: a date needs none
    section = result.stdout[result.stdout.index("## What changed since 2023-07-01") :]
    section = section[: section.index("## 17．")]
    assert "Progress entries dated on or after that day" in section and lint(result.stdout) == []
    assert "| 2023-09-30 | 17.1 |" in section and "| 2023-07-15 | 17.2 |" in section
    assert "2023-06-30" not in section and "2023-11-30" not in section  # before, and after the as-of date
    assert "| 17.1 | 新增制造业中长期贷款 | behind   | on track |" in section  # 33 of 40 by 09-30
    typed = runner.invoke(app, ["report", "--since", "2023年7月1日", "--as-of", "2023-09-30",
                                "--measure", "17", "--data", str(real)])  # fmt: skip
    assert typed.stdout == result.stdout and "read --since 2023年7月1日 as 2023-07-01" in typed.stderr


def test_since_outside_git_or_empty_says_what_to_give(real: Path) -> None:
    result = runner.invoke(app, ["report", "--since", "", "--data", str(real)])
    assert result.exit_code == 2 and "--since needs a date (YYYY-MM-DD) or a git revision" in result.stderr
    result = runner.invoke(app, ["report", "--since", "HEAD~1", "--data", str(real)])
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert "so --since HEAD~1 names no commit; give a date (YYYY-MM-DD), which needs no git" in result.stderr
    assert "--no-commit" not in result.stderr  # that hint is for a write
    result = runner.invoke(app, ["log", "--data", str(real)])
    assert "so it has no history to read" in result.stderr and "--no-commit" not in result.stderr


def test_period_is_a_quarter_as_of_its_last_day_since_its_first(real: Path) -> None:
    today = date(2026, 1, 1)
    for day, value in (("2023-06-30", "23.5"), ("2023-09-30", "33"), ("2023-10-15", "35")):
        record_progress(real, ProgressRequest("17.1", day, value=value), commit=False, today=today)
    result = runner.invoke(app, ["report", "--period", "2023q3", "--measure", "17", "--data", str(real)])
    assert result.exit_code == 0, result.stderr
    row = next(line for line in result.stdout.splitlines() if line.startswith("| Report as of"))
    assert row.split("|")[2].strip() == "2023-09-30"
    section = result.stdout[result.stdout.index("## What changed since 2023-07-01") :]
    assert "| 2023-09-30 | 17.1 |" in section and "2023-10-15" not in section
    assert "| 2023-06-30 | 17.1 |" not in section
    for args, message in (
        (["--period", "2023Q5"], "--period: '2023Q5' is not a quarter; write it like 2023Q2"),
        (["--period", "2023Q2", "--as-of", "2023-06-30"], "give --period or --as-of, not both"),
        (["--period", "1900Q1"], "the year must be"),
    ):
        bad = runner.invoke(app, ["report", *args, "--data", str(real)])
        assert bad.exit_code == 2 and message in bad.stderr and bad.stderr.count("\n") == 1, bad.stderr


def test_committed_example_is_current() -> None:
    """CI fails when docs/report-example.md is stale: regenerate it with the command in the README."""
    example = (ROOT / "docs" / "report-example.md").read_text(encoding="utf-8")
    assert example == build_report(load_ledger(REAL_DATA)[0], AS_OF)
