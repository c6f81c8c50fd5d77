"""The JSON Schema of the data files: generated from the models, committed current, and true to the data.

The data files are checked with ``jsonschema``, a validator that shares nothing with pydantic, the way
an editor's YAML language server reads them: YAML 1.2, where an unquoted date is a string.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from typer.testing import CliRunner

from policy_ledger.cli import app
from policy_ledger.models import FILE_MODELS
from policy_ledger.schema import file_schemas, schema_name, stale_schemas
from policy_ledger.yamlio import parse

from .conftest import REAL_DATA, ROOT

SCHEMA_DIR = ROOT / "schema"
runner = CliRunner()


def as_editor_sees_it(node: Any) -> Any:
    """A loaded YAML tree as plain JSON values; dates become the text they are written as."""
    if isinstance(node, dict):
        return {str(key): as_editor_sees_it(value) for key, value in node.items()}
    if isinstance(node, list):
        return [as_editor_sees_it(item) for item in node]
    if isinstance(node, date):
        return node.isoformat()
    return node


def validator(data_file: str) -> Draft202012Validator:
    schema = json.loads((SCHEMA_DIR / schema_name(data_file)).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


def errors(data_file: str, yaml_text: str) -> list[str]:
    instance = as_editor_sees_it(parse(yaml_text.encode()).data)
    return [error.message for error in validator(data_file).iter_errors(instance)]


def test_committed_schemas_are_a_fresh_export() -> None:
    assert stale_schemas(SCHEMA_DIR) == [], "run `ledger schema` and commit schema/"
    assert sorted(p.name for p in SCHEMA_DIR.iterdir()) == sorted(file_schemas())


@pytest.mark.parametrize("data_file", list(FILE_MODELS))
def test_each_data_file_names_its_schema_on_its_first_line(data_file: str) -> None:
    first = (REAL_DATA / data_file).read_text(encoding="utf-8").splitlines()[0]
    prefix = "# yaml-language-server: $schema="
    assert first.startswith(prefix)
    assert (REAL_DATA / first.removeprefix(prefix)).resolve() == SCHEMA_DIR / schema_name(data_file)


@pytest.mark.parametrize("data_file", list(FILE_MODELS))
def test_real_data_validates_against_the_exported_schema(data_file: str) -> None:
    loaded = parse((REAL_DATA / data_file).read_bytes())
    found = list(validator(data_file).iter_errors(as_editor_sees_it(loaded.data)))
    assert found == []


BUDGET = """\
budgets:
  - id: B1
    document: lezhengfa-2023-6
    measure: 1
    total: 31.5
    unit: 亿元
    quote: 2023年统筹安排31.5亿元
    allocations:
      - id: B1.1
        label: 综合交通基础设施
        amount: 14.8
        quote: 其中支持综合交通基础设施14.8亿元
"""


def test_a_valid_budget_passes_and_amounts_are_numbers() -> None:
    assert errors("budgets.yaml", BUDGET) == []
    amount = file_schemas()["budgets.schema.json"]["$defs"]["Allocation"]["properties"]["amount"]
    assert amount == {"title": "Amount", "type": "number"}


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("amount: 14.8", 'amount: "14.8"', "'14.8' is not of type 'number'"),
        ("total: 31.5", "total: true", "True is not of type 'number'"),
        ("id: B1.1", "id: B1-1", "'B1-1' does not match"),
        ("measure: 1", "measure: 0", "0 is less than the minimum of 1"),
        (
            "    unit: 亿元",
            "    unit: 亿元\n    owner: 市财政局",
            "Additional properties are not allowed ('owner'",
        ),
        ("    quote: 2023年统筹安排31.5亿元\n", "", "'quote' is a required property"),
    ],
)
def test_the_schema_refuses_what_the_models_refuse(old: str, new: str, message: str) -> None:
    found = errors("budgets.yaml", BUDGET.replace(old, new, 1))
    assert len(found) == 1 and message in found[0], found


TARGET = """\
targets:
  - id: "A8.1"
    document: lezhengfa-2023-6
    area: 8
    what: 城乡居民收入比
    value: {value}
    comparator: at_least
    commitment: firm
    deadline: {deadline}
    quote: 半数
"""


@pytest.mark.parametrize(
    ("value", "deadline", "valid"),
    [
        ('"2/3"', "2023-12-31", True),
        ("0.78", "2023-12-31", True),
        ('"2/3x"', "2023-12-31", False),
        ("40", "2023-02-30", False),  # not a real date: the editor flags it too
        ("17.1", '"2023年底"', False),
    ],
)
def test_values_are_numbers_or_fractions_and_dates_are_real(value: str, deadline: str, valid: bool) -> None:
    assert (errors("targets.yaml", TARGET.format(value=value, deadline=deadline)) == []) is valid


def test_an_unquoted_id_is_flagged_as_a_number() -> None:
    found = errors("targets.yaml", TARGET.format(value="40", deadline="2023-12-31").replace('"A8.1"', "8.1"))
    assert any("is not of type 'string'" in message for message in found)


def test_cli_writes_the_schemas_and_checks_they_are_current(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    result = runner.invoke(app, ["schema", "-o", str(folder)])
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == len(FILE_MODELS) and result.stdout.startswith("wrote ")
    for name in file_schemas():
        assert (folder / name).read_text(encoding="utf-8") == (SCHEMA_DIR / name).read_text(encoding="utf-8")
    assert runner.invoke(app, ["schema", "-o", str(folder), "--check"]).exit_code == 0
    (folder / "targets.schema.json").write_text("{}\n", encoding="utf-8")
    result = runner.invoke(app, ["schema", "-o", str(folder), "--check"])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{folder / 'targets.schema.json'}: out of date with the models; run `ledger schema` and commit it"
    ]


def test_cli_writes_beside_the_data_folder_by_default(real: Path) -> None:
    result = runner.invoke(app, ["schema", "--data", str(real)])
    assert result.exit_code == 0
    assert stale_schemas(real.parent / "schema") == []
