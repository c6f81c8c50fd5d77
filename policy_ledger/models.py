"""The ledger's records as strict pydantic models, and the one parser each for dates and record ids.

No I/O happens here. Amounts are ``Decimal`` (or ``Fraction`` for the document's 2/3), never ``float``:
number text goes through ``amounts.parse_number``, and a value that arrives as quoted text or as a binary
float is refused rather than silently rounded. Dates are real ``date`` objects, read from text by
``parse_day``; ids are read by ``parse_record_id``. Every size is bounded (the ``MAX_*`` limits below),
so that no file, however hostile, makes a later stage run out of memory or overflow, and every refusal is
one line: what is wrong; what to do.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import PurePosixPath, PureWindowsPath
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    PrivateAttr,
    Strict,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)

from .amounts import (
    CHECK_DIGITS_AND_UNIT,
    MAX_FRACTION_DIGITS,
    MAX_INTEGER_DIGITS,
    WRITE_A_NUMBER,
    as_money,
    convert,
    exact_sum,
    excerpt,
    format_number,
    looks_numeric,
    parse_fraction,
    parse_number,
    share,
    write_instead,
)
from .messages import N_, Message, Refusal

Comparator = Literal["at_least", "at_most", "about", "exactly"]
Commitment = Literal["firm", "stretch", "plain"]
MilestoneStatus = Literal["in_progress", "done", "dropped"]
RecordKind = Literal["target", "budget", "allocation", "instrument"]
#: What an instrument gives (政策工具): money (补助, 奖励/奖补, 贴息), relief (税费减免, 费用优惠), room
#: (用地与地价, 规划指标放宽, 指标额度), financing (融资, 担保, 贷款) or a service.
InstrumentForm = Literal[
    "subsidy",
    "award",
    "interest_subsidy",
    "tax_fee_relief",
    "land",
    "planning",
    "quota",
    "financing",
    "service",
]
#: Who applies for or receives it.
Beneficiary = Literal["enterprise", "village_collective", "person", "project", "institution"]
#: Where its standard comes from: this document, a 配套政策 its lead bureau is to issue, or a national or
#: provincial policy it passes through.
InstrumentBasis = Literal["this_policy", "supporting_policy", "higher_policy"]
#: A progress entry of an instrument: its 配套政策 issued (the standard set), or 兑现 to date.
InstrumentEntryKind = Literal["standard_issued", "paid"]

#: No amount or target in a city's policy comes near this in any unit (10^12 亿元 is a thousand times the
#: world's GDP); a larger number is a typo, not data.
MAX_AMOUNT = Decimal(10) ** 12

#: The years a date in the ledger may fall in. No document of the People's Republic predates 1949, and
#: the longest horizons policies name (2035, 本世纪中叶 = 2050) are far inside 2199. The window keeps a
#: mistyped year (20233) or a "never" date (9999-12-31) out as one clear finding, and keeps every date far
#: enough from ``date.max`` that date arithmetic (a deadline plus the grace for late reports) cannot fail.
MIN_YEAR = 1949
MAX_YEAR = 2199

#: The most areas or measures a document may have, and the largest number in an id. Policy documents
#: number their measures in the dozens (57 here); a long regulation has a few hundred articles. The checks
#: walk 1..measure_count, so a count such as 10^12 would exhaust memory; 10,000 costs nothing.
MAX_COUNT = 10_000

#: Text lengths, in characters. The real ledger's longest: a name or phrase 50 (`what`), a quote 67, a
#: heading 34, a measure's full text 346. Each limit leaves ample room (4 to 30 times) and still refuses
#: a pasted file or a runaway value, which would otherwise flood every view and message.
MAX_NAME_CHARS = 200  # titles, what, labels, units, lead bureaus, the issuer, the document number
MAX_NOTE_CHARS = 500  # a progress entry's note and source (``ledger progress add`` allows the same)
MAX_QUOTE_CHARS = 1_000  # a quote or heading: one clause or line of the text
MAX_PASSAGE_CHARS = 10_000  # a measure's or an area's whole text: about five printed pages of Chinese
MAX_ID_CHARS = 100  # a document id such as lezhengfa-2023-6

#: List lengths. A heading names one or two lead bureaus; a budget here has at most 8 allocations; a
#: target with a reading every week for nineteen years has fewer than 1,000 progress entries.
MAX_LEADS = 20
MAX_ALLOCATIONS = 1_000
MAX_PROGRESS_ENTRIES = 1_000

#: Month names in messages, fixed (``calendar.month_name`` follows the locale).
_MONTHS = (
    *(N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June")),
    *(N_("July"), N_("August"), N_("September"), N_("October"), N_("November"), N_("December")),
)
_DAY = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
#: The spellings of a date people write by mistake, read only to suggest the right one.
_LOOSE_DAY = re.compile(r"(\d{4})(?:[-/.年](\d{1,2})[-/.月](\d{1,2})日?|(\d{2})(\d{2}))")
_ID_PATTERNS: dict[RecordKind, re.Pattern[str]] = {
    "target": re.compile(r"A?[1-9][0-9]*\.[1-9][0-9]*|D[1-9][0-9]*"),
    "budget": re.compile(r"B[1-9][0-9]*"),
    "allocation": re.compile(r"B[1-9][0-9]*\.[1-9][0-9]*"),
    "instrument": re.compile(r"I[1-9][0-9]*\.[1-9][0-9]*"),
}
_RECORD_NUMBER = re.compile(r"[1-9][0-9]*")
_QUARTER = re.compile(r"([0-9]{4})[Qq]([1-4])")
_ID_EXAMPLES = N_(
    "17.1 (a measure's target), A3.1 (an area's goal), D1 (the document's own), B1 (a budget) or B1.2 "
    "(an allocation)"
)
_WRITE_DAY = N_("write YYYY-MM-DD")


# --- dates -------------------------------------------------------------------------------------------


def parse_day(text: str) -> date:
    """The one date parser: exactly ``YYYY-MM-DD`` in ASCII digits, a real date, in MIN_YEAR..MAX_YEAR.

    Refuses ``20230630``, ``2023-6-30``, ``2023-02-30``, ``9999-12-31``, times of day and spaces with a
    one-line ``ValueError``: what is wrong; what to write.
    """
    match = _DAY.fullmatch(text)
    if match is None:
        raise _not_a_day(text)
    year, month, day = (int(part) for part in match.groups())
    return _real_day(year, month, day, text)


def _real_day(year: int, month: int, day: int, text: str) -> date:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _outside_window(text)
    if not 1 <= month <= 12:
        raise Refusal(
            Message(N_("'{day}' is not a real date (there is no month {month})"), day=text, month=month),
            Message(_WRITE_DAY),
        )
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise Refusal(
            Message(
                N_("'{day}' is not a real date ({month} {year} has {days} days)"),
                day=text,
                month=Message(_MONTHS[month - 1]),
                year=year,
                days=days,
            ),
            Message(_WRITE_DAY),
        )
    return date(year, month, day)


def _outside_window(text: str) -> Refusal:
    return Refusal(
        Message(
            N_("'{day}' is outside the years {first} to {last} a date in the ledger may have"),
            day=text,
            first=MIN_YEAR,
            last=MAX_YEAR,
        ),
        Message(N_("write the real date, or leave the field out when there is none")),
    )


def _time_of_day(shown: str, day: object) -> Refusal:
    return Refusal(
        Message(N_("'{day}' has a time of day"), day=shown),
        Message(N_("write only the date, {day}"), day=day),
    )


def _not_a_day(text: str) -> Refusal:
    shown = excerpt(text)
    folded = unicodedata.normalize("NFKC", text).strip()
    day_part = _DAY.fullmatch(folded[:10])
    if len(folded) > 10 and day_part is not None and folded[10] in "T ":
        year, month, day = (int(part) for part in day_part.groups())
        try:
            return _time_of_day(shown, _real_day(year, month, day, shown))
        except Refusal as error:
            return error
    match = _LOOSE_DAY.fullmatch(folded) if len(folded) <= 20 else None
    if match is None:
        return Refusal(
            Message(N_("'{day}' is not a date written YYYY-MM-DD"), day=shown),
            Message(N_("write one such as 2023-06-30")),
        )
    year, month, day = (
        int(match.group(1)),
        int(match.group(2) or match.group(4)),
        int(match.group(3) or match.group(5)),
    )
    try:
        suggestion = _real_day(year, month, day, shown).isoformat()
    except Refusal as error:
        return error
    return Refusal(
        Message(N_("'{day}' is not written YYYY-MM-DD"), day=shown),
        write_instead(suggestion),
    )


def _day(value: Any) -> date:
    """A date field: ISO text through ``parse_day``, or a ``date`` built in code, within the window."""
    if isinstance(value, str):
        return parse_day(value)
    if isinstance(value, datetime):
        raise _time_of_day(str(value), value.date().isoformat())
    if isinstance(value, date):
        if not MIN_YEAR <= value.year <= MAX_YEAR:
            raise _outside_window(value.isoformat())
        return value
    if _is_number(value):
        raise _not_a_day(_spelling(value))
    raise Refusal(Message(N_("is {kind}, not a date"), kind=_kind_of(value)), Message(_WRITE_DAY))


# --- ids -----------------------------------------------------------------------------------------------


def parse_quarter(text: str) -> tuple[date, date]:
    """``2023Q2`` → its first and last day (2023-04-01, 2023-06-30): the period of a quarterly 督查 report."""
    match = _QUARTER.fullmatch(text.strip())
    if match is None:
        raise Refusal(
            Message(N_("'{quarter}' is not a quarter"), quarter=excerpt(text)),
            Message(N_("write it like 2023Q2")),
        )
    year, quarter = int(match.group(1)), int(match.group(2))
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Refusal(
            Message(
                N_("'{quarter}': the year must be {first} to {last}"),
                quarter=excerpt(text),
                first=MIN_YEAR,
                last=MAX_YEAR,
            )
        )
    first = date(year, 3 * quarter - 2, 1)
    following = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return first, date.fromordinal(following.toordinal() - 1)


def parse_record_id(text: str) -> str:
    """The one id parser: a target ``17.1`` or ``A3.1``, a budget ``B1``, an allocation ``B1.2``.

    ASCII digits without leading zeros, numbers from 1 to MAX_COUNT, no spaces, so that one record has
    exactly one spelling. Returns the id unchanged; anything else raises a one-line ``ValueError``.
    """
    if not _is_record_id(text):
        raise _not_an_id(text)
    if any(len(part) > len(str(MAX_COUNT)) or int(part) > MAX_COUNT for part in re.findall(r"[0-9]+", text)):
        raise _above_count(excerpt(text))
    return text


def _above_count(shown: str) -> Refusal:
    return Refusal(
        Message(N_("'{id}' has a number above {most}"), id=shown, most=MAX_COUNT),
        Message(N_("check the digits")),
    )


def parse_record_number(text: str) -> int:
    """The number of a measure or an area as a person types it (``17``): ASCII digits, 1 to MAX_COUNT."""
    if _RECORD_NUMBER.fullmatch(text) is None:
        folded = unicodedata.normalize("NFKC", text).strip()
        if folded.isdecimal() and folded.isascii() and int(folded) > 0:
            raise Refusal(
                Message(N_("'{number}' is not a number written plainly"), number=excerpt(text)),
                write_instead(str(int(folded))),
            )
        raise Refusal(
            Message(N_("'{number}' is not a measure or area number"), number=excerpt(text)),
            Message(N_("write one such as 17")),
        )
    if len(text) > len(str(MAX_COUNT)) or int(text) > MAX_COUNT:
        raise Refusal(
            Message(
                N_("'{number}' is above {most}, more than a document may have"),
                number=excerpt(text),
                most=MAX_COUNT,
            )
        )
    return int(text)


def id_kind(ident: str) -> RecordKind:
    """What a valid id (from ``parse_record_id``) names: ``17.1`` a target, ``B1`` a budget, ``B1.2`` an
    allocation."""
    if ident.startswith("B"):
        return "allocation" if "." in ident else "budget"
    return "instrument" if ident.startswith("I") else "target"


def _is_record_id(text: str) -> bool:
    return any(pattern.fullmatch(text) for pattern in _ID_PATTERNS.values())


def _not_an_id(text: str) -> Refusal:
    shown = excerpt(text)
    folded = unicodedata.normalize("NFKC", text).strip().upper() if len(text) <= 40 else ""
    prefix = folded[:1] if folded[:1] in ("A", "B") else ""
    parts = folded.removeprefix(prefix).split(".")
    write_like = Message(N_("write one like {examples}"), examples=Message(_ID_EXAMPLES))
    if not folded or not all(part.isdecimal() and part.isascii() for part in parts):
        return Refusal(Message(N_("'{id}' is not an id"), id=shown), write_like)
    if not prefix and len(parts) == 1:
        return Refusal(
            Message(N_("'{id}' is a number, not an id"), id=shown),
            Message(N_("write {id}.1 for a measure's first target"), id=int(parts[0]) or 1),
        )
    if any(int(part) == 0 for part in parts):
        return Refusal(Message(N_("'{id}': numbers in an id count from 1"), id=shown), write_like)
    if any(int(part) > MAX_COUNT for part in parts):
        return _above_count(shown)
    suggestion = prefix + ".".join(str(int(part)) for part in parts)
    if not _is_record_id(suggestion):
        return Refusal(Message(N_("'{id}' is not an id"), id=shown), write_like)
    reasons = (
        (text != text.strip() or any(c.isspace() for c in text), N_("it has spaces")),
        (not text.isascii(), N_("it has full-width characters")),
        (text.strip()[:1] in ("a", "b"), N_("its letter is lower case")),
    )
    reason = next((why for found, why in reasons if found), N_("a number in it has a leading zero"))
    return Refusal(
        Message(N_("'{id}' is not an id written plainly ({reason})"), id=shown, reason=Message(reason)),
        write_instead(suggestion),
    )


def _record_id(kind: RecordKind, example: str) -> tuple[PlainValidator, WithJsonSchema]:
    """Metadata of an id field of one kind: its validator and its JSON Schema."""

    def validate(value: Any) -> str:
        if not isinstance(value, str):
            if _is_number(value):
                spelled = _spelling(value)
                raise Refusal(
                    Message(N_("{value} is read as a number"), value=spelled),
                    Message(N_('write the id in quotes, e.g. "{value}"'), value=spelled),
                )
            raise Refusal(
                Message(N_("is {kind}, not an id"), kind=_kind_of(value)),
                Message(_WRITE_ID_LIKE[kind], example=example),
            )
        ident = parse_record_id(value)
        if id_kind(ident) != kind:
            raise Refusal(
                Message(
                    N_("'{id}' is {found}, not {wanted}"),
                    id=ident,
                    found=Message(_AN_ID[id_kind(ident)]),
                    wanted=Message(_AN_ID[kind]),
                ),
                Message(N_("write one like {example}"), example=example),
            )
        return ident

    schema = {"type": "string", "pattern": rf"^{_ID_PATTERNS[kind].pattern}$"}
    return PlainValidator(validate), WithJsonSchema(schema)


#: ``write target id like "17.1" or "A3.1"``, by the kind of id a field wants.
_WRITE_ID_LIKE = {
    "target": N_("write target id like {example}"),
    "budget": N_("write budget id like {example}"),
    "allocation": N_("write allocation id like {example}"),
    "instrument": N_("write instrument id like {example}"),
}
_AN_ID = {
    "target": N_("a target id"),
    "budget": N_("a budget id"),
    "allocation": N_("an allocation id"),
    "instrument": N_("an instrument id"),
}


# --- numbers -------------------------------------------------------------------------------------------


def _kind_of(value: Any) -> str:
    """What a value that is not what a field wants is, in words."""
    if isinstance(value, str):
        return Message(N_("text"))
    if isinstance(value, bool):
        return Message(N_("true/false"))
    if isinstance(value, float):
        return Message(N_("a binary float"))
    if isinstance(value, dict):
        return Message(N_("a mapping of fields"))
    if isinstance(value, list):
        return Message(N_("a list"))
    return Message(N_("empty")) if value is None else type(value).__name__


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, Decimal, float)) and not isinstance(value, bool)


def _spelling(value: Any) -> str:
    """A number as the data wrote it (an ExactDecimal remembers), never a runaway string of digits."""
    text = getattr(value, "text", None)
    if isinstance(text, str):
        return excerpt(text)
    if isinstance(value, int) and value.bit_length() > 100:
        return Message(N_("a number of more than 30 digits"))
    if isinstance(value, Decimal) and value.is_finite() and abs(value.adjusted()) > 30:
        return Message(N_("a number of more than 30 digits"))
    return str(value)


def _text_refusal(text: str, example: str) -> ValueError:
    """Why text in a number field is refused: quoted, or a number written in a way the ledger does not read
    (the YAML reader keeps such scalars as text for exactly this message)."""
    try:
        parse_number(text)
    except ValueError as error:
        if looks_numeric(text):
            return error
        return Refusal(
            Message(N_("'{text}' is text, not a number"), text=excerpt(text)),
            Message(N_("write a number such as {example}"), example=example),
        )
    return Refusal(
        Message(N_("'{text}' is text (in quotes), not a number"), text=text),
        Message(N_("write the number without quotes: {number}"), number=text),
    )


def _decimal(value: Any) -> Decimal:
    """Any number field's value as an ``ExactDecimal`` in the one spelling ``parse_number`` admits."""
    if isinstance(value, Decimal):
        text = getattr(value, "text", None)
        if not isinstance(text, str):  # a Decimal built in code: spell it out, within the same limits
            if not value.is_finite():
                raise Refusal(Message(N_("{number} is not a finite number"), number=value), WRITE_A_NUMBER)
            exponent = value.as_tuple().exponent
            if value.adjusted() >= MAX_INTEGER_DIGITS or (isinstance(exponent, int) and exponent < -30):
                raise Refusal(
                    Message(
                        N_(
                            "{number} has more digits than a number may have "
                            "({before} before the point, {after} after)"
                        ),
                        number=_spelling(value),
                        before=MAX_INTEGER_DIGITS,
                        after=MAX_FRACTION_DIGITS,
                    ),
                    CHECK_DIGITS_AND_UNIT,
                )
            text = format(value, "f")
        return parse_number(text)
    if isinstance(value, bool):
        raise Refusal(Message(N_("is true/false, not a number")), WRITE_A_NUMBER)
    if isinstance(value, int):
        if abs(value) >= 10**MAX_INTEGER_DIGITS:
            raise Refusal(
                Message(
                    N_("{number} has more than the {most} digits a number may have"),
                    number=_spelling(value),
                    most=MAX_INTEGER_DIGITS,
                ),
                CHECK_DIGITS_AND_UNIT,
            )
        return parse_number(str(value))
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise Refusal(Message(N_("is not a finite number")), WRITE_A_NUMBER)
        raise Refusal(
            Message(N_("is a binary float, not an exact number")),
            Message(N_("write the number as it is written, such as 31.5")),
        )
    if isinstance(value, str):
        raise _text_refusal(value, "31.5")
    raise Refusal(Message(N_("is {kind}, not a number"), kind=_kind_of(value)), WRITE_A_NUMBER)


def _exact_amount(value: Any) -> Decimal:
    amount = _decimal(value)
    if amount < 0:
        raise Refusal(
            Message(N_("{amount} is negative"), amount=amount),
            Message(N_("amounts and targets are never below zero")),
        )
    if amount > MAX_AMOUNT:
        raise Refusal(
            Message(N_("{amount} is implausibly large (over {most})"), amount=amount, most=f"{MAX_AMOUNT:,}"),
            CHECK_DIGITS_AND_UNIT,
        )
    return amount


def _exact_value(value: Any) -> Decimal | Fraction:
    if isinstance(value, Fraction):
        return parse_fraction(f"{value.numerator}/{value.denominator}")
    if isinstance(value, str) and ("/" in value or "／" in value):
        return parse_fraction(value)
    if isinstance(value, str) and not looks_numeric(value):
        raise Refusal(
            Message(N_("'{value}' is neither a number nor a fraction"), value=excerpt(value)),
            Message(N_('write a number (such as 40) or a fraction in quotes (such as "2/3")')),
        )
    return _exact_amount(value)


_WHOLE_NUMBER_SUCH_AS = Message(N_("write a whole number such as 17"))


def _whole_number(value: Any) -> int:
    """A count, a measure's or area's number, or a reference to one: a whole number, 1 to MAX_COUNT."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        if isinstance(value, str):
            raise _text_refusal(value, "17")
        raise Refusal(
            Message(N_("is {kind}, not a whole number"), kind=_kind_of(value)), _WHOLE_NUMBER_SUCH_AS
        )
    if isinstance(value, Decimal):
        spelled = format_number(_decimal(value))
        if "." in spelled:
            whole = spelled.partition(".")[0] if value == value.to_integral_value() else None
            hint = write_instead(whole) if whole is not None else _WHOLE_NUMBER_SUCH_AS
            raise Refusal(Message(N_("{number} is not a whole number"), number=spelled), hint)
        value = int(spelled)
    if value < 1:
        raise Refusal(Message(N_("{number} is below 1"), number=value), Message(N_("numbers count from 1")))
    if value > MAX_COUNT:
        raise Refusal(
            Message(
                N_("{number} is above {most}, the most areas or measures a document may have"),
                number=_spelling(value),
                most=MAX_COUNT,
            ),
            Message(N_("check the number")),
        )
    return int(value)


# --- text and lists ------------------------------------------------------------------------------------


def _at_most_chars(limit: int, advice: str) -> AfterValidator:
    def check(text: str) -> str:
        if len(text) > limit:
            raise Refusal(
                Message(
                    N_("is {length} characters long, over the {most} it may have"),
                    length=f"{len(text):,}",
                    most=f"{limit:,}",
                ),
                Message(advice),
            )
        return text

    return AfterValidator(check)


def _at_most_items(limit: int, noun: str) -> tuple[Any, ...]:
    """Metadata of a list of at most ``limit`` items: the schema's bound, and a refusal in words first.

    ``noun``: how many of what the list holds (``{count} allocations``), marked for the catalogue.
    """

    def check(value: Any) -> Any:
        if isinstance(value, list) and len(value) > limit:
            raise Refusal(
                Message(
                    N_("has {items}, over the {most} a record may have"),
                    items=Message(noun, count=f"{len(value):,}"),
                    most=f"{limit:,}",
                ),
                Message(N_("check that the list is not repeated or pasted in by mistake")),
            )
        return value

    return Field(max_length=limit), BeforeValidator(check)


def _relative_path(text: str) -> str:
    """The source text's path must stay inside the data directory, whatever the file says."""
    posix, windows = PurePosixPath(text), PureWindowsPath(text)
    if posix.is_absolute() or windows.is_absolute() or windows.drive or ".." in posix.parts or "\\" in text:
        raise Refusal(
            Message(N_("'{path}' points outside the data directory"), path=excerpt(text)),
            Message(N_("write a path inside it with / between folders, such as source/lezhengfa-2023-6.txt")),
        )
    return text


def _text(limit: int, advice: str, *checks: AfterValidator) -> tuple[Any, ...]:
    """Metadata of a text field: strict text, not empty, at most ``limit`` characters, then ``checks``."""
    schema = WithJsonSchema({"type": "string", "minLength": 1, "maxLength": limit})
    return Strict(), StringConstraints(min_length=1), _at_most_chars(limit, advice), *checks, schema


_AS_WRITTEN = PlainSerializer(format_number, when_used="json")
Amount = Annotated[Decimal, PlainValidator(_exact_amount), _AS_WRITTEN, WithJsonSchema({"type": "number"})]
Value = Annotated[
    Decimal | Fraction,
    PlainValidator(_exact_value),
    _AS_WRITTEN,
    WithJsonSchema(
        {"anyOf": [{"type": "number"}, {"type": "string", "pattern": r"^[1-9][0-9]*/[1-9][0-9]*$"}]}
    ),
]
Text = Annotated[str, *_text(MAX_NAME_CHARS, N_("shorten it to the words that name it"))]
Note = Annotated[str, *_text(MAX_NOTE_CHARS, N_("shorten it"))]
Quote = Annotated[str, *_text(MAX_QUOTE_CHARS, N_("quote only the words that state it"))]
Passage = Annotated[str, *_text(MAX_PASSAGE_CHARS, N_("check that it holds this record's text only"))]
SourcePath = Annotated[str, *_text(MAX_NAME_CHARS, N_("shorten it"), AfterValidator(_relative_path))]
Day = Annotated[
    date,
    PlainValidator(_day),
    # without it pydantic 2.14 warns that a date field holds text when dumping to JSON
    PlainSerializer(date.isoformat, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "format": "date", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}),
]
Number = Annotated[
    int,
    PlainValidator(_whole_number),
    WithJsonSchema({"type": "integer", "minimum": 1, "maximum": MAX_COUNT}),
]
DocumentId = Annotated[
    str,
    Strict(),
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$"),
    _at_most_chars(MAX_ID_CHARS, N_("shorten it")),
    WithJsonSchema({"type": "string", "pattern": r"^[a-z0-9][a-z0-9-]*$", "maxLength": MAX_ID_CHARS}),
]
TargetId = Annotated[str, *_record_id("target", Message(N_('"17.1" or "A3.1"')))]  # its "or" is translated
BudgetId = Annotated[str, *_record_id("budget", "B1")]
AllocationId = Annotated[str, *_record_id("allocation", "B1.2")]
InstrumentId = Annotated[str, *_record_id("instrument", "I19.1")]


def _only_true(value: Any) -> Any:
    """A mark is ``true`` or absent: ``1``, ``yes`` or ``false`` are refused rather than read as ``true``
    (1 == True to Python, so a plain ``Literal[True]`` would take ``1``)."""
    if value is None or value is True:
        return value
    if isinstance(value, bool):
        shown = str(value).lower()
    else:  # as the YAML writes it: text in its quotes
        shown = f'"{excerpt(value)}"' if isinstance(value, str) else excerpt(str(value))
    raise Refusal(
        Message(N_("{value} is not true"), value=shown),
        Message(N_("write true, without quotes, or leave the field out")),
    )


#: A field that is ``true`` or absent, never ``false``.
Mark = Annotated[Literal[True] | None, BeforeValidator(_only_true)]
#: ``draft: true`` on a record that ``importer`` drafted from a text and nobody has reviewed yet; a reviewer
#: removes it. Absent (never ``false``) on a reviewed record.
DraftMark = Mark


Leads = Annotated[list[Text], *_at_most_items(MAX_LEADS, N_("{count} lead bureaus"))]
ProgressEntries = Annotated[
    list["ProgressEntry"], *_at_most_items(MAX_PROGRESS_ENTRIES, N_("{count} progress entries"))
]
Allocations = Annotated[list["Allocation"], *_at_most_items(MAX_ALLOCATIONS, N_("{count} allocations"))]
InstrumentEntries = Annotated[
    list["InstrumentEntry"], *_at_most_items(MAX_PROGRESS_ENTRIES, N_("{count} progress entries"))
]


class Record(BaseModel):
    # defer_build: a ledger restored from the cache never validates, so it never pays for the schemas
    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True, defer_build=True)
    #: where the record stands in its file (a ``problems.Place``), set by the loader; private, so that
    #: no YAML key can set it and no output shows it
    _place: Any = PrivateAttr(default=None)

    @property
    def place(self) -> Any:
        return self._place


def _renumber(template: str, ident: str, prefix: str) -> Refusal:
    """An id that does not start with the prefix of the record it belongs to."""
    return Refusal(Message(template, id=ident, prefix=prefix), Message(N_("renumber it")))


class Period(Record):
    start: Day
    end: Day
    quote: Quote | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise Refusal(
                Message(N_("period end is before its start")), Message(N_("correct one of the two dates"))
            )
        return self


class OverallBudget(Record):
    """The document's stated total for all areas, which may be net of funds counted twice."""

    amount: Amount
    unit: Text
    net_of_overlaps: bool
    quote: Quote


class Document(Record):
    id: DocumentId
    number: Text
    title: Text
    issuer: Text
    date: Day
    source: SourcePath  # path of the verbatim source text, relative to the data directory
    period: Period
    area_count: Number
    measure_count: Number
    overall_budget: OverallBudget | None = None
    draft: DraftMark = None


class Area(Record):
    document: DocumentId
    number: Number
    title: Text
    leads: Leads = Field(min_length=1)
    heading: Quote  # the area's heading line, verbatim
    text: Passage  # the area's opening paragraph, verbatim
    draft: DraftMark = None


class Measure(Record):
    document: DocumentId
    number: Number
    area: Number
    title: Text  # the phrase after the number, up to the first 。
    text: Passage  # the whole measure, verbatim, without its leading "N．"
    draft: DraftMark = None

    @model_validator(mode="after")
    def _title_opens_text(self) -> Measure:
        if not self.text.startswith(self.title):
            raise Refusal(
                Message(N_("the measure's text does not begin with its title")),
                Message(N_("copy the title from the text")),
            )
        return self


class ProgressEntry(Record):
    """One reading of a target on a date: a value (quantitative) or a status (milestone)."""

    as_of: Day
    value: Amount | None = None
    unit: Text | None = None
    status: MilestoneStatus | None = None
    note: Note | None = None
    source: Note | None = None

    @model_validator(mode="after")
    def _value_or_status(self) -> ProgressEntry:
        if (self.value is None) == (self.status is None):
            raise Refusal(
                Message(N_("a progress entry has either a value (with its unit) or a status")),
                Message(N_("give it one of the two")),
            )
        if self.status is not None and self.unit is not None:
            raise Refusal(Message(N_("a status entry has no unit")), Message(N_("remove the unit")))
        return self


class Target(Record):
    """A commitment of the text: a quantity to reach, or a milestone (no value) to deliver."""

    id: TargetId
    document: DocumentId
    measure: Number | None = None
    area: Number | None = None
    what: Text
    value: Value | None = None
    unit: Text | None = None
    comparator: Comparator | None = None
    commitment: Commitment
    deadline: Day | None = None
    deadline_text: Text | None = None
    #: a multi-year aim with no due date: the text's words for its span (中长期内), else 未定期限
    horizon: Text | None = None
    #: a level that stands on a date (规上工业企业 2150家, a 余额 or a fund's 规模), judged as it stands, as a
    #: rate is, never pro-rated over the year as an amount accumulated from nothing is
    level: Mark = None
    quote: Quote
    progress: ProgressEntries = Field(default_factory=list)
    draft: DraftMark = None

    @model_validator(mode="after")
    def _consistent(self) -> Target:
        if self.measure is not None and self.area is not None:
            raise Refusal(
                Message(N_("a target belongs to one of measure or area (or, with neither, the document)"))
            )
        if self.measure is not None:
            expected = f"{self.measure}."
        else:
            expected = "D" if self.area is None else f"A{self.area}."
        if not self.id.startswith(expected) or (expected == "D" and "." in self.id):
            raise _renumber(
                N_("id {id} does not start with {prefix} (the record it belongs to)"), self.id, expected
            )
        if self.value is None:
            if self.unit is not None or self.comparator is not None or self.level:
                raise Refusal(
                    Message(N_("a milestone (no value) has no unit, comparator or level")),
                    Message(N_("remove them, or add the value")),
                )
        elif self.comparator is None:
            raise Refusal(
                Message(N_("a target with a value needs a comparator")),
                Message(N_("add at_least, at_most, about or exactly")),
            )
        if self.deadline_text is not None and self.deadline is None:
            raise Refusal(
                Message(N_("deadline_text needs a deadline date")), Message(N_("add deadline: YYYY-MM-DD"))
            )
        if self.horizon is not None and self.deadline is not None:
            raise Refusal(
                Message(N_("a target has a deadline or a horizon, not both")),
                Message(N_("keep the one the text gives")),
            )
        return self

    @property
    def is_milestone(self) -> bool:
        return self.value is None


class Allocation(Record):
    id: AllocationId
    label: Text
    amount: Amount
    unit: Text | None = None  # defaults to the budget's unit
    quote: Quote
    #: disbursements: each entry is the cumulative amount paid out as of its date
    progress: ProgressEntries = Field(default_factory=list)


class Budget(Record):
    id: BudgetId
    document: DocumentId
    measure: Number
    total: Amount
    unit: Text
    quote: Quote
    allocations: Allocations = Field(min_length=1)
    draft: DraftMark = None

    @model_validator(mode="after")
    def _ids_follow_budget(self) -> Budget:
        if self.id != f"B{self.measure}":
            raise Refusal(
                Message(N_("budget id {id} does not match its measure"), id=self.id),
                Message(N_("write {id} (B + the measure it funds)"), id=f"B{self.measure}"),
            )
        for allocation in self.allocations:
            if not allocation.id.startswith(f"{self.id}."):
                raise _renumber(
                    N_("allocation id {id} does not start with {prefix}"), allocation.id, f"{self.id}."
                )
        return self

    def unit_of(self, allocation: Allocation) -> str:
        return allocation.unit or self.unit

    def allocated(self) -> Decimal | None:
        """The allocations' sum in the budget's unit, exactly; None if a unit does not convert."""
        try:
            return exact_sum(convert(a.amount, self.unit_of(a), self.unit) for a in self.allocations)
        except ValueError:
            return None

    def paid_out(self, allocation: Allocation, as_of: date) -> Decimal | None:
        """The latest cumulative disbursement of ``allocation`` on ``as_of``, in the budget's unit."""
        dated = [e for e in allocation.progress if e.as_of <= as_of and e.value is not None]
        latest = max(dated, key=lambda entry: entry.as_of, default=None)
        if latest is None or latest.value is None:
            return None
        return as_money(convert(latest.value, self.unit_of(allocation), self.unit))

    def share_of(self, allocation: Allocation) -> Decimal:
        """The allocation's share of the total, in percent to one decimal place."""
        return share(as_money(convert(allocation.amount, self.unit_of(allocation), self.unit)), self.total)


def gross_sum(budgets: list[Budget], unit: str) -> Decimal:
    """The budgets' totals added up in ``unit`` exactly, counting funds that several areas share twice.

    Raises ``ValueError`` when a budget is not in money (L011 reports it).
    """
    return exact_sum(convert(b.total, b.unit, unit) for b in budgets)


class InstrumentEntry(Record):
    """One fact about an instrument on a date: the 配套政策 that sets its standard was issued, or what was
    paid or granted under it to date (兑现, cumulative like a disbursement)."""

    as_of: Day
    kind: InstrumentEntryKind
    document_number: Text | None = None  # 配套政策: 乐经信〔2023〕12号
    title: Text | None = None
    address: Text | None = None  # where it is published
    standard: Note | None = None  # the standard it sets, in its words
    value: Amount | None = None  # 兑现: amount paid or granted to date
    unit: Text | None = None
    recipients: Number | None = None  # 兑现: how many beneficiaries to date
    note: Note | None = None
    source: Note | None = None

    @model_validator(mode="after")
    def _fits_kind(self) -> InstrumentEntry:
        if self.kind == "standard_issued":
            if self.document_number is None or self.title is None:
                raise Refusal(
                    Message(N_("an issued 配套政策 needs its document_number and title")),
                    Message(N_("add them")),
                )
            if self.value is not None or self.recipients is not None:
                raise Refusal(
                    Message(N_("an issued 配套政策 has no value or recipients")),
                    Message(N_("record 兑现 as kind: paid")),
                )
        else:
            if self.value is None and self.recipients is None:
                raise Refusal(
                    Message(N_("a 兑现 entry (kind: paid) needs a value with its unit, recipients, or both"))
                )
            if (self.value is None) != (self.unit is None):
                raise Refusal(Message(N_("a 兑现 value needs its unit, and a unit its value")))
            if self.document_number is not None or self.title is not None:
                raise Refusal(
                    Message(N_("a 兑现 entry names no document")),
                    Message(N_("record the 配套政策 as kind: standard_issued")),
                )
        return self


class Instrument(Record):
    """A policy instrument (政策工具) of a measure: what enterprises, villages or people may apply for."""

    id: InstrumentId
    document: DocumentId
    measure: Number
    name: Text
    form: InstrumentForm
    beneficiaries: list[Beneficiary] = Field(min_length=1, max_length=5)
    basis: InstrumentBasis
    amount: Amount | None = None  # the amount or rate the source states, if it states one
    unit: Text | None = None
    standard_text: Text | None = None  # the words it defers with: 按有关规定, 视情给予
    funded_by: list[AllocationId] = Field(default_factory=list, max_length=MAX_ALLOCATIONS)
    quote: Quote
    progress: InstrumentEntries = Field(default_factory=list)

    def standard_issued(self, as_of: date | None = None) -> InstrumentEntry | None:
        """The latest 配套政策 recorded as issued (on ``as_of``, when given)."""
        return self._latest("standard_issued", as_of)

    def paid(self, as_of: date | None = None) -> InstrumentEntry | None:
        """The latest 兑现 entry (on ``as_of``, when given): what was paid or granted to date."""
        return self._latest("paid", as_of)

    def _latest(self, kind: InstrumentEntryKind, as_of: date | None) -> InstrumentEntry | None:
        entries = [e for e in self.progress if e.kind == kind and (as_of is None or e.as_of <= as_of)]
        return max(entries, key=lambda e: e.as_of, default=None)

    @model_validator(mode="after")
    def _consistent(self) -> Instrument:
        if not self.id.startswith(f"I{self.measure}."):
            raise _renumber(
                N_("id {id} does not start with {prefix} (its measure)"), self.id, f"I{self.measure}."
            )
        if (self.amount is None) != (self.unit is None):
            raise Refusal(Message(N_("an amount needs its unit, and a unit its amount")))
        return self


class PoliciesFile(Record):
    """policies.yaml: the document, its policy areas and its measures."""

    documents: list[Document]
    areas: list[Area]
    measures: list[Measure]


class TargetsFile(Record):
    """targets.yaml: what each area and measure commits to."""

    targets: list[Target]


class BudgetsFile(Record):
    """budgets.yaml: the budgets that measures state, with their allocations."""

    budgets: list[Budget]


class InstrumentsFile(Record):
    """instruments.yaml: what each measure gives (政策工具), with its 配套政策 and 兑现."""

    instruments: list[Instrument]


#: Each data file and the model of its whole content: the loader reads by it, the JSON Schema comes from it.
FILE_MODELS: dict[str, type[Record]] = {
    "policies.yaml": PoliciesFile,
    "targets.yaml": TargetsFile,
    "budgets.yaml": BudgetsFile,
    "instruments.yaml": InstrumentsFile,
}
#: Files a ledger may do without (a ledger begun before they existed): missing, they hold empty lists.
OPTIONAL_FILES = frozenset({"instruments.yaml"})
