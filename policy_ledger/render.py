"""Ledger → rich renderables. Nothing here prints; the CLI hands the result to a Console.

Tables measure CJK text by terminal cells (rich does), so Chinese columns stay aligned, and nothing
depends on colour: piped output reads the same without it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from .amounts import format_amount
from .ledger import Ledger
from .output import Grid
from .queries import describe_progress, describe_value

#: Width of the per-area bar of achieved targets in ``ledger status``.
BAR_WIDTH = 10
#: How many changed lines of one commit ``ledger log`` shows before it points at ``git show``.
HISTORY_LINES = 8


def history_view(history: list[Any], *, detailed: bool) -> RenderableType:
    """``ledger log``: commits newest first; with a record named, the lines each commit changed."""
    if not history:
        return Text("No committed history for these records.")
    table = Table(box=box.SIMPLE_HEAD, show_edge=False)
    table.add_column("Date", no_wrap=True)
    table.add_column("Author", overflow="fold")
    table.add_column("Commit", no_wrap=True)
    table.add_column("Change", overflow="fold")
    for entry in history:
        change = Text(entry.subject)
        if detailed:
            changed = [f"- {line.strip()}" for line in entry.removed] + [
                f"+ {line.strip()}" for line in entry.added
            ]
            for line in changed[:HISTORY_LINES]:
                change.append(f"\n{line}")
            if len(changed) > HISTORY_LINES:
                change.append(
                    f"\n… {len(changed) - HISTORY_LINES} more changed lines (git show {entry.commit})"
                )
        table.add_row(entry.date[:19].replace("T", " "), entry.author, entry.commit, change)
    return table


def text_bar(part: int, whole: int, width: int) -> str:
    """A bar of block characters: readable without colour, in a pipe, a log or a Markdown table."""
    filled = 0 if whole == 0 else round(width * part / whole)
    return "█" * filled + "░" * (width - filled)


def status_view(ledger: Ledger, as_of: date, statuses: list[Any], summaries: list[Any]) -> RenderableType:
    """``ledger status``: each target's state, then the counts per area with a bar of what is achieved."""
    from .status import STATE_ORDER

    targets = Table(
        title=f"Targets as of {as_of.isoformat()}", title_justify="left", box=box.SIMPLE_HEAD, show_edge=False
    )
    targets.add_column("ID", no_wrap=True)
    targets.add_column("What", overflow="fold", min_width=12)
    targets.add_column("Target", overflow="fold")
    targets.add_column("Latest", no_wrap=True)
    targets.add_column("Expected", justify="right", no_wrap=True)
    targets.add_column("State", no_wrap=True)
    for status in statuses:
        target = status.target
        goal = describe_value(target)
        if target.deadline is not None:
            goal += f" by {status.due.isoformat()}"
        expected = "" if status.expected is None else format_amount(status.expected, target.unit)
        targets.add_row(
            target.id,
            target.what,
            goal,
            describe_progress(status.latest),
            expected,
            status.state.value,
        )
    areas = Table(title="Per area", title_justify="left", box=box.SIMPLE_HEAD, show_edge=False)
    areas.add_column("Area and lead", overflow="fold", min_width=16)
    for state in STATE_ORDER:
        areas.add_column(state.value, justify="right", no_wrap=True)
    areas.add_column("Achieved", no_wrap=True, min_width=BAR_WIDTH)
    for summary in summaries:
        achieved = summary.counts.get(STATE_ORDER[0], 0)
        areas.add_row(
            f"{summary.area} {summary.title}\n{'、'.join(summary.leads)}",
            *(str(summary.counts.get(state, 0)) for state in STATE_ORDER),
            text_bar(achieved, summary.total, BAR_WIDTH),
        )
    return Group(targets, Text(""), areas)


def grids_view(grids: tuple[Grid, ...] | list[Grid]) -> RenderableType:
    """The ``table`` format of a listing: each grid as a table, titled when there are several.

    An empty listing still shows its header row, so a reader sees what was asked and that nothing
    matched, rather than no output at all.
    """
    tables: list[RenderableType] = []
    for index, grid in enumerate(grids):
        table = Table(
            title=grid.title if len(grids) > 1 else None,
            title_justify="left",
            caption=grid.caption or None,
            caption_justify="left",
            box=box.SIMPLE_HEAD,
            show_edge=False,
        )
        for column, header in enumerate(grid.headers):
            right = column in grid.right
            table.add_column(header, justify="right" if right else "left", no_wrap=right, overflow="fold")
        for row in grid.rows:
            table.add_row(*row)
        if index:
            tables.append(Text(""))
        tables.append(table)
    return Group(*tables)
