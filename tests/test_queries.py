"""Questions answered from the real data: every filter, the budget statement and the export."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from policy_ledger.filters import answer
from policy_ledger.ledger import Ledger
from policy_ledger.loader import load_ledger
from policy_ledger.problems import LedgerError
from policy_ledger.queries import MeasureRow, Written, budget_statement, export_ledger

from .conftest import REAL_DATA

#: Area 3 (“415X”先进制造业集群培育政策, led by 市经信局): its goals and the targets of measures 15-20.
AREA_3_TARGETS = [
    "A3.1",
    "A3.2",
    "A3.3",
    "15.2",
    "16.1",
    "16.2",
    "17.1",
    "17.2",
    "17.3",
    "17.4",
    "17.5",
    "17.6",
    "18.1",
    "18.2",
    "18.3",
    "18.4",
    "18.5",
    "19.1",
    "19.2",
    "19.3",
    "20.1",
    "20.2",
    "20.3",
    "20.4",
]


@pytest.fixture(scope="module")
def ledger() -> Ledger:
    loaded, problems = load_ledger(REAL_DATA)
    assert problems == []
    return loaded


def ids(ledger: Ledger, *terms: str, table: str = "targets", **options: str | None) -> list[str]:
    rows = answer(ledger, table, list(terms), dict(options))
    return [str(row.number if isinstance(row, MeasureRow) else row.id) for row in rows]


def test_lead_jingxin_is_exactly_area_3(ledger: Ledger) -> None:
    # D1, the document's own milestone, is every lead bureau's
    assert ids(ledger, lead="经信") == ["D1", *AREA_3_TARGETS]
    assert ids(ledger, "lead:市经信局") == ["D1", *AREA_3_TARGETS]
    measures = {row.measure for row in answer(ledger, "targets", [], {"lead": "经信"})}
    assert measures == {None, 15, 16, 17, 18, 19, 20}


def test_lead_also_finds_targets_whose_text_names_the_bureau(real: Path) -> None:
    targets = real / "targets.yaml"
    text = targets.read_text(encoding="utf-8")
    text = text.replace("what: 累计储备专项债券项目资金需求", "what: 经信局会同储备专项债券项目资金需求", 1)
    targets.write_text(text, encoding="utf-8")
    edited, _ = load_ledger(real)
    assert ids(edited, lead="经信") == ["D1", "2.1", *AREA_3_TARGETS]
    assert ids(edited, lead="发改")[:3] == ["D1", "A1.1", "A1.2"]


def test_lead_of_an_area_with_two_bureaus(ledger: Ledger) -> None:
    areas = {row.area for row in answer(ledger, "targets", [], {"lead": "发改"})}
    assert areas == {None, 1, 4, 7}  # 市发改局 leads 1 and 4, shares 7 with 市农业农村局, and D1
    assert {row.area for row in answer(ledger, "targets", [], {"lead": "农业农村"})} == {None, 7}


def test_area_option_and_term(ledger: Ledger) -> None:
    assert ids(ledger, area="3") == AREA_3_TARGETS
    assert ids(ledger, "area:3") == AREA_3_TARGETS
    assert ids(ledger, table="measures", area="3") == ["15", "16", "17", "18", "19", "20"]


def test_unit(ledger: Ledger) -> None:
    mu = answer(ledger, "targets", [], {"unit": "亩"})
    assert len(mu) == 13 and {row.unit for row in mu} == {"亩"}
    assert "3.1" in [row.id for row in mu]
    assert ids(ledger, "unit:%") == ids(ledger, "unit:％")


def test_commitment_words_and_the_datas_words(ledger: Ledger) -> None:
    firm = ids(ledger, commitment="确保")
    assert firm == ids(ledger, commitment="firm")
    assert len(firm) == 9 and "3.1" in firm and "17.2" in firm
    assert len(ids(ledger, commitment="力争")) == 57
    assert len(ids(ledger, commitment="plain")) == 89


def test_comparator(ledger: Ledger) -> None:
    about = ids(ledger, comparator="左右")
    assert about == ids(ledger, comparator="about")
    assert len(about) == 6 and "A1.4" in about
    assert len(ids(ledger, comparator="以内")) == 3


def test_kind(ledger: Ledger) -> None:
    assert len(ids(ledger, kind="milestone")) == 58
    assert len(ids(ledger, kind="quantitative")) == 97
    assert ids(ledger, "not:kind:milestone") == ids(ledger, kind="quantitative")


def test_due_before(ledger: Ledger) -> None:
    assert ids(ledger, **{"due-before": "2023-07-01"}) == ["5.1", "43.4"]
    assert ids(ledger, "due:<2023-07-01", commitment="确保") == ["5.1"]
    assert ids(ledger, "due:>2023-12-31") == ["20.4", "32.1", "32.2", "32.4"]


def test_text_in_chinese_or_not(ledger: Ledger) -> None:
    loans = ids(ledger, text="贷款")
    assert {"2.2", "17.1"} <= set(loans)
    assert ids(ledger, text="lng") == ids(ledger, text="LNG") == ["5.1"]
    assert ids(ledger, "text:reits", table="measures") == ["5"]


def test_has_budget(ledger: Ledger) -> None:
    budgeted = answer(ledger, "targets", [], {"has-budget": "yes"})
    # a budget's total is a budget, not a target: 15.2 is the one target of a budgeted measure
    assert {row.measure for row in budgeted} == {15}
    rest = answer(ledger, "targets", [], {"has-budget": "no"})
    assert len(budgeted) + len(rest) == 155
    assert ids(ledger, table="measures", **{"has-budget": "yes"}) == [
        "1",
        "6",
        "15",
        "21",
        "28",
        "34",
        "42",
        "52",
    ]


def test_value_in_money_converts_across_units(ledger: Ledger) -> None:
    # 5000万元 = 0.5亿元: every money target from 0.5亿元 up, whichever unit the text uses
    rows = answer(ledger, "targets", ["value:>=5000万元"], {})
    assert {row.unit for row in rows} <= {"亿元", "万元"}
    assert "17.1" in [row.id for row in rows]
    small = answer(ledger, "targets", ["unit:万元,亿元", "value:<5000万元"], {})
    assert all(row.id not in {r.id for r in rows} for row in small)
    assert len(rows) + len(small) == len(answer(ledger, "targets", ["unit:万元,亿元"], {}))


def test_measures_by_target_count_and_budget(ledger: Ledger) -> None:
    assert ids(ledger, "budget:>=10亿元", table="measures") == ["1", "28", "42"]
    many = answer(ledger, "measures", ["targets:>=5"], {})
    assert all(len(row.targets) >= 5 for row in many) and "17" in [str(r.number) for r in many]


def test_budgets_by_total_and_unit(ledger: Ledger) -> None:
    assert ids(ledger, "total:<1亿元", table="budgets") == ["B21", "B34"]
    assert ids(ledger, "unit:万元", table="budgets") == ["B21", "B34"]
    assert ids(ledger, table="budgets", lead="经信") == ["B15"]


def test_sort_and_limit(ledger: Ledger) -> None:
    rows = answer(ledger, "targets", ["unit:亩"], {}, sort="-value", limit=3)
    assert [(row.id, row.value) for row in rows] == [
        ("44.6", Decimal(7000)),
        ("3.1", Decimal(5000)),
        ("19.1", Decimal(1800)),
    ]
    assert answer(ledger, "targets", [], {}, limit=0) == []
    assert [row.id for row in answer(ledger, "budgets", [], {}, sort="-total", limit=2)] == ["B1", "B28"]


def test_the_issues_example_answers_with_nothing_and_that_is_not_an_error(ledger: Ledger) -> None:
    terms = ["lead:经信", "unit:亿元", "due:<2023-07-01", "commitment:确保"]
    assert answer(ledger, "targets", terms, {}) == []


def test_unknown_values_are_usage_errors(ledger: Ledger) -> None:
    with pytest.raises(LedgerError) as caught:
        answer(ledger, "targets", [], {"area": "9"})
    assert (caught.value.exit_code, caught.value.message) == (2, "--area: no area 9; areas are 1-8")
    with pytest.raises(LedgerError) as caught:
        answer(ledger, "targets", ["unit:吨"], {})
    assert "units: % " in caught.value.message and "亿元" in caught.value.message


def test_rows_hold_exact_numbers(ledger: Ledger) -> None:
    (row,) = answer(ledger, "targets", ["id:17.3"], {})
    assert str(row.value) == "1/2" and row.deadline == date(2023, 12, 31)
    assert row.area == 3 and row.leads == ("市经信局",) and row.budget is None


def test_budget_statement_in_yi(ledger: Ledger) -> None:
    statement = budget_statement(ledger, "亿元")
    assert statement.gross_total == Decimal("75.538")
    assert statement.stated_total == Decimal("48.08")
    assert statement.overlap == Decimal("27.458")
    assert statement.net_of_overlaps is True
    b21 = next(b for b in statement.budgets if b.id == "B21")
    assert b21.total == Decimal("0.558") and b21.written == Written(amount=Decimal(5580), unit="万元")
    assert sum(area.total for area in statement.areas) == statement.gross_total


def test_budget_statement_in_wan(ledger: Ledger) -> None:
    statement = budget_statement(ledger, "万元")
    b1 = statement.budgets[0]
    assert (b1.id, b1.measure, b1.total) == ("B1", 1, Decimal(315000))
    assert [a.amount for a in b1.allocations][:2] == [Decimal(148000), Decimal(35000)]
    assert (statement.gross_total, statement.stated_total, statement.overlap) == (
        Decimal(755380),
        Decimal(480800),
        Decimal(274580),
    )
    assert [area.area for area in statement.areas] == list(range(1, 9))


def test_budget_statement_refuses_a_unit_that_is_not_money(ledger: Ledger) -> None:
    with pytest.raises(LedgerError) as caught:
        budget_statement(ledger, "亩")
    assert caught.value.exit_code == 2 and "元, 万元, 亿元" in caught.value.message


def test_export_holds_every_record(ledger: Ledger) -> None:
    export = export_ledger(ledger)
    assert (export.format, export.version) == ("policy-ledger-export", 1)
    counts = {
        name: len(getattr(export, name)) for name in ("documents", "areas", "measures", "targets", "budgets")
    }
    assert counts == {"documents": 1, "areas": 8, "measures": 57, "targets": 155, "budgets": 8}
    assert sum(len(b.allocations) for b in export.budgets) == 38
    assert all(t.progress == () for t in export.targets)
