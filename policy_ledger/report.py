"""Ledger → the report a 局长 reads before a quarterly 督查: Markdown (GitHub) or one printable HTML file.

The report is built once as a list of blocks (headings, paragraphs, tables, lists, charts) and then
written out, so that the Markdown and the HTML say the same thing; ``report_html`` writes the HTML. Both
are pure and deterministic: the same data and date give the same bytes.

It opens with what a director needs: a summary (targets by state per area and per lead bureau; money
allocated, paid out and the execution rate per budget, per area and in total, beside the stated total)
and what needs attention (``briefing``'s rules, each line naming the lead bureau and linking to its
section). Then the budget picture, the instruments, what changed, and every area's targets with what is
expected by now beside the latest reading.

Every table holds amounts in one unit, named in its header: a budget's own tables in the unit the document
uses for it (5580万元), tables across budgets in the stated total's (亿元), converted exactly.

Every text is escaped where it is written (``safe.markdown_safe`` here, ``html.escape`` in
``report_html``): data can add no markup, link or line to the report, nor break a table. Links point only
at headings of the same document, by the anchor GitHub gives a heading (``anchor``).
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from . import words
from .amounts import convert, exact_difference, exact_sum, format_amount, format_number, is_money, share
from .briefing import (
    DUE_SOON_DAYS,
    SILENT_DAYS,
    Attention,
    Concern,
    TargetConcern,
    counts_by_lead,
    needs_attention,
)
from .cells import describe_progress, describe_quantity, due, reading, text_bar
from .changes import ChangeSet
from .compare import DEFAULT_UNIT, document_unit, family
from .formats import markdown_table
from .ledger import Ledger
from .models import Area, Budget, Document, Measure, Target
from .queries import BudgetExecution, ExecutionStatement, LeadScope, execution
from .safe import markdown_safe, mermaid_safe, terminal_safe
from .status import STATE_ORDER, State, TargetStatus, expected_by_now, target_status

BAR_WIDTH = 10
#: Where 兑现 of different instruments stand in one column: what an enterprise receives is counted in 万元.
PAID_UNIT = "万元"

# --- blocks ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    """Text that points at the heading registered under ``key`` (``measure 17``, ``budget B1``)."""

    text: str
    key: str


#: A line of text, parts of which may be links.
Line = tuple[str | Link, ...]


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    key: str | None = None


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    align: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Items:
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class Checklist:
    lines: tuple[tuple[bool, str], ...]


@dataclass(frozen=True)
class Pie:
    """Shares of a whole: a Mermaid pie in Markdown, bars in HTML."""

    title: str
    slices: tuple[tuple[str, Decimal], ...]


@dataclass(frozen=True)
class Bar:
    label: str
    #: the bar's parts, in the order of the chart's legend
    parts: tuple[Decimal, ...]
    text: str


@dataclass(frozen=True)
class Chart:
    """A picture of the table before it, drawn in the HTML only: the Markdown table has its text bars.

    ``kind`` chooses the colours: ``states`` (one per state, in ``STATE_ORDER``) or ``rate``; ``marker``
    draws a line across every bar (the share of the year elapsed, beside an execution rate).
    """

    title: str
    kind: str
    legend: tuple[str, ...]
    bars: tuple[Bar, ...]
    scale: Decimal
    marker: Decimal | None = None
    marker_label: str = ""


Block = Heading | Paragraph | Table | Items | Checklist | Pie | Chart


@dataclass
class Report:
    """The report as blocks, with its title and the language it is written in."""

    title: str
    blocks: list[Block] = field(default_factory=list)

    def heading(self, level: int, text: str, key: str | None = None) -> None:
        self.blocks.append(Heading(level, text, key))

    def paragraph(self, text: str) -> None:
        self.blocks.append(Paragraph(text))

    def table(
        self, headers: Sequence[str], rows: Iterable[Sequence[object]], align: tuple[str, ...] | None = None
    ) -> None:
        cells = tuple(tuple(str(cell) for cell in row) for row in rows)
        self.blocks.append(Table(tuple(headers), cells, align))

    def items(self, lines: Iterable[Line]) -> None:
        self.blocks.append(Items(tuple(lines)))

    def checklist(self, lines: Iterable[tuple[bool, str]]) -> None:
        self.blocks.append(Checklist(tuple(lines)))

    def anchors(self) -> dict[str, str]:
        """The anchor of each registered heading, by its key."""
        found: dict[str, str] = {}
        for heading, slug in zip(self.headings(), heading_anchors(self.headings()), strict=True):
            if heading.key is not None:
                found[heading.key] = slug
        return found

    def headings(self) -> list[Heading]:
        return [block for block in self.blocks if isinstance(block, Heading)]


def shown_text(text: str) -> str:
    """Text as a reader sees it: one line, control characters shown as escapes (``\\x1b``)."""
    return " ".join(terminal_safe(text).split())


def anchor(text: str) -> str:
    """The anchor GitHub gives a heading (github-slugger): lower case, every character that is not a
    letter, mark, number, ``_``, ``-`` or space dropped, spaces as ``-``. Chinese stays as it is."""
    kept = (
        char
        for char in shown_text(text).lower()
        if char in " -" or unicodedata.category(char)[0] in "LMN" or unicodedata.category(char) == "Pc"
    )
    return "".join(kept).replace(" ", "-")


def heading_anchors(headings: Sequence[Heading]) -> list[str]:
    """Each heading's anchor in order; a repeat gets ``-1``, ``-2``, … as GitHub numbers it."""
    seen: set[str] = set()
    slugs = []
    for heading in headings:
        base = slug = anchor(heading.text)
        number = 0
        while slug in seen:
            number += 1
            slug = f"{base}-{number}"
        seen.add(slug)
        slugs.append(slug)
    return slugs


# --- building -------------------------------------------------------------------------------------


def build_report(
    ledger: Ledger,
    as_of: date,
    *,
    area: int | None = None,
    measure: int | None = None,
    lead: LeadScope | None = None,
    changes: ChangeSet | None = None,
    document_id: str | None = None,
) -> str:
    """The report in Markdown: the whole document's, one area's, one measure's or one lead bureau's."""
    return to_markdown(
        report_blocks(
            ledger, as_of, area=area, measure=measure, lead=lead, changes=changes, document_id=document_id
        )
    )


def report_blocks(
    ledger: Ledger,
    as_of: date,
    *,
    area: int | None = None,
    measure: int | None = None,
    lead: LeadScope | None = None,
    changes: ChangeSet | None = None,
    document_id: str | None = None,
) -> Report:
    """The report as blocks. A scope (``area``, ``lead``) narrows what is listed; shares are always of the
    whole document, so an area's report gives the same figures as the whole report."""
    doc = ledger.pick_document(document_id)
    document = ledger.document(doc)
    assert document is not None
    statuses = {t.id: target_status(ledger, t, as_of) for t in ledger.targets if t.document == doc}
    areas = [
        a
        for a in ledger.areas
        if a.document == doc
        and (area is None or a.number == area)
        and (lead is None or set(a.leads) & set(lead.bureaus))
    ]
    shown = {
        target_id
        for target_id, status in statuses.items()
        if (lead is None or target_id in lead.targets)
        and (area is None or ledger.area_of(status.target) == area)
    }
    scope = ""
    if area is not None:
        scope = words.area_scope(area)
    elif measure is not None:
        scope = words.measure_scope(measure)
    if lead is not None:
        scope += words.lead_scope("、".join(lead.bureaus))
    out = Report(f"{document.number}《{document.title}》{scope}")
    out.heading(1, out.title)
    out.table(
        [words.DOCUMENT, document.number],
        [
            [words.TITLE_ROW, document.title],
            [words.ISSUER, document.issuer],
            [words.ISSUED, document.date.isoformat()],
            [words.REPORT_AS_OF, as_of.isoformat()],
        ],
    )
    if changes is not None and (area is not None or measure is not None or lead is not None):
        changes = changes.only(_scope_records(ledger, doc, areas, measure, shown))
    money = execution(ledger, as_of, document_unit(document), doc)
    if measure is not None:
        found = ledger.measure(measure, doc)
        assert found is not None
        if changes is not None:
            _changes_section(out, changes)
        _measure_section(out, ledger, found, statuses, shown, as_of, level=2)
        budget = ledger.budget_of(found)
        if budget is not None:
            executed = next(b for b in money.budgets if b.id == budget.id)
            _budget_section(out, ledger, budget, executed, level=3)
        return out
    area_numbers = {a.number for a in areas}
    budgets = [b for b in money.budgets if b.area in area_numbers]
    in_scope = [statuses[t.id] for t in ledger.targets if t.id in shown and t.document == doc]
    attention = needs_attention(ledger, document, in_scope, budgets, as_of)
    _summary(out, ledger, document, areas, in_scope, money, budgets, lead, as_of, attention.elapsed_percent)
    _attention(out, ledger, document, attention, areas, as_of)
    _budget_picture(out, ledger, document, areas, money, budgets, whole=area is None and lead is None)
    _instruments_section(out, ledger, doc, area_numbers, lead, as_of)
    if changes is not None:
        _changes_section(out, changes)
    own = [t for t in ledger.targets if t.document == doc and t.measure is None and t.area is None]
    own = [t for t in own if t.id in shown]
    if own and area is None:  # what the document asks of every area (D1), before the areas
        out.heading(2, words.DOCUMENT_TARGETS, "document targets")
        _target_groups(out, ledger, own, statuses, as_of)
    for record in areas:
        _area_section(out, ledger, record, statuses, shown, as_of)
    if area is None and lead is None and len(ledger.documents) > 1:
        _family_section(out, ledger, doc)
    return out


def _family_section(out: Report, ledger: Ledger, doc: str) -> None:
    """The report's document beside the other documents of its family, briefly: budget totals and how the
    targets moved (``ledger compare`` gives the whole comparison). Nothing when it has no family."""
    comparisons = family(ledger, doc)
    if not comparisons:
        return
    unit = comparisons[0].unit
    out.heading(2, words.OTHER_DOCUMENTS, "family")
    out.paragraph(words.family_caption(unit))
    out.table(
        [
            words.DOCUMENT,
            words.ID,
            words.ISSUED,
            words.gross_in(unit),
            words.DIFFERENCE,
            words.TARGETS,
        ],
        [
            [
                c.b.number,
                c.b.id,
                c.b.date,
                format_number(c.b.gross_total),
                _signed(c.gross_difference),
                words.changes_of(c.changes) or words.NONE,
            ]
            for c in comparisons
        ],
        ("left", "left", "left", "right", "right", "left"),
    )


def _signed(value: Decimal) -> str:
    return ("+" if value > 0 else "") + format_number(value)


def _scope_records(
    ledger: Ledger, doc: str, areas: list[Area], measure: int | None, shown: set[str]
) -> set[str]:
    """Names of the records a scoped report covers, to filter its changes."""
    numbers = {m.number for m in ledger.measures if m.document == doc and m.number == measure}
    if measure is None:
        area_numbers = {a.number for a in areas}
        numbers = {m.number for m in ledger.measures if m.document == doc and m.area in area_numbers}
        names = {f"area {n}" for n in area_numbers}
    else:
        names = set()
    names |= {f"measure {n}" for n in numbers}
    names |= {
        f"target {t.id}"
        for t in ledger.targets
        if t.document == doc and t.id in shown and (measure is None or t.measure == measure)
    }
    for budget in ledger.budgets:
        if budget.document == doc and budget.measure in numbers:
            names |= {f"budget {budget.id}"} | {f"allocation {a.id}" for a in budget.allocations}
    return names


def _measures_of(ledger: Ledger, record: Area) -> list[Measure]:
    return [m for m in ledger.measures if m.document == record.document and m.area == record.number]


def _area_budgets(ledger: Ledger, record: Area) -> list[Budget]:
    numbers = {m.number for m in _measures_of(ledger, record)}
    return [b for b in ledger.budgets if b.document == record.document and b.measure in numbers]


def _gross(budgets: list[Budget], unit: str) -> Decimal:
    return exact_sum(convert(b.total, b.unit, unit) for b in budgets if is_money(b.unit))


def _budget_text(budgets: list[Budget]) -> str:
    """An area's budgets in the document's own unit (5580万元), or in 亿元 when they mix units: a
    sentence, not a table, so it keeps the document's notation."""
    if not budgets:
        return words.NONE
    units = {b.unit for b in budgets}
    unit = units.pop() if len(units) == 1 else DEFAULT_UNIT
    return format_amount(_gross(budgets, unit), unit)


def _state_cells(counts: Counter[State]) -> list[object]:
    """The summary's columns by state: how many targets, how many in each state, and achieved as a bar."""
    total = counts.total()
    achieved = counts[State.ACHIEVED]
    return [
        total,
        *(counts[s] for s in STATE_ORDER),
        f"{text_bar(achieved, total, BAR_WIDTH)} {achieved}/{total}",
    ]


# --- summary --------------------------------------------------------------------------------------


def _summary(
    out: Report,
    ledger: Ledger,
    document: Document,
    areas: list[Area],
    statuses: list[TargetStatus],
    money: ExecutionStatement,
    budgets: list[BudgetExecution],
    lead: LeadScope | None,
    as_of: date,
    elapsed_percent: Decimal,
) -> None:
    unit = money.unit
    out.heading(2, words.SUMMARY, "summary")
    counts = Counter(s.state for s in statuses)
    out.paragraph(
        words.state_totals(
            as_of.isoformat(),
            len(statuses),
            words.separator().join(words.state_count(words.state(s), counts[s]) for s in STATE_ORDER),
        )
    )
    # targets by state per area, with each area's budget in one unit
    out.paragraph(words.STATES_PER_AREA)
    rows = []
    bars = []
    for record in areas:
        per_state = Counter(s.state for s in statuses if ledger.area_of(s.target) == record.number)
        measures = [m.number for m in _measures_of(ledger, record)]
        funded = _area_budgets(ledger, record)
        rows.append(
            [
                f"{record.number} {record.title}",
                "、".join(record.leads),
                f"{min(measures)}–{max(measures)}" if measures else words.NONE,
                *_state_cells(per_state),
                format_number(_gross(funded, unit)) if funded else words.NONE,
            ]
        )
        bars.append(_state_bar(f"{record.number} {record.title}", per_state))
    by_state = [words.TARGETS, *(words.state(s) for s in STATE_ORDER), words.ACHIEVED]
    by_state_align = ("right",) * (len(by_state) - 1) + ("left",)
    out.table(
        [words.AREA, words.LEAD, words.MEASURES, *by_state, words.in_unit(words.BUDGET, unit)],
        rows,
        ("left", "left", "left", *by_state_align, "right"),
    )
    out.blocks.append(_state_chart(words.STATES_PER_AREA, bars))
    # targets by state per lead bureau
    out.paragraph(words.STATES_PER_LEAD)
    per_lead = counts_by_lead(ledger, statuses)
    if lead is not None:  # D1 counts for every bureau: a bureau's report shows its own row only
        per_lead = {name: counted for name, counted in per_lead.items() if name in lead.bureaus}
    out.table(
        [words.LEAD, *by_state],
        [[lead, *_state_cells(c)] for lead, c in per_lead.items()],
        ("left", *by_state_align),
    )
    out.blocks.append(
        _state_chart(words.STATES_PER_LEAD, [_state_bar(lead, c) for lead, c in per_lead.items()])
    )
    _money_summary(out, ledger, document, areas, money, budgets, as_of, elapsed_percent)
    out.paragraph(words.EXPECTED_RULE)


def _state_bar(label: str, counts: Counter[State]) -> Bar:
    total = sum(counts.values())
    return Bar(label, tuple(Decimal(counts[s]) for s in STATE_ORDER), f"{counts[State.ACHIEVED]}/{total}")


def _state_chart(title: str, bars: list[Bar]) -> Chart:
    scale = max((sum(b.parts, Decimal(0)) for b in bars), default=Decimal(0))
    legend = tuple(words.state(s) for s in STATE_ORDER)
    return Chart(title, "states", legend, tuple(bars), scale)


def _money_summary(
    out: Report,
    ledger: Ledger,
    document: Document,
    areas: list[Area],
    money: ExecutionStatement,
    budgets: list[BudgetExecution],
    as_of: date,
    elapsed_percent: Decimal,
) -> None:
    """Allocated, paid out and 执行率 per budget, per area and in total, in the stated total's unit."""
    if not budgets:
        return
    unit = money.unit
    out.paragraph(words.EXECUTION_PER_BUDGET)
    rows = []
    bars = []
    for budget in budgets:
        executed = budget.execution.in_unit(unit)
        found = ledger.measure(budget.measure, document.id)
        record = None if budget.area is None else ledger.area(budget.area, document.id)
        rows.append(
            [
                budget.id,
                f"{budget.measure}．{found.title}" if found else words.measure_fallback(budget.measure),
                "、".join(record.leads) if record else words.NONE,
                format_number(executed.amount),
                format_number(executed.paid_out),
                words.percent(executed.execution_percent),
                text_bar(min(int(executed.execution_percent), 100), 100, BAR_WIDTH),
                words.reported_of(executed.reported, executed.allocations),
            ]
        )
        bars.append(
            Bar(
                budget.id,
                (min(executed.execution_percent, Decimal(100)),),
                words.percent(executed.execution_percent),
            )
        )
    out.table(
        [
            words.ID,
            words.MEASURE,
            words.LEAD,
            words.in_unit(words.ALLOCATION, unit),
            words.in_unit(words.PAID_OUT, unit),
            words.EXECUTION,
            "",
            words.REPORTED,
        ],
        rows,
        ("left", "left", "left", "right", "right", "right", "left", "right"),
    )
    out.blocks.append(
        Chart(
            words.EXECUTION_PER_BUDGET,
            "rate",
            (words.EXECUTION,),
            tuple(bars),
            Decimal(100),
            elapsed_percent,
            words.elapsed_marker(words.percent(elapsed_percent)),
        )
    )
    # per area, then the whole document's gross sum and its stated total; shares of the whole document
    gross = money.gross.amount
    area_numbers = {a.number for a in areas}
    rows = []
    for paid in money.areas:
        if paid.area not in area_numbers:
            continue
        record = ledger.area(paid.area, document.id)
        rows.append(
            [
                f"{paid.area} {record.title}" if record else str(paid.area),
                ", ".join(paid.budgets),
                format_number(paid.execution.amount),
                words.percent(share(paid.execution.amount, gross)),
                format_number(paid.execution.paid_out),
                words.percent(paid.execution.execution_percent),
            ]
        )
    if len(budgets) < len(money.budgets):
        amount = exact_sum(b.execution.in_unit(unit).amount for b in budgets)
        paid_out = exact_sum(b.execution.in_unit(unit).paid_out for b in budgets)
        rows.append(
            [
                words.THESE_BUDGETS,
                ", ".join(b.id for b in budgets),
                format_number(amount),
                words.percent(share(amount, gross)),
                format_number(paid_out),
                words.percent(share(paid_out, amount)),
            ]
        )
    rows.append(
        [
            words.ALL_BUDGETS,
            words.count(len(money.budgets), "budget"),
            format_number(gross),
            words.FULL_SHARE,
            format_number(money.gross.paid_out),
            words.percent(money.gross.execution_percent),
        ]
    )
    if money.stated_total is not None:
        rows.append(
            [
                words.stated_total_row(bool(money.net_of_overlaps)),
                document.number,
                format_number(money.stated_total),
                words.percent(share(money.stated_total, gross)),
                words.NONE,
                words.NONE,
            ]
        )
    out.table(
        [
            words.AREA,
            words.BUDGETS,
            words.in_unit(words.ALLOCATION, unit),
            words.SHARE_OF_GROSS,
            words.in_unit(words.PAID_OUT, unit),
            words.EXECUTION,
        ],
        rows,
        ("left", "left", "right", "right", "right", "right"),
    )
    out.paragraph(words.execution_caption(as_of.isoformat(), unit, money.net_of_overlaps))


# --- needs attention ------------------------------------------------------------------------------


def _target_key(target: Target) -> str:
    """The section a target is listed in: its measure's, its area's (a goal), or the document's (D1)."""
    if target.measure is not None:
        return f"measure {target.measure}"
    if target.area is not None:
        return f"area {target.area}"
    return "document targets"


def _attention(
    out: Report, ledger: Ledger, document: Document, found: Attention, areas: list[Area], as_of: date
) -> None:
    out.heading(2, words.NEEDS_ATTENTION, "needs attention")
    floor = None if found.execution_floor is None else format_number(found.execution_floor)
    out.paragraph(
        words.attention_caption(
            as_of.isoformat(),
            SILENT_DAYS,
            found.reporting_from.isoformat(),
            DUE_SOON_DAYS,
            format_number(found.elapsed_percent),
            floor,
        )
    )
    if not found.targets and not found.budgets:
        out.paragraph(words.NOTHING_NEEDS_ATTENTION)
        return
    for concern in Concern:
        listed = [c for c in found.targets if c.concern is concern]
        if not listed:
            continue
        out.paragraph(words.concern_title(concern.value, len(listed)))
        if concern is Concern.SILENT:
            out.items(_silent_lines(ledger, listed, areas, found.reporting_from, as_of))
        else:
            out.items(_concern_line(c, as_of) for c in listed)
    if found.budgets:
        out.paragraph(words.concern_title("budgets", len(found.budgets)))
        lines = []
        for low in found.budgets:
            executed = low.budget.execution
            measure = ledger.measure(low.budget.measure, document.id)
            title = measure.title if measure else words.measure_fallback(low.budget.measure)
            detail = words.concern_budget(
                str(executed.execution_percent),
                format_amount(executed.paid_out, executed.unit),
                format_amount(executed.amount, executed.unit),
                words.reported_of(executed.reported, executed.allocations),
            )
            lines.append(
                (
                    Link(f"{low.budget.id} {title}", f"budget {low.budget.id}"),
                    words.attention_tail("、".join(low.leads) or words.NONE, detail),
                )
            )
        out.items(lines)


def _concern_line(concern: TargetConcern, as_of: date) -> Line:
    status = concern.status
    target = status.target
    goal = describe_quantity(target.value, target.unit, target.comparator)
    day = due(status.due, None, target.horizon)
    state = words.state(status.state)
    latest = status.latest
    shown = "" if latest is None else reading(latest.value, latest.unit or target.unit, latest.status)
    if concern.concern is Concern.DUE_SOON:
        assert status.due is not None
        detail = words.concern_due_soon(day, (status.due - as_of).days, describe_progress(latest))
    elif latest is None:
        detail = words.concern_not_reported(state, day)
    elif status.expected is not None:
        expected = format_amount(status.expected, target.unit)
        detail = words.concern_behind(state, shown, expected, goal, day)
    else:
        detail = words.concern_against(state, f"{shown} ({latest.as_of.isoformat()})", goal, day)
    return (
        Link(f"{target.id} {target.what}", _target_key(target)),
        words.attention_tail("、".join(concern.leads) or words.NONE, detail),
    )


def _silent_lines(
    ledger: Ledger, listed: list[TargetConcern], areas: list[Area], start: date, as_of: date
) -> list[Line]:
    """Targets reported once, each on its line; those never reported, one line per area (or for D1)."""
    lines: list[Line] = []
    for concern in listed:
        if concern.last_reported is not None:
            target = concern.status.target
            detail = words.concern_silent(
                concern.last_reported.isoformat(), (as_of - concern.last_reported).days
            )
            link = Link(f"{target.id} {target.what}", _target_key(target))
            lines.append((link, words.attention_tail("、".join(concern.leads), detail)))
    never = [c for c in listed if c.last_reported is None]
    groups: list[tuple[Link, tuple[str, ...], list[str]]] = []
    own = [c.status.target.id for c in never if ledger.area_of(c.status.target) is None]
    if own:
        groups.append((Link(words.DOCUMENT_TARGETS, "document targets"), never[0].leads, own))
    for record in areas:
        ids = [c.status.target.id for c in never if ledger.area_of(c.status.target) == record.number]
        if ids:
            heading = words.area_heading(record.number, record.title)
            groups.append((Link(heading, f"area {record.number}"), tuple(record.leads), ids))
    for link, leads, ids in groups:
        detail = words.concern_never_reported(len(ids), words.separator().join(ids), start.isoformat())
        lines.append((link, words.attention_tail("、".join(leads), detail)))
    return lines


# --- budgets --------------------------------------------------------------------------------------


def _budget_picture(
    out: Report,
    ledger: Ledger,
    document: Document,
    areas: list[Area],
    money: ExecutionStatement,
    budgets: list[BudgetExecution],
    *,
    whole: bool,
) -> None:
    if not budgets:
        return
    unit = money.unit
    out.heading(2, words.BUDGET, "budget")
    if whole:
        per_area = [(record, _gross(_area_budgets(ledger, record), unit)) for record in areas]
        out.blocks.append(
            Pie(
                f"{words.BUDGET_BY_AREA}, {unit}",
                tuple((f"{record.number} {record.title}", amount) for record, amount in per_area if amount),
            )
        )
        stated = document.overall_budget
        if stated is not None:
            gross = money.gross.amount
            out.paragraph(
                words.budget_overlap(
                    len(budgets),
                    format_amount(gross, unit),
                    format_amount(stated.amount, stated.unit),
                    stated.net_of_overlaps,
                    format_amount(exact_difference(gross, convert(stated.amount, stated.unit, unit)), unit),
                )
            )
    by_id = {b.id: b for b in ledger.budgets if b.document == document.id}
    for executed in budgets:
        _budget_section(out, ledger, by_id[executed.id], executed, level=3)


def _budget_section(
    out: Report, ledger: Ledger, budget: Budget, executed: BudgetExecution, *, level: int
) -> None:
    """A budget's allocations with what each has paid out, all in the budget's own unit."""
    found = ledger.measure(budget.measure, budget.document)
    title = f"{budget.measure}．{found.title}" if found else words.measure_fallback(budget.measure)
    out.heading(
        level,
        words.budget_heading(budget.id, title, format_amount(budget.total, budget.unit)),
        f"budget {budget.id}",
    )
    unit = budget.unit
    rows = []
    for allocation, line in zip(budget.allocations, executed.allocations, strict=True):
        paid = line.execution
        rows.append(
            [
                allocation.id,
                allocation.label,
                format_number(paid.amount),
                words.percent(budget.share_of(allocation)),
                format_number(paid.paid_out) if paid.reported else words.NONE,
                words.percent(paid.execution_percent),
            ]
        )
    allocated = budget.allocated()
    total = executed.execution
    rows.append(
        [
            "",
            words.SUM_OF_ALLOCATIONS,
            words.NONE if allocated is None else format_number(allocated),
            words.SUMS_TO_TOTAL
            if allocated == budget.total
            else words.not_equal(format_number(budget.total)),
            format_number(total.paid_out),
            words.percent(total.execution_percent),
        ]
    )
    out.table(
        [
            words.ID,
            words.ALLOCATION,
            words.in_unit(words.AMOUNT, unit),
            words.SHARE,
            words.in_unit(words.PAID_OUT, unit),
            words.EXECUTION,
        ],
        rows,
        ("left", "left", "right", "right", "right", "right"),
    )


# --- targets --------------------------------------------------------------------------------------


def _area_section(
    out: Report, ledger: Ledger, record: Area, statuses: dict[str, TargetStatus], shown: set[str], as_of: date
) -> None:
    out.heading(2, words.area_heading(record.number, record.title), f"area {record.number}")
    measures = _measures_of(ledger, record)
    budgets = _area_budgets(ledger, record)
    budget_text = _budget_text(budgets) if budgets else words.NONE_STATED
    first, last = (measures[0].number, measures[-1].number) if measures else (None, None)
    out.paragraph(words.area_facts("、".join(record.leads), first, last, budget_text))
    goals = [t for t in ledger.goals_of(record) if t.id in shown]
    if goals:
        out.paragraph(words.goals_of_area(record.number))
        _target_groups(out, ledger, goals, statuses, as_of)
    for found in measures:
        _measure_section(out, ledger, found, statuses, shown, as_of, level=3)


def _measure_section(
    out: Report,
    ledger: Ledger,
    found: Measure,
    statuses: dict[str, TargetStatus],
    shown: set[str],
    as_of: date,
    *,
    level: int,
) -> None:
    out.heading(level, f"{found.number}．{found.title}", f"measure {found.number}")
    _target_groups(out, ledger, [t for t in ledger.targets_of(found) if t.id in shown], statuses, as_of)


def _target_groups(
    out: Report, ledger: Ledger, targets: list[Target], statuses: dict[str, TargetStatus], as_of: date
) -> None:
    quantities = [t for t in targets if not t.is_milestone]
    milestones = [t for t in targets if t.is_milestone]
    if quantities:
        headers = [
            words.ID,
            words.WHAT,
            words.TARGET,
            words.COMMITMENT,
            words.DUE,
            words.EXPECTED_BY_NOW,
            words.LATEST,
            words.STATE,
            words.NOTE,
            words.SOURCE,
        ]
        rows = [_target_row(ledger, target, statuses[target.id], as_of) for target in quantities]
        out.table(headers, rows, ("left",) * len(headers))
    if milestones:
        _milestones(out, milestones, statuses)


def _target_row(ledger: Ledger, target: Target, status: TargetStatus, as_of: date) -> list[str]:
    expected = expected_by_now(ledger, target, as_of)
    latest = status.latest
    return [
        target.id,
        target.what,
        describe_quantity(target.value, target.unit, target.comparator),
        words.commitment(target.commitment),
        due(status.due, target.deadline_text, target.horizon),
        words.NONE if expected is None else format_amount(expected, target.unit),
        describe_progress(latest),
        words.state(status.state),
        "" if latest is None else latest.note or "",
        "" if latest is None else latest.source or "",
    ]


def _milestones(out: Report, targets: list[Target], statuses: dict[str, TargetStatus]) -> None:
    lines = []
    for target in targets:
        status = statuses[target.id]
        latest = status.latest
        latest_text = (
            ""
            if latest is None
            else words.milestone_latest(words.value(str(latest.status)), latest.as_of.isoformat())
        )
        line = words.milestone_line(
            target.id,
            target.what,
            words.state(status.state),
            latest_text,
            due(status.due, None, target.horizon),
        )
        if latest is not None:
            line += words.entry_note(latest.note or "", latest.source or "")
        lines.append((status.state is State.ACHIEVED, line))
    out.checklist(lines)


# --- instruments and changes ----------------------------------------------------------------------


def _instruments_section(
    out: Report, ledger: Ledger, doc: str, areas: set[int], lead: LeadScope | None, as_of: date
) -> None:
    """What the policy gives: 配套政策 issued and pending per lead bureau, and 兑现 per instrument."""
    from .queries import instrument_row, instruments_by_lead

    instruments = [instrument_row(ledger, i) for i in ledger.instruments if i.document == doc]
    instruments = [
        row for row in instruments if row.area in areas and (lead is None or row.id in lead.instruments)
    ]
    if not instruments:
        return
    out.heading(2, words.INSTRUMENTS, "instruments")
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
        paid = ""
        if row.paid is not None:  # one unit for the column; a unit that is not money stays as written
            paid = (
                format_number(convert(row.paid, row.paid_unit, PAID_UNIT))
                if row.paid_unit and is_money(row.paid_unit)
                else format_amount(row.paid, row.paid_unit)
            )
        recipients = "" if row.recipients is None else str(row.recipients)
        rows.append(
            [
                row.id,
                row.name,
                words.value(row.form),
                words.value(row.basis),
                row.standard_issued or "",
                paid,
                recipients,
            ]
        )
    out.table(
        [
            words.ID,
            words.NAME,
            words.FORM,
            words.BASIS,
            words.STANDARD,
            words.in_unit(words.PAID, PAID_UNIT),
            words.RECIPIENTS,
        ],
        rows,
        ("left", "left", "left", "left", "left", "right", "right"),
    )


def _changes_section(out: Report, changes: ChangeSet) -> None:
    out.heading(2, words.changed_since(changes.since), "changes")
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
        out.items((words.correction(c.record, ", ".join(c.fields)),) for c in changes.corrections)


# --- Markdown -------------------------------------------------------------------------------------


def to_markdown(report: Report) -> str:
    """GitHub-flavoured Markdown: blocks separated by exactly one blank line, as the linters want."""
    anchors = report.anchors()
    parts = [text for block in report.blocks if (text := _markdown_block(block, anchors))]
    return "\n\n".join(parts) + "\n"


def line_text(
    line: Line, anchors: dict[str, str], escape: Callable[[str], str], link: Callable[[str, str], str]
) -> str:
    """A line's text escaped, each link as ``link(escaped text, anchor)``; a link to a heading the report
    does not hold (outside its scope) stays text."""
    parts = []
    for part in line:
        if isinstance(part, Link) and part.key in anchors:
            parts.append(link(escape(part.text), anchors[part.key]))
        else:
            parts.append(_spaced(part if isinstance(part, str) else part.text, escape))
    return "".join(parts)


def _spaced(text: str, escape: Callable[[str], str]) -> str:
    """``escape(text)`` with the one space it had at either end kept: a part of a line meets the next."""
    before = " " if text[:1].isspace() else ""
    after = " " if text[-1:].isspace() else ""
    return before + escape(text) + after


def _markdown_link(text: str, slug: str) -> str:
    return f"[{text}](#{slug})"


def _markdown_block(block: Block, anchors: dict[str, str]) -> str:
    if isinstance(block, Heading):
        return f"{'#' * block.level} {markdown_safe(block.text)}"
    if isinstance(block, Paragraph):
        return markdown_safe(block.text)
    if isinstance(block, Table):
        return markdown_table(
            [markdown_safe(h) for h in block.headers],
            [[markdown_safe(cell) for cell in row] for row in block.rows],
            block.align,
        )
    if isinstance(block, Items):
        return "\n".join(
            f"- {line_text(line, anchors, markdown_safe, _markdown_link)}" for line in block.lines
        )
    if isinstance(block, Checklist):
        return "\n".join(f"- [{'x' if done else ' '}] {markdown_safe(line)}" for done, line in block.lines)
    if isinstance(block, Pie):  # labels escaped for Mermaid; values are the tool's own numbers
        lines = [f"pie showData title {mermaid_safe(block.title)}"]
        lines += [f'    "{mermaid_safe(label)}" : {format_number(value)}' for label, value in block.slices]
        return "```mermaid\n" + "\n".join(lines) + "\n```"
    return ""  # a Chart: the table before it already holds its numbers and text bars
