"""``ledger import``: a policy text drafted (``importer``) and added to the ledger as a new document.

The text is saved as ``source/<id>.txt`` (UTF-8) and its drafted records are appended to the ledger's
files, every one carrying ``document: <id>`` and ``draft: true``. All files change in one write and one
commit (``writes``): under the lock, from the bytes read, each appended to without touching a line it
held (``yamlio.append_records``), read back record by record, or not at all.
"""

from __future__ import annotations

from codecs import BOM_UTF8
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from .i18n import _, ngettext
from .loader import BUDGETS, FILE_LAYOUT, POLICIES, TARGETS, load_ledger
from .messages import shown
from .problems import LedgerError, clip, first_uneditable
from .yamlio import HouseStyleError, append_records

#: The files an import writes, and the lists of each it appends to (instruments are not drafted).
_WRITTEN = {POLICIES: ("documents", "areas", "measures"), TARGETS: ("targets",), BUDGETS: ("budgets",)}
#: The first lines of a file the import creates.
_HEADERS = {
    POLICIES: "# The ledger's documents, their policy areas and measures. Field guide: docs/data-format.md\n",
    TARGETS: "# Targets: what each area and measure commits to. Field guide: docs/data-format.md\n",
    BUDGETS: "# Budgets: the measures that state a sum of money, each with its parts.\n",
}
#: Lists whose records' ids the house writes in double quotes ("17.1" would read as a number).
_QUOTED_IDS = {"targets", "instruments"}


class ImportRefused(LedgerError):
    """Nothing was written: the request (exit code 2) or the text or the ledger (1) does not allow it."""

    #: what was drafted, when the draft itself is the reason (no document could be drafted)
    result: ImportResult | None = None


def _usage(message: str) -> ImportRefused:
    return ImportRefused(message, exit_code=2)


@dataclass
class ImportResult:
    document_id: str
    source: Path  # where the text is saved: <data>/source/<id>.txt
    encoding: str  # what the text was read as: utf-8, utf-8-sig, gb18030
    counts: dict[str, int]  # drafted records by list: documents, areas, measures, budgets, targets
    gaps: list[str]
    files: list[Path] = field(default_factory=list)  # the files written (or that would be)
    commit: str | None = None
    written: bool = False
    in_repository: bool = False
    recovered: str | None = None
    message: str = ""  # the commit message


def document_id_for(source_file: Path, given: str | None) -> str:
    """``--id``, else the file name's stem when it is a document id; else a usage error."""
    from .importer import DOCUMENT_ID

    if given is not None:
        if not DOCUMENT_ID.fullmatch(given):
            raise _usage(
                _(
                    "--id '{id}' is not a document id; write lowercase letters, digits and -, "
                    "such as lezhengfa-2023-6"
                ).format(id=clip(given, 60))
            )
        return given
    stem = source_file.name.rsplit(".", 1)[0] if "." in source_file.name else source_file.name
    if not DOCUMENT_ID.fullmatch(stem):
        raise _usage(
            _(
                "the file name '{name}' is not a document id; pass --id (lowercase letters, digits and -, "
                "such as --id lezhengfa-2023-6)"
            ).format(name=clip(source_file.name, 60))
        )
    return stem


def read_source(source_file: Path) -> tuple[str, str]:
    """The text of the file to import and its encoding; a file that cannot be read is refused, bytes
    that are not text raise ``importer.ImportRefused``."""
    from .fileio import MAX_SOURCE_BYTES, FileRefused, read_regular
    from .importer import read_text

    try:
        raw = read_regular(source_file, MAX_SOURCE_BYTES)
    except FileRefused as exc:
        raise _usage(str(exc)) from None
    text, encoding = read_text(raw)
    if len(text.encode("utf-8")) > MAX_SOURCE_BYTES:
        raise _usage(
            _("{file}: as UTF-8 the text is over the {limit} MB a source text may have").format(
                file=source_file, limit=MAX_SOURCE_BYTES // 1024 // 1024
            )
        )
    return text, encoding


def import_document(
    data_dir: Path,
    source_file: Path,
    document_id: str | None = None,
    *,
    dry_run: bool = False,
    commit: bool = True,
) -> ImportResult:
    """Draft the text of ``source_file`` and add it to the ledger in ``data_dir`` as a new document.

    Refusals are one line each (``ImportRefused``): the id (exit code 2), the file (2), an id or a
    source file the ledger already holds (2), a text from which no document can be drafted (1), a data
    file that cannot be appended to safely (1). Outside a git repository the files are written and not
    committed (``ImportResult.in_repository``).
    """
    from . import fileio, gitstore, writes
    from .importer import ImportRefused as NotText
    from .importer import draft

    identifier = document_id_for(source_file, document_id)
    if not data_dir.is_dir():
        raise _usage(
            _("{folder}: no such folder; create it, or point --data at the ledger").format(folder=data_dir)
        )
    try:
        target = fileio.confined(data_dir, f"source/{identifier}.txt")
    except fileio.FileRefused as exc:
        raise _usage(str(exc)) from None
    try:
        text, encoding = read_source(source_file)
        drafted = draft(text, identifier, source=f"source/{identifier}.txt")
    except NotText as exc:
        raise _usage(_("{file}: {reason}").format(file=source_file, reason=exc)) from None
    additions: dict[str, list[Any]] = {
        "documents": [] if drafted.document is None else [drafted.document],
        "areas": drafted.areas,
        "measures": drafted.measures,
        "budgets": drafted.budgets,
        "targets": drafted.targets,
    }
    counts = {key: len(records) for key, records in additions.items()}
    result = ImportResult(identifier, target, encoding, counts, list(drafted.gaps))
    result.gaps += _nothing_drafted(drafted)
    if drafted.document is None:
        stopped = ImportRefused(
            _(
                "no document could be drafted from {file} (the gaps above say what it lacks); "
                "nothing was written"
            ).format(file=clip(source_file.name, 60))
        )
        stopped.result = result
        raise stopped
    new_text = text.removeprefix("\ufeff").encode("utf-8")
    result.message = _commit_message(drafted.document, counts)
    paths = [target, *(data_dir / name for name in _WRITTEN)]
    result.in_repository = gitstore.git_dir(data_dir) is not None
    commit = commit and result.in_repository
    if dry_run:
        files = _read(data_dir, source_file, target, new_text)
        result.files = [w.path for w in _plan(data_dir, files, identifier, additions, new_text)]
        return result
    try:
        with writes.locked(data_dir, paths) as recovered:
            result.recovered = recovered

            def plan() -> tuple[list[writes.FileWrite], str]:
                files = _read(data_dir, source_file, target, new_text)
                return _plan(data_dir, files, identifier, additions, new_text), result.message

            planned, made = writes.write_retrying(plan, commit=commit)
            result.files = [w.path for w in planned]
            result.written = True
            result.commit = made[:7] if made else None
            return result
    except (fileio.FileRefused, gitstore.GitError) as exc:
        message = exc.message if isinstance(exc, LedgerError) else str(exc)
        raise ImportRefused(message) from None
    except LedgerError as exc:
        if result.recovered:  # what became of the interrupted write is news even when this one fails
            refusal = _("{recovered}; then: {refusal}").format(
                recovered=result.recovered, refusal=exc.message
            )
            raise ImportRefused(refusal, exit_code=exc.exit_code) from None
        raise


def _nothing_drafted(drafted: Any) -> list[str]:
    """A gap line for the measures that got no target and no budget: a reviewer adds what they commit
    to or give (the importer drafts no instruments); ``ledger validate`` warns of them (L008)."""
    from .amounts import format_ranges

    covered = {t.measure for t in drafted.targets} | {b.measure for b in drafted.budgets}
    bare = [m.number for m in drafted.measures if m.number not in covered]
    if not bare:
        return []
    return [
        ngettext(
            "measure {numbers} has no target or budget drafted; add what it commits to or gives",
            "measures {numbers} have no target or budget drafted; add what they commit to or give",
            len(bare),
        ).format(numbers=format_ranges(bare))
    ]


def drafted_counts(counts: dict[str, int]) -> str:
    """``1 document, 8 areas, 57 measures, 8 budgets, 127 targets`` in the reader's language."""
    words = {
        "documents": lambda n: ngettext("{n} document", "{n} documents", n),
        "areas": lambda n: ngettext("{n} area", "{n} areas", n),
        "measures": lambda n: ngettext("{n} measure", "{n} measures", n),
        "budgets": lambda n: ngettext("{n} budget", "{n} budgets", n),
        "targets": lambda n: ngettext("{n} target", "{n} targets", n),
    }
    return _(", ").join(words[key](n).format(n=n) for key, n in counts.items())


def _read(data_dir: Path, source_file: Path, target: Path, new_text: bytes) -> dict[Path, bytes | None]:
    """The bytes of the source text's file and of every data file (None: not there)."""
    from .fileio import MAX_DATA_BYTES, FileRefused, read_regular

    files: dict[Path, bytes | None] = {}
    for path in (target, *(data_dir / name for name in FILE_LAYOUT)):
        if not path.exists() and not path.is_symlink():
            files[path] = None
            continue
        try:
            files[path] = read_regular(path, MAX_DATA_BYTES)
        except FileRefused as exc:
            raise ImportRefused(_("{refusal}; nothing was written").format(refusal=exc)) from None
    held = files[target]
    if held is not None and held != new_text and not _same_file(source_file, target):
        raise _usage(
            _(
                "{path} already exists and holds another text; import under another --id, "
                "or remove that file if it is left over"
            ).format(path=f"source/{target.name}")
        )
    return files


def _same_file(first: Path, second: Path) -> bool:
    try:
        return first.samefile(second)
    except OSError:
        return False


def _plan(
    data_dir: Path,
    files: dict[Path, bytes | None],
    identifier: str,
    additions: dict[str, list[Any]],
    new_text: bytes,
) -> list[Any]:
    """The files' new bytes, the source text's first, each checked: the ledger read from ``files`` must
    not hold the document already, each file must be whole, and each appended file must read back as it
    was plus the drafted records, line for line."""
    from .loader import empty_file
    from .writes import FileWrite

    source_path, *data_paths = files
    loaded = {path.name: raw if raw is not None else empty_file(path.name) for path, raw in files.items()
              if path != source_path}  # fmt: skip
    ledger, problems = load_ledger(data_dir, files=dict(loaded), use_cache=False)
    first = first_uneditable(problems)
    if first is not None:  # a file that does not parse (or repeats a key) cannot be appended to safely
        raise ImportRefused(
            _("{source}: {problem}; fix it (run `ledger validate`) before importing").format(
                source=first.source, problem=shown(first.message)
            )
        )
    taken = ledger.document(identifier) is not None or any(
        getattr(record, "document", None) == identifier
        for key in ("areas", "measures", "targets", "budgets", "instruments")
        for record in getattr(ledger, key)
    )
    if taken:
        raise _usage(
            _(
                "the ledger already holds document '{id}'; import the text under another --id, "
                "or review the document that is there (ledger review --document {id})"
            ).format(id=identifier)
        )
    document = additions["documents"][0]
    # a data file's comment is the same whoever imports, like a commit message
    comment = (
        f"{document.number}《{document.title}》 ({identifier}): drafted by `ledger import`, "
        "see `ledger review`"
    )
    planned = [FileWrite(source_path, files[source_path], new_text, adds=True)]
    for path in data_paths:
        if path.name not in _WRITTEN:
            continue
        old = files[path]
        text = old.decode("utf-8-sig") if old is not None else _new_file(path.name)
        lists = {
            key: [_mapping(record, key in _QUOTED_IDS) for record in additions[key]]
            for key in _WRITTEN[path.name]
        }
        try:
            new = append_records(text, lists, comment)
        except HouseStyleError as exc:
            raise ImportRefused(
                _("{file}:{refusal}; nothing was written").format(file=path.name, refusal=exc)
            ) from None
        bom = BOM_UTF8 if old is not None and old.startswith(BOM_UTF8) else b""
        _verify(path.name, text, new, {key: additions[key] for key in _WRITTEN[path.name]})
        planned.append(FileWrite(path, old, bom + new.encode("utf-8")))
    return planned


def _new_file(name: str) -> str:
    """What a data file the import creates holds before its records: its header and empty lists."""
    return _HEADERS[name] + "\n" + "\n".join(f"{key}: []\n" for key in FILE_LAYOUT[name])


def _mapping(record: Any, quoted_id: bool = False) -> Any:
    """A drafted record as the house writes it: its model's fields in order, without empty ones."""
    from .yamlio import new_mapping

    fields = []
    for name in type(record).model_fields:
        value = getattr(record, name)
        if value is None or (isinstance(value, list) and not value):
            continue
        fields.append((name, house_form(value, quoted=quoted_id and name == "id")))
    return new_mapping(fields)


def house_form(value: Any, *, quoted: bool = False) -> Any:
    """A field's value as the house writes it (``yamlio.house_value``), with a fraction in double
    quotes (``"2/3"``) and a record's parts as mappings; also a reviewer's edit (``review``)."""
    from pydantic import BaseModel
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    from .yamlio import house_value

    if isinstance(value, BaseModel):
        return _mapping(value)
    if isinstance(value, list) and value and isinstance(value[0], BaseModel):
        return house_value([_mapping(item) for item in value])  # a list of mappings, in block style
    if isinstance(value, Fraction):
        return DoubleQuotedScalarString(f"{value.numerator}/{value.denominator}")
    if isinstance(value, (str, list)):
        return house_value(value, quoted=quoted)
    if isinstance(value, (bool, int, Decimal, date)):
        return value
    raise TypeError(f"no house form for {type(value).__name__}")  # a field type the models gained


def _verify(name: str, old: str, new: str, additions: dict[str, list[Any]]) -> None:
    """``new`` holds every line of ``old`` in order (a list written ``key: []`` may open as ``key:``),
    and reads back as ``old``'s records followed by exactly the drafted ones."""
    from pydantic import ValidationError

    from .yamlio import parse

    refusal = ImportRefused(
        _("{file}: the appended records would not read back as drafted; nothing was written").format(
            file=name
        )
    )
    old_lines, new_lines = old.splitlines(), new.splitlines()
    at = 0
    for line in new_lines:
        if at < len(old_lines) and (
            line == old_lines[at] or (old_lines[at].endswith(": []") and line == old_lines[at][:-3])
        ):
            at += 1
    if at != len(old_lines):
        raise refusal
    before, after = parse(old.encode("utf-8")).data or {}, parse(new.encode("utf-8")).data or {}
    models = FILE_LAYOUT[name]
    for key, value in before.items():
        if key not in additions and after.get(key) != value:
            raise refusal
    for key, records in additions.items():
        held = before.get(key) or []
        written = after.get(key) or []
        if written[: len(held)] != held or len(written) != len(held) + len(records):
            raise refusal
        try:
            read = [models[key].model_validate(item) for item in written[len(held) :]]
        except ValidationError:
            raise refusal from None
        if [r.model_dump() for r in read] != [r.model_dump() for r in records]:
            raise refusal


def _commit_message(document: Any, counts: dict[str, int]) -> str:
    """``import(<id>): <number> drafted (8 areas, 57 measures, 8 budgets, 163 targets)``, in English."""
    parts = ", ".join(f"{counts[key]} {key}" for key in ("areas", "measures", "budgets", "targets"))
    return f"import({document.id}): {document.number} drafted from {document.source} ({parts})"
