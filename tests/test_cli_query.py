"""`ledger list`, `query`, `budgets` and `export` as a user meets them, on the real data."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from policy_ledger.cli import app

from .conftest import REAL_DATA, thorough
from .test_queries import AREA_3_TARGETS

runner = CliRunner()
FORMATS = ("table", "json", "csv", "yaml", "markdown")


pytestmark = pytest.mark.usefixtures("fixed_terminal")


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, "--data", str(REAL_DATA)])
    return result.exit_code, result.stdout, result.stderr


def run_bytes(*args: str) -> bytes:
    result = runner.invoke(app, [*args, "--data", str(REAL_DATA)])
    assert result.exit_code == 0, result.stderr
    return result.stdout_bytes


def json_ids(*args: str) -> list[str]:
    code, out, err = run(*args, "--format", "json")
    assert (code, err) == (0, ""), err
    return [str(row.get("id", row.get("number"))) for row in json.loads(out)]


def csv_rows(payload: bytes) -> list[dict[str, str]]:
    assert payload.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(payload.decode("utf-8-sig"))))


# --- ledger list --------------------------------------------------------------------------------------


def test_list_shows_every_measure(golden) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run("list")
    assert (code, err) == (0, "")
    assert out.rstrip().endswith("57 measures")
    golden("list.txt", out)


def test_list_area_3() -> None:
    code, out, _ = run("list", "--area", "3")
    assert code == 0
    rows = [line.split() for line in out.splitlines() if line.strip()[:2].isdigit()]
    assert [row[0] for row in rows] == ["15", "16", "17", "18", "19", "20"]
    assert rows[0][-1] == "2.6亿元" and rows[1][-1] == "—"
    assert all("市经信局" in row for row in rows)


def test_list_json_row() -> None:
    code, out, _ = run("list", "--area", "4", "-f", "json")
    first = json.loads(out)[0]
    assert code == 0
    assert (
        first["number"],
        first["leads"],
        first["budget"],
        first["budget_total"],
        first["budget_unit"],
    ) == (
        21,
        ["市发改局"],
        "B21",
        "5580",
        "万元",
    )


def test_list_unknown_area_exits_2_with_the_valid_ones() -> None:
    code, out, err = run("list", "--area", "9")
    assert (code, out) == (2, "")
    assert err == "ledger: --area: no area 9; areas are 1-8\n"


# --- ledger query: filters ------------------------------------------------------------------------


def test_query_lead_jingxin_table(golden) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run("query", "targets", "--lead", "经信", "--as-of", "2023-06-30")
    assert (code, err) == (0, "")
    assert out.rstrip().endswith("25 targets")
    golden("query-lead-jingxin.txt", out)


@pytest.mark.parametrize(
    ("args", "expected"),
    thorough([
        (("--lead", "经信"), ["D1", *AREA_3_TARGETS]),  # D1 is every lead bureau's
        (("lead:经信",), ["D1", *AREA_3_TARGETS]),
        (("--area", "3"), AREA_3_TARGETS),
        (("--due-before", "2023-07-01"), ["5.1", "43.4"]),
        (("--commitment", "确保", "--due-before", "2023-07-01"), ["5.1"]),
        (("commitment:确保", "due:<2023-07-01"), ["5.1"]),
        (("--text", "lng"), ["5.1"]),
        (("--unit", "亩", "--sort", "-value", "--limit", "3"), ["44.6", "3.1", "19.1"]),
        (("--unit", "亩", "--sort=-value", "--limit", "1"), ["44.6"]),
        (("--lead", "经信", "--kind", "milestone"), ["D1", "16.2", "17.6", "18.3", "18.4", "18.5"]),
        (("--lead", "经信", "--comparator", "以上", "--unit", "亿元"), ["A3.2", "17.1"]),
        (("--has-budget", "--lead", "经信"), ["15.2"]),
        (
            ("--lead", "经信", "not:kind:milestone", "not:has-budget:yes", "unit:亿元"),
            ["A3.2", "16.1", "17.1", "17.5"],
        ),
        (("value:>=100亿元",), ["A1.2", "A1.4", "2.1", "A3.2", "16.1", "45.3"]),
        (("unit:亿元,万元", "--sort", "-value", "--limit", "3"), ["A3.2", "A1.4", "2.1"]),
    ], keep=8),
)  # fmt: skip
def test_query_targets(args: tuple[str, ...], expected: list[str]) -> None:
    assert json_ids("query", "targets", *args) == expected


@pytest.mark.parametrize(
    ("option", "value", "count"),
    thorough([
        ("--commitment", "确保", 9),
        ("--commitment", "firm", 9),
        ("--commitment", "力争", 57),
        ("--commitment", "stretch", 57),
        ("--commitment", "plain", 89),
        ("--comparator", "左右", 6),
        ("--comparator", "about", 6),
        ("--comparator", "at_most", 3),
        ("--kind", "milestone", 58),
        ("--kind", "quantitative", 97),
        ("--unit", "亿元", 12),
        ("--unit", "%", 17),
    ], keep=5),
)  # fmt: skip
def test_query_target_counts(option: str, value: str, count: int) -> None:
    assert len(json_ids("query", "targets", option, value)) == count


def test_query_no_budget_is_the_complement_of_has_budget() -> None:
    with_budget = json_ids("query", "targets", "--has-budget")
    without = json_ids("query", "targets", "--no-budget")
    assert len(with_budget) + len(without) == 155 and not set(with_budget) & set(without)


def test_query_measures_and_budgets() -> None:
    assert json_ids("query", "measures", "--lead", "经信") == ["15", "16", "17", "18", "19", "20"]
    assert json_ids("query", "measures", "budget:>=10亿元") == ["1", "28", "42"]
    assert json_ids("query", "budgets", "total:<1亿元") == ["B21", "B34"]
    assert json_ids("query", "budgets", "--sort", "-total", "--limit", "3") == ["B1", "B28", "B42"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("targets", "--area", "9"), "ledger: --area: no area 9; areas are 1-8\n"),
        (
            ("targets", "--lead", "教育"),
            "ledger: --lead: no lead bureau matches '教育'; bureaus: 市发改局, 市科技局, 市经信局, "
            "市交通运输局, 市商务局, 市农业农村局, 市人力社保局\n",
        ),
        (
            ("targets", "--commitment", "maybe"),
            "ledger: --commitment: unknown commitment 'maybe'; use one of firm, stretch, plain, 确保, 力争, "
            "争取, 争创\n",
        ),
        (
            ("targets", "--kind", "goal"),
            "ledger: --kind: unknown kind 'goal'; use one of quantitative, milestone\n",
        ),
        (
            ("measures", "--unit", "亿元"),
            "ledger: --unit does not apply to measures; it filters targets, budgets, instruments\n",
        ),
        (("targets", "measure:58"), "ledger: 'measure:58': no measure 58; measures are 1-57\n"),
    ],
)
def test_query_unknown_values_exit_2_in_one_line(args: tuple[str, ...], message: str) -> None:
    code, out, err = run("query", *args)
    assert (code, out, err) == (2, "", message)


def test_query_unknown_unit_lists_the_units() -> None:
    code, _, err = run("query", "targets", "--unit", "吨")
    assert code == 2 and err.count("\n") == 1
    assert err.startswith("ledger: --unit: no unit '吨' in the ledger; units: % ")
    assert all(unit in err for unit in ("亿元", "万元", "亩", "套（间）"))


# --- formats --------------------------------------------------------------------------------------


def test_every_format_carries_the_same_25_targets() -> None:
    args = ("query", "targets", "--area", "3")
    assert json_ids(*args) == AREA_3_TARGETS
    rows = csv_rows(run_bytes(*args, "--format", "csv"))
    assert [row["id"] for row in rows] == AREA_3_TARGETS
    assert (rows[6]["what"], rows[6]["value"], rows[6]["unit"]) == ("新增制造业中长期贷款", "40", "亿元")
    assert rows[8]["value"] == "1/2" and rows[0]["leads"] == "市经信局"
    _, out, _ = run(*args, "--format", "yaml")
    assert [row["id"] for row in YAML(typ="safe", pure=True).load(out)] == AREA_3_TARGETS
    _, out, _ = run(*args, "--format", "markdown")
    lines = out.splitlines()
    assert lines[0].startswith("| ID ") and lines[1].startswith("|:--")
    assert [line.split("|")[1].strip() for line in lines[2:]] == AREA_3_TARGETS
    _, out, _ = run(*args, "--format", "table")
    table_ids = [line.split()[0] for line in out.splitlines() if line.startswith((" A", " 1", " 2"))]
    assert table_ids == AREA_3_TARGETS


def test_json_has_exact_numbers() -> None:
    code, out, _ = run("query", "targets", "id:15.2,17.3,4.2,A2.1", "-f", "json")
    assert code == 0
    values = {row["id"]: row["value"] for row in json.loads(out)}
    assert values == {"15.2": "0.5", "4.2": "0.78", "17.3": "1/2", "A2.1": "3.0"}
    assert '"value": 31.5' not in out


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_empty_answer_is_an_empty_table_and_exit_0(fmt: str) -> None:
    terms = ("lead:经信", "unit:亿元", "due:<2023-07-01", "commitment:确保")
    result = runner.invoke(app, ["query", "targets", *terms, "-f", fmt, "--data", str(REAL_DATA)])
    assert result.exit_code == 0 and result.stderr == ""
    out = result.stdout
    if fmt == "table":
        assert out.split()[:6] == ["ID", "What", "Value", "Commitment", "Due", "Lead"]
        assert out.rstrip().endswith("0 targets")
    elif fmt == "json":
        assert json.loads(out) == []
    elif fmt == "yaml":
        assert out == "[]\n"
    elif fmt == "csv":
        assert csv_rows(result.stdout_bytes) == []
        assert result.stdout_bytes.decode("utf-8-sig").startswith("id,document,area,measure,leads,what")
    else:
        assert len(out.splitlines()) == 2 and out.startswith("| ID ")  # header and separator


def test_unknown_format_is_a_usage_error() -> None:
    assert run("query", "targets", "-f", "xml")[0] == 2


# --- ledger budgets -------------------------------------------------------------------------------


def test_budgets_in_yi(golden) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run("budgets", "--as-of", "2023-06-30")
    assert (code, err) == (0, "")
    assert "Gross sum of 8 budgets" in out and "75.538亿元" in out
    assert "48.08亿元" in out and "27.458亿元" in out
    assert " B21 " in out and "0.558亿元" in out and "5580万元" in out  # converted, and as written
    golden("budgets.txt", out)


def test_budgets_in_wan_prints_315000_for_measure_1() -> None:
    code, out, _ = run("budgets", "--unit", "万元")
    assert code == 0
    b1 = next(line for line in out.splitlines() if line.split()[:1] == ["B1"])
    assert b1.split()[1:3] == ["1．加大财政支持力度", "315000万元"]
    assert "755380万元" in out and "480800万元" in out and "274580万元" in out


def test_budgets_formats_agree() -> None:
    _, out, _ = run("budgets", "--unit", "万元", "-f", "json")
    statement = json.loads(out)
    assert statement["budgets"][0]["total"] == "315000"
    assert (statement["gross_total"], statement["stated_total"], statement["overlap"]) == (
        "755380",
        "480800",
        "274580",
    )
    rows = csv_rows(run_bytes("budgets", "--unit", "万元", "-f", "csv"))
    assert rows[0] | {} == {
        "kind": "budget",
        "id": "B1",
        "measure": "1",
        "area": "1",
        "label": "加大财政支持力度",
        "amount": "315000",
        "unit": "万元",
        "written_amount": "31.5",
        "written_unit": "亿元",
        "paid_out": "0",
        "execution_percent": "0.0",
        "allocations": "7",
        "allocations_reported": "0",
    }
    totals = {row["kind"]: row["amount"] for row in rows if row["kind"] in {"gross", "stated", "overlap"}}
    assert totals == {"gross": "755380", "stated": "480800", "overlap": "274580"}
    _, out, _ = run("budgets", "-f", "markdown")
    assert "## Overall, in 亿元" in out and "| Gross sum of 8 budgets" in out
    _, out, _ = run("budgets", "-f", "yaml")
    assert YAML(typ="safe", pure=True).load(out)["overlap"] == "27.458"


def test_budgets_refuse_a_unit_that_is_not_money() -> None:
    code, out, err = run("budgets", "--unit", "亩")
    assert (code, out) == (2, "")
    assert err == "ledger: --unit must be a money unit (元, 万元, 亿元), not '亩'\n"


# --- ledger export --------------------------------------------------------------------------------


def test_export_json_document() -> None:
    code, out, _ = run("export")
    assert code == 0
    export = json.loads(out)
    assert list(export) == [
        *("format", "version", "as_of"),
        *("documents", "areas", "measures", "targets", "budgets"),
    ]
    assert export["documents"][0]["overall_budget"]["amount"] == "48.08"
    target = next(t for t in export["targets"] if t["id"] == "17.1")
    assert list(target) == [
        "id",
        "document",
        "area",
        "measure",
        "leads",
        "what",
        "kind",
        "value",
        "unit",
        "comparator",
        "commitment",
        "deadline",
        "deadline_text",
        "quote",
        "budget",
        "latest_progress",
        "progress",
    ]


def test_export_yaml_equals_json() -> None:
    _, as_json, _ = run("export")
    _, as_yaml, _ = run("export", "-f", "yaml")
    assert YAML(typ="safe", pure=True).load(as_yaml) == json.loads(as_json)


def test_export_csv_table_to_stdout() -> None:
    rows = csv_rows(run_bytes("export", "-f", "csv", "--table", "allocations"))
    assert len(rows) == 38
    assert rows[0] == {
        "budget": "B1",
        "id": "B1.1",
        "label": "综合交通基础设施",
        "amount": "14.8",
        "unit": "亿元",
        "share_percent": "47.0",
        "quote": "其中支持综合交通基础设施14.8亿元",
        "paid_out": "0",
        "execution_percent": "0.0",
        "reported": "false",
    }


def test_export_csv_writes_every_table(tmp_path: Path) -> None:
    code, out, err = run("export", "-f", "csv", "-o", str(tmp_path / "csv"))
    assert (code, out) == (0, "")
    names = ["documents", "areas", "measures", "targets", "progress", "budgets", "allocations"]
    assert sorted(p.name for p in (tmp_path / "csv").iterdir()) == sorted(f"{n}.csv" for n in names)
    assert err.count("wrote ") == 7
    counts = {n: len(csv_rows((tmp_path / "csv" / f"{n}.csv").read_bytes())) for n in names}
    assert counts == {
        "documents": 1,
        "areas": 8,
        "measures": 57,
        "targets": 155,
        "progress": 0,
        "budgets": 8,
        "allocations": 38,
    }


def test_export_csv_needs_a_table_or_a_directory() -> None:
    code, out, err = run("export", "-f", "csv")
    assert (code, out) == (2, "")
    assert err.startswith("ledger: CSV holds one table: choose one with --table") and err.count("\n") == 1
    code, _, err = run("export", "--table", "nope")
    assert code == 2 and "tables: documents, areas, measures, targets, progress, budgets, allocations" in err


def test_status_filters_targets_by_their_state_on_a_date(real: Path) -> None:
    from datetime import date

    from policy_ledger.progress import ProgressRequest, record_progress

    today = date(2026, 1, 1)
    record_progress(real, ProgressRequest("17.1", "2023-06-30", value="23.5"), commit=False, today=today)
    record_progress(real, ProgressRequest("17.2", "2023-06-30", value="100"), commit=False, today=today)
    record_progress(real, ProgressRequest("5.2", "2023-05-30", status="done"), commit=False, today=today)

    def ids(*args: str) -> list[str]:
        result = runner.invoke(app, ["query", "targets", *args, "-f", "json", "--data", str(real)])
        assert result.exit_code == 0, result.stderr
        return [row["id"] for row in json.loads(result.stdout)]

    assert ids("--status", "on_track", "--as-of", "2023-06-30") == ["17.1"]
    assert ids("status:behind", "--as-of", "2023-06-30") == ["17.2"]
    assert ids("--status", "achieved", "--as-of", "2023-06-30") == ["5.2"]
    assert len(ids("status:no-data", "--as-of", "2023-06-30")) == 152
    assert ids("--status", "achieved", "--lead", "经信", "--as-of", "2023-06-30") == []
    rows = json.loads(
        runner.invoke(
            app, ["query", "targets", "id:17.1", "-f", "json", "--as-of", "2024-01-01", "--data", str(real)]
        ).stdout
    )
    assert rows[0]["state"] == "overdue"  # 23.5亿元 of 40亿元 reported, and the year is over
    # never reported is not overdue: the targets due by 2023-12-31 without an entry are no report
    no_report = ids("--status", "no_report", "--as-of", "2024-01-01")
    assert "17.1" not in no_report and {"17.2", "D1", "43.4"} & set(no_report) == {"D1", "43.4"}
    assert (
        no_report
        == ids("status:no-report", "--as-of", "2024-01-01")
        == ids("status:no report", "--as-of", "2024-01-01")
    )
    assert ids("status:overdue", "--as-of", "2024-01-01") == ["17.1", "17.2"]  # 17.2: 100 of 200亿元
    bad = runner.invoke(app, ["query", "targets", "--status", "late", "--data", str(real)])
    assert (
        bad.exit_code == 2 and "unknown status 'late'; use one of" in bad.stderr and "no_report" in bad.stderr
    )


def test_due_before_takes_a_date_as_typed_and_says_so() -> None:
    result = CliRunner().invoke(app, ["query", "targets", "--due-before", "2023/7/1", "-f", "json",
                                      "--data", str(REAL_DATA)])  # fmt: skip
    assert result.exit_code == 0
    assert [row["id"] for row in json.loads(result.stdout)] == ["5.1", "43.4"]
    assert result.stderr == "ledger: read --due-before 2023/7/1 as 2023-07-01 (date written YYYY-MM-DD)\n"
    bad = CliRunner().invoke(app, ["query", "targets", "--due-before", "9/30/2023", "--data", str(REAL_DATA)])
    assert bad.exit_code == 2 and bad.stderr.count("\n") == 1
