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
    from .loader import find_data_dir, load_ledger
    from .problems import Severity
    from .queries import find_measure, measure_record

    ledger, problems = load_ledger(find_data_dir(data))
    found = find_measure(ledger, measure, doc)
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    if errors:
        typer.echo(
            f"ledger: warning: the data has {errors} error(s), so records may be missing; "
            "run `ledger validate`",
            err=True,
        )
    if output_format is ShowFormat.json:
        from .output import to_json

        typer.echo(to_json(measure_record(ledger, found)), nl=False)
        return
    from rich.console import Console

    from .render import measure_view

    Console(highlight=False).print(measure_view(ledger, found))


def main() -> None:
    app(prog_name="ledger")
