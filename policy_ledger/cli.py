"""The ``ledger`` command: each command parses, makes one library call, renders, sets the exit code.

Exit codes: 0 done (warnings allowed), 1 the data has errors, 2 usage (bad argument, no data found).
Library modules are imported inside the commands so that start-up costs only what a command uses.

Unlike the other modules, this one has real annotations (no ``from __future__ import annotations``):
Typer reads every command's signature on every run, and evaluating them from strings cost each run
30 ms (``typer.main.get_command``: 45 ms, now 15 ms).
"""

import functools
import os
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from typer.core import TyperGroup

from . import __version__, i18n
from .completion import (
    complete_area,
    complete_lead,
    complete_measure,
    complete_progress_record,
    complete_record,
)
from .i18n import N_, _, ngettext

if TYPE_CHECKING:  # a date option is read only when given
    from datetime import date

    from .typed import Typed


def _translate_help(command: Any, ctx: Any) -> None:
    """Put the help of ``command`` and of every command under it into the reader's language, laid out by
    the columns it takes (``helpformat``).

    Typer builds these objects afresh for each run and keeps the help as written (English), so they are
    translated in place, once the language is known and before any help is shown. Click shortens a
    command's help for the list of commands by cutting English at a space; a Chinese help has no spaces,
    so its first sentence is the short help."""
    from .i18n import language

    if language() != "en":  # the help is written in English: in English there is nothing to translate
        help_option = command.get_help_option(ctx)
        for item in [command, *command.params, *([help_option] if help_option else [])]:
            for attribute in ("help", "short_help"):
                text = getattr(item, attribute, None)
                if text:
                    setattr(item, attribute, _(text))
        if command.help and not command.short_help:
            command.short_help = _first_sentence(command.help)
    command.context_class = _Context
    for subcommand in getattr(command, "commands", {}).values():
        _translate_help(subcommand, ctx)


def _first_sentence(text: str) -> str:
    """The first sentence of a help's first paragraph (up to ``。``, or ``.`` and a space)."""
    paragraph = " ".join(text.split("\n\n")[0].split())
    for end in ("。", ". "):
        if end in paragraph:
            return paragraph[: paragraph.index(end) + 1]
    return paragraph


class _Context(typer.Context):
    """A context whose help is laid out in columns, so that Chinese fits the terminal (``helpformat``)."""

    def make_formatter(self) -> Any:
        from .helpformat import in_columns

        return in_columns(self.formatter_class)(width=self.terminal_width, max_width=self.max_content_width)


class _Ledger(TyperGroup):
    """The ``ledger`` group, whose help (``ledger``, ``ledger --help``) shows in the reader's language."""

    context_class = _Context

    def format_help(self, ctx: Any, formatter: Any) -> None:
        _translate_help(self, ctx)
        super().format_help(ctx, formatter)


app = typer.Typer(
    cls=_Ledger,
    name="ledger",
    help="Query, check and keep up to date the ledger of a policy document (乐政发〔2023〕6号).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

F = TypeVar("F", bound=Callable[..., Any])


def _option(*names: str, **settings: Any) -> Any:
    """An option whose help shows no default: it has none worth showing (None, or a flag left off)."""
    return typer.Option(*names, show_default=False, **settings)


def _argument(**settings: Any) -> Any:
    return typer.Argument(show_default=False, **settings)


def _format_option(help: str) -> Any:
    """``--format``, ``-f``: its help shows the default format."""
    return typer.Option("--format", "-f", help=help)


def _output_option(help: str, **settings: Any) -> Any:
    return _option("--output", "-o", help=help, **settings)


def _data_option(help: str) -> Any:
    return typer.Option("--data", help=help, file_okay=False)


DataOption = Annotated[
    Path | None,
    _data_option(
        "Data directory holding policies.yaml (default: $LEDGER_DATA, else the nearest "
        "data/ from here upward)."
    ),
]
DocOption = Annotated[
    str | None,
    typer.Option(
        "--document",
        "--doc",
        help="Document id or number (乐政发〔2023〕6号), when the ledger holds several.",
    ),
]
AsOfOption = Annotated[
    str | None,
    _option(
        "--as-of", help="Judge progress on this date: 2023-06-30, 2023/6/30, 2023年6月30日 (default: today)."
    ),
]
ShowFormat = StrEnum("ShowFormat", ["text", "json"])
ListFormat = StrEnum("ListFormat", ["table", "json", "csv", "yaml", "markdown"])
#: ``ledger status`` took text|json before it took the listing formats: text stays, as the table.
StatusFormat = StrEnum("StatusFormat", ["table", "json", "csv", "yaml", "markdown", "text"])
ExportFormat = StrEnum("ExportFormat", ["json", "yaml", "csv"])
QueryTable = StrEnum("QueryTable", ["targets", "measures", "budgets", "instruments"])
ValidateFormat = StrEnum("ValidateFormat", ["auto", "text", "json", "github", "sarif"])
MilestoneStatusChoice = StrEnum("MilestoneStatusChoice", ["in_progress", "done", "dropped"])

RecordArgument = Annotated[
    str | None,
    _argument(
        help="A measure number, target id, budget (B1) or allocation id.", autocompletion=complete_record
    ),
]


def _as_of(text: str | None) -> Any:
    """The --as-of date, as typed (2023/6/30 and 2023年6月30日 too, said on stderr when read so); a
    malformed or ambiguous one is a usage error in one line, not a traceback."""
    from datetime import date

    from .problems import LedgerError

    if text is None:
        return date.today()
    from .typed import read_day

    try:
        day = read_day(text)
    except ValueError as exc:
        raise LedgerError(
            _("--as-of '{text}': {reason}").format(text=text, reason=exc), exit_code=2
        ) from None
    return _said("--as-of", day).value


def _typed_day(option: str, text: str | None) -> str | None:
    """A date option that may also hold something else (a revision, a filter's own spelling): a date as
    typed becomes its one spelling (said on stderr); anything else is passed on as it is."""
    from .typed import read_day

    if text is None:
        return None
    try:
        return _said(option, read_day(text)).text
    except ValueError:
        return text


def _said(option: str, day: "Typed[date]") -> "Typed[date]":
    """A ``typed.Typed`` date, after saying on stderr how it was read when it was not as typed."""
    if day.changes:
        from . import words

        _note(words.read_as(option, day.typed, day.text, day.changes))
    return day


def _echo(text: str, *, nl: bool = True, err: bool = False, bold_heading: bool = False) -> None:
    """Text for people, on a terminal: every human-facing line the CLI writes passes here, and control
    and bidi characters in it (from the data, git or the command line) show as escapes (``safe``).

    As ``typer.echo``, a newline follows unless ``nl`` is false (a view that ends in its own)."""
    from .safe import terminal_safe

    safe = terminal_safe(text)
    if bold_heading:
        from .plain import bold

        heading, newline, rest = safe.partition("\n")
        safe = bold(heading) + newline + rest
    typer.echo(safe, nl=nl, err=err)


def _note(text: str) -> None:
    """A remark on stderr, after ``ledger: ``, so that stdout holds only the answer."""
    _echo(f"ledger: {text}", err=True)


def _print_json(data: Any) -> None:
    """Plain data with exact numbers and dates as JSON (``"31.5"``, ``"2023-06-30"``)."""
    from .output import to_json

    _print_document(to_json(data), "json")


def _print_document(document: str | bytes, fmt: str) -> None:
    """A document for programs on stdout, the same data whatever the console's encoding (``streams``):
    JSON and YAML escape what it cannot hold; CSV is UTF-8 bytes; Markdown is text for people."""
    if isinstance(document, str) and fmt in {"json", "sarif", "yaml"}:
        from .streams import encoding_of, json_for, yaml_for

        encoding = encoding_of(sys.stdout)
        document = yaml_for(document, encoding) if fmt == "yaml" else json_for(document, encoding)
    typer.echo(document, nl=False)


FormatOption = Annotated[
    ListFormat,
    _format_option("table (for a terminal), json, csv (UTF-8 with BOM, for spreadsheets), yaml or markdown."),
]
AreaOption = Annotated[
    str | None, _option("--area", help="Policy area number, 1-8.", autocompletion=complete_area)
]
LeadOption = Annotated[
    str | None,
    _option(
        "--lead", help="Lead bureau, full or partial name (经信 = 市经信局).", autocompletion=complete_lead
    ),
]
HasBudgetOption = Annotated[
    bool | None,
    _option(
        "--has-budget/--no-budget", help="Only what a budgeted measure covers, or only what no budget covers."
    ),
]


def user_errors(command: F) -> F:
    """Turn a ``LedgerError`` into one line on stderr and its exit code; never a traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from .problems import LedgerError

        try:
            return command(*args, **kwargs)
        except LedgerError as exc:
            from .safe import terminal_safe

            typer.echo(f"ledger: {terminal_safe(exc.message, one_line=True)}", err=True)
            raise typer.Exit(exc.exit_code) from None
        except BrokenPipeError:  # `ledger validate | head`: the reader left, nothing to report
            sys.stderr.close()
            raise typer.Exit(0) from None

    return wrapper  # type: ignore[return-value]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ledger {__version__}")
        raise typer.Exit()


Language = StrEnum("Language", ["zh", "en"])


def _language(ctx: typer.Context, value: Language | None) -> None:
    i18n.use(value.value if value else None)
    if not ctx.resilient_parsing:  # a context made to read the help as written (tools/catalogue.py) keeps it
        _translate_help(ctx.find_root().command, ctx)


@app.callback()
def main_options(
    version: Annotated[
        bool, _option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
    lang: Annotated[
        Language | None,
        _option(
            "--lang",
            callback=_language,
            is_eager=True,
            envvar="LEDGER_LANG",
            help="Interface language: zh (简体中文) or en (default: the locale, from LANG or LC_ALL).",
        ),
    ] = None,
) -> None:
    """Query, check and keep up to date the ledger of a policy document."""


@app.command()
@user_errors
def validate(
    paths: Annotated[
        list[Path] | None,
        _argument(
            help="Report only findings in these files or folders (the whole ledger is still checked).",
            metavar="PATH",
        ),
    ] = None,
    output_format: Annotated[
        ValidateFormat,
        _format_option(
            "text (FILE:LINE:COL lines), json, github (annotations on a pull request), sarif "
            "(code scanning) or auto: github under GitHub Actions, else text."
        ),
    ] = ValidateFormat.auto,
    changed_since: Annotated[
        str | None,
        _option(
            "--changed-since",
            metavar="REV",
            help="Report only what a change since the git revision REV touched or broke.",
        ),
    ] = None,
    list_suppressions: Annotated[
        bool,
        _option(
            "--list-suppressions",
            help="List every '# ledger: ignore[CODE] reason' comment and what it silences.",
        ),
    ] = False,
    data: DataOption = None,
) -> None:
    """Check every file, record and cross-reference; print each problem as FILE:LINE:COL.

    Exits 1 if there is any error, 0 when the data is clean (warnings and information allowed).
    When $GITHUB_STEP_SUMMARY is set, a table of all findings is appended to it.
    """

    from .formats import pick_format, render_report, render_suppressions, step_summary
    from .loader import find_data_dir
    from .validation import validate_data

    start = None if not paths else paths[0] if paths[0].is_dir() else paths[0].parent
    report = validate_data(find_data_dir(data, start=start), paths=paths, changed_since=changed_since)
    chosen = pick_format(output_format.value, os.environ)
    if list_suppressions:
        text = render_suppressions(report.suppressions, chosen)
    else:
        text = render_report(report, chosen, __version__)
    # text and github are lines that people read on a terminal or a CI log; json and sarif are documents
    if chosen in {"json", "sarif"}:
        _print_document(text, chosen)
    else:
        _echo(text, nl=False)
    if list_suppressions:
        return
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary_file:
        from .fileio import FileRefused, append_output

        try:
            append_output(Path(summary_file), step_summary(report, os.environ).encode("utf-8"))
        except FileRefused as exc:  # the findings above stand; only the summary is missing
            _note(_("warning: no step summary written: {reason}").format(reason=exc))
    raise typer.Exit(1 if report.errors else 0)


@app.command()
@user_errors
def show(
    measure: Annotated[str, _argument(help="Measure number, e.g. 17.", autocompletion=complete_measure)],
    output_format: Annotated[ShowFormat, _format_option("text (a terminal view) or json.")] = ShowFormat.text,
    as_of: AsOfOption = None,
    data: DataOption = None,
    doc: DocOption = None,
) -> None:
    """Show one measure: its text, area and lead bureau, targets with their state, and budget."""

    day = _as_of(as_of)
    ledger = _load(data, doc)
    found = ledger.find_measure(measure, doc)
    if output_format is ShowFormat.json:
        from .queries import measure_record

        _print_json(measure_record(ledger, found, day))
        return
    from .plain import measure_view, terminal_width

    _echo(measure_view(ledger, found, day, terminal_width()), nl=False, bold_heading=True)


progress_app = typer.Typer(
    help="Record and list progress entries of targets and disbursements of budget allocations.",
    no_args_is_help=True,
)
app.add_typer(progress_app, name="progress")


@progress_app.command("add")
@user_errors
def progress_add(
    record: Annotated[
        str,
        _argument(
            help="Target id (17.1, A3.1), allocation id (B1.2) or instrument id (I19.1).",
            autocompletion=complete_progress_record,
        ),
    ],
    as_of: Annotated[
        str, _option("--as-of", help="Date of the reading: 2023-06-30 (2023/6/30, 2023年6月30日 too).")
    ],
    value: Annotated[
        str | None,
        _option(
            "--value", help="The reading, in the record's unit: 23.5, 23.5亿元, 23.5亿, ２３．５, 1,000."
        ),
    ] = None,
    unit: Annotated[str | None, _option("--unit", help="The value's unit; must be the record's.")] = None,
    done: Annotated[bool, _option("--done", help="A milestone is done (same as --status done).")] = False,
    status: Annotated[MilestoneStatusChoice | None, _option("--status", help="A milestone's status.")] = None,
    note: Annotated[str | None, _option("--note", help="What the reading covers.")] = None,
    source: Annotated[str | None, _option("--source", help="Where the reading comes from.")] = None,
    number: Annotated[
        str | None, _option("--number", help="An instrument's 配套政策 issued: its document number.")
    ] = None,
    title: Annotated[str | None, _option("--title", help="The 配套政策's title.")] = None,
    address: Annotated[str | None, _option("--address", help="Where the 配套政策 is published.")] = None,
    standard: Annotated[
        str | None, _option("--standard", help="The standard the 配套政策 sets, in its words.")
    ] = None,
    recipients: Annotated[
        str | None, _option("--recipients", help="An instrument's 兑现: how many received it to date.")
    ] = None,
    replace: Annotated[bool, _option("--replace", help="Correct the entry already on that date.")] = False,
    no_commit: Annotated[bool, _option("--no-commit", help="Write the file but do not commit it.")] = False,
    dry_run: Annotated[bool, _option("--dry-run", help="Print the diff; write nothing.")] = False,
    data: DataOption = None,
    doc: DocOption = None,
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
        raise LedgerError(_("--done and --status say different things; give one"), exit_code=2)
    chosen: Any = "done" if done else (status.value if status else None)  # a models.MilestoneStatus
    request = ProgressRequest(
        record, as_of, value, unit, chosen, note, source, replace, doc, number, title, address, standard,
        recipients,
    )  # fmt: skip
    result = record_progress(find_data_dir(data), request, commit=not no_commit, dry_run=dry_run)
    for notice in result.notices:
        _note(notice)
    for warning in result.warnings:
        _note(_("warning: {warning}").format(warning=warning))
    if dry_run:
        _echo(result.diff, nl=False)
        return
    where = display_path(result.path)
    if result.recovered:
        _note(result.recovered)
    if result.commit:
        done_line = _("recorded {message} in {path}, commit {commit}")
        _echo(done_line.format(message=result.message, path=where, commit=result.commit))
    else:
        _echo(_("recorded {message} in {path} (not committed)").format(message=result.message, path=where))


@app.command("import")
@user_errors
def import_text(
    source: Annotated[
        Path, _argument(help="The policy text: plain text, UTF-8 or GB18030.", metavar="SOURCE.txt")
    ],
    document_id: Annotated[
        str | None,
        _option("--id", help="The new document's id (default: the file name without .txt, if it is one)."),
    ] = None,
    no_commit: Annotated[
        bool, _option("--no-commit", help="Write the files but do not commit them.")
    ] = False,
    dry_run: Annotated[
        bool, _option("--dry-run", help="Draft and check, print what would be written; write nothing.")
    ] = False,
    data: Annotated[
        Path | None,
        _data_option(
            "Data directory to add the document to; an empty folder starts a new ledger "
            "(default: $LEDGER_DATA, else the nearest data/ from here upward)."
        ),
    ] = None,
) -> None:
    """Draft a policy text's records and add them to the ledger as a new document, in one commit.

    The text is saved as source/<id>.txt; its document, areas, measures, budgets and targets are appended
    to the data files, each marked `draft: true` for `ledger review`. What the text lacks is listed.
    """
    from .importing import ImportRefused, import_document
    from .loader import DATA_ENV, display_path, find_data_dir

    # --data or $LEDGER_DATA as given (an empty folder starts a new ledger), else the nearest ledger
    data_dir = data or Path(os.environ.get(DATA_ENV) or find_data_dir())
    try:
        result = import_document(data_dir, source, document_id, dry_run=dry_run, commit=not no_commit)
    except ImportRefused as exc:
        if exc.result is not None:  # what was drafted, and the gaps that say why it is not enough
            _import_summary(exc.result, source)
        raise
    _import_summary(result, source)
    if result.recovered:
        _note(result.recovered)
    shown = ", ".join(display_path(path) for path in result.files)
    if dry_run:
        _echo(_("would write {files}; nothing was written (--dry-run)").format(files=shown))
        return
    if result.commit:
        _echo(_("wrote {files}, commit {commit}").format(files=shown, commit=result.commit))
    elif not result.in_repository:
        _echo(
            _("wrote {files} (not committed: {folder} is not in a git repository)").format(
                files=shown, folder=display_path(data_dir)
            )
        )
    else:
        _echo(_("wrote {files} (not committed)").format(files=shown))
    _echo(
        _("next: read each draft against the text with `ledger review --document {id}`").format(
            id=result.document_id
        )
    )


def _import_summary(result: Any, source: Path) -> None:
    """What was drafted, by kind, and every gap line."""
    from .importing import drafted_counts

    _echo(
        _("drafted {id} from {file} ({encoding}): {counts}").format(
            id=result.document_id,
            file=source.name,
            encoding=result.encoding,
            counts=drafted_counts(result.counts),
        )
    )
    if result.gaps:
        _echo(ngettext("{n} gap:", "{n} gaps:", len(result.gaps)).format(n=len(result.gaps)))
        for gap in result.gaps:
            _echo(f"  - {gap}")


@app.command()
@user_errors
def review(
    document: Annotated[
        str | None, _option("--document", "--doc", help="Review the drafts of this document only.")
    ] = None,
    no_commit: Annotated[
        bool, _option("--no-commit", help="Write each decision but do not commit it.")
    ] = False,
    data: DataOption = None,
) -> None:
    """Read each draft of `ledger import` against its text and accept, edit or drop it.

    Each decision is written and committed on its own as soon as it is made, so stopping (q, Ctrl-C)
    keeps every decision made so far. Edit asks field by field: Enter keeps a value, - clears it.
    """
    from .loader import find_data_dir, load_ledger
    from .render import safe_console
    from .review import drafts

    data_dir = find_data_dir(data)
    ledger = _load(data)
    if document is not None:
        ledger.pick_document(document)  # an unknown id is a usage error, with the ids there are
    refs = drafts(ledger, document)
    if not refs:
        _echo(_("no drafts to review"))
        return
    console = safe_console()
    decided = 0
    try:
        for number, ref in enumerate(refs, start=1):
            ledger, _problems = load_ledger(data_dir)
            action = _review_one(console, data_dir, ledger, ref, number, len(refs), commit=not no_commit)
            if action == "quit":
                break
            decided += action in ("accept", "edit", "drop")
    except (KeyboardInterrupt, EOFError):
        _echo("\n" + _("stopped; every decision made so far is written"))
    left = len(drafts(load_ledger(data_dir)[0], document))
    _echo(
        ngettext(
            "{n} decision written; {left} drafts left to review",
            "{n} decisions written; {left} drafts left to review",
            decided,
        ).format(n=decided, left=left)
    )


def _review_one(
    console: Any, data_dir: Path, ledger: Any, ref: Any, number: int, total: int, *, commit: bool
) -> str:
    """Show one draft, ask what to do with it, and write the decision; the action taken."""
    from rich.prompt import Prompt
    from rich.text import Text

    from .review import DROPPABLE, EDITABLE, decide, fields_of, find, in_context, quote_of, read_action

    record = find(ledger, ref)
    if record is None or not record.draft:
        return "skip"
    console.print(Text(f"\n[{number}/{total}] {ref.label()} ({ref.document})", style="bold"))
    for name, value in fields_of(record):
        console.print(Text(f"  {name}: {value}"))
    document = ledger.document(ref.document)
    quote = quote_of(record)
    source = ledger.source_text(document)[0] if document is not None else None
    if quote and source and ref.key != "documents":
        found = in_context(source, quote)
        if found is not None:
            before, middle, after = found
            console.print(
                Text(_("  in the text: "))
                + Text(f"…{before}")
                + Text(middle, style="underline")
                + Text(f"{after}…")
            )
        else:
            console.print(Text(_("  its quote is not in the text word for word")))
    allowed = [
        "accept",
        *(["edit"] if EDITABLE[ref.kind] else []),
        *(["drop"] if ref.kind in DROPPABLE else []),
        "skip",
        "quit",
    ]
    question = Text(" / ".join(_(_ACTION_WORDS[a]) for a in allowed))
    while True:
        answer = Prompt.ask(question, console=console)
        action = read_action(answer, allowed)
        if action is not None:
            break
        _echo(_("'{answer}' is not one of the choices; type the first letter of one").format(answer=answer))
    if action in ("skip", "quit"):
        return action
    changes = _ask_fields(console, record, ref.kind) if action == "edit" else {}
    made = decide(data_dir, ref, "drop" if action == "drop" else "accept", changes, commit=commit)
    if action == "drop":
        done = _("dropped {record}")
    elif changes:  # an edit that changed nothing is an accept
        done = _("edited and accepted {record}")
    else:
        done = _("accepted {record}")
    line = done.format(record=ref.label())
    if made:
        line = _("{done}, commit {commit}").format(done=line, commit=made)
    _echo(line)
    return action


_ACTION_WORDS = {
    "accept": N_("[a]ccept"),
    "edit": N_("[e]dit"),
    "drop": N_("[d]rop"),
    "skip": N_("[s]kip"),
    "quit": N_("[q]uit"),
}


def _ask_fields(console: Any, record: Any, kind: str) -> dict[str, Any]:
    """Ask each field the reviewer may change (Enter keeps it, - clears it); each answer is checked,
    a bad one said in one line and asked again; the record as a whole is checked at the end."""
    from rich.prompt import Prompt
    from rich.text import Text

    from .review import EDITABLE, check_record, parse_field, shown_value

    changes: dict[str, Any] = {}
    while True:
        for name in EDITABLE[kind]:
            current = changes.get(name, getattr(record, name))
            while True:
                answer = Prompt.ask(
                    Text(f"  {name}"), default=shown_value(current), show_default=True, console=console
                )
                try:
                    value = parse_field(type(record), name, answer)
                except ValueError as exc:
                    _echo("  " + _("{field}: {reason}; type it again").format(field=name, reason=exc))
                    continue
                break
            if value != getattr(record, name):
                changes[name] = value
            else:
                changes.pop(name, None)
        problem = check_record(record, changes)
        if problem is None:
            return changes
        _echo("  " + _("{problem}; the fields again").format(problem=problem))


@progress_app.command("list")
@user_errors
def progress_list(
    ref: RecordArgument = None,
    output_format: FormatOption = ListFormat.table,
    data: DataOption = None,
    doc: DocOption = None,
) -> None:
    """List progress entries and disbursements, newest first."""
    from .output import listing
    from .queries import progress_rows

    ledger = _load(data)
    _emit(listing("entries", progress_rows(ledger, ref, doc)), output_format)


@app.command()
@user_errors
def log(
    ref: RecordArgument = None,
    output_format: Annotated[ShowFormat, _format_option("text or json.")] = ShowFormat.text,
    data: DataOption = None,
    doc: DocOption = None,
) -> None:
    """Show the git history of the data: who changed which entries, when, and what changed."""
    from .history import record_history

    ledger = _load(data)
    history = record_history(ledger, ref, doc)
    if output_format is ShowFormat.json:
        _print_json(history)
        return
    from .plain import history_view, terminal_width

    _echo(history_view(history, terminal_width(), detailed=ref is not None), nl=False)


@app.command()
@user_errors
def status(
    as_of: AsOfOption = None,
    area: Annotated[
        int | None, _option("--area", help="Only this area (1-8).", autocompletion=complete_area)
    ] = None,
    lead: LeadOption = None,
    output_format: Annotated[
        StatusFormat,
        _format_option(
            "table (for a terminal; text is the same), json, csv (one row per target, UTF-8 with "
            "BOM), yaml or markdown."
        ),
    ] = StatusFormat.table,
    data: DataOption = None,
    doc: DocOption = None,
) -> None:
    """Each target's state on a date (achieved, on track, behind, no data, overdue, no report), per area.

    --lead keeps what a lead bureau answers for, as `ledger query targets --lead` does (the document's
    own D1 belongs to every lead bureau).
    """
    from .filters import documents_asked, status_answers
    from .queries import merged_answers

    day = _as_of(as_of)
    ledger = _load(data)
    answers = status_answers(ledger, day, doc, area, lead)
    if output_format in (StatusFormat.table, StatusFormat.text):
        from .plain import status_view, terminal_width

        several = len(documents_asked(ledger, doc)) > 1
        for index, (document_id, answer) in enumerate(answers.items()):
            if several:  # each document under its own heading, also when only one has what was asked
                document = ledger.document(document_id)
                if index:
                    _echo("")
                _echo(f"{document.number} ({document_id})", bold_heading=True)
            _echo(status_view(answer, terminal_width()), nl=False)
        return
    answer = merged_answers(list(answers.values()))
    from .output import render_text, status_output

    _print_document(render_text(status_output(ledger, answer), output_format.value), output_format.value)


@app.command()
@user_errors
def report(
    as_of: AsOfOption = None,
    area: Annotated[
        int | None, _option("--area", help="Only this area.", autocompletion=complete_area)
    ] = None,
    measure: Annotated[
        int | None, _option("--measure", help="Only this measure.", autocompletion=complete_measure)
    ] = None,
    since: Annotated[
        str | None,
        _option(
            "--since", help="Add 'What changed' since a date (progress dated from it) or a git revision."
        ),
    ] = None,
    period: Annotated[
        str | None,
        _option("--period", help="A quarter, 2023Q2: as of its last day, with what changed since its first."),
    ] = None,
    lead: LeadOption = None,
    output_format: Annotated[
        str,
        _format_option("markdown (GitHub-flavoured) or html (one printable file, charts included)."),
    ] = "markdown",
    output: Annotated[
        Path | None,
        _output_option("Write to this file (atomically) instead of printing.", dir_okay=False),
    ] = None,
    data: DataOption = None,
    doc: DocOption = None,
) -> None:
    """Write the report a director reads: summary, what needs attention, budgets, every area's targets."""
    from .problems import LedgerError
    from .queries import check_area
    from .report import report_blocks, to_markdown

    if area is not None and measure is not None:
        raise LedgerError(_("give --area or --measure, not both"), exit_code=2)
    if lead is not None and measure is not None:
        raise LedgerError(_("give --lead or --measure, not both"), exit_code=2)
    if output_format not in ("markdown", "html"):
        raise LedgerError(
            _("--format must be markdown or html, not '{value}'").format(value=output_format), exit_code=2
        )
    if period is not None:
        from .models import parse_quarter

        if as_of is not None:
            raise LedgerError(_("give --period or --as-of, not both"), exit_code=2)
        try:
            first, last = parse_quarter(period)
        except ValueError as exc:
            raise LedgerError(_("--period: {reason}").format(reason=exc), exit_code=2) from None
        as_of, since = last.isoformat(), since or first.isoformat()
    day = _as_of(as_of)
    ledger = _load(data)
    document_id = ledger.pick_document(doc)
    if area is not None:
        check_area(ledger, area, document_id)
    if measure is not None:
        ledger.find_measure(str(measure), document_id)
    changes = None
    if since is not None:
        from .history import changes_since

        changes = changes_since(ledger, _typed_day("--since", since) or since, day)
    scope = None
    if lead is not None:
        from .filters import lead_scope

        scope = lead_scope(ledger, lead, document_id)
    blocks = report_blocks(
        ledger, day, area=area, measure=measure, lead=scope, changes=changes, document_id=document_id
    )
    if output_format == "html":
        from .report_html import to_html

        text = to_html(blocks)
    else:
        text = to_markdown(blocks)
    if output is None:
        _echo(text, nl=False)
        return
    _write_output(output, text)
    _echo(_("wrote {path}").format(path=output))


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
    from .filters import answer
    from .output import listing

    ledger = _load(data)
    options = {"area": area, "lead": lead, "has-budget": _yes_no(has_budget)}
    rows = answer(ledger, "measures", options=options, document_id=doc)
    _emit(listing("measures", rows), output_format)


@app.command()
@user_errors
def query(
    table: Annotated[
        QueryTable, typer.Argument(help="What to list: targets, measures, budgets or instruments.")
    ],
    terms: Annotated[
        list[str] | None,
        _argument(
            help="Terms such as lead:经信 unit:亿元 due:<2023-07-01 commitment:确保 not:kind:milestone, "
            "combined by AND (the README lists every field)."
        ),
    ] = None,
    area: AreaOption = None,
    lead: LeadOption = None,
    text: Annotated[str | None, _option("--text", help="Words in the title, what or quote.")] = None,
    unit: Annotated[str | None, _option("--unit", help="Unit as written: 亿元, 亩, %, …")] = None,
    commitment: Annotated[
        str | None, _option("--commitment", help="确保 (firm), 力争 (stretch) or plain.")
    ] = None,
    comparator: Annotated[
        str | None, _option("--comparator", help="at_least (以上), at_most (以内), about (左右) or exactly.")
    ] = None,
    kind: Annotated[str | None, _option("--kind", help="quantitative or milestone.")] = None,
    due_before: Annotated[
        str | None, _option("--due-before", help="Due before this date, YYYY-MM-DD.")
    ] = None,
    has_budget: HasBudgetOption = None,
    status: Annotated[
        str | None,
        _option(
            "--status",
            help="Targets in this state on --as-of: achieved, on_track, behind, no_data, overdue or "
            "no_report.",
        ),
    ] = None,
    as_of: AsOfOption = None,
    sort: Annotated[
        str | None, _option("--sort", help="Sort by a field (due, value, area, …); -FIELD sorts descending.")
    ] = None,
    limit: Annotated[int | None, _option("--limit", min=0, help="Print at most this many rows.")] = None,
    output_format: FormatOption = ListFormat.table,
    data: DataOption = None,
    doc: DocOption = None,
) -> None:
    """Find targets, measures or budgets with field:value terms and filter options (AND)."""
    from .filters import answer
    from .output import listing

    ledger = _load(data)
    options = {
        "area": area,
        "lead": lead,
        "text": text,
        "unit": unit,
        "commitment": commitment,
        "comparator": comparator,
        "kind": kind,
        "due-before": _typed_day("--due-before", due_before),
        "has-budget": _yes_no(has_budget),
        "status": status,
    }
    rows = answer(ledger, table.value, terms or [], options, sort, limit, doc, _as_of(as_of))
    _emit(listing(table.value, rows), output_format)


@app.command()
@user_errors
def compare(
    first: Annotated[str, _argument(metavar="A", help="A document's id or number (乐政发〔2023〕6号).")],
    second: Annotated[str, _argument(metavar="B", help="The document to set beside it.")],
    changed: Annotated[
        bool, _option("--changed", help="Only the targets that moved (leave out the unchanged).")
    ] = False,
    output_format: FormatOption = ListFormat.table,
    data: DataOption = None,
) -> None:
    """Set two documents of one family side by side: areas, lead bureaus, budgets and targets.

    Areas are aligned by title, targets matched by what they measure; each target is raised, lowered,
    unchanged, dropped (only in A) or added (only in B), and a changed unit or comparator is said.
    """
    from .compare import compare as compare_documents
    from .compare import only_changed
    from .output import compare_output

    ledger = _load(data, (first, second))  # the cache may answer with these two documents alone
    comparison = compare_documents(ledger, first, second)
    if changed:
        comparison = only_changed(comparison)
    _emit(compare_output(comparison), output_format)


@app.command()
@user_errors
def budgets(
    unit: Annotated[str, typer.Option("--unit", help="Print every amount in 亿元, 万元 or 元.")] = "亿元",
    as_of: Annotated[
        str | None,
        _option("--as-of", help="Count what is paid out by this date, YYYY-MM-DD (default: today)."),
    ] = None,
    output_format: FormatOption = ListFormat.table,
    data: DataOption = None,
    doc: DocOption = None,
) -> None:
    """Every budget with its allocations, totals per area, the gross sum, the stated total and the overlap,
    and what is paid out of each by a date with its execution rate."""
    from .output import budget_statement as statement_output
    from .queries import budget_statement

    day = _as_of(as_of)
    ledger = _load(data)
    _emit(statement_output(budget_statement(ledger, unit, doc, day)), output_format)


@app.command()
@user_errors
def export(
    output_format: Annotated[
        ExportFormat,
        _format_option("json (one document), yaml or csv (one file per table)."),
    ] = ExportFormat.json,
    table: Annotated[
        str | None,
        _option(
            "--table",
            help="Only this table: documents, areas, measures, targets, progress, budgets or allocations.",
        ),
    ] = None,
    output_dir: Annotated[
        Path | None,
        _output_option("With csv: write TABLE.csv files into this directory.", file_okay=False),
    ] = None,
    as_of: Annotated[
        str | None,
        _option("--as-of", help="Give budgets' paid out as of this date, YYYY-MM-DD (default: today)."),
    ] = None,
    data: DataOption = None,
) -> None:
    """The whole ledger for scripts: one JSON (or YAML) document, or CSV tables."""
    from .output import export_output
    from .queries import export_ledger

    day = _as_of(as_of)
    ledger = _load(data)
    result = export_output(export_ledger(ledger, day), output_format.value, table, output_dir)
    for path in result.written:
        _echo(_("wrote {path}").format(path=path), err=True)
    _print_document(result.content, output_format.value)


def _load(data: Path | None, document: str | tuple[str, ...] | None = None) -> Any:
    """The ledger, with a warning on stderr when records failed to load (answers may then be partial).

    ``document``: the user named one document, so an answer from the cache may hold that one alone.
    """
    from .loader import find_data_dir, load_ledger
    from .problems import Severity

    ledger, problems = load_ledger(find_data_dir(data), document=document)
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    if errors:
        warning = ngettext(
            "warning: the data has {n} error, so records may be missing; run `ledger validate`",
            "warning: the data has {n} errors, so records may be missing; run `ledger validate`",
            errors,
        )
        _note(warning.format(n=errors))
    return ledger


def _write_output(path: Path, text: str) -> None:
    """A file the user named with -o: written whole, and only over a regular file or at a new path."""
    from .fileio import FileRefused, write_output
    from .problems import LedgerError

    try:
        write_output(path, text.encode("utf-8"))
    except FileRefused as exc:
        raise LedgerError(_("-o {refusal}; nothing was written").format(refusal=exc), exit_code=2) from None
    except OSError as exc:
        reason = exc.strerror or exc
        raise LedgerError(
            _("-o {path}: cannot write ({reason}); nothing was written").format(path=path, reason=reason)
        ) from exc


def _yes_no(flag: bool | None) -> str | None:
    return None if flag is None else ("yes" if flag else "no")


def _emit(output: Any, output_format: ListFormat) -> None:
    """``table`` is laid out by ``plain``; every other format is text (CSV: bytes with a BOM) on stdout."""
    if output_format is ListFormat.table:
        from .plain import grids_view, terminal_width

        _echo(grids_view(output.grids, terminal_width()), nl=False)
        return
    from .output import render_text

    _print_document(render_text(output, output_format.value), output_format.value)


@app.command()
@user_errors
def schema(
    output: Annotated[
        Path | None,
        _output_option(
            "Folder for the schema files (default: schema/ beside the data folder).", file_okay=False
        ),
    ] = None,
    check: Annotated[
        bool, _option("--check", help="Write nothing; exit 1 if a schema file is missing or out of date.")
    ] = False,
    data: DataOption = None,
) -> None:
    """Export JSON Schema for policies.yaml, targets.yaml and budgets.yaml, generated from the models.

    Editors read it through the first line of each data file and check fields as a person types.
    """
    from .loader import display_path, find_data_dir
    from .schema import stale_schemas, write_schemas

    folder = output if output is not None else find_data_dir(data).parent / "schema"
    if check:
        stale = stale_schemas(folder)
        for path in stale:
            stale_line = _("{path}: out of date with the models; run `ledger schema` and commit it")
            _echo(stale_line.format(path=display_path(path)))
        if stale:
            raise typer.Exit(1)
        _echo(_("ok: the schemas in {path} are current").format(path=display_path(folder)))
        return
    for path in write_schemas(folder):
        _echo(_("wrote {path}").format(path=display_path(path)))


def main() -> None:
    from .streams import tolerate

    tolerate(sys.stdout)  # a GBK or ASCII console shows "?" for what it cannot hold, never a traceback
    # $LEDGER_LANG, else the locale's language, until --lang says otherwise: Typer's errors, and the help of
    # `ledger` alone, come before any option is read
    i18n.use(os.environ.get("LEDGER_LANG"))
    app(prog_name="ledger")
