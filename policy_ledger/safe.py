"""Hostile text, made harmless once at each boundary where it leaves the program.

Text from the data files, from git (author names, commit subjects) and from the command line (echoed in
errors) reaches a reader through four kinds of output, and each has one function here:

- a terminal: ``terminal_safe`` shows control characters and bidirectional overrides as visible escapes
  (ESC as ``\\x1b``, U+202E as ``\\u202e``), so data can neither drive the terminal (move the cursor,
  recolour, rewrite the title, hide a line) nor reorder what a reader sees (Trojan Source);
- a spreadsheet: ``csv_safe`` puts a ``'`` before text that a spreadsheet would run as a formula
  (OWASP's advice for CSV injection); numbers the tool formats itself stay numbers;
- Markdown that GitHub renders: ``markdown_safe`` lets no raw HTML, entity, link or table break through,
  and ``mermaid_safe`` keeps a label inside its quotes;
- JSON: ``json_safe`` writes the characters JSON leaves raw (DEL, C1, bidi) as ``\\u`` escapes of four
  hex digits, which decode to the same text.

Each function is pure; ``terminal_safe``, ``csv_safe`` and ``json_safe`` are also idempotent (applying one
twice gives what applying it once gave), so a second pass at an outer boundary changes nothing.
"""

from __future__ import annotations

import re

#: C0 controls but the line feed, DEL and the C1 controls: what a terminal may act on.
_CONTROLS = "\x00-\x09\x0b-\x1f\x7f-\x9f"
#: Bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): they reorder how a
#: line reads on screen without changing its bytes.
_BIDI = "\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(f"[{_CONTROLS}{_BIDI}]")
_UNSAFE_OR_NEWLINE = re.compile(f"[{_CONTROLS}{_BIDI}\n]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def visible(char: str) -> str:
    """How one unsafe character is shown: ``\\t``, ``\\r``, ``\\n``, ``\\x1b``, ``\\u202e``."""
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def is_unsafe(char: str) -> bool:
    """Whether a terminal would act on ``char`` (or reorder text around it) instead of showing it."""
    return _UNSAFE.match(char) is not None


def terminal_safe(text: str, *, one_line: bool = False) -> str:
    """``text`` for a terminal: control and bidi characters shown as escapes, line feeds kept unless
    ``one_line`` (a one-line message stays one line whatever it quotes)."""
    pattern = _UNSAFE_OR_NEWLINE if one_line else _UNSAFE
    return pattern.sub(lambda match: visible(match.group()), text)


#: What a spreadsheet reads as the start of a formula (OWASP: CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(text: str) -> str:
    """A text cell that a spreadsheet will show as text: ``=1+2`` becomes ``'=1+2``.

    Apply it to text only. Numbers the tool writes itself (``-3.5``) are numbers, not formulas, and a
    spreadsheet must be able to add them up.
    """
    return "'" + text if text.startswith(FORMULA_STARTS) else text


#: Characters with a meaning in Markdown's inline syntax (code, emphasis, links, table cells), escaped with
#: a backslash, the backslash itself too, so that data cannot escape the escapes. An underscore between two
#: letters or digits (``in_progress``) cannot start or end emphasis and stays as it is; so does ``~``
#: (at worst a strikethrough, and git revisions such as ``HEAD~2`` stay readable in the source).
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*\[\]|]|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z]))")
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def markdown_safe(text: str) -> str:
    """``text`` as literal Markdown inline text, on one line, inside a table cell or anywhere else.

    No raw HTML or entity passes (``<``, ``>`` and ``&`` become entities), inline markup shows as written
    (backslash escapes), a pipe cannot end a table cell, and line breaks and runs of spaces become one
    space. Control characters are shown as terminal escapes first.
    """
    text = " ".join(terminal_safe(text).split())
    text = _MARKDOWN_PUNCTUATION.sub(r"\\\1", text)
    return "".join(_HTML.get(char, char) for char in text)


_MERMAID = {'"': "#quot;", "<": "#lt;", ">": "#gt;", "&": "#amp;", "`": "#96;"}


def mermaid_safe(text: str) -> str:
    """A label inside ``"…"`` in a Mermaid block: one line, its quotes, markup and fences as Mermaid
    entity codes, so it can neither close the label nor the fenced block around it."""
    text = " ".join(terminal_safe(text).split())
    return "".join(_MERMAID.get(char, char) for char in text)


_JSON_RAW = re.compile(f"[\x7f-\x9f{_BIDI}]")


def json_safe(document: str) -> str:
    """A JSON text with what ``json.dumps`` leaves raw (DEL, C1, bidi) as four-digit ``\\u`` escapes.

    Only characters inside strings can be such characters, and the escape decodes to the same one, so
    the data is unchanged; C0 controls are escaped by ``json.dumps`` itself.
    """
    return _JSON_RAW.sub(lambda match: f"\\u{ord(match.group()):04x}", document)
