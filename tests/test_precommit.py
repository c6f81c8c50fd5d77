"""The pre-commit hooks, run by pre-commit itself in temporary repositories.

A consumer ledger repository points its .pre-commit-config.yaml at a temporary clone of this repository
(with this working tree's files committed on top, so the test runs the code under test); pre-commit
builds the hook's environment from it as it would from a published URL. The test is skipped only when
that environment cannot be installed for want of a package index.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from policy_ledger.yamlio import parse

from .conftest import REAL_DATA, ROOT, delete_allocation_b17, git, new_repository

#: What pip prints when it cannot reach a package index at all.
OFFLINE = (
    "Failed to establish a new connection",
    "Temporary failure in name resolution",
    "Network is unreachable",
)


def make_repo(root: Path) -> None:
    """Give a cloned repository its own author identity."""
    git(root, "config", "user.name", "Ledger Tests")
    git(root, "config", "user.email", "ledger-tests@example.org")
    git(root, "config", "commit.gpgsign", "false")


def pre_commit(root: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "PRE_COMMIT", "LEDGER_"))}
    env.update(PRE_COMMIT_HOME=str(home), PRE_COMMIT_COLOR="never")
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A clone of this repository with the working tree committed on top: (path, HEAD sha)."""
    clone = tmp_path_factory.mktemp("hooks") / "policy-ledger"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True, capture_output=True)
    make_repo(clone)
    listed = git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard").split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (clone / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, clone / name)
    git(clone, "add", "-A")
    if git(clone, "status", "--porcelain"):
        git(clone, "commit", "-q", "-m", "The working tree under test")
    return clone, git(clone, "rev-parse", "HEAD")


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def install_or_skip(root: Path, home: Path) -> None:
    installed = pre_commit(root, home, "install-hooks")
    if installed.returncode != 0:
        output = installed.stdout + installed.stderr
        if any(sign in output for sign in OFFLINE):
            pytest.skip("pre-commit cannot install the hook environment without a package index")
        pytest.fail(f"pre-commit install-hooks failed:\n{output}")


@pytest.mark.index
def test_the_hook_blocks_a_bad_edit_in_another_ledger_repository(
    tmp_path: Path, hook_repo: tuple[Path, str], pre_commit_home: Path
) -> None:
    clone, sha = hook_repo
    consumer = tmp_path / "consumer"
    consumer.mkdir()
    new_repository(consumer, commit=None)
    shutil.copytree(REAL_DATA, consumer / "data", ignore=shutil.ignore_patterns("_parts"))
    (consumer / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {clone}\n    rev: {sha}\n    hooks:\n      - id: ledger-validate\n",
        encoding="utf-8",
    )
    git(consumer, "add", "-A")
    git(consumer, "commit", "-q", "-m", "A ledger that uses the hook")
    install_or_skip(consumer, pre_commit_home)

    clean = pre_commit(consumer, pre_commit_home, "run", "--all-files")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert re.search(r"^ledger validate\.+Passed$", clean.stdout, flags=re.M)

    delete_allocation_b17(consumer / "data")
    broken = pre_commit(consumer, pre_commit_home, "run", "--all-files")
    assert broken.returncode == 1
    assert re.search(r"^ledger validate\.+Failed$", broken.stdout, flags=re.M)
    assert re.search(
        r"^data/budgets\.yaml:\d+:5: error L012 budget B1 \(measure 1\): allocations sum to 30\.2亿元 "
        r"but the total is 31\.5亿元; fix an allocation or the total$",
        broken.stdout,
        flags=re.M,
    ), broken.stdout

    assert pre_commit(consumer, pre_commit_home, "install").returncode == 0
    before = git(consumer, "rev-parse", "HEAD")
    refused = subprocess.run(
        ["git", "commit", "-q", "-am", "Drop allocation B1.7"], cwd=consumer, capture_output=True, text=True
    )
    assert refused.returncode != 0 and "error L012" in refused.stdout + refused.stderr
    assert git(consumer, "rev-parse", "HEAD") == before
    git(consumer, "checkout", "--", "data/budgets.yaml")
    with (consumer / "data" / "targets.yaml").open("a", encoding="utf-8") as handle:
        handle.write("# 复核于2023年\n")
    git(consumer, "commit", "-q", "-am", "Note the review")
    assert git(consumer, "rev-parse", "HEAD") != before


def test_the_hook_runs_only_when_data_changes(hook_repo: tuple[Path, str]) -> None:
    clone, _ = hook_repo
    (hook,) = parse((clone / ".pre-commit-hooks.yaml").read_bytes()).data
    assert hook["id"] == "ledger-validate" and hook["entry"] == "ledger validate"
    assert hook["language"] == "python" and hook["pass_filenames"] is False
    assert re.search(hook["files"], "data/budgets.yaml") and not re.search(hook["files"], "README.md")


def test_this_repositorys_hooks_use_the_packages_own_dependencies() -> None:
    config = parse((ROOT / ".pre-commit-config.yaml").read_bytes()).data
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "dependencies"
    ]
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    for name in ("ledger-validate", "ledger-schema"):
        assert hooks[name]["additional_dependencies"] == dependencies
        assert hooks[name]["entry"].startswith("python -m policy_ledger ")


@pytest.mark.index
def test_this_repositorys_ledger_hook_runs_under_pre_commit(
    hook_repo: tuple[Path, str], pre_commit_home: Path
) -> None:
    clone, _ = hook_repo
    install_or_skip(clone, pre_commit_home)
    result = pre_commit(clone, pre_commit_home, "run", "--all-files", "ledger-validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"^ledger validate\.+Passed$", result.stdout, flags=re.M)
    result = pre_commit(clone, pre_commit_home, "run", "--all-files", "ledger-schema")
    assert result.returncode == 0, result.stdout + result.stderr
