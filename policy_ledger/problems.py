"""Findings about the data: small values that carry where they are, how bad, and what to do.

Bad user data is never an exception in this package; it becomes a ``Problem``. Exceptions are kept for a
broken environment (``LedgerError``: no data directory, an unreadable file) and for bugs.

Every code is registered in ``CODES`` with what it catches, in the words of the README's table: the SARIF
output names its rules from it, and tests keep the README and the bad fixtures in step with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from .i18n import _
from .messages import N_, Message, shown


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    def shown(self) -> str:
        """The severity in the reader's language (错误, 警告, 提示); ``value`` is the machine's word."""
        return _(_SEVERITY_WORDS[self])


_SEVERITY_WORDS = {Severity.ERROR: N_("error"), Severity.WARNING: N_("warning"), Severity.INFO: N_("info")}


#: Stable codes and what each catches. Suppressions, docs and dashboards refer to them: never reuse one.
CODES: dict[str, str] = {
    "L001": "a file that is missing, empty, not UTF-8 or not valid YAML",
    "L002": "a key written twice in one record",
    "L003": "a field of the wrong type or shape, an unknown or missing field",
    "L004": "two records with one id (or number)",
    "L005": "a reference to something that does not exist",
    "L006": "areas or measures missing from 1..area_count / 1..measure_count",
    "L008": "a measure with no target, budget or instrument",
    "L009": "a quote, heading, text or deadline wording that is not word for word in the source",
    "L010": "a value that its quote does not state",
    "L011": "a unit outside the known set, or a budget not in money",
    "L012": "allocations that do not add up exactly to their budget's total",
    "L013": "a stated overall total above the gross sum of the budgets",
    "L014": "a comparator that the words next to the value contradict",
    "L015": "a commitment the quote does not state",
    "L016": "a progress entry in another unit than its target, a value on a milestone, "
    "a status on a quantity",
    "L017": "a progress entry dated before the policy period, in the future, long after the deadline, "
    "or twice on one date",
    "L018": "warning: an allocation reported as paid out beyond its amount",
    "L019": "a suppression comment without a reason, naming no known code, or naming a code that cannot "
    "be silenced",
    "L020": "a suppression comment that no longer silences anything",
    "I001": "information: the gross sum of all budgets, the stated total and the overlap it implies",
    "I002": "information: a record drafted by `ledger import` and not yet reviewed (`draft: true`)",
}


@dataclass(frozen=True, order=True)
class Source:
    """Where a finding stands: a file (as the user names it) and a 1-based line and column."""

    file: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


class FileText:
    """The text a file's records were loaded from, shared by their places: a field's position is found
    in it only when a finding asks (most loads find nothing, and noting every field costs a third of a
    parse)."""

    def __init__(self, text: str | bytes) -> None:
        self.text = text  # bytes are decoded only if a position is asked for
        self._lines: list[str] | None = None
        self._fields: dict[tuple[int, int], dict[str, tuple[int, int]]] = {}

    def fields(self, line: int, end: int) -> dict[str, tuple[int, int]]:
        """The position of every field of the record on lines [line, end] (1-based)."""
        if (line, end) not in self._fields:
            from .yamlio import field_positions

            if self._lines is None:
                text = self.text
                if isinstance(text, bytes):
                    text = text.decode("utf-8-sig", errors="replace")
                self._lines = text.splitlines()
            self._fields[(line, end)] = field_positions(self._lines, line, end)
        return self._fields[(line, end)]


@dataclass(frozen=True, slots=True)
class Place:
    """Where a record stands: its file as shown to the user, its path in the file's tree (such as
    ``("targets", 7)``), its 1-based line and column, the 0-based line just past its text, and the text
    it was read from (which finds the position of a field inside it, such as ``"allocations.1.unit"``)."""

    file: str
    path: tuple[str, int]
    line: int
    column: int
    end: int
    text: FileText | None = field(default=None, compare=False, repr=False)

    def source(self, *within: str | int) -> Source:
        """The position of a field of the record (of the record itself without arguments).

        A field that is not written stands at its closest written parent: where a person has to add it.
        """
        key = ".".join(str(part) for part in within)
        fields = self.text.fields(self.line, self.end) if key and self.text is not None else {}
        while key:
            found = fields.get(key)
            if found is not None:
                return Source(self.file, found[0], found[1])
            key = key.rpartition(".")[0]
        return Source(self.file, self.line, self.column)


@dataclass(frozen=True)
class Problem:
    """One finding. ``message`` says what is wrong and names the record; ``hint`` says what to do.

    Both are ``Message``s: their text is English (what JSON, SARIF, GitHub annotations and the finding
    keys of ``--changed-since`` read, the same in every language), and ``shown_advice`` and
    ``format_text`` say them in the reader's language. A plain string is shown as it is.
    """

    source: Source
    severity: Severity
    code: str
    message: str
    hint: str = ""

    @property
    def advice(self) -> str:
        """Message and hint as one sentence, in English, for outputs that have room for a single line."""
        return f"{self.message}; {self.hint}" if self.hint else self.message

    def shown_advice(self) -> str:
        """Message and hint as one sentence in the reader's language."""
        if not self.hint:
            return str(shown(self.message))
        return Message(N_("{message}; {hint}"), message=self.message, hint=self.hint).shown()

    def format_text(self) -> str:
        """``FILE:LINE:COL: severity CODE message; hint`` so editors and terminals can jump to it, in the
        reader's language (错误 L004 …); the place and the code are the same in every language."""
        advice = " ".join(self.shown_advice().split("\n"))  # one finding, one line, whatever the data held
        return f"{self.source}: {self.severity.shown()} {self.code} {advice}"

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.source.file, self.source.line, self.source.column, self.code)


#: Findings that leave a file unsafe to edit: it does not parse, or a record repeats a key.
UNEDITABLE = frozenset({"L001", "L002"})


def first_uneditable(problems: list[Problem], file_name: str | None = None) -> Problem | None:
    """The first error that makes a write refuse a file (of ``file_name`` alone, when given)."""
    return next(
        (
            p
            for p in problems
            if p.severity is Severity.ERROR
            and p.code in UNEDITABLE
            and (file_name is None or Path(p.source.file).name == file_name)
        ),
        None,
    )


def clip(text: str, limit: int = 40) -> str:
    """``text`` cut to ``limit`` characters (the last one an ellipsis), to quote it in a message."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


class LedgerError(Exception):
    """The environment stops the ledger from working (no data found, file unreadable, bad argument).

    ``exit_code`` follows the CLI's convention: 1 for data that cannot be used, 2 for usage.
    """

    def __init__(self, message: str, *, exit_code: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code
