"""Silencing a finding next to the data, with a reason: ``# ledger: ignore[L012] 原文合计四舍五入``.

A suppression is a YAML comment. At the end of a line it silences the codes it names on that line; on a
line of its own it silences them on the next line that holds data. It silences nothing without a reason,
and the ledger warns about a suppression that has no reason or names no code it can silence (L019) and
about one that no longer silences anything (L020), so that none outlives the finding it was written for.
Findings that stop a record from loading (L001–L003) cannot be silenced: the record would vanish quietly.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from .messages import N_, Message
from .problems import CODES, Problem, Severity, Source, clip

#: Codes that a suppression may not silence: the data they concern does not load until it is fixed.
UNSILENCEABLE = frozenset({"L001", "L002", "L003", "L019", "L020"})

#: A comment that speaks to the ledger: ``#`` at the start of a line or after a space, then ``ledger:``.
_LEDGER_COMMENT = re.compile(r"(?:^|\s)(#\s*ledger\s*:.*)$")
_IGNORE = re.compile(r"#\s*ledger\s*:\s*ignore\[([^\]]*)\]\s*(.*)$")
_CODE = re.compile(r"^[A-Z]\d{3}$")
EXAMPLE = "# ledger: ignore[L012] 原文合计四舍五入"


@dataclass
class Suppression:
    """One ``ignore[...]`` comment: where it is written, the line it covers, its codes and reason.

    One without a reason or without a usable code is kept (to be listed) but silences nothing.
    """

    source: Source
    line: int  # the line of data it covers (1-based)
    codes: tuple[str, ...]
    reason: str
    comment: str  # as written, from the '#'
    #: the findings it silenced in this run, filled in by ``apply_suppressions``
    silenced: list[Problem] = field(default_factory=list)

    @property
    def works(self) -> bool:
        return bool(self.codes and self.reason)


@dataclass
class Suppressed:
    """The outcome of applying suppressions: what still stands, what was silenced, and by which."""

    problems: list[Problem]
    silenced: list[tuple[Problem, Suppression]]
    suppressions: list[Suppression]


_COMMENT_START = re.compile(r"#\s*ledger\s*:")


def _lines_with_comments(text: str) -> Iterator[tuple[int, str]]:
    """(0-based index, line) of each line that may hold a ``# ledger:`` comment, found in one pass
    over the text: splitting a file of thousands of records into lines costs more than the search."""
    seen = -1
    for match in _COMMENT_START.finditer(text):
        index = text.count("\n", 0, match.start())
        if index == seen:
            continue
        seen = index
        begin = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.start())
        yield index, text[begin : end if end != -1 else len(text)].rstrip("\r")


def parse_suppressions(
    file: str, text: str, is_comment: Callable[[int, int], bool] = lambda line, column: True
) -> tuple[list[Suppression], list[Problem]]:
    """Every suppression comment of one file, and an L019 warning for each one that cannot work.

    ``is_comment`` tells a real comment from a '#' inside a quoted value (which the YAML reader knows):
    text in the data must never silence a finding.
    """
    suppressions: list[Suppression] = []
    problems: list[Problem] = []
    lines: list[str] | None = None  # split only for a comment on a line of its own
    for index, line in _lines_with_comments(text):
        comment = _LEDGER_COMMENT.search(line)
        if comment is None:
            continue
        column = comment.start(1) + 1
        if not is_comment(index + 1, column):
            continue
        where = Source(file, index + 1, column)
        match = _IGNORE.match(comment.group(1))
        if match is None:
            problems.append(
                _warning(
                    where,
                    "L019",
                    Message(N_("suppression “{comment}” is not understood"), comment=clip(comment.group(1))),
                    Message(
                        N_("write it as {example} (the codes in brackets, then the reason)"), example=EXAMPLE
                    ),
                )
            )
            continue
        reason = match.group(2).split("#", 1)[0].strip()
        names = [name for name in re.split(r"[\s,]+", match.group(1)) if name]
        codes = []
        for name in names or [""]:
            refusal = _refusal(name)
            if refusal is None:
                codes.append(name)
            else:
                message = Message(N_("suppression of “{code}”: {refusal}"), code=name, refusal=refusal[0])
                problems.append(_warning(where, "L019", message, refusal[1]))
        if codes and not reason:
            problems.append(
                _warning(
                    where,
                    "L019",
                    Message(
                        N_("suppression ignore[{codes}] has no reason, so it silences nothing"),
                        codes=", ".join(codes),
                    ),
                    Message(
                        N_("say after the brackets why the finding is acceptable, e.g. {example}"),
                        example=EXAMPLE,
                    ),
                )
            )
        own_line = not line[: comment.start(1)].strip()
        if own_line and lines is None:
            lines = text.splitlines()
        covered = _next_data_line(lines, index) if own_line and lines is not None else index + 1
        written = comment.group(1).rstrip()
        suppressions.append(Suppression(where, covered, tuple(codes), reason, written))
    return suppressions, problems


def apply_suppressions(problems: Iterable[Problem], suppressions: list[Suppression]) -> Suppressed:
    """Silence each finding a suppression covers; an unused suppression becomes an L020 warning."""
    working = [s for s in suppressions if s.works]
    by_place = {(s.source.file, s.line, code): s for s in working for code in s.codes}
    kept: list[Problem] = []
    silenced: list[tuple[Problem, Suppression]] = []
    for problem in problems:
        suppression = by_place.get((problem.source.file, problem.source.line, problem.code))
        if suppression is None:
            kept.append(problem)
        else:
            suppression.silenced.append(problem)
            silenced.append((problem, suppression))
    for suppression in working:
        used = {p.code for p in suppression.silenced}
        for code in suppression.codes:
            if code not in used:
                kept.append(
                    _warning(
                        suppression.source,
                        "L020",
                        Message(
                            N_("suppression of {code} silences nothing: line {line} has no {code} finding"),
                            code=code,
                            line=suppression.line,
                        ),
                        Message(
                            N_("remove {code} from the comment (the finding it was written for is gone)"),
                            code=code,
                        ),
                    )
                )
    return Suppressed(kept, silenced, suppressions)


def _refusal(name: str) -> tuple[Message, Message] | None:
    """Why ``name`` cannot be silenced, as (what is wrong, what to do); None when it can."""
    if not name:
        return Message(N_("no code in the brackets")), Message(
            N_("name the code to silence, e.g. {example}"), example=EXAMPLE
        )
    if not _CODE.match(name) or name not in CODES:
        return Message(N_("no such code")), Message(
            N_("use a code the ledger reports (the README lists them)")
        )
    if name in UNSILENCEABLE:
        return Message(N_("this finding cannot be silenced")), Message(
            N_("fix the data: the record does not load until then")
        )
    return None


def _next_data_line(lines: list[str], index: int) -> int:
    """The 1-based number of the first line after ``index`` that is neither blank nor only a comment."""
    for number in range(index + 1, len(lines)):
        content = lines[number].strip()
        if content and not content.startswith("#"):
            return number + 1
    return index + 1


def _warning(source: Source, code: str, message: Message, hint: Message) -> Problem:
    return Problem(source, Severity.WARNING, code, message, hint)
