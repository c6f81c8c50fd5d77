"""Ledger → a GitHub-flavoured Markdown report (pure and deterministic: same data and date, same bytes).

Tables are built with tabulate (which measures CJK width, so the Markdown source lines up too); charts are
a Mermaid pie (rendered by GitHub and GitLab) and bars of block characters that need no renderer at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from .amounts import convert, format_amount, format_number, is_money, share
from .changes import ChangeSet
from .ledger import Ledger
from .models import Area, Budget, Measure, Target
from .queries import allocation_table, pick_document, target_cells
from .status import STATE_ORDER, State, TargetStatus, target_status

BAR_WIDTH = 10


def build_report(
    ledger: Ledger,
    as_of: date,
    *,
    area: int | None = None,
    measure: int | None = None,
    changes: ChangeSet | None = None,
    document_id: str | None = None,
) -> str:
    """The whole report, one area's (``area``) or one measure's (``measure``)."""
    doc = pick_document(ledger, document_id)
    document = ledger.document(doc)
    assert document is not None
    statuses = {t.id: target_status(ledger, t, as_of) for t in ledger.targets if t.document == doc}
    areas = [a for a in ledger.areas if a.document == doc and (area is None or a.number == area)]
    out = _Writer()
    scope = ""
    if area is not None:
        scope = f": area {area}"
    elif measure is not None:
        scope = f": measure {measure}"
    out.heading(1, f"{document.number}《{document.title}》{scope}")
    out.table(
        ["Document", document.number],
        [
            ["Title", document.title],
            ["Issuer", document.issuer],
            ["Issued", document.date.isoformat()],
            ["Report as of", as_of.isoformat()],
        ],
    )
    if changes is not None and (area is not None or measure is not None):
        changes = changes.only(_scope_records(ledger, doc, area, measure))
    if measure is not None:
        found = ledger.measure(measure, doc)
        assert found is not None
        if changes is not None:
            _changes_section(out, changes)
        _measure_section(out, ledger, found, statuses, as_of, level=2)
        budget = ledger.budget_of(found)
        if budget is not None:
            _budget_section(out, ledger, budget, as_of, level=3)
        return out.text()
    _overview(out, ledger, areas, statuses)
    _budget_picture(out, ledger, doc, areas, as_of, whole=area is None)
    if changes is not None:
        _changes_section(out, changes)
    for record in areas:
        _area_section(out, ledger, record, statuses, as_of)
    return out.text()


def _scope_records(ledger: Ledger, doc: str, area: int | None, measure: int | None) -> set[str]:
    """Names of the records an area's or a measure's report covers, to filter its changes."""
    measures = [
        m
        for m in ledger.measures
        if m.document == doc and (m.number == measure if measure is not None else m.area == area)
    ]
    numbers = {m.number for m in measures}
    names = {f"measure {n}" for n in numbers}
    names |= {f"target {t.id}" for t in ledger.targets if t.document == doc and t.measure in numbers}
    if area is not None:
        names |= {f"area {area}"} | {f"target {t.id}" for t in ledger.targets if t.area == area}
    for budget in ledger.budgets:
        if budget.document == doc and budget.measure in numbers:
            names |= {f"budget {budget.id}"} | {f"allocation {a.id}" for a in budget.allocations}
    return names


class _Writer:
    """Markdown blocks separated by exactly one blank line, as the linters want."""

    def __init__(self) -> None:
        self.blocks: list[str] = []

    def heading(self, level: int, text: str) -> None:
        self.blocks.append(f"{'#' * level} {_inline(text)}")

    def paragraph(self, text: str) -> None:
        self.blocks.append(text)

    def table(
        self, headers: list[str], rows: Iterable[list[Any]], align: tuple[str, ...] | None = None
    ) -> None:
        from tabulate import tabulate

        cells = [[_inline(str(cell)) for cell in row] for row in rows]
        # disable_numparse: ids such as 48.10 and amounts such as 5.0 must print as written
        self.blocks.append(
            tabulate(
                cells,
                headers=[_inline(h) for h in headers],
                tablefmt="github",
                colalign=align,
                disable_numparse=True,
            )
        )

    def items(self, lines: Iterable[str]) -> None:
        self.blocks.append("\n".join(f"- {_inline(line)}" for line in lines))

    def raw(self, text: str) -> None:
        self.blocks.append(text)

    def text(self) -> str:
        return "\n\n".join(self.blocks) + "\n"


def _inline(text: str) -> str:
    """One table cell or line: no line breaks, and a pipe that does not end the cell."""
    return " ".join(text.split()).replace("|", "\\|")


def _bar(part: int, whole: int) -> str:
    filled = 0 if whole == 0 else round(BAR_WIDTH * part / whole)
    return "█" * filled + "░" * (BAR_WIDTH - filled)


def _area_of(ledger: Ledger, target: Target) -> int | None:
    if target.area is not None:
        return target.area
    found = ledger.measure(target.measure or 0, target.document)
    return found.area if found else None


def _area_budgets(ledger: Ledger, record: Area) -> list[Budget]:
    numbers = {m.number for m in ledger.measures if m.document == record.document and m.area == record.number}
    return [b for b in ledger.budgets if b.document == record.document and b.measure in numbers]


def _gross(budgets: list[Budget], unit: str) -> Decimal:
    return sum((Decimal(convert(b.total, b.unit, unit)) for b in budgets if is_money(b.unit)), Decimal(0))


def _budget_text(budgets: list[Budget]) -> str:
    """An area's budgets in the document's own unit (5580万元), or in 亿元 when they mix units."""
    if not budgets:
        return "—"
    units = {b.unit for b in budgets}
    unit = units.pop() if len(units) == 1 else "亿元"
    return format_amount(_gross(budgets, unit), unit)


def _overview(out: _Writer, ledger: Ledger, areas: list[Area], statuses: dict[str, TargetStatus]) -> None:
    out.heading(2, "Overview")
    rows = []
    for record in areas:
        targets = [s for s in statuses.values() if _area_of(ledger, s.target) == record.number]
        counts = {state: sum(1 for s in targets if s.state is state) for state in STATE_ORDER}
        measures = [
            m.number for m in ledger.measures if m.document == record.document and m.area == record.number
        ]
        budgets = _area_budgets(ledger, record)
        achieved = counts[State.ACHIEVED]
        rows.append(
            [
                f"{record.number} {record.title}",
                "、".join(record.leads),
                f"{min(measures)}–{max(measures)}" if measures else "—",
                len(targets),
                *(counts[state] for state in STATE_ORDER),
                f"{_bar(achieved, len(targets))} {achieved}/{len(targets)}",
                _budget_text(budgets),
            ]
        )
    headers = ["Area", "Lead", "Measures", "Targets", *(s.value for s in STATE_ORDER), "Achieved", "Budget"]
    align = ("left", "left", "left", "right", "right", "right", "right", "right", "right", "left", "right")
    out.table(headers, rows, align)


def _budget_picture(
    out: _Writer, ledger: Ledger, doc: str, areas: list[Area], as_of: date, *, whole: bool
) -> None:
    budgets = [b for record in areas for b in _area_budgets(ledger, record)]
    if not budgets:
        return
    document = ledger.document(doc)
    assert document is not None
    stated = document.overall_budget
    unit = stated.unit if stated is not None else "亿元"
    out.heading(2, "Budget")
    per_area = [(record, _gross(_area_budgets(ledger, record), unit)) for record in areas]
    per_area = [(record, amount) for record, amount in per_area if amount]
    gross = sum((amount for _, amount in per_area), Decimal(0))
    if whole:
        pie = [f"pie showData title Budget by area, gross, {unit}"]
        pie += [
            f'    "{record.number} {record.title}" : {format_number(amount)}' for record, amount in per_area
        ]
        out.raw("```mermaid\n" + "\n".join(pie) + "\n```")
    out.table(
        ["Area", "Budgets", f"Gross ({unit})", "Share of gross"],
        [
            [
                f"{record.number} {record.title}",
                ", ".join(f"B{b.measure}" for b in _area_budgets(ledger, record)),
                format_amount(amount, unit),
                f"{share(amount, gross)}%",
            ]
            for record, amount in per_area
        ],
        ("left", "left", "right", "right"),
    )
    if whole and stated is not None:
        overlap = gross - stated.amount
        out.paragraph(
            f"The {len(budgets)} budgets add up to {format_amount(gross, unit)} (gross). The document states "
            f"{format_amount(stated.amount, unit)}"
            + (" net of overlaps (剔除交叉重叠部分)" if stated.net_of_overlaps else "")
            + f", so {format_amount(overlap, unit)} is counted by more than one area."
        )
    for budget in budgets:
        _budget_section(out, ledger, budget, as_of, level=3)


def _budget_section(out: _Writer, ledger: Ledger, budget: Budget, as_of: date, *, level: int) -> None:
    found = ledger.measure(budget.measure, budget.document)
    title = f"{budget.measure}．{found.title}" if found else f"measure {budget.measure}"
    out.heading(level, f"Budget {budget.id}: {title}, {format_amount(budget.total, budget.unit)}")
    allocations = allocation_table(budget, as_of)
    align = ("left", "left", "right", "right", "right")[: len(allocations.headers)]
    out.table(allocations.headers, [*allocations.rows, allocations.footer], align)


def _targets_table(out: _Writer, targets: list[Target], statuses: dict[str, TargetStatus]) -> None:
    rows = [target_cells(target, statuses[target.id]) for target in targets]
    out.table(["ID", "What", "Target", "Commitment", "Due", "Latest", "State"], rows, ("left",) * 7)


def _milestones(out: _Writer, targets: list[Target], statuses: dict[str, TargetStatus]) -> None:
    lines = []
    for target in targets:
        status = statuses[target.id]
        mark = "x" if status.state is State.ACHIEVED else " "
        latest = f" ({status.latest.status} as of {status.latest.as_of.isoformat()})" if status.latest else ""
        lines.append(
            f"[{mark}] {target.id} {target.what}: {status.state.value}{latest}, due {status.due.isoformat()}"
        )
    out.items(lines)


def _area_section(
    out: _Writer, ledger: Ledger, record: Area, statuses: dict[str, TargetStatus], as_of: date
) -> None:
    out.heading(2, f"Area {record.number}: {record.title}")
    measures = [m for m in ledger.measures if m.document == record.document and m.area == record.number]
    budgets = _area_budgets(ledger, record)
    budget_text = _budget_text(budgets) if budgets else "none stated"
    out.paragraph(
        f"Lead: {'、'.join(record.leads)}. Measures {measures[0].number}–{measures[-1].number}. "
        f"Budget: {budget_text}."
        if measures
        else f"Lead: {'、'.join(record.leads)}."
    )
    goals = ledger.goals_of(record)
    if goals:
        out.paragraph(f"Goals of area {record.number}:")
        _target_groups(out, goals, statuses)
    for found in measures:
        _measure_section(out, ledger, found, statuses, as_of, level=3)


def _measure_section(
    out: _Writer,
    ledger: Ledger,
    found: Measure,
    statuses: dict[str, TargetStatus],
    as_of: date,
    *,
    level: int,
) -> None:
    out.heading(level, f"{found.number}．{found.title}")
    targets = ledger.targets_of(found)
    _target_groups(out, targets, statuses)


def _target_groups(out: _Writer, targets: list[Target], statuses: dict[str, TargetStatus]) -> None:
    quantities = [t for t in targets if not t.is_milestone]
    milestones = [t for t in targets if t.is_milestone]
    if quantities:
        _targets_table(out, quantities, statuses)
    if milestones:
        _milestones(out, milestones, statuses)


def _changes_section(out: _Writer, changes: ChangeSet) -> None:
    out.heading(2, f"What changed since {changes.since}")
    if changes.since != changes.commit:
        out.paragraph(f"Compared with commit {changes.commit}.")
    if changes.empty:
        out.paragraph("Nothing changed in the data.")
        return
    if changes.added:
        out.paragraph("Progress entries added:")
        out.table(
            ["As of", "ID", "What", "Reading", "Note"],
            [
                [
                    a.entry.as_of.isoformat(),
                    a.record_id,
                    a.what,
                    (a.entry.status or "")
                    if a.entry.value is None
                    else format_amount(a.entry.value, a.unit) + (" paid out" if a.disbursement else ""),
                    a.entry.note or "",
                ]
                for a in changes.added
            ],
        )
    if changes.states:
        out.paragraph("Targets whose state changed:")
        out.table(
            ["ID", "What", "Before", "Now"],
            [[c.target_id, c.what, c.before.value, c.after.value] for c in changes.states],
        )
    if changes.corrections:
        out.paragraph("Data corrections:")
        out.items(f"{c.record}: {', '.join(c.fields)}" for c in changes.corrections)
