"""``ledger review``: a person reads each draft of ``ledger import`` against its text and decides.

A draft is shown with its fields and its quote in the text around it; the reviewer accepts it (the
``draft: true`` line goes), edits it field by field (each answer checked by the models, a bad one asked
again in one line) and accepts it so, drops it (a target or a budget the text does not support), skips
it, or stops. Each decision is written as soon as it is made, through the ledger's write protocol
(``writes``: under the lock, round trip, read back) and committed on its own, so a session stopped at any
moment (Ctrl-C, the end of the input) leaves every decision made before it written and committed, and
nothing half written.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from .i18n import N_, _, in_english
from .loader import LIST_FILES, load_ledger, read_files
from .messages import record as record_label
from .messages import shown
from .problems import LedgerError, Problem

#: The lists that hold drafts, in the order a reviewer meets them, and the kind of record each holds.
KINDS = {
    "documents": "document",
    "areas": "area",
    "measures": "measure",
    "budgets": "budget",
    "targets": "target",
}
#: What the reviewer may change, by kind, in the order asked.
EDITABLE: dict[str, tuple[str, ...]] = {
    "document": ("number", "title", "issuer", "date"),
    "area": ("title", "leads"),
    "measure": ("title",),
    "budget": (),  # its allocations are edited in budgets.yaml, where they stand side by side
    "target": ("what", "value", "unit", "comparator", "commitment", "deadline"),
}
#: Kinds a reviewer may drop: a target or a budget the text does not support. A document, area or
#: measure is the text's own structure; it is corrected, not dropped.
DROPPABLE = {"budget", "target"}
_NUMBERS = {"value", "total", "amount"}


class ReviewRefused(LedgerError):
    """A decision could not be written; nothing of it was."""


@dataclass(frozen=True)
class DraftRef:
    """A draft as the reviewer meets it: its list, its document and its id (a number for an area or a
    measure)."""

    key: str
    document: str
    ident: str

    @property
    def kind(self) -> str:
        return KINDS[self.key]

    def label(self) -> str:
        return str(record_label(self.kind, self.ident).shown())


def _key_of(record: Any, key: str) -> tuple[str, str]:
    """The document and the id of a record of the list ``key`` (an area's or a measure's id is its
    number), from its model or from its mapping as the file holds it; empty for an item that is neither."""
    names = ("id" if key == "documents" else "document", "number" if key in ("areas", "measures") else "id")
    if isinstance(record, dict):
        return str(record.get(names[0])), str(record.get(names[1]))
    return str(getattr(record, names[0], "")), str(getattr(record, names[1], ""))


def drafts(ledger: Any, document: str | None = None) -> list[DraftRef]:
    """Every draft of the ledger (of ``document`` only, when given), in review order."""
    found = []
    for key in KINDS:
        for record in getattr(ledger, key):
            of, ident = _key_of(record, key)
            if record.draft and (document is None or of == document):
                found.append(DraftRef(key, of, ident))
    return found


def find(ledger: Any, ref: DraftRef) -> Any:
    for record in getattr(ledger, ref.key):
        if _key_of(record, ref.key) == (ref.document, ref.ident):
            return record
    return None


# --- reading an answer ------------------------------------------------------------------------------


def parse_field(model: type[Any], name: str, text: str) -> Any:
    """What the reviewer typed for ``name``, as the model holds it; ``ValueError`` (one line) if the
    model refuses it. An empty answer to an optional field (``-``) clears it: None."""
    from pydantic import TypeAdapter, ValidationError

    from .amounts import parse_number
    from .models import MAX_LEADS

    field = model.model_fields[name]
    text = text.strip()
    if text == "-":
        if field.is_required():
            raise ValueError(_("{field} is required; type a value").format(field=name))
        return None
    value: Any = text
    if name in _NUMBERS and "/" not in text:
        value = parse_number(text)  # its refusal is one line already
    elif name == "leads":
        value = [
            lead.strip() for lead in text.replace("、", ",").replace("，", ",").split(",") if lead.strip()
        ]
        if len(value) > MAX_LEADS:
            raise ValueError(_("at most {count} lead bureaus").format(count=MAX_LEADS))
    kind: Any = Annotated[(field.annotation, *field.metadata)] if field.metadata else field.annotation
    adapter: TypeAdapter[Any] = TypeAdapter(kind)
    try:
        return adapter.validate_python(value)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        reason = str(error["msg"]).removeprefix("Value error, ")
        if error["type"] == "literal_error":
            words = [c for c in getattr(field.annotation, "__args__", ()) if isinstance(c, str)]
            reason = _("choose one of {choices}").format(choices=", ".join(words)) if words else reason
        raise ValueError(reason) from None


def check_record(record: Any, changes: dict[str, Any]) -> str | None:
    """Why the record with ``changes`` would not be a valid record (one line), or None."""
    from pydantic import ValidationError

    try:
        _changed(record, changes)
    except ValidationError as exc:
        return str(exc.errors(include_url=False)[0]["msg"]).removeprefix("Value error, ")
    return None


def _changed(record: Any, changes: dict[str, Any]) -> Any:
    """The record with ``changes`` made (a change to None clears the field), checked by its model."""
    data = {**record.model_dump(), **changes}
    return type(record).model_validate({key: value for key, value in data.items() if value is not None})


# --- writing a decision -----------------------------------------------------------------------------


def decide(
    data_dir: Path, ref: DraftRef, action: str, changes: dict[str, Any] | None = None, *, commit: bool = True
) -> str | None:
    """Write one decision (``accept`` with the ``changes`` made, or ``drop``) and commit it alone; the
    commit's short id, or None when not committed. Refuses in one line (``ReviewRefused``)."""
    from . import fileio, gitstore, writes

    path = data_dir / LIST_FILES[ref.key]
    commit = commit and gitstore.git_dir(data_dir) is not None
    try:
        with writes.locked(data_dir, [path]):

            def plan() -> tuple[list[writes.FileWrite], str]:
                old, new, message = _decision_bytes(data_dir, path, ref, action, changes or {})
                return [writes.FileWrite(path, old, new)], message

            _written, made = writes.write_retrying(plan, commit=commit)
            return made[:7] if made else None
    except (fileio.FileRefused, gitstore.GitError) as exc:
        raise ReviewRefused(exc.message if isinstance(exc, LedgerError) else str(exc)) from None


def _decision_bytes(
    data_dir: Path, path: Path, ref: DraftRef, action: str, changes: dict[str, Any]
) -> tuple[bytes, bytes, str]:
    from codecs import BOM_UTF8

    from .importing import house_form
    from .yamlio import HouseStyleError, Span, edit_record, remove_record

    files = read_files(data_dir)
    old = files[path.name]
    if isinstance(old, Problem):
        raise ReviewRefused(_("{source}: {problem}").format(source=old.source, problem=shown(old.message)))
    ledger, _problems = load_ledger(data_dir, files=files, keep=False)
    record = find(ledger, ref)
    if record is None or not record.draft:
        raise ReviewRefused(
            _(
                "{record} of {document} is no longer a draft (someone else reviewed it); nothing was written"
            ).format(record=ref.label(), document=ref.document)
        )
    text = old.decode("utf-8-sig")
    place = record.place
    span = Span(place.line, place.column, place.end, {})
    try:
        if action == "drop":
            edit = remove_record(text, span, ref.ident, ref.key, len(getattr(ledger, ref.key)))
        else:

            def change(mapping: Any) -> None:
                for name, value in changes.items():
                    if value is None:
                        mapping.pop(name, None)
                    elif name in mapping:
                        mapping[name] = house_form(value)
                    else:
                        mapping.insert(_position(type(record), mapping, name), name, house_form(value))
                del mapping["draft"]

            edit = edit_record(text, span, ref.ident, change)
    except HouseStyleError as exc:
        raise ReviewRefused(
            _("{file}:{refusal}; nothing was written").format(file=path.name, refusal=exc)
        ) from None
    new_text = edit.text
    _verify(path.name, ref, text, new_text, record, action, changes)
    with in_english():
        verb = {"drop": "drop", "accept": "edit" if changes else "accept"}[action]
        fields = f" ({', '.join(changes)})" if changes else ""
        message = f"review({ref.document}): {verb} {ref.kind} {ref.ident}{fields}"
    bom = BOM_UTF8 if old.startswith(BOM_UTF8) else b""
    return old, bom + new_text.encode("utf-8"), message


def _position(model: type[Any], mapping: Any, name: str) -> int:
    """Where a field the record did not have goes: after the fields the model puts before it."""
    order = list(model.model_fields)
    before = set(order[: order.index(name)])
    return sum(1 for key in mapping if key in before)


def _verify(
    name: str, ref: DraftRef, old: str, new: str, record: Any, action: str, changes: dict[str, Any]
) -> None:
    """The file reads back as before, but for the one record: gone (drop), or the record with its
    changes and without its draft mark."""
    from .loader import FILE_LAYOUT
    from .yamlio import parse

    refusal = ReviewRefused(
        _("{file}: the decision on {record} would not read back as made; nothing was written").format(
            file=name, record=ref.label()
        )
    )
    before, after = parse(old.encode("utf-8")).data or {}, parse(new.encode("utf-8")).data or {}
    for key in before:
        if key != ref.key and before[key] != after.get(key):
            raise refusal
    items, kept = before.get(ref.key) or [], after.get(ref.key) or []
    model = FILE_LAYOUT[name][ref.key]
    index = next(
        (i for i, item in enumerate(items) if _key_of(item, ref.key) == (ref.document, ref.ident)), None
    )
    if index is None:
        raise refusal
    expected_rest = items[:index] + items[index + 1 :]
    if action == "drop":
        if kept != expected_rest:
            raise refusal
        return
    if len(kept) != len(items) or kept[:index] + kept[index + 1 :] != expected_rest:
        raise refusal
    try:
        written = model.model_validate(kept[index])
    except ValueError:
        raise refusal from None
    if written.model_dump() != _changed(record, {**changes, "draft": None}).model_dump():
        raise refusal


# --- showing a draft --------------------------------------------------------------------------------

_CONTEXT_CHARS = 40


def fields_of(record: Any) -> Iterator[tuple[str, str]]:
    """The record's fields as (name, text) lines, as the data file writes them."""
    from .amounts import format_number

    for name in type(record).model_fields:
        value = getattr(record, name)
        if value is None or name == "draft" or (isinstance(value, list) and not value):
            continue
        if name == "allocations":
            for allocation in value:
                unit = allocation.unit or record.unit
                yield (f"  {allocation.id}", f"{allocation.label} {format_number(allocation.amount)}{unit}")
            continue
        if hasattr(value, "model_dump"):
            value = ", ".join(f"{k}: {v}" for k, v in value.model_dump(exclude_none=True).items())
        elif isinstance(value, list):
            value = "、".join(str(v) for v in value)
        elif name in _NUMBERS:
            value = format_number(value)
        yield name, str(value)


def quote_of(record: Any) -> str | None:
    for name in ("quote", "heading", "text"):
        value = getattr(record, name, None)
        if value:
            return str(value)
    return None


def in_context(source: str, quote: str) -> tuple[str, str, str] | None:
    """The quote with the text before and after it in the source (a line's worth each), or None."""
    at = source.find(quote)
    if at < 0:
        return None
    before = source[max(0, at - _CONTEXT_CHARS) : at].rsplit("\n", 1)[-1]
    after = source[at + len(quote) : at + len(quote) + _CONTEXT_CHARS].split("\n", 1)[0]
    return before, quote, after


#: The answers to "what now?", each with the words that choose it.
ACTIONS = {
    "accept": ("a", "accept", N_("accept")),
    "edit": ("e", "edit", N_("edit")),
    "drop": ("d", "drop", N_("drop")),
    "skip": ("s", "skip", N_("skip")),
    "quit": ("q", "quit", N_("quit")),
}


def read_action(answer: str, allowed: list[str]) -> str | None:
    word = answer.strip().lower()
    for action in allowed:
        if word in {w if i < 2 else _(w) for i, w in enumerate(ACTIONS[action])}:
            return action
    return None


def shown_value(value: Any) -> str:
    """A field's value as the reviewer types it: ``-`` for none, leads joined with commas."""
    from fractions import Fraction

    from .amounts import format_number

    if value is None:
        return "-"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}"
    if hasattr(value, "as_tuple"):
        return format_number(value)
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)
