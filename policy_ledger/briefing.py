"""What a director reads first before a quarterly 督查: counts per lead bureau, and what needs attention.

Typed answers only (``report`` words and lays them out). The rules of 需关注, which the report's caption
repeats in the reader's language:

- **overdue**: past its deadline and not achieved (逾期未完成, or 未报送 when nothing was ever reported);
- **behind**: 滞后 (below the straight line from the period's start to the deadline, a rate below its
  value, a milestone dropped);
- **due soon**: a milestone not done whose deadline falls within ``DUE_SOON_DAYS`` of the as-of date;
- **silent**: not achieved, and no progress entry for more than ``SILENT_DAYS`` (a quarter): its latest
  entry is older than that, or it has none although reporting began that long ago. Reporting begins
  when the document is issued (or its period starts, if later): nothing could be reported before;
- **low execution**: a budget whose 执行率 is below ``LOW_EXECUTION_RATIO`` of the share of its period
  elapsed, once ``LOW_EXECUTION_FROM`` of the period has passed. Money is paid out unevenly (much of it
  at the year's end), so only a rate well below the calendar is a concern, and none in the first quarter.

A target is named once, under the first of overdue, behind, due soon and silent that applies.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from .ledger import Ledger
from .models import Document
from .queries import BudgetExecution
from .status import State, TargetStatus, elapsed_share

SILENT_DAYS = 92  # a quarter: the longest quarter has 92 days
DUE_SOON_DAYS = 90
LOW_EXECUTION_RATIO = Fraction(1, 2)
LOW_EXECUTION_FROM = Fraction(1, 4)


class Concern(StrEnum):
    OVERDUE = "overdue"
    BEHIND = "behind"
    DUE_SOON = "due soon"
    SILENT = "silent"


@dataclass(frozen=True)
class TargetConcern:
    concern: Concern
    status: TargetStatus
    leads: tuple[str, ...]
    #: the day of the latest progress entry on or before the as-of date (None: never reported)
    last_reported: date | None


@dataclass(frozen=True)
class BudgetConcern:
    budget: BudgetExecution
    leads: tuple[str, ...]


@dataclass(frozen=True)
class Attention:
    targets: tuple[TargetConcern, ...]
    budgets: tuple[BudgetConcern, ...]
    #: the day reporting began: a target never reported is silent from ``SILENT_DAYS`` after it
    reporting_from: date
    #: the share of the budgets' period elapsed on the as-of date, in percent to one place
    elapsed_percent: Decimal
    #: the 执行率 under which a budget is a concern (``LOW_EXECUTION_RATIO`` of ``elapsed_percent``);
    #: None before ``LOW_EXECUTION_FROM`` of the period has passed
    execution_floor: Decimal | None


def reporting_from(document: Document) -> date:
    """The first day a progress entry can have been due: the document's issue, or its period's start."""
    return max(document.date, document.period.start)


def _percent(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) * 100 / Decimal(value.denominator)).quantize(Decimal("0.1"))


def last_reported(status: TargetStatus, as_of: date) -> date | None:
    """The day of the target's latest entry of any kind dated by ``as_of`` (a status counts too)."""
    return max((e.as_of for e in status.target.progress if e.as_of <= as_of), default=None)


def _concern(status: TargetStatus, as_of: date, start: date) -> Concern | None:
    if status.state in (State.OVERDUE, State.NO_REPORT):
        return Concern.OVERDUE
    if status.state is State.BEHIND:
        return Concern.BEHIND
    if status.state is State.ACHIEVED:
        return None
    due = status.due
    if status.target.is_milestone and due is not None and as_of <= due <= as_of + timedelta(DUE_SOON_DAYS):
        return Concern.DUE_SOON
    since = last_reported(status, as_of) or start
    return Concern.SILENT if (as_of - since).days > SILENT_DAYS else None


def needs_attention(
    ledger: Ledger,
    document: Document,
    statuses: Iterable[TargetStatus],
    budgets: Iterable[BudgetExecution],
    as_of: date,
) -> Attention:
    """The targets and budgets that need a director's attention on ``as_of``, in the order given."""
    start = reporting_from(document)
    targets = []
    for status in statuses:
        concern = _concern(status, as_of, start)
        if concern is not None:
            leads = ledger.leads_of(status.target)
            targets.append(TargetConcern(concern, status, leads, last_reported(status, as_of)))
    elapsed = elapsed_share(document.period.start, document.period.end, as_of)
    floor = None if elapsed < LOW_EXECUTION_FROM else _percent(elapsed * LOW_EXECUTION_RATIO)
    concerns = []
    for budget in budgets:
        if floor is not None and budget.execution.execution_percent < floor:
            area = None if budget.area is None else ledger.area(budget.area, document.id)
            concerns.append(BudgetConcern(budget, tuple(area.leads) if area else ()))
    return Attention(tuple(targets), tuple(concerns), start, _percent(elapsed), floor)


def counts_by_lead(ledger: Ledger, statuses: Iterable[TargetStatus]) -> dict[str, Counter[State]]:
    """Targets counted by state per lead bureau, in the order the areas name them; a target that several
    bureaus answer for (an area with two leads, the document's own D1) counts for each."""
    counts: dict[str, Counter[State]] = {}
    for area in ledger.areas:
        for lead in area.leads:
            counts.setdefault(lead, Counter())
    for status in statuses:
        for lead in ledger.leads_of(status.target):
            counts.setdefault(lead, Counter())[status.state] += 1
    return {lead: counted for lead, counted in counts.items() if counted}
