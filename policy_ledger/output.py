"""Typed rows → the five output formats: table, json, csv, yaml, markdown.

A command's answer becomes an ``Output``: the rows themselves (for json and yaml), display grids of short
text cells (for the terminal table, drawn by ``render``, and for markdown) and one flat sheet of exact
values (for csv). Numbers stay exact everywhere: ``Decimal`` and ``Fraction`` print as the document writes
them (``31.5``, ``1/2``), as strings in JSON, never through ``float``.

Each format has one boundary where hostile text is made harmless (``safe``): ``to_csv`` neutralises text
cells that a spreadsheet would run as formulas, ``to_markdown`` escapes every cell, and ``to_json`` writes
the characters that ``json.dumps`` leaves raw as escapes. The terminal table is escaped by ``render``.

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
from pathlib import Path
from typing import Any, Generic, TypeVar

from . import words
from .amounts import format_amount, format_number
from .cells import describe_quantity, due, reading
from .problems import LedgerError
from .queries import (
    AreaRow,
    BudgetAllocation,
    BudgetRow,
    BudgetStatement,
    DocumentRow,
    EntryRow,
    Export,
    InstrumentRow,
    MeasureRow,
    Percent,
    StatementAllocation,
    StatementBudget,
    TargetProgress,
    TargetRow,
    export_tables,
)
from .safe import csv_safe, json_safe, markdown_safe

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
    """A column of a grid: its header and the text cell of a row."""

    header: str
    cell: Callable[[R], str]
    right: bool = False


@dataclass(frozen=True)
class SheetColumn(Generic[R]):
    """A column of a sheet: its name (dotted inside a nested record) and the value it reads from a row."""

    name: str
    read: Callable[[R], object]


# --- plain data -----------------------------------------------------------------------------------


def jsonable(value: Any) -> Any:
    """Typed rows as plain JSON data: a dataclass becomes an object of its fields in order, exact numbers
    their written form as text (``"31.5"``), dates ISO text, enums their value; the rest as is."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
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
    from tabulate import tabulate

    parts = []
    for grid in grids:
        align = ["right" if i in grid.right else "left" for i in range(len(grid.headers))]
        rows = [[markdown_safe(cell) for cell in row] for row in grid.rows]
        table = tabulate(
            rows,
            headers=[markdown_safe(header) for header in grid.headers],
            tablefmt="pipe",
            colalign=align,
            disable_numparse=True,  # cells are already exact text; never let tabulate read them as floats
        )
        heading = f"## {markdown_safe(grid.title)}\n\n" if len(grids) > 1 else ""
        caption = f"\n\n{markdown_safe(grid.caption)}" if grid.caption and len(grids) > 1 else ""
        parts.append(f"{heading}{table}{caption}")
    return "\n\n".join(parts) + "\n"


def render_text(output: Output, fmt: str) -> str | bytes:
    """Every format but ``table`` (which ``render`` draws from ``output.grids``)."""
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


def _budget_of_measure(row: MeasureRow) -> str:
    if row.budget_total is None:
        return words.NONE
    return format_amount(row.budget_total, row.budget_unit)


def _entry_reading(row: EntryRow) -> str:
    paid = words.PAID_OUT_SUFFIX if row.kind == "disbursement" and row.value is not None else ""
    return reading(row.value, row.unit, row.status) + paid


def _sums(row: BudgetRow) -> str:
    if row.sums_to_total:
        return words.SUMS_TO_TOTAL
    if row.allocated is None:
        return words.NONE
    return f"{format_amount(row.allocated, row.unit)} {words.NOT_TOTAL}"


TARGET_COLUMNS: tuple[Column[TargetRow], ...] = (
    Column(words.ID, lambda r: r.id),
    Column(words.WHAT, lambda r: r.what),
    Column(words.VALUE, lambda r: describe_quantity(r.value, r.unit, r.comparator)),
    Column(words.COMMITMENT, lambda r: r.commitment),
    Column(words.DUE, lambda r: due(r.deadline, r.deadline_text)),
    Column(words.LEAD, _leads),
    Column(words.STATE, lambda r: "" if r.state is None else words.STATES[r.state]),
)
MEASURE_COLUMNS: tuple[Column[MeasureRow], ...] = (
    Column(words.NUMBER, lambda r: str(r.number), right=True),
    Column(words.AREA, lambda r: str(r.area), right=True),
    Column(words.TITLE, lambda r: r.title),
    Column(words.LEAD, _leads),
    Column(words.TARGETS, lambda r: str(len(r.targets)), right=True),
    Column(words.BUDGET, _budget_of_measure, right=True),
)
ENTRY_COLUMNS: tuple[Column[EntryRow], ...] = (  # ledger progress list
    Column(words.AS_OF, lambda r: r.as_of.isoformat()),
    Column(words.ID, lambda r: r.id),
    Column(words.WHAT, lambda r: r.what),
    Column(words.READING, _entry_reading),
    Column(words.NOTE, lambda r: r.note or ""),
    Column(words.SOURCE, lambda r: r.source or ""),
)
BUDGET_COLUMNS: tuple[Column[BudgetRow], ...] = (
    Column(words.ID, lambda r: r.id),
    Column(words.MEASURE, lambda r: f"{r.measure} {r.title or ''}".strip()),
    Column(words.AREA, lambda r: "" if r.area is None else str(r.area), right=True),
    Column(words.LEAD, _leads),
    Column(words.TOTAL, lambda r: format_amount(r.total, r.unit), right=True),
    Column(words.ALLOCATIONS, lambda r: str(len(r.allocations)), right=True),
    Column(words.SUM, _sums),
)
INSTRUMENT_COLUMNS: tuple[Column[InstrumentRow], ...] = (
    Column(words.ID, lambda r: r.id),
    Column(words.MEASURE, lambda r: str(r.measure), right=True),
    Column(words.NAME, lambda r: r.name),
    Column(words.FORM, lambda r: r.form),
    Column(words.BASIS, lambda r: r.basis),
    Column(words.FUNDED_BY, lambda r: LIST_SEPARATOR.join(r.funded_by)),
    Column(words.STANDARD, lambda r: r.standard_issued or ""),
    Column(words.PAID, lambda r: "" if r.paid is None else format_amount(r.paid, r.paid_unit), right=True),
)
DISPLAY: dict[str, tuple[Column[Any], ...]] = {
    "targets": TARGET_COLUMNS,
    "measures": MEASURE_COLUMNS,
    "entries": ENTRY_COLUMNS,
    "budgets": BUDGET_COLUMNS,
    "instruments": INSTRUMENT_COLUMNS,
}


def col(name: str, read: Callable[[R], object]) -> SheetColumn[R]:
    return SheetColumn(name, read)


#: The columns of each CSV sheet, in order, and what each reads (a dotted name reads inside a record).
DOCUMENT_SHEET: tuple[SheetColumn[DocumentRow], ...] = (
    col("id", lambda r: r.id),
    col("number", lambda r: r.number),
    col("title", lambda r: r.title),
    col("issuer", lambda r: r.issuer),
    col("date", lambda r: r.date),
    col("source", lambda r: r.source),
    col("period.start", lambda r: r.period.start),
    col("period.end", lambda r: r.period.end),
    col("area_count", lambda r: r.area_count),
    col("measure_count", lambda r: r.measure_count),
    col("overall_budget.amount", lambda r: None if r.overall_budget is None else r.overall_budget.amount),
    col("overall_budget.unit", lambda r: None if r.overall_budget is None else r.overall_budget.unit),
    col(
        "overall_budget.net_of_overlaps",
        lambda r: None if r.overall_budget is None else r.overall_budget.net_of_overlaps,
    ),
)
AREA_SHEET: tuple[SheetColumn[AreaRow], ...] = (
    col("document", lambda r: r.document),
    col("number", lambda r: r.number),
    col("title", lambda r: r.title),
    col("leads", lambda r: r.leads),
    col("heading", lambda r: r.heading),
    col("text", lambda r: r.text),
)
MEASURE_SHEET: tuple[SheetColumn[MeasureRow], ...] = (
    col("document", lambda r: r.document),
    col("number", lambda r: r.number),
    col("area", lambda r: r.area),
    col("title", lambda r: r.title),
    col("leads", lambda r: r.leads),
    col("targets", lambda r: r.targets),
    col("budget", lambda r: r.budget),
    col("budget_total", lambda r: r.budget_total),
    col("budget_unit", lambda r: r.budget_unit),
    col("text", lambda r: r.text),
)
TARGET_SHEET: tuple[SheetColumn[TargetRow], ...] = (
    col("id", lambda r: r.id),
    col("document", lambda r: r.document),
    col("area", lambda r: r.area),
    col("measure", lambda r: r.measure),
    col("leads", lambda r: r.leads),
    col("what", lambda r: r.what),
    col("kind", lambda r: r.kind),
    col("value", lambda r: r.value),
    col("unit", lambda r: r.unit),
    col("comparator", lambda r: r.comparator),
    col("commitment", lambda r: r.commitment),
    col("deadline", lambda r: r.deadline),
    col("deadline_text", lambda r: r.deadline_text),
    col("quote", lambda r: r.quote),
    col("budget", lambda r: r.budget),
    col("latest_progress.as_of", lambda r: None if r.latest_progress is None else r.latest_progress.as_of),
    col("latest_progress.value", lambda r: None if r.latest_progress is None else r.latest_progress.value),
    col("latest_progress.unit", lambda r: None if r.latest_progress is None else r.latest_progress.unit),
    col("latest_progress.status", lambda r: None if r.latest_progress is None else r.latest_progress.status),
    col("state", lambda r: r.state),
)
PROGRESS_SHEET: tuple[SheetColumn[TargetProgress], ...] = (
    col("target", lambda r: r.target),
    col("as_of", lambda r: r.as_of),
    col("value", lambda r: r.value),
    col("unit", lambda r: r.unit),
    col("status", lambda r: r.status),
    col("note", lambda r: r.note),
    col("source", lambda r: r.source),
)
BUDGET_SHEET: tuple[SheetColumn[BudgetRow], ...] = (
    col("id", lambda r: r.id),
    col("document", lambda r: r.document),
    col("measure", lambda r: r.measure),
    col("title", lambda r: r.title),
    col("area", lambda r: r.area),
    col("leads", lambda r: r.leads),
    col("total", lambda r: r.total),
    col("unit", lambda r: r.unit),
    col("quote", lambda r: r.quote),
    col("allocated", lambda r: r.allocated),
    col("sums_to_total", lambda r: r.sums_to_total),
)
INSTRUMENT_SHEET: tuple[SheetColumn[InstrumentRow], ...] = (
    col("id", lambda r: r.id),
    col("document", lambda r: r.document),
    col("measure", lambda r: r.measure),
    col("area", lambda r: r.area),
    col("leads", lambda r: r.leads),
    col("name", lambda r: r.name),
    col("form", lambda r: r.form),
    col("beneficiaries", lambda r: r.beneficiaries),
    col("basis", lambda r: r.basis),
    col("amount", lambda r: r.amount),
    col("unit", lambda r: r.unit),
    col("standard_text", lambda r: r.standard_text),
    col("funded_by", lambda r: r.funded_by),
    col("standard_issued", lambda r: r.standard_issued),
    col("paid", lambda r: r.paid),
    col("paid_unit", lambda r: r.paid_unit),
    col("recipients", lambda r: r.recipients),
    col("quote", lambda r: r.quote),
)
ALLOCATION_SHEET: tuple[SheetColumn[BudgetAllocation], ...] = (
    col("budget", lambda r: r.budget),
    col("id", lambda r: r.id),
    col("label", lambda r: r.label),
    col("amount", lambda r: r.amount),
    col("unit", lambda r: r.unit),
    col("share_percent", lambda r: r.share_percent),
    col("quote", lambda r: r.quote),
)
#: The sheets of ``ledger export --format csv``, which are also the tables ``--table`` names.
SHEETS: dict[str, tuple[SheetColumn[Any], ...]] = {
    "documents": DOCUMENT_SHEET,
    "areas": AREA_SHEET,
    "measures": MEASURE_SHEET,
    "targets": TARGET_SHEET,
    "progress": PROGRESS_SHEET,
    "budgets": BUDGET_SHEET,
    "allocations": ALLOCATION_SHEET,
}
ENTRY_SHEET: tuple[SheetColumn[EntryRow], ...] = (  # ledger progress list
    col("id", lambda r: r.id),
    col("kind", lambda r: r.kind),
    col("what", lambda r: r.what),
    col("as_of", lambda r: r.as_of),
    col("value", lambda r: r.value),
    col("unit", lambda r: r.unit),
    col("status", lambda r: r.status),
    col("note", lambda r: r.note),
    col("source", lambda r: r.source),
)
#: The sheet of each listing (``ledger list``, ``query``, ``progress list``).
LISTING_SHEETS: dict[str, tuple[SheetColumn[Any], ...]] = {
    "targets": TARGET_SHEET,
    "measures": MEASURE_SHEET,
    "budgets": BUDGET_SHEET,
    "entries": ENTRY_SHEET,
    "instruments": INSTRUMENT_SHEET,
}
NOUNS = {
    "targets": "target",
    "measures": "measure",
    "budgets": "budget",
    "entries": "entry",
    "instruments": "instrument",
}


def sheet(name: str, columns: Sequence[SheetColumn[R]], rows: Iterable[R]) -> Sheet:
    return Sheet(
        name, tuple(c.name for c in columns), tuple(tuple(c.read(row) for c in columns) for row in rows)
    )


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
    caption = words.count(len(rows), NOUNS[table])
    return Output(
        data=list(rows),
        grids=(grid(table.capitalize(), DISPLAY[table], rows, caption),),
        sheet=sheet(table, LISTING_SHEETS[table], rows),
    )


# --- budgets --------------------------------------------------------------------------------------


def budget_statement(statement: BudgetStatement) -> Output:
    """``ledger budgets``: three grids (budgets with allocations, areas, overall) and one flat sheet."""
    unit = statement.unit

    def amount(value: Decimal | None) -> str:
        return words.NONE if value is None else format_amount(value, unit)

    lines: list[tuple[str, ...]] = []
    for budget in statement.budgets:
        title = f"{budget.measure}．{budget.title or ''}"
        written = format_amount(budget.written.amount, budget.written.unit)
        lines.append((budget.id, title, amount(budget.total), written, words.FULL_SHARE))
        for allocation in budget.allocations:
            lines.append(
                (
                    allocation.id,
                    f"  {allocation.label}",
                    amount(allocation.amount),
                    format_amount(allocation.written.amount, allocation.written.unit),
                    words.percent(allocation.share_percent),
                )
            )
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
            (
                str(area.area),
                area.title,
                LIST_SEPARATOR.join(area.leads),
                ", ".join(area.budgets),
                amount(area.total),
            )
            for area in statement.areas
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
        grids=(budgets_grid, areas_grid, overall_grid),
        sheet=_statement_sheet(statement),
    )


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
)
#: Labels of the summary lines of the budgets CSV: part of its format, like its column names.
STATEMENT_LABELS = {
    "gross": "gross sum of all budgets",
    "stated": "stated total",
    "overlap": "implied overlap",
}


def _statement_sheet(statement: BudgetStatement) -> Sheet:
    """One flat table: a line per budget, allocation and area, then the gross, stated and overlap lines."""
    unit = statement.unit
    rows: list[tuple[object, ...]] = []
    for budget in statement.budgets:
        rows.append(
            _statement_line("budget", budget.id, budget.measure, budget.area, budget.title, budget, unit)
        )
        for allocation in budget.allocations:
            rows.append(
                _statement_line(
                    "allocation",
                    allocation.id,
                    budget.measure,
                    budget.area,
                    allocation.label,
                    allocation,
                    unit,
                )
            )
    for area in statement.areas:
        rows.append(("area", None, None, area.area, area.title, area.total, unit, None, None))
    summary: list[tuple[str, Decimal | None]] = [("gross", statement.gross_total)]
    if statement.stated_total is not None:
        summary += [("stated", statement.stated_total), ("overlap", statement.overlap)]
    for kind, total in summary:
        rows.append((kind, None, None, None, STATEMENT_LABELS[kind], total, unit, None, None))
    return Sheet("budgets", STATEMENT_COLUMNS, tuple(rows))


def _statement_line(
    kind: str,
    record_id: str,
    measure: int,
    area: int | None,
    label: str | None,
    line: StatementBudget | StatementAllocation,
    unit: str,
) -> tuple[object, ...]:
    """A budget's or an allocation's line: its amount in ``unit`` and as the document writes it."""
    amount = line.total if isinstance(line, StatementBudget) else line.amount
    return (kind, record_id, measure, area, label, amount, unit, line.written.amount, line.written.unit)


# --- export ---------------------------------------------------------------------------------------

EXPORT_TABLES = tuple(SHEETS)


def export_sheets(export: Export) -> dict[str, Sheet]:
    """``ledger export --format csv``: one sheet per table."""
    return {name: sheet(name, SHEETS[name], rows) for name, rows in export_tables(export).items()}


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
        raise LedgerError(f"unknown table '{table}'; tables: {', '.join(EXPORT_TABLES)}", exit_code=2)
    if directory is not None and fmt != "csv":
        raise LedgerError(
            f"--output writes CSV files; with --format {fmt} redirect the output instead (> ledger.{fmt})",
            exit_code=2,
        )
    if fmt != "csv":
        data: object = export if table is None else export_tables(export)[table]
        return ExportResult(to_json(data) if fmt == "json" else to_yaml(data))
    sheets = export_sheets(export)
    if directory is None:
        if table is None:
            raise LedgerError(
                "CSV holds one table: choose one with --table (e.g. --table targets) or write every "
                "table into a directory with --output DIR",
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
        raise LedgerError(f"{directory}: cannot write: {exc.strerror or exc}", exit_code=2) from exc
    return ExportResult(written=tuple(written))
