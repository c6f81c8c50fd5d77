"""Files → models + problems. Never raises on bad user data.

Each record is validated on its own, so one bad record never hides another: a record that fails its
model becomes problems (mapped back to its YAML line) and is left out of the ledger, and the rest load.
Only a broken environment (no data directory, an unreadable file) raises ``LedgerError``.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, get_args

from pydantic import BaseModel, ValidationError

from .ledger import Ledger
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
from .problems import LedgerError, Problem, Severity, Source
from .yamlio import LoadedYaml, file_digest, read_fast, read_yaml

DATA_ENV = "LEDGER_DATA"
POLICIES = "policies.yaml"
TARGETS = "targets.yaml"
BUDGETS = "budgets.yaml"

#: Which lists each file holds, and the model of their records, read from the file models (which the
#: JSON Schema also comes from). Order is the order of checking.
FILE_LAYOUT: dict[str, dict[str, type[BaseModel]]] = {
    name: {key: get_args(info.annotation)[0] for key, info in model.model_fields.items()}
    for name, model in FILE_MODELS.items()
}
RECORD_NAMES = {
    "documents": "document",
    "areas": "area",
    "measures": "measure",
    "targets": "target",
    "budgets": "budget",
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
    except ValueError:
        return str(path)


def load_ledger(
    data_dir: Path,
    *,
    fast: bool = True,
    today: date | None = None,
    remember: bool = True,
    document: str | None = None,
) -> tuple[Ledger, list[Problem]]:
    """Read and validate the three files; never raises on bad data.

    ``fast`` reads through libyaml (``yamlio.read_fast``) and the cache of validated data (``cache``);
    ``fast=False`` reads through the round-trip reader, bypassing the cache, and gives the same records
    and findings. A fast load also runs the checks (judged on ``today``), so that the cache can hold
    their findings for ``check_ledger``; ``remember=False`` reads the cache but does not fill it
    (``ledger validate`` runs after an edit, when a cache written then would serve nobody).
    ``document`` (an id the user named) lets an answer from the cache hold that document alone.
    """
    day = today or date.today()
    if fast:
        from . import cache

        entry = cache.read(data_dir, day)
        if entry is not None:
            return _from_cache(data_dir, entry, document)
    ledger = Ledger(root=data_dir)
    problems: list[Problem] = []
    reader = read_fast if fast else read_yaml
    for filename, layout in FILE_LAYOUT.items():
        problems.extend(_load_file(ledger, data_dir / filename, layout, reader))
    problems.extend(_load_sources(ledger))
    if fast and remember:
        from . import cache

        if cache.cache_file(data_dir) is not None:
            _store_in_cache(ledger, problems, day)
    return ledger, problems


#: The model of each list, to rebuild records from the cache without validating them again.
_RECORD_MODELS: dict[str, type[BaseModel]] = {
    key: model for layout in FILE_LAYOUT.values() for key, model in layout.items()
}
_LIST_FILES = {key: filename for filename, layout in FILE_LAYOUT.items() for key in layout}


def _store_in_cache(ledger: Ledger, problems: list[Problem], today: date) -> None:
    from . import cache
    from .checks import CheckContext, run_checks

    findings = run_checks(ledger, CheckContext(today=today))
    ledger.cached_findings, ledger.cached_today = findings, today.isoformat()
    root = ledger.root.resolve()
    relative: list[Problem] = []
    for problem in [*problems, *findings]:
        try:
            name = str(Path(problem.source.file).resolve().relative_to(root))
        except ValueError:
            return  # a finding outside the data directory: not worth caching
        relative.append(replace(problem, source=replace(problem.source, file=name)))
    records: dict[str, dict[str, list[Any]]] = {}
    for key in _RECORD_MODELS:
        for record in getattr(ledger, key):
            document = record.id if key == "documents" else record.document
            records.setdefault(document, {}).setdefault(key, []).append(
                {"path": list(ledger.path_of(record) or ()), "record": record.model_dump(mode="json")}
            )
    header = cache.header_for(
        ledger.root,
        today,
        ledger.file_digests,
        [d.source for d in ledger.documents],
        relative[: len(problems)],
        relative[len(problems) :],
        {
            "broken_measures": sorted(ledger.broken_measures),
            "incomplete": sorted(ledger.incomplete),
            "documents": [d.id for d in ledger.documents],
        },
    )
    if header is not None:
        cache.write(ledger.root, header, records)


def note_write(
    ledger: Ledger,
    filename: str,
    new_digest: str,
    record: BaseModel,
    lines: tuple[int, int, int],
    today: date,
) -> None:
    """After a verified write that changed one record, bring the cache up to date instead of dropping
    it, so the next command (another entry, typically) need not read every file again.

    ``lines`` is (start, old_end, new_end), 0-based: the record's lines before and after the write.
    Findings after the record move by the lines added; if any finding stood inside the record, the
    cache is dropped instead, since the write may have changed it.
    """
    from . import cache

    old_digest = ledger.file_digests.get(filename)
    entry = cache.read(ledger.root, today, expect={filename: old_digest} if old_digest else None)
    path = ledger.path_of(record)
    document = getattr(record, "document", None)
    if entry is None or path is None or document not in entry.header["chunks"]:
        cache.forget(ledger.root)
        return
    start, old_end, new_end = lines
    header = dict(entry.header)
    moved: dict[str, list[list[Any]]] = {}
    for kind in ("load_problems", "check_problems"):
        moved[kind] = []
        for finding in header[kind]:
            file, line = finding[0], finding[1]
            if file == filename and start < line <= old_end:
                cache.forget(ledger.root)
                return
            if file == filename and line > old_end:
                finding = [file, line + new_end - old_end, *finding[2:]]
            moved[kind].append(finding)
    header.update(moved)
    header["digests"] = {**header["digests"], filename: new_digest}
    header.pop("chunks")
    lists = entry.records(document)
    key = str(path[0])
    for item in lists.get(key, []):
        if tuple(item["path"]) == path:
            item["record"] = record.model_dump(mode="json")
            break
    else:
        cache.forget(ledger.root)
        return
    cache.write(ledger.root, header, cache.rewrite_chunk(entry, document, lists))
    ledger.file_digests[filename] = new_digest


def _from_cache(data_dir: Path, entry: Any, document: str | None = None) -> tuple[Ledger, list[Problem]]:
    from . import cache

    header = entry.header
    if document is not None and document not in header["chunks"]:
        document = None  # an unknown id: load everything, so the error can list the real ones
    ledger = Ledger(root=data_dir)
    lazy = {name: LoadedYaml.unread(data_dir / name) for name in FILE_LAYOUT}
    shown = {name: display_path(data_dir / name) for name in FILE_LAYOUT}
    stored = entry.records(document)
    for key, model in _RECORD_MODELS.items():
        filename = _LIST_FILES[key]
        collected = getattr(ledger, key)
        for item in stored.get(key, []):
            record = _construct(model, cache.revive(item["record"]))
            collected.append(record)
            ledger.remember(record, shown[filename], lazy[filename], tuple(item["path"]))
    ledger.files = lazy
    ledger.file_digests = {name: header["digests"][name] for name in FILE_LAYOUT}
    ledger.broken_measures = set(header["broken_measures"])
    ledger.incomplete = set(header["incomplete"])
    for record in ledger.documents:
        with contextlib.suppress(OSError, UnicodeDecodeError):  # the cached findings already say so
            ledger.sources[record.id] = (data_dir / record.source).read_text(encoding="utf-8-sig")
    ledger.cached_findings = _shown(cache.problems_from(header["check_problems"]), data_dir)
    ledger.cached_today = header["today"]
    return ledger, _shown(cache.problems_from(header["load_problems"]), data_dir)


def _shown(problems: list[Problem], data_dir: Path) -> list[Problem]:
    """Cached findings name files relative to the data directory; show them as the user would type."""
    return [
        replace(p, source=replace(p.source, file=display_path(data_dir / p.source.file))) for p in problems
    ]


def _construct(model: type[BaseModel], data: dict[str, Any]) -> Any:
    """A model from data that was valid when cached: nested records built, nothing validated twice."""
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


def _load_file(
    ledger: Ledger, path: Path, layout: dict[str, type[BaseModel]], reader: Callable[[Path], LoadedYaml]
) -> list[Problem]:
    shown = display_path(path)
    ledger.incomplete.update(layout)  # until the lists below have loaded whole
    if not path.is_file():
        return [_error(Source(shown), "L001", "file is missing", "restore it from git")]
    try:
        loaded = reader(path)
    except OSError as exc:
        raise LedgerError(f"{shown}: cannot read: {exc.strerror or exc}") from exc
    ledger.files[path.name] = loaded
    ledger.file_digests[path.name] = file_digest(loaded.raw)
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
            line, column = loaded.position((key,))
            problems.append(
                _error(
                    Source(shown, line, column),
                    "L003",
                    f"unknown top-level key '{key}'",
                    f"this file holds {', '.join(layout)}; check the spelling and the indentation",
                )
            )
    for key, model in layout.items():
        items = root.get(key)
        if items is None:
            problems.append(
                _error(Source(shown), "L003", f"missing the list '{key}:'", "restore it from git")
            )
            continue
        if not isinstance(items, list):
            line, column = loaded.position((key,))
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
            try:
                record = model.model_validate(item)
            except ValidationError as exc:
                problems.extend(_schema_problems(shown, loaded, key, index, item, exc))
                complete = False
                if key == "measures" and isinstance(item, dict):
                    number = item.get("number")
                    if isinstance(number, int):
                        ledger.broken_measures.add(number)
                continue
            collected.append(record)
            ledger.remember(record, shown, loaded, (key, index))
        if complete:
            ledger.incomplete.discard(key)
    return problems


def _record_label(key: str, item: Any) -> str:
    name = RECORD_NAMES[key]
    if isinstance(item, dict):
        ident = item.get("id", item.get("number"))
        if ident is not None and not isinstance(ident, (dict, list)):
            return f"{name} {ident}"
    return name


def _record_at(loaded: LoadedYaml, layout: dict[str, type[BaseModel]], line: int) -> str:
    """``"target 3.1: "`` for the record that stands on ``line`` (1-based), or ``""`` outside records."""
    root = loaded.data
    if not isinstance(root, dict):
        return ""
    found = ""
    for key in layout:
        items = root.get(key)
        for index, item in enumerate(items if isinstance(items, list) else ()):
            if loaded.position((key, index))[0] <= line:
                found = f"{_record_label(key, item)}: "
    return found


def _schema_problems(
    shown: str, loaded: LoadedYaml, key: str, index: int, item: Any, exc: ValidationError
) -> list[Problem]:
    label = _record_label(key, item)
    problems = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        line, column = loaded.position((key, index, *loc))
        message, hint = _explain(error, _field_name(item, loc))
        problems.append(_error(Source(shown, line, column), "L003", f"{label}: {message}", hint))
    return problems


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


def _load_sources(ledger: Ledger) -> list[Problem]:
    problems = []
    for document in ledger.documents:
        path = ledger.root / document.source
        try:
            ledger.sources[document.id] = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            reason = "is not UTF-8" if isinstance(exc, UnicodeDecodeError) else "cannot be read"
            problems.append(
                _error(
                    ledger.where(document, "source"),
                    "L009",
                    f"document {document.id}: source text {document.source} {reason}, so quotes "
                    "cannot be checked",
                    "restore the file from git",
                )
            )
    return problems


def _error(source: Source, code: str, message: str, hint: str = "") -> Problem:
    return Problem(source, Severity.ERROR, code, message, hint)
