"""The project's own data: complete, consistent and true to 乐政发〔2023〕6号."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from fractions import Fraction

import pytest

from policy_ledger.ledger import Ledger
from policy_ledger.loader import load_ledger
from policy_ledger.problems import Severity
from policy_ledger.validation import validate_data

from .conftest import REAL_DATA, TODAY


@pytest.fixture(scope="module")
def ledger() -> Ledger:
    loaded, problems = load_ledger(REAL_DATA)
    assert problems == []
    return loaded


def test_real_data_validates_with_only_the_overlap_information() -> None:
    report = validate_data(REAL_DATA, today=TODAY)
    assert [(p.severity, p.code) for p in report.problems] == [(Severity.INFO, "I001")]
    assert "implied overlap 27.458亿元" in report.problems[0].message


def test_document(ledger: Ledger) -> None:
    (document,) = ledger.documents
    assert document.number == "乐政发〔2023〕6号"
    assert document.title == "关于推动经济高质量发展的若干政策"
    assert document.date.isoformat() == "2023-04-03"
    assert (document.period.start.isoformat(), document.period.end.isoformat()) == (
        "2023-01-01",
        "2023-12-31",
    )
    assert document.overall_budget is not None
    assert document.overall_budget.amount == Decimal("48.08")
    assert document.overall_budget.net_of_overlaps


def test_eight_areas_with_their_leads(ledger: Ledger) -> None:
    leads = {a.number: a.leads for a in ledger.areas}
    assert sorted(leads) == list(range(1, 9))
    assert leads[3] == ["市经信局"]
    assert leads[7] == ["市农业农村局", "市发改局"]


def test_57_measures_numbered_in_area_order(ledger: Ledger) -> None:
    numbers = [m.number for m in ledger.measures]
    assert numbers == list(range(1, 58))
    areas = [m.area for m in ledger.measures]
    assert areas == sorted(areas)
    assert Counter(areas) == {1: 5, 2: 9, 3: 6, 4: 7, 5: 6, 6: 8, 7: 10, 8: 6}
    assert ledger.measure(17).title == "优化金融支持服务"  # type: ignore[union-attr]


def test_every_measure_is_followed_and_every_area_has_targets(ledger: Ledger) -> None:
    with_targets = {t.measure for t in ledger.targets if t.measure}
    budgeted = {b.measure for b in ledger.budgets}
    assert with_targets | budgeted | {i.measure for i in ledger.instruments} == set(range(1, 58))
    # a budget's total is recorded once, as the budget: these measures state nothing else to reach
    assert set(range(1, 58)) - with_targets - budgeted == {12, 13, 14}
    # and these only give (研发后补助, 国际合作机构补助, 孵化器奖励): they are instruments, not targets
    assert {i.measure for i in ledger.instruments} >= {12, 13, 14}
    assert {t.area for t in ledger.targets if t.area} == set(range(1, 9))


def test_budgets_and_their_exact_sums(ledger: Ledger) -> None:
    totals = {b.measure: (b.total, b.unit) for b in ledger.budgets}
    assert totals == {
        1: (Decimal("31.5"), "亿元"),
        6: (Decimal("2.94"), "亿元"),
        15: (Decimal("2.6"), "亿元"),
        21: (Decimal("5580"), "万元"),
        28: (Decimal("22"), "亿元"),
        34: (Decimal("9000"), "万元"),
        42: (Decimal("10.91"), "亿元"),
        52: (Decimal("4.13"), "亿元"),
    }
    for budget in ledger.budgets:
        assert budget.allocated() == budget.total
    measure_1 = next(b for b in ledger.budgets if b.measure == 1)
    assert [a.amount for a in measure_1.allocations] == [
        Decimal(x) for x in ("14.8", "3.5", "3.9", "1.2", "5", "1.8", "1.3")
    ]


def test_amounts_never_pass_through_float(ledger: Ledger) -> None:
    values = [t.value for t in ledger.targets if t.value is not None]
    values += [b.total for b in ledger.budgets] + [a.amount for b in ledger.budgets for a in b.allocations]
    assert all(isinstance(v, (Decimal, Fraction)) for v in values)


@pytest.mark.parametrize(
    ("target_id", "value", "unit", "comparator", "commitment"),
    [
        ("17.1", Decimal(40), "亿元", "at_least", "stretch"),
        ("17.2", Decimal(1000), "户", "at_least", "firm"),
        ("17.3", Fraction(1, 2), None, "at_least", "firm"),
        ("3.1", Decimal(5000), "亩", "exactly", "firm"),
        ("A7.1", Decimal("1.75"), None, "at_most", "stretch"),
        ("A8.1", Fraction(2, 3), None, "at_least", "firm"),
        ("29.2", Decimal("8.5"), "折", "exactly", "stretch"),
        ("43.4", Decimal("0.5"), "%", "at_most", "plain"),
    ],
)
def test_sample_targets(
    ledger: Ledger, target_id: str, value: object, unit: str | None, comparator: str, commitment: str
) -> None:
    target = next(t for t in ledger.targets if t.id == target_id)
    assert (target.value, target.unit, target.comparator, target.commitment) == (
        value,
        unit,
        comparator,
        commitment,
    )


def test_stated_deadlines_keep_their_words(ledger: Ledger) -> None:
    stated = {t.id: (t.deadline.isoformat(), t.deadline_text) for t in ledger.targets if t.deadline}
    assert stated["43.4"] == ("2023-06-30", "1-6月")
    assert stated["32.1"] == ("2025-12-31", "“十四五”末")
    assert stated["32.4"] == ("2024-12-31", "2024年开工")
