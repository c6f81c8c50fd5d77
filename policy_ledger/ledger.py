"""The loaded ledger: every record of every document, with lookups by id and number.

It is the one place that resolves what a user or a record names (a document, a measure number, a target
id, a budget or allocation id) to the records themselves: queries, history, progress and reports all
ask it. Records carry their own place (``record.place``), so the ledger needs no table of positions.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from .amounts import as_money, convert, exact_sum, is_money
from .i18n import N_, _
from .messages import Message
from .models import Allocation, Area, Budget, Document, Instrument, Measure, Target
from .problems import LedgerError, Source


@dataclass
class Ledger:
    """Everything that loaded, and the digests of the bytes it was loaded from."""

    root: Path
    documents: list[Document] = field(default_factory=list)
    areas: list[Area] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    budgets: list[Budget] = field(default_factory=list)
    instruments: list[Instrument] = field(default_factory=list)
    #: measure numbers of records that failed validation, so checks do not report them twice
    broken_measures: set[int] = field(default_factory=set)
    #: lists ("targets", "budgets", …) that lost records to load errors: checks that need the whole
    #: list (sums, coverage) stay quiet rather than report the consequences of an error already shown
    incomplete: set[str] = field(default_factory=set)
    #: SHA-256 of each data file's bytes as loaded: a writer checks that its records fit the file
    digests: dict[str, str] = field(default_factory=dict)
    #: False when the cache answered with the one document a command named, and the others are absent
    complete: bool = True
    _sources: dict[str, tuple[str | None, str]] = field(default_factory=dict, repr=False)
    _index: _Index | None = field(default=None, repr=False)

    def where(self, record: object, *within: str | int) -> Source:
        """The file, line and column of ``record`` (or of one of its fields, e.g. ``"total"``)."""
        place = getattr(record, "place", None)
        return place.source(*within) if place is not None else Source("<unknown>")

    def source_text(self, document: Document) -> tuple[str | None, str]:
        """The document's source text, or None and why it cannot be read (read once, when first asked).

        ``source`` must name a regular file inside the data folder: a path in the data never reaches
        outside the ledger, and a FIFO or device never hangs or floods a read.
        """
        if document.id not in self._sources:
            from .fileio import MAX_SOURCE_BYTES, FileRefused, confined, read_regular

            try:
                path = confined(self.root, document.source)
            except FileRefused as exc:
                self._sources[document.id] = (None, exc.args[0])
                return self._sources[document.id]
            try:
                raw = read_regular(path, MAX_SOURCE_BYTES)
                self._sources[document.id] = (raw.decode("utf-8-sig"), "")
            except FileRefused as exc:
                self._sources[document.id] = (None, exc.reason or exc.args[0])
            except UnicodeDecodeError:
                self._sources[document.id] = (None, Message(N_("is not UTF-8 text")))
        return self._sources[document.id]

    @property
    def index(self) -> _Index:
        if self._index is None:
            self._index = _Index.of(self)
        return self._index

    def document(self, document_id: str) -> Document | None:
        return self.index.documents.get(document_id)

    def measure(self, number: int, document_id: str | None = None) -> Measure | None:
        if document_id is None:
            return self.index.first_measure.get(number)
        return self.index.measures.get((document_id, number))

    def area(self, number: int, document_id: str | None = None) -> Area | None:
        if document_id is None:
            return self.index.first_area.get(number)
        return self.index.areas.get((document_id, number))

    def targets_of(self, measure: Measure) -> list[Target]:
        return list(self.index.targets_of_measure.get((measure.document, measure.number), ()))

    def goals_of(self, area: Area) -> list[Target]:
        return list(self.index.goals_of_area.get((area.document, area.number), ()))

    def instruments_of(self, measure: Measure) -> list[Instrument]:
        return list(self.index.instruments_of_measure.get((measure.document, measure.number), ()))

    def budget_of(self, measure: Measure) -> Budget | None:
        return self.index.budget_of_measure.get((measure.document, measure.number))

    def paid_out(self, budget: Budget, allocation: Allocation, as_of: date) -> Decimal | None:
        """What an allocation has paid out by ``as_of``, in the budget's unit: its own latest disbursement
        (the finance bureau's figure) when it has one, else the 兑现 to date of the instruments that it
        alone funds, added up. The two are never added to each other: they count the same money."""
        own = budget.paid_out(allocation, as_of)
        if own is not None:
            return own
        paid = []
        for instrument in self.instruments:
            if instrument.document != budget.document or instrument.funded_by != [allocation.id]:
                continue
            # a 兑现 value in a unit that is not money (a hand edit) cannot count as money paid out
            amounts = [
                e
                for e in instrument.progress
                if e.kind == "paid" and e.value is not None and is_money(e.unit or budget.unit)
            ]
            latest = max((e for e in amounts if e.as_of <= as_of), key=lambda e: e.as_of, default=None)
            if latest is not None and latest.value is not None:
                paid.append(convert(latest.value, latest.unit or budget.unit, budget.unit))
        return as_money(exact_sum(paid)) if paid else None

    def leads_of(self, target: Target) -> tuple[str, ...]:
        """The lead bureaus that answer for a target: its area's; for the document's own (``D1``), every
        area's lead bureau, as the text asks of 各领域政策市级牵头单位."""
        everyone = target.measure is None and target.area is None
        number = self.area_of(target)
        areas = [a for a in self.areas if a.document == target.document and (everyone or a.number == number)]
        return tuple(dict.fromkeys(lead for area in areas for lead in area.leads))

    def area_of(self, target: Target) -> int | None:
        """The area a target falls under: its own, or its measure's (None for D1, or a missing measure)."""
        if target.area is not None:
            return target.area
        measure = None if target.measure is None else self.measure(target.measure, target.document)
        return measure.area if measure else None

    def due(self, target: Target) -> date | None:
        """A target's deadline: its own, else the end of its document's period; None for a multi-year
        aim (``horizon``), which has no due date, and for a document the ledger does not hold."""
        if target.deadline is not None:
            return target.deadline
        if target.horizon is not None:
            return None
        document = self.document(target.document)
        return document.period.end if document else None

    # --- what people name ---------------------------------------------------------------------------

    def pick_document(self, document_id: str | None) -> str:
        """The document a command is about: the one named (by its id, or by its number as typed:
        乐政发〔2023〕6号, 乐政发[2023]6号), or the only one the ledger holds."""
        ids = [d.id for d in self.documents]
        if document_id is not None:
            if document_id not in ids:
                wanted = number_key(document_id)
                numbered = [d.id for d in self.documents if number_key(d.number) == wanted]
                if len(numbered) == 1:
                    return numbered[0]
                if numbered:
                    raise LedgerError(
                        _("{number} is the number of {n} documents; name one by its id ({ids})").format(
                            number=document_id, n=len(numbered), ids=_shown(numbered, 3)
                        ),
                        exit_code=2,
                    )
                shown = _shown(ids, 5)
                raise LedgerError(
                    _("document '{id}' does not exist; documents: {ids}").format(id=document_id, ids=shown),
                    exit_code=2,
                )
            return document_id
        if len(ids) == 1:
            return ids[0]
        if not ids:
            raise LedgerError(_("the ledger holds no documents; run `ledger validate`"))
        raise LedgerError(
            _("the ledger holds {n} documents; choose one with --document ({ids})").format(
                n=len(ids), ids=_shown(ids, 3)
            ),
            exit_code=2,
        )

    def find_measure(self, text: str, document_id: str | None = None) -> Measure:
        """A measure by its number as typed; a bad number is a usage error naming the valid range."""
        doc = self.pick_document(document_id)
        measure = self.measure(int(text), doc) if text.isascii() and text.isdigit() else None
        if measure is None:
            raise LedgerError(
                _("no measure '{text}' in {document}; measures are numbered {numbers}").format(
                    text=text, document=doc, numbers=self._measure_range(doc)
                ),
                exit_code=2,
            )
        return measure

    def target(self, target_id: str, document_id: str) -> Target | None:
        return self.index.targets.get((document_id, target_id))

    def instrument(self, instrument_id: str, document_id: str) -> Instrument | None:
        return self.index.instruments.get((document_id, instrument_id))

    def allocation(self, allocation_id: str, document_id: str) -> tuple[Budget, int, Allocation] | None:
        """The allocation, with its budget and its index among the budget's allocations."""
        return self.index.allocations.get((document_id, allocation_id))

    def records_named(self, ref: str, document_id: str | None = None) -> list[str]:
        """The target, allocation and instrument ids a person means by a measure number or a target,
        budget, allocation or instrument id (``ledger log 17``, ``ledger log B1``, ``ledger log I19.1``)."""
        doc = self.pick_document(document_id)
        if ref.isascii() and ref.isdigit():
            measure = self.find_measure(ref, doc)
            budget = self.budget_of(measure)
            return (
                [t.id for t in self.targets_of(measure)]
                + [a.id for a in (budget.allocations if budget else [])]
                + [i.id for i in self.instruments_of(measure)]
            )
        ids = [ref] if self.target(ref, doc) or self.instrument(ref, doc) else []
        for budget in self.budgets:
            if budget.document == doc:
                ids += [a.id for a in budget.allocations if ref in (a.id, budget.id)]
        if not ids:
            raise LedgerError(
                _(
                    "'{ref}' is not a measure number, target id (17.1, A3.1), budget (B1), allocation (B1.2) "
                    "or instrument (I19.1) of {document}"
                ).format(ref=ref, document=doc),
                exit_code=2,
            )
        return ids

    def unknown_id(self, record_id: str, document_id: str) -> str:
        """Why ``record_id`` names nothing, with the ids that share its measure as a hint."""
        prefix = record_id.split(".")[0]
        ids = [t.id for t in self.targets if t.document == document_id]
        ids += [a.id for b in self.budgets if b.document == document_id for a in b.allocations]
        ids += [i.id for i in self.instruments if i.document == document_id]
        siblings = [i for i in ids if i.split(".")[0] == prefix]
        if siblings:
            hint = _("ids starting with {prefix}. are {ids}").format(prefix=prefix, ids=", ".join(siblings))
        else:
            hint = _(
                'ids look like "17.1" (a measure\'s target), "A3.1" (an area\'s goal), '
                '"B1.2" (an allocation) or "I19.1" (an instrument)'
            )
        return _(
            "no target, allocation or instrument '{id}' (or it has errors: run `ledger validate`); {advice}"
        ).format(id=record_id, advice=hint)

    def _measure_range(self, document_id: str) -> str:
        numbers = sorted(m.number for m in self.measures if m.document == document_id)
        return f"{numbers[0]}-{numbers[-1]}" if numbers else _("none loaded")


_BRACKETS = str.maketrans(
    {"[": "〔", "]": "〕", "［": "〔", "］": "〕", "(": "〔", ")": "〕", "（": "〔", "）": "〕"}
)


def number_key(text: str) -> str:
    """A document number in one spelling, whatever brackets and spaces were typed: 乐政发[2023]6号 and
    乐政发（2023）6号 both name 乐政发〔2023〕6号."""
    return "".join(unicodedata.normalize("NFKC", text).translate(_BRACKETS).split())


def _shown(ids: list[str], most: int) -> str:
    """The first ``most`` ids, and how many more there are."""
    shown = ", ".join(ids[:most])
    return shown + _(", … ({n} more)").format(n=len(ids) - most) if len(ids) > most else shown


@dataclass
class _Index:
    """Lookup tables, so that a ledger of thousands of measures answers in constant time."""

    documents: dict[str, Document]
    areas: dict[tuple[str, int], Area]
    first_area: dict[int, Area]
    measures: dict[tuple[str, int], Measure]
    first_measure: dict[int, Measure]
    targets: dict[tuple[str, str], Target]
    targets_of_measure: dict[tuple[str, int], list[Target]]
    goals_of_area: dict[tuple[str, int], list[Target]]
    budget_of_measure: dict[tuple[str, int], Budget]
    allocations: dict[tuple[str, str], tuple[Budget, int, Allocation]]
    instruments_of_measure: dict[tuple[str, int], list[Instrument]]
    instruments: dict[tuple[str, str], Instrument]

    @classmethod
    def of(cls, ledger: Ledger) -> _Index:
        """The first record wins where ids repeat (``ledger validate`` reports the repeat)."""
        index = cls({}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {})
        for document in ledger.documents:
            index.documents.setdefault(document.id, document)
        for area in ledger.areas:
            index.areas.setdefault((area.document, area.number), area)
            index.first_area.setdefault(area.number, area)
        for measure in ledger.measures:
            index.measures.setdefault((measure.document, measure.number), measure)
            index.first_measure.setdefault(measure.number, measure)
        for target in ledger.targets:
            index.targets.setdefault((target.document, target.id), target)
            if target.measure is not None:
                index.targets_of_measure.setdefault((target.document, target.measure), []).append(target)
            if target.area is not None:
                index.goals_of_area.setdefault((target.document, target.area), []).append(target)
        for budget in ledger.budgets:
            index.budget_of_measure.setdefault((budget.document, budget.measure), budget)
            for position, allocation in enumerate(budget.allocations):
                index.allocations.setdefault((budget.document, allocation.id), (budget, position, allocation))
        for instrument in ledger.instruments:
            index.instruments.setdefault((instrument.document, instrument.id), instrument)
            index.instruments_of_measure.setdefault((instrument.document, instrument.measure), []).append(
                instrument
            )
        return index
