"""Read-side questions about a loaded ledger, answered as typed rows of plain data (no words, no I/O).

Every answer is a frozen dataclass of exact numbers (``Decimal``, ``Fraction``), ``date`` objects and
enums: never a display string. ``output``, ``plain`` and ``report`` turn rows into cells and
words; ``output.jsonable`` turns them into JSON and YAML, field by field in the order declared here, so
a field's name is its key in ``ledger export`` and ``--format json`` (the README documents those keys).

Two markers in a field's metadata shape that data: ``OMITTED_WHEN_NONE`` leaves the key out when the
value is None (a target's ``state`` exists only when it was judged on a date), and ``key("on track")``
names a key that is not a Python identifier.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import MISSING, dataclass, field, fields, replace
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from .amounts import MONEY_UNITS, Number, as_money, convert, exact_difference, exact_sum, share
from .i18n import _
from .ledger import Ledger
from .models import (
    Allocation,
    Budget,
    Commitment,
    Comparator,
    Document,
    Instrument,
    Measure,
    MilestoneStatus,
    Target,
    gross_sum,
)
from .problems import LedgerError
from .status import AreaSummary, State, TargetStatus, ledger_status, target_status

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

D = TypeVar("D", bound="DataclassInstance")

#: Field metadata: the key is left out of JSON and YAML when the value is None.
OMITTED_WHEN_NONE: dict[str, Any] = {"omit_when_none": True}


def key(name: str) -> dict[str, Any]:
    """Field metadata: the key this field has in JSON and YAML, when it is not the field's name."""
    return {"key": name}


TargetKind = Literal["quantitative", "milestone"]
EntryKind = Literal["progress", "disbursement", "standard_issued", "paid"]


class Percent(Decimal):
    """A share in percent to one decimal place, written with that place (``47.0``, not ``47``)."""


# --- rows -----------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ProgressRow:
    """One progress entry (or disbursement): a value with its unit, or a milestone's status."""

    as_of: date
    value: Decimal | None
    unit: str | None
    status: MilestoneStatus | None
    note: str | None
    source: str | None


@dataclass(frozen=True, kw_only=True)
class TargetRow:
    """A target as ``ledger query targets`` and ``ledger export`` give it.

    ``area`` is the area the target falls under, also for a measure's target (its measure's area), so
    that rows can be grouped and filtered by area; a target is an area goal when ``measure`` is None.
    ``leads`` are that area's lead bureaus and ``budget`` the id of its measure's budget, if any.
    ``state`` is set when the target was judged on a date.
    """

    id: str
    document: str
    area: int | None
    measure: int | None
    leads: tuple[str, ...]
    what: str
    kind: TargetKind
    value: Number | None
    unit: str | None
    comparator: Comparator | None
    commitment: Commitment
    deadline: date | None
    deadline_text: str | None
    #: a multi-year aim's span (中长期内, 未定期限): it has no deadline
    horizon: str | None = field(default=None, metadata=OMITTED_WHEN_NONE)
    quote: str
    budget: str | None
    latest_progress: ProgressRow | None
    state: State | None = field(default=None, metadata=OMITTED_WHEN_NONE)


@dataclass(frozen=True, kw_only=True)
class ExportedTarget(TargetRow):
    """A target in ``ledger export``: with every progress entry."""

    progress: tuple[ProgressRow, ...] = ()


@dataclass(frozen=True, kw_only=True)
class JudgedTarget(TargetRow):
    """A target in ``ledger status --format json``: with what a straight line expects by the date."""

    expected_by_now: Number | None = None


@dataclass(frozen=True, kw_only=True)
class MeasureRow:
    """One line of ``ledger list``: the measure with its lead bureaus, target ids and budget."""

    document: str
    number: int
    area: int
    title: str
    leads: tuple[str, ...]
    targets: tuple[str, ...]
    budget: str | None
    budget_total: Decimal | None
    budget_unit: str | None
    text: str


@dataclass(frozen=True, kw_only=True)
class AllocationRow:
    id: str
    label: str
    amount: Decimal
    unit: str
    share_percent: Percent
    quote: str


@dataclass(frozen=True, kw_only=True)
class PaidAllocation(AllocationRow):
    """An allocation in ``ledger show --format json``: with what is paid out by the as-of date."""

    paid_out: Decimal | None


@dataclass(frozen=True, kw_only=True)
class BudgetRow:
    """A budget with the measure it funds, that measure's area and lead bureaus, and its allocations."""

    id: str
    document: str
    measure: int
    title: str | None
    area: int | None
    leads: tuple[str, ...]
    total: Decimal
    unit: str
    quote: str
    allocations: tuple[AllocationRow, ...]
    allocated: Decimal | None
    sums_to_total: bool


@dataclass(frozen=True, kw_only=True)
class ShownBudget:
    """A measure's budget in ``ledger show --format json``: allocations with what is paid out."""

    id: str
    measure: int
    total: Decimal
    unit: str
    quote: str
    allocations: tuple[PaidAllocation, ...]
    allocated: Decimal | None
    sums_to_total: bool


@dataclass(frozen=True, kw_only=True)
class AreaRef:
    number: int
    title: str
    leads: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class MeasureRecord:
    """Everything ``ledger show`` prints, as data (``ledger show N --format json``)."""

    document: str
    number: int
    title: str
    area: AreaRef | None
    text: str
    as_of: date | None
    targets: tuple[TargetRow, ...]
    budget: ShownBudget | None


@dataclass(frozen=True, kw_only=True)
class EntryRow:
    """One line of ``ledger progress list``: a progress entry or disbursement and what it is about."""

    id: str
    what: str
    kind: EntryKind
    as_of: date
    value: Decimal | None
    unit: str | None
    status: MilestoneStatus | None
    note: str | None
    source: str | None
    #: an instrument's entry: the 配套政策 issued (its number and title), or how many received 兑现
    document_number: str | None = field(default=None, metadata=OMITTED_WHEN_NONE)
    title: str | None = field(default=None, metadata=OMITTED_WHEN_NONE)
    recipients: int | None = field(default=None, metadata=OMITTED_WHEN_NONE)


@dataclass(frozen=True, kw_only=True)
class InstrumentRow:
    """A policy instrument with its measure, area and lead bureaus, its 配套政策 and what was paid to date."""

    id: str
    document: str
    measure: int
    title: str | None
    area: int | None
    leads: tuple[str, ...]
    name: str
    form: str
    beneficiaries: tuple[str, ...]
    basis: str
    amount: Decimal | None
    unit: str | None
    standard_text: str | None
    funded_by: tuple[str, ...]
    quote: str
    #: the 配套政策 that sets its standard, once recorded as issued (its document number), else None
    standard_issued: str | None
    #: the standard that 配套政策 sets, in its words, when recorded with it
    standard: str | None
    #: 兑现 to date: the latest cumulative amount paid or granted, and how many received it
    paid: Decimal | None
    paid_unit: str | None
    recipients: int | None


#: A row of ``ledger query``; which one depends on the table asked.
Row = TargetRow | MeasureRow | BudgetRow | InstrumentRow


# --- lookups --------------------------------------------------------------------------------------


def check_area(ledger: Ledger, number: int, document_id: str) -> None:
    """A usage error naming the valid areas when ``number`` is not one of them."""
    numbers = sorted(a.number for a in ledger.areas if a.document == document_id)
    if number not in numbers:
        raise LedgerError(
            _("no area {number} in {document}; areas are {areas}").format(
                number=number, document=document_id, areas=", ".join(map(str, numbers))
            ),
            exit_code=2,
        )


# --- records --------------------------------------------------------------------------------------


def _row(cls: type[D], record: object, **given: Any) -> D:
    """A ``cls`` with the fields ``given`` and every other field read from the record's attribute of the
    same name (a field with a default may be missing from it); a record's lists become tuples, as rows
    are frozen."""
    copied = {
        f.name: getattr(record, f.name)
        for f in fields(cls)
        if f.name not in given and (f.default is MISSING or hasattr(record, f.name))
    }
    return cls(**{name: tuple(v) if isinstance(v, list) else v for name, v in copied.items()}, **given)


def target_row(ledger: Ledger, target: Target, status: TargetStatus | None = None) -> TargetRow:
    """A target as data; with its ``status`` on a date, its latest entry on that date and its state then."""
    latest = status.latest if status else max(target.progress, key=lambda entry: entry.as_of, default=None)
    measure = None if target.measure is None else ledger.measure(target.measure, target.document)
    budget = None if measure is None else ledger.budget_of(measure)
    return _row(
        TargetRow,
        target,
        area=target.area if measure is None else measure.area,
        leads=ledger.leads_of(target),
        kind="milestone" if target.is_milestone else "quantitative",
        deadline=ledger.due(target),
        budget=None if budget is None else budget.id,
        latest_progress=None if latest is None else _row(ProgressRow, latest),
        state=None if status is None else status.state,
    )


def allocation_row(budget: Budget, allocation: Allocation) -> AllocationRow:
    return _row(
        AllocationRow,
        allocation,
        unit=budget.unit_of(allocation),
        share_percent=Percent(budget.share_of(allocation)),
    )


def shown_budget(ledger: Ledger, budget: Budget, as_of: date) -> ShownBudget:
    """A budget as data, with each allocation's amount paid out by ``as_of``."""
    allocated = budget.allocated()
    return _row(
        ShownBudget,
        budget,
        allocations=tuple(
            PaidAllocation(**vars(allocation_row(budget, a)), paid_out=ledger.paid_out(budget, a, as_of))
            for a in budget.allocations
        ),
        allocated=allocated,
        sums_to_total=allocated == budget.total,
    )


def measure_record(ledger: Ledger, measure: Measure, as_of: date) -> MeasureRecord:
    area = ledger.area(measure.area, measure.document)
    budget = ledger.budget_of(measure)
    return _row(
        MeasureRecord,
        measure,
        area=None if area is None else _row(AreaRef, area),
        as_of=as_of,
        targets=tuple(
            target_row(ledger, t, target_status(ledger, t, as_of)) for t in ledger.targets_of(measure)
        ),
        budget=None if budget is None else shown_budget(ledger, budget, as_of),
    )


def measure_row(ledger: Ledger, measure: Measure) -> MeasureRow:
    area = ledger.area(measure.area, measure.document)
    budget = ledger.budget_of(measure)
    return _row(
        MeasureRow,
        measure,
        leads=() if area is None else tuple(area.leads),
        targets=tuple(t.id for t in ledger.targets_of(measure)),
        budget=None if budget is None else budget.id,
        budget_total=None if budget is None else budget.total,
        budget_unit=None if budget is None else budget.unit,
    )


def instrument_row(ledger: Ledger, instrument: Instrument) -> InstrumentRow:
    measure = ledger.measure(instrument.measure, instrument.document)
    area = None if measure is None else ledger.area(measure.area, instrument.document)
    issued = instrument.standard_issued()
    latest = instrument.paid()
    return _row(
        InstrumentRow,
        instrument,
        title=None if measure is None else measure.title,
        area=None if measure is None else measure.area,
        leads=() if area is None else tuple(area.leads),
        standard_issued=None if issued is None else issued.document_number,
        standard=None if issued is None else issued.standard,
        paid=None if latest is None else latest.value,
        paid_unit=None if latest is None else latest.unit,
        recipients=None if latest is None else latest.recipients,
    )


def budget_row(ledger: Ledger, budget: Budget) -> BudgetRow:
    measure = ledger.measure(budget.measure, budget.document)
    area = None if measure is None else ledger.area(measure.area, budget.document)
    allocated = budget.allocated()
    return _row(
        BudgetRow,
        budget,
        title=None if measure is None else measure.title,
        area=None if measure is None else measure.area,
        leads=() if area is None else tuple(area.leads),
        allocations=tuple(allocation_row(budget, a) for a in budget.allocations),
        allocated=allocated,
        sums_to_total=allocated == budget.total,
    )


# --- ledger query ---------------------------------------------------------------------------------


def table_rows(ledger: Ledger, table: str, document_id: str, as_of: date) -> Sequence[Row]:
    """Every row of ``table`` (targets, measures, budgets, instruments) of one document, in the files' order.

    Target rows carry their ``state`` on ``as_of`` (for ``status:`` terms).
    """
    if table == "targets":
        targets = [t for t in ledger.targets if t.document == document_id]
        return [target_row(ledger, t, target_status(ledger, t, as_of)) for t in targets]
    if table == "measures":
        return [measure_row(ledger, m) for m in ledger.measures if m.document == document_id]
    if table == "instruments":
        return [instrument_row(ledger, i) for i in ledger.instruments if i.document == document_id]
    return [budget_row(ledger, b) for b in ledger.budgets if b.document == document_id]


# --- ledger budgets -------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Written:
    """An amount as the document writes it, beside its conversion."""

    amount: Decimal
    unit: str


@dataclass(frozen=True, kw_only=True)
class StatementAllocation:
    id: str
    label: str
    amount: Decimal
    written: Written
    share_percent: Percent
    #: paid out by the statement's date (0 when nothing is recorded: see ``reported``) and its share of
    #: ``amount``
    paid_out: Decimal
    execution_percent: Percent
    #: whether a disbursement or 兑现 is recorded for it by the date
    reported: bool


@dataclass(frozen=True, kw_only=True)
class StatementBudget:
    id: str
    measure: int
    title: str | None
    area: int | None
    total: Decimal
    written: Written
    allocations: tuple[StatementAllocation, ...]
    allocated: Decimal | None
    sums_to_total: bool
    #: its allocations' paid out added up, its share of ``total``, and how many allocations reported
    paid_out: Decimal
    execution_percent: Percent
    allocations_reported: int


@dataclass(frozen=True, kw_only=True)
class StatementArea:
    area: int
    title: str
    leads: tuple[str, ...]
    budgets: tuple[str, ...]
    total: Decimal
    paid_out: Decimal
    execution_percent: Percent
    allocation_count: int
    allocations_reported: int


@dataclass(frozen=True, kw_only=True)
class BudgetStatement:
    """``ledger budgets``: every amount converted exactly into ``unit``; paid out as of ``as_of``."""

    document: str
    unit: str
    as_of: date
    budgets: tuple[StatementBudget, ...]
    areas: tuple[StatementArea, ...]
    gross_total: Decimal
    stated_total: Decimal | None
    net_of_overlaps: bool | None
    overlap: Decimal | None
    #: every budget's paid out added up (gross, like ``gross_total``) and its share of ``gross_total``
    paid_out_total: Decimal
    execution_percent: Percent
    allocation_count: int
    allocations_reported: int


def _money_budgets(ledger: Ledger, unit: str, document_id: str) -> list[Budget]:
    """The document's budgets in the order of their measures; a usage error when ``unit`` is not money,
    and an error when a budget is in a unit that does not convert (``ledger validate`` reports it)."""
    if unit not in MONEY_UNITS:
        raise LedgerError(
            _("--unit must be a money unit ({units}), not '{unit}'").format(
                units=", ".join(MONEY_UNITS), unit=unit
            ),
            exit_code=2,
        )
    budgets = sorted((b for b in ledger.budgets if b.document == document_id), key=lambda b: b.measure)
    for budget in budgets:
        units = {budget.unit, *(budget.unit_of(a) for a in budget.allocations)}
        if not units <= set(MONEY_UNITS):
            raise LedgerError(
                _(
                    "budget {budget} is in {units}, which does not convert to {unit}; run `ledger validate`"
                ).format(budget=budget.id, units="/".join(sorted(units - set(MONEY_UNITS))), unit=unit)
            )
    return budgets


def budget_statement(
    ledger: Ledger, unit: str = "亿元", document_id: str | None = None, as_of: date | None = None
) -> BudgetStatement:
    """``ledger budgets``: every budget and allocation, per-area totals, the gross sum, the stated total
    net of overlaps and the overlap it implies, all converted exactly into ``unit``; with what is paid
    out of each by ``as_of`` (default: today) and the execution rate (``execution``).

    The as-written amount stays beside each converted one, so a reader can check the conversion.
    """
    document_id = ledger.pick_document(document_id)
    budgets = _money_budgets(ledger, unit, document_id)
    executed = execution(ledger, date.today() if as_of is None else as_of, unit, document_id)
    areas = tuple(
        _row(
            StatementArea,
            ledger.area(paid.area, document_id),
            area=paid.area,
            budgets=paid.budgets,
            total=paid.execution.amount,
            paid_out=paid.execution.paid_out,
            execution_percent=paid.execution.execution_percent,
            allocation_count=paid.execution.allocations,
            allocations_reported=paid.execution.reported,
        )
        for paid in executed.areas
    )
    gross = gross_sum(budgets, unit)
    stated_total = executed.stated_total
    return BudgetStatement(
        document=document_id,
        unit=unit,
        as_of=executed.as_of,
        budgets=tuple(
            _statement_budget(ledger, budget, unit, paid)
            for budget, paid in zip(budgets, executed.budgets, strict=True)
        ),
        areas=areas,
        gross_total=gross,
        stated_total=stated_total,
        net_of_overlaps=executed.net_of_overlaps,
        overlap=None if stated_total is None else exact_difference(gross, stated_total),
        paid_out_total=executed.gross.paid_out,
        execution_percent=executed.gross.execution_percent,
        allocation_count=executed.gross.allocations,
        allocations_reported=executed.gross.reported,
    )


def _statement_budget(ledger: Ledger, budget: Budget, unit: str, paid: BudgetExecution) -> StatementBudget:
    measure = ledger.measure(budget.measure, budget.document)
    allocated = budget.allocated()
    executed = paid.execution.in_unit(unit)
    return _row(
        StatementBudget,
        budget,
        title=None if measure is None else measure.title,
        area=None if measure is None else measure.area,
        total=as_money(convert(budget.total, budget.unit, unit)),
        written=Written(amount=budget.total, unit=budget.unit),
        allocations=tuple(
            _row(
                StatementAllocation,
                a,
                amount=as_money(convert(a.amount, budget.unit_of(a), unit)),
                written=Written(amount=a.amount, unit=budget.unit_of(a)),
                share_percent=Percent(budget.share_of(a)),
                paid_out=as_money(convert(line.execution.paid_out, line.execution.unit, unit)),
                execution_percent=line.execution.execution_percent,
                reported=line.execution.reported == 1,
            )
            for a, line in zip(budget.allocations, paid.allocations, strict=True)
        ),
        allocated=None if allocated is None else as_money(convert(allocated, budget.unit, unit)),
        sums_to_total=allocated == budget.total,
        paid_out=executed.paid_out,
        execution_percent=executed.execution_percent,
        allocations_reported=executed.reported,
    )


# --- money paid out -------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Execution:
    """What is paid out of an amount by a date (执行率): both exact, in ``unit``.

    ``execution_percent`` is ``paid_out`` as a share of ``amount``, to one decimal place; above 100 when
    more is reported paid than the amount. An allocation with nothing recorded by the date counts as 0
    paid, so ``reported`` says how many of the ``allocations`` under the amount have a disbursement or
    兑现 recorded: a rate over allocations that have not reported understates what is paid.
    """

    amount: Decimal
    paid_out: Decimal
    unit: str
    execution_percent: Percent
    allocations: int
    reported: int

    def in_unit(self, unit: str) -> Execution:
        """The same, converted exactly into ``unit`` (the rate does not change)."""
        return replace(
            self,
            amount=as_money(convert(self.amount, self.unit, unit)),
            paid_out=as_money(convert(self.paid_out, self.unit, unit)),
            unit=unit,
        )


def _executed(amount: Decimal, paid_out: Decimal, unit: str, allocations: int, reported: int) -> Execution:
    return Execution(
        amount=amount,
        paid_out=paid_out,
        unit=unit,
        execution_percent=Percent(share(paid_out, amount)),
        allocations=allocations,
        reported=reported,
    )


def _added(parts: Sequence[Execution], unit: str, amount: Decimal | None = None) -> Execution:
    """``parts`` added up in ``unit``, exactly, as paid out of ``amount`` (default: theirs added up)."""
    converted = [p.in_unit(unit) for p in parts]
    paid = exact_sum(p.paid_out for p in converted)
    total = exact_sum(p.amount for p in converted) if amount is None else amount
    return _executed(total, paid, unit, sum(p.allocations for p in parts), sum(p.reported for p in parts))


@dataclass(frozen=True, kw_only=True)
class AllocationExecution:
    id: str
    label: str
    #: in the budget's unit
    execution: Execution


@dataclass(frozen=True, kw_only=True)
class BudgetExecution:
    id: str
    measure: int
    area: int | None
    #: in the budget's own unit, the one the document uses for it (5580万元, never 0.558亿元)
    execution: Execution
    allocations: tuple[AllocationExecution, ...]


@dataclass(frozen=True, kw_only=True)
class AreaExecution:
    area: int
    budgets: tuple[str, ...]
    #: in the statement's unit
    execution: Execution


@dataclass(frozen=True, kw_only=True)
class ExecutionStatement:
    """What is paid out by ``as_of``: per budget (and allocation) in the budget's own unit, per area and
    in total in ``unit``. ``gross`` adds up every budget, counting funds that several areas share in
    each; ``stated_total`` is the document's own total net of those overlaps (48.08亿元), to stand beside
    it: no paid-out figure is net of overlaps, so it has no rate."""

    document: str
    as_of: date
    unit: str
    budgets: tuple[BudgetExecution, ...]
    areas: tuple[AreaExecution, ...]
    gross: Execution
    stated_total: Decimal | None
    net_of_overlaps: bool | None


def allocation_execution(ledger: Ledger, budget: Budget, allocation: Allocation, as_of: date) -> Execution:
    """What ``allocation`` has paid out by ``as_of`` (``Ledger.paid_out``), in the budget's unit."""
    paid = ledger.paid_out(budget, allocation, as_of)
    amount = as_money(convert(allocation.amount, budget.unit_of(allocation), budget.unit))
    return _executed(amount, Decimal(0) if paid is None else paid, budget.unit, 1, int(paid is not None))


def budget_execution(ledger: Ledger, budget: Budget, as_of: date) -> BudgetExecution:
    """A budget's allocations' paid out by ``as_of`` and its total, in the budget's own unit."""
    measure = ledger.measure(budget.measure, budget.document)
    allocations = tuple(
        AllocationExecution(id=a.id, label=a.label, execution=allocation_execution(ledger, budget, a, as_of))
        for a in budget.allocations
    )
    return BudgetExecution(
        id=budget.id,
        measure=budget.measure,
        area=None if measure is None else measure.area,
        execution=_added([a.execution for a in allocations], budget.unit, budget.total),
        allocations=allocations,
    )


def execution(
    ledger: Ledger, as_of: date, unit: str = "亿元", document_id: str | None = None
) -> ExecutionStatement:
    """How much is paid out by ``as_of``, and at what execution rate: per allocation and budget (in the
    budget's unit), per area and in total (in ``unit``), with the document's stated total beside the
    gross sum. Sums and conversions are exact."""
    document_id = ledger.pick_document(document_id)
    document = ledger.document(document_id)
    budgets = [budget_execution(ledger, b, as_of) for b in _money_budgets(ledger, unit, document_id)]
    areas = []
    for area in sorted((a for a in ledger.areas if a.document == document_id), key=lambda a: a.number):
        funded = [b for b in budgets if b.area == area.number]
        if funded:
            areas.append(
                AreaExecution(
                    area=area.number,
                    budgets=tuple(b.id for b in funded),
                    execution=_added([b.execution for b in funded], unit),
                )
            )
    stated = None if document is None else document.overall_budget
    stated_total = None
    if stated is not None and stated.unit in MONEY_UNITS:
        stated_total = as_money(convert(stated.amount, stated.unit, unit))
    return ExecutionStatement(
        document=document_id,
        as_of=as_of,
        unit=unit,
        budgets=tuple(budgets),
        areas=tuple(areas),
        gross=_added([b.execution for b in budgets], unit),
        stated_total=stated_total,
        net_of_overlaps=None if stated is None else stated.net_of_overlaps,
    )


# --- ledger export --------------------------------------------------------------------------------

#: Name and version of the ``ledger export`` document; the version changes only when a key is removed
#: or changes meaning (new keys may be added within a version).
EXPORT_FORMAT = "policy-ledger-export"
EXPORT_VERSION = 1


@dataclass(frozen=True, kw_only=True)
class PeriodRow:
    start: date
    end: date


@dataclass(frozen=True, kw_only=True)
class OverallBudgetRow:
    amount: Decimal
    unit: str
    net_of_overlaps: bool
    quote: str


@dataclass(frozen=True, kw_only=True)
class DocumentRow:
    id: str
    number: str
    title: str
    issuer: str
    date: date
    source: str
    period: PeriodRow
    area_count: int
    measure_count: int
    overall_budget: OverallBudgetRow | None


@dataclass(frozen=True, kw_only=True)
class AreaRow:
    document: str
    number: int
    title: str
    leads: tuple[str, ...]
    heading: str
    text: str


@dataclass(frozen=True, kw_only=True)
class Export:
    """``ledger export``: every record of every document, as the README documents it."""

    format: str
    version: int
    #: the date of the budgets' ``paid_out``
    as_of: date
    documents: tuple[DocumentRow, ...]
    areas: tuple[AreaRow, ...]
    measures: tuple[MeasureRow, ...]
    targets: tuple[ExportedTarget, ...]
    budgets: tuple[ExportedBudget, ...]


@dataclass(frozen=True, kw_only=True)
class ExportedAllocation(AllocationRow):
    """An allocation in ``ledger export``: what it paid out by the export's date, in its ``unit`` (0 when
    nothing is recorded, and then ``reported`` is false), and that as a share of its ``amount``."""

    paid_out: Decimal
    execution_percent: Percent
    reported: bool


@dataclass(frozen=True, kw_only=True)
class ExportedBudget(BudgetRow):
    """A budget in ``ledger export``: its allocations' paid out added up in its ``unit``, that as a share
    of its ``total``, and how many of its allocations have reported."""

    allocations: tuple[ExportedAllocation, ...]
    paid_out: Decimal
    execution_percent: Percent
    allocations_reported: int


@dataclass(frozen=True, kw_only=True)
class TargetProgress:
    """A line of the export's ``progress`` table: an entry and the target it belongs to."""

    target: str
    as_of: date
    value: Decimal | None
    unit: str | None
    status: MilestoneStatus | None
    note: str | None
    source: str | None


@dataclass(frozen=True, kw_only=True)
class BudgetAllocation:
    """A line of the export's ``allocations`` table: an allocation and the budget it belongs to."""

    budget: str
    id: str
    label: str
    amount: Decimal
    unit: str
    share_percent: Percent
    quote: str
    paid_out: Decimal
    execution_percent: Percent
    reported: bool


def exported_budget(ledger: Ledger, budget: Budget, as_of: date) -> ExportedBudget:
    paid = budget_execution(ledger, budget, as_of)
    allocations = []
    for allocation, line in zip(budget.allocations, paid.allocations, strict=True):
        executed = line.execution.in_unit(budget.unit_of(allocation))
        allocations.append(
            ExportedAllocation(
                **vars(allocation_row(budget, allocation)),
                paid_out=executed.paid_out,
                execution_percent=executed.execution_percent,
                reported=executed.reported == 1,
            )
        )
    row = vars(budget_row(ledger, budget)) | {"allocations": tuple(allocations)}
    return ExportedBudget(
        **row,
        paid_out=paid.execution.paid_out,
        execution_percent=paid.execution.execution_percent,
        allocations_reported=paid.execution.reported,
    )


def export_ledger(ledger: Ledger, as_of: date | None = None) -> Export:
    """Every record of every document; budgets with what is paid out by ``as_of`` (default: today)."""
    day = date.today() if as_of is None else as_of
    return Export(
        format=EXPORT_FORMAT,
        version=EXPORT_VERSION,
        as_of=day,
        documents=tuple(document_row(d) for d in ledger.documents),
        areas=tuple(_row(AreaRow, a) for a in ledger.areas),
        measures=tuple(measure_row(ledger, m) for m in ledger.measures),
        targets=tuple(
            ExportedTarget(
                **vars(target_row(ledger, t)), progress=tuple(_row(ProgressRow, e) for e in t.progress)
            )
            for t in ledger.targets
        ),
        budgets=tuple(exported_budget(ledger, b, day) for b in ledger.budgets),
    )


def export_tables(export: Export) -> dict[str, Sequence[object]]:
    """The export as flat tables, in the README's order: allocations and progress entries get tables of
    their own (``ledger export --table NAME`` and ``--format csv``)."""
    return {
        "documents": export.documents,
        "areas": export.areas,
        "measures": export.measures,
        "targets": export.targets,
        "progress": [
            TargetProgress(target=target.id, **vars(entry))
            for target in export.targets
            for entry in target.progress
        ],
        "budgets": export.budgets,
        "allocations": [
            BudgetAllocation(budget=budget.id, **vars(allocation))
            for budget in export.budgets
            for allocation in budget.allocations
        ],
    }


def document_row(document: Document) -> DocumentRow:
    overall = document.overall_budget
    return _row(
        DocumentRow,
        document,
        period=_row(PeriodRow, document.period),
        overall_budget=None if overall is None else _row(OverallBudgetRow, overall),
    )


# --- progress and status --------------------------------------------------------------------------


def progress_rows(ledger: Ledger, ref: str | None, document_id: str | None = None) -> list[EntryRow]:
    """Every progress entry, disbursement and instrument entry (of the records ``ref`` names), newest
    first."""
    wanted = set(ledger.records_named(ref, document_id)) if ref is not None else None
    rows: list[EntryRow] = []
    for target in ledger.targets:
        if wanted is None or target.id in wanted:
            rows += [
                _row(EntryRow, e, id=target.id, what=target.what, kind="progress") for e in target.progress
            ]
    for budget in ledger.budgets:
        for allocation in budget.allocations:
            if wanted is None or allocation.id in wanted:
                rows += [
                    _row(EntryRow, e, id=allocation.id, what=allocation.label, kind="disbursement")
                    for e in allocation.progress
                ]
    for instrument in ledger.instruments:
        if wanted is None or instrument.id in wanted:
            rows += [
                _row(EntryRow, e, id=instrument.id, what=instrument.name, status=None, kind=e.kind)
                for e in instrument.progress
            ]
    rows.sort(key=lambda row: (row.as_of, row.id), reverse=True)
    return rows


@dataclass(frozen=True, kw_only=True)
class AreaStatus:
    """An area's targets counted by state on the as-of date."""

    #: the area's document, in a status of several documents only
    document: str | None = field(default=None, metadata=OMITTED_WHEN_NONE)
    area: int
    title: str
    leads: tuple[str, ...]
    targets: int
    achieved: int = field(metadata=key(State.ACHIEVED.value))
    on_track: int = field(metadata=key(State.ON_TRACK.value))
    behind: int = field(metadata=key(State.BEHIND.value))
    no_data: int = field(metadata=key(State.NO_DATA.value))
    overdue: int = field(metadata=key(State.OVERDUE.value))
    no_report: int = field(metadata=key(State.NO_REPORT.value))


@dataclass(frozen=True, kw_only=True)
class StatusRecord:
    """``ledger status --format json``: every target's state and the counts per area."""

    as_of: date
    targets: tuple[JudgedTarget, ...]
    areas: tuple[AreaStatus, ...]
    #: 配套政策 and 兑现 per lead bureau; left out of a ledger without instruments
    instruments: tuple[BureauInstruments, ...] | None = field(default=None, metadata=OMITTED_WHEN_NONE)
    #: 兑现 per instrument that reports any by the date; left out of a ledger without instruments
    payments: tuple[InstrumentPaid, ...] | None = field(default=None, metadata=OMITTED_WHEN_NONE)


@dataclass(frozen=True, kw_only=True)
class InstrumentPaid:
    """An instrument's 兑现 on the as-of date: its latest entry, cumulative (amount and/or recipients)."""

    #: the instrument's document, in a status of several documents only (ids repeat across documents)
    document: str | None = field(default=None, metadata=OMITTED_WHEN_NONE)
    id: str
    name: str
    funded_by: tuple[str, ...]
    as_of: date
    paid: Decimal | None
    unit: str | None
    recipients: int | None


def payments(
    ledger: Ledger,
    document_id: str,
    as_of: date,
    area_number: int | None = None,
    only: Collection[str] | None = None,
) -> list[InstrumentPaid]:
    """兑现 per instrument on ``as_of`` (of one area's instruments when ``area_number`` is given, of the
    instruments whose ids are ``only`` when it is given)."""
    rows = []
    for instrument in ledger.instruments:
        measure = ledger.measure(instrument.measure, document_id)
        if instrument.document != document_id or (
            area_number is not None and (measure is None or measure.area != area_number)
        ):
            continue
        if only is not None and instrument.id not in only:
            continue
        latest = instrument.paid(as_of)
        if latest is not None:
            rows.append(
                _row(
                    InstrumentPaid,
                    instrument,
                    as_of=latest.as_of,
                    paid=latest.value,
                    unit=latest.unit,
                    recipients=latest.recipients,
                )
            )
    return rows


@dataclass(frozen=True, kw_only=True)
class BureauInstruments:
    """What one lead bureau answers for among the instruments: how many defer their standard to a
    配套政策, how many of those it has issued by the date, and how many instruments report 兑现."""

    lead: str
    instruments: int
    deferring: int
    issued: int
    pending: int
    paid: int


def instruments_by_lead(
    ledger: Ledger, document_id: str, as_of: date, area_number: int | None = None
) -> list[BureauInstruments]:
    """Per lead bureau (an area's leads all answer for its instruments), in the areas' order; of one
    area's instruments when ``area_number`` is given."""
    counts: dict[str, list[int]] = {}
    for instrument in ledger.instruments:
        if instrument.document != document_id:
            continue
        measure = ledger.measure(instrument.measure, document_id)
        area = None if measure is None else ledger.area(measure.area, document_id)
        if area_number is not None and (area is None or area.number != area_number):
            continue
        entries = [e for e in instrument.progress if e.as_of <= as_of]
        deferring = instrument.basis == "supporting_policy"
        issued = deferring and any(e.kind == "standard_issued" for e in entries)
        paid = any(e.kind == "paid" for e in entries)
        for lead in area.leads if area is not None else ["?"]:
            tally = counts.setdefault(lead, [0, 0, 0, 0])
            tally[0] += 1
            tally[1] += deferring
            tally[2] += issued
            tally[3] += paid
    return [
        BureauInstruments(lead=lead, instruments=n, deferring=d, issued=i, pending=d - i, paid=p)
        for lead, (n, d, i, p) in counts.items()
    ]


@dataclass(frozen=True, kw_only=True)
class LeadScope:
    """What ``--lead`` names: the lead bureaus it matched, and the targets and instruments that a
    ``lead:`` term keeps for them (``filters.lead_scope`` decides)."""

    bureaus: tuple[str, ...]
    targets: frozenset[str]
    instruments: frozenset[str]


@dataclass(frozen=True, kw_only=True)
class StatusAnswer:
    """``ledger status``: every target's state on ``as_of`` and the counts per area, then 配套政策 and 兑现
    per lead bureau and 兑现 per instrument; of one area, or of what a lead bureau answers for."""

    as_of: date
    statuses: tuple[TargetStatus, ...]
    summaries: tuple[AreaSummary, ...]
    instruments: tuple[BureauInstruments, ...]
    payments: tuple[InstrumentPaid, ...]


def status_answer(
    ledger: Ledger, as_of: date, document_id: str, area: int | None = None, lead: LeadScope | None = None
) -> StatusAnswer:
    """Where the targets stand on ``as_of``: all of them, one area's, and/or one lead bureau's."""
    statuses, summaries = ledger_status(
        ledger, as_of, area, document_id, None if lead is None else lead.targets
    )
    bureaus = instruments_by_lead(ledger, document_id, as_of, area)
    if lead is not None:
        bureaus = [row for row in bureaus if row.lead in lead.bureaus]
    paid = payments(ledger, document_id, as_of, area, None if lead is None else lead.instruments)
    return StatusAnswer(
        as_of=as_of,
        statuses=tuple(statuses),
        summaries=tuple(summaries),
        instruments=tuple(bureaus),
        payments=tuple(paid),
    )


def merged_answers(answers: Sequence[StatusAnswer]) -> StatusAnswer:
    """The status of several documents (each answered on its own) as one answer, in their order."""
    return StatusAnswer(
        as_of=answers[0].as_of,
        statuses=tuple(s for answer in answers for s in answer.statuses),
        summaries=tuple(s for answer in answers for s in answer.summaries),
        instruments=tuple(_bureaus_added(b for answer in answers for b in answer.instruments)),
        payments=tuple(p for answer in answers for p in answer.payments),
    )


def _bureaus_added(rows: Iterable[BureauInstruments]) -> list[BureauInstruments]:
    """Each lead bureau once, its counts added up over the documents (in the order first met)."""
    added: dict[str, BureauInstruments] = {}
    for row in rows:
        seen = added.get(row.lead)
        if seen is not None:
            counts = [f.name for f in fields(row) if f.name != "lead"]
            row = replace(row, **{name: getattr(seen, name) + getattr(row, name) for name in counts})
        added[row.lead] = row
    return list(added.values())


def status_record(ledger: Ledger, answer: StatusAnswer) -> StatusRecord:
    """``ledger status --format json`` and ``yaml``: the answer as data, every target as a row."""
    several = len({summary.document for summary in answer.summaries}) > 1
    return StatusRecord(
        as_of=answer.as_of,
        targets=tuple(
            JudgedTarget(**vars(target_row(ledger, s.target, s)), expected_by_now=s.expected)
            for s in answer.statuses
        ),
        areas=tuple(
            # the count fields are named after the states: achieved, on_track, …
            _row(
                AreaStatus,
                summary,
                document=summary.document if several else None,
                targets=summary.total,
                **{state.name.lower(): summary.counts.get(state, 0) for state in State},
            )
            for summary in answer.summaries
        ),
        instruments=answer.instruments if ledger.instruments else None,
        payments=tuple(p if several else replace(p, document=None) for p in answer.payments)
        if ledger.instruments
        else None,
    )
