"""Numbers and dates as people type them on the command line, read into the ledger's one spelling.

The data files admit one spelling per value (``amounts.parse_number``, ``models.parse_day``), and stay
that way. A person at a Chinese keyboard types ``２３．５亿``, ``1,000``, ``2023/9/30`` or ``2023年9月30日``;
the readers here take what is unambiguous, return the canonical text (``23.5亿元``, ``1000``,
``2023-09-30``) with what they changed, so that the command can say so, and refuse what could mean two
things (``1,00``, ``23/9/30``, ``9/10/2023``) or nothing (``2023-02-30``) in one ``ValueError`` line that
says what to write. Whatever they accept goes through the strict parsers last: an entry written from
typed input is exactly what the data files admit.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

from . import words
from .amounts import ExactDecimal, excerpt, parse_number
from .messages import Refusal
from .models import parse_day

T = TypeVar("T")

#: What a Chinese keyboard types by default, and what it stands for: full-width digits, point, comma,
#: percent sign, minus and slash. (The ideographic space is a space already, to ``strip`` and ``\s``.)
_FULL_WIDTH = str.maketrans(
    {chr(0xFF10 + digit): str(digit) for digit in range(10)}
    | {"．": ".", "，": ",", "％": "%", "－": "-", "／": "/"}
)
#: A value as typed, number then unit. The number part is loose on purpose: ``parse_number`` refuses
#: what it should not be (an exponent, ``_``, a plus sign), each with its own reason.
_VALUE = re.compile(r"([-+]?[\d.][\d._,eE+-]*)\s*(\D*?)")
#: Thousands separators, in groups of three after a first group of one to three digits.
_GROUPED = re.compile(r"-?[1-9][0-9]{0,2}(?:,[0-9]{3})+(?:\.[0-9]+)?")
#: Money written without 元: ``30亿`` is 30亿元 when the record counts money.
_SHORT_MONEY = {"亿": "亿元", "万": "万元"}

_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: Year first, one separator used twice: 2023-9-30, 2023/9/30, 2023.9.30.
_YEAR_FIRST = re.compile(r"([0-9]{4})([-/.])([0-9]{1,2})\2([0-9]{1,2})")
#: The Chinese way: 2023年9月30日 (日 or 号 may be left off).
_CHINESE_DAY = re.compile(r"([0-9]{4})\s*年\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*[日号]?")
#: What is refused for being ambiguous: the year last (9/30/2023), a two-digit year, no day.
_YEAR_LAST = re.compile(r"([0-9]{1,2})([-/.])([0-9]{1,2})\2([0-9]{4})")
_SHORT_YEAR = re.compile(
    r"[0-9]{1,2}([-/.])[0-9]{1,2}\1[0-9]{1,2}|[0-9]{2}\s*年\s*[0-9]{1,2}\s*月\s*[0-9]{1,2}\s*[日号]?"
)
_MONTH_ONLY = re.compile(r"([0-9]{4})(?:[-/.]([0-9]{1,2})|\s*年\s*([0-9]{1,2})\s*月)")


class NotANumber(ValueError):
    """The text is not a number with a unit at all (``abc``): the caller says what to write."""


@dataclass(frozen=True)
class Typed(Generic[T]):
    """What a person typed, read: the value, its canonical text, and what reading it changed."""

    value: T
    #: the canonical spelling, as the data files write it (``23.5亿元``, ``2023-09-30``)
    text: str
    #: what was typed, without the spaces around it
    typed: str
    #: what was changed to reach the canonical spelling, in words (``words.TYPED_*``); empty: nothing
    changes: tuple[str, ...] = ()
    #: the unit typed after a number (or with --unit), made canonical; None: no unit given
    unit: str | None = None


def _fold(text: str) -> tuple[str, list[str]]:
    """``text`` without surrounding spaces and with full-width characters made ASCII; what changed."""
    typed = text.strip()
    folded = typed.translate(_FULL_WIDTH).strip()
    return folded, [words.TYPED_FULL_WIDTH] if folded != typed else []


def read_amount(text: str, *, money: bool = False) -> Typed[ExactDecimal]:
    """A number with an optional unit, as typed: ``２３．５亿`` → 23.5 and 亿元 when ``money``.

    Accepts full-width digits and ``．，％``, thousands separators in groups of three (``1,000``,
    ``1，000``), and, where the record counts money, ``亿``/``万`` for ``亿元``/``万元``. Refuses ``1,00``
    (ambiguous) and everything ``parse_number`` refuses, with one line; raises ``NotANumber`` when the
    text is not a number at all.
    """
    folded, changes = _fold(text)
    match = _VALUE.fullmatch(folded)
    if match is None:
        raise NotANumber(f"'{excerpt(text.strip())}' is not a number")
    number, unit_text = match.groups()
    if "," in number:
        if _GROUPED.fullmatch(number) is None:
            raise ValueError(words.ambiguous_separators(excerpt(text.strip()), _comma_readings(number)))
        number = number.replace(",", "")
        changes.append(words.TYPED_THOUSANDS)
    value = parse_number(number)
    unit = None
    if unit_text:
        unit, unit_changes = _unit(unit_text, money)
        changes += unit_changes
    return Typed(value, f"{number}{unit or ''}", text.strip(), tuple(changes), unit)


def read_unit(text: str, *, money: bool = False) -> Typed[str]:
    """A unit as typed (``--unit ％``, ``--unit 亿``): ``%``, and ``亿元`` where the record counts money."""
    folded, changes = _fold(text)
    unit, unit_changes = _unit(folded, money)
    return Typed(unit, unit, text.strip(), tuple(changes + unit_changes), unit)


def _unit(unit: str, money: bool) -> tuple[str, list[str]]:
    if money and unit in _SHORT_MONEY:
        return _SHORT_MONEY[unit], [words.typed_unit(unit, _SHORT_MONEY[unit])]
    return unit, []


def _comma_readings(number: str, *, whole: bool = False) -> list[str]:
    """What a number with misplaced commas might mean, each spelled canonically: ``1,00`` → 100, 1.00
    (only 100 when ``whole``: a count has no point)."""
    readings = [number.replace(",", "")]
    if number.count(",") == 1 and "." not in number and not whole:
        readings.append(number.replace(",", "."))
    plain = []
    for reading in readings:
        try:
            plain.append(parse_number(reading).text)
        except ValueError:
            continue
    return plain


def read_count(text: str) -> Typed[str]:
    """A count as typed (``１２``, ``1,200``): its ASCII digits, for ``models.parse_record_number``."""
    folded, changes = _fold(text)
    if "," in folded:
        if _GROUPED.fullmatch(folded) is None or "." in folded:
            readings = _comma_readings(folded, whole=True)
            raise ValueError(words.ambiguous_separators(excerpt(text.strip()), readings))
        folded = folded.replace(",", "")
        changes.append(words.TYPED_THOUSANDS)
    return Typed(folded, folded, text.strip(), tuple(changes))


def read_day(text: str) -> Typed[date]:
    """A date as typed: ``2023-09-30``, ``2023/9/30``, ``2023.9.30``, ``2023-9-30``, ``2023年9月30日``,
    full-width digits too, read as ``2023-09-30``.

    A date whose year is not first and in full (``9/30/2023``, ``23/9/30``), or that names no day
    (``2023年9月``), is refused as ambiguous; one that does not exist (``2023-02-30``), or lies outside
    the years a ledger's dates may have, as ``models.parse_day`` refuses it. One line each.
    """
    folded, changes = _fold(text)
    shown = excerpt(text.strip())
    if _ISO_DAY.fullmatch(folded):
        return Typed(parse_day(folded), folded, text.strip(), tuple(changes))
    match = _YEAR_FIRST.fullmatch(folded)
    chinese = _CHINESE_DAY.fullmatch(folded)
    parts = match.group(1, 3, 4) if match else chinese.group(1, 2, 3) if chinese else None
    if parts is not None:
        canonical = f"{int(parts[0]):04d}-{int(parts[1]):02d}-{int(parts[2]):02d}"
        try:
            day = parse_day(canonical)
        except Refusal as exc:  # quote what was typed, not what it was read as, in the reader's language
            raise ValueError(exc.shown().replace(f"'{canonical}'", f"'{shown}'", 1)) from None
        return Typed(day, canonical, text.strip(), (*changes, words.TYPED_DATE))
    year_last = _YEAR_LAST.fullmatch(folded)
    if year_last:
        first, _, second, year = year_last.groups()
        readings = _real_days(int(year), [(int(first), int(second)), (int(second), int(first))])
        raise ValueError(words.year_last(shown, readings))
    if _SHORT_YEAR.fullmatch(folded):
        raise ValueError(words.short_year(shown))
    month_only = _MONTH_ONLY.fullmatch(folded)
    if month_only:
        year, month = int(month_only.group(1)), int(month_only.group(2) or month_only.group(3))
        end = _real_days(year, [(month, calendar.monthrange(year, month)[1])]) if 1 <= month <= 12 else []
        raise ValueError(words.no_day(shown, end[0] if end else None))
    return Typed(parse_day(text.strip()), text.strip(), text.strip())  # refuses, with its own reason


def _real_days(year: int, month_days: list[tuple[int, int]]) -> list[str]:
    """The canonical spellings of those (month, day) pairs of ``year`` that are real dates, without
    repeats."""
    found: list[str] = []
    for month, day in month_days:
        spelled = f"{year:04d}-{month:02d}-{day:02d}"
        try:
            parse_day(spelled)
        except ValueError:
            continue
        if spelled not in found:
            found.append(spelled)
    return found
