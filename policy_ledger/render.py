"""Ledger → rich renderables, and the one console that writes them to a terminal.

Tables measure CJK text by terminal cells (rich does), so Chinese columns stay aligned, and nothing
depends on colour: piped output reads the same without it.

``SafeConsole`` is the terminal boundary for everything rich draws: every string becomes
``safe.terminal_safe`` before rich measures it (so columns stay aligned around an escaped ``\\x1b``), and
every segment is checked again as it is written, so no renderable can carry a control character through.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from . import words
from .amounts import format_amount
from .cells import describe_progress, expected_cell, status_goal, text_bar
from .output import Grid
from .plain import MIN_WRAPPED, fit_widths, longest_word, stacked, terminal_width, text_width, wrap
from .queries import BureauInstruments, InstrumentPaid
from .safe import terminal_safe
from .status import STATE_ORDER, AreaSummary, State, TargetStatus

#: Width of the per-area bar of achieved targets in ``ledger status``.
BAR_WIDTH = 10
#: How many changed lines of one commit ``ledger log`` shows before it points at ``git show``.
HISTORY_LINES = 8


class _Escaped:
    """A renderable whose text segments are shown with control characters escaped."""

    def __init__(self, inner: RenderableType) -> None:
        self.inner = inner

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for segment in console.render(self.inner, options):
            if segment.control:  # cursor movement rich itself asks for, never text
                yield segment
            else:
                yield Segment(terminal_safe(segment.text), segment.style)


class SafeConsole(Console):
    """A rich console that shows control and bidi characters in the text it prints as visible escapes."""

    def render_str(self, text: str, **kwargs: Any) -> Text:
        return super().render_str(terminal_safe(text), **kwargs)

    def print(self, *objects: Any, **kwargs: Any) -> None:
        super().print(*(_Escaped(self.render_str(o) if isinstance(o, str) else o) for o in objects), **kwargs)


def safe_console() -> Console:
    """The console the CLI prints with: data is text, never rich markup (``[red]``) or emoji (``:x:``),
    as wide as ``plain.terminal_width`` says (``$COLUMNS`` first, also in a pipe)."""
    return SafeConsole(highlight=False, markup=False, emoji=False, width=terminal_width())


#: The look of ``box.SIMPLE_HEAD`` (a rule under the header and nothing else) for a console that is not
#: UTF-8, such as GBK: rich's own fallback would draw every edge of the table.
ASCII_SIMPLE_HEAD = box.Box("    \n    \n -- \n    \n    \n    \n    \n    \n", ascii=True)


class Fitted:
    """A table that shows every cell whole in the width it is given.

    Rich would cut a column that does not wrap (``on trac``) or fold words when a table is too wide;
    here the widths are chosen first (``plain.fit_widths``: columns that wrap shrink to their longest
    word, then the others), and a table that cannot fit even so is shown as records, one label and
    value a line.
    """

    def __init__(self, table: Table) -> None:
        self.table = table
        self.wrapping = [not column.no_wrap for column in table.columns]  # before a render sets widths

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        table = self.table
        texts = [[str(column.header), *(str(cell) for cell in column.cells)] for column in table.columns]
        natural = [max(text_width(text) for text in column) for column in texts]
        minimum = [  # a column that does not wrap keeps "10.91亿元" whole, breaking only at spaces
            min(
                natural[i],
                max(
                    [c.min_width or (MIN_WRAPPED if self.wrapping[i] else 0)]
                    + [longest_word(text, cjk=self.wrapping[i]) for text in texts[i]]
                ),
            )
            for i, c in enumerate(table.columns)
        ]
        _, right, _, left = table.padding
        extra = (left + right) * len(texts) + (len(texts) - 1 if table.box else 0)
        widths = fit_widths(natural, minimum, self.wrapping, options.max_width - extra)
        if widths is None:
            yield _records(table, texts, options.max_width)
            return
        for column, width, wraps in zip(table.columns, widths, self.wrapping, strict=True):
            column.width, column.no_wrap, column.overflow = width, False, "fold"
            if wraps:  # rich would fold a long CJK run at the width, even inside "LNG"
                column._cells = [_wrapped(str(cell), width) for cell in column._cells]
        if options.ascii_only and table.box is box.SIMPLE_HEAD:  # rich would draw every edge in ASCII
            table.box = ASCII_SIMPLE_HEAD
        yield table


def _wrapped(text: str, width: int) -> str:
    """A cell broken at its spaces, as rich breaks it; a word longer than the line between CJK characters
    (``plain.wrap``), so that an ASCII run such as ``LNG`` stays whole."""
    lines = []
    for paragraph in text.split("\n"):
        if text_width(paragraph) <= width:
            lines.append(paragraph)
            continue
        body = paragraph.lstrip(" ")
        indent = paragraph[: len(paragraph) - len(body)]  # an allocation's indent under its budget
        room = max(width - len(indent), 1)
        wrapped: list[str] = []
        line = ""
        for word in body.split(" "):
            candidate = f"{line} {word}" if line else word
            if text_width(candidate) <= room:
                line = candidate
                continue
            if line:
                wrapped.append(line)
            *full, line = wrap(word, room) or [""]
            wrapped += full
        lines += [indent + part for part in [*wrapped, line]]
    return "\n".join(lines)


def _records(table: Table, texts: list[list[str]], width: int) -> RenderableType:
    """Rows as records (``plain.stacked``), under the table's title and above its caption."""
    rows = [[column[index] for column in texts] for index in range(1, len(texts[0]))]
    lines = stacked([column[0] for column in texts], rows, width, title=str(table.title or ""))
    if table.caption:
        lines += ["", *wrap(str(table.caption), width)]
    return Text("\n".join(lines), no_wrap=True, overflow="ignore")


def _table(title: str | None = None, **options: Any) -> Table:
    """The one look of every table: a rule under the header, no outer edge, the title on the left.

    Print it inside ``Fitted``, so that it fits the terminal.
    """
    return Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, show_edge=False, **options)


def history_view(history: Sequence[Any], *, detailed: bool) -> RenderableType:
    """``ledger log``: commits newest first; with a record named, the lines each commit changed."""
    if not history:
        return words.NO_HISTORY
    table = _table()
    table.add_column(words.DATE, no_wrap=True)
    table.add_column(words.AUTHOR, overflow="fold")
    table.add_column(words.COMMIT, no_wrap=True)
    table.add_column(words.CHANGE, overflow="fold")
    for entry in history:
        lines = [entry.subject]
        if detailed:
            changed = [f"- {line.strip()}" for line in entry.removed] + [
                f"+ {line.strip()}" for line in entry.added
            ]
            lines += changed[:HISTORY_LINES]
            if len(changed) > HISTORY_LINES:
                lines.append(words.more_changed_lines(len(changed) - HISTORY_LINES, entry.commit))
        table.add_row(entry.date[:19].replace("T", " "), entry.author, entry.commit, "\n".join(lines))
    return Fitted(table)


def status_view(
    as_of: date,
    statuses: Iterable[TargetStatus],
    summaries: Iterable[AreaSummary],
    instruments: Sequence[BureauInstruments] = (),
    paid: Sequence[InstrumentPaid] = (),
) -> RenderableType:
    """``ledger status``: each target's state, then the counts per area with a bar of what is achieved."""
    targets = _table(words.status_targets_title(as_of.isoformat()))
    targets.add_column(words.ID, no_wrap=True)
    targets.add_column(words.WHAT, overflow="fold", min_width=12)
    targets.add_column(words.TARGET, overflow="fold")
    targets.add_column(words.LATEST, no_wrap=True)
    targets.add_column(words.EXPECTED, justify="right", no_wrap=True)
    targets.add_column(words.STATE, no_wrap=True)
    for status in statuses:
        targets.add_row(
            status.target.id,
            status.target.what,
            status_goal(status),
            describe_progress(status.latest),
            expected_cell(status),
            words.state(status.state),
        )
    areas = _table(words.PER_AREA)
    areas.add_column(words.AREA_AND_LEAD, overflow="fold", min_width=16)
    for state in STATE_ORDER:
        areas.add_column(words.state(state), justify="right", no_wrap=True)
    areas.add_column(words.ACHIEVED, no_wrap=True, min_width=BAR_WIDTH)
    for summary in summaries:
        achieved = summary.counts.get(State.ACHIEVED, 0)
        areas.add_row(
            f"{summary.area}．{summary.title}\n{'、'.join(summary.leads)}",
            *(str(summary.counts.get(state, 0)) for state in STATE_ORDER),
            text_bar(achieved, summary.total, BAR_WIDTH),
        )
    if not instruments:
        return Group(Fitted(targets), "", Fitted(areas))
    if not paid:
        return Group(Fitted(targets), "", Fitted(areas), "", instruments_view(instruments))
    return Group(
        Fitted(targets), "", Fitted(areas), "", instruments_view(instruments), "", payments_view(paid)
    )


def payments_view(paid: Sequence[InstrumentPaid]) -> RenderableType:
    """兑现 per instrument that reports any: the latest cumulative amount and recipients, and their date."""
    table = _table(words.PER_INSTRUMENT_PAID)
    table.add_column(words.ID, no_wrap=True)
    table.add_column(words.NAME, overflow="fold")
    table.add_column(words.FUNDED_BY, overflow="fold")
    for header in (words.PAID, words.RECIPIENTS, words.AS_OF):
        table.add_column(header, justify="right", no_wrap=True)
    for row in paid:
        amount = "" if row.paid is None else format_amount(row.paid, row.unit)
        recipients = "" if row.recipients is None else str(row.recipients)
        table.add_row(row.id, row.name, "、".join(row.funded_by), amount, recipients, row.as_of.isoformat())
    return Fitted(table)


def instruments_view(instruments: Sequence[BureauInstruments]) -> RenderableType:
    """Per lead bureau: instruments, those whose standard waits for a 配套政策, issued, pending, 兑现."""
    table = _table(words.PER_LEAD_INSTRUMENTS)
    table.add_column(words.LEAD, overflow="fold")
    for header in (words.INSTRUMENTS, words.DEFERRING, words.standards_issued(), words.PENDING, words.PAID):
        table.add_column(header, justify="right", no_wrap=True)
    for bureau in instruments:
        counts = (bureau.instruments, bureau.deferring, bureau.issued, bureau.pending, bureau.paid)
        table.add_row(bureau.lead, *(str(n) for n in counts))
    return Fitted(table)


def grids_view(grids: Sequence[Grid]) -> RenderableType:
    """The ``table`` format of a listing: each grid as a table, titled when there are several.

    An empty listing still shows its header row, so a reader sees what was asked and that nothing
    matched, rather than no output at all.
    """
    tables: list[RenderableType] = []
    for index, grid in enumerate(grids):
        table = _table(
            grid.title if len(grids) > 1 else None, caption=grid.caption or None, caption_justify="left"
        )
        for column, header in enumerate(grid.headers):
            right = column in grid.right
            table.add_column(header, justify="right" if right else "left", no_wrap=right, overflow="fold")
        for row in grid.rows:
            table.add_row(*row)
        if index:
            tables.append("")
        tables.append(Fitted(table))
    return Group(*tables)
