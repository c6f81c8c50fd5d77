"""A sentence kept as data until it is shown: its English template, marked for the catalogue, and its values.

A finding is built where a check runs but read in two worlds: people read it in their language (``--format
text``, the GitHub step summary), programs read it in English (``--format json``, ``sarif``, ``github``,
and the finding keys that compare one revision's findings with another's). So a ``Message`` is its English
text — it *is* that string, and every machine-readable output, comparison and hash sees only the English —
and it keeps the template and values it was made from, so that ``shown()`` can say it again in the
reader's language::

    Message(N_("target {id}: unknown unit “{unit}”"), id=target.id, unit=target.unit)

A value that is itself a ``Message`` (a record's label, a reason) is said in the same language as the
sentence around it; any other value (an id, a file name, a quote, a number) is put in as it is, never
translated. ``Message.ngettext`` is ``ngettext`` kept as data. A ``Message`` joined or formatted into a
plain string becomes plain English: build sentences from templates, and the test that every finding shows
Chinese under ``--lang zh`` finds the ones that were not.
"""

from __future__ import annotations

from typing import Any

from .i18n import N_, _, ngettext

__all__ = ["N_", "Message", "shown"]


class Message(str):
    """English text that remembers how it was said: ``template.format(**values)`` in English, and in the
    reader's language through ``shown()``."""

    template: str
    plural: str | None
    number: int | None
    values: dict[str, Any]

    def __new__(cls, template: str, /, **values: Any) -> Message:
        return cls._make(template, None, None, values)

    @classmethod
    def ngettext(cls, singular: str, plural: str, n: int, /, **values: Any) -> Message:
        """``{count} budget`` / ``{count} budgets``: the form for ``n`` (give the count among the values)."""
        return cls._make(singular, plural, n, values)

    @classmethod
    def _make(cls, template: str, plural: str | None, count: int | None, values: dict[str, Any]) -> Message:
        english = template if plural is None or count == 1 else plural
        self = super().__new__(cls, english.format(**values))
        self.template, self.plural, self.number, self.values = template, plural, count, values
        return self

    def english(self) -> str:
        """The English text, as a plain string."""
        return str.__str__(self)

    def shown(self) -> str:
        """The sentence in the reader's language (``i18n``); values are put in as they are."""
        if not self.template:
            return ""  # gettext's "" is the catalogue's header
        if self.plural is None:
            template = _(self.template)
        else:
            template = ngettext(self.template, self.plural, self.number or 0)
        return template.format(**{name: shown(value) for name, value in self.values.items()})

    def __reduce__(self) -> tuple[Any, ...]:
        return (Message._make, (self.template, self.plural, self.number, self.values))


def shown(value: Any) -> Any:
    """A ``Message`` in the reader's language; any other value as it is (data is never translated)."""
    return value.shown() if isinstance(value, Message) else value


#: What a record is called in a message, by the kind the loader and the checks name it with. The id or
#: number stays as the data writes it.
_LABELS = {
    "document": N_("document {id}"),
    "area": N_("area {id}"),
    "measure": N_("measure {id}"),
    "target": N_("target {id}"),
    "budget": N_("budget {id}"),
    "budget of measure": N_("budget of measure {id}"),
    "allocation": N_("allocation {id}"),
    "instrument": N_("instrument {id}"),
    "progress entry": N_("progress entry {id}"),
    "lead": N_("lead {id}"),
}
#: A record of a kind, without its id (a record whose id could not be read).
_KINDS = {
    "document": N_("document"),
    "area": N_("area"),
    "measure": N_("measure"),
    "target": N_("target"),
    "budget": N_("budget"),
    "instrument": N_("instrument"),
}


def record(kind: str, ident: object) -> Message:
    """``target 17.1``, 目标 17.1: a record as messages name it."""
    return Message(_LABELS[kind], id=ident)


def kind(name: str) -> Message:
    """``target``, 目标: a kind of record, without an id."""
    return Message(_KINDS[name])


class Refusal(ValueError):
    """A value the data may not hold: what is wrong and what to do, each a ``Message``.

    Its text (``str(refusal)``, what pydantic puts in its error and other callers print) is the English
    one line ``what is wrong; what to do``; the loader takes the two ``Message``s from it, so that a model
    error is shown in the reader's language like any other finding.
    """

    def __init__(self, message: Message, hint: Message | None = None) -> None:
        super().__init__(f"{message}; {hint}" if hint else message)
        self.message = message
        self.hint = hint

    def shown(self) -> str:
        """``what is wrong; what to do`` in the reader's language."""
        if self.hint is None:
            return self.message.shown()
        return Message(N_("{message}; {hint}"), message=self.message, hint=self.hint).shown()
