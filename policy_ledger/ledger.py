"""The loaded ledger: every record of every document, with lookups by id and number.

It is the one place that resolves what a user or a record names (a measure number, a target id, an
allocation id) to the record itself; queries, history, progress and reports all ask it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .models import Area, Budget, Document, Measure, Target
from .problems import Problem, Source
from .yamlio import LoadedYaml


@dataclass
class Location:
    """Where a record came from: its file as shown to the user, the parsed file and the record's path."""

    file: str
    loaded: LoadedYaml
    path: tuple[str | int, ...]


@dataclass
class Ledger:
    """Everything that loaded, with the position of every record for later findings."""

    root: Path
    documents: list[Document] = field(default_factory=list)
    areas: list[Area] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    budgets: list[Budget] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)  # document id → verbatim source text
    #: measure numbers of records that failed validation, so checks do not report them twice
    broken_measures: set[int] = field(default_factory=set)
    #: lists ("targets", "budgets", …) that lost records to load errors: checks that need the whole
    #: list (sums, coverage) stay quiet rather than report the consequences of an error already shown
    incomplete: set[str] = field(default_factory=set)
    files: dict[str, LoadedYaml] = field(default_factory=dict)
    #: content hash of each file as it was read, so a writer can tell that it is still the same
    file_digests: dict[str, str] = field(default_factory=dict)
    #: the check findings stored with a cached ledger (for ``cached_today``), so checks need not rerun
    cached_findings: list[Problem] | None = None
    cached_today: str | None = None
    _locations: dict[int, Location] = field(default_factory=dict, repr=False)
    _index: _Index | None = field(default=None, repr=False)

    def remember(self, record: object, file: str, loaded: LoadedYaml, path: tuple[str | int, ...]) -> None:
        self._locations[id(record)] = Location(file, loaded, path)

    def where(self, record: object, *path: str | int) -> Source:
        """The file, line and column of ``record`` (or of one of its fields, e.g. ``"total"``).

        Positions are looked up only when a finding needs one; a ledger read through the fast path or
        from the cache composes the file at that moment.
        """
        location = self._locations.get(id(record))
        if location is None:
            return Source("<unknown>")
        line, column = location.loaded.position((*location.path, *path))
        return Source(location.file, line, column)

    def path_of(self, record: object) -> tuple[str | int, ...] | None:
        """Where ``record`` stands in its file's tree, e.g. ``("targets", 7)``."""
        location = self._locations.get(id(record))
        return None if location is None else location.path

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

    def budget_of(self, measure: Measure) -> Budget | None:
        return self.index.budget_of_measure.get((measure.document, measure.number))

    def due(self, target: Target) -> Any:
        """A target's deadline: its own, else the end of its document's period."""
        if target.deadline is not None:
            return target.deadline
        document = self.document(target.document)
        return document.period.end if document else None


@dataclass
class _Index:
    """Lookup tables, so that a ledger of thousands of measures answers in constant time."""

    documents: dict[str, Document]
    areas: dict[tuple[str, int], Area]
    first_area: dict[int, Area]
    measures: dict[tuple[str, int], Measure]
    first_measure: dict[int, Measure]
    targets_of_measure: dict[tuple[str, int], list[Target]]
    goals_of_area: dict[tuple[str, int], list[Target]]
    budget_of_measure: dict[tuple[str, int], Budget]

    @classmethod
    def of(cls, ledger: Ledger) -> _Index:
        """The first record wins where ids repeat (``ledger validate`` reports the repeat)."""
        index = cls({}, {}, {}, {}, {}, {}, {}, {})
        for document in ledger.documents:
            index.documents.setdefault(document.id, document)
        for area in ledger.areas:
            index.areas.setdefault((area.document, area.number), area)
            index.first_area.setdefault(area.number, area)
        for measure in ledger.measures:
            index.measures.setdefault((measure.document, measure.number), measure)
            index.first_measure.setdefault(measure.number, measure)
        for target in ledger.targets:
            if target.measure is not None:
                index.targets_of_measure.setdefault((target.document, target.measure), []).append(target)
            if target.area is not None:
                index.goals_of_area.setdefault((target.document, target.area), []).append(target)
        for budget in ledger.budgets:
            index.budget_of_measure.setdefault((budget.document, budget.measure), budget)
        return index
