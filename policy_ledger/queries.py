"""Read-side questions about a loaded ledger, answered as plain data (no rendering, no I/O)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .amounts import MONEY_UNITS, convert, describe_quantity, format_amount, share
from .ledger import Ledger
from .models import Allocation, Area, Budget, Document, Measure, ProgressEntry, Target, gross_sum
from .problems import LedgerError

if TYPE_CHECKING:
    from .filters import Vocabulary

#: One record of a listing or export: plain data with exact numbers, turned into text by ``output``.
Row = dict[str, Any]


def pick_document(ledger: Ledger, document_id: str | None) -> str:
    """The document a command is about: the one named, or the only one the ledger holds."""
    ids = [d.id for d in ledger.documents]
    if document_id is not None:
        if document_id not in ids:
            shown = ", ".join(ids[:5]) + (f", … ({len(ids) - 5} more)" if len(ids) > 5 else "")
            raise LedgerError(f"document '{document_id}' does not exist; documents: {shown}", exit_code=2)
        return document_id
    if len(ids) == 1:
        return ids[0]
    if not ids:
        raise LedgerError("the ledger holds no documents; run `ledger validate`")
    shown = ", ".join(ids[:3]) + (f", … ({len(ids) - 3} more)" if len(ids) > 3 else "")
    raise LedgerError(f"the ledger holds {len(ids)} documents; choose one with --doc ({shown})", exit_code=2)


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
    return describe_quantity(target.value, target.unit, target.comparator)


def describe_progress(entry: ProgressEntry | None) -> str:
    if entry is None:
        return "no data"
    reading = entry.status if entry.value is None else format_amount(entry.value, entry.unit)
    return f"{reading} ({entry.as_of.isoformat()})"


def target_record(ledger: Ledger, target: Target, as_of: date | None = None) -> Row:
    """A target as plain data: exact numbers (``Decimal``, ``Fraction``) and ``date`` deadlines.

    ``area`` is the area the target falls under, also for a measure's target (its measure's area), so
    that rows can be grouped and filtered by area; a target is an area goal when ``measure`` is None.
    ``leads`` are that area's lead bureaus and ``budget`` the id of its measure's budget, if any.
    With ``as_of``, the latest entry is the latest on that date and ``state`` is judged then.
    """
    from .status import target_status

    status = target_status(ledger, target, as_of) if as_of else None
    latest = status.latest if status else latest_progress(target)
    measure = None if target.measure is None else ledger.measure(target.measure, target.document)
    area_number = target.area if measure is None else measure.area
    area = None if area_number is None else ledger.area(area_number, target.document)
    budget = None if measure is None else ledger.budget_of(measure)
    return {
        "id": target.id,
        "document": target.document,
        "area": area_number,
        "measure": target.measure,
        "leads": [] if area is None else list(area.leads),
        "what": target.what,
        "kind": "milestone" if target.is_milestone else "quantitative",
        "value": target.value,
        "unit": target.unit,
        "comparator": target.comparator,
        "commitment": target.commitment,
        "deadline": ledger.due(target),
        "deadline_text": target.deadline_text,
        "quote": target.quote,
        "budget": None if budget is None else budget.id,
        "latest_progress": None if latest is None else progress_record(latest),
        **({"state": status.state.value} if status else {}),
    }


def progress_record(entry: ProgressEntry) -> Row:
    return {
        "as_of": entry.as_of,
        "value": entry.value,
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


TARGET_HEADERS = ["ID", "What", "Value", "Commitment", "Due", "Latest", "State"]


def target_cells(target: Target, status: Any) -> list[str]:
    """One target as the text cells of ``ledger show`` and ``ledger report`` (``TARGET_HEADERS``)."""
    due = status.due.isoformat() + (f" ({target.deadline_text})" if target.deadline_text else "")
    return [
        target.id,
        target.what,
        describe_value(target),
        target.commitment,
        due,
        describe_progress(status.latest),
        status.state.value,
    ]


@dataclass(frozen=True)
class AllocationTable:
    """A budget's allocations as the text cells ``ledger show`` and ``ledger report`` print."""

    headers: list[str]
    rows: list[list[str]]
    footer: list[str]  # the sum of the allocations, whether it meets the total, and what is paid out


def allocation_table(budget: Budget, as_of: date) -> AllocationTable:
    """Amounts in their own units, shares of the total, and a "Paid out" column once money is paid."""
    disbursed = [paid_out(budget, allocation, as_of) for allocation in budget.allocations]
    show_paid = any(amount is not None for amount in disbursed)
    rows = []
    for allocation, amount in zip(budget.allocations, disbursed, strict=True):
        row = [
            allocation.id,
            allocation.label,
            format_amount(allocation.amount, budget.unit_of(allocation)),
            f"{allocation_share(budget, allocation)}%",
        ]
        if show_paid:
            row.append("—" if amount is None else format_amount(amount, budget.unit))
        rows.append(row)
    total = budget.allocated()
    footer = [
        "",
        "Sum of allocations",
        "—" if total is None else format_amount(total, budget.unit),
        "= total" if total == budget.total else f"≠ {format_amount(budget.total, budget.unit)}",
    ]
    if show_paid:
        footer.append(format_amount(sum(a for a in disbursed if a is not None), budget.unit))
    headers = ["ID", "Allocation", "Amount", "Share"] + (["Paid out"] if show_paid else [])
    return AllocationTable(headers, rows, footer)


def budget_record(budget: Budget, as_of: date | None = None) -> Row:
    """A budget as plain data; with ``as_of``, each allocation's amount paid out by then."""
    total = budget.allocated()
    return {
        "id": budget.id,
        "measure": budget.measure,
        "total": budget.total,
        "unit": budget.unit,
        "quote": budget.quote,
        "allocations": [
            {
                "id": a.id,
                "label": a.label,
                "amount": a.amount,
                "unit": budget.unit_of(a),
                "share_percent": str(allocation_share(budget, a)),
                "quote": a.quote,
                **({"paid_out": paid_out(budget, a, as_of)} if as_of else {}),
            }
            for a in budget.allocations
        ],
        "allocated": total,
        "sums_to_total": total == budget.total,
    }


def allocation_share(budget: Budget, allocation: Allocation) -> Decimal:
    """The allocation's share of its budget's total, in percent to one decimal place."""
    amount = Decimal(convert(allocation.amount, budget.unit_of(allocation), budget.unit))
    return share(amount, budget.total)


def measure_record(ledger: Ledger, measure: Measure, as_of: date | None = None) -> Row:
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
        "as_of": as_of,
        "targets": [target_record(ledger, t, as_of) for t in ledger.targets_of(measure)],
        "budget": None if budget is None else budget_record(budget, as_of),
    }


def measure_row(ledger: Ledger, measure: Measure) -> Row:
    """One line of ``ledger list``: the measure with its lead bureaus, target ids and budget."""
    area = ledger.area(measure.area, measure.document)
    budget = ledger.budget_of(measure)
    return {
        "document": measure.document,
        "number": measure.number,
        "area": measure.area,
        "title": measure.title,
        "leads": [] if area is None else list(area.leads),
        "targets": [t.id for t in ledger.targets_of(measure)],
        "budget": None if budget is None else budget.id,
        "budget_total": None if budget is None else budget.total,
        "budget_unit": None if budget is None else budget.unit,
        "text": measure.text,
    }


def budget_row(ledger: Ledger, budget: Budget) -> Row:
    """A budget with the measure it funds, that measure's area and lead bureaus, and its allocations."""
    measure = ledger.measure(budget.measure, budget.document)
    area = None if measure is None else ledger.area(measure.area, budget.document)
    return {
        "id": budget.id,
        "document": budget.document,
        "measure": budget.measure,
        "title": None if measure is None else measure.title,
        "area": None if measure is None else measure.area,
        "leads": [] if area is None else list(area.leads),
    } | budget_record(budget)


def table_rows(ledger: Ledger, table: str, document_id: str, as_of: date | None = None) -> list[Row]:
    """Every row of ``table`` (targets, measures, budgets) of one document, in the files' order.

    With ``as_of``, target rows carry their ``state`` on that date (for ``status:`` terms).
    """
    if table == "targets":
        return [target_record(ledger, t, as_of) for t in ledger.targets if t.document == document_id]
    if table == "measures":
        return [measure_row(ledger, m) for m in ledger.measures if m.document == document_id]
    return [budget_row(ledger, b) for b in ledger.budgets if b.document == document_id]


def vocabulary(ledger: Ledger, table: str, document_id: str) -> Vocabulary:
    from .filters import Vocabulary

    """What terms may name: the areas, measures, ids, lead bureaus and units that exist."""
    areas = [a for a in ledger.areas if a.document == document_id]
    bureaus: list[str] = []
    for area in sorted(areas, key=lambda a: a.number):
        bureaus.extend(b for b in area.leads if b not in bureaus)
    if table == "targets":
        targets = [t for t in ledger.targets if t.document == document_id]
        ids = frozenset(t.id for t in targets)
        units = frozenset(t.unit for t in targets if t.unit)
    elif table == "budgets":
        budgets = [b for b in ledger.budgets if b.document == document_id]
        ids = frozenset(b.id for b in budgets)
        units = frozenset(b.unit for b in budgets)
    else:
        ids, units = frozenset(), frozenset()
    return Vocabulary(
        areas=frozenset(a.number for a in areas),
        measures=frozenset(m.number for m in ledger.measures if m.document == document_id),
        ids=ids,
        bureaus=tuple(bureaus),
        units=units,
    )


def answer(
    ledger: Ledger,
    table: str,
    terms: list[str] | tuple[str, ...] = (),
    options: dict[str, str | None] | None = None,
    sort: str | None = None,
    limit: int | None = None,
    document_id: str | None = None,
    as_of: date | None = None,
) -> list[Row]:
    """``ledger query``: the rows of ``table`` that every term and option keeps, sorted and limited.

    Targets are judged on ``as_of`` (default: today), so that ``status:behind`` means behind then.
    """
    document = pick_document(ledger, document_id)
    from .filters import build_query

    query = build_query(table, terms, options, vocabulary(ledger, table, document), sort, limit)
    judged_on = as_of or date.today()
    return [dict(row) for row in query.run(table_rows(ledger, table, document, judged_on))]


def budget_statement(ledger: Ledger, unit: str = "亿元", document_id: str | None = None) -> Row:
    """``ledger budgets``: every budget and allocation, per-area totals, the gross sum, the stated total
    net of overlaps and the overlap it implies, all converted exactly into ``unit``.

    The as-written amount stays beside each converted one, so a reader can check the conversion.
    """
    if unit not in MONEY_UNITS:
        raise LedgerError(
            f"--unit must be a money unit ({', '.join(MONEY_UNITS)}), not '{unit}'", exit_code=2
        )
    document_id = pick_document(ledger, document_id)
    document = ledger.document(document_id)
    budgets = sorted((b for b in ledger.budgets if b.document == document_id), key=lambda b: b.measure)
    for budget in budgets:
        units = {budget.unit, *(budget.unit_of(a) for a in budget.allocations)}
        if not units <= set(MONEY_UNITS):
            raise LedgerError(
                f"budget {budget.id} is in {'/'.join(sorted(units - set(MONEY_UNITS)))}, which does not "
                f"convert to {unit}; run `ledger validate`"
            )
    lines = [_statement_budget(ledger, budget, unit) for budget in budgets]
    areas: list[Row] = []
    for area in sorted((a for a in ledger.areas if a.document == document_id), key=lambda a: a.number):
        funded = [line for line in lines if line["area"] == area.number]
        if funded:
            areas.append(_statement_area(area, funded))
    gross = gross_sum(budgets, unit)
    stated = None if document is None else document.overall_budget
    stated_total = None
    if stated is not None and stated.unit in MONEY_UNITS:
        stated_total = convert(stated.amount, stated.unit, unit)
    return {
        "document": document_id,
        "unit": unit,
        "budgets": lines,
        "areas": areas,
        "gross_total": gross,
        "stated_total": stated_total,
        "net_of_overlaps": None if stated is None else stated.net_of_overlaps,
        "overlap": None if stated_total is None else gross - stated_total,
    }


def _statement_budget(ledger: Ledger, budget: Budget, unit: str) -> Row:
    measure = ledger.measure(budget.measure, budget.document)
    allocated = budget.allocated()
    return {
        "id": budget.id,
        "measure": budget.measure,
        "title": None if measure is None else measure.title,
        "area": None if measure is None else measure.area,
        "total": convert(budget.total, budget.unit, unit),
        "written": {"amount": budget.total, "unit": budget.unit},
        "allocations": [
            {
                "id": a.id,
                "label": a.label,
                "amount": convert(a.amount, budget.unit_of(a), unit),
                "written": {"amount": a.amount, "unit": budget.unit_of(a)},
                "share_percent": str(allocation_share(budget, a)),
            }
            for a in budget.allocations
        ],
        "allocated": None if allocated is None else convert(allocated, budget.unit, unit),
        "sums_to_total": allocated == budget.total,
    }


def _statement_area(area: Area, funded: list[Row]) -> Row:
    return {
        "area": area.number,
        "title": area.title,
        "leads": list(area.leads),
        "budgets": [line["id"] for line in funded],
        "total": sum((Decimal(line["total"]) for line in funded), Decimal(0)),
    }


#: Name and version of the ``ledger export`` document; the version changes only when a key is removed
#: or changes meaning (new keys may be added within a version).
EXPORT_FORMAT = "policy-ledger-export"
EXPORT_VERSION = 1


def export_ledger(ledger: Ledger) -> Row:
    """``ledger export``: every record of every document, as the README documents it."""
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "documents": [document_record(d) for d in ledger.documents],
        "areas": [area_record(a) for a in ledger.areas],
        "measures": [measure_row(ledger, m) for m in ledger.measures],
        "targets": [
            target_record(ledger, t) | {"progress": [progress_record(e) for e in t.progress]}
            for t in ledger.targets
        ],
        "budgets": [budget_row(ledger, b) for b in ledger.budgets],
    }


def document_record(document: Document) -> Row:
    overall = document.overall_budget
    return {
        "id": document.id,
        "number": document.number,
        "title": document.title,
        "issuer": document.issuer,
        "date": document.date,
        "source": document.source,
        "period": {"start": document.period.start, "end": document.period.end},
        "area_count": document.area_count,
        "measure_count": document.measure_count,
        "overall_budget": None
        if overall is None
        else {
            "amount": overall.amount,
            "unit": overall.unit,
            "net_of_overlaps": overall.net_of_overlaps,
            "quote": overall.quote,
        },
    }


def area_record(area: Area) -> Row:
    return {
        "document": area.document,
        "number": area.number,
        "title": area.title,
        "leads": list(area.leads),
        "heading": area.heading,
        "text": area.text,
    }


def check_area(ledger: Ledger, number: int, document_id: str) -> None:
    """A usage error naming the valid areas when ``number`` is not one of them."""
    numbers = sorted(a.number for a in ledger.areas if a.document == document_id)
    if number not in numbers:
        raise LedgerError(
            f"no area {number} in {document_id}; areas are {', '.join(map(str, numbers))}", exit_code=2
        )


def progress_rows(ledger: Ledger, ref: str | None, document_id: str | None = None) -> list[Row]:
    """Every progress entry and disbursement (of the records ``ref`` names), newest first."""
    from .history import resolve_records

    wanted = set(resolve_records(ledger, ref, document_id)) if ref is not None else None
    rows: list[Row] = []
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


def status_record(ledger: Ledger, as_of: date, statuses: list[Any], summaries: list[Any]) -> Row:
    """``ledger status --format json``: every target's state and the counts per area."""
    from .status import STATE_ORDER

    return {
        "as_of": as_of,
        "targets": [
            {**target_record(ledger, s.target, as_of), "expected_by_now": s.expected} for s in statuses
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
