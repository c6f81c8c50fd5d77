"""Who changed a record's lines, when, and how: the git history behind ``ledger log``."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import gitstore
from .i18n import N_, _
from .ledger import Ledger
from .loader import BUDGETS, FILE_LAYOUT, INSTRUMENTS, POLICIES, TARGETS, empty_file, load_ledger
from .problems import LedgerError

if TYPE_CHECKING:
    from .changes import ChangeSet


def record_line_ranges(filename: str, raw: bytes, record_ids: set[str]) -> list[tuple[int, int]]:
    """1-based inclusive line ranges of the given records in ``raw`` (a version of ``filename``)."""
    from .yamlio import own_lines, parse

    parsed = parse(raw, fields=True)
    data = parsed.data if isinstance(parsed.data, dict) else {}
    lines = parsed.text.splitlines()
    ranges = []
    list_key = {TARGETS: "targets", INSTRUMENTS: "instruments"}.get(filename, "budgets")
    for index, item in enumerate(data.get(list_key) or []):
        span = parsed.records[(list_key, index)]
        if list_key != "budgets":  # a target or an instrument is a record of its own
            if isinstance(item, dict) and str(item.get("id")) in record_ids:
                ranges.append((span.line, own_lines(lines, span.line - 1, min(span.end, len(lines)))))
            continue
        allocations = item.get("allocations") if isinstance(item, dict) else None
        for position, allocation in enumerate(allocations if isinstance(allocations, list) else []):
            if isinstance(allocation, dict) and str(allocation.get("id")) in record_ids:
                first = span.fields[f"allocations.{position}"][0]
                following = span.fields.get(f"allocations.{position + 1}")
                end = following[0] - 1 if following else min(span.end, len(lines))
                ranges.append((first, own_lines(lines, first - 1, end)))
    return ranges


def record_history(ledger: Ledger, ref: str | None, document_id: str | None = None) -> list[Any]:
    """Commits that changed the records ``ref`` names (all data files when None), newest first."""
    files = [ledger.root / TARGETS, ledger.root / BUDGETS, ledger.root / INSTRUMENTS]
    gitstore.require_repository(ledger.root / TARGETS, _NO_HISTORY)
    if ref is None:
        return gitstore.file_history([*files, ledger.root / POLICIES])
    wanted = set(ledger.records_named(ref, document_id))
    history = []
    for path in files:
        committed = gitstore.bytes_at(path, "HEAD")
        if committed is None:
            continue
        ranges = record_line_ranges(path.name, committed, wanted)
        history.extend(gitstore.line_history(path, ranges))
    history.sort(key=lambda entry: entry.date, reverse=True)
    return history


#: what ``ledger log`` says outside git
_NO_HISTORY = N_("so it has no history to read; run the command in the ledger's git checkout")


def changes_since(ledger: Ledger, since: str, as_of: date) -> ChangeSet:
    """``--since DATE|REV``: what changed, with states judged on ``as_of`` before and after.

    A date (YYYY-MM-DD) means the progress reported since: the ledger is compared with itself without
    the entries dated on or after that day, so it needs no git history and works when every commit is
    newer than the date (entries are often committed long after the day they report). A git revision
    compares with the data as committed there, and so also lists corrections to the records.
    """
    from .changes import compare
    from .models import parse_day

    try:
        day = parse_day(since)
    except ValueError:
        commit = resolve_since(ledger.root, since)
        return compare(ledger_at(ledger, commit), ledger, as_of, since, commit[:7])
    until = ledger_before(ledger, as_of + timedelta(days=1))  # what is reported by the as-of date
    return compare(ledger_before(ledger, day), until, as_of, since, "")


def ledger_before(ledger: Ledger, day: date) -> Ledger:
    """The ledger without the progress entries dated on or after ``day`` (targets, allocations and
    instruments); every record as it is today."""

    def earlier(entries: list[Any]) -> list[Any]:
        return [entry for entry in entries if entry.as_of < day]

    return Ledger(
        root=ledger.root,
        documents=ledger.documents,
        areas=ledger.areas,
        measures=ledger.measures,
        targets=[t.model_copy(update={"progress": earlier(t.progress)}) for t in ledger.targets],
        budgets=[
            b.model_copy(
                update={
                    "allocations": [
                        a.model_copy(update={"progress": earlier(a.progress)}) for a in b.allocations
                    ]
                }
            )
            for b in ledger.budgets
        ],
        instruments=[i.model_copy(update={"progress": earlier(i.progress)}) for i in ledger.instruments],
    )


def resolve_since(data_dir: Path, revision: str) -> str:
    """``--since REV`` → the full commit id it names in the data's repository."""
    anchor = data_dir / TARGETS
    if not revision.strip():
        raise LedgerError(
            _("--since needs a date (YYYY-MM-DD) or a git revision, not an empty value"), exit_code=2
        )
    gitstore.require_repository(
        anchor,
        _("so --since {revision} names no commit; give a date (YYYY-MM-DD), which needs no git").format(
            revision=revision
        ),
    )
    commit = gitstore.resolve(data_dir, revision)
    if commit is None:
        raise LedgerError(
            _(
                "--since {revision}: not a date (YYYY-MM-DD) or a revision of this repository; give one"
            ).format(revision=revision),
            exit_code=2,
        )
    return commit


def ledger_at(ledger: Ledger, commit: str) -> Ledger:
    """The ledger as committed in ``commit``: its files' bytes come from git, nothing is written to disk,
    and its source texts are today's (a quote check is not what a comparison of versions is about)."""
    files: dict[str, Any] = {}
    for filename in FILE_LAYOUT:
        raw = gitstore.bytes_at(ledger.root / filename, commit)
        files[filename] = raw if raw is not None else empty_file(filename)
    old, _problems = load_ledger(ledger.root, files=files, use_cache=False)
    return old
