"""Exact money conversion and the document's own notation."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from policy_ledger.amounts import ExactDecimal, convert, format_amount, format_number, share


def test_yi_and_wan_convert_exactly() -> None:
    assert convert(Decimal("31.5"), "亿元", "万元") == Decimal("315000")
    assert convert(Decimal("5580"), "万元", "亿元") == Decimal("0.558")
    assert convert(Decimal("0.01"), "元", "万元") == Decimal("0.000001")


def test_units_that_are_not_money_do_not_convert() -> None:
    with pytest.raises(ValueError):
        convert(Decimal(1), "亿美元", "亿元")
    with pytest.raises(ValueError):
        convert(Decimal(1), "亩", "万亩")


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (Decimal("31.50"), "亿元", "31.5亿元"),
        (Decimal("5580"), "万元", "5580万元"),
        (Decimal("75.538"), "亿元", "75.538亿元"),
        (Decimal("1E+2"), "亿元", "100亿元"),
        (ExactDecimal("5.0"), None, "5.0"),
        (Fraction(2, 3), None, "2/3"),
    ],
)
def test_amounts_print_as_the_document_writes_them(value: Decimal, unit: str | None, text: str) -> None:
    assert format_amount(value, unit) == text


def test_share_is_a_percentage_to_one_place() -> None:
    assert share(Decimal("14.8"), Decimal("31.5")) == Decimal("47.0")
    assert share(Decimal(1), Decimal(0)) == Decimal(0)
    assert format_number(share(Decimal(1), Decimal(3))) == "33.3"
