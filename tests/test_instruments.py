"""Policy instruments (政策工具): listed and filtered, shown with their measure, and followed through
their 配套政策 and 兑现 with ``ledger progress add``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policy_ledger.cli import app

from .conftest import git, new_repository
from .test_report import lint

runner = CliRunner()

INSTRUMENTS = """\
# yaml-language-server: $schema=../schema/instruments.schema.json
instruments:
  - id: "I1.1"
    document: lezhengfa-2023-6
    measure: 1
    name: 专项债券支持
    form: financing
    beneficiaries: [project]
    basis: higher_policy
    funded_by: [B1.1]
    quote: 专项债及政策性金融工具等资金
  - id: "I1.2"
    document: lezhengfa-2023-6
    measure: 1
    name: 政策性金融工具
    form: financing
    beneficiaries: [project, enterprise]
    basis: supporting_policy
    quote: 专项债、政策性金融工具
"""

pytestmark = pytest.mark.usefixtures("fixed_terminal")


@pytest.fixture
def ledger(mini: Path) -> Path:
    (mini / "instruments.yaml").write_text(INSTRUMENTS, encoding="utf-8")
    new_repository(mini.parent)
    return mini


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_a_ledger_without_instruments_yaml_has_none(mini: Path) -> None:
    code, out, _ = invoke("query", "instruments", "-f", "json", "--data", str(mini))
    assert code == 0 and json.loads(out) == []
    assert invoke("validate", "--data", str(mini))[0] == 0


def test_query_instruments_filters_and_formats(ledger: Path) -> None:
    code, out, _ = invoke("query", "instruments", "-f", "json", "--data", str(ledger))
    rows = json.loads(out)
    assert code == 0 and [r["id"] for r in rows] == ["I1.1", "I1.2"]
    assert rows[0]["funded_by"] == ["B1.1"] and rows[0]["quote"] == "专项债及政策性金融工具等资金"
    assert rows[1]["beneficiaries"] == ["project", "enterprise"]
    code, out, _ = invoke(
        "query", "instruments", "basis:supporting_policy", "-f", "json", "--data", str(ledger)
    )
    assert [r["id"] for r in json.loads(out)] == ["I1.2"]
    code, out, _ = invoke("query", "instruments", "for:enterprise", "-f", "csv", "--data", str(ledger))
    assert out.splitlines()[0].lstrip("\ufeff").startswith("id,document,measure")
    assert len(out.splitlines()) == 2
    code, _, err = invoke("query", "instruments", "form:loan", "--data", str(ledger))
    assert code == 2 and "unknown form 'loan'" in err
    code, _, err = invoke("query", "instruments", "id:I9.1", "--data", str(ledger))
    assert code == 2 and "I9.1" in err and "I1.1" in err


def test_show_lists_a_measures_instruments(ledger: Path) -> None:
    code, out, _ = invoke("show", "1", "--data", str(ledger))
    assert code == 0 and "Instruments" in out and "I1.1" in out and "supporting_policy" in out


def test_a_standard_issued_and_a_payment_are_recorded_and_shown(ledger: Path) -> None:
    code, out, err = invoke(
        "progress", "add", "I1.2", "--as-of", "2023-06-30", "--number", "乐财〔2023〕3号",
        "--title", "政策性金融工具项目管理办法", "--data", str(ledger),
    )  # fmt: skip
    assert code == 0, err
    assert "progress(I1.2): 配套政策 乐财〔2023〕3号 as of 2023-06-30" in out
    code, out, err = invoke(
        "progress", "add", "I1.2", "--as-of", "2023-09-30", "--value", "120万元", "--recipients", "12",
        "--data", str(ledger),
    )  # fmt: skip
    assert code == 0, err
    assert git(ledger.parent, "show", "--name-only", "--format=", "HEAD") == "data/instruments.yaml"
    assert git(ledger.parent, "status", "--porcelain") == ""
    rows = json.loads(invoke("query", "instruments", "id:I1.2", "-f", "json", "--data", str(ledger))[1])
    assert rows[0]["standard_issued"] == "乐财〔2023〕3号"
    assert (rows[0]["paid"], rows[0]["paid_unit"], rows[0]["recipients"]) == ("120", "万元", 12)
    assert invoke("validate", "--data", str(ledger))[0] == 0


def test_log_follows_an_instrument_and_a_measure_includes_its_instruments(ledger: Path) -> None:
    invoke("progress", "add", "I1.2", "--as-of", "2023-06-30", "--number", "乐财〔2023〕3号",
           "--title", "政策性金融工具项目管理办法", "--data", str(ledger))  # fmt: skip
    invoke("progress", "add", "I1.1", "--as-of", "2023-09-30", "--value", "50万元", "--data", str(ledger))
    code, out, err = invoke("log", "I1.2", "--data", str(ledger))
    assert code == 0, err
    assert "progress(I1.2): 配套政策 乐财〔2023〕3号" in out and "I1.1" not in out
    assert "+ document_number: 乐财〔2023〕3号" in out
    code, out, _ = invoke("log", "1", "--data", str(ledger))
    assert "progress(I1.2)" in out and "progress(I1.1)" in out
    code, _, err = invoke("log", "I9.9", "--data", str(ledger))
    assert code == 2 and "instrument (I19.1)" in err


def test_progress_list_gives_an_instruments_entries_in_every_format(ledger: Path) -> None:
    invoke("progress", "add", "I1.2", "--as-of", "2023-06-30", "--number", "乐财〔2023〕3号",
           "--title", "政策性金融工具项目管理办法", "--data", str(ledger))  # fmt: skip
    invoke("progress", "add", "I1.2", "--as-of", "2023-09-30", "--value", "120万元", "--recipients", "12",
           "--data", str(ledger))  # fmt: skip
    code, out, _ = invoke("progress", "list", "I1.2", "--data", str(ledger))
    assert code == 0 and "兑现 120万元, 12 recipients" in out and "配套政策 乐财〔2023〕3号" in out
    rows = json.loads(invoke("progress", "list", "1", "-f", "json", "--data", str(ledger))[1])
    assert [(r["id"], r["kind"]) for r in rows] == [("I1.2", "paid"), ("I1.2", "standard_issued")]
    assert rows[0]["recipients"] == 12 and rows[1]["document_number"] == "乐财〔2023〕3号"
    assert "status" in rows[0] and "title" not in rows[0]  # instrument keys only where they apply
    csv_text = invoke("progress", "list", "-f", "csv", "--data", str(ledger))[1]
    assert "I1.2,standard_issued," in csv_text and ",乐财〔2023〕3号,政策性金融工具项目管理办法," in csv_text


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--value", "120万元", "--number", "X"], "one per entry"),
        (["--value", "120亩"], "give it in 元, 万元 or 亿元"),
        (["--number", "乐财〔2023〕3号"], "needs its document_number and title"),
        (["--recipients", "012"], "--recipients '012'"),
        (["--done"], "takes no status"),
    ],
)
def test_an_instrument_entry_that_does_not_fit_is_refused_in_one_line(
    ledger: Path, args: list[str], words: str
) -> None:
    before = (ledger / "instruments.yaml").read_bytes()
    code, _, err = invoke("progress", "add", "I1.1", "--as-of", "2023-06-30", *args, "--data", str(ledger))
    assert code == 2 and words in err and err.count("\n") == 1
    assert (ledger / "instruments.yaml").read_bytes() == before


def record_standard_and_payment(ledger: Path) -> None:
    for args in (
        ["--as-of", "2023-06-30", "--number", "乐财〔2023〕3号", "--title", "政策性金融工具项目管理办法"],
        ["--as-of", "2023-09-30", "--value", "120万元", "--recipients", "12"],
    ):
        code, _, err = invoke("progress", "add", "I1.2", *args, "--data", str(ledger))
        assert code == 0, err


def test_status_counts_standards_issued_and_pending_per_lead_bureau(ledger: Path) -> None:
    out = invoke("status", "-f", "json", "--as-of", "2023-12-31", "--data", str(ledger))[1]
    (before,) = json.loads(out)["instruments"]
    assert (before["lead"], before["instruments"], before["deferring"]) == ("市发改局", 2, 1)
    assert (before["issued"], before["pending"], before["paid"]) == (0, 1, 0)
    record_standard_and_payment(ledger)
    out = invoke("status", "-f", "json", "--as-of", "2023-12-31", "--data", str(ledger))[1]
    (after,) = json.loads(out)["instruments"]
    assert (after["issued"], after["pending"], after["paid"]) == (1, 0, 1)
    earlier = json.loads(invoke("status", "-f", "json", "--as-of", "2023-07-31", "--data", str(ledger))[1])
    assert earlier["instruments"][0]["paid"] == 0  # 兑现 dated 2023-09-30 is not yet there on 07-31
    out = invoke("status", "--as-of", "2023-12-31", "--data", str(ledger))[1]
    assert "配套政策 and 兑现 per lead bureau" in out and "市发改局" in out


def test_status_gives_payments_per_instrument_on_the_date(ledger: Path) -> None:
    out = invoke("status", "-f", "json", "--as-of", "2023-12-31", "--data", str(ledger))[1]
    assert json.loads(out)["payments"] == []
    record_standard_and_payment(ledger)
    out = invoke("status", "-f", "json", "--as-of", "2023-12-31", "--data", str(ledger))[1]
    (paid,) = json.loads(out)["payments"]
    assert (paid["id"], paid["paid"], paid["unit"], paid["recipients"]) == ("I1.2", "120", "万元", 12)
    assert paid["as_of"] == "2023-09-30" and paid["funded_by"] == []
    early = invoke("status", "-f", "json", "--as-of", "2023-07-31", "--data", str(ledger))[1]
    assert json.loads(early)["payments"] == []
    out = invoke("status", "--as-of", "2023-12-31", "--data", str(ledger))[1]
    assert "兑现 per instrument" in out
    line = next(line for line in out.splitlines() if line.startswith(" I1.2 "))
    assert "120万元" in line and "12" in line and "2023-09-30" in line
    out = invoke("status", "-f", "json", "--as-of", "2023-12-31", "--area", "2", "--data", str(ledger))[1]
    assert json.loads(out)["payments"] == []  # area 2 has none of them


def test_status_json_of_a_ledger_without_instruments_has_no_instruments_key(mini: Path) -> None:
    out = invoke("status", "-f", "json", "--as-of", "2023-12-31", "--data", str(mini))[1]
    assert "instruments" not in json.loads(out) and "payments" not in json.loads(out)


def test_report_shows_standards_and_payments(ledger: Path) -> None:
    record_standard_and_payment(ledger)
    code, out, _ = invoke("report", "--as-of", "2023-12-31", "--data", str(ledger))
    assert code == 0
    section = out.split("## Instruments", 1)[1].split("\n## ", 1)[0]
    assert "| 市发改局 |" in section
    assert "兑现 (万元)" in section  # one unit for the column, named in its header
    row = "| I1.2 | 政策性金融工具 | financing | supporting_policy | 乐财〔2023〕3号 |           120 |"
    assert row in section
    assert lint(out) == []


def test_status_of_one_area_counts_that_areas_instruments_only(real: Path) -> None:
    out = invoke("status", "--area", "3", "-f", "json", "--as-of", "2023-12-31", "--data", str(real))[1]
    assert [b["lead"] for b in json.loads(out)["instruments"]] == ["市经信局"]


def test_show_gives_an_instruments_standard_and_payment(ledger: Path) -> None:
    record_standard_and_payment(ledger)
    out = invoke("show", "1", "--data", str(ledger))[1]
    section = out.split("Instruments", 1)[1]
    assert "乐财〔2023〕3号" in section.replace("\n", "").replace(" ", "") and "120万元" in section


STANDARD = "按项目资本金的10%给予补助"


def test_an_issued_standard_is_carried_by_the_instrument(ledger: Path) -> None:
    code, _, err = invoke(
        "progress", "add", "I1.2", "--as-of", "2023-06-30", "--number", "乐财〔2023〕3号",
        "--title", "政策性金融工具项目管理办法", "--standard", STANDARD, "--data", str(ledger),
    )  # fmt: skip
    assert code == 0, err
    rows = json.loads(invoke("query", "instruments", "id:I1.2", "-f", "json", "--data", str(ledger))[1])
    assert (rows[0]["standard_issued"], rows[0]["standard"]) == ("乐财〔2023〕3号", STANDARD)
    code, out, _ = invoke("show", "1", "--data", str(ledger))
    assert f"I1.2 standard (乐财〔2023〕3号): {STANDARD}" in out
    code, _, err = invoke("progress", "add", "I1.2", "--as-of", "2023-07-31", "--standard", "x",
                          "--data", str(ledger))  # fmt: skip
    assert code == 2 and "needs its document_number and title" in err


def test_payments_under_an_instrument_feed_its_allocations_paid_out(ledger: Path) -> None:
    def paid_out(allocation: str) -> str | None:
        out = invoke("show", "1", "-f", "json", "--as-of", "2023-12-31", "--data", str(ledger))[1]
        shown = json.loads(out)
        return next(a["paid_out"] for a in shown["budget"]["allocations"] if a["id"] == allocation)

    assert paid_out("B1.1") is None
    # I1.1 is funded by B1.1 alone: what it paid out (万元) counts for B1.1, in B1's unit (亿元)
    invoke("progress", "add", "I1.1", "--as-of", "2023-06-30", "--value", "5000万元", "--data", str(ledger))
    invoke("progress", "add", "I1.1", "--as-of", "2023-09-30", "--recipients", "4", "--data", str(ledger))
    assert paid_out("B1.1") == "0.5"
    out = invoke("show", "1", "--as-of", "2023-12-31", "--data", str(ledger))[1]
    assert "Paid out" in out and "0.5亿元" in out
    # the allocation's own disbursement is the finance bureau's figure: it is not added to the 兑现
    invoke("progress", "add", "B1.1", "--as-of", "2023-10-31", "--value", "6.2", "--data", str(ledger))
    assert paid_out("B1.1") == "6.2"


def test_a_payment_written_in_a_unit_that_is_not_money_is_not_paid_out(ledger: Path) -> None:
    # progress add refuses it; a hand edit can write it, and then it counts for nothing, never a traceback
    path = ledger / "instruments.yaml"
    text = path.read_text(encoding="utf-8")
    entry = (
        "    progress:\n      - as_of: 2023-06-30\n        kind: paid\n        value: 5\n        unit: 亩\n"
    )
    path.write_text(
        text.replace(
            "    quote: 专项债及政策性金融工具等资金\n", "    quote: 专项债及政策性金融工具等资金\n" + entry
        )
    )
    code, out, err = invoke("show", "1", "-f", "json", "--as-of", "2023-12-31", "--data", str(ledger))
    assert code == 0, err
    b11 = json.loads(out)["budget"]["allocations"][0]
    assert (b11["id"], b11["paid_out"]) == ("B1.1", None)
