"""Shared fixtures: the real data, a small ledger to break on purpose, and golden-file handling."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
REAL_DATA = ROOT / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINI = FIXTURES / "mini"
BAD = FIXTURES / "bad"
GOLDEN = Path(__file__).resolve().parent / "golden"

settings.register_profile("default", max_examples=60)
settings.register_profile("campaign", max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", "3000")))
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

#: Checks judge "in the future" against this date, so results never depend on the day tests run.
TODAY = date(2026, 11, 29)

#: The last allocation of measure 1's budget: without it the allocations sum to 30.2亿元, not 31.5亿元.
ALLOCATION_B17 = (
    "      - id: B1.7\n"
    "        label: 其他社会发展项目\n"
    "        amount: 1.3\n"
    "        quote: 其他社会发展项目1.3亿元\n"
)


def delete_allocation_b17(data: Path) -> None:
    """Break the budget sum (L012) of a ledger in ``data`` the way a careless edit would."""
    budgets = data / "budgets.yaml"
    text = budgets.read_text(encoding="utf-8")
    assert ALLOCATION_B17 in text
    budgets.write_text(text.replace(ALLOCATION_B17, ""), encoding="utf-8")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="Rewrite tests/golden/ from the current output instead of comparing with it.",
    )
    parser.addoption(
        "--update-readme",
        action="store_true",
        default=False,
        help="Rewrite README.md's console examples from what their commands print instead of comparing.",
    )


@pytest.fixture(autouse=True)
def outside_github_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests expect plain text output and no step summary, also when CI runs them on GitHub Actions."""
    for name in (
        "GITHUB_ACTIONS",
        "GITHUB_STEP_SUMMARY",
        "GITHUB_SERVER_URL",
        "GITHUB_REPOSITORY",
        "GITHUB_SHA",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def golden(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """Compare text with tests/golden/NAME, or rewrite it under --update-golden."""
    update = request.config.getoption("--update-golden")

    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        if update:
            path.write_text(text, encoding="utf-8")
        assert path.exists(), f"{path} is missing; run pytest --update-golden"
        assert text == path.read_text(encoding="utf-8")

    return check


def git(folder: Path, *args: str) -> str:
    """Run git in ``folder`` and return what it printed; a failing git command fails the test."""
    return subprocess.run(
        ["git", *args], cwd=folder, check=True, capture_output=True, text=True
    ).stdout.strip()


def new_repository(
    root: Path,
    *,
    author: str = "Ledger Tests",
    commit: str | None = "data",
    email: str = "tests@ledger.invalid",
) -> Path:
    """A git repository in ``root`` with its own author identity, everything in it committed as ``commit``.

    Tests that use git never depend on the machine's git configuration.
    """
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", author)
    git(root, "config", "user.email", email)
    git(root, "config", "commit.gpgsign", "false")
    if commit is not None:
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", commit)
    return root


@pytest.fixture
def fixed_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Render as a colourless 100-column terminal, whatever the machine running the tests has."""
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("LEDGER_DATA", raising=False)


def pytest_configure(config: pytest.Config) -> None:
    """Compile the package once, before the workers start. Hundreds of tests run ``ledger`` as a fresh
    process; where ``PYTHONDONTWRITEBYTECODE`` is set (as in some shells and CI images) each of them would
    compile every module from source again, which made a clean clone's first run the slowest."""
    if not hasattr(config, "workerinput"):  # the controller (or a run without xdist), not each worker
        import compileall

        compileall.compile_dir(ROOT / "policy_ledger", quiet=1)


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """``-n auto``: one worker more than the cores. Many tests wait on git and the file system, and a
    third worker on two cores keeps them busy meanwhile (the default run: 90 s with two, 81 s with three)."""
    return (os.cpu_count() or 1) + 1


def thorough(cases: list[Any], keep: int) -> list[Any]:
    """The first ``keep`` cases of a matrix in the default run, the rest in CI's thorough step (``-m
    slow``), so that the default run stays under 90 s while CI still runs every case."""
    return [*cases[:keep], *(pytest.param(*case, marks=pytest.mark.slow) for case in cases[keep:])]


@pytest.fixture(scope="session", autouse=True)
def session_defaults(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Module and session fixtures run before any test's own fixtures: they too read English and keep
    out of the user's cache."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("LEDGER_CACHE_DIR", str(tmp_path_factory.mktemp("session-cache")))
        env.setenv("LANGUAGE", "en")
        env.delenv("LEDGER_LANG", raising=False)
        yield


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Tests read English whatever the machine's locale; a test that wants Chinese asks for it. The
    language chosen by a command (``i18n.use`` sets LANGUAGE) ends with the test."""
    from policy_ledger import i18n

    monkeypatch.setenv("LANGUAGE", "en")
    monkeypatch.delenv("LEDGER_LANG", raising=False)
    i18n.use("en")
    yield
    i18n.use("en")


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The cache of the tests that do not look into it, as a reader's is shared by all their commands: an
    entry is named by the data's bytes and the code, so a test never sees another's data, and most tests
    that read the real ledger load it from here instead of parsing it again."""
    return tmp_path_factory.mktemp("shared-cache")


@pytest.fixture
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache folder of the test's own, for a test that looks at what the cache holds."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def cache_folder(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, shared_cache: Path) -> Path:
    """Never the user's cache: the test's own when it asks for ``private_cache``, else the shared one."""
    folder = (
        request.getfixturevalue("private_cache") if "private_cache" in request.fixturenames else shared_cache
    )
    monkeypatch.setenv("LEDGER_CACHE_DIR", str(folder))
    monkeypatch.delenv("LEDGER_NO_CACHE", raising=False)
    return folder


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A writable copy of the small valid ledger in tests/fixtures/mini."""
    target = tmp_path / "data"
    shutil.copytree(MINI, target)
    return target


@pytest.fixture
def real(tmp_path: Path) -> Path:
    """A writable copy of the project's real data."""
    target = tmp_path / "data"
    shutil.copytree(REAL_DATA, target, ignore=shutil.ignore_patterns("_parts"))
    return target
