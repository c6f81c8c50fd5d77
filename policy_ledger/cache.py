"""A cache of loaded records: a pure function of the data files' bytes and of the package's code.

An entry is named by its key, the SHA-256 of the three files' digests and of a fingerprint of the
package's code, and holds the records of a clean load with their places, as JSON (never pickle). It is
written whole and atomically, never updated in place, never holds findings (checks always run), and may
be deleted at any moment: a missing, foreign or damaged entry is a miss, never an error. It lives in the
user's cache folder (``platformdirs``); ``LEDGER_CACHE_DIR`` moves it, ``LEDGER_NO_CACHE=1`` turns it off.
Only the newest ``KEEP`` entries are kept.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, get_args, get_origin

from .amounts import ExactDecimal, parse_number
from .models import FILE_MODELS
from .problems import FileText, Place

if TYPE_CHECKING:
    from pydantic import BaseModel

    from .ledger import Ledger

#: The model of each list, to validate records as they come back.
_MODELS = {
    name: info.annotation.__args__[0]  # type: ignore[union-attr]
    for model in FILE_MODELS.values()
    for name, info in model.model_fields.items()
}


FORMAT = 5
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


def read(
    entry_key: str, files: dict[str, tuple[str, FileText]], document: str | tuple[str, ...] | None = None
) -> dict[str, list[Any]] | None:
    """The records of every list (of the documents named, when each is stored), with their places, or
    None on a miss. ``files`` gives each list's file as shown to the user, and the text it was loaded from.

    Stored records are validated again as they come back (the models are the gate, whatever the
    folder holds); what the cache saves is the parsing, which costs several times more.
    """
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
        named = (document,) if isinstance(document, str) else document or ()
        if named and all(name in chunks for name in named):
            wanted = list(dict.fromkeys(named))
        elif header["complete"] is True:
            wanted = list(chunks)
        else:
            return None  # an entry a writer left for the one document it wrote
        stored: dict[str, list[Any]] = {}
        for name in wanted:
            offset, length, checksum = chunks[name]
            chunk = body[offset : offset + length]
            if digest(chunk) != checksum:
                return None
            for list_key, items in json.loads(chunk, object_hook=_typed).items():
                stored.setdefault(list_key, []).extend(items)
        records: dict[str, list[Any]] = {}
        for list_key, items in stored.items():
            items.sort(key=lambda item: item[0])  # back into file order
            shown, text = files[list_key]
            records[list_key] = [_revive(list_key, item, shown, text) for item in items]
    except Exception:  # a damaged, foreign or forged entry is a miss, whatever is wrong with it
        return None
    if set(records) != set(files):
        return None  # every chunk has every list, if only empty
    return records


def write(entry_key: str, ledger: Ledger) -> None:
    """Store the ledger's records under ``entry_key``; a cache that cannot be written is not kept.

    A ledger of some documents only (a writer's, which loaded the one it writes to) makes an entry that
    answers for those documents only; a whole ledger's entry answers every question.
    """
    where = folder()
    if where is None:
        return
    documents: dict[str, dict[str, list[Any]]] = {}
    for list_key in _MODELS:
        for record in getattr(ledger, list_key):
            place = record.place
            owner = record.id if list_key == "documents" else record.document
            documents.setdefault(owner, {}).setdefault(list_key, []).append(
                [place.path[1], place.line, place.column, place.end, _raw(record)]
            )
    chunks: dict[str, list[Any]] = {}
    body = bytearray()
    for name, lists in documents.items():
        for list_key in _MODELS:
            lists.setdefault(list_key, [])
        chunk = json.dumps(lists, ensure_ascii=False, separators=(",", ":"), default=_stored).encode("utf-8")
        chunks[name] = [len(body), len(chunk), digest(chunk)]
        body += chunk
    header = {"chunks": chunks, "complete": ledger.complete}
    head = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
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


def _raw(value: Any) -> Any:
    """A record's fields as the model holds them (no serializer runs: ``2/3`` stays a Fraction)."""
    from pydantic import BaseModel

    if isinstance(value, BaseModel):
        return {name: _raw(getattr(value, name)) for name in type(value).model_fields}
    if isinstance(value, list):
        return [_raw(item) for item in value]
    return value


def _stored(value: Any) -> Any:
    """JSON for what the models hold besides JSON's own types: exact numbers keep their spelling."""
    if isinstance(value, Decimal):
        return {"$n": value.text if isinstance(value, ExactDecimal) else format(value, "f")}
    if isinstance(value, Fraction):
        return {"$f": [value.numerator, value.denominator]}
    if isinstance(value, date):
        return {"$d": value.isoformat()}
    raise TypeError(f"{type(value).__name__} cannot be stored")


def _typed(mapping: dict[str, Any]) -> Any:
    """The values ``_stored`` wrote, back as the types the models hold."""
    if len(mapping) == 1:
        if "$n" in mapping:
            return parse_number(mapping["$n"])
        if "$d" in mapping:
            return date.fromisoformat(mapping["$d"])
        if "$f" in mapping:
            numerator, denominator = mapping["$f"]
            return Fraction(int(numerator), int(denominator))
    return mapping


def _revive(list_key: str, item: list[Any], file: str, text: FileText) -> Any:
    """A record from its stored form, with its place. It was valid when stored and its chunk's checksum
    holds, so it is built without validating again (validation's first use in a process costs more
    than the whole of ``ledger show``); a stored form that does not fit its model is a miss."""
    index, line, column, end, data = item
    record = _construct(_MODELS[list_key], data)
    record._place = Place(file, (list_key, index), line, column, end, text)
    return record


def _construct(model: type[BaseModel], data: Any) -> Any:
    """``model`` and the models inside it from stored data; a missing or unknown field raises."""
    if not isinstance(data, dict):
        raise ValueError(f"{model.__name__}: not a mapping")
    fields = model.model_fields
    if set(data) - set(fields) or any(
        info.is_required() and name not in data for name, info in fields.items()
    ):
        raise ValueError(f"{model.__name__}: fields do not fit the model")
    for name, (many, inner) in _nested_models(model).items():
        value = data.get(name)
        if value is not None:
            data[name] = [_construct(inner, v) for v in value] if many else _construct(inner, value)
    return model.model_construct(**data)


@functools.cache
def _nested_models(model: type[BaseModel]) -> dict[str, tuple[bool, type[BaseModel]]]:
    """The fields of ``model`` that hold a model (False) or a list of models (True)."""
    from pydantic import BaseModel

    nested: dict[str, tuple[bool, type[BaseModel]]] = {}
    for name, info in model.model_fields.items():
        annotation = info.annotation
        many = get_origin(annotation) is list
        for candidate in get_args(annotation) or (annotation,):
            if many and get_origin(candidate) is Annotated:
                candidate = get_args(candidate)[0]
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                nested[name] = (many, candidate)
    return nested
