"""Exact amounts in the document's own units: the one number parser, exact sums, conversions, notation.

Money is summed across 元, 万元 and 亿元 exactly (1亿 = 10000万); other units never convert. Numbers are
``Decimal`` (or ``Fraction`` for the text's 2/3 and 半数) and are printed the way the document writes
them: ``31.5亿元``, ``5580万元``, ``2/3``.

``parse_number`` is the only way text becomes a number in the ledger (YAML scalars, command-line options,
filters), and ``parse_fraction`` the only way text becomes a fraction: each admits one spelling per value
and refuses every other with a one-line ``ValueError`` that says what is wrong and what to write instead.
No arithmetic here goes through Decimal's 28-digit context: sums and conversions are exact for every
number the parsers admit.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal, localcontext
from fractions import Fraction
from typing import overload

from .messages import N_, Message, Refusal

Number = Decimal | Fraction

#: The most digits a number may have before and after its point. The largest sum of money a policy can
#: name, a country's GDP in 元, is about 10^15 (16 digits); 20 digits leaves room in any unit. Ten
#: places is one 分 (0.01元) written in 亿元, the finest amount the ledger's money units can need. So no
#: admitted number has more than 30 significant digits, and a mistyped or hostile number (a thousand
#: digits, 1e999999) is refused before any arithmetic or formatting sees it.
MAX_INTEGER_DIGITS = 20
MAX_FRACTION_DIGITS = 10
#: The most digits of a fraction's numerator or denominator. The document's fractions are 1/2 and 2/3;
#: a fraction with larger terms is a decimal in disguise.
MAX_FRACTION_TERM_DIGITS = 6

_PLAIN_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")
_PLAIN_FRACTION = re.compile(r"([1-9][0-9]*)/([1-9][0-9]*)")
_NOT_FINITE = re.compile(r"[-+]?\.?(?:nan|inf|infinity)", re.IGNORECASE)
#: Roughly what YAML or a person would take for a number: any digits (full-width too), _ and , between
#: them, a point, an exponent, another base. Used only to choose the words of a refusal.
_NUMBER_LIKE = re.compile(
    r"[-+]?(?:0[xob][0-9a-f_]+|(?=[^e]*\d)[\d_,]*\.?[\d_,]*(?:e[-+]?[\d_]+)?)", re.IGNORECASE
)
_BASES = {"0x": ("16", 16), "0o": ("8", 8), "0b": ("2", 2)}
#: Text this long is never shown whole in a message, whatever a file holds.
_SHOWN_CHARS = 40


class ExactDecimal(Decimal):
    """A Decimal that remembers how it was written (``5.0`` stays ``5.0``).

    Build one with ``parse_number``: the constructor trusts its text and checks nothing.
    """

    text: str

    def __new__(cls, text: str) -> ExactDecimal:
        value = super().__new__(cls, text)
        value.text = text
        return value


def parse_number(text: str) -> ExactDecimal:
    """The one canonical spelling of a number: ``31.5``, ``5580``, ``0``, ``-2.5``, ``5.0``.

    An optional ``-``, ASCII digits without a leading zero (``0`` alone is fine), optionally a point and
    more digits; at most ``MAX_INTEGER_DIGITS`` before the point and ``MAX_FRACTION_DIGITS`` after it.
    Everything else (``1_4.8``, ``1.48e1``, ``+14.8``, ``014.8``, ``14.``, ``.5``, full-width digits,
    ``-0``, ``.nan``, ``.inf``, spaces) raises ``ValueError`` with one line: what is wrong; what to write.
    """
    if _PLAIN_NUMBER.fullmatch(text) is None:
        raise _not_plain(text)
    integer, _, fraction = text.removeprefix("-").partition(".")
    for digits, most, template, hint in (
        (integer, MAX_INTEGER_DIGITS, _DIGITS_BEFORE, CHECK_DIGITS_AND_UNIT),
        (fraction, MAX_FRACTION_DIGITS, _DIGITS_AFTER, _ROUND_IT),
    ):
        if len(digits) > most:
            raise Refusal(Message(template, number=excerpt(text), digits=len(digits), most=most), hint)
    if text.startswith("-") and not text.strip("-0."):
        raise Refusal(Message(N_("'{number}' is minus zero"), number=text), write_instead(text[1:]))
    return ExactDecimal(text)


def parse_fraction(text: str) -> Fraction:
    """The one spelling of a fraction: ``2/3``, in lowest terms, ASCII digits without leading zeros."""
    match = _PLAIN_FRACTION.fullmatch(text)
    if match is None:
        raise _not_a_fraction(text)
    numerator, denominator = match.groups()
    if max(len(numerator), len(denominator)) > MAX_FRACTION_TERM_DIGITS:
        raise Refusal(
            Message(
                N_("'{fraction}' has terms of more than {most} digits"),
                fraction=excerpt(text),
                most=MAX_FRACTION_TERM_DIGITS,
            ),
            Message(N_("write the value as a number with a point")),
        )
    value = Fraction(int(numerator), int(denominator))
    if value.denominator != int(denominator):
        plain = f"{value.numerator}/{value.denominator}"
        raise Refusal(Message(N_("'{fraction}' is not in lowest terms"), fraction=text), write_instead(plain))
    return value


def looks_numeric(text: str) -> bool:
    """Whether text was meant as a number (``1_4.8``, ``１４.８``, ``.inf``, ``0x1F``, ``1.48e1``), so that
    refusing it should say how to write the number rather than that text is not a number."""
    stripped = text.strip()
    return bool(_NOT_FINITE.fullmatch(stripped) or _NUMBER_LIKE.fullmatch(stripped))


def _not_plain(text: str) -> Refusal:
    """Why ``text`` is not a number written plainly, and what to write instead, in one line."""
    shown = excerpt(text)
    stripped = text.strip()
    if not stripped:
        return Refusal(Message(N_("is empty")), WRITE_A_NUMBER)
    if _NOT_FINITE.fullmatch(stripped):
        return Refusal(Message(N_("'{number}' is not a finite number"), number=shown), WRITE_A_NUMBER)
    reason = _reason(text)
    plain = _plain_spelling(text)
    if plain is not None or "," in text:
        message = Message(
            N_("'{number}' is not a number written plainly ({reason})"), number=shown, reason=reason
        )
        return Refusal(
            message,
            write_instead(plain) if plain is not None else Message(N_("write the digits without separators")),
        )
    return Refusal(
        Message(N_("'{number}' is not a number ({reason})"), number=shown, reason=reason),
        Message(N_("write digits with at most one point, such as 31.5")),
    )


def _reason(text: str) -> Message:
    body = text.strip().lstrip("+-")
    lowered = body.lower()
    checks = (
        (text != text.strip() or any(c.isspace() for c in text), N_("it has spaces")),
        (any(c.isdecimal() and not c.isascii() for c in text), N_("it has full-width or non-ASCII digits")),
        ("_" in text, N_("it has _ between digits")),
        ("," in text, N_("it has a comma")),
        (text.strip().startswith("+"), N_("it has a plus sign")),
        (lowered[:2] in _BASES, N_("it is written in base {base}")),
        ("e" in lowered, N_("it has an exponent")),
        (body.endswith("."), N_("it ends with a point")),
        (body.startswith("."), N_("it has no digit before the point")),
        (len(body) > 1 and body[0] == "0" and body[1].isdecimal(), N_("it has a leading zero")),
        (body.count(".") > 1, N_("it has more than one point")),
    )
    reason = next((reason for found, reason in checks if found), N_("it has characters other than digits"))
    return Message(reason, base=_BASES.get(lowered[:2], ("",))[0])


def _plain_spelling(text: str) -> str | None:
    """The canonical spelling of what ``text`` evidently means, or None when that is unclear or too large."""
    if len(text) > 4 * (MAX_INTEGER_DIGITS + MAX_FRACTION_DIGITS) or "," in text:
        return None
    cleaned = "".join(
        str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text if not c.isspace() and c != "_"
    )
    negative = cleaned.startswith("-")
    body = cleaned.lstrip("+-") if cleaned[:1] in "+-" and cleaned[1:2] not in "+-" else cleaned
    base = _BASES.get(body[:2].lower())
    try:
        value = Decimal(int(body[2:], base[1])) if base is not None else Decimal(body)
    except (ArithmeticError, ValueError):
        return None
    if not value.is_finite() or value.adjusted() >= MAX_INTEGER_DIGITS:
        return None
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_FRACTION_DIGITS:
        return None
    plain = format(value, "f")
    if negative and value != 0:
        plain = f"-{plain}"
    return plain if _PLAIN_NUMBER.fullmatch(plain) else None


def _not_a_fraction(text: str) -> Refusal:
    shown = excerpt(text)
    numerator, slash, denominator = text.replace("／", "/").partition("/")
    terms = [
        "".join(str(unicodedata.decimal(c)) for c in part.strip()) if part.strip().isdecimal() else None
        for part in (numerator, denominator)
    ]
    if slash and terms[0] is not None and terms[1] is not None:
        top, bottom = int(terms[0]), int(terms[1])
        if bottom == 0:
            return Refusal(
                Message(N_("'{fraction}' divides by zero"), fraction=shown),
                Message(N_("write a fraction such as 2/3")),
            )
        if top == 0:
            return Refusal(Message(N_("'{fraction}' is zero"), fraction=shown), write_instead("0"))
        return Refusal(
            Message(N_("'{fraction}' is not a fraction written plainly"), fraction=shown),
            write_instead(f"{top}/{bottom}"),
        )
    return Refusal(
        Message(N_("'{fraction}' is not a fraction"), fraction=shown), Message(N_("write one such as 2/3"))
    )


def write_instead(spelling: str) -> Message:
    """``write 31.5``: the one spelling to write instead."""
    return Message(N_("write {spelling}"), spelling=spelling)


WRITE_A_NUMBER = Message(N_("write a number such as 31.5"))
CHECK_DIGITS_AND_UNIT = Message(N_("check the digits and the unit"))
_DIGITS_BEFORE = N_("'{number}' has {digits} digits before the point, more than the {most} a number may have")
_DIGITS_AFTER = N_("'{number}' has {digits} digits after the point, more than the {most} a number may have")
_ROUND_IT = Message(N_("round it to {most} places (0.0000000001亿元 is one 分)"), most=MAX_FRACTION_DIGITS)


def excerpt(text: str) -> str:
    """``text`` as a message may quote it: one line, control characters escaped, cut to a sane length."""
    cut = text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 1] + "…"
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in cut)


def exact_sum(values: Iterable[Decimal]) -> Decimal:
    """The sum of ``values``, exactly: integer arithmetic, never Decimal's 28-digit context, which rounds.

    Raises ``ValueError`` for a value that is not finite.
    """
    terms = list(values)
    places = 0
    for value in terms:
        exponent = value.as_tuple().exponent
        if not isinstance(exponent, int):
            raise ValueError(f"cannot add {value}: it is not a finite number")
        places = max(places, -exponent)
    scale = 10**places
    total = 0
    for value in terms:
        numerator, denominator = value.as_integer_ratio()
        total += numerator * scale // denominator  # exact: the denominator divides 10**places
    sign, digits, _ = Decimal(total).as_tuple()
    return Decimal((sign, digits, -places))


def exact_difference(minuend: Decimal, subtrahend: Decimal) -> Decimal:
    """``minuend - subtrahend`` exactly (``-`` and unary minus round at the context's 28 digits)."""
    return exact_sum([minuend, subtrahend.copy_negate()])


#: Money units and their size in 元. 亿美元 is a different currency and is deliberately absent.
MONEY_UNITS: dict[str, int] = {"元": 1, "万元": 10_000, "亿元": 100_000_000}
#: The same sizes as powers of ten, so that conversion shifts the point instead of multiplying.
_MONEY_PLACES: dict[str, int] = {unit: len(str(size)) - 1 for unit, size in MONEY_UNITS.items()}
assert all(10 ** _MONEY_PLACES[unit] == size for unit, size in MONEY_UNITS.items())

#: Every unit the document uses after a number. A unit outside this set is almost always a typo.
KNOWN_UNITS: frozenset[str] = frozenset(
    {
        *MONEY_UNITS,
        *["亿美元", "%", "倍", "折"],
        *["亩", "万亩", "万千瓦", "万吨", "万吨标准煤", "标箱"],
        *["家", "户", "名", "个", "条", "台", "张", "场", "人次", "万人", "套（间）", "项", "所", "年"],
    }
)


def is_money(unit: str | None) -> bool:
    return unit in MONEY_UNITS


@overload
def convert(value: Decimal, from_unit: str, to_unit: str) -> Decimal: ...
@overload
def convert(value: Fraction, from_unit: str, to_unit: str) -> Fraction: ...
@overload
def convert(value: Number, from_unit: str, to_unit: str) -> Number: ...
def convert(value: Number, from_unit: str, to_unit: str) -> Number:
    """Convert between money units exactly; raises ``ValueError`` for units that do not convert."""
    if from_unit == to_unit:
        return value
    if from_unit not in MONEY_UNITS or to_unit not in MONEY_UNITS:
        raise ValueError(f"cannot convert {from_unit} to {to_unit}")
    places = _MONEY_PLACES[from_unit] - _MONEY_PLACES[to_unit]
    if isinstance(value, Fraction):
        return value * Fraction(10) ** places
    # shift the point: Decimal multiplication would round beyond 28 digits
    sign, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int):
        raise ValueError(f"cannot convert {value}: it is not a finite number")
    return Decimal((sign, digits, exponent + places))


def format_number(value: Number) -> str:
    """``Decimal('31.50')`` → ``31.5``; ``Decimal('5.0')`` as written in YAML stays ``5.0``.

    Never rounds: a number of any length prints in full, without an exponent.
    """
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}"
    text = getattr(value, "text", None)  # an ExactDecimal remembers its spelling
    if text is not None:
        return str(text)
    plain = format(value, "f")
    if "." in plain:
        plain = plain.rstrip("0").removesuffix(".")
    return "0" if plain == "-0" else plain


def format_amount(value: Number, unit: str | None) -> str:
    """The document's own notation: number and unit with no space (``31.5亿元``)."""
    return f"{format_number(value)}{unit or ''}"


def format_ranges(numbers: list[int]) -> str:
    """``[1, 2, 3, 7]`` → ``1-3, 7``: how messages name a set of area or measure numbers."""
    groups: dict[int, list[int]] = {}
    for index, number in enumerate(sorted(numbers)):
        groups.setdefault(number - index, []).append(number)
    return ", ".join(f"{g[0]}-{g[-1]}" if len(g) > 1 else f"{g[0]}" for g in groups.values())


def share(part: Decimal, whole: Decimal) -> Decimal:
    """``part`` as a percentage of ``whole``, to one decimal place (display only)."""
    if whole == 0:
        return Decimal(0)
    with localcontext() as context:  # enough digits that no admitted pair of numbers can overflow it
        context.prec = 4 * (MAX_INTEGER_DIGITS + MAX_FRACTION_DIGITS)
        return (part * 100 / whole).quantize(Decimal("0.1"))


def as_money(value: Decimal | Fraction) -> Decimal:
    """Money converted between 元, 万元 and 亿元 stays a Decimal (only a ratio such as 2/3 is a Fraction)."""
    return value if isinstance(value, Decimal) else Decimal(value.numerator) / Decimal(value.denominator)
