"""The GitHub Actions workflow: valid for GitHub, and its ledger steps do what they say when run.

The workflow is checked against GitHub's own workflow schema (vendored by check-jsonschema), and its
validate and report steps are run here with the same shell and environment variables Actions gives them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from policy_ledger.yamlio import parse

from .conftest import REAL_DATA, ROOT, delete_allocation_b17, new_repository

WORKFLOW = ROOT / ".github" / "workflows" / "ledger.yml"
BIN = Path(sys.executable).parent


def steps() -> dict[str, dict[str, Any]]:
    workflow = parse(WORKFLOW.read_bytes()).data
    (job,) = workflow["jobs"].values()
    return {step.get("name", step.get("uses")): step for step in job["steps"]}


def run_step(name: str, cwd: Path, **environ: str) -> subprocess.CompletedProcess[str]:
    """Run a step's script as Actions would (bash -e), with this test's installed `ledger`."""
    script = steps()[name]["run"].replace(".venv/bin/", f"{BIN}/")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "LEDGER_"))}
    env.update(GITHUB_ACTIONS="true", **environ)
    return subprocess.run(
        ["bash", "-e", "-c", script], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A repository holding the real data and schema, like the workflow's checkout."""
    root = tmp_path / "checkout"
    shutil.copytree(REAL_DATA, root / "data", ignore=shutil.ignore_patterns("_parts"))
    shutil.copytree(ROOT / "schema", root / "schema")
    return new_repository(root, commit="Real data")


def test_workflow_is_valid_for_github() -> None:
    result = subprocess.run(
        [str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(WORKFLOW)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflow_installs_tests_validates_and_reports() -> None:
    found = steps()
    assert found["actions/checkout@v4"]["with"]["fetch-depth"] == 0
    assert found["Install"]["run"] == "python3 -m venv .venv && .venv/bin/pip install -e '.[test]'"
    assert found["Test"]["run"] == ".venv/bin/python -m pytest"
    assert "--format" not in found["Validate the data"]["run"]  # auto: annotations under Actions
    assert found["Check that the schema is current"]["run"] == ".venv/bin/ledger schema --check"
    assert "tools/examples.py --check" in found["Check that the example reports are current"]["run"]
    assert found["Publish the report to code scanning"]["with"]["sarif_file"] == "ledger.sarif"


def test_validate_step_annotates_and_summarises_a_push(checkout: Path, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    delete_allocation_b17(checkout / "data")
    result = run_step("Validate the data", checkout, GITHUB_STEP_SUMMARY=str(summary), BASE="")
    assert result.returncode == 1
    assert result.stdout.startswith("::error file=data/budgets.yaml,line=11,col=5,title=L012::budget B1 ")
    rows = [line.split("|")[1:4] for line in summary.read_text(encoding="utf-8").splitlines()]
    assert ["error", "data/budgets.yaml:11", "L012"] in [[cell.strip() for cell in row] for row in rows]


@pytest.mark.slow  # a step run in a shell, with git history: CI's thorough step
def test_validate_step_limits_a_pull_request_to_its_change(checkout: Path, tmp_path: Path) -> None:
    base = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=checkout, capture_output=True, text=True, check=True
    ).stdout.strip()
    summary = tmp_path / "summary.md"
    clean = run_step("Validate the data", checkout, GITHUB_STEP_SUMMARY=str(summary), BASE=base)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert clean.stdout.startswith("ok: 1 document, 8 areas, 57 measures")
    delete_allocation_b17(checkout / "data")
    broken = run_step("Validate the data", checkout, GITHUB_STEP_SUMMARY=str(summary), BASE=base)
    assert broken.returncode == 1
    assert broken.stdout.splitlines()[0].startswith(
        "::error file=data/budgets.yaml,line=11,col=5,title=L012::"
    )


@pytest.mark.slow  # a step run in a shell, with git history: CI's thorough step
def test_report_step_writes_the_report_and_sarif_even_when_the_data_has_errors(checkout: Path) -> None:
    delete_allocation_b17(checkout / "data")
    result = run_step("Regenerate the report", checkout, BASE="")
    assert result.returncode == 0, result.stderr
    log = json.loads((checkout / "ledger.sarif").read_text(encoding="utf-8"))
    assert [r["ruleId"] for r in log["runs"][0]["results"]] == ["L012", "I001"]
    report = (checkout / "ledger-report.md").read_text(encoding="utf-8")
    assert report.startswith("# 乐政发〔2023〕6号") and "What changed" not in report


@pytest.mark.slow  # a step run in a shell, with git history: CI's thorough step
def test_report_step_shows_what_a_pull_request_changed(checkout: Path) -> None:
    base = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=checkout, capture_output=True, text=True, check=True
    ).stdout.strip()
    result = run_step("Regenerate the report", checkout, BASE=base)
    assert result.returncode == 0, result.stderr
    assert "## What changed since " in (checkout / "ledger-report.md").read_text(encoding="utf-8")


def test_report_step_still_fails_when_the_ledger_cannot_run(tmp_path: Path) -> None:
    assert run_step("Regenerate the report", tmp_path, BASE="").returncode != 0  # no data found: exit 2
