"""A cache of validated data, so that everyday commands skip parsing and checking unchanged files.

It holds the records and every finding of the last load, as JSON (never pickle), in the user's cache
folder, never in the working tree. It is keyed by the SHA-256 of the three data files and of every source
text, by the package version and by the day the date-dependent checks were run: a file edited in the same
second, or a clock that went backwards, still changes the key. Set ``LEDGER_NO_CACHE=1`` to bypass it and
``LEDGER_CACHE_DIR`` to move it. Output and exit codes are the same with or without it (tests prove it).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

from .amounts import ExactDecimal
from .problems import Problem, Severity, Source

FORMAT = 2
_FILES = ("policies.yaml", "targets.yaml", "budgets.yaml")


def cache_file(data_dir: Path) -> Path | None:
    """Where the cache of ``data_dir`` lives, or None when caching is switched off."""
    if os.environ.get("LEDGER_NO_CACHE"):
        return None
    base = os.environ.get("LEDGER_CACHE_DIR")
    if base:
        folder = Path(base)
    else:
        try:
            folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "policy-ledger"
        except RuntimeError:  # no home directory to speak of: run without a cache
            return None
    import hashlib

    name = hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:24]
    return folder / f"{name}.json"


def _digest(path: Path) -> str | None:
    import hashlib

    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _version() -> str:
    """The format, the package version and a fingerprint of the package's code: findings cached by one
    version of the checks must not answer for another, even between releases (an editable install)."""
    from . import __version__

    package = Path(__file__).parent
    stamps = sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in package.glob("*.py"))
    import hashlib

    code = hashlib.sha256(repr(stamps).encode()).hexdigest()[:16]
    return f"{FORMAT}/{__version__}/{code}"


@dataclass
class Entry:
    """A valid cache entry: its header, and the records of each document, parsed only when asked for.

    The file is one JSON header line, then one JSON chunk per document; ``ledger show --doc X`` on a
    ledger of a hundred documents reads one chunk instead of all of them.
    """

    header: dict[str, Any]
    body: bytes

    def records(self, document: str | None = None) -> dict[str, list[dict[str, Any]]]:
        """Every list's records (of one document, or of all in file order), as stored."""
        chunks = self.header["chunks"]
        wanted = [document] if document is not None else list(chunks)
        merged: dict[str, list[dict[str, Any]]] = {}
        for name in wanted:
            offset, length = chunks[name]
            for key, items in json.loads(self.body[offset : offset + length]).items():
                merged.setdefault(key, []).extend(items)
        if document is None:
            for items in merged.values():
                items.sort(key=lambda item: item["path"])
        return merged


def forget(data_dir: Path) -> None:
    """Drop the cache of ``data_dir`` (when it cannot be brought up to date, it must not be kept)."""
    path = cache_file(data_dir)
    if path is not None:
        path.unlink(missing_ok=True)


def read(data_dir: Path, today: date, expect: dict[str, str] | None = None) -> Entry | None:
    """The cached entry for ``data_dir`` if every file it was built from is unchanged, else None.

    ``expect`` names files whose digest is checked against a given value instead of the file on disk
    (a writer bringing the cache up to date after its own write).
    """
    path = cache_file(data_dir)
    if path is None:
        return None
    try:
        raw = path.read_bytes()
        head, _, body = raw.partition(b"\n")
        header = json.loads(head)
    except (OSError, ValueError):
        return None
    if (
        not isinstance(header, dict)
        or header.get("version") != _version()
        or header.get("today") != today.isoformat()
        or not isinstance(header.get("digests"), dict)
        or not isinstance(header.get("chunks"), dict)
    ):
        return None
    for name, digest in header["digests"].items():
        if (expect[name] if expect and name in expect else _digest(data_dir / name)) != digest:
            return None
    return Entry(header, body)


def rewrite_chunk(
    entry: Entry, document: str, lists: dict[str, list[Any]]
) -> dict[str, dict[str, list[Any]]]:
    """Every document's records as stored, with ``document``'s replaced by ``lists``."""
    records: dict[str, dict[str, list[Any]]] = {}
    for name, (offset, length) in entry.header["chunks"].items():
        records[name] = lists if name == document else json.loads(entry.body[offset : offset + length])
    return records


def write(data_dir: Path, header: dict[str, Any], records: dict[str, dict[str, list[Any]]]) -> None:
    """Store ``header`` and each document's ``records``; a cache that cannot be written is not kept."""
    path = cache_file(data_dir)
    if path is None:
        return
    chunks: dict[str, list[int]] = {}
    body = bytearray()
    for document, lists in records.items():
        chunk = json.dumps(lists, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        chunks[document] = [len(body), len(chunk)]
        body += chunk
    head = json.dumps({**header, "chunks": chunks}, ensure_ascii=False, separators=(",", ":"))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        from .yamlio import write_atomic

        write_atomic(path, head.encode("utf-8") + b"\n" + bytes(body))
    except OSError:
        pass


def header_for(
    data_dir: Path,
    today: date,
    digests: dict[str, str],
    sources: list[str],
    load_problems: list[Problem],
    check_problems: list[Problem],
    extra: dict[str, Any],
) -> dict[str, Any] | None:
    """A cache header, or None when a source text cannot be hashed (then nothing is cached)."""
    all_digests = dict(digests)
    for source in sources:
        digest = _digest(data_dir / source)
        if digest is None:
            return None
        all_digests[source] = digest
    if set(_FILES) - set(all_digests):
        return None
    return {
        "version": _version(),
        "today": today.isoformat(),
        "digests": all_digests,
        "load_problems": [_problem_data(p) for p in load_problems],
        "check_problems": [_problem_data(p) for p in check_problems],
        **extra,
    }


def _problem_data(problem: Problem) -> list[Any]:
    source = problem.source
    return [
        source.file,
        source.line,
        source.column,
        problem.severity.value,
        problem.code,
        problem.message,
        problem.hint,
    ]


def problems_from(data: list[list[Any]]) -> list[Problem]:
    return [
        Problem(Source(file, line, column), Severity(severity), code, message, hint)
        for file, line, column, severity, code, message, hint in data
    ]


# --- records: JSON out, models back without validating again -----------------------------------------

_NUMBER_FIELDS = frozenset({"value", "amount", "total"})
_DATE_FIELDS = frozenset({"date", "start", "end", "as_of", "deadline"})


def revive(value: Any, key: str = "") -> Any:
    """JSON values back to the models' types: exact numbers (as written) and dates."""
    if isinstance(value, dict):
        return {k: revive(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [revive(v, key) for v in value]
    if isinstance(value, str):
        if key in _NUMBER_FIELDS:
            if "/" in value:
                numerator, denominator = value.split("/")
                return Fraction(int(numerator), int(denominator))
            return ExactDecimal(value)
        if key in _DATE_FIELDS:
            return date.fromisoformat(value)
    return value
