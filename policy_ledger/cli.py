"""The ``ledger`` command: each command parses, makes one library call, renders, sets the exit code.

Exit codes: 0 done (warnings allowed), 1 the data has errors, 2 usage (bad argument, no data found).
Library modules are imported inside the commands so that start-up costs only what a command uses.
"""

from __future__ import annotations

import functools
import json
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


AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of", help="Judge progress on this date, YYYY-MM-DD (default: today).", show_default=False
    ),
]


class ShowFormat(StrEnum):
    text = "text"
    json = "json"


def _as_of(text: str | None) -> Any:
    """The --as-of date; a malformed one is a usage error, not a traceback."""
    from datetime import date

    from .problems import LedgerError

    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise LedgerError(
            f"--as-of '{text}' is not a date; write YYYY-MM-DD, e.g. 2023-06-30", exit_code=2
        ) from None


def _print(renderable: Any) -> None:
    from rich.console import Console

    Console(highlight=False).print(renderable)


def _print_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


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
    as_of: AsOfOption = None,
    data: DataOption = None,
    doc: DocOption = None,
) -> None:
    """Show one measure: its text, area and lead bureau, targets with their state, and budget."""
    from .loader import find_data_dir, load_ledger
    from .problems import Severity
    from .queries import find_measure, measure_record

    day = _as_of(as_of)
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
        _print_json(measure_record(ledger, found, day))
        return
    from .render import measure_view

    _print(measure_view(ledger, found, day))


progress_app = typer.Typer(
    help="Record and list progress entries of targets and disbursements of budget allocations.",
    no_args_is_help=True,
)
app.add_typer(progress_app, name="progress")


class MilestoneStatusChoice(StrEnum):
    in_progress = "in_progress"
    done = "done"
    dropped = "dropped"


@progress_app.command("add")
@user_errors
def progress_add(
    record: Annotated[
        str, typer.Argument(help="Target id (17.1, A3.1) or allocation id (B1.2).", show_default=False)
    ],
    as_of: Annotated[
        str, typer.Option("--as-of", help="Date of the reading, YYYY-MM-DD.", show_default=False)
    ],
    value: Annotated[
        str | None,
        typer.Option(
            "--value", help="The reading, in the record's unit: 23.5 or 23.5亿元.", show_default=False
        ),
    ] = None,
    unit: Annotated[
        str | None, typer.Option("--unit", help="The value's unit; must be the record's.", show_default=False)
    ] = None,
    done: Annotated[
        bool, typer.Option("--done", help="A milestone is done (same as --status done).")
    ] = False,
    status: Annotated[
        MilestoneStatusChoice | None,
        typer.Option("--status", help="A milestone's status.", show_default=False),
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", help="What the reading covers.", show_default=False)
    ] = None,
    source: Annotated[
        str | None, typer.Option("--source", help="Where the reading comes from.", show_default=False)
    ] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Correct the entry already on that date.")
    ] = False,
    no_commit: Annotated[
        bool, typer.Option("--no-commit", help="Write the file but do not commit it.")
    ] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the diff; write nothing.")] = False,
    data: DataOption = None,
) -> None:
    """Add a progress entry to a target (or a disbursement to an allocation) and commit it to git.

    The entry is checked before it is written (unit, date, duplicates), written atomically under a lock,
    read back and verified, and committed alone with a message such as
    `progress(17.1): 23.5亿元 as of 2023-06-30`. Any failure leaves the file as it was.
    """
    from .loader import display_path, find_data_dir
    from .problems import LedgerError
    from .progress import ProgressRequest, record_progress

    if done and status not in (None, MilestoneStatusChoice.done):
        raise LedgerError("--done and --status say different things; give one", exit_code=2)
    chosen = "done" if done else (status.value if status else None)
    request = ProgressRequest(record, as_of, value, unit, chosen, note, source, replace)  # type: ignore[arg-type]
    result = record_progress(find_data_dir(data), request, commit=not no_commit, dry_run=dry_run)
    if dry_run:
        typer.echo(result.diff, nl=False)
        return
    where = display_path(result.path)
    if result.commit:
        typer.echo(f"recorded {result.message} in {where}, commit {result.commit}")
    else:
        typer.echo(f"recorded {result.message} in {where} (not committed)")


@progress_app.command("list")
@user_errors
def progress_list(
    ref: Annotated[
        str | None,
        typer.Argument(help="A measure number, target id, budget (B1) or allocation id.", show_default=False),
    ] = None,
    output_format: Annotated[
        ShowFormat, typer.Option("--format", "-f", help="text or json.")
    ] = ShowFormat.text,
    data: DataOption = None,
    doc: DocOption = None,
) -> None:
    """List progress entries and disbursements, newest first."""
    from .loader import find_data_dir, load_ledger
    from .queries import progress_rows

    ledger, _ = load_ledger(find_data_dir(data))
    rows = progress_rows(ledger, ref, doc)
    if output_format is ShowFormat.json:
        _print_json(rows)
        return
    from .render import progress_table

    _print(progress_table(rows))


@app.command()
@user_errors
def log(
    ref: Annotated[
        str | None,
        typer.Argument(help="A measure number, target id, budget (B1) or allocation id.", show_default=False),
    ] = None,
    output_format: Annotated[
        ShowFormat, typer.Option("--format", "-f", help="text or json.")
    ] = ShowFormat.text,
    data: DataOption = None,
    doc: DocOption = None,
) -> None:
    """Show the git history of the data: who changed which entries, when, and what changed."""
    from dataclasses import asdict

    from .history import record_history
    from .loader import find_data_dir, load_ledger

    ledger, _ = load_ledger(find_data_dir(data))
    history = record_history(ledger, ref, doc)
    if output_format is ShowFormat.json:
        _print_json([asdict(entry) for entry in history])
        return
    from .render import history_view

    _print(history_view(history, detailed=ref is not None))


@app.command()
@user_errors
def status(
    as_of: AsOfOption = None,
    area: Annotated[
        int | None, typer.Option("--area", help="Only this area (1-8).", show_default=False)
    ] = None,
    output_format: Annotated[
        ShowFormat, typer.Option("--format", "-f", help="text or json.")
    ] = ShowFormat.text,
    data: DataOption = None,
    doc: DocOption = None,
) -> None:
    """Each target's state on a date (achieved, on track, behind, no data, overdue) and counts per area."""
    from .loader import find_data_dir, load_ledger
    from .queries import check_area, pick_document, status_record
    from .status import ledger_status

    day = _as_of(as_of)
    ledger, _ = load_ledger(find_data_dir(data))
    document_id = pick_document(ledger, doc)
    if area is not None:
        check_area(ledger, area, document_id)
    statuses, summaries = ledger_status(ledger, day, area, document_id)
    if output_format is ShowFormat.json:
        _print_json(status_record(ledger, day, statuses, summaries))
        return
    from .render import status_view

    _print(status_view(ledger, day, statuses, summaries))


@app.command()
@user_errors
def report(
    as_of: AsOfOption = None,
    area: Annotated[int | None, typer.Option("--area", help="Only this area.", show_default=False)] = None,
    measure: Annotated[
        int | None, typer.Option("--measure", help="Only this measure.", show_default=False)
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help="Add 'What changed' since a git revision or a date (YYYY-MM-DD).",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Write to this file (atomically) instead of printing.", dir_okay=False
        ),
    ] = None,
    data: DataOption = None,
    doc: DocOption = None,
) -> None:
    """Write a GitHub-flavoured Markdown report: overview, budget picture, every area's targets and state."""
    from .loader import find_data_dir, load_ledger
    from .problems import LedgerError
    from .queries import check_area, find_measure, pick_document
    from .report import build_report

    if area is not None and measure is not None:
        raise LedgerError("give --area or --measure, not both", exit_code=2)
    day = _as_of(as_of)
    ledger, _ = load_ledger(find_data_dir(data))
    document_id = pick_document(ledger, doc)
    if area is not None:
        check_area(ledger, area, document_id)
    if measure is not None:
        find_measure(ledger, str(measure), document_id)
    changes = None
    if since is not None:
        from .changes import compare
        from .history import ledger_at, resolve_since

        commit, short = resolve_since(ledger.root, since)
        changes = compare(ledger_at(ledger, commit), ledger, day, since, short)
    text = build_report(ledger, day, area=area, measure=measure, changes=changes, document_id=document_id)
    if output is None:
        typer.echo(text, nl=False)
        return
    from .yamlio import write_atomic

    if not output.parent.is_dir():
        raise LedgerError(f"-o {output}: folder {output.parent} does not exist; create it first", exit_code=2)
    try:
        write_atomic(output, text)
    except OSError as exc:
        raise LedgerError(f"-o {output}: cannot write ({exc.strerror}); nothing was written") from exc
    typer.echo(f"wrote {output}")


def main() -> None:
    app(prog_name="ledger")
