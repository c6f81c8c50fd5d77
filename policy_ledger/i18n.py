"""The reader's language: English, as the code is written, or Simplified Chinese from a gettext catalogue.

Every sentence people read is written in English in the code and passed through ``_`` when it is shown;
``locale/zh/LC_MESSAGES/policy_ledger.po`` holds its Chinese (``python -m policy_ledger.catalogue``
extracts the messages with Babel, updates the catalogue and compiles it). Machine-readable output (JSON,
CSV, SARIF, check codes, YAML keys) never passes through ``_``, so it is the same in every language.

The language is ``--lang``, else the locale (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``, as gettext
reads them; on Windows the user's locale), else English. Typer's own words (``Options``, ``Commands``) use
the standard library's gettext under the default domain, so choosing a language also makes this catalogue
that domain and sets ``LANGUAGE`` for the process.
"""

from __future__ import annotations

import functools
import gettext
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

DOMAIN = "policy_ledger"
LOCALE_DIR = Path(__file__).parent / "locale"
#: The languages of the interface, and the gettext language each stands for.
LANGUAGES = {"en": "en", "zh": "zh"}
_LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

_current: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def language_of_locale(environ: Mapping[str, str] | None = None) -> str:
    """``zh`` when the locale names Chinese (``zh_CN.UTF-8``), else ``en``.

    As GNU gettext reads it: ``LANGUAGE`` first, unless the locale (``LC_ALL``, ``LC_MESSAGES`` or
    ``LANG``, the first that is set) is ``C`` or ``POSIX``, which asks for the program's own words."""
    environ = os.environ if environ is None else environ
    locale_name = next((environ[name] for name in _LOCALE_VARIABLES[1:] if environ.get(name)), "")
    if locale_name.split(".")[0] in ("C", "POSIX"):
        return "en"
    value = environ.get("LANGUAGE") or locale_name
    if value:
        return "zh" if value.split(":")[0].lower().startswith("zh") else "en"
    if os.name == "nt":  # Windows sets no locale variable; its user locale reads "Chinese (Simplified)_China"
        import locale

        name = locale.getlocale()[0] or ""
        return "zh" if name.lower().startswith(("zh", "chinese")) else "en"
    return "en"


def use(language: str | None = None) -> None:
    """Speak ``language`` (``zh`` or ``en``) from now on; None follows the locale."""
    global _current, _language
    _language = language if language in LANGUAGES else language_of_locale()
    _current = _catalogue(_language)
    os.environ["LANGUAGE"] = LANGUAGES[_language]
    gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    gettext.textdomain(DOMAIN)


@contextmanager
def in_english() -> Iterator[None]:
    """English for what is written into a shared record (a commit message), whoever writes it."""
    global _current
    kept = _current
    _current = _catalogue("en")
    try:
        yield
    finally:
        _current = kept


def language() -> str:
    """The language in use: ``en`` or ``zh``."""
    return _language


@functools.cache
def _catalogue(language: str) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[LANGUAGES[language]], fallback=True)


def _(message: str) -> str:
    """``message`` in the reader's language."""
    return _current.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form for ``n`` (Chinese has one form for every count)."""
    return _current.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` where the same English means something else elsewhere (``Issued``: a date, a count)."""
    return _current.pgettext(context, message)


def N_(message: str) -> str:
    """Mark a message for the catalogue where it is declared; ``_`` translates it where it is shown."""
    return message
