"""The rich console of ``ledger review``'s prompts, escaping what it prints.

Every table is plain text (``plain``); only the interactive prompts of ``ledger review`` use rich.
``SafeConsole`` is the terminal boundary for what they show: every string becomes
``safe.terminal_safe`` before rich measures it, and every segment is checked again as it is written, so
no renderable can carry a control character through.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.segment import Segment
from rich.text import Text

from .plain import terminal_width
from .safe import terminal_safe


class _Escaped:
    """A renderable whose text segments are shown with control characters escaped."""

    def __init__(self, inner: RenderableType) -> None:
        self.inner = inner

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for segment in console.render(self.inner, options):
            if segment.control:  # cursor movement rich itself asks for, never text
                yield segment
            else:
                yield Segment(terminal_safe(segment.text), segment.style)


class SafeConsole(Console):
    """A rich console that shows control and bidi characters in the text it prints as visible escapes."""

    def render_str(self, text: str, **kwargs: Any) -> Text:
        return super().render_str(terminal_safe(text), **kwargs)

    def print(self, *objects: Any, **kwargs: Any) -> None:
        super().print(*(_Escaped(self.render_str(o) if isinstance(o, str) else o) for o in objects), **kwargs)


def safe_console() -> Console:
    """The console the review prompts print with: data is text, never rich markup (``[red]``) or emoji
    (``:x:``), as wide as ``plain.terminal_width`` says (``$COLUMNS`` first, also in a pipe)."""
    return SafeConsole(highlight=False, markup=False, emoji=False, width=terminal_width())
