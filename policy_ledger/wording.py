"""How the document words a number: where a value stands in a quote and what words surround it.

Used by the checks that keep a record's value, comparator and commitment true to its quote. The word
lists follow the document's own usage (以上/不低于/突破/超过 → at least; 以内/不超过 → at most; 左右 → about;
确保 → firm; 力争/争取/争创 → stretch).
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal
from fractions import Fraction

from .amounts import Number

#: Numbers the text writes in words, with the comparator the words themselves imply.
WORD_NUMBERS: dict[str, tuple[Number, str | None]] = {
    "半数": (Fraction(1, 2), None),
    "八五折": (Decimal("8.5"), None),
    "超百亿": (Decimal(100), "at_least"),
    "千亿级": (Decimal(1000), "at_least"),
}
_NUMBER = re.compile(r"\d+(?:\.\d+)?(?:/\d+)?")

#: Words after a value (after its unit) and before it that set its comparator; longest first.
AFTER_WORDS = (("以上", "at_least"), ("以内", "at_most"), ("以下", "at_most"), ("左右", "about"))
BEFORE_WORDS = (
    ("不低于", "at_least"),
    ("不少于", "at_least"),
    ("不超过", "at_most"),
    ("不高于", "at_most"),
    ("下降至", "at_most"),
    ("缩小至", "at_most"),
    ("控制在", "at_most"),
    ("突破", "at_least"),
    ("超过", "at_least"),
)
FIRM_WORDS = ("确保",)
STRETCH_WORDS = ("力争", "争取", "争创")


def _parse(token: str) -> Number:
    if "/" in token:
        numerator, denominator = token.split("/")
        return Fraction(int(numerator), int(denominator)) if int(denominator) else Decimal(-1)
    return Decimal(token)


@functools.lru_cache(maxsize=4096)
def value_spans(quote: str, value: Number) -> tuple[tuple[int, int, str | None], ...]:
    """Every place ``value`` is written in ``quote``: (start, end, comparator implied by the words)."""
    spans: list[tuple[int, int, str | None]] = [
        (m.start(), m.end(), None) for m in _NUMBER.finditer(quote) if _parse(m.group()) == value
    ]
    for word, (number, implied) in WORD_NUMBERS.items():
        if number == value:
            spans.extend((m.start(), m.end(), implied) for m in re.finditer(word, quote))
    return tuple(spans)  # cached: checks L010 and L014 ask for the same spans


def comparators_near(quote: str, value: Number, unit: str | None) -> set[str]:
    """The comparators the quote's words give to ``value`` wherever it stands."""
    found: set[str] = set()
    for start, end, implied in value_spans(quote, value):
        if implied:
            found.add(implied)
        after = quote[end : end + len(unit or "") + 3]
        before = quote[max(0, start - 3) : start]
        found.update(kind for word, kind in AFTER_WORDS if word in after)
        for word, kind in BEFORE_WORDS:
            if before.endswith(word) or before.endswith(word + "达"):
                found.add(kind)
                break
    return found


def commitment_words(quote: str) -> set[str]:
    """The commitments the quote's words express: firm (确保) and/or stretch (力争, 争取, 争创)."""
    commitments = (("firm", FIRM_WORDS), ("stretch", STRETCH_WORDS))
    return {kind for kind, words in commitments if any(word in quote for word in words)}
