"""Cross-record checks: each a small pure function ``(ledger, today) -> Iterable[Problem]``.

They run as their own pass after every record has been validated on its own, in the order of
``CHECKS``. Codes are stable (``problems.CODES``): tests, docs and suppressions refer to them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from .amounts import KNOWN_UNITS, MONEY_UNITS, Number, format_amount, format_ranges, is_money
from .ledger import Ledger
from .messages import N_, Message
from .messages import record as record_label
from .models import Area, Budget, Measure, Period, ProgressEntry, gross_sum
from .problems import Problem, Severity, Source, clip
from .wording import commitment_words, comparators_near, value_spans

COMPARATOR_WORDS = {
    "at_least": "以上/不低于/突破/超过",
    "at_most": "以内/不超过/下降至",
    "about": "左右",
}
#: The horizon of a multi-year aim whose text gives no span (千亿级产业集群): it has no due date.
OPEN_HORIZON = "未定期限"
#: How long after its deadline a progress reading is still plausible (late reports do happen).
PROGRESS_GRACE_DAYS = 2 * 366


#: A check reads the ledger and today's date (besides the data, all it may know: for entries dated in the
#: future).
Check = Callable[[Ledger, date], Iterable[Problem]]
#: A field inside a record, as ``Ledger.where`` takes it: ``("allocations", 1, "unit")``.
FieldPath = tuple[str | int, ...]


R = TypeVar("R", Area, Measure, Budget)


def _label(kind: str, item: Any) -> Message:
    """``measure 17``, ``target 17.1``: a record as findings name it, by its number or its id."""
    return record_label(kind, item.number if kind in ("area", "measure") else item.id)


def _by_document(records: list[R]) -> dict[str, list[R]]:
    grouped: dict[str, list[R]] = {}
    for record in records:
        grouped.setdefault(record.document, []).append(record)
    return grouped


def _problem(
    source: Source,
    code: str,
    text: str,
    /,
    hint: Message | str = "",
    severity: Severity = Severity.ERROR,
    **values: Any,
) -> Problem:
    """A finding at ``source`` whose message is ``text`` (marked with ``N_``) filled in with ``values``."""
    return Problem(source, severity, code, Message(text, **values), hint)


def check_duplicate_ids(ledger: Ledger, _: date) -> Iterator[Problem]:
    """L004: an id (or number) names one record only, or references become ambiguous."""
    allocations: list[tuple[tuple[str, ...], object, FieldPath]] = [
        ((b.document, a.id), b, ("allocations", index, "id"))
        for b in ledger.budgets
        for index, a in enumerate(b.allocations)
    ]
    # (kind, [(key, record, path to the field that names it)])
    keyed: list[tuple[str, list[tuple[tuple[str, ...], object, FieldPath]]]] = [
        ("document", [((d.id,), d, ("id",)) for d in ledger.documents]),
        ("area", [((a.document, str(a.number)), a, ("number",)) for a in ledger.areas]),
        ("measure", [((m.document, str(m.number)), m, ("number",)) for m in ledger.measures]),
        ("target", [((t.document, t.id), t, ("id",)) for t in ledger.targets]),
        ("budget", [((b.document, b.id), b, ("id",)) for b in ledger.budgets]),
        ("budget of measure", [((b.document, str(b.measure)), b, ("measure",)) for b in ledger.budgets]),
        ("instrument", [((i.document, i.id), i, ("id",)) for i in ledger.instruments]),
        ("allocation", allocations),
    ]
    for kind, entries in keyed:
        first: dict[tuple[str, ...], tuple[object, FieldPath]] = {}
        for key, record, path in entries:
            if key not in first:
                first[key] = (record, path)
                continue
            earlier_record, earlier_path = first[key]
            earlier = ledger.where(earlier_record, *earlier_path)  # positions only for a finding
            yield _problem(
                ledger.where(record, *path),
                "L004",
                N_("{record} is defined twice (first at {earlier})"),
                record=record_label(kind, key[-1]),
                earlier=str(earlier),
                hint=Message(N_("number the allocations of a budget 1, 2, 3, …"))
                if kind == "allocation"
                else Message(N_("give this one its own id or remove it")),
            )


def check_references(ledger: Ledger, _: date) -> Iterator[Problem]:
    """L005: every record names a document, area and measure that exist."""
    if ledger.incomplete & {"documents", "areas"}:
        return  # references into records that failed to load are not the reader's mistake
    documents = {d.id for d in ledger.documents}
    areas = {(a.document, a.number) for a in ledger.areas}
    measures = {(m.document, m.number) for m in ledger.measures} | {
        (d, n) for d in documents for n in ledger.broken_measures
    }
    for kind, records in (
        ("area", ledger.areas),
        ("measure", ledger.measures),
        ("target", ledger.targets),
        ("budget", ledger.budgets),
        ("instrument", ledger.instruments),
    ):
        for item in records:
            document = item.document
            if document in documents:
                continue
            yield _problem(
                ledger.where(item, "document"),
                "L005",
                N_("{record}: document '{document}' does not exist"),
                record=_label(kind, item),
                document=document,
                hint=Message(N_("use one of {documents}"), documents=", ".join(sorted(documents)))
                if documents
                else Message(N_("use one of (none: policies.yaml has no documents)")),
            )
    # (record, kind, the field that refers, the number it names, the numbers that exist)
    links: list[tuple[Any, str, str, int | None, set[tuple[str, int]]]] = [
        *((m, "measure", "area", m.area, areas) for m in ledger.measures),
        *((t, "target", "measure", t.measure, measures) for t in ledger.targets),
        *((t, "target", "area", t.area, areas) for t in ledger.targets),
        *((b, "budget", "measure", b.measure, measures) for b in ledger.budgets),
        *((i, "instrument", "measure", i.measure, measures) for i in ledger.instruments),
    ]
    for item, kind, field_name, number, existing in links:
        document = item.document
        if number is None or document not in documents or (document, number) in existing:
            continue
        numbers = _numbers(existing, document)
        if field_name == "area":
            text = N_("{record}: area {number} does not exist")
            hint = Message(N_("use an area of policies.yaml ({numbers})"), numbers=numbers)
        else:
            text = N_("{record}: measure {number} does not exist")
            hint = Message(N_("use a measure of policies.yaml ({numbers})"), numbers=numbers)
        label = _label(kind, item)
        yield _problem(ledger.where(item, field_name), "L005", text, record=label, number=number, hint=hint)


def check_funding_links(ledger: Ledger, _: date) -> Iterator[Problem]:
    """L005: an instrument's funding names a real allocation of its own document."""
    if "budgets" in ledger.incomplete:
        return
    for instrument in ledger.instruments:
        for index, allocation_id in enumerate(instrument.funded_by):
            if ledger.allocation(allocation_id, instrument.document) is None:
                known = [
                    a.id for b in ledger.budgets if b.document == instrument.document for a in b.allocations
                ]
                yield _problem(
                    ledger.where(instrument, "funded_by", index),
                    "L005",
                    N_("{record}: funded_by {allocation} is not an allocation of {document}"),
                    record=record_label("instrument", instrument.id),
                    allocation=allocation_id,
                    document=instrument.document,
                    hint=Message(
                        N_("name an allocation of budgets.yaml ({allocations})"),
                        allocations=clip(", ".join(known), 60) or Message(N_("none")),
                    ),
                )


def check_numbering(ledger: Ledger, _: date) -> Iterator[Problem]:
    """L006: areas 1..area_count and measures 1..measure_count each appear exactly once."""
    areas, measures = _by_document(ledger.areas), _by_document(ledger.measures)
    for document in ledger.documents:
        for kind, records, count, field_name in (
            ("area", areas.get(document.id, []), document.area_count, "area_count"),
            ("measure", measures.get(document.id, []), document.measure_count, "measure_count"),
        ):
            numbers = [r.number for r in records]
            if kind == "measure":
                numbers.extend(ledger.broken_measures)
            missing = sorted(set(range(1, count + 1)) - set(numbers))
            if missing:
                yield _problem(
                    ledger.where(document, field_name),
                    "L006",
                    N_("{record}: {missing} ({field} is {count})"),
                    record=record_label("document", document.id),
                    missing=_missing(kind, missing),
                    field=field_name,
                    count=count,
                    hint=Message(N_("add it or correct {field}"), field=field_name)
                    if len(missing) == 1
                    else Message(N_("add them or correct {field}"), field=field_name),
                )
            for item in records:
                if item.number > count:
                    yield _problem(
                        ledger.where(item, "number"),
                        "L006",
                        N_("{record} is beyond {field} {count} of document {document}"),
                        record=record_label(kind, item.number),
                        field=field_name,
                        count=count,
                        document=document.id,
                        hint=Message(N_("renumber it or raise {field}"), field=field_name),
                    )


def check_measures_have_targets(ledger: Ledger, _: date) -> Iterator[Problem]:
    """L008: a measure with nothing recorded cannot be followed: no target (what it commits to), no
    budget (what it spends) and no instrument (what it gives). A measure that only states a budget is
    followed through that budget, whose total lives in budgets.yaml alone."""
    if ledger.incomplete & {"targets", "budgets", "instruments"}:
        return  # a record that failed to load may be the one a measure lacks
    recorded = {(t.document, t.measure) for t in ledger.targets}
    recorded |= {(b.document, b.measure) for b in ledger.budgets}
    recorded |= {(i.document, i.measure) for i in ledger.instruments}
    for measure in ledger.measures:
        if (measure.document, measure.number) in recorded:
            continue
        # a draft comes from `ledger import`, which drafts no instruments: filling it is a reviewer's task
        text = (
            N_("{record} (a draft) has nothing recorded yet: no target, budget or instrument")
            if measure.draft
            else N_("{record} has no target, budget or instrument")
        )
        yield _problem(
            ledger.where(measure),
            "L008",
            text,
            record=record_label("measure", measure.number),
            hint=_NOTHING_RECORDED,
            severity=Severity.WARNING if measure.draft else Severity.ERROR,
        )


_NOTHING_RECORDED = Message(
    N_(
        "add what it commits to (targets.yaml, a milestone if it states no number), what it "
        "spends (budgets.yaml) or what it gives (instruments.yaml)"
    )
)


def _quoted_fields(ledger: Ledger) -> Iterator[tuple[str, object, FieldPath, Message, str]]:
    """(document id, record, field path, label, text) for every text that must stand in the source."""
    for d in ledger.documents:
        if d.period.quote:
            yield d.id, d, ("period", "quote"), Message(N_("document {id} period"), id=d.id), d.period.quote
        if d.overall_budget:
            label = Message(N_("document {id} budget"), id=d.id)
            yield d.id, d, ("overall_budget", "quote"), label, d.overall_budget.quote
    for a in ledger.areas:
        yield a.document, a, ("heading",), Message(N_("area {id} heading"), id=a.number), a.heading
        yield a.document, a, ("text",), Message(N_("area {id} text"), id=a.number), a.text
    for m in ledger.measures:
        label = Message(N_("measure {id} text"), id=m.number)
        yield m.document, m, ("text",), label, f"{m.number}．{m.text}"
    for t in ledger.targets:
        yield t.document, t, ("quote",), Message(N_("target {id} quote"), id=t.id), t.quote
    for i in ledger.instruments:
        yield i.document, i, ("quote",), Message(N_("instrument {id} quote"), id=i.id), i.quote
    for b in ledger.budgets:
        yield b.document, b, ("quote",), Message(N_("budget {id} quote"), id=b.id), b.quote
        for index, al in enumerate(b.allocations):
            label = Message(N_("allocation {id} quote"), id=al.id)
            yield b.document, b, ("allocations", index, "quote"), label, al.quote


def check_quotes_in_source(ledger: Ledger, _: date) -> Iterator[Problem]:
    """L009: every quote, heading and text stands word for word in the document's source text."""
    sources: dict[str, str | None] = {}
    for document in ledger.documents:
        sources[document.id], reason = ledger.source_text(document)
        if sources[document.id] is None:
            yield _problem(
                ledger.where(document, "source"),
                "L009",
                N_("{record}: source text {source} {reason}, so quotes cannot be checked"),
                record=record_label("document", document.id),
                source=document.source,
                reason=reason,
                hint=Message(N_("restore the file from git; it must be a text file inside the data folder")),
            )
    for document_id, item, path, label, text in _quoted_fields(ledger):
        source = sources.get(document_id)
        if source is None or text in source:
            continue
        yield _problem(
            ledger.where(item, *path),
            "L009",
            N_("{label} is not in the source text: “{quote}”"),
            label=label,
            quote=clip(text),
            hint=Message(
                N_("copy the words exactly from {source}"), source=_source_name(ledger, document_id)
            ),
        )
    for area in ledger.areas:
        for part, words in (("title", [area.title]), ("leads", area.leads)):
            for word in words:
                if word not in area.heading:
                    yield _problem(
                        ledger.where(area, part),
                        "L009",
                        N_("{record}: {field} “{word}” is not in its heading"),
                        record=record_label("area", area.number),
                        field=part,
                        word=word,
                        hint=Message(N_("take it from the heading line")),
                    )
    for target in ledger.targets:
        if target.deadline_text and target.deadline_text not in target.quote:
            yield _problem(
                ledger.where(target, "deadline_text"),
                "L009",
                N_("{record}: deadline_text “{text}” is not in its quote"),
                record=record_label("target", target.id),
                text=target.deadline_text,
                hint=Message(N_("quote the words that state the deadline")),
            )
        if target.horizon not in (None, OPEN_HORIZON) and target.horizon not in target.quote:
            yield _problem(
                ledger.where(target, "horizon"),
                "L009",
                N_("{record}: horizon “{horizon}” is not in its quote"),
                record=record_label("target", target.id),
                horizon=target.horizon,
                hint=Message(
                    N_("quote the words that state its span, or write {open} when the text gives none"),
                    open=OPEN_HORIZON,
                ),
            )


def check_values_in_quotes(ledger: Ledger, _: date) -> Iterator[Problem]:
    """L010: the number of a record is the number its quote writes (in digits or the text's words)."""
    items: list[tuple[object, FieldPath, Message, Number, str | None, str]] = []
    for d in ledger.documents:
        if d.overall_budget:
            ob = d.overall_budget
            label = Message(N_("document {id} budget"), id=d.id)
            items.append((d, ("overall_budget", "amount"), label, ob.amount, ob.unit, ob.quote))
    for t in ledger.targets:
        if t.value is not None:
            items.append((t, ("value",), record_label("target", t.id), t.value, t.unit, t.quote))
    for b in ledger.budgets:
        items.append((b, ("total",), record_label("budget", b.id), b.total, b.unit, b.quote))
        for i, al in enumerate(b.allocations):
            label = record_label("allocation", al.id)
            items.append((b, ("allocations", i, "amount"), label, al.amount, b.unit_of(al), al.quote))
    for item, path, label, value, unit, quote in items:
        if not value_spans(quote, value):
            yield _problem(
                ledger.where(item, *path),
                "L010",
                N_("{label}: {amount} does not appear in its quote “{quote}”"),
                label=label,
                amount=format_amount(value, unit),
                quote=clip(quote),
                hint=Message(N_("correct the value or quote the words that state it")),
            )


def check_units(ledger: Ledger, _: date) -> Iterator[Problem]:
    """L011: units come from the known set; budgets are money."""
    for t in ledger.targets:
        if t.unit is not None and t.unit not in KNOWN_UNITS:
            yield _problem(
                ledger.where(t, "unit"),
                "L011",
                N_("{record}: unknown unit “{unit}”"),
                record=record_label("target", t.id),
                unit=t.unit,
                hint=Message(
                    N_(
                        "write the unit as the text does (亿元, 亩, 家, %, …); a new unit the text "
                        "really uses goes into KNOWN_UNITS in policy_ledger/amounts.py"
                    )
                ),
            )
    money = "/".join(MONEY_UNITS)
    for d in ledger.documents:
        if d.overall_budget and not is_money(d.overall_budget.unit):
            yield _problem(
                ledger.where(d, "overall_budget", "unit"),
                "L011",
                N_("{record}: overall budget unit “{unit}” is not money"),
                record=record_label("document", d.id),
                unit=d.overall_budget.unit,
                hint=Message(N_("write the amount in {units}"), units=money),
            )
    for b in ledger.budgets:
        if not is_money(b.unit):
            yield _problem(
                ledger.where(b, "unit"),
                "L011",
                N_("{record}: unit “{unit}” is not money"),
                record=record_label("budget", b.id),
                unit=b.unit,
                hint=Message(N_("write the total in {units}"), units=money),
            )
        for i, al in enumerate(b.allocations):
            if al.unit is not None and not is_money(al.unit):
                yield _problem(
                    ledger.where(b, "allocations", i, "unit"),
                    "L011",
                    N_("{record}: unit “{unit}” is not money"),
                    record=record_label("allocation", al.id),
                    unit=al.unit,
                    hint=Message(N_("write the amount in {units}"), units=money),
                )


def check_budget_sums(ledger: Ledger, _: date) -> Iterator[Problem]:
    """L012: a budget's allocations add up exactly to its stated total (units converted exactly)."""
    for budget in ledger.budgets:
        total = budget.allocated()
        if total is None or total == budget.total:
            continue
        yield _problem(
            ledger.where(budget, "total"),
            "L012",
            N_("{record} (measure {measure}): allocations sum to {sum} but the total is {total}"),
            record=record_label("budget", budget.id),
            measure=budget.measure,
            sum=format_amount(total, budget.unit),
            total=format_amount(budget.total, budget.unit),
            hint=Message(N_("fix an allocation or the total")),
        )


def check_overall_total(ledger: Ledger, _: date) -> Iterator[Problem]:
    """L013 (and I001): the stated overall total is not above the gross sum of the budgets.

    The document's total is net of funds counted by several areas, so it may be smaller than the gross
    sum; the difference is the implied overlap, reported for information.
    """
    by_document = _by_document(ledger.budgets)
    known = {d.id for d in ledger.documents}
    orphans = any(b.document not in known for b in ledger.budgets)
    for document in ledger.documents:
        stated = document.overall_budget
        if stated is None or not is_money(stated.unit):
            continue
        budgets = by_document.get(document.id, [])
        if "budgets" in ledger.incomplete or orphans or any(not is_money(b.unit) for b in budgets):
            continue  # the gross sum is unknown while a budget is broken (already reported)
        gross = gross_sum(budgets, stated.unit)
        here = ledger.where(document, "overall_budget", "amount")
        label = record_label("document", document.id)
        count = Message.ngettext("{count} budget", "{count} budgets", len(budgets), count=len(budgets))
        if stated.amount > gross:
            yield _problem(
                here,
                "L013",
                N_("{record}: stated total {stated} is above the gross sum of its {budgets} ({gross})"),
                record=label,
                stated=format_amount(stated.amount, stated.unit),
                budgets=count,
                gross=format_amount(gross, stated.unit),
                hint=Message(N_("a budget is missing from budgets.yaml or a total is wrong")),
            )
        elif stated.net_of_overlaps or stated.amount == gross:
            yield _problem(
                here,
                "I001",
                N_(
                    "{record}: gross sum of {budgets} is {gross}, stated total {stated}; "
                    "implied overlap {overlap}"
                ),
                record=label,
                budgets=count,
                gross=format_amount(gross, stated.unit),
                stated=format_amount(stated.amount, stated.unit),
                overlap=format_amount(gross - stated.amount, stated.unit),
                severity=Severity.INFO,
            )
        else:
            yield _problem(
                here,
                "L013",
                N_(
                    "{record}: stated total {stated} is below the gross sum {gross} "
                    "but net_of_overlaps is false"
                ),
                record=label,
                stated=format_amount(stated.amount, stated.unit),
                gross=format_amount(gross, stated.unit),
                hint=Message(
                    N_(
                        "set net_of_overlaps: true if the text says the total leaves out funds counted twice "
                        "(剔除交叉重叠部分), else correct the amount"
                    )
                ),
            )


def check_comparator_wording(ledger: Ledger, _: date) -> Iterator[Problem]:
    """L014: the comparator is the one the words next to the value give (以上 → at_least, …)."""
    for target in ledger.targets:
        if target.value is None or target.comparator is None:
            continue
        if not value_spans(target.quote, target.value):
            continue  # L010 reports a value its quote does not state; no comparator to judge
        found = comparators_near(target.quote, target.value, target.unit)
        if target.comparator == "exactly":
            if found:
                yield _problem(
                    ledger.where(target, "comparator"),  # a position only for a finding: it costs a read
                    "L014",
                    N_("{record}: comparator is exactly, but its quote says {found}"),
                    record=record_label("target", target.id),
                    found=" / ".join(sorted(found)),
                    hint=Message(N_("set comparator to {comparator}"), comparator=sorted(found)[0]),
                    severity=Severity.WARNING,
                )
        elif target.comparator not in found:
            yield _problem(
                ledger.where(target, "comparator"),
                "L014",
                N_(
                    "{record}: comparator {comparator} needs {words} next to the value in its quote, "
                    "which says {found}"
                ),
                record=record_label("target", target.id),
                comparator=target.comparator,
                words=COMPARATOR_WORDS[target.comparator],
                found=" / ".join(sorted(found)) or "exactly",
                hint=Message(
                    N_("set comparator to {comparator}, or quote the words that state the comparator"),
                    comparator=sorted(found)[0] if found else "exactly",
                ),
            )


def check_commitment_wording(ledger: Ledger, _: date) -> Iterator[Problem]:
    """L015: firm needs 确保 in the quote, stretch needs 力争/争取/争创; plain quotes have neither."""
    for target in ledger.targets:
        words = commitment_words(target.quote)
        if target.commitment == "plain":
            if words:
                yield _problem(
                    ledger.where(target, "commitment"),  # a position only for a finding
                    "L015",
                    N_("{record}: commitment is plain, but its quote says {words}"),
                    record=record_label("target", target.id),
                    words=" / ".join(sorted(words)),
                    hint=Message(N_("check which commitment governs the value")),
                    severity=Severity.WARNING,
                )
        elif target.commitment not in words:
            needed = "确保" if target.commitment == "firm" else "力争/争取/争创"
            yield _problem(
                ledger.where(target, "commitment"),
                "L015",
                N_("{record}: commitment {commitment} needs {words} in its quote"),
                record=record_label("target", target.id),
                commitment=target.commitment,
                words=needed,
                hint=Message(N_("extend the quote to the word, or correct the commitment")),
            )


def progress_date_problem(as_of: date, due: date | None, period: Period, today: date) -> Message | None:
    """Why a reading dated ``as_of`` is implausible, or None. Shared with ``ledger progress add``.

    A target with a horizon and no due date (``due`` None) is read for years: only the future and the
    time before the policy period are implausible."""
    if as_of > today:
        return Message(N_("as of {day} is in the future"), day=as_of)
    if as_of < period.start:
        return Message(N_("as of {day} is before the policy period ({start})"), day=as_of, start=period.start)
    if due is None:
        return None
    too_late = date.fromordinal(max(due, period.end).toordinal() + PROGRESS_GRACE_DAYS)
    if as_of > too_late:
        return Message(N_("as of {day} is long after the deadline ({due})"), day=as_of, due=due)
    return None


def entry_kind_problem(
    entry: ProgressEntry, unit: str | None, milestone: bool
) -> tuple[Message, Message] | None:
    """Why an entry does not fit its record (value vs status, unit), and what to do; or None."""
    if milestone and entry.value is not None:
        return (
            Message(N_("is a milestone, but the entry has a value")),
            Message(N_("record a status (in_progress, done, dropped)")),
        )
    if not milestone and entry.status is not None:
        return (
            Message(N_("has a value to reach, but the entry has a status")),
            Message(N_("record a value in {unit}"), unit=unit or Message(N_("its unit"))),
        )
    if entry.value is not None and entry.unit != unit:
        return (
            Message(
                N_("is in “{unit}” but the entry says “{entry_unit}”"),
                unit=unit or Message(N_("(no unit)")),
                entry_unit=entry.unit or Message(N_("(no unit)")),
            ),
            Message(N_("convert the value to the record's unit")),
        )
    return None


def _progress_owners(ledger: Ledger) -> Iterator[tuple[Message, object, FieldPath, ProgressEntries]]:
    """(label, record, path to its progress list, what the entries must fit) for targets and allocations."""
    for target in ledger.targets:
        if target.progress:
            yield (
                record_label("target", target.id),
                target,
                ("progress",),
                ProgressEntries(
                    target.progress, target.unit, target.is_milestone, ledger.due(target), target.document
                ),
            )
    for budget in ledger.budgets:
        document = ledger.document(budget.document)
        for index, allocation in enumerate(budget.allocations):
            if allocation.progress and document is not None:
                yield (
                    record_label("allocation", allocation.id),
                    budget,
                    ("allocations", index, "progress"),
                    ProgressEntries(
                        allocation.progress,
                        budget.unit_of(allocation),
                        False,
                        document.period.end,
                        budget.document,
                    ),
                )


@dataclass(frozen=True)
class ProgressEntries:
    entries: list[ProgressEntry]
    unit: str | None
    milestone: bool
    due: date | None
    document: str


def check_progress(ledger: Ledger, today: date) -> Iterator[Problem]:
    """L016 (entry fits its record) and L017 (plausible, distinct dates) for targets and allocations."""
    for label, item, path, owner in _progress_owners(ledger):
        document = ledger.document(owner.document)
        seen: set[date] = set()
        for index, entry in enumerate(owner.entries):
            where = (*path, index)
            kind = entry_kind_problem(entry, owner.unit, owner.milestone)
            if kind:
                field_name = "value" if entry.value is not None else "status"
                if entry.value is not None and entry.unit is not None and not owner.milestone:
                    field_name = "unit"
                yield _problem(
                    ledger.where(item, *where, field_name),
                    "L016",
                    N_("{record} {problem}"),
                    record=label,
                    problem=kind[0],
                    hint=kind[1],
                )
            if entry.as_of in seen:
                yield _problem(
                    ledger.where(item, *where, "as_of"),
                    "L017",
                    N_("{record}: two progress entries as of {day}"),
                    record=label,
                    day=entry.as_of,
                    hint=Message(N_("keep one (the later correction) or fix the date")),
                )
            seen.add(entry.as_of)
            if document is None:
                continue
            problem = progress_date_problem(entry.as_of, owner.due, document.period, today)
            if problem:
                yield _problem(
                    ledger.where(item, *where, "as_of"),
                    "L017",
                    N_("{record}: progress {problem}"),
                    record=label,
                    problem=problem,
                    hint=Message(N_("check the date")),
                )


def check_disbursements(ledger: Ledger, _: date) -> Iterator[Problem]:
    """L018 (warning): an allocation reported as paid out beyond its amount."""
    for budget in ledger.budgets:
        for index, allocation in enumerate(budget.allocations):
            if not allocation.progress:
                continue
            latest = max(allocation.progress, key=lambda entry: entry.as_of)
            unit = budget.unit_of(allocation)
            if latest.value is None or latest.unit != unit or latest.value <= allocation.amount:
                continue
            position = allocation.progress.index(latest)
            yield _problem(
                ledger.where(budget, "allocations", index, "progress", position, "value"),
                "L018",
                N_("{record}: paid out {paid} as of {day}, more than its {amount}"),
                record=record_label("allocation", allocation.id),
                paid=format_amount(latest.value, unit),
                day=latest.as_of,
                amount=format_amount(allocation.amount, unit),
                hint=Message(N_("check the entry (disbursements are cumulative totals, not increments)")),
                severity=Severity.WARNING,
            )


def check_drafts(ledger: Ledger, _: date) -> Iterator[Problem]:
    """I002: a record drafted by ``ledger import`` that nobody has reviewed yet (``draft: true``), for
    information: a draft is data to read against its text, not an error."""
    for kind, records in (
        ("document", ledger.documents),
        ("area", ledger.areas),
        ("measure", ledger.measures),
        ("budget", ledger.budgets),
        ("target", ledger.targets),
    ):
        for item in records:
            if not item.draft:
                continue
            yield _problem(
                ledger.where(item, "draft"),
                "I002",
                N_("{record} is a draft from ledger import"),
                record=_label(kind, item),
                hint=Message(N_("review it with `ledger review`")),
                severity=Severity.INFO,
            )


CHECKS: tuple[Check, ...] = (
    check_duplicate_ids,
    check_references,
    check_funding_links,
    check_numbering,
    check_measures_have_targets,
    check_quotes_in_source,
    check_values_in_quotes,
    check_units,
    check_budget_sums,
    check_overall_total,
    check_comparator_wording,
    check_commitment_wording,
    check_progress,
    check_disbursements,
    check_drafts,
)


def _source_name(ledger: Ledger, document_id: str) -> str:
    document = ledger.document(document_id)
    return document.source if document else Message(N_("the source text"))


def _numbers(known: set[tuple[str, int]], document_id: str) -> str:
    """The numbers a reference may use, as ranges: '1-8'."""
    return format_ranges(sorted(n for d, n in known if d == document_id)) or Message(N_("none"))


def _missing(kind: str, numbers: list[int]) -> Message:
    if kind == "area":
        if len(numbers) == 1:
            return Message(N_("area {number} is missing"), number=numbers[0])
        return Message(N_("areas {numbers} are missing"), numbers=format_ranges(numbers))
    if len(numbers) == 1:
        return Message(N_("measure {number} is missing"), number=numbers[0])
    return Message(N_("measures {numbers} are missing"), numbers=format_ranges(numbers))
