"""The models refuse what would corrupt the ledger: floats, text amounts, unknown fields, bad shapes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from pydantic import ValidationError

from policy_ledger.models import Budget, ProgressEntry, Target


def target(**changes: Any) -> dict[str, Any]:
    record = {
        "id": "17.1",
        "document": "lezhengfa-2023-6",
        "measure": 17,
        "what": "新增制造业中长期贷款",
        "value": 40,
        "unit": "亿元",
        "comparator": "at_least",
        "commitment": "stretch",
        "quote": "2023年力争全市新增制造业中长期贷款40亿元以上",
    }
    record.update(changes)
    return {k: v for k, v in record.items() if v is not None}


def test_a_valid_target_keeps_exact_values() -> None:
    model = Target.model_validate(target(value=Decimal("23.5")))
    assert model.value == Decimal("23.5") and isinstance(model.value, Decimal)
    assert not model.is_milestone


@pytest.mark.parametrize("bad", [40.0, "40", True])
def test_amounts_refuse_floats_text_and_booleans(bad: Any) -> None:
    with pytest.raises(ValidationError):
        Target.model_validate(target(value=bad))


def test_fractions_are_written_in_quotes() -> None:
    assert Target.model_validate(target(value="2/3", unit=None)).value == Fraction(2, 3)
    with pytest.raises(ValidationError):
        Target.model_validate(target(value="2/0", unit=None))


@pytest.mark.parametrize(
    "changes",
    [
        {"extra": 1},
        {"comparator": "more"},
        {"commitment": "maybe"},
        {"measure": None},  # belongs to nothing
        {"area": 3},  # belongs to both
        {"id": "18.1"},  # id not of its measure
        {"id": 17.1},  # an unquoted id
        {"comparator": None},  # a value without comparator
        {"value": None},  # a milestone with unit and comparator
        {"deadline_text": "1-6月"},  # deadline words without a date
        {"deadline": "2023-06-30"},  # a date as text
        {"measure": 0},
    ],
)
def test_target_shape_errors(changes: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        Target.model_validate(target(**changes))


def test_milestone_has_no_value_unit_or_comparator() -> None:
    model = Target.model_validate(target(value=None, unit=None, comparator=None))
    assert model.is_milestone


def test_progress_entry_has_a_value_or_a_status() -> None:
    ProgressEntry.model_validate({"as_of": date(2023, 6, 30), "value": Decimal("23.5"), "unit": "亿元"})
    ProgressEntry.model_validate({"as_of": date(2023, 6, 30), "status": "done"})
    with pytest.raises(ValidationError):
        ProgressEntry.model_validate({"as_of": date(2023, 6, 30)})
    with pytest.raises(ValidationError):
        ProgressEntry.model_validate({"as_of": date(2023, 6, 30), "value": 1, "status": "done"})


def test_budget_ids_follow_their_measure() -> None:
    budget = {
        "id": "B1",
        "document": "d",
        "measure": 1,
        "total": Decimal("1"),
        "unit": "亿元",
        "quote": "q",
        "allocations": [{"id": "B1.1", "label": "x", "amount": 1, "quote": "q"}],
    }
    Budget.model_validate(budget)
    with pytest.raises(ValidationError):
        Budget.model_validate({**budget, "id": "B2"})
    with pytest.raises(ValidationError):
        Budget.model_validate({**budget, "allocations": [{**budget["allocations"][0], "id": "B2.1"}]})
    with pytest.raises(ValidationError):
        Budget.model_validate({**budget, "allocations": []})
