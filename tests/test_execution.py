"""What is paid out of each budget by a date, and the execution rate (执行率): the library answer
(``queries.execution``), ``ledger budgets`` in every format and the budgets of ``ledger export``.

The ledger is a copy of the real data with disbursements and 兑现 written into it, dated so that an
as-of date before, between and after them gives different answers:

- B1.1 (亿元) reports 6.2 on 2023-06-30 and 16 on 2023-12-31, more than its 14.8;
- B21.1 (万元) reports 150 on 2023-06-30;
- B21.2 has no disbursement: I21.2, which it alone funds, reports 兑现 of 100万元 on 2023-09-30;
- B21.3 has none either: I22.1 reports 0.01亿元 on 2023-06-30 and I24.2 50万元 on 2023-09-30, both
  funded by B21.3 alone, so B21.3 paid out 100万元, then 150万元.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from policy_ledger.cli import app
from policy_ledger.ledger import Ledger
from policy_ledger.loader import load_ledger
from policy_ledger.problems import LedgerError
from policy_ledger.queries import Execution, budget_statement, execution, export_ledger

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("fixed_terminal")

BEFORE, MIDYEAR, AUTUMN, YEAR_END = (
    date(2023, 1, 1),
    date(2023, 6, 30),
    date(2023, 9, 30),
    date(2023, 12, 31),
)


def disburse(data: Path, allocation: str, *entries: tuple[str, str]) -> None:
    """Write disbursements (date, value in the allocation's unit) under an allocation of budgets.yaml."""
    path = data / "budgets.yaml"
    lines = path.read_text(encoding="utf-8").split("\n")
    start = lines.index(f"      - id: {allocation}")
    quote = next(i for i in range(start, len(lines)) if lines[i].startswith("        quote: "))
    written = ["        progress:"]
    for day, value in entries:
        written += [f"          - as_of: {day}", f"            value: {value}"]
    lines[quote + 1 : quote + 1] = written
    path.write_text("\n".join(lines), encoding="utf-8")


def pay(data: Path, instrument: str, *entries: tuple[str, str, str]) -> None:
    """Write 兑现 entries (date, value, unit) under an instrument of instruments.yaml."""
    path = data / "instruments.yaml"
    lines = path.read_text(encoding="utf-8").split("\n")
    start = lines.index(f'  - id: "{instrument}"')
    quote = next(i for i in range(start, len(lines)) if lines[i].startswith("    quote: "))
    written = ["    progress:"]
    for day, value, unit in entries:
        written += [
            f"      - as_of: {day}",
            "        kind: paid",
            f"        value: {value}",
            f"        unit: {unit}",
        ]
    lines[quote + 1 : quote + 1] = written
    path.write_text("\n".join(lines), encoding="utf-8")


@pytest.fixture
def paid(real: Path) -> Path:
    disburse(real, "B1.1", ("2023-06-30", "6.2"), ("2023-12-31", "16"))
    disburse(real, "B21.1", ("2023-06-30", "150"))
    pay(real, "I21.2", ("2023-09-30", "100", "万元"))
    pay(real, "I22.1", ("2023-06-30", "0.01", "亿元"))
    pay(real, "I24.2", ("2023-09-30", "50", "万元"))
    return real


def load(data: Path) -> Ledger:
    ledger, problems = load_ledger(data, use_cache=False)
    assert not [p for p in problems if p.severity.name == "ERROR"], problems
    return ledger


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def money(amount: str, paid_out: str, unit: str, percent: str, allocations: int, reported: int) -> Execution:
    return Execution(
        amount=Decimal(amount),
        paid_out=Decimal(paid_out),
        unit=unit,
        execution_percent=Decimal(percent),  # type: ignore[arg-type]  # a Percent equals its Decimal
        allocations=allocations,
        reported=reported,
    )


# --- the library answer ---------------------------------------------------------------------------


def test_each_budget_is_answered_in_its_own_unit(paid: Path) -> None:
    answer = execution(load(paid), YEAR_END)
    b1, b21 = (next(b for b in answer.budgets if b.id == name) for name in ("B1", "B21"))
    assert b1.execution == money("31.5", "16", "亿元", "50.8", 7, 1)
    # an allocation over its amount: the rate is above 100%, not capped
    assert b1.allocations[0].execution == money("14.8", "16", "亿元", "108.1", 1, 1)
    assert b1.allocations[1].execution == money("3.5", "0", "亿元", "0.0", 1, 0)
    # B21 stays in 万元, the unit the document uses for it:
    # 150 + 100 (兑现) + 100 + 50 (兑现, 0.01亿元 → 100万元)
    assert b21.execution == money("5580", "400", "万元", "7.2", 3, 3)
    assert [a.execution.paid_out for a in b21.allocations] == [Decimal(150), Decimal(100), Decimal(150)]
    assert b21.allocations[2].execution.execution_percent == Decimal("3.1")  # 150 of 4880


def test_areas_and_the_total_are_in_one_unit_beside_the_stated_total(paid: Path) -> None:
    answer = execution(load(paid), YEAR_END, "亿元")
    areas = {area.area: area for area in answer.areas}
    assert areas[1].execution == money("31.5", "16", "亿元", "50.8", 7, 1)
    assert areas[4].execution == money("0.558", "0.04", "亿元", "7.2", 3, 3)
    assert areas[4].budgets == ("B21",)
    assert answer.gross == money("75.538", "16.04", "亿元", "21.2", 38, 4)
    assert (answer.stated_total, answer.net_of_overlaps) == (Decimal("48.08"), True)
    in_wan = execution(load(paid), YEAR_END, "万元")
    assert in_wan.gross == money("755380", "160400", "万元", "21.2", 38, 4)
    assert in_wan.stated_total == Decimal(480800)
    assert in_wan.budgets[0].execution.unit == "亿元"  # a budget keeps its own unit


def test_the_date_decides_which_entries_count(paid: Path) -> None:
    ledger = load(paid)
    before = execution(ledger, BEFORE)
    assert before.gross == money("75.538", "0", "亿元", "0.0", 38, 0)
    assert all(b.execution.paid_out == 0 and b.execution.reported == 0 for b in before.budgets)
    midyear = execution(ledger, MIDYEAR)
    b21 = next(b for b in midyear.budgets if b.id == "B21")
    # B21.2's 兑现 and I24.2's come later; B21.3 has I22.1's 0.01亿元 only
    assert [a.execution.paid_out for a in b21.allocations] == [Decimal(150), Decimal(0), Decimal(100)]
    assert b21.execution == money("5580", "250", "万元", "4.5", 3, 2)
    assert midyear.budgets[0].execution == money("31.5", "6.2", "亿元", "19.7", 7, 1)
    # 6.2 (B1.1) + 0.015 (B21.1) + 0.01 (I21.2 for B21.2) + 0.01 + 0.005 (I22.1 and I24.2 for B21.3)
    assert execution(ledger, AUTUMN).gross.paid_out == Decimal("6.24")


def test_an_own_disbursement_is_not_added_to_the_instruments_payments(paid: Path) -> None:
    disburse(paid, "B21.2", ("2023-12-31", "300"))
    b21 = next(b for b in execution(load(paid), YEAR_END).budgets if b.id == "B21")
    assert b21.allocations[1].execution.paid_out == Decimal(300)  # not 300 + I21.2's 100


def test_a_payment_in_a_unit_that_is_not_money_counts_for_nothing(real: Path) -> None:
    pay(real, "I21.2", ("2023-09-30", "5", "亩"))
    ledger, _ = load_ledger(real, use_cache=False)
    b21 = next(b for b in execution(ledger, YEAR_END).budgets if b.id == "B21")
    assert b21.allocations[1].execution == money("500", "0", "万元", "0.0", 1, 0)


def test_a_unit_that_is_not_money_is_a_usage_error(paid: Path) -> None:
    with pytest.raises(LedgerError) as caught:
        execution(load(paid), YEAR_END, "亩")
    assert caught.value.exit_code == 2 and "--unit must be a money unit" in caught.value.message


# --- ledger budgets -------------------------------------------------------------------------------


def test_budget_statement_carries_paid_out_in_its_unit(paid: Path) -> None:
    statement = budget_statement(load(paid), "万元", as_of=YEAR_END)
    assert statement.as_of == YEAR_END
    b1 = statement.budgets[0]
    assert (b1.paid_out, b1.execution_percent, b1.allocations_reported) == (
        Decimal(160000),
        Decimal("50.8"),
        1,
    )
    b11 = b1.allocations[0]
    assert (b11.paid_out, b11.execution_percent, b11.reported) == (Decimal(160000), Decimal("108.1"), True)
    assert (b1.allocations[1].paid_out, b1.allocations[1].reported) == (Decimal(0), False)
    area4 = next(a for a in statement.areas if a.area == 4)
    assert (area4.paid_out, area4.allocation_count, area4.allocations_reported) == (Decimal(400), 3, 3)
    assert (statement.paid_out_total, statement.execution_percent) == (Decimal(160400), Decimal("21.2"))
    assert (statement.allocation_count, statement.allocations_reported) == (38, 4)


def test_budgets_table_shows_paid_out_rate_and_reports(paid: Path) -> None:
    code, out, err = invoke("budgets", "--as-of", "2023-12-31", "--data", str(paid))
    assert (code, err) == (0, "")
    assert "Paid out by 2023-12-31, in 亿元" in out
    assert "Paid out per area and in total by 2023-12-31, in 亿元" in out
    rows = {line.split()[0]: line.split() for line in out.splitlines() if line.split()[:1]}
    assert rows["B1.1"][-3:] == ["14.8亿元", "16亿元", "108.1%"]
    assert rows["B1.2"][-3:] == ["3.5亿元", "—", "—"]  # nothing recorded: not shown as paid 0
    b1 = [line.split() for line in out.splitlines() if line.split()[:1] == ["B1"]]
    assert b1[-1][-6:] == ["31.5亿元", "16亿元", "50.8%", "1", "of", "7"]
    gross = next(line for line in out.splitlines() if "Gross sum of 8 budgets" in line and "%" in line)
    assert gross.split()[-6:] == ["75.538亿元", "16.04亿元", "21.2%", "4", "of", "38"]
    stated = [line for line in out.splitlines() if "Stated total (net of overlaps)" in line]
    assert len(stated) == 2 and all("48.08亿元" in line for line in stated)


def test_budgets_before_any_entry_report_nothing_paid(paid: Path) -> None:
    code, out, _ = invoke("budgets", "--as-of", "2023-01-01", "-f", "json", "--data", str(paid))
    statement = json.loads(out)
    assert code == 0 and statement["as_of"] == "2023-01-01"
    assert (statement["paid_out_total"], statement["execution_percent"]) == ("0", "0.0")
    assert (statement["allocation_count"], statement["allocations_reported"]) == (38, 0)
    assert {a["reported"] for b in statement["budgets"] for a in b["allocations"]} == {False}


def test_budgets_json_yaml_and_csv_agree(paid: Path) -> None:
    args = ("budgets", "--unit", "万元", "--as-of", "2023-12-31", "--data", str(paid))
    statement = json.loads(invoke(*args, "-f", "json")[1])
    assert YAML(typ="safe", pure=True).load(invoke(*args, "-f", "yaml")[1]) == statement
    b21 = next(b for b in statement["budgets"] if b["id"] == "B21")
    assert (b21["paid_out"], b21["execution_percent"], b21["allocations_reported"]) == ("400", "7.2", 3)
    b21_1 = b21["allocations"][0]
    assert (b21_1["amount"], b21_1["paid_out"], b21_1["execution_percent"], b21_1["reported"]) == (
        "200",
        "150",
        "75.0",
        True,
    )
    assert (statement["paid_out_total"], statement["execution_percent"]) == ("160400", "21.2")
    result = runner.invoke(app, [*args, "-f", "csv"])
    rows = list(csv.DictReader(io.StringIO(result.stdout_bytes.decode("utf-8-sig"))))
    by_id = {(row["kind"], row["id"] or row["label"]): row for row in rows}
    paid_columns = ("paid_out", "execution_percent", "allocations", "allocations_reported")
    assert [by_id["budget", "B21"][c] for c in paid_columns] == ["400", "7.2", "3", "3"]
    assert [by_id["allocation", "B1.2"][c] for c in paid_columns] == ["0", "0.0", "1", "0"]
    assert [by_id["area", "现代服务业高质量发展政策"][c] for c in paid_columns] == ["400", "7.2", "3", "3"]
    assert [by_id["gross", "gross sum of all budgets"][c] for c in paid_columns] == [
        "160400",
        "21.2",
        "38",
        "4",
    ]
    assert [by_id["stated", "stated total"][c] for c in paid_columns] == ["", "", "", ""]


def test_budgets_markdown_has_the_paid_out_tables(paid: Path) -> None:
    code, out, _ = invoke("budgets", "--as-of", "2023-12-31", "-f", "markdown", "--data", str(paid))
    assert code == 0
    assert "## Paid out by 2023-12-31, in 亿元" in out
    paid_out = out.split("## Paid out by 2023-12-31, in 亿元")[1]
    cells = {}
    for line in paid_out.splitlines():
        if line.startswith("|"):
            row = [cell.strip() for cell in line.strip("|").split("|")]
            cells[row[0]] = row[1:]
    assert cells["B1.1"] == ["综合交通基础设施", "14.8亿元", "16亿元", "108.1%", ""]
    assert cells["B1"][-1] == "1 of 7"


@pytest.mark.parametrize("command", ["budgets", "export"])
@pytest.mark.parametrize("day", ["2023-13-01", "yesterday", "", "2023-06-30T00:00"])
def test_a_bad_as_of_is_a_usage_error(real: Path, command: str, day: str) -> None:
    code, out, err = invoke(command, "--as-of", day, "--data", str(real))
    assert (code, out) == (2, "")
    assert err.startswith(f"ledger: --as-of '{day}': ") and err.count("\n") == 1
    assert "write YYYY-MM-DD" in err or "write one such as 2023-06-30" in err or "write only the date" in err


def test_budgets_default_to_today(paid: Path) -> None:
    statement = json.loads(invoke("budgets", "-f", "json", "--data", str(paid))[1])
    assert statement["as_of"] == date.today().isoformat()
    assert statement["paid_out_total"] == "16.04"  # every entry is in the past


# --- ledger export --------------------------------------------------------------------------------


def test_export_budgets_carry_paid_out_in_their_units(paid: Path) -> None:
    export = export_ledger(load(paid), MIDYEAR)
    assert export.as_of == MIDYEAR
    b21 = next(b for b in export.budgets if b.id == "B21")
    assert (b21.unit, b21.paid_out, b21.execution_percent, b21.allocations_reported) == ("万元", 250, 4.5, 2)
    assert [(a.paid_out, a.reported) for a in b21.allocations] == [(150, True), (0, False), (100, True)]


def test_export_json_and_csv_tables(paid: Path, tmp_path: Path) -> None:
    code, out, _ = invoke("export", "--as-of", "2023-12-31", "--data", str(paid))
    document = json.loads(out)
    assert code == 0 and document["as_of"] == "2023-12-31"
    b1 = document["budgets"][0]
    assert (b1["paid_out"], b1["execution_percent"], b1["allocations_reported"]) == ("16", "50.8", 1)
    assert {k: b1["allocations"][0][k] for k in ("paid_out", "execution_percent", "reported")} == {
        "paid_out": "16",
        "execution_percent": "108.1",
        "reported": True,
    }
    code, _, _ = invoke(
        "export", "-f", "csv", "--as-of", "2023-12-31", "-o", str(tmp_path / "csv"), "--data", str(paid)
    )
    assert code == 0

    def table(name: str) -> dict[str, dict[str, str]]:
        text = (tmp_path / "csv" / f"{name}.csv").read_text(encoding="utf-8-sig")
        return {row["id"]: row for row in csv.DictReader(io.StringIO(text))}

    b21 = table("budgets")["B21"]
    assert (b21["paid_out"], b21["execution_percent"], b21["allocations_reported"]) == ("400", "7.2", "3")
    allocations = table("allocations")
    assert [allocations["B21.3"][c] for c in ("unit", "paid_out", "execution_percent", "reported")] == [
        "万元",
        "150",
        "3.1",
        "true",
    ]
    assert allocations["B1.2"]["paid_out"] == "0" and allocations["B1.2"]["reported"] == "false"


def test_the_library_gives_execution_at_the_top_level(paid: Path) -> None:
    import policy_ledger

    assert "execution" in policy_ledger.__all__
    answer = policy_ledger.execution(load(paid), YEAR_END)
    assert (answer.gross.execution_percent, answer.gross.reported) == (Decimal("21.2"), 4)
