"""A cache of loaded records: a pure function of the data files' bytes and of the package's code.

An entry is named by its key, the SHA-256 of the three files' digests and of a fingerprint of the
package's code, and holds the records of a clean load with their places, as JSON (never pickle). It is
written whole and atomically, never updated in place, never holds findings (checks always run), and may
be deleted at any moment: a missing, foreign or damaged entry is a miss, never an error. It lives in the
user's cache folder (``platformdirs``); ``LEDGER_CACHE_DIR`` moves it, ``LEDGER_NO_CACHE=1`` turns it off.
Only the newest ``KEEP`` entries are kept.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args

if TYPE_CHECKING:
    from pydantic import BaseModel

    from .ledger import Ledger

_MODELS: dict[str, type[BaseModel]] = {}

FORMAT = 3
#: Entries kept: a few branches or versions of a few ledgers, and none piling up.
KEEP = 16


def digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def folder() -> Path | None:
    """Where entries live, or None when caching is switched off or there is no home to keep them in."""
    if os.environ.get("LEDGER_NO_CACHE"):
        return None
    if os.environ.get("LEDGER_CACHE_DIR"):
        return Path(os.environ["LEDGER_CACHE_DIR"])
    try:
        from platformdirs import user_cache_dir

        return Path(user_cache_dir("policy-ledger", appauthor=False))
    except (RuntimeError, KeyError, OSError):
        return None


def _code_fingerprint() -> str:
    """Records loaded by one version of the models must not answer for another, even between releases
    (an editable install): every module's name, size and modification time are part of the key."""
    package = Path(__file__).parent
    stamps = sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in package.glob("*.py"))
    return f"{FORMAT}/{stamps!r}"


def key(digests: dict[str, str]) -> str:
    material = _code_fingerprint() + "".join(f"/{name}={digests[name]}" for name in sorted(digests))
    return digest(material.encode())


def read(entry_key: str, files: dict[str, str], document: str | None = None) -> dict[str, list[Any]] | None:
    """The records of every list (of one document when named and stored), with their places, or None
    on a miss. ``files`` names each list's file as shown to the user."""
    where = folder()
    if where is None:
        return None
    try:
        from .fileio import MAX_DATA_BYTES, read_regular

        head, _, body = read_regular(where / f"{entry_key}.json", 4 * MAX_DATA_BYTES).partition(b"\n")
        header = json.loads(head)
        chunks = header["chunks"]
        if not isinstance(chunks, dict) or not chunks:
            return None
        wanted = [document] if document in chunks else list(chunks)
        stored: dict[str, list[Any]] = {}
        for name in wanted:
            offset, length, checksum = chunks[name]
            chunk = body[offset : offset + length]
            if digest(chunk) != checksum:
                return None
            for list_key, items in json.loads(chunk).items():
                stored.setdefault(list_key, []).extend(items)
        records: dict[str, list[Any]] = {}
        for list_key, items in stored.items():
            items.sort(key=lambda item: item[0])  # back into file order
            records[list_key] = [_revive(list_key, item, files[list_key]) for item in items]
    except Exception:  # a damaged or foreign entry is a miss, whatever is wrong with it
        return None
    return records


def write(entry_key: str, ledger: Ledger) -> None:
    """Store the ledger's records under ``entry_key``; a cache that cannot be written is not kept."""
    where = folder()
    if where is None:
        return
    documents: dict[str, dict[str, list[Any]]] = {}
    for list_key in ("documents", "areas", "measures", "targets", "budgets"):
        for record in getattr(ledger, list_key):
            place = record.place
            owner = record.id if list_key == "documents" else record.document
            stored = [
                place.path[1],
                place.line,
                place.column,
                place.end,
                place.fields,
                record.model_dump(mode="json"),
            ]
            documents.setdefault(owner, {}).setdefault(list_key, []).append(stored)
    chunks: dict[str, list[Any]] = {}
    body = bytearray()
    for name, lists in documents.items():
        chunk = json.dumps(lists, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        chunks[name] = [len(body), len(chunk), digest(chunk)]
        body += chunk
    head = json.dumps({"chunks": chunks}, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    try:
        from .fileio import write_output

        where.mkdir(parents=True, exist_ok=True)
        write_output(where / f"{entry_key}.json", head + b"\n" + bytes(body))
        _prune(where)
    except Exception:  # a cache is an optimisation: failing to keep one is never an error
        pass


def _prune(where: Path) -> None:
    entries = sorted(where.glob("*.json"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in entries[KEEP:]:
        old.unlink(missing_ok=True)


def _revive(list_key: str, item: list[Any], file: str) -> Any:
    """A record from its stored form, with its place: it was valid when stored, so it is not validated
    again (that is the cache's whole gain)."""
    from .problems import Place

    index, line, column, end, fields, data = item
    record = _construct(list_key, data)
    record._place = Place(
        file, (list_key, index), line, column, end, {k: (v[0], v[1]) for k, v in fields.items()}
    )
    return record


_NUMBER_FIELDS = frozenset({"value", "amount", "total"})
_DATE_FIELDS = frozenset({"date", "start", "end", "as_of", "deadline"})


def _plain(value: Any, key: str = "") -> Any:
    """JSON values back to the models' types: exact numbers (as written) and dates."""
    if isinstance(value, dict):
        return {k: _plain(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v, key) for v in value]
    if isinstance(value, str):
        if key in _NUMBER_FIELDS:
            if "/" in value:
                numerator, denominator = value.split("/")
                return Fraction(int(numerator), int(denominator))
            from .amounts import parse_number

            return parse_number(value)
        if key in _DATE_FIELDS:
            return date.fromisoformat(value)
    return value


def _construct(list_key: str, data: dict[str, Any]) -> Any:
    """A model and its nested models from stored data, without validation."""
    from .models import (
        FILE_MODELS,
        Allocation,
        Budget,
        Document,
        OverallBudget,
        Period,
        ProgressEntry,
        Target,
    )

    model = _MODELS.get(list_key)
    if model is None:
        _MODELS.update(
            {
                name: get_args(info.annotation)[0]
                for m in FILE_MODELS.values()
                for name, info in m.model_fields.items()
            }
        )
        model = _MODELS[list_key]
    data = _plain(data)
    if model is Document:
        data["period"] = Period.model_construct(**data["period"])
        if data.get("overall_budget") is not None:
            data["overall_budget"] = OverallBudget.model_construct(**data["overall_budget"])
    elif model is Target:
        data["progress"] = [ProgressEntry.model_construct(**e) for e in data.get("progress", [])]
    elif model is Budget:
        data["allocations"] = [
            Allocation.model_construct(
                **{**a, "progress": [ProgressEntry.model_construct(**e) for e in a.get("progress", [])]}
            )
            for a in data["allocations"]
        ]
    return model.model_construct(**data)
