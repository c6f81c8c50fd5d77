"""Keep the Chinese catalogue whole: extract every message, update the .po, compile the .mo.

    python tools/catalogue.py           # add new messages to the .po (untranslated), drop gone ones, compile
    python tools/catalogue.py --check   # change nothing; list what lacks Chinese or is stale, exit 1 if any

The messages are what the code passes to ``_``, ``N_`` and ``ngettext`` (Babel's extractor), the help of
every command and option (read from the Typer app itself, so docstrings and ``help=`` count), and the few
words Typer translates through gettext (``Options``, ``Commands``). Translate in
``policy_ledger/locale/zh/LC_MESSAGES/policy_ledger.po``, then run this again to compile.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "policy_ledger"
PO = PACKAGE / "locale" / "zh" / "LC_MESSAGES" / "policy_ledger.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}


def help_texts(command: Any, ctx: Any, path: str) -> Iterator[tuple[str, str]]:
    """Every help text of a command and the commands under it, with where it shows."""
    help_option = command.get_help_option(ctx)
    for item in [command, *command.params, *([help_option] if help_option else [])]:
        for attribute in ("help", "short_help"):
            text = getattr(item, attribute, None)
            if text:
                yield text, f"{path} {getattr(item, 'name', '')}".strip()
    for name, subcommand in getattr(command, "commands", {}).items():
        yield from help_texts(subcommand, ctx, f"{path} {name}")


def template() -> Catalog:
    """Every message the interface can show, as English msgids."""
    import typer.core
    import typer.main

    from policy_ledger.cli import app

    catalog = Catalog(domain="policy_ledger", project="policy-ledger", fuzzy=False)
    for filename, line, message, comments, context in extract_from_dir(
        PACKAGE, method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)
    ):
        catalog.add(
            message, locations=[(f"policy_ledger/{filename}", line)], auto_comments=comments, context=context
        )
    for line, message, _comments, _context in extract_from_file("python", typer.core.__file__, {"_": None}):
        catalog.add(message, locations=[("typer/core.py", line)])
    command = typer.main.get_command(app)
    with command.make_context("ledger", ["--help"], resilient_parsing=True) as ctx:
        for text, where in help_texts(command, ctx, "ledger"):
            catalog.add(text, locations=[(f"help: {where}", 0)])
    return catalog


def read_catalogue() -> Catalog:
    with PO.open("rb") as file:
        return read_po(file, locale="zh_Hans_CN", domain="policy_ledger")


def problems(current: Catalog, expected: Catalog) -> list[str]:
    """What keeps the catalogue from being whole: messages without Chinese, fuzzy ones, gone ones."""
    found = []
    for message in expected:
        if not message.id:
            continue
        have = current.get(message.id, message.context)
        key = message.id if isinstance(message.id, str) else message.id[0]
        key = f"{key!r} ({message.locations[0][0] if message.locations else '?'})"
        if have is None:
            found.append(f"missing: {key}")
        elif have.fuzzy:
            found.append(f"fuzzy (check the Chinese, then remove the fuzzy flag): {key}")
        elif not (have.string if isinstance(have.string, str) else all(have.string)):
            found.append(f"no Chinese: {key}")
    for message in current:
        if message.id and expected.get(message.id, message.context) is None:
            key = message.id if isinstance(message.id, str) else message.id[0]
            found.append(f"no longer used (run tools/catalogue.py to drop it): {key!r}")
    return found


def compiled(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if anything is missing")
    args = parser.parse_args()
    expected = template()
    current = read_catalogue() if PO.exists() else Catalog(locale="zh_Hans_CN", domain="policy_ledger")
    if args.check:
        found = problems(current, expected)
        if not MO.exists() or MO.read_bytes() != compiled(current):
            found.append(f"{MO.relative_to(ROOT)} is not compiled from the .po: run tools/catalogue.py")
        for line in found:
            print(line)
        print(f"{len(found)} problems" if found else f"ok: {len(expected)} messages, all in Chinese")
        return 1 if found else 0
    expected.creation_date = current.creation_date  # no date churn in the .po
    current.update(expected, no_fuzzy_matching=True)
    current.obsolete.clear()
    PO.parent.mkdir(parents=True, exist_ok=True)
    with PO.open("wb") as file:
        write_po(file, current, width=110, omit_header=False, sort_output=False, include_lineno=False)
    MO.write_bytes(compiled(read_catalogue()))
    missing = problems(read_catalogue(), expected)
    print(f"{PO.relative_to(ROOT)}: {len(expected)} messages, {len(missing)} without Chinese")
    return 0


if __name__ == "__main__":
    sys.exit(main())
