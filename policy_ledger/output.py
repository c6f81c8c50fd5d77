"""Typed rows → the five output formats: table, json, csv, yaml, markdown.

A command's answer becomes an ``Output``: the rows themselves (for json and yaml), display grids of short
text cells (for the terminal table, laid out by ``plain``, and for markdown) and one flat sheet of exact
values (for csv). Numbers stay exact everywhere: ``Decimal`` and ``Fraction`` print as the document writes
them (``31.5``, ``1/2``), as strings in JSON, never through ``float``.

Each format has one boundary where hostile text is made harmless (``safe``): ``to_csv`` neutralises text
cells that a spreadsheet would run as formulas, ``to_markdown`` escapes every cell, and ``to_json`` writes
the characters that ``json.dumps`` leaves raw as escapes. The terminal table is escaped as the CLI prints it.

CSV is UTF-8 *with* a byte-order mark: a spreadsheet opened by double-click (Excel on Windows) reads a
CSV file without one in the local code page and shows Chinese as mojibake; with the mark it reads UTF-8.
Python reads it with ``encoding="utf-8-sig"``, pandas and LibreOffice skip the mark on their own.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass
from datetime import date
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from functools import partial
from pathlib import Path
from typing import Any, Generic, TypeVar

from . import words
from .amounts import Number, format_amount, format_number
from .cells import (
    describe_entry,
    describe_progress,
    describe_quantity,
    due,
    expected_cell,
    reading,
    status_goal,
    text_bar,
)
from .compare import AreaPair, Change, Comparison, TargetPair
from .formats import markdown_table
from .i18n import _
from .ledger import Ledger
from .problems import LedgerError
from .queries import (
    BudgetRow,
    BudgetStatement,
    EntryRow,
    Export,
    InstrumentRow,
    MeasureRow,
    Percent,
    StatementAllocation,
    StatementBudget,
    StatusAnswer,
    TargetRow,
    Written,
    export_tables,
    status_record,
)
from .safe import csv_safe, json_safe, markdown_safe
from .status import STATE_ORDER, State, TargetStatus

R = TypeVar("R")
#: Lists inside one cell (a target's lead bureaus, a measure's target ids) are joined by 、.
LIST_SEPARATOR = "、"
CSV_ENCODING = "utf-8-sig"


@dataclass(frozen=True)
class Grid:
    """A table for people: headers and short text cells, right-aligned where numbers stand."""

    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    right: frozenset[int] = frozenset()
    caption: str = ""


@dataclass(frozen=True)
class Sheet:
    """A table for spreadsheets and scripts: one row per record, exact values, dotted column names.

    Cells are values (text, numbers, dates, lists of text); ``to_csv`` writes them.
    """

    name: str
    columns: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]


@dataclass(frozen=True)
class Output:
    data: object
    grids: tuple[Grid, ...]
    sheet: Sheet


@dataclass(frozen=True)
class Column(Generic[R]):
    """A column of a grid: its header (the name of a word in ``words``) and the text cell of a row.

    Columns are declared once, at import; the header is read in the reader's language when shown."""

    word: str
    cell: Callable[[R], str]
    right: bool = False

    def __post_init__(self) -> None:
        getattr(words, self.word)  # a misspelt name fails at import, not when a table is drawn

    @property
    def header(self) -> str:
        return str(getattr(words, self.word))


# --- plain data -----------------------------------------------------------------------------------


def jsonable(value: Any) -> Any:
    """Typed rows as plain JSON data: a dataclass becomes an object of its fields in order, exact numbers
    their written form as text (``"31.5"``), dates ISO text, enums their value; the rest as is."""
    if isinstance(value, Enum):
        return value.value
    if value is None or isinstance(value, (int, str)):  # true and false are ints too
        return value
    if isinstance(value, Percent):
        return str(value)  # one decimal place as written: 47.0
    if isinstance(value, (Decimal, Fraction)):
        return format_number(value)
    if isinstance(value, date):
        return value.isoformat()
    if is_dataclass(value) and not isinstance(value, type):
        data = {}
        for field_ in fields(value):
            item = getattr(value, field_.name)
            if item is None and field_.metadata.get("omit_when_none"):
                continue
            data[field_.metadata.get("key", field_.name)] = jsonable(item)
        return data
    if isinstance(value, Mapping):
        return {str(name): jsonable(item) for name, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(item) for item in value]
    raise TypeError(f"cannot output {type(value).__name__}")


def to_json(data: object) -> str:
    return json_safe(json.dumps(jsonable(data), ensure_ascii=False, indent=2)) + "\n"


def to_yaml(data: object) -> str:
    from .yamlio import dump_plain

    return dump_plain(jsonable(data))


def csv_cell(value: object) -> str:
    """One CSV cell. Text (and a list of texts, joined by 、) that a spreadsheet would take for a formula
    gets a leading ``'``; numbers, dates and true/false are written by the tool and stay as they are."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return csv_safe(LIST_SEPARATOR.join(str(jsonable(item)) for item in value if item is not None))
    if isinstance(value, str):
        return csv_safe(str(jsonable(value)))
    return str(jsonable(value))


def to_csv(sheet: Sheet) -> bytes:
    """RFC 4180 CSV (CRLF line ends, a header row) in UTF-8 with a byte-order mark."""
    stream = io.StringIO()
    writer = csv.writer(stream)
    writer.writerow(sheet.columns)
    writer.writerows([csv_cell(value) for value in row] for row in sheet.rows)
    return stream.getvalue().encode(CSV_ENCODING)


def to_markdown(grids: Sequence[Grid]) -> str:
    """GitHub-flavoured pipe tables (``:--``/``--:`` align); several grids get their titles as headings.

    Every cell, header, title and caption is escaped (``safe.markdown_safe``): no HTML, no broken table.
    """
    parts = []
    for grid in grids:
        table = markdown_table(
            [markdown_safe(header) for header in grid.headers],
            [[markdown_safe(cell) for cell in row] for row in grid.rows],
            ["right" if i in grid.right else "left" for i in range(len(grid.headers))],
        )
        heading = f"## {markdown_safe(grid.title)}\n\n" if len(grids) > 1 else ""
        caption = f"\n\n{markdown_safe(grid.caption)}" if grid.caption and len(grids) > 1 else ""
        parts.append(f"{heading}{table}{caption}")
    return "\n\n".join(parts) + "\n"


def render_text(output: Output, fmt: str) -> str | bytes:
    """Every format but ``table`` (which ``plain.grids_view`` lays out from ``output.grids``)."""
    if fmt == "json":
        return to_json(output.data)
    if fmt == "yaml":
        return to_yaml(output.data)
    if fmt == "csv":
        return to_csv(output.sheet)
    if fmt == "markdown":
        return to_markdown(output.grids)
    raise ValueError(f"unknown format {fmt}")


# --- listings -------------------------------------------------------------------------------------


def _leads(row: TargetRow | MeasureRow | BudgetRow | InstrumentRow) -> str:
    return LIST_SEPARATOR.join(row.leads)


def _amount_or_none(value: Decimal | None, unit: str | None = None) -> str:
    return words.NONE if value is None else format_amount(value, unit)


def _entry_reading(row: EntryRow) -> str:
    if row.kind in ("standard_issued", "paid"):
        return describe_entry(row, row.unit)
    paid = words.PAID_OUT_SUFFIX if row.kind == "disbursement" and row.value is not None else ""
    return reading(row.value, row.unit, row.status) + paid


def _sums(row: BudgetRow) -> str:
    if row.sums_to_total:
        return words.SUMS_TO_TOTAL
    if row.allocated is None:
        return words.NONE
    return f"{format_amount(row.allocated, row.unit)} {words.NOT_TOTAL}"


TARGET_COLUMNS: tuple[Column[TargetRow], ...] = (
    Column("ID", lambda r: r.id),
    Column("WHAT", lambda r: r.what),
    Column("VALUE", lambda r: describe_quantity(r.value, r.unit, r.comparator)),
    Column("COMMITMENT", lambda r: words.commitment(r.commitment)),
    Column("DUE", lambda r: due(r.deadline, r.deadline_text, r.horizon)),
    Column("LEAD", _leads),
    Column("STATE", lambda r: "" if r.state is None else words.state(r.state)),
)
MEASURE_COLUMNS: tuple[Column[MeasureRow], ...] = (
    Column("NUMBER", lambda r: str(r.number), right=True),
    Column("AREA", lambda r: str(r.area), right=True),
    Column("TITLE", lambda r: r.title),
    Column("LEAD", _leads),
    Column("TARGETS", lambda r: str(len(r.targets)), right=True),
    Column("BUDGET", lambda r: _amount_or_none(r.budget_total, r.budget_unit), right=True),
)
ENTRY_COLUMNS: tuple[Column[EntryRow], ...] = (  # ledger progress list
    Column("AS_OF", lambda r: r.as_of.isoformat()),
    Column("ID", lambda r: r.id),
    Column("WHAT", lambda r: r.what),
    Column("READING", _entry_reading),
    Column("NOTE", lambda r: r.note or ""),
    Column("SOURCE", lambda r: r.source or ""),
)
BUDGET_COLUMNS: tuple[Column[BudgetRow], ...] = (
    Column("ID", lambda r: r.id),
    Column("MEASURE", lambda r: f"{r.measure} {r.title or ''}".strip()),
    Column("AREA", lambda r: "" if r.area is None else str(r.area), right=True),
    Column("LEAD", _leads),
    Column("TOTAL", lambda r: format_amount(r.total, r.unit), right=True),
    Column("ALLOCATIONS", lambda r: str(len(r.allocations)), right=True),
    Column("SUM", _sums),
)
INSTRUMENT_COLUMNS: tuple[Column[InstrumentRow], ...] = (
    Column("ID", lambda r: r.id),
    Column("MEASURE", lambda r: str(r.measure), right=True),
    Column("NAME", lambda r: r.name),
    Column("FORM", lambda r: words.value(r.form)),
    Column("BASIS", lambda r: words.value(r.basis)),
    Column("FUNDED_BY", lambda r: LIST_SEPARATOR.join(r.funded_by)),
    Column("STANDARD", lambda r: r.standard_issued or ""),
    Column("PAID", lambda r: "" if r.paid is None else format_amount(r.paid, r.paid_unit), right=True),
)
#: The columns of each CSV sheet, in order: a field of the row, or a dotted name that reads a field of a
#: record inside the row (empty when there is no such record).
DOCUMENT_SHEET = (
    "id",
    "number",
    "title",
    "issuer",
    "date",
    "source",
    "period.start",
    "period.end",
    "area_count",
    "measure_count",
    "overall_budget.amount",
    "overall_budget.unit",
    "overall_budget.net_of_overlaps",
)
AREA_SHEET = ("document", "number", "title", "leads", "heading", "text")
MEASURE_SHEET = (
    "document",
    "number",
    "area",
    "title",
    "leads",
    "targets",
    "budget",
    "budget_total",
    "budget_unit",
    "text",
)
TARGET_SHEET = (
    "id",
    "document",
    "area",
    "measure",
    "leads",
    "what",
    "kind",
    "value",
    "unit",
    "comparator",
    "commitment",
    "deadline",
    "deadline_text",
    "horizon",
    "quote",
    "budget",
    "latest_progress.as_of",
    "latest_progress.value",
    "latest_progress.unit",
    "latest_progress.status",
    "state",
)
PROGRESS_SHEET = ("target", "as_of", "value", "unit", "status", "note", "source")
BUDGET_SHEET = (
    "id",
    "document",
    "measure",
    "title",
    "area",
    "leads",
    "total",
    "unit",
    "quote",
    "allocated",
    "sums_to_total",
)
#: The export's budgets: with what is paid out by its as_of (``ledger query budgets`` has no date).
EXPORT_BUDGET_SHEET = (*BUDGET_SHEET, "paid_out", "execution_percent", "allocations_reported")
INSTRUMENT_SHEET = (
    "id",
    "document",
    "measure",
    "area",
    "leads",
    "name",
    "form",
    "beneficiaries",
    "basis",
    "amount",
    "unit",
    "standard_text",
    "funded_by",
    "standard_issued",
    "standard",
    "paid",
    "paid_unit",
    "recipients",
    "quote",
)
ALLOCATION_SHEET = (
    *("budget", "id", "label", "amount", "unit", "share_percent", "quote"),
    *("paid_out", "execution_percent", "reported"),  # by the export's as_of
)
#: The sheet of ``ledger progress list``.
ENTRY_SHEET = (
    *("id", "kind", "what", "as_of", "value", "unit", "status", "note", "source"),
    *("document_number", "title", "recipients"),  # an instrument's entries
)
#: The sheets of ``ledger export --format csv``, which are also the tables ``--table`` names.
SHEETS = {
    "documents": DOCUMENT_SHEET,
    "areas": AREA_SHEET,
    "measures": MEASURE_SHEET,
    "targets": TARGET_SHEET,
    "progress": PROGRESS_SHEET,
    "budgets": EXPORT_BUDGET_SHEET,
    "allocations": ALLOCATION_SHEET,
}
#: Each listing (``ledger list``, ``query``, ``progress list``): the noun its caption counts, its display
#: columns and its sheet.
LISTINGS: dict[str, tuple[str, tuple[Column[Any], ...], tuple[str, ...]]] = {
    "targets": ("target", TARGET_COLUMNS, TARGET_SHEET),
    "measures": ("measure", MEASURE_COLUMNS, MEASURE_SHEET),
    "budgets": ("budget", BUDGET_COLUMNS, BUDGET_SHEET),
    "entries": ("entry", ENTRY_COLUMNS, ENTRY_SHEET),
    "instruments": ("instrument", INSTRUMENT_COLUMNS, INSTRUMENT_SHEET),
}


def _read(row: object, column: str) -> object:
    value = row
    for name in column.split("."):
        if value is None:
            return None
        value = getattr(value, name)
    return value


def sheet(name: str, columns: tuple[str, ...], rows: Iterable[object]) -> Sheet:
    return Sheet(name, columns, tuple(tuple(_read(row, column) for column in columns) for row in rows))


def grid(title: str, columns: Sequence[Column[R]], rows: Sequence[R], caption: str = "") -> Grid:
    return Grid(
        title=title,
        headers=tuple(c.header for c in columns),
        rows=tuple(tuple(c.cell(row) for c in columns) for row in rows),
        right=frozenset(i for i, c in enumerate(columns) if c.right),
        caption=caption,
    )


def listing(table: str, rows: Sequence[object]) -> Output:
    """The answer of ``ledger query TABLE``, ``ledger list`` or ``ledger progress list`` in every format."""
    noun, columns, sheet_columns = LISTINGS[table]
    if len({getattr(row, "document", None) for row in rows}) > 1:  # rows of several documents: say whose
        columns = (Column("DOCUMENT", lambda r: str(r.document)), *columns)
    return Output(
        data=list(rows),
        grids=(grid(getattr(words, table.upper()), columns, rows, words.count(len(rows), noun)),),
        sheet=sheet(table, sheet_columns, rows),
    )


# --- status ---------------------------------------------------------------------------------------

#: The sheet of ``ledger status --format csv``: a target's columns, then what a straight line expects.
STATUS_SHEET = (*TARGET_SHEET, "expected_by_now")
STATUS_COLUMNS: tuple[Column[TargetStatus], ...] = (
    Column("ID", lambda s: s.target.id),
    Column("WHAT", lambda s: s.target.what),
    Column("TARGET", status_goal),
    Column("LATEST", lambda s: describe_progress(s.latest)),
    Column("EXPECTED", expected_cell, right=True),
    Column("STATE", lambda s: words.state(s.state)),
)
#: Width of the bar of achieved targets in a Markdown cell.
STATUS_BAR_WIDTH = 10


def status_output(ledger: Ledger, answer: StatusAnswer) -> Output:
    """``ledger status`` in every format but ``table`` (which ``plain.status_view`` lays out).

    JSON and YAML are the whole answer (``StatusRecord``); CSV is one row per target with its state,
    latest entry and expected-by-now; Markdown is the targets, the counts per area, and the instruments
    and their 兑现 when there are any.
    """
    record = status_record(ledger, answer)
    day = answer.as_of.isoformat()
    several = len({summary.document for summary in answer.summaries}) > 1
    columns = STATUS_COLUMNS
    if several:  # targets of several documents: say whose
        columns = (Column("DOCUMENT", lambda s: s.target.document), *columns)
    grids = [
        grid(
            words.status_targets_title(day),
            columns,
            answer.statuses,
            words.count(len(answer.statuses), "target"),
        ),
        Grid(
            title=words.PER_AREA,
            headers=(
                words.AREA,
                words.LEAD,
                words.TARGETS,
                *(words.state(state) for state in STATE_ORDER),
                words.ACHIEVED,
            ),
            rows=tuple(
                (
                    f"{s.document} {s.area} {s.title}" if several else f"{s.area} {s.title}",
                    LIST_SEPARATOR.join(s.leads),
                    str(s.total),
                    *(str(s.counts.get(state, 0)) for state in STATE_ORDER),
                    f"{text_bar(s.counts.get(State.ACHIEVED, 0), s.total, STATUS_BAR_WIDTH)} "
                    f"{s.counts.get(State.ACHIEVED, 0)}/{s.total}",
                )
                for s in answer.summaries
            ),
            right=frozenset(range(2, 3 + len(STATE_ORDER))),
        ),
    ]
    if answer.instruments:
        grids.append(
            Grid(
                title=words.PER_LEAD_INSTRUMENTS,
                headers=(
                    words.LEAD,
                    words.INSTRUMENTS,
                    words.DEFERRING,
                    words.standards_issued(),
                    words.PENDING,
                    words.PAID,
                ),
                rows=tuple(
                    (b.lead, *(str(n) for n in (b.instruments, b.deferring, b.issued, b.pending, b.paid)))
                    for b in answer.instruments
                ),
                right=frozenset(range(1, 6)),
            )
        )
    if answer.payments:
        grids.append(
            Grid(
                title=words.PER_INSTRUMENT_PAID,
                headers=(words.ID, words.NAME, words.FUNDED_BY, words.PAID, words.RECIPIENTS, words.AS_OF),
                rows=tuple(
                    (
                        f"{p.document} {p.id}" if several else p.id,
                        p.name,
                        LIST_SEPARATOR.join(p.funded_by),
                        "" if p.paid is None else format_amount(p.paid, p.unit),
                        "" if p.recipients is None else str(p.recipients),
                        p.as_of.isoformat(),
                    )
                    for p in answer.payments
                ),
                right=frozenset({3, 4, 5}),
            )
        )
    return Output(data=record, grids=tuple(grids), sheet=sheet("targets", STATUS_SHEET, record.targets))


# --- budgets --------------------------------------------------------------------------------------


def budget_statement(statement: BudgetStatement) -> Output:
    """``ledger budgets``: three grids (budgets with allocations, areas, overall) and one flat sheet."""
    unit = statement.unit
    amount = partial(_amount_or_none, unit=unit)

    def as_written(line: StatementBudget | StatementAllocation) -> str:
        return format_amount(line.written.amount, line.written.unit)

    lines: list[tuple[str, ...]] = []
    for budget in statement.budgets:
        title = f"{budget.measure}．{budget.title or ''}"
        lines.append((budget.id, title, amount(budget.total), as_written(budget), words.FULL_SHARE))
        lines += [
            (a.id, f"  {a.label}", amount(a.amount), as_written(a), words.percent(a.share_percent))
            for a in budget.allocations
        ]
        if not budget.sums_to_total:
            lines.append(("", f"  {words.ALLOCATIONS_SUM_TO}", amount(budget.allocated), "", words.NOT_TOTAL))
    budgets_grid = Grid(
        title=words.budgets_in(unit),
        headers=(words.ID, words.MEASURE_OR_ALLOCATION, unit, words.AS_WRITTEN, words.SHARE),
        rows=tuple(lines),
        right=frozenset({2, 3, 4}),
        caption=words.count(len(statement.budgets), "budget"),
    )
    areas_grid = Grid(
        title=words.totals_per_area_in(unit),
        headers=(words.AREA, words.TITLE, words.LEAD, words.BUDGETS, unit),
        rows=tuple(
            (str(a.area), a.title, LIST_SEPARATOR.join(a.leads), ", ".join(a.budgets), amount(a.total))
            for a in statement.areas
        ),
        right=frozenset({0, 4}),
    )
    overall = [
        (words.gross_sum_of(words.count(len(statement.budgets), "budget")), amount(statement.gross_total))
    ]
    if statement.stated_total is not None:
        net = words.NET_OF_OVERLAPS if statement.net_of_overlaps else ""
        overall.append((f"{words.STATED_TOTAL}{net}", amount(statement.stated_total)))
        overall.append((words.IMPLIED_OVERLAP, amount(statement.overlap)))
    overall_grid = Grid(
        title=words.overall_in(unit),
        headers=("", unit),
        rows=tuple(overall),
        right=frozenset({1}),
    )
    return Output(
        data=statement,
        grids=(budgets_grid, areas_grid, overall_grid, *_paid_out_grids(statement)),
        sheet=_statement_sheet(statement),
    )


def _paid_out_grids(statement: BudgetStatement) -> tuple[Grid, Grid]:
    """What each budget and allocation paid out by the statement's date, then each area and the total."""
    unit, day = statement.unit, statement.as_of.isoformat()
    amount = partial(_amount_or_none, unit=unit)

    lines: list[tuple[str, ...]] = []
    for budget in statement.budgets:
        lines.append(
            (
                budget.id,
                f"{budget.measure}．{budget.title or ''}",
                amount(budget.total),
                amount(budget.paid_out),
                words.percent(budget.execution_percent),
                words.reported_of(budget.allocations_reported, len(budget.allocations)),
            )
        )
        lines += [
            (
                a.id,
                f"  {a.label}",
                amount(a.amount),
                amount(a.paid_out),
                words.percent(a.execution_percent),
                "",
            )
            if a.reported
            else (a.id, f"  {a.label}", amount(a.amount), words.NONE, words.NONE, "")
            for a in budget.allocations
        ]
    headers = (words.PAID_OUT, words.EXECUTION, words.REPORTED)
    budgets_grid = Grid(
        title=words.paid_out_by(day, unit),
        headers=(words.ID, words.MEASURE_OR_ALLOCATION, unit, *headers),
        rows=tuple(lines),
        right=frozenset({2, 3, 4, 5}),
        caption=words.not_reported_caption(day),
    )
    totals: list[tuple[str, ...]] = [
        (
            str(a.area),
            a.title,
            amount(a.total),
            amount(a.paid_out),
            words.percent(a.execution_percent),
            words.reported_of(a.allocations_reported, a.allocation_count),
        )
        for a in statement.areas
    ]
    totals.append(
        (
            "",
            words.gross_sum_of(words.count(len(statement.budgets), "budget")),
            amount(statement.gross_total),
            amount(statement.paid_out_total),
            words.percent(statement.execution_percent),
            words.reported_of(statement.allocations_reported, statement.allocation_count),
        )
    )
    caption = ""
    if statement.stated_total is not None:
        net = words.NET_OF_OVERLAPS if statement.net_of_overlaps else ""
        totals.append(("", f"{words.STATED_TOTAL}{net}", amount(statement.stated_total), "", "", ""))
        caption = words.stated_total_not_paid(bool(statement.net_of_overlaps))
    areas_grid = Grid(
        title=words.paid_out_per_area_by(day, unit),
        headers=(words.AREA, words.TITLE, unit, *headers),
        rows=tuple(totals),
        right=frozenset({0, 2, 3, 4, 5}),
        caption=caption,
    )
    return budgets_grid, areas_grid


STATEMENT_COLUMNS = (
    "kind",
    "id",
    "measure",
    "area",
    "label",
    "amount",
    "unit",
    "written_amount",
    "written_unit",
    # what is paid out by the statement's date (allocation, budget, area and gross lines)
    "paid_out",
    "execution_percent",
    "allocations",
    "allocations_reported",
)
#: Labels of the summary lines of the budgets CSV: part of its format, like its column names.
STATEMENT_LABELS = {
    "gross": "gross sum of all budgets",
    "stated": "stated total",
    "overlap": "implied overlap",
}


def _statement_sheet(statement: BudgetStatement) -> Sheet:
    """One flat table: a line per budget, allocation and area, then the gross, stated and overlap lines.

    A budget's or an allocation's line has its amount in the statement's unit and as the document writes it;
    the budget, allocation, area and gross lines have what is paid out by the statement's date, its share
    of the amount, and how many allocations (one, for an allocation's line) have reported.
    """
    unit = statement.unit
    rows: list[tuple[object, ...]] = []
    for budget in statement.budgets:
        lines: list[tuple[str, str, str | None, Decimal, Written, tuple[object, ...]]] = [
            (
                "budget",
                budget.id,
                budget.title,
                budget.total,
                budget.written,
                (
                    budget.paid_out,
                    budget.execution_percent,
                    len(budget.allocations),
                    budget.allocations_reported,
                ),
            )
        ]
        lines += [
            (
                "allocation",
                a.id,
                a.label,
                a.amount,
                a.written,
                (a.paid_out, a.execution_percent, 1, int(a.reported)),
            )
            for a in budget.allocations
        ]
        rows += [
            (
                kind,
                record_id,
                budget.measure,
                budget.area,
                label,
                total,
                unit,
                written.amount,
                written.unit,
                *paid,
            )
            for kind, record_id, label, total, written, paid in lines
        ]
    for area in statement.areas:
        counts = (area.paid_out, area.execution_percent, area.allocation_count, area.allocations_reported)
        rows.append(("area", None, None, area.area, area.title, area.total, unit, None, None, *counts))
    gross = (
        statement.paid_out_total,
        statement.execution_percent,
        statement.allocation_count,
        statement.allocations_reported,
    )
    summary: list[tuple[str, Decimal | None, tuple[object, ...]]] = [("gross", statement.gross_total, gross)]
    if statement.stated_total is not None:
        summary += [("stated", statement.stated_total, ()), ("overlap", statement.overlap, ())]
    for kind, total, paid in summary:
        label = STATEMENT_LABELS[kind]
        rows.append((kind, None, None, None, label, total, unit, None, None, *(paid or (None,) * 4)))
    return Sheet("budgets", STATEMENT_COLUMNS, tuple(rows))


# --- compare --------------------------------------------------------------------------------------

#: The sheet of ``ledger compare --format csv``: one row per document total, area, budget, allocation and
#: target (``kind``), A's and B's values side by side, the difference B − A and how a target moved.
COMPARE_COLUMNS = (
    "kind",
    "area_a",
    "area_b",
    "id_a",
    "id_b",
    "label_a",
    "label_b",
    "value_a",
    "value_b",
    "unit_a",
    "unit_b",
    "comparator_a",
    "comparator_b",
    "difference",
    "change",
    "aligned_by",
    "leads_a",
    "leads_b",
    "measures_a",
    "measures_b",
    "targets_a",
    "targets_b",
)


def _signed(value: Number | None, unit: str | None = None) -> str:
    """A difference as people read it: ``+0.2亿元``, ``-5``, ``0``; ``—`` when there is none."""
    if value is None:
        return words.NONE
    sign = "+" if value > 0 else ""
    return f"{sign}{format_amount(value, unit)}"


def _both(first: str | None, second: str | None) -> str:
    """One cell for two sides: ``x`` when they agree, ``x → y`` when they differ, ``—`` for a side absent."""
    if first == second:
        return first if first is not None else words.NONE
    return f"{first if first is not None else words.NONE} → {second if second is not None else words.NONE}"


def _either(first: str | None, second: str | None) -> str:
    """An id or a label of a pair: the side that is there alone, else as ``_both``."""
    if first is None or second is None:
        return first or second or words.NONE
    return _both(first, second)


def _area_title(pair: AreaPair) -> str:
    """An aligned area's title (both, when they differ, with their similarity); an area alone, its own."""
    if pair.aligned_by == "document":
        return words.DOCUMENT_OWN
    cell = _both(pair.title_a, pair.title_b)
    return f"{cell} (≈{pair.similarity})" if pair.similarity is not None else cell


def _sides(pair: AreaPair, first: str, second: str) -> str:
    """``_both`` for a cell of an aligned area, where a side the pair lacks is absent."""
    return _both(first if pair.area_a is not None else None, second if pair.area_b is not None else None)


def _area_budget(pair: AreaPair) -> str:
    """``2.94`` when the budgets agree, ``31.7 → 31.8 (+0.1)`` when they differ."""
    cell = _sides(pair, _amount_or_none(pair.budget_a), _amount_or_none(pair.budget_b))
    if pair.budget_difference:
        return f"{cell} ({_signed(pair.budget_difference)})"
    return cell


def _area_number(pair: AreaPair) -> str:
    if pair.aligned_by == "document":
        return "D"
    return _sides(pair, str(pair.area_a), str(pair.area_b))


def _target_value(value: Number | None, unit: str | None, comparator: str | None, present: bool) -> str:
    return describe_quantity(value, unit, comparator) if present else words.NONE


def _target_change(pair: TargetPair) -> str:
    said = words.change(pair.change.value)
    if pair.change in (Change.RAISED, Change.LOWERED) and pair.difference is not None:
        return f"{said} {_signed(pair.difference, pair.unit_a)}"
    return said


def compare_output(comparison: Comparison) -> Output:
    """``ledger compare A B`` in every format: the documents, their areas, budgets and targets."""
    a, b, unit = comparison.a, comparison.b, comparison.unit
    overview = Grid(
        title=words.COMPARED,
        headers=("", "A", "B", words.DIFFERENCE),
        rows=(
            (words.DOCUMENT_ID, a.id, b.id, ""),
            (words.NUMBER_ROW, a.number, b.number, ""),
            (words.TITLE_ROW, a.title, b.title, ""),
            (words.ISSUED, a.date, b.date, ""),
            (
                words.in_unit(words.GROSS_SUM, unit),
                format_number(a.gross_total),
                format_number(b.gross_total),
                _signed(comparison.gross_difference),
            ),
            (
                words.in_unit(words.STATED_TOTAL, unit),
                _amount_or_none(a.stated_total),
                _amount_or_none(b.stated_total),
                _signed(comparison.stated_difference),
            ),
        ),
        right=frozenset({3}),
    )
    areas = [pair for pair in comparison.areas if pair.aligned_by != "document"]
    unaligned = _(", ").join(
        words.only_in("A", p.area_a, p.title_a or "")
        if p.area_a is not None
        else words.only_in("B", p.area_b or 0, p.title_b or "")
        for p in areas
        if p.aligned_by is None
    )
    areas_grid = Grid(
        title=words.COMPARED_AREAS,
        headers=(
            words.AREA,
            words.TITLE,
            words.LEAD,
            words.in_unit(words.BUDGET, unit),
            words.MEASURES,
            words.TARGETS,
        ),
        rows=tuple(
            (
                _area_number(p),
                _area_title(p),
                _sides(p, LIST_SEPARATOR.join(p.leads_a), LIST_SEPARATOR.join(p.leads_b)),
                _area_budget(p),
                _sides(p, str(p.measures_a), str(p.measures_b)),
                _sides(p, str(p.targets_a), str(p.targets_b)),
            )
            for p in areas
        ),
        right=frozenset({3, 4, 5}),
        caption=words.areas_aligned(
            comparison.aligned, sum(1 for p in areas if p.aligned_by == "similarity"), unaligned
        ),
    )
    budget_lines: list[tuple[str, ...]] = []
    for pair in comparison.areas:
        for budget in pair.budgets:
            budget_lines.append(
                (
                    _area_number(pair),
                    _either(budget.id_a, budget.id_b),
                    _either(budget.measure_a, budget.measure_b),
                    _amount_or_none(budget.total_a, budget.unit),
                    _amount_or_none(budget.total_b, budget.unit),
                    _signed(budget.difference, budget.unit),
                )
            )
            budget_lines += [
                (
                    "",
                    _either(line.id_a, line.id_b),
                    "  " + _either(line.label_a, line.label_b),
                    _amount_or_none(line.amount_a, line.unit),
                    _amount_or_none(line.amount_b, line.unit),
                    _signed(line.difference, line.unit),
                )
                for line in budget.allocations
            ]
    budgets_grid = Grid(
        title=words.budgets_compared(unit),
        headers=(words.AREA, words.ID, words.MEASURE_OR_ALLOCATION, "A", "B", words.DIFFERENCE),
        rows=tuple(budget_lines),
        right=frozenset({3, 4, 5}),
    )
    target_lines = [
        (
            _area_number(pair),
            _either(t.id_a, t.id_b),
            _either(t.what_a, t.what_b),
            _target_value(t.value_a, t.unit_a, t.comparator_a, t.id_a is not None),
            _target_value(t.value_b, t.unit_b, t.comparator_b, t.id_b is not None),
            _target_change(t),
        )
        for pair in comparison.areas
        for t in pair.targets
    ]
    targets_grid = Grid(
        title=words.COMPARED_TARGETS,
        headers=(words.AREA, words.ID, words.WHAT, "A", "B", words.CHANGE),
        rows=tuple(target_lines),
        right=frozenset({3, 4}),
        caption=words.targets_changes(comparison.changes),
    )
    return Output(
        data=comparison,
        grids=(overview, areas_grid, budgets_grid, targets_grid),
        sheet=_compare_sheet(comparison),
    )


def _compare_sheet(comparison: Comparison) -> Sheet:
    a, b, unit = comparison.a, comparison.b, comparison.unit
    paired = {column.removesuffix("_a") for column in COMPARE_COLUMNS if column.endswith("_a")}

    def row(kind: str, **cells: Any) -> tuple[object, ...]:
        """One row; a paired column is given as A's and B's value (``id=(id_a, id_b)``)."""
        named: dict[str, object] = {"kind": kind}
        for name, value in cells.items():
            if name in paired:
                named[f"{name}_a"], named[f"{name}_b"] = value
            else:
                named[name] = value
        return tuple(named.get(column) for column in COMPARE_COLUMNS)

    documents = {"id": (a.id, b.id), "label": (a.number, b.number), "unit": (unit, unit)}
    rows = [
        row(
            "gross", **documents, value=(a.gross_total, b.gross_total), difference=comparison.gross_difference
        ),
        row(
            "stated",
            **documents,
            value=(a.stated_total, b.stated_total),
            difference=comparison.stated_difference,
        ),
    ]
    for pair in comparison.areas:
        area = (pair.area_a, pair.area_b)
        if pair.aligned_by != "document":
            rows.append(
                row(
                    "area",
                    area=area,
                    label=(pair.title_a, pair.title_b),
                    value=(pair.budget_a, pair.budget_b),
                    unit=(unit, unit),
                    difference=pair.budget_difference,
                    aligned_by=pair.aligned_by,
                    leads=(pair.leads_a, pair.leads_b),
                    measures=(pair.measures_a, pair.measures_b),
                    targets=(pair.targets_a, pair.targets_b),
                )
            )
        for budget in pair.budgets:
            money = {"area": area, "unit": (budget.unit, budget.unit)}
            rows.append(
                row(
                    "budget",
                    **money,
                    id=(budget.id_a, budget.id_b),
                    label=(budget.measure_a, budget.measure_b),
                    value=(budget.total_a, budget.total_b),
                    difference=budget.difference,
                )
            )
            rows += [
                row(
                    "allocation",
                    **money,
                    id=(line.id_a, line.id_b),
                    label=(line.label_a, line.label_b),
                    value=(line.amount_a, line.amount_b),
                    difference=line.difference,
                )
                for line in budget.allocations
            ]
        rows += [
            row(
                "target",
                area=area,
                id=(t.id_a, t.id_b),
                label=(t.what_a, t.what_b),
                value=(t.value_a, t.value_b),
                unit=(t.unit_a, t.unit_b),
                comparator=(t.comparator_a, t.comparator_b),
                difference=t.difference,
                change=t.change,
            )
            for t in pair.targets
        ]
    return Sheet("compare", COMPARE_COLUMNS, tuple(rows))


# --- export ---------------------------------------------------------------------------------------

EXPORT_TABLES = tuple(SHEETS)


@dataclass(frozen=True)
class ExportResult:
    """What ``ledger export`` produced: text for stdout, or the CSV files it wrote."""

    content: str | bytes = ""
    written: tuple[Path, ...] = ()


def export_output(
    export: Export, fmt: str, table: str | None = None, directory: Path | None = None
) -> ExportResult:
    """The export document as JSON or YAML (whole, or one table), or its tables as CSV."""
    if table is not None and table not in EXPORT_TABLES:
        raise LedgerError(
            _("unknown table '{table}'; tables: {tables}").format(
                table=table, tables=", ".join(EXPORT_TABLES)
            ),
            exit_code=2,
        )
    if directory is not None and fmt != "csv":
        raise LedgerError(
            _(
                "--output writes CSV files; "
                "with --format {format} redirect the output instead (> ledger.{format})"
            ).format(format=fmt),
            exit_code=2,
        )
    if fmt != "csv":
        data: object = export if table is None else export_tables(export)[table]
        return ExportResult(to_json(data) if fmt == "json" else to_yaml(data))
    sheets = {name: sheet(name, SHEETS[name], rows) for name, rows in export_tables(export).items()}
    if directory is None:
        if table is None:
            raise LedgerError(
                _(
                    "CSV holds one table: choose one with --table (e.g. --table targets) or write every "
                    "table into a directory with --output DIR"
                ),
                exit_code=2,
            )
        return ExportResult(to_csv(sheets[table]))
    chosen = [sheets[table]] if table else list(sheets.values())
    try:
        directory.mkdir(parents=True, exist_ok=True)
        written = []
        for one in chosen:
            path = directory / f"{one.name}.csv"
            path.write_bytes(to_csv(one))
            written.append(path)
    except OSError as exc:
        raise LedgerError(
            _("{folder}: cannot write: {reason}").format(folder=directory, reason=exc.strerror or exc),
            exit_code=2,
        ) from exc
    return ExportResult(written=tuple(written))
