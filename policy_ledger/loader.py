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

from .i18n import _
from .ledger import Ledger
from .messages import N_, Message, Refusal, kind, record
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
                _(
                    "{folder}: no {policies} there; point --data (or ${variable}) at the ledger's "
                    "data directory"
                ).format(folder=explicit, policies=POLICIES, variable=DATA_ENV),
                exit_code=2,
            )
        return explicit
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        for candidate in (folder / "data", folder):
            if (candidate / POLICIES).is_file():
                return candidate
    raise LedgerError(
        _(
            "no ledger data found: no data/{policies} in {folder} or above it; run inside a ledger "
            "checkout or pass --data DIR (or set ${variable})"
        ).format(policies=POLICIES, folder=here, variable=DATA_ENV),
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
            _("{folder}: not a folder; point --data at the ledger's data directory").format(folder=data_dir),
            exit_code=2,
        )
    files: dict[str, bytes | Problem] = {}
    for name in FILE_LAYOUT:
        path = data_dir / name
        shown = display_path(path)
        if not path.exists() and not path.is_symlink():
            if name in OPTIONAL_FILES:  # a ledger begun before the file existed: its lists are empty
                files[name] = empty_file(name)
                continue
            files[name] = _error(Source(shown), "L001", Message(N_("file is missing")), _RESTORE)
            continue
        try:
            files[name] = read_regular(path, MAX_DATA_BYTES)
        except FileRefused as exc:
            files[name] = _error(
                Source(shown),
                "L001",
                exc.reason or Message(N_("cannot read it")),
                exc.hint or Message(N_("restore the file from git")),
            )
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

    What the read built is then filed with the oldest objects (``freeze`` and ``unfreeze``), where the
    collector looks only on a full collection: otherwise the first collections after the read would
    walk all of it once more, as young objects, and then again on their way to the oldest generation.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        if was_enabled:
            gc.enable()


def load_ledger(
    data_dir: Path,
    *,
    use_cache: bool = True,
    document: str | tuple[str, ...] | None = None,
    files: dict[str, bytes | Problem] | None = None,
    keep: bool = True,
) -> tuple[Ledger, list[Problem]]:
    """Read and validate the three files; never raises on bad data.

    ``files`` are the files' bytes when the caller has read them already (a writer under its lock, a
    version from git); otherwise they are read now. ``document`` (an id the user named, or the ids of
    two documents compared) lets an answer from the cache hold those documents alone.
    ``use_cache=False`` neither reads nor fills the cache; ``keep=False`` reads it but leaves filling it
    to the caller (a writer stores the bytes it writes).
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
    document: str | tuple[str, ...] | None,
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
            _twice(_record_at(loaded, layout, dup.line), dup.key),
            Message(N_("remove or rename the other")),
        )
        for dup in loaded.duplicate_keys
    ]
    if loaded.syntax_error:
        err = loaded.syntax_error
        problems.append(_error(Source(shown, err.line, err.column), "L001", err.message, err.hint))
        return problems
    root = loaded.data
    if root is None:
        return [*problems, _error(Source(shown), "L001", Message(N_("file is empty")), _RESTORE)]
    if not isinstance(root, dict):
        names = [f"'{key}:'" for key in layout]
        keys: str = names[0]
        for name in names[1:]:
            keys = Message(N_("{first} and {second}"), first=keys, second=name)
        return [
            *problems,
            _error(
                Source(shown),
                "L003",
                Message(N_("the file does not hold the lists {keys}"), keys=keys)
                if len(layout) > 1
                else Message(N_("the file does not hold the list {keys}"), keys=keys),
                Message(N_("restore its layout from git, or compare it with docs/data-format.md")),
            ),
        ]
    for key in root:
        if key not in layout:
            line, column = loaded.keys.get(str(key), (1, 1))
            problems.append(
                _error(
                    Source(shown, line, column),
                    "L003",
                    Message(N_("unknown top-level key '{key}'"), key=key),
                    Message(
                        N_("this file holds {lists}; check the spelling and the indentation"),
                        lists=", ".join(layout),
                    ),
                )
            )
    text = FileText(loaded.text)
    for key, model in layout.items():
        items = root.get(key)
        if items is None:
            problems.append(
                _error(Source(shown), "L003", Message(N_("missing the list '{key}:'"), key=key), _RESTORE)
            )
            continue
        if not isinstance(items, list):
            line, column = loaded.keys.get(key, (1, 1))
            problems.append(
                _error(
                    Source(shown, line, column),
                    "L003",
                    Message(N_("'{key}' is not a list"), key=key),
                    Message(N_("write each record under it as an item starting with '- '")),
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


def _record_at(loaded: YamlFile, layout: dict[str, type[Record]], line: int) -> Message | None:
    """``target 3.1`` for the record that stands on ``line`` (1-based), or None outside records."""
    root = loaded.data if isinstance(loaded.data, dict) else {}
    found = None
    for (key, index), span in loaded.records.items():
        items = root.get(key)
        if key in layout and span.line <= line <= span.end and isinstance(items, list) and index < len(items):
            found = _record_label(key, items[index])
    return found


def _twice(label: Message | None, key: str) -> Message:
    if label is None:
        return Message(N_("key '{key}' is written twice (only the first counts)"), key=key)
    return Message(
        N_("{record}: key '{key}' is written twice (only the first counts)"), record=label, key=key
    )


def _schema_problems(place: Place, key: str, item: Any, exc: ValidationError) -> list[Problem]:
    label = _record_label(key, item)
    problems = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        message, hint = _explain(error, _field_name(item, loc))
        message = Message(N_("{record}: {problem}"), record=label, problem=message)
        problems.append(_error(place.source(*loc), "L003", message, hint))
    return problems


def _record_label(key: str, item: Any) -> Message:
    name = RECORD_NAMES[key]
    if isinstance(item, dict):
        ident = item.get("id", item.get("number"))
        if ident is not None and not isinstance(ident, (dict, list)):
            return record(name, ident)
    return kind(name)


#: How a list's items are called in a message (``messages.record``), with the field that names one.
_ITEM_NAMES = {
    "allocations": ("allocation", "id"),
    "progress": ("progress entry", ""),
    "leads": ("lead", ""),
}


def _field_name(item: Any, loc: tuple[int | str, ...]) -> str:
    """``("allocations", 0, "amount")`` → ``allocation B1.1, amount``: a path an editor of the data reads
    (分项 B1.1 的 amount). Field names stay as the YAML writes them.

    List items are named by their id (or counted from 1), never by a 0-based index.
    """
    where: str = ""  # the items named so far (a Message), then the keys after the last item
    keys = ""
    node = item
    for previous, part in zip((None, *loc), loc, strict=False):
        if isinstance(part, int) and isinstance(previous, str):
            noun, naming = _ITEM_NAMES.get(previous, ("", ""))
            entry = node[part] if _has(node, part) else None
            name = entry.get(naming) if naming and isinstance(entry, dict) else None
            ident = name if isinstance(name, (str, int)) else part + 1
            named: str = record(noun, ident) if noun else f"{previous} {ident}"
            keys = keys.removesuffix(previous)
            if keys:  # a list inside a field: period.x.item 1
                named = Message("{keys}{item}", keys=keys, item=named)
            where = Message(N_("{item}, {field}"), item=where, field=named) if where else named
            keys = ""
        else:
            keys += f"{part}" if not keys else f".{part}"
        node = node[part] if _has(node, part) else None
    if keys:
        return Message(N_("{item}, {field}"), item=where, field=keys) if where else keys
    return where


def _has(node: Any, part: int | str) -> bool:
    if isinstance(node, dict):
        return part in node
    return isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)


#: pydantic error types in plain words: (what is wrong, what to do).
_PLAIN_MESSAGES = {
    "string_type": (N_("is not text"), N_("write it as text")),
    "int_type": (N_("is not a whole number"), N_("write a whole number without quotes, such as 17")),
    "int_parsing": (N_("is not a whole number"), N_("write a whole number without quotes, such as 17")),
    "int_from_float": (N_("is not a whole number"), N_("write a whole number without quotes, such as 17")),
    "bool_type": (N_("is not true or false"), N_("write true or false")),
    "bool_parsing": (N_("is not true or false"), N_("write true or false")),
    "list_type": (N_("is not a list"), N_("write it as a list: [a, b], or one '- ' line per item")),
    "model_type": (N_("is a single value"), N_("write its fields under it, one 'name: value' line each")),
    "dict_type": (N_("is a single value"), N_("write its fields under it, one 'name: value' line each")),
    "string_too_short": (N_("is empty"), N_("fill it in, or remove the field if it is optional")),
    "too_short": (N_("has no entries"), N_("add at least one")),
    "greater_than_equal": (N_("is below 1"), N_("numbers count from 1")),
    "date_from_datetime_inexact": (N_("has a time of day"), N_("write only the date, YYYY-MM-DD")),
}
_ID_FORMS = {r"^B\d+$": "B1", r"^B\d+\.\d+$": "B1.2", r"^A?\d+\.\d+$": Message(N_('"17.1" or "A3.1"'))}
_EXPLAINS_FIELD = N_("docs/data-format.md explains the field")


def _explain(error: Any, where: str) -> tuple[Message, Message]:
    """A pydantic error in words an editor of the data can act on: (what is wrong, what to do).

    The error types people meet are said in our own words (``_PLAIN_MESSAGES``), and the models' own
    refusals carry theirs (``messages.Refusal``); any other error keeps pydantic's English sentence inside
    a translated frame (the record, the field and the hint are in the reader's language)."""
    kind = error["type"]
    given = error.get("input")
    if kind == "extra_forbidden":
        return Message(N_("unknown field '{field}'"), field=where), Message(
            N_("check its spelling (docs/data-format.md lists the fields)")
        )
    if kind == "missing":
        return Message(N_("missing field '{field}'"), field=where), Message(
            N_("add it (docs/data-format.md describes it)")
        )
    refusal = (error.get("ctx") or {}).get("error")
    if kind == "literal_error":
        message = Message(N_("'{value}' is not allowed"), value=given)
        hint = _one_of(error["ctx"]["expected"])
    elif kind in {"date_type", "date_parsing"} and isinstance(given, str):
        message = Message(N_("'{value}' is not a real date"), value=given)
        hint = Message(N_("write YYYY-MM-DD"))
    elif kind == "string_type" and where.endswith("id") and not isinstance(given, (str, dict, list)):
        message = Message(N_("{value} is read as a number"), value=given)
        hint = Message(N_('write the id in quotes, e.g. "{value}"'), value=given)
    elif kind == "string_pattern_mismatch":
        pattern = error["ctx"]["pattern"]
        message = Message(N_("'{value}' is not in the right form"), value=given)
        if pattern in _ID_FORMS:
            hint = Message(N_("write it like {example}"), example=_ID_FORMS[pattern])
        else:
            hint = Message(N_("it must match {pattern}"), pattern=pattern)
    elif kind in _PLAIN_MESSAGES:
        what, todo = _PLAIN_MESSAGES[kind]
        message, hint = Message(what), Message(todo)
    elif isinstance(refusal, Refusal):
        message, hint = refusal.message, refusal.hint or Message(_EXPLAINS_FIELD)
    else:  # pydantic's own sentence, in English: "Input should be …"
        text = str(error["msg"]).removeprefix("Value error, ")
        text, _sep, advice = text.partition("; ")
        message = Message("{problem}", problem=text)
        hint = Message("{advice}", advice=advice) if advice else Message(_EXPLAINS_FIELD)
    if where:
        message = Message(N_("{field}: {problem}"), field=where, problem=message)
    return message, hint


def _one_of(expected: str) -> Message:
    """pydantic's ``'firm', 'stretch' or 'plain'`` as a hint: ``use one of firm, stretch or plain``."""
    import re

    values = re.findall(r"'([^']*)'", expected)
    if len(values) < 2:
        return Message(N_("use one of {values}"), values=expected.replace("'", ""))
    return Message(N_("use one of {values} or {last}"), values=", ".join(values[:-1]), last=values[-1])


_RESTORE = Message(N_("restore it from git"))


def _error(source: Source, code: str, message: str, hint: str = "") -> Problem:
    """A finding that stops a file or a record from loading; ``message`` and ``hint`` are ``Message``s
    (or the words of another module, such as a file's refusal by ``fileio``)."""
    return Problem(source, Severity.ERROR, code, message, hint)
