"""Exact amounts in the document's own units.

Money is summed across 元, 万元 and 亿元 exactly (1亿 = 10000万); other units never convert. Numbers are
``Decimal`` (or ``Fraction`` for the text's 2/3 and 半数) and are printed the way the document writes
them: ``31.5亿元``, ``5580万元``, ``2/3``.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

Number = Decimal | Fraction


class ExactDecimal(Decimal):
    """A number read from YAML as a Decimal that remembers how it was written (``5.0`` stays ``5.0``)."""

    text: str

    def __new__(cls, text: str) -> ExactDecimal:
        value = super().__new__(cls, text.replace("_", ""))
        value.text = text
        return value


#: Money units and their size in 元. 亿美元 is a different currency and is deliberately absent.
MONEY_UNITS: dict[str, int] = {"元": 1, "万元": 10_000, "亿元": 100_000_000}

#: Every unit the document uses after a number. A unit outside this set is almost always a typo.
KNOWN_UNITS: frozenset[str] = frozenset(
    {
        *MONEY_UNITS,
        "亿美元",
        "%",
        "倍",
        "折",
        "亩",
        "万亩",
        "万千瓦",
        "万吨",
        "万吨标准煤",
        "标箱",
        "家",
        "户",
        "名",
        "个",
        "条",
        "台",
        "张",
        "场",
        "人次",
        "万人",
        "套（间）",
        "项",
        "所",
        "年",
    }
)


def is_money(unit: str | None) -> bool:
    return unit in MONEY_UNITS


def convert(value: Number, from_unit: str, to_unit: str) -> Number:
    """Convert between money units exactly; raises ``ValueError`` for units that do not convert."""
    if from_unit == to_unit:
        return value
    if from_unit not in MONEY_UNITS or to_unit not in MONEY_UNITS:
        raise ValueError(f"cannot convert {from_unit} to {to_unit}")
    factor = Decimal(MONEY_UNITS[from_unit]) / Decimal(MONEY_UNITS[to_unit])
    if isinstance(value, Fraction):
        return value * Fraction(factor)
    return value * factor


def format_number(value: Number) -> str:
    """``Decimal('31.50')`` → ``31.5``; ``Decimal('5.0')`` as written in YAML stays ``5.0``."""
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}"
    text = getattr(value, "text", None)  # an ExactDecimal remembers its spelling
    if text is not None:
        return str(text)
    if value == value.to_integral_value():
        return format(value.quantize(Decimal(1)), "f")
    return format(value.normalize(), "f")


def format_amount(value: Number, unit: str | None) -> str:
    """The document's own notation: number and unit with no space (``31.5亿元``)."""
    return f"{format_number(value)}{unit or ''}"


#: How a target's value is meant, as one sign before the amount (``≥ 40亿元``).
COMPARATOR_SIGNS = {"at_least": "≥", "at_most": "≤", "about": "≈", "exactly": "="}


def describe_quantity(value: Number | None, unit: str | None, comparator: str | None) -> str:
    """``≥ 40亿元`` for a quantity, ``milestone`` for a deliverable (no value)."""
    if value is None:
        return "milestone"
    return f"{COMPARATOR_SIGNS[comparator or 'exactly']} {format_amount(value, unit)}"


def format_ranges(numbers: list[int]) -> str:
    """``[1, 2, 3, 7]`` → ``1-3, 7``: how messages name a set of area or measure numbers."""
    groups: dict[int, list[int]] = {}
    for index, number in enumerate(sorted(numbers)):
        groups.setdefault(number - index, []).append(number)
    return ", ".join(f"{g[0]}-{g[-1]}" if len(g) > 1 else f"{g[0]}" for g in groups.values())


def share(part: Decimal, whole: Decimal) -> Decimal:
    """``part`` as a percentage of ``whole``, to one decimal place (display only)."""
    if whole == 0:
        return Decimal(0)
    return (part * 100 / whole).quantize(Decimal("0.1"))
