"""The ``ledger`` command: each command parses, makes one library call, renders, sets the exit code.

Exit codes: 0 done (warnings allowed), 1 the data has errors, 2 usage (bad argument, no data found).
Library modules are imported inside the commands so that start-up costs only what a command uses.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from . import __version__

app = typer.Typer(
    name="ledger",
    help="Query, check and keep up to date the ledger of a policy document (乐政发〔2023〕6号).",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

F = TypeVar("F", bound=Callable[..., Any])

DataOption = Annotated[
    Path | None,
    typer.Option(
        "--data",
        help="Data directory holding policies.yaml (default: $LEDGER_DATA, else the nearest "
        "data/ from here upward).",
        file_okay=False,
    ),
]
DocOption = Annotated[
    str | None,
    typer.Option("--doc", help="Document id, when the ledger holds several."),
]


class ShowFormat(StrEnum):
    text = "text"
    json = "json"


class ListFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    yaml = "yaml"
    markdown = "markdown"


class ExportFormat(StrEnum):
    json = "json"
    yaml = "yaml"
    csv = "csv"


class QueryTable(StrEnum):
    targets = "targets"
    measures = "measures"
    budgets = "budgets"


FormatOption = Annotated[
    ListFormat,
    typer.Option(
        "--format",
        "-f",
        help="table (for a terminal), json, csv (UTF-8 with BOM, for spreadsheets), yaml or markdown.",
    ),
]
AreaOption = Annotated[
    str | None, typer.Option("--area", help="Policy area number, 1-8.", show_default=False)
]
LeadOption = Annotated[
    str | None,
    typer.Option("--lead", help="Lead bureau, full or partial name (经信 = 市经信局).", show_default=False),
]
HasBudgetOption = Annotated[
    bool | None,
    typer.Option(
        "--has-budget/--no-budget",
        help="Only what a budgeted measure covers, or only what no budget covers.",
        show_default=False,
    ),
]
SortOption = Annotated[
    str | None,
    typer.Option(
        "--sort", help="Sort by a field (due, value, area, …); -FIELD sorts descending.", show_default=False
    ),
]
LimitOption = Annotated[
    int | None, typer.Option("--limit", min=0, help="Print at most this many rows.", show_default=False)
]


def user_errors(command: F) -> F:
    """Turn a ``LedgerError`` into one line on stderr and its exit code; never a traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from .problems import LedgerError

        try:
            return command(*args, **kwargs)
        except LedgerError as exc:
            typer.echo(f"ledger: {exc.message}", err=True)
            raise typer.Exit(exc.exit_code) from None
        except BrokenPipeError:  # `ledger validate | head`: the reader left, nothing to report
            sys.stderr.close()
            raise typer.Exit(0) from None

    return wrapper  # type: ignore[return-value]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ledger {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Query, check and keep up to date the ledger of a policy document."""


@app.command()
@user_errors
def validate(data: DataOption = None) -> None:
    """Check every file, record and cross-reference; print each problem as FILE:LINE:COL.

    Exits 1 if there is any error, 0 when the data is clean (warnings and information allowed).
    """
    from .loader import find_data_dir
    from .validation import validate_data

    report = validate_data(find_data_dir(data))
    for problem in report.problems:
        typer.echo(problem.format_text())
    typer.echo(report.summary())
    raise typer.Exit(1 if report.errors else 0)


@app.command()
@user_errors
def show(
    measure: Annotated[str, typer.Argument(help="Measure number, e.g. 17.", show_default=False)],
    output_format: Annotated[
        ShowFormat, typer.Option("--format", "-f", help="text (a terminal view) or json.")
    ] = ShowFormat.text,
    data: DataOption = None,
    doc: DocOption = None,
) -> None:
    """Show one measure: its text, area and lead bureau, targets and budget."""
    from .queries import find_measure, measure_record

    ledger = _load(data)
    found = find_measure(ledger, measure, doc)
    if output_format is ShowFormat.json:
        from .output import to_json

        typer.echo(to_json(measure_record(ledger, found)), nl=False)
        return
    from rich.console import Console

    from .render import measure_view

    Console(highlight=False).print(measure_view(ledger, found))


@app.command("list")
@user_errors
def list_measures(
    area: AreaOption = None,
    lead: LeadOption = None,
    has_budget: HasBudgetOption = None,
    output_format: FormatOption = ListFormat.table,
    data: DataOption = None,
    doc: DocOption = None,
) -> None:
    """List the measures: number, area, title, lead bureau, number of targets and budget."""
    from .output import listing
    from .queries import answer

    ledger = _load(data)
    options = {"area": area, "lead": lead, "has-budget": _yes_no(has_budget)}
    rows = answer(ledger, "measures", options=options, document_id=doc)
    _emit(listing("measures", rows), output_format)


@app.command()
@user_errors
def query(
    table: Annotated[QueryTable, typer.Argument(help="What to list: targets, measures or budgets.")],
    terms: Annotated[
        list[str] | None,
        typer.Argument(
            help="Terms such as lead:经信 unit:亿元 due:<2023-07-01 commitment:确保 not:kind:milestone, "
            "combined by AND (the README lists every field).",
            show_default=False,
        ),
    ] = None,
    area: AreaOption = None,
    lead: LeadOption = None,
    text: Annotated[
        str | None, typer.Option("--text", help="Words in the title, what or quote.", show_default=False)
    ] = None,
    unit: Annotated[
        str | None, typer.Option("--unit", help="Unit as written: 亿元, 亩, %, …", show_default=False)
    ] = None,
    commitment: Annotated[
        str | None,
        typer.Option("--commitment", help="确保 (firm), 力争 (stretch) or plain.", show_default=False),
    ] = None,
    comparator: Annotated[
        str | None,
        typer.Option(
            "--comparator",
            help="at_least (以上), at_most (以内), about (左右) or exactly.",
            show_default=False,
        ),
    ] = None,
    kind: Annotated[
        str | None, typer.Option("--kind", help="quantitative or milestone.", show_default=False)
    ] = None,
    due_before: Annotated[
        str | None,
        typer.Option("--due-before", help="Due before this date, YYYY-MM-DD.", show_default=False),
    ] = None,
    has_budget: HasBudgetOption = None,
    sort: SortOption = None,
    limit: LimitOption = None,
    output_format: FormatOption = ListFormat.table,
    data: DataOption = None,
    doc: DocOption = None,
) -> None:
    """Find targets, measures or budgets with field:value terms and filter options (AND)."""
    from .output import listing
    from .queries import answer

    ledger = _load(data)
    options = {
        "area": area,
        "lead": lead,
        "text": text,
        "unit": unit,
        "commitment": commitment,
        "comparator": comparator,
        "kind": kind,
        "due-before": due_before,
        "has-budget": _yes_no(has_budget),
    }
    rows = answer(ledger, table.value, terms or [], options, sort, limit, doc)
    _emit(listing(table.value, rows), output_format)


@app.command()
@user_errors
def budgets(
    unit: Annotated[str, typer.Option("--unit", help="Print every amount in 亿元, 万元 or 元.")] = "亿元",
    output_format: FormatOption = ListFormat.table,
    data: DataOption = None,
    doc: DocOption = None,
) -> None:
    """Every budget with its allocations, totals per area, the gross sum, the stated total and the overlap."""
    from .output import budget_statement as statement_output
    from .queries import budget_statement

    ledger = _load(data)
    _emit(statement_output(budget_statement(ledger, unit, doc)), output_format)


@app.command()
@user_errors
def export(
    output_format: Annotated[
        ExportFormat,
        typer.Option("--format", "-f", help="json (one document), yaml or csv (one file per table)."),
    ] = ExportFormat.json,
    table: Annotated[
        str | None,
        typer.Option(
            "--table",
            help="Only this table: documents, areas, measures, targets, progress, budgets or allocations.",
            show_default=False,
        ),
    ] = None,
    output_dir: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="With csv: write TABLE.csv files into this directory.", file_okay=False
        ),
    ] = None,
    data: DataOption = None,
) -> None:
    """The whole ledger for scripts: one JSON (or YAML) document, or CSV tables."""
    from .output import export_output
    from .queries import export_ledger

    ledger = _load(data)
    result = export_output(export_ledger(ledger), output_format.value, table, output_dir)
    for path in result.written:
        typer.echo(f"wrote {path}", err=True)
    typer.echo(result.content, nl=False)


def _load(data: Path | None) -> Any:
    """The ledger, with a warning on stderr when records failed to load (answers may then be partial)."""
    from .loader import find_data_dir, load_ledger
    from .problems import Severity

    ledger, problems = load_ledger(find_data_dir(data))
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    if errors:
        typer.echo(
            f"ledger: warning: the data has {errors} error(s), so records may be missing; "
            "run `ledger validate`",
            err=True,
        )
    return ledger


def _yes_no(flag: bool | None) -> str | None:
    return None if flag is None else ("yes" if flag else "no")


def _emit(output: Any, output_format: ListFormat) -> None:
    """``table`` is drawn by rich; every other format is text (CSV: bytes with a BOM) on stdout."""
    if output_format is ListFormat.table:
        from rich.console import Console

        from .render import grids_view

        Console(highlight=False).print(grids_view(output.grids))
        return
    from .output import render_text

    typer.echo(render_text(output, output_format.value), nl=False)


def main() -> None:
    app(prog_name="ledger")
