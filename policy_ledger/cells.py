"""Text cells of targets, progress and budgets, shared by the views: ``ledger show``, tables, the report.

The view side of ``queries``: it turns records into the short strings people read (``≥ 40亿元``,
``23.5亿元 (2023-06-30)``, ``no data``), in the words of ``words``. It imports neither rich nor tabulate,
so that ``ledger show`` stays quick to start.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from . import words
from .amounts import Number, exact_sum, format_amount
from .ledger import Ledger
from .models import Budget, ProgressEntry, Target
from .status import TargetStatus

#: The columns of ``target_cells``.
TARGET_WORDS = ("ID", "WHAT", "VALUE", "COMMITMENT", "DUE", "LATEST", "STATE")


def target_headers() -> list[str]:
    """The headers of ``target_cells``, in the reader's language."""
    return [getattr(words, name) for name in TARGET_WORDS]


def describe_quantity(value: Number | None, unit: str | None, comparator: str | None) -> str:
    """``≥ 40亿元`` for a quantity, ``milestone`` for a deliverable (no value)."""
    if value is None:
        return words.MILESTONE
    return words.quantity(comparator, format_amount(value, unit))


def reading(value: Number | None, unit: str | None, status: str | None) -> str:
    """A progress entry's reading: its value with its unit, or a milestone's status."""
    return words.value(status or "") if value is None else format_amount(value, unit)


def describe_progress(entry: ProgressEntry | None) -> str:
    """``23.5亿元 (2023-06-30)``, or ``no data``."""
    if entry is None:
        return words.NO_DATA
    return f"{reading(entry.value, entry.unit, entry.status)} ({entry.as_of.isoformat()})"


def describe_entry(entry: Any, unit: str | None) -> str:
    """One entry as a short phrase, for ``ledger progress list`` and commit messages: ``23.5亿元``,
    ``done``, an instrument's ``配套政策 乐经信〔2023〕12号`` or its ``兑现 120万元, 12 recipients``."""
    kind = getattr(entry, "kind", None)
    if kind == "standard_issued":
        return f"配套政策 {entry.document_number}"
    if kind == "paid":
        parts = [format_amount(entry.value, entry.unit)] if entry.value is not None else []
        parts += [words.recipients(entry.recipients)] if entry.recipients is not None else []
        return "兑现 " + ", ".join(parts)
    if entry.value is None:
        return str(entry.status)
    return format_amount(entry.value, unit)


def due(day: date | None, wording: str | None, horizon: str | None = None) -> str:
    """``2023-06-30 (2023年迎峰度夏前)``: the deadline, with the document's own words for it; a multi-year
    aim's horizon (``中长期内``) where it has no deadline."""
    if day is None and horizon:
        return horizon
    text = day.isoformat() if day else words.NONE
    return f"{text} ({wording})" if wording else text


def status_goal(status: TargetStatus) -> str:
    """What a target asks and by when, in ``ledger status``: ``≥ 40亿元 by 2023-12-31``, ``≥ 1000亿元
    (未定期限)``."""
    target = status.target
    goal = describe_quantity(target.value, target.unit, target.comparator)
    if target.horizon is not None:
        return goal + words.over_horizon(target.horizon)
    if target.deadline is not None and status.due is not None:
        return goal + words.by_date(status.due.isoformat())
    return goal


def expected_cell(status: TargetStatus) -> str:
    """What a straight line expects by the date (``19.78亿元``); empty where nothing is pro-rated."""
    return "" if status.expected is None else format_amount(status.expected, status.target.unit)


def target_cells(target: Target, status: TargetStatus) -> list[str]:
    """One target as the text cells of ``ledger show`` (``target_headers``); the report lays out its own."""
    return [
        target.id,
        target.what,
        describe_quantity(target.value, target.unit, target.comparator),
        words.commitment(target.commitment),
        due(status.due, target.deadline_text, target.horizon),
        describe_progress(status.latest),
        words.state(status.state),
    ]


@dataclass(frozen=True)
class AllocationTable:
    """A budget's allocations as the text cells ``ledger show`` prints; the report lays out its own."""

    headers: list[str]
    rows: list[list[str]]
    footer: list[str]  # the sum of the allocations, whether it meets the total, and what is paid out


def allocation_table(ledger: Ledger, budget: Budget, as_of: date) -> AllocationTable:
    """Amounts in their own units, shares of the total, and a "Paid out" column once money is paid."""
    disbursed = [ledger.paid_out(budget, allocation, as_of) for allocation in budget.allocations]
    show_paid = any(amount is not None for amount in disbursed)
    rows = []
    for allocation, amount in zip(budget.allocations, disbursed, strict=True):
        row = [
            allocation.id,
            allocation.label,
            format_amount(allocation.amount, budget.unit_of(allocation)),
            words.percent(budget.share_of(allocation)),
        ]
        if show_paid:
            row.append(words.NONE if amount is None else format_amount(amount, budget.unit))
        rows.append(row)
    total = budget.allocated()
    footer = [
        "",
        words.SUM_OF_ALLOCATIONS,
        words.NONE if total is None else format_amount(total, budget.unit),
        words.SUMS_TO_TOTAL
        if total == budget.total
        else words.not_equal(format_amount(budget.total, budget.unit)),
    ]
    headers = [words.ID, words.ALLOCATION, words.AMOUNT, words.SHARE]
    if show_paid:
        headers.append(words.PAID_OUT)
        footer.append(format_amount(exact_sum(a for a in disbursed if a is not None), budget.unit))
    return AllocationTable(headers, rows, footer)


def text_bar(part: int, whole: int, width: int) -> str:
    """A bar of block characters: readable without colour, in a pipe, a log or a Markdown table."""
    filled = 0 if whole == 0 else round(width * part / whole)
    return "█" * filled + "░" * (width - filled)
