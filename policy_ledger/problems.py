"""Findings about the data: small values that carry where they are, how bad, and what to do.

Bad user data is never an exception in this package; it becomes a ``Problem``. Exceptions are kept for a
broken environment (``LedgerError``: no data directory, an unreadable file) and for bugs.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, order=True)
class Source:
    """Where a finding stands: a file (as the user names it) and a 1-based line and column."""

    file: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Problem:
    source: Source
    severity: Severity
    code: str
    message: str
    hint: str = ""

    def format_text(self) -> str:
        """``FILE:LINE:COL: severity CODE message`` so editors and terminals can jump to it."""
        message = " ".join(self.message.split("\n"))  # one finding, one line, whatever the data held
        return f"{self.source}: {self.severity.value} {self.code} {message}"

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.source.file, self.source.line, self.source.column, self.code)


class LedgerError(Exception):
    """The environment stops the ledger from working (no data found, file unreadable, bad argument).

    ``exit_code`` follows the CLI's convention: 1 for data that cannot be used, 2 for usage.
    """

    def __init__(self, message: str, *, exit_code: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code
