"""Files → models + problems. Never raises on bad user data.

Each record is validated on its own, so one bad record never hides another: a record that fails its
model becomes problems (mapped back to its YAML line) and is left out of the ledger, and the rest load.
Only a broken environment (no data directory, an unreadable file) raises ``LedgerError``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .models import Area, Budget, Document, Measure, Target
from .problems import LedgerError, Problem, Severity, Source
from .yamlio import LoadedYaml, position, read_yaml

DATA_ENV = "LEDGER_DATA"
POLICIES = "policies.yaml"
TARGETS = "targets.yaml"
BUDGETS = "budgets.yaml"

#: Which lists each file holds, and the model of their records. Order is the order of checking.
FILE_LAYOUT: dict[str, dict[str, type[BaseModel]]] = {
    POLICIES: {"documents": Document, "areas": Area, "measures": Measure},
    TARGETS: {"targets": Target},
    BUDGETS: {"budgets": Budget},
}
RECORD_NAMES = {
    "documents": "document",
    "areas": "area",
    "measures": "measure",
    "targets": "target",
    "budgets": "budget",
}


@dataclass
class Location:
    """Where a record came from: its file as shown to the user and its round-trip YAML node."""

    file: str
    node: Any


@dataclass
class Ledger:
    """Everything that loaded, with the position of every record for later findings."""

    root: Path
    documents: list[Document] = field(default_factory=list)
    areas: list[Area] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    budgets: list[Budget] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)  # document id → verbatim source text
    #: measure numbers of records that failed validation, so checks do not report them twice
    broken_measures: set[int] = field(default_factory=set)
    #: lists ("targets", "budgets", …) that lost records to load errors: checks that need the whole
    #: list (sums, coverage) stay quiet rather than report the consequences of an error already shown
    incomplete: set[str] = field(default_factory=set)
    files: dict[str, LoadedYaml] = field(default_factory=dict)
    _locations: dict[int, Location] = field(default_factory=dict, repr=False)

    def remember(self, record: object, file: str, node: Any) -> None:
        self._locations[id(record)] = Location(file, node)

    def where(self, record: object, *path: str | int) -> Source:
        """The file, line and column of ``record`` (or of one of its fields, e.g. ``"total"``)."""
        location = self._locations.get(id(record))
        if location is None:
            return Source("<unknown>")
        line, column = position(location.node, tuple(path))
        if not path:
            line, column = location.node.lc.line + 1, location.node.lc.col + 1
        return Source(location.file, line, column)

    def document(self, document_id: str) -> Document | None:
        return next((d for d in self.documents if d.id == document_id), None)

    def measure(self, number: int, document_id: str | None = None) -> Measure | None:
        return next(
            (
                m
                for m in self.measures
                if m.number == number and (document_id is None or m.document == document_id)
            ),
            None,
        )

    def area(self, number: int, document_id: str | None = None) -> Area | None:
        return next(
            (
                a
                for a in self.areas
                if a.number == number and (document_id is None or a.document == document_id)
            ),
            None,
        )

    def targets_of(self, measure: Measure) -> list[Target]:
        return [t for t in self.targets if t.document == measure.document and t.measure == measure.number]

    def goals_of(self, area: Area) -> list[Target]:
        return [t for t in self.targets if t.document == area.document and t.area == area.number]

    def budget_of(self, measure: Measure) -> Budget | None:
        return next(
            (b for b in self.budgets if b.document == measure.document and b.measure == measure.number),
            None,
        )

    def due(self, target: Target) -> Any:
        """A target's deadline: its own, else the end of its document's period."""
        if target.deadline is not None:
            return target.deadline
        document = self.document(target.document)
        return document.period.end if document else None


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


def load_ledger(data_dir: Path) -> tuple[Ledger, list[Problem]]:
    ledger = Ledger(root=data_dir)
    problems: list[Problem] = []
    for filename, layout in FILE_LAYOUT.items():
        problems.extend(_load_file(ledger, data_dir / filename, layout))
    problems.extend(_load_sources(ledger))
    return ledger, problems


def _load_file(ledger: Ledger, path: Path, layout: dict[str, type[BaseModel]]) -> list[Problem]:
    shown = display_path(path)
    ledger.incomplete.update(layout)  # until the lists below have loaded whole
    if not path.is_file():
        return [_error(Source(shown), "L001", "file is missing; restore it from git")]
    try:
        loaded = read_yaml(path)
    except OSError as exc:
        raise LedgerError(f"{shown}: cannot read: {exc.strerror or exc}") from exc
    ledger.files[path.name] = loaded
    problems = [
        _error(
            Source(shown, dup.line, dup.column),
            "L002",
            f"duplicate key '{dup.key}': only the first is used; remove or rename the other",
        )
        for dup in loaded.duplicate_keys
    ]
    if loaded.syntax_error:
        err = loaded.syntax_error
        problems.append(_error(Source(shown, err.line, err.column), "L001", err.message))
        return problems
    root = loaded.data
    if root is None:
        return [*problems, _error(Source(shown), "L001", "file is empty; restore it from git")]
    if not isinstance(root, dict):
        return [
            *problems,
            _error(Source(shown), "L003", f"expected a mapping with the keys {', '.join(layout)}"),
        ]
    for key in root:
        if key not in layout:
            line, column = position(root, (key,))
            problems.append(
                _error(
                    Source(shown, line, column),
                    "L003",
                    f"unknown top-level key '{key}'; this file holds {', '.join(layout)}",
                )
            )
    for key, model in layout.items():
        items = root.get(key)
        if items is None:
            problems.append(_error(Source(shown), "L003", f"missing the list '{key}:'"))
            continue
        if not isinstance(items, list):
            line, column = position(root, (key,))
            problems.append(_error(Source(shown, line, column), "L003", f"'{key}' must be a list"))
            continue
        collected = getattr(ledger, key)
        complete = True
        for index, item in enumerate(items):
            try:
                record = model.model_validate(item)
            except ValidationError as exc:
                problems.extend(_schema_problems(shown, root, key, index, item, exc))
                complete = False
                if key == "measures" and isinstance(item, dict):
                    number = item.get("number")
                    if isinstance(number, int):
                        ledger.broken_measures.add(number)
                continue
            collected.append(record)
            ledger.remember(record, shown, item)
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


def _schema_problems(
    shown: str, root: Any, key: str, index: int, item: Any, exc: ValidationError
) -> list[Problem]:
    label = _record_label(key, item)
    problems = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        line, column = position(root, (key, index, *loc))
        where = ".".join(str(part) for part in loc)
        message = _explain(error, where)
        problems.append(_error(Source(shown, line, column), "L003", f"{label}: {message}"))
    return problems


def _explain(error: Any, where: str) -> str:
    """A pydantic error in words an editor of the data can act on."""
    kind = error["type"]
    if kind == "extra_forbidden":
        return f"unknown field '{where}'; check its spelling (docs/data-format.md lists the fields)"
    if kind == "missing":
        return f"missing field '{where}'; add it (docs/data-format.md describes it)"
    message = str(error["msg"]).removeprefix("Value error, ")
    if kind == "date_type" and isinstance(error.get("input"), str):
        message = f"'{error['input']}' is not a real date; write YYYY-MM-DD"
    elif kind == "string_type" and where.endswith("id"):
        message = f'{message}; write the id in quotes, e.g. "17.1"'
    return f"{where}: {message}" if where else message


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
                    f"document {document.id}: source text {document.source} {reason}; quotes "
                    "cannot be checked until it is restored",
                )
            )
    return problems


def _error(source: Source, code: str, message: str) -> Problem:
    return Problem(source, Severity.ERROR, code, message)
