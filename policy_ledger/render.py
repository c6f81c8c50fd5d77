"""Ledger → rich renderables. Nothing here prints; the CLI hands the result to a Console.

Tables measure CJK text by terminal cells (rich does), so Chinese columns stay aligned, and nothing
depends on colour: piped output reads the same without it.
"""

from __future__ import annotations

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from .amounts import format_amount
from .checks import budget_sum
from .loader import Ledger
from .models import Measure
from .output import Grid
from .queries import allocation_share, describe_progress, describe_value, latest_progress


def measure_view(ledger: Ledger, measure: Measure) -> RenderableType:
    """What ``ledger show N`` prints: heading, area and lead, full text, targets, budget."""
    area = ledger.area(measure.area, measure.document)
    document = ledger.document(measure.document)
    heading = Text(f"{measure.number}．{measure.title}", style="bold")
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="dim")
    facts.add_column()
    if area is not None:
        facts.add_row("Area", f"{area.number} {area.title}")
        facts.add_row("Lead", "、".join(area.leads))
    if document is not None:
        facts.add_row("Document", f"{document.number} {document.title}")
    parts: list[RenderableType] = [heading, facts, Text(""), Text(measure.text), Text("")]
    parts.append(_targets_table(ledger, measure))
    budget = ledger.budget_of(measure)
    if budget is not None:
        parts.extend([Text(""), _budget_table(ledger, measure)])
    return Group(*parts)


def _targets_table(ledger: Ledger, measure: Measure) -> RenderableType:
    targets = ledger.targets_of(measure)
    table = Table(title="Targets", title_justify="left", box=box.SIMPLE_HEAD, show_edge=False)
    table.add_column("ID", no_wrap=True)
    table.add_column("What", overflow="fold")
    table.add_column("Value", no_wrap=True)
    table.add_column("Commitment", no_wrap=True)
    table.add_column("Due", no_wrap=True)
    table.add_column("Latest progress", overflow="fold")
    for target in targets:
        due = ledger.due(target)
        due_text = due.isoformat() if due else "—"
        if target.deadline_text:
            due_text += f" ({target.deadline_text})"
        table.add_row(
            target.id,
            target.what,
            describe_value(target),
            target.commitment,
            due_text,
            describe_progress(latest_progress(target)),
        )
    if not targets:
        return Text("Targets: none recorded (ledger validate reports this)")
    return table


def _budget_table(ledger: Ledger, measure: Measure) -> RenderableType:
    budget = ledger.budget_of(measure)
    assert budget is not None
    total = budget_sum(budget)
    table = Table(
        title=f"Budget {budget.id}: {format_amount(budget.total, budget.unit)}",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        show_footer=True,
    )
    table.add_column("ID", footer="", no_wrap=True)
    table.add_column("Allocation", footer="Sum of allocations", overflow="fold")
    table.add_column(
        "Amount",
        justify="right",
        no_wrap=True,
        footer="—" if total is None else format_amount(total, budget.unit),
    )
    sums = total == budget.total
    table.add_column(
        "Share",
        justify="right",
        no_wrap=True,
        footer="= total" if sums else f"≠ {format_amount(budget.total, budget.unit)}",
    )
    for allocation in budget.allocations:
        table.add_row(
            allocation.id,
            allocation.label,
            format_amount(allocation.amount, budget.unit_of(allocation)),
            f"{allocation_share(budget, allocation)}%",
        )
    return table


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
