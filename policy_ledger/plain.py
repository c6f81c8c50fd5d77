"""Text for a terminal, laid out in cells with the standard library alone: every table people read.

``ledger show`` is typed many times a day, and importing rich costs about as much as everything else a
command does; so ``show``, ``log``, ``status`` and every listing (``grids_view``) are laid out here, with
one table (``table``; ``stacked`` records when it cannot fit). Width is counted in terminal cells (a
Chinese character takes two), long cells wrap inside their column, and nothing depends on colour: a
terminal gets a bold heading, a pipe gets the same text without escape codes.

A view is plain text with the data as it is; the CLI makes it safe for a terminal
(``safe.terminal_safe``) as it prints it. So that columns still line up then, a character the terminal
would act on counts as wide as its visible escape (ESC as the four cells of ``\x1b``).
"""

from __future__ import annotations

import os
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from . import words
from .amounts import format_amount
from .cells import (
    allocation_table,
    describe_progress,
    expected_cell,
    status_goal,
    target_cells,
    target_headers,
    text_bar,
)
from .ledger import Ledger
from .models import Budget, Measure
from .safe import is_unsafe, visible
from .status import STATE_ORDER, State, target_status

if TYPE_CHECKING:  # only their types: ``ledger show`` needs neither module
    from .output import Grid
    from .queries import BureauInstruments, InstrumentPaid, StatusAnswer

GAP = "   "  # between columns
MIN_WRAPPED = 8  # the narrowest a wrapping column gets, in cells
#: A word longer than this (a URL, a long name) may be broken across lines rather than widen its column
#: (or turn the table into records).
LONGEST_KEPT = 20


def cell_width(text: str) -> int:
    """Terminal cells ``text`` takes once it is made safe: two for wide (CJK) characters, none for
    combining marks, and for a control or bidi character the width of its visible escape."""
    width = 0
    for char in text:
        if is_unsafe(char):
            width += len(visible(char))
        elif unicodedata.combining(char):
            continue
        else:
            width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def wrap(text: str, width: int, *, cjk: bool = True) -> list[str]:
    """Lines of at most ``width`` cells; breaks at spaces where it can, anywhere in CJK text unless not
    ``cjk`` (an amount such as ``10.91亿元`` then stays whole if it fits). A paragraph's leading spaces
    (an allocation's indent under its budget) indent each of its lines."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        body = paragraph.lstrip(" ")
        indent = paragraph[: len(paragraph) - len(body)]
        room = max(width - len(indent), 1)
        line, used = indent, 0
        for word in _words(body, cjk):
            size = cell_width(word)
            if used + size <= room:
                line, used = line + word, used + size
                continue
            if line.strip():
                lines.append(line.rstrip())
            word = word.lstrip(" ")
            while cell_width(word) > room:  # a word longer than the line: break it by cells
                cut = _cut(word, room)
                lines.append(indent + word[:cut])
                word = word[cut:]
            line, used = indent + word, cell_width(word)
        lines.append(line.rstrip())
    return lines


#: Punctuation that never starts a line in Chinese typesetting: it stays with the character before it.
NO_LINE_START = frozenset("、，。；：！？）》」』”’〕】")
#: Punctuation that never ends a line: an opening bracket or quote stays with what it opens.
NO_LINE_END = frozenset("(（[“‘《「『〔【")


def _words(text: str, cjk: bool = True) -> list[str]:
    """Spaces stay with the word after them; each CJK character is a word of its own if ``cjk``, except
    closing punctuation, which joins the word before it (a line never starts with ``、``), and opening
    punctuation, which joins the word after it (a line never ends with ``（``)."""
    words: list[str] = []
    current = ""
    for char in text:
        wide = cjk and unicodedata.east_asian_width(char) in ("W", "F")
        if cjk and char in NO_LINE_START and (current or words):  # also ” and ’, of ambiguous width
            if current:
                words.append(current + char)
                current = ""
            else:
                words[-1] += char
            continue
        if char == " " or wide:
            if current:
                words.append(current)
            current = char
            if wide:
                words.append(current)
                current = ""
        else:
            current += char
    if current:
        words.append(current)
    joined: list[str] = []
    for word in words:
        if joined and joined[-1][-1] in NO_LINE_END:
            joined[-1] += word
        else:
            joined.append(word)
    return joined


def _cut(word: str, width: int) -> int:
    used = 0
    for index, char in enumerate(word):
        used += cell_width(char)
        if used > width:
            return max(index, 1)
    return len(word)


def pad(text: str, width: int, *, right: bool = False) -> str:
    space = " " * max(width - cell_width(text), 0)
    return space + text if right else text + space


@dataclass(frozen=True)
class Column:
    header: str
    wrap: bool = False  # long cells wrap first; the others keep their width while the table fits
    right: bool = False


def text_width(text: str) -> int:
    """Cells the widest line of ``text`` takes."""
    return max(cell_width(line) for line in text.split("\n"))


def longest_word(text: str, *, cjk: bool = True) -> int:
    """The widest run that ``wrap`` should not break (a word of Latin letters or digits; with ``cjk``
    false, anything between spaces), up to ``LONGEST_KEPT`` cells."""
    words = (cell_width(word.strip()) for line in text.split("\n") for word in _words(line, cjk))
    return min(max(words, default=0), LONGEST_KEPT)


def fit_widths(
    natural: Sequence[int], minimum: Sequence[int], first: Sequence[bool], room: int
) -> list[int] | None:
    """Widths of columns that share ``room`` cells, or None when even their narrowest does not fit.

    Natural widths when they fit. Otherwise the columns marked ``first`` wrap, down to their
    ``minimum`` (their longest word), and share what the others leave: in equal parts, but a column
    that wants less than its part gets what it wants and leaves the rest to the others. When that is
    still too wide the others wrap too: a column gets its natural width back if the room allows it
    whole, and what is left goes to the columns marked ``first``.
    """
    if sum(natural) <= room:
        return list(natural)
    columns = range(len(natural))
    widths = [minimum[i] if first[i] else natural[i] for i in columns]
    if sum(widths) > room:
        if sum(minimum) > room:
            return None
        widths = list(minimum)
        for i in sorted((i for i in columns if not first[i]), key=lambda i: natural[i] - minimum[i]):
            if natural[i] - widths[i] <= room - sum(widths):
                widths[i] = natural[i]
    shrunk = sorted((i for i in columns if first[i]), key=lambda i: natural[i] - widths[i])
    for place, i in enumerate(shrunk):  # the least wanting first: a short column gets all it wants
        share = (room - sum(widths)) // (len(shrunk) - place)
        widths[i] += max(min(natural[i] - widths[i], share), 0)
    return widths


def table(
    columns: Sequence[Column],
    rows: Sequence[Sequence[str]],
    width: int,
    *,
    title: str = "",
    footer: Sequence[str] | None = None,
    caption: str = "",
) -> list[str]:
    """The one table of ``ledger``: title, header, a rule, rows, an optional footer and caption.

    Nothing is cut: cells wrap inside their column, and a table whose columns cannot all fit in
    ``width`` is shown as records instead (``stacked``), one label and value a line, and its caption
    after a blank line.
    """
    lines_of = [list(row) for row in rows] + ([list(footer)] if footer else [])
    natural = [
        max([text_width(column.header), *(text_width(row[i]) for row in lines_of)])
        for i, column in enumerate(columns)
    ]
    minimum = [
        min(
            natural[i],
            max(
                [
                    MIN_WRAPPED,
                    *(longest_word(text, cjk=c.wrap) for text in [c.header, *(r[i] for r in lines_of)]),
                ]
            ),
        )
        for i, c in enumerate(columns)
    ]
    gaps = len(GAP) * (len(columns) - 1)
    widths = fit_widths(natural, minimum, [c.wrap for c in columns], width - 1 - gaps)
    if widths is None:
        out = stacked([c.header for c in columns], rows, width, title=title, footer=footer)
        return out + (["", *wrap(caption, width)] if caption else [])
    out = wrap(title, width) if title else []
    out.extend(_row([c.header for c in columns], columns, widths))
    out.append("─" * min(width, 1 + sum(widths) + gaps))
    for row in rows:
        out.extend(_row(row, columns, widths))
    if footer:
        out.append("")
        out.extend(_row(footer, columns, widths))
    return out + (wrap(caption, width) if caption else [])


def stacked(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    width: int,
    *,
    title: str = "",
    footer: Sequence[str] | None = None,
) -> list[str]:
    """Rows too wide for the terminal as records: each cell on its own line after its header.

    Empty cells are left out; records are set apart by a blank line.
    """
    label = min(max(text_width(header) for header in headers), max(width // 3, 1))
    value = max(width - 1 - len(GAP) - label, 1)
    out = wrap(title, width) if title else []
    for index, row in enumerate([*rows, *([footer] if footer else [])]):
        if index:
            out.append("")
        for header, cell in zip(headers, row, strict=True):
            if not cell.strip():
                continue
            names, values = wrap(header, label), wrap(cell, value)
            for line in range(max(len(names), len(values))):
                name = names[line] if line < len(names) else ""
                text = values[line] if line < len(values) else ""
                out.append((" " + pad(name, label) + GAP + text).rstrip())
    return out


def _row(cells: Sequence[str], columns: Sequence[Column], widths: list[int]) -> list[str]:
    wrapped = [wrap(cell, w, cjk=c.wrap) for cell, c, w in zip(cells, columns, widths, strict=True)]
    height = max(len(lines) for lines in wrapped)
    return [
        _line([lines[i] if i < len(lines) else "" for lines in wrapped], columns, widths)
        for i in range(height)
    ]


def _line(cells: Sequence[str], columns: Sequence[Column], widths: list[int]) -> str:
    parts = [pad(cell, w, right=c.right) for cell, c, w in zip(cells, columns, widths, strict=True)]
    return (" " + GAP.join(parts)).rstrip()


#: The width of a pipe or a file when ``$COLUMNS`` does not say; the narrowest and widest honoured.
DEFAULT_WIDTH, NARROWEST, WIDEST = 80, 20, 1000


def terminal_width() -> int:
    """Cells a line may take: ``$COLUMNS`` if it is a whole number, else the width of the terminal that
    stdout is, else 80 (a pipe or a file), so ``COLUMNS=$COLUMNS ledger status | less -R`` follows the
    terminal and a file written from any terminal reads the same. Kept within 20 to 1000."""
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isascii() and columns.isdigit():
        width = int(columns)
    else:
        try:
            width = os.get_terminal_size(sys.stdout.fileno()).columns
        except (AttributeError, OSError, ValueError):  # no stdout, a pipe or a file, a closed stream
            width = DEFAULT_WIDTH
        width = width or DEFAULT_WIDTH
    return min(max(width, NARROWEST), WIDEST)


def bold(text: str) -> str:
    """Bold in a terminal that wants colour; plain in a pipe, a file or under ``NO_COLOR``.

    Give it text that is already safe for a terminal: its own codes are the only ones it should carry.
    """
    if os.environ.get("NO_COLOR") or not sys.stdout.isatty():
        return text
    return f"\x1b[1m{text}\x1b[0m"


def measure_view(ledger: Ledger, measure: Measure, as_of: date, width: int) -> str:
    """What ``ledger show N`` prints: heading, area and lead, full text, targets with state, budget.

    The first line is the heading, which the CLI prints in bold.
    """
    area = ledger.area(measure.area, measure.document)
    document = ledger.document(measure.document)
    out = [f"{measure.number}．{measure.title}"]
    facts = []
    if area is not None:
        facts += [(words.AREA, f"{area.number} {area.title}"), (words.LEAD, "、".join(area.leads))]
    if document is not None:
        facts.append((words.DOCUMENT, f"{document.number} {document.title}"))
    indent = max(cell_width(label) for label, _ in facts) + 2 if facts else 0
    for label, value in facts:
        lines = wrap(value, max(width - indent, MIN_WRAPPED))
        out.append(pad(label, indent) + lines[0])
        out.extend(" " * indent + line for line in lines[1:])
    out.append("")
    out.extend(wrap(measure.text, width))
    out.append("")
    out.extend(_targets(ledger, measure, as_of, width))
    budget = ledger.budget_of(measure)
    if budget is not None:
        out.append("")
        out.extend(_budget(ledger, budget, as_of, width))
    if ledger.instruments_of(measure):
        out.append("")
        out.extend(_instruments(ledger, measure, width))
    return "\n".join(out) + "\n"


def _instruments(ledger: Ledger, measure: Measure, width: int) -> list[str]:
    """What the measure gives: each instrument, its form, for whom, its basis and how it stands."""
    rows = []
    for instrument in ledger.instruments_of(measure):
        issued, paid = instrument.standard_issued(), instrument.paid()
        rows.append(
            [
                instrument.id,
                instrument.name,
                words.value(instrument.form),
                "、".join(words.value(b) for b in instrument.beneficiaries),
                words.value(instrument.basis),
                "、".join(instrument.funded_by),
                "" if issued is None else issued.document_number or "",
                "" if paid is None or paid.value is None else format_amount(paid.value, paid.unit),
            ]
        )
    others = (words.FORM, words.FOR, words.BASIS, words.FUNDED_BY, words.STANDARD, words.PAID)
    columns = [Column(words.ID), Column(words.NAME, wrap=True), *(Column(header) for header in others)]
    lines = table(columns, rows, width, title=words.INSTRUMENTS)
    for instrument in ledger.instruments_of(measure):  # the standards its 配套政策 set, in their words
        issued = instrument.standard_issued()
        if issued is not None and issued.standard:
            line = words.standard_set(instrument.id, issued.document_number or "", issued.standard)
            lines += wrap(line, width)
    return lines


def _targets(ledger: Ledger, measure: Measure, as_of: date, width: int) -> list[str]:
    targets = ledger.targets_of(measure)
    if not targets:
        followed = ledger.budget_of(measure) is not None or ledger.instruments_of(measure)
        return wrap(words.NO_TARGETS_FOLLOWED if followed else words.NO_TARGETS, width)
    rows = [target_cells(target, target_status(ledger, target, as_of)) for target in targets]
    wrapping = {words.WHAT, words.DUE, words.LATEST}
    columns = [Column(header, wrap=header in wrapping) for header in target_headers()]
    return table(columns, rows, width, title=words.targets_as_of(as_of.isoformat()))


def _budget(ledger: Ledger, budget: Budget, as_of: date, width: int) -> list[str]:
    allocations = allocation_table(ledger, budget, as_of)
    columns = [
        Column(h, wrap=h == words.ALLOCATION, right=h not in (words.ID, words.ALLOCATION))
        for h in allocations.headers
    ]
    title = words.budget_title(budget.id, format_amount(budget.total, budget.unit))
    return table(columns, allocations.rows, width, title=title, footer=allocations.footer)


#: Width of the per-area bar of achieved targets in ``ledger status``.
BAR_WIDTH = 10
#: How many changed lines of one commit ``ledger log`` shows before it points at ``git show``.
HISTORY_LINES = 8


def _joined(tables: Iterable[list[str]]) -> str:
    """Tables one after another, a blank line between them, as text to print."""
    return "\n\n".join("\n".join(lines) for lines in tables) + "\n"


def history_view(history: Sequence[Any], width: int, *, detailed: bool) -> str:
    """``ledger log``: commits newest first; with a record named, the lines each commit changed."""
    if not history:
        return words.NO_HISTORY + "\n"
    rows = []
    for entry in history:
        lines = [entry.subject]
        if detailed:
            changed = [f"- {line.strip()}" for line in entry.removed] + [
                f"+ {line.strip()}" for line in entry.added
            ]
            lines += changed[:HISTORY_LINES]
            if len(changed) > HISTORY_LINES:
                lines.append(words.more_changed_lines(len(changed) - HISTORY_LINES, entry.commit))
        rows.append([entry.date[:19].replace("T", " "), entry.author, entry.commit, "\n".join(lines)])
    columns = [
        Column(words.DATE),
        Column(words.AUTHOR, wrap=True),
        Column(words.COMMIT),
        Column(words.CHANGE, wrap=True),
    ]
    return _joined([table(columns, rows, width)])


def status_view(answer: StatusAnswer, width: int) -> str:
    """``ledger status``: each target's state, then the counts per area with a bar of what is achieved."""
    target_columns = [
        Column(words.ID),
        Column(words.WHAT, wrap=True),
        Column(words.TARGET, wrap=True),
        Column(words.LATEST),
        Column(words.EXPECTED, right=True),
        Column(words.STATE),
    ]
    target_rows = [
        [
            status.target.id,
            status.target.what,
            status_goal(status),
            describe_progress(status.latest),
            expected_cell(status),
            words.state(status.state),
        ]
        for status in answer.statuses
    ]
    area_columns = [
        Column(words.AREA_AND_LEAD, wrap=True),
        *(Column(words.state(state), right=True) for state in STATE_ORDER),
        Column(words.ACHIEVED),
    ]
    area_rows = [
        [
            f"{summary.area}．{summary.title}\n{'、'.join(summary.leads)}",
            *(str(summary.counts.get(state, 0)) for state in STATE_ORDER),
            text_bar(summary.counts.get(State.ACHIEVED, 0), summary.total, BAR_WIDTH),
        ]
        for summary in answer.summaries
    ]
    tables = [
        table(target_columns, target_rows, width, title=words.status_targets_title(answer.as_of.isoformat())),
        table(area_columns, area_rows, width, title=words.PER_AREA),
    ]
    if answer.instruments:
        tables.append(instruments_view(answer.instruments, width))
        if answer.payments:
            tables.append(payments_view(answer.payments, width))
    return _joined(tables)


def payments_view(paid: Sequence[InstrumentPaid], width: int) -> list[str]:
    """兑现 per instrument that reports any: the latest cumulative amount and recipients, and their date."""
    columns = [
        Column(words.ID),
        Column(words.NAME, wrap=True),
        Column(words.FUNDED_BY, wrap=True),
        *(Column(header, right=True) for header in (words.PAID, words.RECIPIENTS, words.AS_OF)),
    ]
    rows = [
        [
            row.id,
            row.name,
            "、".join(row.funded_by),
            "" if row.paid is None else format_amount(row.paid, row.unit),
            "" if row.recipients is None else str(row.recipients),
            row.as_of.isoformat(),
        ]
        for row in paid
    ]
    return table(columns, rows, width, title=words.PER_INSTRUMENT_PAID)


def instruments_view(instruments: Sequence[BureauInstruments], width: int) -> list[str]:
    """Per lead bureau: instruments, those whose standard waits for a 配套政策, issued, pending, 兑现."""
    headers = (words.INSTRUMENTS, words.DEFERRING, words.standards_issued(), words.PENDING, words.PAID)
    columns = [Column(words.LEAD, wrap=True), *(Column(header, right=True) for header in headers)]
    rows = [
        [b.lead, *(str(n) for n in (b.instruments, b.deferring, b.issued, b.pending, b.paid))]
        for b in instruments
    ]
    return table(columns, rows, width, title=words.PER_LEAD_INSTRUMENTS)


def grids_view(grids: Sequence[Grid], width: int) -> str:
    """The ``table`` format of a listing: each grid as a table, titled when there are several.

    An empty listing still shows its header row, so a reader sees what was asked and that nothing
    matched, rather than no output at all.
    """
    return _joined(
        table(
            [
                Column(header, wrap=i not in grid.right, right=i in grid.right)
                for i, header in enumerate(grid.headers)
            ],
            grid.rows,
            width,
            title=grid.title if len(grids) > 1 else "",
            caption=grid.caption,
        )
        for grid in grids
    )
