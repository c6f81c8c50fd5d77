"""Docs that cannot go stale: every command and check is documented, and CI runs the README's command."""

from __future__ import annotations

import re

import typer.main

from policy_ledger.cli import app

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def commands() -> dict[str, object]:
    group = typer.main.get_command(app)
    return dict(group.commands)  # type: ignore[attr-defined]


def test_every_command_has_help_and_a_readme_section() -> None:
    for name, command in commands().items():
        assert command.help, f"ledger {name} has no help text"  # type: ignore[attr-defined]
        assert f"`ledger {name}" in README, f"ledger {name} is not in the README"


def test_every_check_code_is_documented_in_the_readme() -> None:
    from policy_ledger.problems import CODES

    for code in CODES:
        assert f"| {code} |" in README, f"{code} is missing from the README's table of checks"


def test_readme_opens_with_the_two_commands_and_ci_runs_the_test_one() -> None:
    blocks = re.findall(r"```sh\n(.*?)\n```", README, flags=re.S)
    show, tests = blocks[0], blocks[1]
    assert show.endswith("ledger show 17") and "pip install -e ." in show
    assert tests.endswith("python -m pytest")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert tests in ci.splitlines()
    assert "ledger validate" in ci


def test_data_format_doc_names_every_model_field() -> None:
    from policy_ledger.models import Allocation, Area, Budget, Document, Measure, ProgressEntry, Target

    doc = (ROOT / "docs" / "data-format.md").read_text(encoding="utf-8")
    for model in (Document, Area, Measure, Target, ProgressEntry, Budget, Allocation):
        for field in model.model_fields:
            assert f"`{field}`" in doc, f"{model.__name__}.{field} is not explained in docs/data-format.md"


def test_every_query_field_and_export_key_is_documented_in_the_readme() -> None:
    from policy_ledger.filters import FIELDS
    from policy_ledger.output import EXPORT_TABLES

    query = README.split("### `ledger query", 1)[1].split("\n### ", 1)[0]
    for table, fields in FIELDS.items():
        for name in fields:
            assert f"`{name}`" in query, f"query field {name} of {table} is not in the README"
    export = README.split("### `ledger export", 1)[1].split("\n### ", 1)[0]
    for table in EXPORT_TABLES:
        assert f"`{table}`" in export, f"export table {table} is not in the README"


def test_readme_shows_a_failing_and_a_passing_run_in_ci() -> None:
    section = README.split("## Validating data in CI", 1)[1].split("\n## Library", 1)[0]
    assert "::error file=data/budgets.yaml,line=11,col=5,title=L012::" in section
    assert "$ echo $?\n1\n" in section and "$ echo $?\n0\n" in section
    assert "....Failed" in section and "....Passed" in section


def test_every_test_the_readme_names_exists() -> None:
    """The Guarantees name the tests behind each promise; a renamed or removed test must not leave a
    promise pointing at nothing. ``…::name`` refers to the file named last before it."""
    import re

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    current = None
    missing = []
    for match in re.finditer(r"`(test_\w+\.py|…)(?:::(test_\w+))?", text):
        file, name = match.groups()
        if file != "…":
            current = file
            if not (ROOT / "tests" / file).is_file():
                missing.append(file)
                continue
        if name and current:
            source = (ROOT / "tests" / current).read_text(encoding="utf-8")
            if f"def {name}(" not in source:
                missing.append(f"{current}::{name}")
    assert missing == []


def test_the_readmes_counts_of_the_data_are_the_datas() -> None:
    from policy_ledger.loader import load_ledger

    ledger = load_ledger(ROOT / "data", use_cache=False)[0]
    milestones = sum(t.is_milestone for t in ledger.targets)
    opening = " ".join(README.split("\n\n")[1].split())
    assert f"{len(ledger.measures)} measures, {len(ledger.targets)} targets" in opening
    assert f"{len(ledger.budgets)} budgets and {len(ledger.instruments)} policy instruments" in opening
    quantities = len(ledger.targets) - milestones
    assert f"{quantities} quantities (value, unit" in README and f"and {milestones} milestones |" in README
    assert f"over all {len(ledger.targets)} targets and" in " ".join(README.split())
