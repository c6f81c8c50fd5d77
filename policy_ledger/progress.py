"""Validated, atomic, exclusive write-back of progress entries, committed to git one entry at a time.

A write never re-serialises the whole file. The record's own lines are cut out, passed through the
ruamel.yaml round trip (so its comments, quoting and key order survive), extended with the entry and put
back; every other byte of the file stays as it was. Before anything reaches the disk the new text is
checked; after, the file is read back and verified, and on any failure (including a failed commit) the
original bytes are restored.
"""

from __future__ import annotations

import contextlib
import difflib
import fcntl
import os
import re
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from .amounts import MONEY_UNITS, convert, format_amount, format_number
from .checks import entry_kind_problem, progress_date_problem
from .ledger import Ledger
from .loader import BUDGETS, TARGETS, load_ledger
from .models import MilestoneStatus, Period, ProgressEntry
from .problems import LedgerError, Severity
from .queries import pick_document
from .yamlio import (
    dump_yaml,
    file_digest,
    locate_item,
    make_yaml,
    new_mapping,
    new_sequence,
    record_line_range,
    write_atomic,
)

LOCK_TIMEOUT_SECONDS = 30.0
#: A note or source is a line of context, not a document; longer text belongs in the source it names.
MAX_TEXT_CHARS = 500
#: Characters YAML (or a reader) treats as line breaks besides \n and \r.
_LINE_BREAKS = ("\x85", "\u2028", "\u2029")
_BOM = "\ufeff"
_BOM_BYTES = _BOM.encode("utf-8")
_VALUE = re.compile(r"^\s*([+-]?\d+(?:\.\d+)?)\s*(\S*)\s*$")


class ProgressRefused(LedgerError):
    """The entry was not written: the request does not fit the data (exit code 2) or the file (1)."""


@dataclass(frozen=True)
class ProgressRequest:
    """One entry as the user asked for it, before it is checked against its record."""

    record_id: str
    as_of: str
    value: str | None = None
    unit: str | None = None
    status: MilestoneStatus | None = None
    note: str | None = None
    source: str | None = None
    replace: bool = False
    document: str | None = None  # needed only when the ledger holds several documents


@dataclass
class ProgressResult:
    record_id: str
    entry: ProgressEntry
    path: Path
    diff: str
    message: str  # the commit message, also a one-line summary for the user
    commit: str | None = None
    written: bool = False
    replaced: ProgressEntry | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class EntryOwner:
    """The record an entry is added to, and what its entries must fit."""

    record_id: str
    label: str
    filename: str
    list_path: tuple[str | int, ...]  # path of the record in the YAML tree
    unit: str | None
    milestone: bool
    due: date
    period: Period
    entries: list[ProgressEntry]
    verb: str  # "as of" for targets, "paid out as of" for allocations
    record: Any = None  # the top-level record the entries belong to (the budget, for an allocation)
    limit: Decimal | None = None  # an allocation's amount: paid out beyond it is a warning (L018)


def record_progress(
    data_dir: Path,
    request: ProgressRequest,
    *,
    commit: bool = True,
    dry_run: bool = False,
    today: date | None = None,
) -> ProgressResult:
    """Check, write, verify and (by default) commit one progress entry; never leaves a half-done file."""
    today = today or date.today()
    with _exclusive(data_dir):
        for _attempt in range(3):
            ledger, problems = load_ledger(data_dir, today=today, document=request.document)
            path = data_dir / (BUDGETS if request.record_id.startswith("B") else TARGETS)
            _refuse_if_file_broken(problems, path)
            owner = find_owner(ledger, request.record_id, request.document)
            entry, replaced = _build_entry(request, owner, today)
            old_bytes = path.read_bytes()
            if file_digest(old_bytes) != ledger.file_digests.get(path.name):
                continue  # changed since it was read: plan again from its new text
            old_text = old_bytes.decode("utf-8-sig")
            splice = insert_entry(old_text, owner, entry, replaced)
            new_text = _BOM * old_bytes.startswith(_BOM_BYTES) + splice.text
            result = ProgressResult(
                record_id=request.record_id,
                entry=entry,
                path=path,
                diff="",
                message=_commit_message(request.record_id, owner, entry, replaced),
                replaced=replaced,
            )
            if dry_run:
                result.diff = _unified_diff(path, old_text, splice)
                return result
            if commit:
                _refuse_unsafe_repository(path)
            if path.read_bytes() != old_bytes:
                continue  # an editor saved the file while we planned: plan again from its new text
            _refuse_read_only(path)
            _remove_stale_temporaries(path)
            _write_verified(path, old_bytes, new_text, splice, owner, entry, replaced)
            result.written = True
            if commit:
                result.commit = _commit_or_restore(path, old_bytes, result.message)
            _bring_cache_up_to_date(ledger, owner, entry, replaced, path, new_text, splice, today)
            return result
    raise ProgressRefused(
        f"{path.name} kept changing while the entry was being written; close the editor and try again"
    )


@contextlib.contextmanager
def _exclusive(data_dir: Path) -> Iterator[None]:
    """Hold the ledger's write lock (on the data directory itself): a second writer waits its turn.

    Locking the directory rather than a lock file leaves nothing behind for git to see.
    """
    try:
        descriptor = os.open(data_dir, os.O_RDONLY)
    except OSError as exc:
        raise ProgressRefused(f"{data_dir}: cannot open the data directory ({exc.strerror})") from exc
    deadline = time.monotonic() + LOCK_TIMEOUT_SECONDS
    try:
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise ProgressRefused(
                        f"another ledger write has held {data_dir} for {LOCK_TIMEOUT_SECONDS:.0f} s; "
                        "try again when it has finished"
                    ) from None
                time.sleep(0.05)
        yield
    finally:
        os.close(descriptor)  # closing the descriptor releases the lock


def find_owner(ledger: Ledger, record_id: str, document_id: str | None = None) -> EntryOwner:
    """The target or allocation ``record_id`` names (in ``document_id`` when the ledger holds several)."""
    doc = pick_document(ledger, document_id)
    document = ledger.document(doc)
    target = next((t for t in ledger.targets if t.id == record_id and t.document == doc), None)
    if target is not None and document is not None:
        path = ledger.path_of(target)
        if path is not None:
            return EntryOwner(
                record_id=record_id,
                label=f"target {record_id}",
                filename=TARGETS,
                list_path=path,
                unit=target.unit,
                milestone=target.is_milestone,
                due=ledger.due(target),
                period=document.period,
                entries=target.progress,
                verb="as of",
                record=target,
            )
    for budget in ledger.budgets:
        if budget.document != doc or document is None:
            continue
        for a_index, allocation in enumerate(budget.allocations):
            path = ledger.path_of(budget)
            if allocation.id == record_id and path is not None:
                return EntryOwner(
                    record_id=record_id,
                    label=f"allocation {record_id}",
                    filename=BUDGETS,
                    list_path=(*path, "allocations", a_index),
                    unit=budget.unit_of(allocation),
                    milestone=False,
                    due=document.period.end,
                    period=document.period,
                    entries=allocation.progress,
                    verb="paid out as of",
                    record=budget,
                    limit=allocation.amount,
                )
    raise ProgressRefused(_unknown_id_message(ledger, record_id), exit_code=2)


def _unknown_id_message(ledger: Ledger, record_id: str) -> str:
    prefix = record_id.split(".")[0]
    siblings = [t.id for t in ledger.targets if t.id.split(".")[0] == prefix]
    siblings += [a.id for b in ledger.budgets for a in b.allocations if a.id.split(".")[0] == prefix]
    if siblings:
        hint = f"ids starting with {prefix}. are {', '.join(siblings)}"
    else:
        hint = (
            'ids look like "17.1" (a measure\'s target), "A3.1" (an area\'s goal) or "B1.2" (an allocation)'
        )
    return f"no target or allocation '{record_id}' (or it has errors: run `ledger validate`); {hint}"


def _refuse_if_file_broken(problems: list[Any], path: Path) -> None:
    broken = [
        p
        for p in problems
        if p.severity is Severity.ERROR
        and Path(p.source.file).name == path.name
        and p.code in {"L001", "L002"}
    ]
    if broken:
        first = broken[0]
        raise ProgressRefused(
            f"{first.source}: {first.message}; fix {path.name} (run `ledger validate`) before adding entries"
        )


def _build_entry(
    request: ProgressRequest, owner: EntryOwner, today: date
) -> tuple[ProgressEntry, ProgressEntry | None]:
    as_of = _parse_date(request.as_of)
    value = unit = None
    if owner.milestone:
        if request.value is not None:
            raise ProgressRefused(
                f"{owner.label} is a milestone: record --done or --status in_progress|done|dropped, "
                "not --value",
                exit_code=2,
            )
        if request.status is None:
            raise ProgressRefused(f"{owner.label} is a milestone: give --done or --status", exit_code=2)
    else:
        if request.status is not None:
            raise ProgressRefused(
                f"{owner.label} has a value to reach: give --value in {owner.unit or 'its unit'}, "
                "not a status",
                exit_code=2,
            )
        if request.value is None:
            raise ProgressRefused(
                f"{owner.label} needs --value (a number in {owner.unit or 'its unit'})", exit_code=2
            )
        value, unit = _parse_value(request.value, request.unit, owner)
    replaced = next((e for e in owner.entries if e.as_of == as_of), None)
    note = _clean_text(request.note, "--note")
    source = _clean_text(request.source, "--source")
    if replaced is not None and request.replace:  # a correction keeps the words it does not correct
        note = note if note is not None else replaced.note
        source = source if source is not None else replaced.source
    entry = ProgressEntry(
        as_of=as_of, value=value, unit=unit, status=request.status, note=note, source=source
    )
    kind = entry_kind_problem(entry, owner.unit, owner.milestone)
    if kind:
        raise ProgressRefused(f"{owner.label} {kind[0]}; {kind[1]}", exit_code=2)
    problem = progress_date_problem(as_of, owner.due, owner.period, today)
    if problem:
        raise ProgressRefused(f"{owner.label}: {problem}; check --as-of", exit_code=2)
    if replaced is not None and not request.replace:
        raise ProgressRefused(
            f"{owner.label} already has an entry as of {as_of} "
            f"({_describe(replaced, owner.unit)}); pass --replace to correct it",
            exit_code=2,
        )
    return entry, replaced


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ProgressRefused(
            f"--as-of '{text}' is not a date; write YYYY-MM-DD, e.g. 2023-06-30", exit_code=2
        ) from None


def _parse_value(text: str, unit_option: str | None, owner: EntryOwner) -> tuple[Decimal, str | None]:
    """``23.5``, ``23.5亿元`` or ``--value 23.5 --unit 亿元``; the unit must be the record's own."""
    match = _VALUE.match(text)
    if not match:
        raise ProgressRefused(
            f"--value '{text}' is not a number; write it like 23.5 or 23.5{owner.unit or ''}", exit_code=2
        )
    try:
        value = Decimal(match.group(1))
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        raise ProgressRefused(f"--value '{text}' is not a number", exit_code=2) from None
    written_unit = match.group(2) or None
    if written_unit and unit_option and written_unit != unit_option:
        raise ProgressRefused(
            f"--value says {written_unit} but --unit says {unit_option}; give the unit once", exit_code=2
        )
    unit = written_unit or unit_option or owner.unit
    if unit != owner.unit:
        hint = "give the value in that unit"
        if unit in MONEY_UNITS and owner.unit in MONEY_UNITS:
            converted = convert(value, unit, owner.unit)
            hint = f"{format_amount(value, unit)} is --value {format_number(converted)}"
        raise ProgressRefused(
            f"{owner.label} is measured in {owner.unit or '(no unit)'}, not {unit}; {hint}", exit_code=2
        )
    if value < 0:
        raise ProgressRefused(f"--value {text} is negative; progress is a cumulative reading", exit_code=2)
    return value, owner.unit


def _clean_text(text: str | None, option: str) -> str | None:
    if text is None:
        return None
    cleaned = text.strip()
    if not cleaned:
        return None
    if len(cleaned) > MAX_TEXT_CHARS:
        raise ProgressRefused(
            f"{option} is {len(cleaned)} characters long; keep it under {MAX_TEXT_CHARS} "
            "and put the details in the document it comes from",
            exit_code=2,
        )
    if any(ord(ch) < 32 and ch not in "\t" for ch in cleaned) or any(ch in cleaned for ch in _LINE_BREAKS):
        raise ProgressRefused(
            f"{option} contains a line break or control character; keep it to one line", exit_code=2
        )
    return cleaned


def _describe(entry: ProgressEntry, unit: str | None) -> str:
    if entry.value is None:
        return str(entry.status)
    return format_amount(entry.value, unit)


def _commit_message(
    record_id: str, owner: EntryOwner, entry: ProgressEntry, replaced: ProgressEntry | None
) -> str:
    message = f"progress({record_id}): {_describe(entry, owner.unit)} {owner.verb} {entry.as_of.isoformat()}"
    if replaced is not None:
        message += f" (replaces {_describe(replaced, owner.unit)})"
    return message


# --- the text surgery -------------------------------------------------------------------------------


def _entry_map(entry: ProgressEntry) -> Any:
    """The entry as a YAML mapping in the house order: date, reading, then the optional words."""
    fields: list[tuple[str, Any]] = [("as_of", entry.as_of)]
    if entry.value is not None:
        fields.append(("value", entry.value))
        if entry.unit is not None:
            fields.append(("unit", entry.unit))
    if entry.status is not None:
        fields.append(("status", entry.status))
    fields += [
        (name, getattr(entry, name)) for name in ("note", "source") if getattr(entry, name) is not None
    ]
    return new_mapping(fields)


@dataclass(frozen=True)
class Splice:
    """A file's new text and where it differs: old lines [start, old_end) became [start, new_end)."""

    text: str
    start: int
    old_end: int
    new_end: int
    shift: int  # how far the record is indented beyond the house style's top-level "  - "


def insert_entry(
    old_text: str, owner: EntryOwner, entry: ProgressEntry, replaced: ProgressEntry | None
) -> Splice:
    """The file's text with ``entry`` added to (or replacing an entry of) the record; nothing else moves.

    The record's lines are found by their indentation (``locate_item``), cut out, read back through the
    round trip and checked to be that record; only a file that defeats the scan is parsed whole.
    """
    newline = "\r\n" if "\r\n" in old_text else "\n"
    lines = old_text.splitlines(keepends=True)
    plain = [line.rstrip("\r\n") for line in lines]
    found = locate_item(plain, owner.list_path)
    record_list = _record_block(plain, found, owner) if found else None
    if record_list is None:
        found = record_line_range(plain, make_yaml().load(old_text), owner.list_path)
        record_list = _record_block(plain, found, owner)
    if record_list is None:
        raise ProgressRefused(
            f"{owner.filename}: {owner.label} could not be found where the data says it is; "
            "run `ledger validate`"
        )
    start, end = found
    shift = _indent(plain[start]) - 2
    record = record_list[0]
    new_entry = _entry_map(entry)
    if "progress" not in record or record["progress"] is None:
        record["progress"] = new_sequence()
    entries = record["progress"]
    if replaced is not None:
        position = next(i for i, e in enumerate(entries) if e.get("as_of") == replaced.as_of)
        entries[position] = new_entry
    else:
        entries.append(new_entry)
    new_block = dump_yaml(record_list)
    new_lines = [(" " * shift + line if line else line) + newline for line in new_block.split("\n")[:-1]]
    if end == len(lines) and lines and not lines[-1].endswith(("\n", "\r")):
        new_lines[-1] = new_lines[-1].rstrip("\r\n")
    _check_change_is_only_the_entry(
        plain[start:end], [ln.rstrip("\r\n") for ln in new_lines], replaced, owner
    )
    text = "".join(lines[:start] + new_lines + lines[end:])
    return Splice(text, start, end, start + len(new_lines), shift)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _record_block(plain: list[str], found: tuple[int, int], owner: EntryOwner) -> Any:
    """The record's lines as a round-trip list of one mapping, if they are the record and in house style."""
    start, end = found
    shift = _indent(plain[start]) - 2
    if shift < 0 or any(line.strip() and not line.startswith(" " * shift) for line in plain[start:end]):
        return None
    block = "".join(line[shift:] + "\n" for line in plain[start:end])
    try:
        record_list = make_yaml().load(block)
    except Exception:
        return None
    if not isinstance(record_list, list) or len(record_list) != 1 or not isinstance(record_list[0], dict):
        return None
    if str(record_list[0].get("id")) != owner.record_id:
        return None
    if dump_yaml(record_list) != block:
        raise ProgressRefused(
            f"{owner.filename}:{start + 1}: {owner.label} is not laid out in the house style, so an entry "
            "cannot be added without rewriting it; compare it with its neighbours"
        )
    return record_list


def _unified_diff(path: Path, old_text: str, splice: Splice, context: int = 3) -> str:
    """The change as ``git diff`` shows it, computed on the record's lines alone (a file of thousands
    of records would make a whole-file diff the slowest part of a dry run)."""
    old_lines = old_text.splitlines(keepends=True)
    new_lines = splice.text.splitlines(keepends=True)
    begin = max(splice.start - context, 0)
    old_window = old_lines[begin : splice.old_end + context]
    new_window = new_lines[begin : splice.new_end + context]
    diff = list(
        difflib.unified_diff(old_window, new_window, fromfile=f"a/{path.name}", tofile=f"b/{path.name}")
    )
    return "".join(_shift_hunk(line, begin) for line in diff)


def _shift_hunk(line: str, offset: int) -> str:
    """Move a hunk header's line numbers from the window to the file."""
    match = re.match(r"^@@ -(\d+)(,\d+)? \+(\d+)(,\d+)? @@", line)
    if not match:
        return line
    old_start, old_count, new_start, new_count = match.groups()
    return (
        f"@@ -{int(old_start) + offset}{old_count or ''} +{int(new_start) + offset}{new_count or ''} @@"
        + line[match.end() :]
    )


def _bring_cache_up_to_date(
    ledger: Ledger,
    owner: EntryOwner,
    entry: ProgressEntry,
    replaced: ProgressEntry | None,
    path: Path,
    new_text: str,
    splice: Splice,
    today: date,
) -> None:
    """Tell the cache about the entry just written, so that the next command need not reload it all."""
    from . import cache
    from .loader import note_write

    if replaced is not None:
        owner.entries[owner.entries.index(replaced)] = entry
    else:
        owner.entries.append(entry)
    latest = max(owner.entries, key=lambda e: e.as_of)
    if owner.record is None or (
        owner.limit is not None and latest.value is not None and latest.value > owner.limit
    ):
        cache.forget(ledger.root)  # a new finding (L018) that the cached findings do not hold
        return
    note_write(
        ledger,
        path.name,
        file_digest(new_text.encode("utf-8")),
        owner.record,
        (splice.start, splice.old_end, splice.new_end),
        today,
    )


def _write_verified(
    path: Path,
    old_bytes: bytes,
    new_text: str,
    splice: Splice,
    owner: EntryOwner,
    entry: ProgressEntry,
    replaced: ProgressEntry | None,
) -> None:
    """Write atomically, read back, and restore the original bytes unless exactly the entry changed."""
    try:
        write_atomic(path, new_text)
    except OSError as exc:
        raise ProgressRefused(
            f"cannot write {path.name}: {exc.strerror or exc}; nothing was written, the file is as it was"
        ) from exc
    try:
        problem = _verify_on_disk(path, old_bytes, new_text, splice, owner, entry, replaced)
    except BaseException:
        write_atomic(path, old_bytes)
        raise
    if problem:
        write_atomic(path, old_bytes)
        raise ProgressRefused(f"{path.name}: {problem}; the file was restored unchanged")


def _check_change_is_only_the_entry(
    old_lines: list[str], new_lines: list[str], replaced: ProgressEntry | None, owner: EntryOwner
) -> None:
    """Within the record, an added entry is one run of inserted lines; a replacement stays inside it."""
    if replaced is not None:
        return  # the entry's own lines change; _verify_on_disk checks the entries read back
    first = next(
        (i for i, (a, b) in enumerate(zip(old_lines, new_lines, strict=False)) if a != b), len(old_lines)
    )
    added = len(new_lines) - len(old_lines)
    if (
        added <= 0
        or new_lines[:first] != old_lines[:first]
        or new_lines[first + added :] != old_lines[first:]
    ):
        raise ProgressRefused(
            f"{owner.filename}: adding the entry would change other lines; nothing was written"
        )


def _verify_on_disk(
    path: Path,
    old_bytes: bytes,
    new_text: str,
    splice: Splice,
    owner: EntryOwner,
    entry: ProgressEntry,
    replaced: ProgressEntry | None,
) -> str | None:
    """The bytes on disk are the new text, everything outside the record is the old text, and the record
    read back through the round trip holds exactly the intended entries."""
    written_bytes = path.read_bytes()
    if written_bytes != new_text.encode("utf-8"):
        return "the file read back differs from what was written"
    old_lines = old_bytes.decode("utf-8-sig").splitlines(keepends=True)
    new_lines = written_bytes.decode("utf-8-sig").splitlines(keepends=True)
    if new_lines[: splice.start] != old_lines[: splice.start] or (
        new_lines[splice.new_end :] != old_lines[splice.old_end :]
    ):
        return "lines outside the record changed"
    block = "".join(
        line.rstrip("\r\n")[splice.shift :] + "\n" for line in new_lines[splice.start : splice.new_end]
    )
    loaded = make_yaml().load(block)
    written = [ProgressEntry.model_validate(item) for item in loaded[0].get("progress") or []]
    expected = [e for e in owner.entries if replaced is None or e.as_of != replaced.as_of] + [entry]
    if sorted(written, key=_entry_key) != sorted(expected, key=_entry_key):
        return f"the entries of {owner.label} read back differ from the intended ones"
    return None


def _entry_key(entry: ProgressEntry) -> tuple[str, str]:
    return (entry.as_of.isoformat(), entry.model_dump_json())


def _refuse_read_only(path: Path) -> None:
    """Honour a read-only data file: an atomic rename would replace it regardless of its mode."""
    if not path.stat().st_mode & stat.S_IWUSR:
        raise ProgressRefused(
            f"{path.name} is read-only; make it writable (chmod u+w {path.name}) to record progress"
        )


def _remove_stale_temporaries(path: Path) -> None:
    """Temporary files a killed writer left behind; under the lock no live writer owns one."""
    for stale in path.parent.glob(f".{path.name}.*.tmp"):
        stale.unlink(missing_ok=True)


def _refuse_unsafe_repository(path: Path) -> None:
    from . import gitstore

    gitstore.require_repository(path)
    reason = gitstore.state_problem(path)
    if reason:
        raise ProgressRefused(f"{reason}; nothing was written")
    if gitstore.uncommitted_changes(path):
        raise ProgressRefused(
            f"{path.name} has uncommitted edits, and the entry's commit must hold the entry alone; "
            "commit or stash them first, or pass --no-commit to write without committing"
        )


def _commit_or_restore(path: Path, old_bytes: bytes, message: str) -> str:
    from . import gitstore

    try:
        return gitstore.commit_file(path, message)
    except BaseException as exc:
        write_atomic(path, old_bytes)
        if isinstance(exc, gitstore.GitError):
            raise ProgressRefused(f"{exc.message}; the file was restored, nothing was recorded") from exc
        raise
