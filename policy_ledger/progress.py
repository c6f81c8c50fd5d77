"""Recording progress: a validated entry written into one record and committed alone, safely.

The protocol, under the ledger's write lock: finish or undo what a killed writer left; read the file's
bytes; load the ledger from exactly those bytes; build and check the entry; edit the record's lines alone
(``yamlio.edit_record``) and read them back; prepare the commit from the bytes to be written (HEAD must
hold the bytes read); replace the file only if it still holds the bytes read (compare and swap); read it
back; move the branch only if it has not moved. Whenever another program gets in between, the writer
starts over, a bounded number of times, and then refuses in one line. Nothing is ever half written,
and a commit never holds anything but the entry.
"""

from __future__ import annotations

import difflib
import re
from codecs import BOM_UTF8
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from .amounts import MONEY_UNITS, Number, convert, exact_sum, format_amount, format_number
from .cells import describe_entry
from .checks import entry_kind_problem, progress_date_problem
from .i18n import _
from .ledger import Ledger
from .loader import BUDGETS, INSTRUMENTS, TARGETS, load_ledger, read_files
from .messages import Refusal, shown
from .models import MilestoneStatus, Period, ProgressEntry
from .problems import LedgerError, Problem, first_uneditable

#: A note or source is a line of context, not a document; longer text belongs in the source it names.
MAX_TEXT_CHARS = 500
#: Characters YAML (or a reader) treats as line breaks besides \n and \r.
_LINE_BREAKS = ("\x85", "\u2028", "\u2029")


class ProgressRefused(LedgerError):
    """The entry was not written: the request does not fit the data (exit code 2) or the file (1)."""


def _unfit(message: str) -> ProgressRefused:
    """The request does not fit its record or the command line: a usage error (exit code 2)."""
    return ProgressRefused(message, exit_code=2)


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
    # an instrument's 配套政策 (the document that sets its standard) …
    document_number: str | None = None
    title: str | None = None
    address: str | None = None
    standard: str | None = None  # the standard it sets, in its words (补助标准 …)
    # … or its 兑现 to date: --value (money) and/or how many beneficiaries received it
    recipients: str | None = None


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
    #: what this command did about a write that a killed writer left unfinished, if anything
    recovered: str | None = None
    #: how typed input was read into its canonical spelling (``read --value ２３．５ as 23.5 (…)``)
    notices: list[str] = field(default_factory=list)
    #: likely unit slips in the entry (0.425 on a target of 42.5%); the entry is written all the same
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class EntryOwner:
    """The record an entry is added to, and what its entries must fit."""

    label: str
    record: Any  # the top-level record whose lines are edited (the budget, for an allocation)
    entries: list[Any]  # ProgressEntry, or models.InstrumentEntry for an instrument
    period: Period
    due: date | None  # None: a target with a horizon, read for years
    unit: str | None = None
    milestone: bool = False
    within: tuple[str | int, ...] = ()  # where the entries' owner stands inside it: ("allocations", i)
    verb: str = "as of"  # "paid out as of" for allocations
    instrument: bool = False  # entries are 配套政策 issued or 兑现 (models.InstrumentEntry)
    aim: Number | None = None  # a target's value, which a reading 100 times over has likely slipped
    #: the money an entry is paid from, in the unit given with it, and the allocations it comes from
    #: (none: the owner's own amount); more than this paid out has likely slipped
    ceiling: tuple[Decimal, str, tuple[str, ...]] | None = None


def record_progress(
    data_dir: Path,
    request: ProgressRequest,
    *,
    commit: bool = True,
    dry_run: bool = False,
    today: date | None = None,
) -> ProgressResult:
    """Check, write, verify and (by default) commit one progress entry; never leaves a half-done file."""
    from . import fileio, gitstore, writes

    today = today or date.today()
    path = data_dir / {"B": BUDGETS, "I": INSTRUMENTS}.get(request.record_id[:1], TARGETS)
    if commit and not dry_run:
        gitstore.require_repository(path)
    _clean_text(request.note, "--note")  # a refusal that needs no data comes before the lock
    _clean_text(request.source, "--source")
    try:
        with writes.locked(data_dir, [path]) as recovered:
            try:
                result = _write_entry(
                    data_dir, path, request, commit=commit and not dry_run, dry_run=dry_run, today=today
                )
            except (fileio.FileRefused, LedgerError) as exc:
                refusal = exc.message if isinstance(exc, LedgerError) else str(exc)
                if recovered:  # what became of the interrupted write is news even when this one fails
                    refusal = _("{recovered}; then: {refusal}").format(recovered=recovered, refusal=refusal)
                code = exc.exit_code if isinstance(exc, LedgerError) else 1
                raise ProgressRefused(refusal, exit_code=code) from None
            result.recovered = recovered
            return result
    except (fileio.FileRefused, gitstore.GitError) as exc:
        raise ProgressRefused(str(exc)) from None


def _write_entry(
    data_dir: Path, path: Path, request: ProgressRequest, *, commit: bool, dry_run: bool, today: date
) -> ProgressResult:
    """Prepare the entry from the files as they are and write it through ``writes.write_retrying``, which
    prepares it again whenever another program got in between; the preparation that was written is kept
    (``last``) for its result and for the cache entry derived from it (``_remember``)."""
    from . import writes

    if dry_run:
        prepared = _prepare(data_dir, path, request, today)
        prepared.result.diff = _unified_diff(path, prepared.old.decode("utf-8-sig"), prepared.edit)
        return prepared.result
    last: list[_Prepared] = []

    def plan() -> tuple[list[writes.FileWrite], str]:
        last[:] = [_prepare(data_dir, path, request, today)]
        return [writes.FileWrite(path, last[0].old, last[0].new)], last[0].result.message

    _written, made = writes.write_retrying(plan, commit=commit)
    done = last[0]
    done.result.written = True
    done.result.commit = made[:7] if made else None
    if not done.problems:
        _remember(done, path.name)
    return done.result


@dataclass
class _Prepared:
    """One entry made ready to write from the files as read: the ledger read, the edit and its bytes."""

    ledger: Ledger
    problems: list[Problem]
    owner: EntryOwner
    built: _Built
    edit: Any  # yamlio.Edit
    old: bytes
    new: bytes
    result: ProgressResult


def _prepare(data_dir: Path, path: Path, request: ProgressRequest, today: date) -> _Prepared:
    files = read_files(data_dir)
    old = files[path.name]
    if isinstance(old, Problem):
        raise ProgressRefused(
            _("{source}: {problem}; {hint}").format(
                source=old.source, problem=shown(old.message), hint=shown(old.hint)
            )
        )
    ledger, problems = load_ledger(data_dir, files=files, document=request.document, keep=False)
    _refuse_if_file_broken(problems, path)
    owner = find_owner(ledger, request.record_id, request.document)
    built = _build_entry(request, owner, today)
    edit = _edit(old.decode("utf-8-sig"), owner, built.entry, built.replaced)
    new = (BOM_UTF8 if old.startswith(BOM_UTF8) else b"") + edit.text.encode("utf-8")
    message = _commit_message(request.record_id, owner, built.entry, built.replaced)
    result = ProgressResult(
        request.record_id, built.entry, path, "", message, replaced=built.replaced,
        notices=built.notices, warnings=_slips(built.entry, owner),
    )  # fmt: skip
    return _Prepared(ledger, problems, owner, built, edit, old, new, result)


def _remember(written: _Prepared, filename: str) -> None:
    """Store the ledger of the bytes just written as a new cache entry, so that the next command
    (another entry, typically) does not parse every file again.

    It is derived from the ledger loaded before the write, which differs only where the edit did: the
    record's entries, and the lines of every later record of the file, moved by the lines the edit added.
    The entry is written whole under the key of the new bytes; the one it came from is left as it was.
    Whether the derivation equals a fresh load is a test (``test_progress.py``).
    """
    from dataclasses import replace as moved

    from . import cache
    from .loader import LIST_FILES
    from .problems import FileText

    ledger, owner, edit, entry = written.ledger, written.owner, written.edit, written.built.entry
    replaced = written.built.replaced
    shift = edit.new_end - edit.old_end
    text = FileText(written.new)
    if replaced is None:
        entries = [*owner.entries, entry]
    else:
        entries = [entry if e is replaced else e for e in owner.entries]
    record = owner.record
    if owner.within:
        index = int(owner.within[1])
        allocations = list(record.allocations)
        allocations[index] = allocations[index].model_copy(update={"progress": entries})
        new = record.model_copy(update={"allocations": allocations})
    else:
        new = record.model_copy(update={"progress": entries})
    for list_key, name in LIST_FILES.items():
        if name != filename:
            continue
        records = getattr(ledger, list_key)
        for position, item in enumerate(records):
            if item is record:
                item = new
            place = item.place
            if place.line - 1 >= edit.old_end:
                place = moved(place, line=place.line + shift, end=place.end + shift, text=text)
            elif place.line - 1 == edit.start:
                place = moved(place, end=place.end + shift, text=text)
            else:
                place = moved(place, text=text)
            item._place = place
            records[position] = item
    ledger.digests[filename] = cache.digest(written.new)
    ledger._index = None
    cache.write(cache.key(ledger.digests), ledger)


def find_owner(ledger: Ledger, record_id: str, document_id: str | None = None) -> EntryOwner:
    """The target or allocation ``record_id`` names (in ``document_id`` when the ledger holds several)."""
    doc = ledger.pick_document(document_id)
    document = ledger.document(doc)
    if document is None:
        raise _unfit(ledger.unknown_id(record_id, doc))
    period = document.period
    target = ledger.target(record_id, doc)
    if target is not None and target.place is not None:
        due = ledger.due(target)
        label = _("target {id}").format(id=record_id)
        return EntryOwner(
            label,
            target,
            target.progress,
            period,
            due,
            unit=target.unit,
            milestone=target.is_milestone,
            aim=target.value,
        )
    instrument = ledger.instrument(record_id, doc)
    if instrument is not None and instrument.place is not None:
        label = _("instrument {id}").format(id=record_id)
        ceiling = _drawn_on(ledger, instrument.funded_by, doc)
        return EntryOwner(
            label, instrument, instrument.progress, period, period.end, instrument=True, ceiling=ceiling
        )
    found = ledger.allocation(record_id, doc)
    if found is not None and found[0].place is not None:
        budget, index, allocation = found
        return EntryOwner(
            _("allocation {id}").format(id=record_id),
            budget,
            allocation.progress,
            period,
            period.end,
            unit=budget.unit_of(allocation),
            within=("allocations", index),
            verb="paid out as of",
            ceiling=(allocation.amount, budget.unit_of(allocation), ()),
        )
    raise _unfit(ledger.unknown_id(record_id, doc))


def _drawn_on(
    ledger: Ledger, allocation_ids: list[str], doc: str
) -> tuple[Decimal, str, tuple[str, ...]] | None:
    """The money of the allocations an instrument is paid from, added up in the first one's unit (None
    when it names none, or one that is missing or not in money)."""
    amounts = []
    for allocation_id in allocation_ids:
        found = ledger.allocation(allocation_id, doc)
        if found is None:
            return None
        budget, _index, allocation = found
        amounts.append((allocation.amount, budget.unit_of(allocation)))
    if not amounts:
        return None
    unit = amounts[0][1]
    if any(u not in MONEY_UNITS for _amount, u in amounts):
        return None
    total = exact_sum(convert(amount, u, unit) for amount, u in amounts)
    return total, unit, tuple(allocation_ids)


def _refuse_if_file_broken(problems: list[Any], path: Path) -> None:
    first = first_uneditable(problems, path.name)
    if first is not None:
        raise ProgressRefused(
            _("{source}: {problem}; fix {file} (run `ledger validate`) before adding entries").format(
                source=first.source, problem=shown(first.message), file=path.name
            )
        )


@dataclass
class _Built:
    """An entry built from a request: the entry, the one it replaces, and how typed input was read."""

    entry: Any  # ProgressEntry, or models.InstrumentEntry
    replaced: Any
    notices: list[str]


def _build_entry(request: ProgressRequest, owner: EntryOwner, today: date) -> _Built:
    notices: list[str] = []
    as_of = _parse_date(request.as_of, notices)
    if owner.instrument:
        entry, replaced = _build_instrument_entry(request, owner, as_of, today, notices)
        return _Built(entry, replaced, notices)
    value = unit = None
    if owner.milestone:
        if request.value is not None:
            raise _unfit(
                _(
                    "{record} is a milestone: record --done or --status in_progress|done|dropped, not --value"
                ).format(record=owner.label)
            )
        if request.status is None:
            raise _unfit(_("{record} is a milestone: give --done or --status").format(record=owner.label))
    else:
        if request.status is not None:
            raise _unfit(
                _("{record} has a value to reach: give --value in {unit}, not a status").format(
                    record=owner.label, unit=owner.unit or _("its unit")
                )
            )
        if request.value is None:
            raise _unfit(
                _("{record} needs --value (a number in {unit})").format(
                    record=owner.label, unit=owner.unit or _("its unit")
                )
            )
        value, unit = _parse_value(request.value, request.unit, owner, notices)
    replaced = next((e for e in owner.entries if e.as_of == as_of), None)
    if request.replace and replaced is None:
        raise _unfit(
            _("{record} has no entry as of {date} to replace; leave out --replace to add one").format(
                record=owner.label, date=as_of
            )
        )
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
        raise _unfit(
            _("{record} {problem}; {advice}").format(
                record=owner.label, problem=shown(kind[0]), advice=shown(kind[1])
            )
        )
    problem = progress_date_problem(as_of, owner.due, owner.period, today)
    if problem:
        raise _unfit(
            _("{record}: {problem}; check --as-of").format(record=owner.label, problem=shown(problem))
        )
    if replaced is not None and not request.replace:
        raise _unfit(
            _("{record} already has an entry as of {date} ({entry}); pass --replace to correct it").format(
                record=owner.label, date=as_of, entry=describe_entry(replaced, owner.unit)
            )
        )
    return _Built(entry, replaced, notices)


def _build_instrument_entry(
    request: ProgressRequest, owner: EntryOwner, as_of: date, today: date, notices: list[str]
) -> tuple[Any, Any]:
    """An instrument's entry: its 配套政策 issued (--number and --title), or its 兑现 to date (--value in
    money, --recipients, or both)."""
    from pydantic import ValidationError

    from .models import InstrumentEntry, parse_record_number

    issued = any(x is not None for x in (request.document_number, request.title, request.standard))
    if request.status is not None:
        raise _unfit(
            _("{record} takes no status: give --number and --title, or --value").format(record=owner.label)
        )
    value = unit = recipients = None
    if request.value is not None:
        value, unit = _read_value(request.value, request.unit, "120万元", True, notices)
        if unit not in MONEY_UNITS:
            raise _unfit(
                _(
                    "{record}: 兑现 is money paid or granted; "
                    "give it in 元, 万元 or 亿元 (e.g. --value 120万元)"
                ).format(record=owner.label)
            )
    if request.recipients is not None:
        from .typed import read_count

        try:
            count = read_count(request.recipients)
            recipients = parse_record_number(count.text)
        except ValueError as exc:
            raise _unfit(
                _("--recipients '{text}': {reason}").format(text=request.recipients, reason=_refusal(exc))
            ) from None
        _note("--recipients", count, notices)
    if issued == (value is not None or recipients is not None):
        raise _unfit(
            _(
                "{record}: record either its 配套政策 (--number and --title) or its 兑现 "
                "(--value and/or --recipients), one per entry"
            ).format(record=owner.label)
        )
    fields = {
        "as_of": as_of,
        "kind": "standard_issued" if issued else "paid",
        "document_number": _clean_text(request.document_number, "--number"),
        "title": _clean_text(request.title, "--title"),
        "address": _clean_text(request.address, "--address"),
        "standard": _clean_text(request.standard, "--standard"),
        "value": value,
        "unit": unit,
        "recipients": recipients,
        "note": _clean_text(request.note, "--note"),
        "source": _clean_text(request.source, "--source"),
    }
    same_day = (e for e in owner.entries if e.as_of == as_of and getattr(e, "kind", None) == fields["kind"])
    replaced = next(same_day, None)
    if request.replace and replaced is None:
        raise _unfit(
            _("{record} has no such entry as of {date} to replace; leave out --replace to add one").format(
                record=owner.label, date=as_of
            )
        )
    if replaced is not None and not request.replace:
        raise _unfit(
            _("{record} already has this kind of entry as of {date}; pass --replace to correct it").format(
                record=owner.label, date=as_of
            )
        )
    try:
        entry = InstrumentEntry.model_validate({k: v for k, v in fields.items() if v is not None})
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        cause = error.get("ctx", {}).get("error")
        reason = (
            cause.shown() if isinstance(cause, Refusal) else str(error["msg"]).removeprefix("Value error, ")
        )
        raise _unfit(_("{record}: {problem}").format(record=owner.label, problem=reason)) from None
    problem = progress_date_problem(as_of, owner.due, owner.period, today)
    if problem:
        raise _unfit(
            _("{record}: {problem}; check --as-of").format(record=owner.label, problem=shown(problem))
        )
    return entry, replaced


def _refusal(exc: ValueError) -> str:
    """Why typed input was refused, in the reader's language (a ``Refusal`` carries its words as data)."""
    return exc.shown() if isinstance(exc, Refusal) else str(exc)


def _parse_date(text: str, notices: list[str]) -> date:
    """``--as-of`` as typed (``2023/6/30``, ``2023年6月30日``), read by ``typed.read_day``."""
    from .typed import read_day

    try:
        day = read_day(text)
    except ValueError as exc:
        raise _unfit(_("--as-of '{text}': {reason}").format(text=text, reason=_refusal(exc))) from None
    _note("--as-of", day, notices)
    return day.value


def _note(option: str, typed: Any, notices: list[str]) -> None:
    """Say how ``option`` was read, when reading it changed what was typed."""
    if typed.changes:
        from . import words

        notices.append(words.read_as(option, typed.typed, typed.text, typed.changes))


def _read_value(
    text: str, unit_option: str | None, example: str, money: bool, notices: list[str]
) -> tuple[Decimal, str | None]:
    """``--value 23.5``, ``--value 23.5亿元`` or ``--value 23.5 --unit 亿元``, as typed (``２３．５亿``,
    ``1,000``; ``typed.read_amount``): the number and the unit given with it, if any, given once.
    ``money``: the record counts money, so ``亿`` is ``亿元``."""
    from .typed import NotANumber, read_amount, read_unit

    try:
        typed = read_amount(text, money=money)
    except NotANumber:
        raise _unfit(
            _("--value '{text}' is not a number; write it like {example}").format(text=text, example=example)
        ) from None
    except ValueError as exc:
        raise _unfit(_("--value '{text}': {reason}").format(text=text, reason=_refusal(exc))) from None
    _note("--value", typed, notices)
    written_unit = typed.unit
    option_unit = None
    if unit_option is not None:
        unit = read_unit(unit_option, money=money)
        _note("--unit", unit, notices)
        option_unit = unit.value or None
    if written_unit and option_unit and written_unit != option_unit:
        raise _unfit(
            _("--value says {written} but --unit says {given}; give the unit once").format(
                written=written_unit, given=option_unit
            )
        )
    return typed.value, written_unit or option_unit


def _parse_value(
    text: str, unit_option: str | None, owner: EntryOwner, notices: list[str]
) -> tuple[Decimal, str | None]:
    """A target's or allocation's reading: the unit must be the record's own."""
    example = _("23.5 or 23.5{unit}").format(unit=owner.unit or "")
    value, given_unit = _read_value(text, unit_option, example, owner.unit in MONEY_UNITS, notices)
    unit = given_unit or owner.unit
    if unit != owner.unit:
        hint = _("give the value in that unit")
        if unit in MONEY_UNITS and owner.unit in MONEY_UNITS:
            converted = convert(value, unit, owner.unit)
            hint = _("{amount} is --value {number}").format(
                amount=format_amount(value, unit), number=format_number(converted)
            )
        raise _unfit(
            _("{record} is measured in {unit}, not {given}; {advice}").format(
                record=owner.label, unit=owner.unit or _("(no unit)"), given=unit, advice=hint
            )
        )
    if value < 0:
        raise _unfit(_("--value {text} is negative; progress is a cumulative reading").format(text=text))
    return value, owner.unit


def _slips(entry: Any, owner: EntryOwner) -> list[str]:
    """Warnings for a value that looks like a unit slip: 0.425 on a target of 42.5%, a disbursement
    above the money it is paid from, a reading 100 times its target or more. The entry stands."""
    from fractions import Fraction

    from . import words

    value = getattr(entry, "value", None)
    if value is None or value <= 0:
        return []
    unit = getattr(entry, "unit", None) or owner.unit
    shown = format_amount(value, unit)
    correction = f"--value {{}} --as-of {entry.as_of.isoformat()} --replace"
    aim = owner.aim
    warnings = []
    if aim is not None and owner.unit == "%" and aim > 1 and value < 1:
        meant = format_number(value.scaleb(2))  # exact: below 1, at most ten places
        warnings.append(
            words.slip_percent(owner.label, format_number(value), format_number(aim), meant,
                               correction.format(meant))
        )  # fmt: skip
    elif aim is not None and aim > 0 and Fraction(value) >= 100 * Fraction(aim):
        times = int(Fraction(value) / Fraction(aim))
        warnings.append(words.slip_times_target(owner.label, shown, times, format_amount(aim, owner.unit)))
    if owner.ceiling is not None and unit in MONEY_UNITS:
        amount, ceiling_unit, drawn_on = owner.ceiling
        if convert(value, unit, ceiling_unit) > amount:
            ceiling = format_amount(amount, ceiling_unit)
            warnings.append(words.slip_over_allocation(owner.label, shown, ceiling, drawn_on))
    return warnings


def _clean_text(text: str | None, option: str) -> str | None:
    if text is None:
        return None
    cleaned = text.strip()
    if not cleaned:
        return None
    try:
        cleaned.encode("utf-8")
    except UnicodeEncodeError:  # bytes that were not text in the terminal's encoding
        raise _unfit(
            _("{option} is not valid text (it holds bytes that are not UTF-8); type it again").format(
                option=option
            )
        ) from None
    if len(cleaned) > MAX_TEXT_CHARS:
        raise _unfit(
            _(
                "{option} is {n} characters long; keep it under {limit} "
                "and put the details in the document it comes from"
            ).format(option=option, n=len(cleaned), limit=MAX_TEXT_CHARS)
        )
    if any(ord(ch) < 32 and ch not in "\t" for ch in cleaned) or any(ch in cleaned for ch in _LINE_BREAKS):
        raise _unfit(
            _("{option} contains a line break or control character; keep it to one line").format(
                option=option
            )
        )
    return cleaned


def _commit_message(
    record_id: str, owner: EntryOwner, entry: ProgressEntry, replaced: ProgressEntry | None
) -> str:
    from .i18n import in_english

    with in_english():  # a commit message is a shared record, the same whoever reads the log
        message = (
            f"progress({record_id}): {describe_entry(entry, owner.unit)} {owner.verb} "
            f"{entry.as_of.isoformat()}"
        )
        if replaced is not None:
            message += f" (replaces {describe_entry(replaced, owner.unit)})"
    return message


# --- the edit -----------------------------------------------------------------------------------------


def _entry_map(entry: Any) -> Any:
    """The entry as a YAML mapping in the house order (its model's field order), without empty fields."""
    from .yamlio import new_mapping

    fields = [(name, getattr(entry, name)) for name in type(entry).model_fields]
    kept = [(name, value) for name, value in fields if value is not None]
    return new_mapping([(name, str(value) if name in ("status", "kind") else value) for name, value in kept])


def _edit(text: str, owner: EntryOwner, entry: ProgressEntry, replaced: ProgressEntry | None) -> Any:
    """The file's text with the entry added to (or correcting an entry of) its record, and checked.

    A correction changes the old entry's fields in place, so comments written beside it survive. After
    the edit, the record's lines are read back: an added entry must be one run of new lines and nothing
    else, and the entries read back must be exactly the intended ones.
    """
    from .yamlio import HouseStyleError, Span, edit_record, new_sequence

    def change(record: Any) -> None:
        node = record
        for part in owner.within:
            node = node[part]
        if node.get("progress") is None:
            node["progress"] = new_sequence()
        entries = node["progress"]
        new_entry = _entry_map(entry)
        if replaced is None:
            entries.append(new_entry)
            return
        old_entry = next(e for e in entries if str(e.get("as_of")) == replaced.as_of.isoformat())
        for key in [k for k in old_entry if k not in new_entry]:
            del old_entry[key]
        for key, value in new_entry.items():
            old_entry[key] = value

    place = owner.record.place
    try:
        edit = edit_record(text, Span(place.line, place.column, place.end, {}), str(owner.record.id), change)
    except HouseStyleError as exc:
        raise ProgressRefused(
            _("{file}:{refusal}; nothing was written").format(file=place.file, refusal=exc)
        ) from None
    _verify_edit(text, edit, owner, entry, replaced)
    return edit


def _verify_edit(
    text: str, edit: Any, owner: EntryOwner, entry: ProgressEntry, replaced: ProgressEntry | None
) -> None:
    """The edit changed the record's entries as intended and nothing else."""
    from .yamlio import read_block

    old_lines = text.splitlines()[edit.start : edit.old_end]
    new_lines = edit.text.splitlines()[edit.start : edit.new_end]
    if replaced is None:
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
                _("{file}: adding the entry would change other lines; nothing was written").format(
                    file=owner.record.place.file
                )
            )
    shift = len(new_lines[0]) - len(new_lines[0].lstrip(" ")) - 2
    node = read_block("".join(line[shift:] + "\n" for line in new_lines))[0]
    for part in owner.within:
        node = node[part]
    written = [type(entry).model_validate(_plain(item)) for item in node.get("progress") or []]
    expected = [e for e in owner.entries if replaced is None or e.as_of != replaced.as_of] + [entry]
    if sorted(written, key=_entry_key) != sorted(expected, key=_entry_key):
        raise ProgressRefused(
            _("the entries of {record} would read back differently; nothing was written").format(
                record=owner.label
            )
        )


def _plain(item: Any) -> dict[str, Any]:
    """A round-trip mapping as the models read data: dates as text, like the reader gives them."""
    return {key: value.isoformat() if isinstance(value, date) else value for key, value in item.items()}


def _entry_key(entry: ProgressEntry) -> tuple[str, str]:
    return (entry.as_of.isoformat(), entry.model_dump_json())


def _unified_diff(path: Path, old_text: str, edit: Any, context: int = 3) -> str:
    """The change as ``git diff`` shows it, computed on the record's lines alone (a file of thousands
    of records would make a whole-file diff the slowest part of a dry run)."""
    old_lines = old_text.splitlines(keepends=True)
    new_lines = edit.text.splitlines(keepends=True)
    begin = max(edit.start - context, 0)
    old_window = old_lines[begin : edit.old_end + context]
    new_window = new_lines[begin : edit.new_end + context]
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
