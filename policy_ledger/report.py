"""Ledger → a GitHub-flavoured Markdown report (pure and deterministic: same data and date, same bytes).

Tables are built with tabulate (which measures CJK width, so the Markdown source lines up too); charts are
a Mermaid pie (rendered by GitHub and GitLab) and bars of block characters that need no renderer at all.

Every text goes through ``_Writer``, which escapes it (``safe.markdown_safe``): data can add no HTML, no
link and no line to the report, nor break a table. Only the writer's own markup (headings, list markers,
checkboxes, the Mermaid fence) is written as is, and Mermaid labels are escaped for Mermaid.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from . import words
from .amounts import convert, exact_difference, exact_sum, format_amount, format_number, is_money, share
from .cells import allocation_table, due, reading, target_cells, target_headers, text_bar
from .changes import ChangeSet
from .ledger import Ledger
from .models import Area, Budget, Measure, Target
from .safe import markdown_safe, mermaid_safe
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
    doc = ledger.pick_document(document_id)
    document = ledger.document(doc)
    assert document is not None
    statuses = {t.id: target_status(ledger, t, as_of) for t in ledger.targets if t.document == doc}
    areas = [a for a in ledger.areas if a.document == doc and (area is None or a.number == area)]
    out = _Writer()
    scope = ""
    if area is not None:
        scope = words.report_scope("area", area)
    elif measure is not None:
        scope = words.report_scope("measure", measure)
    out.heading(1, f"{document.number}《{document.title}》{scope}")
    out.table(
        [words.DOCUMENT, document.number],
        [
            [words.TITLE_ROW, document.title],
            [words.ISSUER, document.issuer],
            [words.ISSUED, document.date.isoformat()],
            [words.REPORT_AS_OF, as_of.isoformat()],
        ],
    )
    if changes is not None and (area is not None or measure is not None):
        changes = changes.only(_scope_records(ledger, doc, area, measure))
    if measure is not None:
        found = ledger.measure(measure, doc)
        assert found is not None
        if changes is not None:
            _changes_section(out, changes)
        _measure_section(out, ledger, found, statuses, level=2)
        budget = ledger.budget_of(found)
        if budget is not None:
            _budget_section(out, ledger, budget, as_of, level=3)
        return out.text()
    _overview(out, ledger, areas, statuses)
    _budget_picture(out, ledger, doc, areas, as_of, whole=area is None)
    _instruments_section(out, ledger, doc, area, as_of)
    if changes is not None:
        _changes_section(out, changes)
    own = [t for t in ledger.targets if t.document == doc and t.measure is None and t.area is None]
    if own and area is None:  # what the document asks of every area (D1), before the areas
        out.heading(2, words.DOCUMENT_TARGETS)
        _target_groups(out, own, statuses)
    for record in areas:
        _area_section(out, ledger, record, statuses)
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
    """Markdown blocks separated by exactly one blank line, as the linters want; every text escaped."""

    def __init__(self) -> None:
        self.blocks: list[str] = []

    def heading(self, level: int, text: str) -> None:
        self.blocks.append(f"{'#' * level} {markdown_safe(text)}")

    def paragraph(self, text: str) -> None:
        self.blocks.append(markdown_safe(text))

    def table(
        self, headers: Sequence[str], rows: Iterable[Sequence[object]], align: tuple[str, ...] | None = None
    ) -> None:
        from tabulate import tabulate

        cells = [[markdown_safe(str(cell)) for cell in row] for row in rows]
        # disable_numparse: ids such as 48.10 and amounts such as 5.0 must print as written
        self.blocks.append(
            tabulate(
                cells,
                headers=[markdown_safe(h) for h in headers],
                tablefmt="github",
                colalign=align,
                disable_numparse=True,
            )
        )

    def items(self, lines: Iterable[str]) -> None:
        self.blocks.append("\n".join(f"- {markdown_safe(line)}" for line in lines))

    def checklist(self, lines: Iterable[tuple[bool, str]]) -> None:
        self.blocks.append(
            "\n".join(f"- [{'x' if done else ' '}] {markdown_safe(line)}" for done, line in lines)
        )

    def pie(self, title: str, slices: Iterable[tuple[str, str]]) -> None:
        """A Mermaid pie chart: labels escaped for Mermaid, values are the tool's own numbers."""
        lines = [f"pie showData title {mermaid_safe(title)}"]
        lines += [f'    "{mermaid_safe(label)}" : {value}' for label, value in slices]
        self.blocks.append("```mermaid\n" + "\n".join(lines) + "\n```")

    def text(self) -> str:
        return "\n\n".join(self.blocks) + "\n"


def _measures_of(ledger: Ledger, record: Area) -> list[Measure]:
    return [m for m in ledger.measures if m.document == record.document and m.area == record.number]


def _area_budgets(ledger: Ledger, record: Area) -> list[Budget]:
    numbers = {m.number for m in _measures_of(ledger, record)}
    return [b for b in ledger.budgets if b.document == record.document and b.measure in numbers]


def _gross(budgets: list[Budget], unit: str) -> Decimal:
    return exact_sum(convert(b.total, b.unit, unit) for b in budgets if is_money(b.unit))


def _budget_text(budgets: list[Budget]) -> str:
    """An area's budgets in the document's own unit (5580万元), or in 亿元 when they mix units."""
    if not budgets:
        return words.NONE
    units = {b.unit for b in budgets}
    unit = units.pop() if len(units) == 1 else "亿元"
    return format_amount(_gross(budgets, unit), unit)


def _overview(out: _Writer, ledger: Ledger, areas: list[Area], statuses: dict[str, TargetStatus]) -> None:
    out.heading(2, words.OVERVIEW)
    rows = []
    for record in areas:
        targets = [s for s in statuses.values() if ledger.area_of(s.target) == record.number]
        counts = {state: sum(1 for s in targets if s.state is state) for state in STATE_ORDER}
        measures = [m.number for m in _measures_of(ledger, record)]
        achieved = counts[State.ACHIEVED]
        rows.append(
            [
                f"{record.number} {record.title}",
                "、".join(record.leads),
                f"{min(measures)}–{max(measures)}" if measures else words.NONE,
                len(targets),
                *(counts[state] for state in STATE_ORDER),
                f"{text_bar(achieved, len(targets), BAR_WIDTH)} {achieved}/{len(targets)}",
                _budget_text(_area_budgets(ledger, record)),
            ]
        )
    headers = [
        words.AREA,
        words.LEAD,
        words.MEASURES,
        words.TARGETS,
        *(words.state(s) for s in STATE_ORDER),
        words.ACHIEVED,
        words.BUDGET,
    ]
    align = ("left", "left", "left", "right", *("right" for _ in STATE_ORDER), "left", "right")
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
    out.heading(2, words.BUDGET)
    per_area = [(record, _gross(_area_budgets(ledger, record), unit)) for record in areas]
    per_area = [(record, amount) for record, amount in per_area if amount]
    gross = exact_sum(amount for _, amount in per_area)
    if whole:
        out.pie(
            f"{words.BUDGET_BY_AREA}, {unit}",
            [(f"{record.number} {record.title}", format_number(amount)) for record, amount in per_area],
        )
    out.table(
        [words.AREA, words.BUDGETS, words.gross_in(unit), words.SHARE_OF_GROSS],
        [
            [
                f"{record.number} {record.title}",
                ", ".join(f"B{b.measure}" for b in _area_budgets(ledger, record)),
                format_amount(amount, unit),
                words.percent(share(amount, gross)),
            ]
            for record, amount in per_area
        ],
        ("left", "left", "right", "right"),
    )
    if whole and stated is not None:
        overlap = exact_difference(gross, stated.amount)
        out.paragraph(
            words.budget_overlap(
                len(budgets),
                format_amount(gross, unit),
                format_amount(stated.amount, unit),
                stated.net_of_overlaps,
                format_amount(overlap, unit),
            )
        )
    for budget in budgets:
        _budget_section(out, ledger, budget, as_of, level=3)


def _budget_section(out: _Writer, ledger: Ledger, budget: Budget, as_of: date, *, level: int) -> None:
    found = ledger.measure(budget.measure, budget.document)
    title = f"{budget.measure}．{found.title}" if found else words.measure_fallback(budget.measure)
    out.heading(level, words.budget_heading(budget.id, title, format_amount(budget.total, budget.unit)))
    allocations = allocation_table(ledger, budget, as_of)
    align = ("left", "left", "right", "right", "right")[: len(allocations.headers)]
    out.table(allocations.headers, [*allocations.rows, allocations.footer], align)


def _milestones(out: _Writer, targets: list[Target], statuses: dict[str, TargetStatus]) -> None:
    lines = []
    for target in targets:
        status = statuses[target.id]
        latest = status.latest
        latest_text = (
            "" if latest is None else words.milestone_latest(str(latest.status), latest.as_of.isoformat())
        )
        line = words.milestone_line(
            target.id,
            target.what,
            words.state(status.state),
            latest_text,
            due(status.due, None, target.horizon),
        )
        lines.append((status.state is State.ACHIEVED, line))
    out.checklist(lines)


def _area_section(out: _Writer, ledger: Ledger, record: Area, statuses: dict[str, TargetStatus]) -> None:
    out.heading(2, words.area_heading(record.number, record.title))
    measures = _measures_of(ledger, record)
    budgets = _area_budgets(ledger, record)
    budget_text = _budget_text(budgets) if budgets else words.NONE_STATED
    first, last = (measures[0].number, measures[-1].number) if measures else (None, None)
    out.paragraph(words.area_facts("、".join(record.leads), first, last, budget_text))
    goals = ledger.goals_of(record)
    if goals:
        out.paragraph(words.goals_of_area(record.number))
        _target_groups(out, goals, statuses)
    for found in measures:
        _measure_section(out, ledger, found, statuses, level=3)


def _measure_section(
    out: _Writer, ledger: Ledger, found: Measure, statuses: dict[str, TargetStatus], *, level: int
) -> None:
    out.heading(level, f"{found.number}．{found.title}")
    _target_groups(out, ledger.targets_of(found), statuses)


def _target_groups(out: _Writer, targets: list[Target], statuses: dict[str, TargetStatus]) -> None:
    quantities = [t for t in targets if not t.is_milestone]
    milestones = [t for t in targets if t.is_milestone]
    if quantities:
        headers = [words.TARGET if header == words.VALUE else header for header in target_headers()]
        rows = [target_cells(target, statuses[target.id]) for target in quantities]
        out.table(headers, rows, ("left",) * len(headers))
    if milestones:
        _milestones(out, milestones, statuses)


def _instruments_section(out: _Writer, ledger: Ledger, doc: str, area: int | None, as_of: date) -> None:
    """What the policy gives: 配套政策 issued and pending per lead bureau, and 兑现 per instrument."""
    from .queries import instrument_row, instruments_by_lead

    instruments = [instrument_row(ledger, i) for i in ledger.instruments if i.document == doc]
    instruments = [row for row in instruments if area is None or row.area == area]
    if not instruments:
        return
    out.heading(2, words.INSTRUMENTS)
    leads = {lead for row in instruments for lead in row.leads}
    out.table(
        [words.LEAD, words.INSTRUMENTS, words.DEFERRING, words.standards_issued(), words.PENDING, words.PAID],
        [
            [b.lead, b.instruments, b.deferring, b.issued, b.pending, b.paid]
            for b in instruments_by_lead(ledger, doc, as_of)
            if b.lead in leads
        ],
        ("left", "right", "right", "right", "right", "right"),
    )
    rows = []
    for row in instruments:
        paid = "" if row.paid is None else format_amount(row.paid, row.paid_unit)
        recipients = "" if row.recipients is None else str(row.recipients)
        rows.append([row.id, row.name, row.form, row.basis, row.standard_issued or "", paid, recipients])
    out.table(
        [words.ID, words.NAME, words.FORM, words.BASIS, words.STANDARD, words.PAID, words.RECIPIENTS],
        rows,
        ("left", "left", "left", "left", "left", "right", "right"),
    )


def _changes_section(out: _Writer, changes: ChangeSet) -> None:
    out.heading(2, words.changed_since(changes.since))
    if not changes.commit:  # a date: the progress dated since, compared with the ledger without it
        out.paragraph(words.REPORTED_SINCE)
    elif changes.since != changes.commit:
        out.paragraph(words.compared_with(changes.commit))
    if changes.empty:
        out.paragraph(words.NOTHING_CHANGED)
        return
    if changes.added:
        out.paragraph(words.PROGRESS_ADDED)
        out.table(
            [words.AS_OF, words.ID, words.WHAT, words.READING, words.NOTE],
            [
                [
                    a.entry.as_of.isoformat(),
                    a.record_id,
                    a.what,
                    reading(a.entry.value, a.unit, a.entry.status)
                    + (words.PAID_OUT_SUFFIX if a.disbursement and a.entry.value is not None else ""),
                    a.entry.note or "",
                ]
                for a in changes.added
            ],
        )
    if changes.states:
        out.paragraph(words.STATES_CHANGED)
        out.table(
            [words.ID, words.WHAT, words.BEFORE, words.NOW],
            [[c.target_id, c.what, words.state(c.before), words.state(c.after)] for c in changes.states],
        )
    if changes.corrections:
        out.paragraph(words.CORRECTIONS)
        out.items(words.correction(c.record, ", ".join(c.fields)) for c in changes.corrections)
