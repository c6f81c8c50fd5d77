"""`ledger status --lead` and its formats: what a director of one bureau asks, in the form they need."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from policy_ledger.cli import app
from policy_ledger.progress import ProgressRequest, record_progress

runner = CliRunner()
DAY = "2023-06-30"


@pytest.fixture(autouse=True)
def wide_terminal(fixed_terminal: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "120")


@pytest.fixture
def data(real: Path) -> Path:
    """The real data with 17.1 on track on 2023-06-30 and 5.2 (市发改局) done."""
    today = date(2026, 1, 1)
    record_progress(real, ProgressRequest("17.1", DAY, value="23.5"), commit=False, today=today)
    record_progress(real, ProgressRequest("5.2", "2023-05-30", status="done"), commit=False, today=today)
    return real


def run(data: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["status", "--as-of", DAY, *args, "--data", str(data)])
    return result.exit_code, result.stdout, result.stderr


def status_json(data: Path, *args: str) -> dict:  # type: ignore[type-arg]
    code, out, err = run(data, *args, "--format", "json")
    assert (code, err) == (0, ""), err
    return json.loads(out)  # type: ignore[no-any-return]


def query_ids(data: Path, *args: str) -> list[str]:
    result = runner.invoke(app, ["query", "targets", *args, "-f", "json", "--data", str(data)])
    assert result.exit_code == 0, result.stderr
    return [row["id"] for row in json.loads(result.stdout)]


def test_lead_keeps_the_targets_that_query_lead_keeps_with_d1(data: Path) -> None:
    record = status_json(data, "--lead", "经信")
    ids = [t["id"] for t in record["targets"]]
    assert ids == query_ids(data, "--lead", "经信")
    assert ids[0] == "D1" and len(ids) == 25  # the document's own milestone, then area 3's 24
    assert [a["area"] for a in record["areas"]] == [3]
    assert record["areas"][0]["targets"] == 24 and record["areas"][0]["on track"] == 1
    assert [b["lead"] for b in record["instruments"]] == ["市经信局"]


def test_lead_of_a_bureau_that_leads_several_areas(data: Path) -> None:
    record = status_json(data, "--lead", "市发改局")
    assert [a["area"] for a in record["areas"]] == [1, 4, 7]  # area 7 is led with 市农业农村局
    assert [t["id"] for t in record["targets"]] == query_ids(data, "--lead", "市发改局")
    assert next(t for t in record["targets"] if t["id"] == "5.2")["state"] == "achieved"
    assert "17.1" not in [t["id"] for t in record["targets"]]
    assert sum(a["targets"] for a in record["areas"]) == len(record["targets"]) - 1  # all but D1
    assert [b["lead"] for b in record["instruments"]] == ["市发改局"]


def test_lead_and_area_combine_by_and(data: Path) -> None:
    record = status_json(data, "--lead", "经信", "--area", "3")
    assert [t["id"] for t in record["targets"]][:2] == ["A3.1", "A3.2"]  # D1 is in no area
    assert len(record["targets"]) == 24
    nothing = status_json(data, "--lead", "经信", "--area", "1")
    assert (nothing["targets"], nothing["areas"], nothing["payments"]) == ([], [], [])


def test_without_lead_the_json_document_is_unchanged(data: Path) -> None:
    record = status_json(data)
    assert list(record) == ["as_of", "targets", "areas", "instruments", "payments"]
    assert len(record["targets"]) == 155 and [a["area"] for a in record["areas"]] == list(range(1, 9))
    target = next(t for t in record["targets"] if t["id"] == "17.1")
    assert (target["state"], target["expected_by_now"]) == ("on track", "19.78")


@pytest.mark.parametrize(
    ("lead", "message"),
    [
        ("教育", "--lead: no lead bureau matches '教育'; bureaus: 市发改局, 市科技局"),
        ("\x1b[31m", "no lead bureau matches '\\x1b[31m'"),  # shown escaped, on one line
        ("", "--lead needs a value"),
    ],
)
def test_a_lead_that_names_no_bureau_is_a_usage_error(data: Path, lead: str, message: str) -> None:
    code, out, err = run(data, "--lead", lead)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and message in err and "\x1b" not in err


def test_table_and_text_are_the_terminal_view(data: Path) -> None:
    code, table, _ = run(data, "--lead", "经信")
    assert code == 0
    line = next(line for line in table.splitlines() if line.startswith(" 17.1 "))
    assert "23.5亿元 (2023-06-30)" in line and "19.78亿元" in line and line.rstrip().endswith("on track")
    assert " D1 " in table and "Per area" in table and "市经信局" in table
    assert "扩大有效投资政策" not in table  # area 1 is 市发改局's
    assert run(data, "--lead", "经信", "--format", "text")[1] == table
    assert run(data, "--lead", "经信", "-f", "table")[1] == table


def test_csv_is_one_row_per_target_with_state_latest_and_expected(data: Path) -> None:
    result = runner.invoke(
        app, ["status", "--as-of", DAY, "--lead", "经信", "-f", "csv", "--data", str(data)]
    )
    assert result.exit_code == 0 and result.stdout_bytes.startswith(b"\xef\xbb\xbfid,document,")
    rows = list(csv.DictReader(io.StringIO(result.stdout_bytes.decode("utf-8-sig"))))
    assert [r["id"] for r in rows] == query_ids(data, "--lead", "经信")
    row = next(r for r in rows if r["id"] == "17.1")
    assert (row["state"], row["latest_progress.value"], row["expected_by_now"]) == (
        "on track",
        "23.5",
        "19.78",
    )
    assert list(rows[0])[-2:] == ["state", "expected_by_now"]
    export = runner.invoke(app, ["export", "-f", "csv", "--table", "targets", "--data", str(data)]).stdout
    # the columns of query and export, then expected-by-now
    assert list(rows[0])[:-1] == export.lstrip("\ufeff").splitlines()[0].split(",")


def test_yaml_is_the_json_document(data: Path) -> None:
    code, out, _ = run(data, "--lead", "经信", "-f", "yaml")
    assert code == 0
    assert yaml.safe_load(out) == status_json(data, "--lead", "经信")


def test_markdown_gives_the_targets_and_the_counts_per_area(data: Path) -> None:
    code, out, _ = run(data, "--lead", "经信", "-f", "markdown")
    assert code == 0
    headings = [line for line in out.splitlines() if line.startswith("## ")]
    assert headings == ["## Targets as of 2023-06-30", "## Per area", "## 配套政策 and 兑现 per lead bureau"]
    row = next(line for line in out.splitlines() if line.startswith("| 17.1 "))
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert cells == ["17.1", "新增制造业中长期贷款", "≥ 40亿元", "23.5亿元 (2023-06-30)", "19.78亿元",
                     "on track"]  # fmt: skip
    header = next(line for line in out.splitlines() if line.startswith("| Area "))
    assert [c.strip() for c in header.strip("|").split("|")][2:] == [
        *("Targets", "achieved", "on track", "behind", "no data", "overdue", "no report", "Achieved"),
    ]
    area = next(line for line in out.splitlines() if line.startswith("| 3 "))
    assert [c.strip() for c in area.strip("|").split("|")][2:-1] == ["24", "0", "1", "0", "23", "0", "0"]
    assert "25 targets" in out


def test_markdown_counts_no_report_after_the_deadline(data: Path) -> None:
    code, out, _ = run(
        data, "--as-of", "2024-01-01", "--area", "3", "-f", "markdown"
    )  # the later --as-of wins
    assert code == 0
    area = next(line for line in out.splitlines() if line.startswith("| 3 "))
    # 17.1 reported 23.5 of 40亿元: overdue; 20 targets due in 2023 never reported; 3 not due yet
    assert [c.strip() for c in area.strip("|").split("|")][2:-1] == ["24", "0", "0", "0", "3", "1", "20"]
