"""Read-side questions about a loaded ledger, answered as plain data (no rendering, no I/O)."""

from __future__ import annotations

from datetime import date
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


def target_record(ledger: Ledger, target: Target, as_of: date | None = None) -> dict[str, Any]:
    """A target as JSON-ready data: exact numbers as strings, dates as ISO text.

    With ``as_of``, the latest entry is the latest on that date and the state is judged then.
    """
    from .status import target_status

    status = target_status(ledger, target, as_of) if as_of else None
    latest = status.latest if status else latest_progress(target)
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
        **({"state": status.state.value} if status else {}),
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


def paid_out(budget: Budget, allocation: Allocation, as_of: date) -> Decimal | None:
    """The latest cumulative disbursement of ``allocation`` on ``as_of``, in the budget's unit."""
    dated = [e for e in allocation.progress if e.as_of <= as_of and e.value is not None]
    latest = max(dated, key=lambda entry: entry.as_of, default=None)
    if latest is None or latest.value is None:
        return None
    return Decimal(convert(latest.value, budget.unit_of(allocation), budget.unit))


def budget_record(budget: Budget, as_of: date | None = None) -> dict[str, Any]:
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
                **({"paid_out": _number_or_none(paid_out(budget, a, as_of))} if as_of else {}),
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


def _number_or_none(value: Decimal | None) -> str | None:
    return None if value is None else format_number(value)


def measure_record(ledger: Ledger, measure: Measure, as_of: date | None = None) -> dict[str, Any]:
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
        "as_of": None if as_of is None else as_of.isoformat(),
        "targets": [target_record(ledger, t, as_of) for t in ledger.targets_of(measure)],
        "budget": None if budget is None else budget_record(budget, as_of),
    }


def check_area(ledger: Ledger, number: int, document_id: str) -> None:
    """A usage error naming the valid areas when ``number`` is not one of them."""
    numbers = sorted(a.number for a in ledger.areas if a.document == document_id)
    if number not in numbers:
        raise LedgerError(
            f"no area {number} in {document_id}; areas are {', '.join(map(str, numbers))}", exit_code=2
        )


def progress_rows(ledger: Ledger, ref: str | None, document_id: str | None = None) -> list[dict[str, Any]]:
    """Every progress entry and disbursement (of the records ``ref`` names), newest first."""
    from .history import resolve_records

    wanted = set(resolve_records(ledger, ref, document_id)) if ref is not None else None
    rows = []
    for target in ledger.targets:
        if wanted is None or target.id in wanted:
            rows += [
                {"id": target.id, "what": target.what, "kind": "progress", **progress_record(e)}
                for e in target.progress
            ]
    for budget in ledger.budgets:
        for allocation in budget.allocations:
            if wanted is None or allocation.id in wanted:
                rows += [
                    {
                        "id": allocation.id,
                        "what": allocation.label,
                        "kind": "disbursement",
                        **progress_record(e),
                    }
                    for e in allocation.progress
                ]
    rows.sort(key=lambda row: (row["as_of"], row["id"]), reverse=True)
    return rows


def status_record(ledger: Ledger, as_of: date, statuses: list[Any], summaries: list[Any]) -> dict[str, Any]:
    """``ledger status --format json``: every target's state and the counts per area."""
    from .status import STATE_ORDER

    return {
        "as_of": as_of.isoformat(),
        "targets": [
            {
                **target_record(ledger, s.target, as_of),
                "expected_by_now": None if s.expected is None else format_number(s.expected),
            }
            for s in statuses
        ],
        "areas": [
            {
                "area": summary.area,
                "title": summary.title,
                "leads": list(summary.leads),
                "targets": summary.total,
                **{state.value: summary.counts.get(state, 0) for state in STATE_ORDER},
            }
            for summary in summaries
        ],
    }
