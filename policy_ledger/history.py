"""Who changed a record's lines, when, and how: the git history behind ``ledger log``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .ledger import Ledger
from .loader import BUDGETS, TARGETS
from .problems import LedgerError
from .queries import pick_document
from .yamlio import make_yaml, record_line_range


def resolve_records(ledger: Ledger, ref: str, document_id: str | None = None) -> list[str]:
    """The target and allocation ids a user means by a measure number, target, budget or allocation id."""
    doc = pick_document(ledger, document_id)
    if ref.isdigit():
        number = int(ref)
        if ledger.measure(number, doc) is None:
            numbers = sorted(m.number for m in ledger.measures if m.document == doc)
            raise LedgerError(
                f"no measure {ref} in {doc}; measures are numbered {numbers[0]}-{numbers[-1]}", exit_code=2
            )
        ids = [t.id for t in ledger.targets if t.document == doc and t.measure == number]
        ids += [
            a.id for b in ledger.budgets if b.document == doc and b.measure == number for a in b.allocations
        ]
        return ids
    targets = [t.id for t in ledger.targets if t.document == doc and t.id == ref]
    allocations = [
        a.id for b in ledger.budgets if b.document == doc for a in b.allocations if ref in (a.id, b.id)
    ]
    if not targets and not allocations:
        raise LedgerError(
            f"'{ref}' is not a measure number, target id (17.1, A3.1), budget (B1) or allocation (B1.2) "
            f"of {doc}",
            exit_code=2,
        )
    return targets + allocations


def record_line_ranges(path: Path, text: str, record_ids: set[str]) -> list[tuple[int, int]]:
    """1-based inclusive line ranges of the given records in ``text`` (a version of ``path``)."""
    root = make_yaml().load(text)
    lines = [line.rstrip("\r") for line in text.split("\n")]
    ranges = []
    for list_path in _record_paths(root, path.name, record_ids):
        start, end = record_line_range(lines, root, list_path)
        ranges.append((start + 1, end))
    return ranges


def _record_paths(root: Any, filename: str, record_ids: set[str]) -> list[tuple[str | int, ...]]:
    if not isinstance(root, dict):
        return []
    paths: list[tuple[str | int, ...]] = []
    if filename == TARGETS:
        for index, item in enumerate(root.get("targets") or []):
            if isinstance(item, dict) and str(item.get("id")) in record_ids:
                paths.append(("targets", index))
    elif filename == BUDGETS:
        for b_index, budget in enumerate(root.get("budgets") or []):
            allocations = budget.get("allocations") if isinstance(budget, dict) else None
            for a_index, item in enumerate(allocations or []):
                if isinstance(item, dict) and str(item.get("id")) in record_ids:
                    paths.append(("budgets", b_index, "allocations", a_index))
    return paths


def record_history(ledger: Ledger, ref: str | None, document_id: str | None = None) -> list[Any]:
    """Commits that changed the records ``ref`` names (all data files when None), newest first."""
    from . import gitstore

    files = [ledger.root / TARGETS, ledger.root / BUDGETS]
    gitstore.require_repository(ledger.root / TARGETS)
    if ref is None:
        return gitstore.file_history([*files, ledger.root / "policies.yaml"])
    wanted = set(resolve_records(ledger, ref, document_id))
    history = []
    for path in files:
        committed = gitstore.head_text(path)
        if committed is None:
            continue
        ranges = record_line_ranges(path, committed, wanted)
        history.extend(gitstore.line_history(path, ranges))
    history.sort(key=lambda entry: entry.date, reverse=True)
    return history


def resolve_since(data_dir: Path, since: str) -> tuple[str, str]:
    """``--since REV|DATE`` → (full commit id, short id). A date means the last commit before that day."""
    from datetime import date

    from . import gitstore

    anchor = data_dir / TARGETS
    gitstore.require_repository(anchor)
    try:
        day = date.fromisoformat(since)
    except ValueError:
        day = None
    commit = gitstore.last_commit_before(anchor, day.isoformat()) if day else gitstore.resolve(anchor, since)
    if commit is None:
        raise LedgerError(
            f"--since {since}: no commit before that date; give an earlier revision", exit_code=2
        )
    return commit, commit[:7]


def ledger_at(ledger: Ledger, commit: str) -> Ledger:
    """The ledger as committed in ``commit`` (its files read from git, its sources from today's data)."""
    import shutil
    import tempfile

    from . import gitstore
    from .loader import FILE_LAYOUT, load_ledger

    with tempfile.TemporaryDirectory(prefix="ledger-at-") as folder:
        root = Path(folder)
        for filename in FILE_LAYOUT:
            text = gitstore.file_at(ledger.root / filename, commit)
            if text is not None:
                (root / filename).write_text(text, encoding="utf-8")
        for document in ledger.documents:
            source = ledger.root / document.source
            if source.is_file():
                (root / document.source).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, root / document.source)
        old, _ = load_ledger(root)
    return old
