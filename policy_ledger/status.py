"""Where each target stands on a date: achieved, on track, behind, no data, overdue or no report.

The rules, in the words the README repeats:

- Only entries dated on or before the as-of date count; the latest of them is the reading (for a
  quantity, the latest with a value).
- A milestone is achieved when its latest status is ``done``. Past its deadline it is otherwise overdue
  when it has an entry, and no report when it has none; before it, ``in_progress`` is on track,
  ``dropped`` is behind, and no entry is no data.
- A quantity *meets* its value by its comparator: at least / exactly → reading ≥ value; about →
  reading ≥ 95 % of value (左右 allows a little short); at most → reading ≤ value.
- A cumulative quantity (亿元, 亩, 家, … anything counted up over the year) that meets its value is
  achieved. Otherwise, past the deadline it is overdue; before it, it is on track when the reading is at
  least the value times the share of the period elapsed (a straight line from the period's start to the
  deadline), else behind.
- A rate or level (%, 折, 倍, a pure ratio such as 1.75 or 2/3), and any at-most target, cannot be
  pro-rated: before the deadline it is on track when it meets its value, else behind; from the deadline
  on it is achieved or overdue.
- No reading at all (no entry, or for a quantity no entry with a value): no data before the deadline,
  no report after it. Overdue is kept for a target whose latest entry falls short after the deadline:
  "never reported" is not "failed".
- A multi-year aim (``horizon``: 中长期内, 未定期限) has no deadline, so it is never overdue nor no
  report: it is achieved once it meets its value (a milestone: once done), no data without a reading, and
  otherwise on track, or behind for a rate or level below its value and a milestone dropped; nothing is
  pro-rated.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from .amounts import Number
from .ledger import Ledger
from .models import ProgressEntry, Target

#: Units of rates and levels, which are compared as they stand rather than pro-rated over the period.
LEVEL_UNITS = frozenset({"%", "折", "倍", None})
ABOUT_TOLERANCE = Fraction(95, 100)


class State(StrEnum):
    ACHIEVED = "achieved"
    ON_TRACK = "on track"
    BEHIND = "behind"
    NO_DATA = "no data"
    OVERDUE = "overdue"
    NO_REPORT = "no report"


STATE_ORDER = (State.ACHIEVED, State.ON_TRACK, State.BEHIND, State.NO_DATA, State.OVERDUE, State.NO_REPORT)


@dataclass(frozen=True)
class TargetStatus:
    target: Target
    state: State
    latest: ProgressEntry | None
    due: date | None  # None for a multi-year aim (horizon)
    #: what a straight line from the period's start would have reached by the as-of date (cumulative only)
    expected: Number | None = None


def meets(reading: Number, value: Number, comparator: str | None) -> bool:
    if comparator == "at_most":
        return reading <= value
    if comparator == "about":
        return Fraction(reading) >= Fraction(value) * ABOUT_TOLERANCE
    return reading >= value


def elapsed_share(start: date, due: date, as_of: date) -> Fraction:
    """How much of the time from ``start`` to ``due`` has passed on ``as_of``, between 0 and 1."""
    if due <= start:
        return Fraction(1)
    share = Fraction((as_of - start).days, (due - start).days)
    return min(max(share, Fraction(0)), Fraction(1))


def pro_rated(ledger: Ledger, target: Target, as_of: date) -> Fraction | None:
    """What a straight line from the period's start (0) to the deadline (the value) reaches on ``as_of``.

    Only a cumulative quantity with a deadline has one: a milestone has no number, a rate or level (and
    an at-most target) is judged as it stands, and a multi-year aim has no deadline to draw the line to.
    """
    due = ledger.due(target)
    if target.value is None or due is None or judged_as_it_stands(target):
        return None
    document = ledger.document(target.document)
    start = document.period.start if document else due
    return Fraction(target.value) * elapsed_share(start, due, as_of)


def judged_as_it_stands(target: Target) -> bool:
    """A rate, a level or a ceiling is met or not on the day it is read; only an amount accumulated over
    the period from nothing is measured against a straight line."""
    return bool(target.level) or target.unit in LEVEL_UNITS or target.comparator == "at_most"


def expected_by_now(ledger: Ledger, target: Target, as_of: date) -> Number | None:
    """``pro_rated`` to two decimal places, for a reader: what the target should show on ``as_of``."""
    expected = pro_rated(ledger, target, as_of)
    return None if expected is None else _as_decimal(expected)


def target_status(ledger: Ledger, target: Target, as_of: date) -> TargetStatus:
    due = ledger.due(target)
    entries = target.progress if target.is_milestone else [e for e in target.progress if e.value is not None]
    latest = max((e for e in entries if e.as_of <= as_of), key=lambda entry: entry.as_of, default=None)
    past_due = due is not None and as_of > due
    if latest is None:
        return TargetStatus(target, State.NO_REPORT if past_due else State.NO_DATA, latest, due)
    if target.is_milestone:
        if latest.status == "done":
            state = State.ACHIEVED
        elif past_due:
            state = State.OVERDUE
        else:
            state = State.BEHIND if latest.status == "dropped" else State.ON_TRACK
        return TargetStatus(target, state, latest, due)
    assert target.value is not None and latest.value is not None  # a quantity's entries have values
    reading: Number = latest.value
    met = meets(reading, target.value, target.comparator)
    if judged_as_it_stands(target):
        if due is not None and as_of >= due:
            state = State.ACHIEVED if met else State.OVERDUE
        else:
            state = State.ON_TRACK if met else State.BEHIND
        return TargetStatus(target, state, latest, due)
    if met:
        return TargetStatus(target, State.ACHIEVED, latest, due)
    if past_due:
        return TargetStatus(target, State.OVERDUE, latest, due)
    if due is None:  # no schedule to measure the reading against
        return TargetStatus(target, State.ON_TRACK, latest, due)
    expected = pro_rated(ledger, target, as_of)
    assert expected is not None  # a cumulative quantity with a deadline
    state = State.ON_TRACK if Fraction(reading) >= expected else State.BEHIND
    return TargetStatus(target, state, latest, due, _as_decimal(expected))


def _as_decimal(value: Fraction) -> Number:
    """A pro-rated expectation to two decimal places, for display next to the reading."""
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class AreaSummary:
    area: int
    title: str
    leads: tuple[str, ...]
    counts: Counter[State]
    #: the area's document (said in a status of several documents)
    document: str | None = None

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def ledger_status(
    ledger: Ledger,
    as_of: date,
    area: int | None = None,
    document_id: str | None = None,
    only: Collection[str] | None = None,
) -> tuple[list[TargetStatus], list[AreaSummary]]:
    """Every target's state on ``as_of`` (optionally one area's) and the counts per area.

    ``only``: the ids of the targets to judge (those a lead bureau answers for); the areas then are those
    that hold any of them, each counting only those.
    """
    statuses = [
        target_status(ledger, target, as_of)
        for target in ledger.targets
        if (document_id is None or target.document == document_id)
        and (area is None or ledger.area_of(target) == area)
        and (only is None or target.id in only)
    ]
    summaries = [
        AreaSummary(
            record.number,
            record.title,
            tuple(record.leads),
            Counter(
                s.state
                for s in statuses
                if ledger.area_of(s.target) == record.number and s.target.document == record.document
            ),
            record.document,
        )
        for record in ledger.areas
        if (area is None or record.number == area) and (document_id is None or record.document == document_id)
    ]
    if only is not None:
        summaries = [summary for summary in summaries if summary.total]
    return statuses, summaries
