"""Help laid out by the columns it takes on a terminal, so that Chinese help fits the width as English does.

Click measures and wraps help by characters and breaks lines only at spaces. A Chinese character takes two
columns and Chinese has no spaces, so its help would run past the terminal's edge or not wrap at all. Here
a line breaks between any two Chinese characters (never before closing punctuation such as ``，`` or
``）``, never after an opening one such as ``（``), and every width is counted in columns. English help is
laid out exactly as click lays it out.
"""

from __future__ import annotations

import re
import textwrap
import unicodedata
from collections.abc import Iterable
from typing import Any

#: Punctuation a line never starts with, and punctuation a line never ends with.
_NO_LINE_START = frozenset("，。、；：！？）》」』〕】”’…%．,.;:!?)]")
_NO_LINE_END = frozenset("（《「『〔【“‘([")
#: What is never broken: a document number (乐政发〔2023〕6号), a date (2023年6月30日), an amount (31.5亿元).
_WHOLE = re.compile(
    r"[\u3400-\u9fff]{1,8}〔\d{4}〕\d+号|\d{4}年\d{1,2}月\d{1,2}日|\d[\d.,]*(?:亿元|万元|亿|万|元|亩)"
)


def columns(text: str) -> int:
    """The columns ``text`` takes on a terminal: two for a wide (East Asian) character, none for a
    combining mark."""
    if text.isascii():
        return len(text)
    return sum(2 if _wide(ch) else 0 if unicodedata.combining(ch) else 1 for ch in text)


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def _tokens(text: str) -> Iterable[str]:
    """The characters of ``text``, except that what must stay whole (``_WHOLE``) is one token."""
    start = 0
    for match in _WHOLE.finditer(text):
        yield from text[start : match.start()]
        yield match.group()
        start = match.end()
    yield from text[start:]


class ColumnWrapper(textwrap.TextWrapper):
    """``textwrap.TextWrapper`` measuring columns, with a break allowed between Chinese characters."""

    def _split(self, text: str) -> list[str]:
        chunks: list[str] = []
        for chunk in super()._split(text):
            if chunk.isascii():
                chunks.append(chunk)
                continue
            pieces: list[str] = []
            for token in _tokens(chunk):
                glued = pieces and (
                    token[0] in _NO_LINE_START
                    or pieces[-1][-1] in _NO_LINE_END
                    or (not _wide(token[0]) and not _wide(pieces[-1][-1]))
                )
                if glued:
                    pieces[-1] += token
                else:
                    pieces.append(token)
            chunks.extend(pieces)
        return chunks

    def _wrap_chunks(self, chunks: list[str]) -> list[str]:
        lines: list[str] = []
        chunks.reverse()
        while chunks:
            indent = self.subsequent_indent if lines else self.initial_indent
            width = self.width - columns(indent)
            if self.drop_whitespace and chunks[-1].strip() == "" and lines:
                del chunks[-1]
            line: list[str] = []
            used = 0
            while chunks and used + columns(chunks[-1]) <= width:
                used += columns(chunks[-1])
                line.append(chunks.pop())
            if chunks and columns(chunks[-1]) > width:
                self._cut_long_word(chunks, line, used, width)
            if self.drop_whitespace and line and line[-1].strip() == "":
                del line[-1]
            if line:
                lines.append(indent + "".join(line))
        return lines

    def _cut_long_word(self, chunks: list[str], line: list[str], used: int, width: int) -> None:
        """A word wider than the line: as much of it as fits, at least one character."""
        space = max(width - used, 1)
        word = chunks[-1]
        cut = 0
        taken = 0
        while cut < len(word) and (cut == 0 or taken + columns(word[cut]) <= space):
            taken += columns(word[cut])
            cut += 1
        if line and taken > space:  # not even one character fits after what the line holds
            return
        line.append(word[:cut])
        chunks[-1] = word[cut:]
        if not chunks[-1]:
            chunks.pop()


def wrap_text(
    text: str, width: int, initial_indent: str = "", subsequent_indent: str = "", paragraphs: bool = False
) -> str:
    """``click.formatting.wrap_text`` in columns: paragraphs are kept, and one that starts with a line
    holding ``\\b`` is not rewrapped."""
    wrapper = ColumnWrapper(
        width, initial_indent=initial_indent, subsequent_indent=subsequent_indent, replace_whitespace=False
    )
    text = text.expandtabs()
    if not paragraphs:
        return wrapper.fill(text)
    blocks: list[tuple[int, bool, str]] = []
    lines: list[str] = []
    indent: int | None = None

    def flush() -> None:
        if lines:
            if lines[0].strip() == "\b":
                blocks.append((indent or 0, True, "\n".join(lines[1:])))
            else:
                blocks.append((indent or 0, False, " ".join(lines)))
            lines.clear()

    for line in text.splitlines():
        if not line:
            flush()
            indent = None
            continue
        if indent is None:
            indent = len(line) - len(line.lstrip())
            line = line.lstrip()
        lines.append(line)
    flush()
    out = []
    for extra, raw, block in blocks:
        first, rest = initial_indent + " " * extra, subsequent_indent + " " * extra
        if raw:
            out.append("\n".join((rest if i else first) + part for i, part in enumerate(block.splitlines())))
        else:
            wrapper.initial_indent, wrapper.subsequent_indent = first, rest
            out.append(wrapper.fill(block))
    return "\n\n".join(out)


def in_columns(formatter: type[Any]) -> type[Any]:
    """Click's help formatter class ``formatter`` (Typer's own copy of click, or click), laying out help
    text by the columns it takes."""
    if formatter not in _LAID_OUT:
        _LAID_OUT[formatter] = type("ColumnFormatter", (ColumnLayout, formatter), {})
    return _LAID_OUT[formatter]


_LAID_OUT: dict[type[Any], type[Any]] = {}


class ColumnLayout:
    """What a help formatter lays out by columns: headings, paragraphs and definition lists. Mixed into
    click's ``HelpFormatter``, whose ``write``, ``width`` and ``current_indent`` it uses."""

    width: int
    current_indent: int
    write: Any

    def write_heading(self, heading: str) -> None:
        colon = "：" if heading and _wide(heading[-1]) else ":"
        self.write(f"{'':>{self.current_indent}}{heading}{colon}\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        self.write(wrap_text(text, self.width, indent, indent, paragraphs=True))
        self.write("\n")

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        if any(len(row) != 2 for row in rows):
            raise TypeError("Expected two columns for definition list")
        first_col = min(max((columns(first) for first, _ in rows), default=0), col_max) + col_spacing
        for first, second in rows:
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if columns(first) <= first_col - col_spacing:
                self.write(" " * (first_col - columns(first)))
            else:
                self.write("\n")
                self.write(" " * (first_col + self.current_indent))
            text_width = max(self.width - first_col - 2, 10)
            lines = wrap_text(second, text_width, paragraphs=True).splitlines()
            if not lines:
                self.write("\n")
                continue
            self.write(f"{lines[0]}\n")
            for line in lines[1:]:
                self.write(f"{'':>{first_col + self.current_indent}}{line}\n")
