"""Rows → the five output formats: table, json, csv, yaml, markdown.

A command's answer becomes an ``Output``: the plain data (for json and yaml), display grids of short text
cells (for the terminal table, drawn by ``render``, and for markdown) and one flat sheet of exact values
(for csv). Numbers stay exact everywhere: ``Decimal`` and ``Fraction`` print as the document writes them
(``31.5``, ``1/2``), as strings in JSON, never through ``float``.

CSV is UTF-8 *with* a byte-order mark: a spreadsheet opened by double-click (Excel on Windows) reads a
CSV file without one in the local code page and shows Chinese as mojibake; with the mark it reads UTF-8.
Python reads it with ``encoding="utf-8-sig"``, pandas and LibreOffice skip the mark on their own.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from .amounts import describe_quantity, format_amount, format_number
from .problems import LedgerError

Row = Mapping[str, Any]
#: Lists inside one CSV cell (a target's lead bureaus, a measure's target ids) are joined by 、.
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
    """A table for spreadsheets and scripts: one row per record, exact values, dotted column names."""

    name: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Output:
    data: Any
    grids: tuple[Grid, ...]
    sheet: Sheet


@dataclass(frozen=True)
class Column:
    header: str
    cell: Callable[[Row], str]
    right: bool = False


# --- plain data -----------------------------------------------------------------------------------


def jsonable(value: Any) -> Any:
    """Exact numbers become their written form as text (``"31.5"``), dates ISO text; the rest as is."""
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, (Decimal, Fraction)):
        return format_number(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(item) for item in value]
    raise TypeError(f"cannot output {type(value).__name__}")


def to_json(data: Any) -> str:
    return json.dumps(jsonable(data), ensure_ascii=False, indent=2) + "\n"


def to_yaml(data: Any) -> str:
    from .yamlio import dump_plain

    return dump_plain(jsonable(data))


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.join(csv_cell(item) for item in value)
    return str(jsonable(value))


def to_csv(sheet: Sheet) -> bytes:
    """RFC 4180 CSV (CRLF line ends, a header row) in UTF-8 with a byte-order mark."""
    stream = io.StringIO()
    writer = csv.writer(stream)
    writer.writerow(sheet.columns)
    writer.writerows(sheet.rows)
    return stream.getvalue().encode(CSV_ENCODING)


def to_markdown(grids: Sequence[Grid]) -> str:
    """GitHub-flavoured pipe tables (``:--``/``--:`` align); several grids get their titles as headings."""
    from tabulate import tabulate

    parts = []
    for grid in grids:
        align = ["right" if i in grid.right else "left" for i in range(len(grid.headers))]
        rows = [[_markdown_cell(cell) for cell in row] for row in grid.rows]
        table = tabulate(
            rows,
            headers=list(grid.headers),
            tablefmt="pipe",
            colalign=align,
            disable_numparse=True,  # cells are already exact text; never let tabulate read them as floats
        )
        heading = f"## {grid.title}\n\n" if len(grids) > 1 else ""
        caption = f"\n\n{grid.caption}" if grid.caption and len(grids) > 1 else ""
        parts.append(f"{heading}{table}{caption}")
    return "\n\n".join(parts) + "\n"


def _markdown_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


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


def _leads(row: Row) -> str:
    return LIST_SEPARATOR.join(row["leads"])


def _due(row: Row) -> str:
    due = row["deadline"]
    text = due.isoformat() if due else "—"
    return f"{text} ({row['deadline_text']})" if row["deadline_text"] else text


def _budget_of_measure(row: Row) -> str:
    return "—" if row["budget_total"] is None else format_amount(row["budget_total"], row["budget_unit"])


def _reading(row: Row) -> str:
    """A progress entry's reading: its value with its unit, or a milestone's status."""
    if row["value"] is None:
        return str(row["status"])
    paid = " paid out" if row["kind"] == "disbursement" else ""
    return format_amount(row["value"], row["unit"]) + paid


def _sums(row: Row) -> str:
    if row["sums_to_total"]:
        return "= total"
    allocated = row["allocated"]
    return "—" if allocated is None else f"{format_amount(allocated, row['unit'])} ≠ total"


DISPLAY: dict[str, tuple[Column, ...]] = {
    "targets": (
        Column("ID", lambda r: r["id"]),
        Column("What", lambda r: r["what"]),
        Column("Value", lambda r: describe_quantity(r["value"], r["unit"], r["comparator"])),
        Column("Commitment", lambda r: r["commitment"]),
        Column("Due", _due),
        Column("Lead", _leads),
        Column("State", lambda r: r.get("state") or ""),
    ),
    "measures": (
        Column("No.", lambda r: str(r["number"]), right=True),
        Column("Area", lambda r: str(r["area"]), right=True),
        Column("Title", lambda r: r["title"]),
        Column("Lead", _leads),
        Column("Targets", lambda r: str(len(r["targets"])), right=True),
        Column("Budget", _budget_of_measure, right=True),
    ),
    "entries": (  # ledger progress list
        Column("As of", lambda r: r["as_of"].isoformat()),
        Column("ID", lambda r: r["id"]),
        Column("What", lambda r: r["what"]),
        Column("Reading", _reading),
        Column("Note", lambda r: r["note"] or ""),
        Column("Source", lambda r: r["source"] or ""),
    ),
    "budgets": (
        Column("ID", lambda r: r["id"]),
        Column("Measure", lambda r: f"{r['measure']} {r['title'] or ''}".strip()),
        Column("Area", lambda r: "" if r["area"] is None else str(r["area"]), right=True),
        Column("Lead", _leads),
        Column("Total", lambda r: format_amount(r["total"], r["unit"]), right=True),
        Column("Allocations", lambda r: str(len(r["allocations"])), right=True),
        Column("Sum", _sums),
    ),
}

#: The columns of each CSV sheet, in order; a dotted name reads inside a nested record.
SHEETS: dict[str, tuple[str, ...]] = {
    "documents": (
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
    ),
    "areas": ("document", "number", "title", "leads", "heading", "text"),
    "measures": (
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
    ),
    "targets": (
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
        "quote",
        "budget",
        "latest_progress.as_of",
        "latest_progress.value",
        "latest_progress.unit",
        "latest_progress.status",
        "state",
    ),
    "progress": ("target", "as_of", "value", "unit", "status", "note", "source"),
    "budgets": (
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
    ),
    "allocations": ("budget", "id", "label", "amount", "unit", "share_percent", "quote"),
}
#: Columns of listings that are not tables of ``ledger export`` (``ledger progress list``).
LISTING_SHEETS: dict[str, tuple[str, ...]] = {
    "entries": ("id", "kind", "what", "as_of", "value", "unit", "status", "note", "source"),
}
NOUNS = {"targets": "target", "measures": "measure", "budgets": "budget", "entries": "entry"}


def sheet(name: str, rows: Iterable[Row], columns: Sequence[str] | None = None) -> Sheet:
    columns = tuple(columns or SHEETS[name])
    return Sheet(name, columns, tuple(tuple(csv_cell(_dig(row, c)) for c in columns) for row in rows))


def _dig(row: Row, dotted: str) -> Any:
    value: Any = row
    for key in dotted.split("."):
        if value is None:
            return None
        value = value.get(key)
    return value


def grid(title: str, columns: Sequence[Column], rows: Sequence[Row], caption: str = "") -> Grid:
    return Grid(
        title=title,
        headers=tuple(c.header for c in columns),
        rows=tuple(tuple(c.cell(row) for c in columns) for row in rows),
        right=frozenset(i for i, c in enumerate(columns) if c.right),
        caption=caption,
    )


def count(n: int, noun: str) -> str:
    plural = noun[:-1] + "ies" if noun.endswith("y") else noun + "s"
    return f"{n} {noun}" if n == 1 else f"{n} {plural}"


def listing(table: str, rows: Sequence[Row]) -> Output:
    """The answer of ``ledger query TABLE`` or ``ledger list`` in every format."""
    caption = count(len(rows), NOUNS[table])
    return Output(
        data=list(rows),
        grids=(grid(table.capitalize(), DISPLAY[table], rows, caption),),
        sheet=sheet(table, rows, LISTING_SHEETS.get(table)),
    )


# --- budgets --------------------------------------------------------------------------------------


def budget_statement(statement: Row) -> Output:
    """``ledger budgets``: three grids (budgets with allocations, areas, overall) and one flat sheet."""
    unit = statement["unit"]

    def amount(value: Any) -> str:
        return "—" if value is None else format_amount(value, unit)

    def written(record: Row) -> str:
        return format_amount(record["written"]["amount"], record["written"]["unit"])

    lines: list[tuple[str, ...]] = []
    for budget in statement["budgets"]:
        title = f"{budget['measure']}．{budget['title'] or ''}"
        lines.append((budget["id"], title, amount(budget["total"]), written(budget), "100%"))
        for allocation in budget["allocations"]:
            lines.append(
                (
                    allocation["id"],
                    f"  {allocation['label']}",
                    amount(allocation["amount"]),
                    written(allocation),
                    f"{allocation['share_percent']}%",
                )
            )
        if not budget["sums_to_total"]:
            lines.append(("", "  allocations sum to", amount(budget["allocated"]), "", "≠ total"))
    budgets_grid = Grid(
        title=f"Budgets and their allocations, in {unit}",
        headers=("ID", "Measure / allocation", unit, "As written", "Share"),
        rows=tuple(lines),
        right=frozenset({2, 3, 4}),
        caption=count(len(statement["budgets"]), "budget"),
    )
    areas_grid = Grid(
        title=f"Totals per area, in {unit}",
        headers=("Area", "Title", "Lead", "Budgets", unit),
        rows=tuple(
            (
                str(area["area"]),
                area["title"],
                LIST_SEPARATOR.join(area["leads"]),
                ", ".join(area["budgets"]),
                amount(area["total"]),
            )
            for area in statement["areas"]
        ),
        right=frozenset({0, 4}),
    )
    overall = [
        (f"Gross sum of {count(len(statement['budgets']), 'budget')}", amount(statement["gross_total"]))
    ]
    if statement["stated_total"] is not None:
        net = " (net of overlaps)" if statement["net_of_overlaps"] else ""
        overall.append((f"Stated total{net}", amount(statement["stated_total"])))
        overall.append(("Implied overlap (gross − stated)", amount(statement["overlap"])))
    overall_grid = Grid(
        title=f"Overall, in {unit}",
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


def _statement_sheet(statement: Row) -> Sheet:
    """One flat table: a line per budget, allocation and area, then the gross, stated and overlap lines."""
    unit = statement["unit"]
    rows: list[dict[str, Any]] = []
    for budget in statement["budgets"]:
        rows.append(_statement_line("budget", budget, budget["title"], unit))
        for allocation in budget["allocations"]:
            line = _statement_line("allocation", allocation, allocation["label"], unit)
            rows.append(line | {"measure": budget["measure"], "area": budget["area"]})
    for area in statement["areas"]:
        rows.append({"kind": "area", "area": area["area"], "label": area["title"], "amount": area["total"]})
    rows.append({"kind": "gross", "label": "gross sum of all budgets", "amount": statement["gross_total"]})
    if statement["stated_total"] is not None:
        rows.append({"kind": "stated", "label": "stated total", "amount": statement["stated_total"]})
        rows.append({"kind": "overlap", "label": "implied overlap", "amount": statement["overlap"]})
    for row in rows:
        row.setdefault("unit", unit)
    return sheet("budgets", rows, STATEMENT_COLUMNS)


def _statement_line(kind: str, record: Row, label: str, unit: str) -> dict[str, Any]:
    return {
        "kind": kind,
        "id": record["id"],
        "measure": record.get("measure"),
        "area": record.get("area"),
        "label": label,
        "amount": record["amount"] if "amount" in record else record["total"],
        "unit": unit,
        "written_amount": record["written"]["amount"],
        "written_unit": record["written"]["unit"],
    }


# --- export ---------------------------------------------------------------------------------------


def export_tables(export: Row) -> dict[str, list[Row]]:
    """The export as flat tables: allocations and progress entries get tables of their own."""
    allocations = [
        {"budget": budget["id"], **allocation}
        for budget in export["budgets"]
        for allocation in budget["allocations"]
    ]
    progress = [
        {"target": target["id"], **entry} for target in export["targets"] for entry in target["progress"]
    ]
    tables = {
        "documents": export["documents"],
        "areas": export["areas"],
        "measures": export["measures"],
        "targets": export["targets"],
        "progress": progress,
        "budgets": export["budgets"],
        "allocations": allocations,
    }
    return tables


def export_sheets(export: Row) -> dict[str, Sheet]:
    """``ledger export --format csv``: one sheet per table."""
    return {name: sheet(name, rows) for name, rows in export_tables(export).items()}


EXPORT_TABLES = tuple(SHEETS)


@dataclass(frozen=True)
class ExportResult:
    """What ``ledger export`` produced: text for stdout, or the CSV files it wrote."""

    content: str | bytes = ""
    written: tuple[Path, ...] = ()


def export_output(
    export: Row, fmt: str, table: str | None = None, directory: Path | None = None
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
        data = export if table is None else export_tables(export)[table]
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
