"""Output to a console whose encoding cannot hold every character: GBK (Windows in China), ASCII, cp1252.

GBK holds Chinese but not ``≥``, ``≈`` or ``░``; ASCII and cp1252 hold no Chinese at all. Python's
stdout refuses such a character with a ``UnicodeEncodeError`` that would end the command with a
traceback, so ``tolerate`` sets stdout to replace it with ``?`` (stderr already shows it as an escape
such as ``\\u2265``). Text for people then reads with a ``?`` where a symbol was.

A document for programs must not change its data that way, so where the console cannot hold a
character of it: JSON writes it as its ``\\u`` escape (the same string once parsed), and YAML is
written again with every character beyond ASCII escaped in double quotes. CSV is written as UTF-8
bytes anyway, and files written with ``-o`` are always UTF-8.
"""

from __future__ import annotations

import codecs
from typing import Any, TextIO


def tolerate(stream: TextIO) -> None:
    """Let ``stream`` write ``?`` for what its encoding cannot hold, instead of raising."""
    reconfigure: Any = getattr(stream, "reconfigure", None)
    if reconfigure is None or getattr(stream, "errors", None) != "strict":
        return
    try:
        reconfigure(errors="replace")
    except (ValueError, OSError):  # a closed or detached stream: nothing will be written to it anyway
        return


def encoding_of(stream: TextIO) -> str:
    """The encoding ``stream`` writes in; UTF-8 when it does not say or names one Python does not know."""
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return "utf-8"


def holds(text: str, encoding: str) -> bool:
    """Whether ``encoding`` can hold every character of ``text``."""
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def _json_escape(error: UnicodeError) -> tuple[str, int]:
    """JSON escapes (``\\u00e9``; a surrogate pair beyond the BMP) of the characters an encoding refuses."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    escaped = []
    for char in error.object[error.start : error.end]:
        units = char.encode("utf-16-be")
        escaped += [f"\\u{int.from_bytes(units[i : i + 2], 'big'):04x}" for i in range(0, len(units), 2)]
    return "".join(escaped), error.end


codecs.register_error("ledger-json-escape", _json_escape)


def json_for(text: str, encoding: str) -> str:
    """A JSON document that ``encoding`` can hold: what it cannot, written as ``\\u`` escapes.

    Outside its strings JSON is ASCII, so every such character stands in a string, where the escape
    means the same character.
    """
    if holds(text, encoding):
        return text
    return text.encode(encoding, errors="ledger-json-escape").decode(encoding)


def yaml_for(text: str, encoding: str) -> str:
    """A YAML document that ``encoding`` can hold: written again with non-ASCII characters escaped."""
    if holds(text, encoding):
        return text
    from .yamlio import dump_plain, load_plain

    return dump_plain(load_plain(text), ascii_only=True)
