"""Files → records + problems. Never raises on bad user data.

Each record is validated on its own, so one bad record never hides another: a record that fails its
model becomes problems (at its YAML line) and is left out of the ledger, and the rest load. Every record
that loads carries its place (``record.place``). Loading never runs the checks (``checks`` does that),
and only a broken environment (no data directory, an unreadable folder) raises ``LedgerError``.

A clean load is stored in the cache of loaded records (``cache``) under the hash of the three files'
bytes, and the next load of the same bytes is answered from there without parsing or validating again.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args

from pydantic import ValidationError

from .ledger import Ledger
from .models import FILE_MODELS, OPTIONAL_FILES, Record
from .problems import FileText, LedgerError, Place, Problem, Severity, Source

if TYPE_CHECKING:  # the reader is imported only when a file is parsed: a cached load never needs it
    from .yamlio import YamlFile

DATA_ENV = "LEDGER_DATA"
POLICIES = "policies.yaml"
TARGETS = "targets.yaml"
BUDGETS = "budgets.yaml"
INSTRUMENTS = "instruments.yaml"

#: Which lists each file holds, and the model of their records, read from the file models (which the
#: JSON Schema also comes from). Order is the order of checking.
FILE_LAYOUT: dict[str, dict[str, type[Record]]] = {
    name: {key: get_args(info.annotation)[0] for key, info in model.model_fields.items()}
    for name, model in FILE_MODELS.items()
}
#: The file that holds each list.
LIST_FILES = {key: filename for filename, layout in FILE_LAYOUT.items() for key in layout}
RECORD_NAMES = {
    "documents": "document",
    "areas": "area",
    "measures": "measure",
    "targets": "target",
    "budgets": "budget",
    "instruments": "instrument",
}


def find_data_dir(explicit: Path | None = None, start: Path | None = None) -> Path:
    """``--data DIR``, else ``$LEDGER_DATA``, else the nearest ``data/`` with policies.yaml upward."""
    if explicit is None and os.environ.get(DATA_ENV):
        explicit = Path(os.environ[DATA_ENV])
    if explicit is not None:
        if not (explicit / POLICIES).is_file():
            raise LedgerError(
                f"{explicit}: no {POLICIES} there; point --data (or ${DATA_ENV}) at the ledger's "
                "data directory",
                exit_code=2,
            )
        return explicit
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        for candidate in (folder / "data", folder):
            if (candidate / POLICIES).is_file():
                return candidate
    raise LedgerError(
        f"no ledger data found: no data/{POLICIES} in {here} or above it; run inside a ledger "
        f"checkout or pass --data DIR (or set ${DATA_ENV})",
        exit_code=2,
    )


def display_path(path: Path) -> str:
    """The path as the user would type it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):  # outside the working folder, or a link loop
        return str(path)


def read_files(data_dir: Path) -> dict[str, bytes | Problem]:
    """The bytes of each data file, or the problem that stops it being read as data."""
    from .fileio import MAX_DATA_BYTES, FileRefused, read_regular

    if not data_dir.is_dir():
        raise LedgerError(
            f"{data_dir}: not a folder; point --data at the ledger's data directory", exit_code=2
        )
    files: dict[str, bytes | Problem] = {}
    for name in FILE_LAYOUT:
        path = data_dir / name
        shown = display_path(path)
        if not path.exists() and not path.is_symlink():
            if name in OPTIONAL_FILES:  # a ledger begun before the file existed: its lists are empty
                files[name] = empty_file(name)
                continue
            files[name] = _error(Source(shown), "L001", "file is missing", "restore it from git")
            continue
        try:
            files[name] = read_regular(path, MAX_DATA_BYTES)
        except FileRefused as exc:
            reason, _, hint = str(exc).removeprefix(f"{path}: ").partition("; ")
            files[name] = _error(Source(shown), "L001", reason, hint or "restore the file from git")
    return files


def empty_file(name: str) -> bytes:
    """What an optional file that is not there holds: each of its lists, empty."""
    return "".join(f"{key}: []\n" for key in FILE_LAYOUT[name]).encode()


@contextmanager
def bulk_read() -> Iterator[None]:
    """Hold back the cyclic garbage collector while a ledger is read.

    A read builds hundreds of thousands of small objects (nodes, dicts, records), none of them in a
    cycle. Each collection the allocations trigger walks every object built so far and frees nothing:
    at 100 times the real data that was most of ``ledger validate``'s time (bench/speed.py). Reference
    counting still frees what the read drops, and collection resumes when the read is done.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_ledger(
    data_dir: Path,
    *,
    use_cache: bool = True,
    document: str | None = None,
    files: dict[str, bytes | Problem] | None = None,
    keep: bool = True,
) -> tuple[Ledger, list[Problem]]:
    """Read and validate the three files; never raises on bad data.

    ``files`` are the files' bytes when the caller has read them already (a writer under its lock, a
    version from git); otherwise they are read now. ``document`` (an id the user named) lets an answer
    from the cache hold that document alone. ``use_cache=False`` neither reads nor fills the cache;
    ``keep=False`` reads it but leaves filling it to the caller (a writer stores the bytes it writes).
    """
    if files is None:
        files = read_files(data_dir)
    with bulk_read():
        return _load_ledger(data_dir, files, use_cache=use_cache, document=document, keep=keep)


def _load_ledger(
    data_dir: Path,
    files: dict[str, bytes | Problem],
    *,
    use_cache: bool,
    document: str | None,
    keep: bool,
) -> tuple[Ledger, list[Problem]]:
    from . import cache

    digests = {name: cache.digest(raw) for name, raw in files.items() if isinstance(raw, bytes)}
    shown = {name: display_path(data_dir / name) for name in FILE_LAYOUT}
    key = cache.key(digests) if use_cache and len(digests) == len(FILE_LAYOUT) else None
    if key is not None:
        texts = {name: FileText(raw) for name, raw in files.items() if isinstance(raw, bytes)}
        stored = cache.read(
            key, {list_key: (shown[name], texts[name]) for list_key, name in LIST_FILES.items()}, document
        )
        if stored is not None:
            ledger = Ledger(root=data_dir, digests=digests)
            for list_key, records in stored.items():
                getattr(ledger, list_key).extend(records)
            ledger.complete = document is None
            return ledger, []
    from .yamlio import parse

    parsed = {name: raw if isinstance(raw, Problem) else parse(raw) for name, raw in files.items()}
    ledger, problems = load_parsed(data_dir, parsed)
    if key is not None and keep and not problems:
        cache.write(key, ledger)
    return ledger, problems


def load_parsed(data_dir: Path, parsed: dict[str, YamlFile | Problem]) -> tuple[Ledger, list[Problem]]:
    """The ledger from files already parsed (``ledger validate`` reads their comments too)."""
    from .cache import digest

    ledger = Ledger(root=data_dir)
    problems: list[Problem] = []
    for name, layout in FILE_LAYOUT.items():
        loaded = parsed[name]
        if isinstance(loaded, Problem):
            ledger.incomplete.update(layout)
            problems.append(loaded)
            continue
        ledger.digests[name] = digest(loaded.raw)
        problems.extend(_load_file(ledger, display_path(data_dir / name), loaded, layout))
    return ledger, problems


def _load_file(
    ledger: Ledger, shown: str, loaded: YamlFile, layout: dict[str, type[Record]]
) -> list[Problem]:
    ledger.incomplete.update(layout)  # until the lists below have loaded whole
    problems = [
        _error(
            Source(shown, dup.line, dup.column),
            "L002",
            f"{_record_at(loaded, layout, dup.line)}key '{dup.key}' is written twice (only the first counts)",
            "remove or rename the other",
        )
        for dup in loaded.duplicate_keys
    ]
    if loaded.syntax_error:
        err = loaded.syntax_error
        problems.append(_error(Source(shown, err.line, err.column), "L001", err.message, err.hint))
        return problems
    root = loaded.data
    if root is None:
        return [*problems, _error(Source(shown), "L001", "file is empty", "restore it from git")]
    if not isinstance(root, dict):
        keys = " and ".join(f"'{key}:'" for key in layout)
        lists = "lists" if len(layout) > 1 else "list"
        return [
            *problems,
            _error(
                Source(shown),
                "L003",
                f"the file does not hold the {lists} {keys}",
                "restore its layout from git, or compare it with docs/data-format.md",
            ),
        ]
    for key in root:
        if key not in layout:
            line, column = loaded.keys.get(str(key), (1, 1))
            problems.append(
                _error(
                    Source(shown, line, column),
                    "L003",
                    f"unknown top-level key '{key}'",
                    f"this file holds {', '.join(layout)}; check the spelling and the indentation",
                )
            )
    text = FileText(loaded.text)
    for key, model in layout.items():
        items = root.get(key)
        if items is None:
            problems.append(
                _error(Source(shown), "L003", f"missing the list '{key}:'", "restore it from git")
            )
            continue
        if not isinstance(items, list):
            line, column = loaded.keys.get(key, (1, 1))
            problems.append(
                _error(
                    Source(shown, line, column),
                    "L003",
                    f"'{key}' is not a list",
                    "write each record under it as an item starting with '- '",
                )
            )
            continue
        collected = getattr(ledger, key)
        complete = True
        for index, item in enumerate(items):
            span = loaded.records[(key, index)]
            place = Place(shown, (key, index), span.line, span.column, span.end, text)
            try:
                record = model.model_validate(item)
            except ValidationError as exc:
                problems.extend(_schema_problems(place, key, item, exc))
                complete = False
                if key == "measures" and isinstance(item, dict):
                    number = item.get("number")
                    if isinstance(number, int):
                        ledger.broken_measures.add(number)
                continue
            record._place = place
            collected.append(record)
        if complete:
            ledger.incomplete.discard(key)
    return problems


def _record_at(loaded: YamlFile, layout: dict[str, type[Record]], line: int) -> str:
    """``"target 3.1: "`` for the record that stands on ``line`` (1-based), or ``""`` outside records."""
    root = loaded.data if isinstance(loaded.data, dict) else {}
    found = ""
    for (key, index), span in loaded.records.items():
        items = root.get(key)
        if key in layout and span.line <= line <= span.end and isinstance(items, list) and index < len(items):
            found = f"{_record_label(key, items[index])}: "
    return found


def _schema_problems(place: Place, key: str, item: Any, exc: ValidationError) -> list[Problem]:
    label = _record_label(key, item)
    problems = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        message, hint = _explain(error, _field_name(item, loc))
        problems.append(_error(place.source(*loc), "L003", f"{label}: {message}", hint))
    return problems


def _record_label(key: str, item: Any) -> str:
    name = RECORD_NAMES[key]
    if isinstance(item, dict):
        ident = item.get("id", item.get("number"))
        if ident is not None and not isinstance(ident, (dict, list)):
            return f"{name} {ident}"
    return name


#: How a list's items are called in a message, with the field that names one (if any).
_ITEM_NAMES = {
    "allocations": ("allocation", "id"),
    "progress": ("progress entry", ""),
    "leads": ("lead", ""),
}


def _field_name(item: Any, loc: tuple[int | str, ...]) -> str:
    """``("allocations", 0, "amount")`` → ``allocation B1.1, amount``: a path an editor of the data reads.

    List items are named by their id (or counted from 1), never by a 0-based index.
    """
    text = ""
    node = item
    for previous, part in zip((None, *loc), loc, strict=False):
        if isinstance(part, int) and isinstance(previous, str):
            noun, naming = _ITEM_NAMES.get(previous, (previous, ""))
            entry = node[part] if _has(node, part) else None
            name = entry.get(naming) if naming and isinstance(entry, dict) else None
            ident = name if isinstance(name, (str, int)) else part + 1
            text = text.removesuffix(previous) + f"{noun} {ident}, "
        else:
            text += f"{part}" if not text or text.endswith(", ") else f".{part}"
        node = node[part] if _has(node, part) else None
    return text.removesuffix(", ")


def _has(node: Any, part: int | str) -> bool:
    if isinstance(node, dict):
        return part in node
    return isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)


#: pydantic error types in plain words: (what is wrong, what to do).
_PLAIN_MESSAGES = {
    "string_type": ("is not text", "write it as text"),
    "int_type": ("is not a whole number", "write a whole number without quotes, such as 17"),
    "int_parsing": ("is not a whole number", "write a whole number without quotes, such as 17"),
    "int_from_float": ("is not a whole number", "write a whole number without quotes, such as 17"),
    "bool_type": ("is not true or false", "write true or false"),
    "bool_parsing": ("is not true or false", "write true or false"),
    "list_type": ("is not a list", "write it as a list: [a, b], or one '- ' line per item"),
    "model_type": ("is a single value", "write its fields under it, one 'name: value' line each"),
    "dict_type": ("is a single value", "write its fields under it, one 'name: value' line each"),
    "string_too_short": ("is empty", "fill it in, or remove the field if it is optional"),
    "too_short": ("has no entries", "add at least one"),
    "greater_than_equal": ("is below 1", "numbers count from 1"),
    "date_from_datetime_inexact": ("has a time of day", "write only the date, YYYY-MM-DD"),
}
_ID_FORMS = {r"^B\d+$": "B1", r"^B\d+\.\d+$": "B1.2", r"^A?\d+\.\d+$": '"17.1" or "A3.1"'}


def _explain(error: Any, where: str) -> tuple[str, str]:
    """A pydantic error in words an editor of the data can act on: (what is wrong, what to do)."""
    kind = error["type"]
    given = error.get("input")
    if kind == "extra_forbidden":
        return f"unknown field '{where}'", "check its spelling (docs/data-format.md lists the fields)"
    if kind == "missing":
        return f"missing field '{where}'", "add it (docs/data-format.md describes it)"
    hint = ""
    if kind == "literal_error":
        message = f"'{given}' is not allowed"
        hint = f"use one of {error['ctx']['expected'].replace(chr(39), '')}"
    elif kind in {"date_type", "date_parsing"} and isinstance(given, str):
        message = f"'{given}' is not a real date"
        hint = "write YYYY-MM-DD"
    elif kind == "string_type" and where.endswith("id") and not isinstance(given, (str, dict, list)):
        message = f"{given} is read as a number"
        hint = f'write the id in quotes, e.g. "{given}"'
    elif kind == "string_pattern_mismatch":
        pattern = error["ctx"]["pattern"]
        message = f"'{given}' is not in the right form"
        hint = f"write it like {_ID_FORMS[pattern]}" if pattern in _ID_FORMS else f"it must match {pattern}"
    elif kind in _PLAIN_MESSAGES:
        message, hint = _PLAIN_MESSAGES[kind]
    else:
        message = str(error["msg"]).removeprefix("Value error, ")
        message, _, hint = message.partition("; ")
        hint = hint or "docs/data-format.md explains the field"
    return (f"{where}: {message}" if where else message), hint


def _error(source: Source, code: str, message: str, hint: str = "") -> Problem:
    return Problem(source, Severity.ERROR, code, message, hint)
