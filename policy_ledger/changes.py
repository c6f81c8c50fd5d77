"""What changed in the data between two versions of the ledger: entries added, states moved, corrections.

Pure comparison of two loaded ledgers; getting the older one out of git is ``history.ledger_at``'s job.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .ledger import Ledger
from .models import ProgressEntry
from .status import State, target_status


@dataclass(frozen=True)
class AddedEntry:
    record_id: str
    what: str
    entry: ProgressEntry
    unit: str | None
    disbursement: bool


@dataclass(frozen=True)
class StateChange:
    target_id: str
    what: str
    before: State
    after: State


@dataclass(frozen=True)
class Correction:
    record: str  # "target 17.1", "allocation B1.2", "measure 17"
    fields: tuple[str, ...]  # what changed; ("added",) or ("removed",) for whole records


@dataclass
class ChangeSet:
    since: str  # the revision compared with, as the user named it
    commit: str  # its short id
    added: list[AddedEntry] = field(default_factory=list)
    states: list[StateChange] = field(default_factory=list)
    corrections: list[Correction] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.states or self.corrections)

    def only(self, records: set[str]) -> ChangeSet:
        """The changes to the named records (``"target 17.1"``, ``"allocation B1.2"``, ``"measure 17"``)."""
        return ChangeSet(
            since=self.since,
            commit=self.commit,
            added=[a for a in self.added if _name(a) in records],
            states=[c for c in self.states if f"target {c.target_id}" in records],
            corrections=[c for c in self.corrections if c.record in records],
        )


def _name(added: AddedEntry) -> str:
    return f"{'allocation' if added.disbursement else 'target'} {added.record_id}"


def compare(before: Ledger, after: Ledger, as_of: date, since: str, commit: str) -> ChangeSet:
    """Differences from ``before`` to ``after``; states are judged on ``as_of`` in both."""
    old_entries = {_entry_key(document, added) for document, added in _entries(before)}
    added = [added for document, added in _entries(after) if _entry_key(document, added) not in old_entries]
    added.sort(key=lambda a: (a.entry.as_of, a.record_id), reverse=True)
    states = []
    old_targets = {(t.document, t.id): t for t in before.targets}
    for target in after.targets:
        old = old_targets.get((target.document, target.id))
        if old is not None:
            was = target_status(before, old, as_of).state
            now = target_status(after, target, as_of).state
            if was != now:
                states.append(StateChange(target.id, target.what, was, now))
    return ChangeSet(since, commit, added, states, _corrections(before, after))


def _entries(ledger: Ledger) -> list[tuple[str, AddedEntry]]:
    """Every progress entry and disbursement with its record, and the document the record is in."""
    targets = [
        (t.document, AddedEntry(t.id, t.what, e, t.unit, False)) for t in ledger.targets for e in t.progress
    ]
    allocations = [
        (b.document, AddedEntry(a.id, a.label, e, b.unit_of(a), True))
        for b in ledger.budgets
        for a in b.allocations
        for e in a.progress
    ]
    return targets + allocations


def _entry_key(document: str, added: AddedEntry) -> tuple[str, bool, str, str]:
    """An entry is new when its record had no entry equal in every field before."""
    return document, added.disbursement, added.record_id, added.entry.model_dump_json()


def _records(ledger: Ledger) -> dict[str, dict[str, Any]]:
    """Every record by a readable name, as plain data without its progress entries."""
    records: dict[str, dict[str, Any]] = {}
    for area in ledger.areas:
        records[f"area {area.number}"] = area.model_dump()
    for measure in ledger.measures:
        records[f"measure {measure.number}"] = measure.model_dump()
    for target in ledger.targets:
        records[f"target {target.id}"] = target.model_dump(exclude={"progress"})
    for budget in ledger.budgets:
        records[f"budget {budget.id}"] = budget.model_dump(exclude={"allocations"})
        for allocation in budget.allocations:
            records[f"allocation {allocation.id}"] = allocation.model_dump(exclude={"progress"})
    for document in ledger.documents:
        records[f"document {document.id}"] = document.model_dump()
    return records


def _corrections(before: Ledger, after: Ledger) -> list[Correction]:
    old, new = _records(before), _records(after)
    corrections = []
    for name, fields in new.items():
        if name not in old:
            corrections.append(Correction(name, ("added",)))
            continue
        changed = tuple(key for key in fields if fields[key] != old[name].get(key))
        if changed:
            corrections.append(Correction(name, changed))
    corrections += [Correction(name, ("removed",)) for name in old if name not in new]
    return corrections
