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
    changes = ChangeSet(since=since, commit=commit)
    old_targets = {(t.document, t.id): t for t in before.targets}
    for target in after.targets:
        old = old_targets.get((target.document, target.id))
        old_entries = set(_entry_keys(old.progress)) if old else set()
        for entry in target.progress:
            if _entry_key(entry) not in old_entries:
                changes.added.append(AddedEntry(target.id, target.what, entry, target.unit, False))
        if old is not None:
            was = target_status(before, old, as_of).state
            now = target_status(after, target, as_of).state
            if was != now:
                changes.states.append(StateChange(target.id, target.what, was, now))
    old_allocations = {(b.document, a.id): a for b in before.budgets for a in b.allocations}
    for budget in after.budgets:
        for allocation in budget.allocations:
            old_allocation = old_allocations.get((budget.document, allocation.id))
            old_entries = set(_entry_keys(old_allocation.progress)) if old_allocation else set()
            for entry in allocation.progress:
                if _entry_key(entry) not in old_entries:
                    changes.added.append(
                        AddedEntry(allocation.id, allocation.label, entry, budget.unit_of(allocation), True)
                    )
    changes.added.sort(key=lambda a: (a.entry.as_of, a.record_id), reverse=True)
    changes.corrections = _corrections(before, after)
    return changes


def _entry_key(entry: ProgressEntry) -> str:
    return entry.model_dump_json()


def _entry_keys(entries: list[ProgressEntry]) -> list[str]:
    return [_entry_key(e) for e in entries]


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
