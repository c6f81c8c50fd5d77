"""Read-side questions about a loaded ledger, answered as plain data (no rendering, no I/O)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .amounts import convert, format_amount, format_number, share
from .checks import budget_sum
from .loader import Ledger
from .models import Allocation, Budget, Measure, ProgressEntry, Target
from .problems import LedgerError

COMPARATOR_SIGNS = {"at_least": "≥", "at_most": "≤", "about": "≈", "exactly": "="}


def pick_document(ledger: Ledger, document_id: str | None) -> str:
    """The document a command is about: the one named, or the only one the ledger holds."""
    ids = [d.id for d in ledger.documents]
    if document_id is not None:
        if document_id not in ids:
            raise LedgerError(
                f"document '{document_id}' does not exist; documents: {', '.join(ids)}", exit_code=2
            )
        return document_id
    if len(ids) == 1:
        return ids[0]
    if not ids:
        raise LedgerError("the ledger holds no documents; run `ledger validate`")
    raise LedgerError(
        f"the ledger holds {len(ids)} documents; choose one with --doc ({', '.join(ids)})",
        exit_code=2,
    )


def find_measure(ledger: Ledger, text: str, document_id: str | None = None) -> Measure:
    """Measure by number as typed by a user; a bad number is a usage error naming the valid range."""
    doc = pick_document(ledger, document_id)
    numbers = sorted(m.number for m in ledger.measures if m.document == doc)
    valid = f"{numbers[0]}-{numbers[-1]}" if numbers else "none loaded"
    try:
        number = int(text)
    except ValueError:
        number = None
    measure = ledger.measure(number, doc) if number is not None else None
    if measure is None:
        raise LedgerError(f"no measure '{text}' in {doc}; measures are numbered {valid}", exit_code=2)
    return measure


def latest_progress(target: Target) -> ProgressEntry | None:
    return max(target.progress, key=lambda entry: entry.as_of, default=None)


def describe_value(target: Target) -> str:
    """``≥ 40亿元`` for a quantity, ``milestone`` for a deliverable."""
    if target.value is None:
        return "milestone"
    sign = COMPARATOR_SIGNS[target.comparator or "exactly"]
    return f"{sign} {format_amount(target.value, target.unit)}"


def describe_progress(entry: ProgressEntry | None) -> str:
    if entry is None:
        return "no data"
    reading = entry.status if entry.value is None else format_amount(entry.value, entry.unit)
    return f"{reading} ({entry.as_of.isoformat()})"


def target_record(ledger: Ledger, target: Target) -> dict[str, Any]:
    """A target as JSON-ready data: exact numbers as strings, dates as ISO text."""
    latest = latest_progress(target)
    due = ledger.due(target)
    return {
        "id": target.id,
        "document": target.document,
        "measure": target.measure,
        "area": target.area,
        "what": target.what,
        "kind": "milestone" if target.is_milestone else "quantitative",
        "value": None if target.value is None else format_number(target.value),
        "unit": target.unit,
        "comparator": target.comparator,
        "commitment": target.commitment,
        "deadline": due.isoformat() if due else None,
        "deadline_text": target.deadline_text,
        "quote": target.quote,
        "latest_progress": None if latest is None else progress_record(latest),
    }


def progress_record(entry: ProgressEntry) -> dict[str, Any]:
    return {
        "as_of": entry.as_of.isoformat(),
        "value": None if entry.value is None else format_number(entry.value),
        "unit": entry.unit,
        "status": entry.status,
        "note": entry.note,
        "source": entry.source,
    }


def budget_record(budget: Budget) -> dict[str, Any]:
    total = budget_sum(budget)
    return {
        "id": budget.id,
        "measure": budget.measure,
        "total": format_number(budget.total),
        "unit": budget.unit,
        "quote": budget.quote,
        "allocations": [
            {
                "id": a.id,
                "label": a.label,
                "amount": format_number(a.amount),
                "unit": budget.unit_of(a),
                "share_percent": str(allocation_share(budget, a)),
                "quote": a.quote,
            }
            for a in budget.allocations
        ],
        "allocated": None if total is None else format_number(total),
        "sums_to_total": total == budget.total,
    }


def allocation_share(budget: Budget, allocation: Allocation) -> Decimal:
    """The allocation's share of its budget's total, in percent to one decimal place."""
    amount = Decimal(convert(allocation.amount, budget.unit_of(allocation), budget.unit))
    return share(amount, budget.total)


def measure_record(ledger: Ledger, measure: Measure) -> dict[str, Any]:
    """Everything ``ledger show`` prints, as data (``ledger show N --format json``)."""
    area = ledger.area(measure.area, measure.document)
    budget = ledger.budget_of(measure)
    return {
        "document": measure.document,
        "number": measure.number,
        "title": measure.title,
        "area": None
        if area is None
        else {"number": area.number, "title": area.title, "leads": list(area.leads)},
        "text": measure.text,
        "targets": [target_record(ledger, t) for t in ledger.targets_of(measure)],
        "budget": None if budget is None else budget_record(budget),
    }
