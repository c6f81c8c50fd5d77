"""Every ```console example in README.md and README.zh.md is real output, run as a reader runs it.

How a block is read: a line starting with ``$ `` is a command; the lines after it, up to the next ``$ ``
line or the end of the block, are what it prints (stdout and stderr together, as a terminal shows them).
A line holding only ``…`` stands for lines left out (none or more), like an ellipsis in doctest.

How a block is run: in a fresh git repository in a temporary folder holding a copy of this repository's
``data/``, ``schema/`` and ``docs/``, everything committed as "data" by the reader 市经信局 张三, with the
working directory at its root (so paths print as ``data/targets.yaml``), on a colourless 100-column dumb
terminal. ``ledger …`` runs in-process through typer's CliRunner; ``echo $?`` prints the exit code of the
command before it, as the shell does; anything else (git, a pipe, a redirection) runs in bash, with this
environment's ``ledger`` first on PATH.

A block can say, in an HTML comment on the line before its fence, what the prose around it describes:

    <!-- readme-example: continues -->                   run in the repository of the block before,
                                                         after its commands (a walkthrough in steps)
    <!-- readme-example: setup=drop-b17,ignore-l012 -->  change the repository first (``SETUPS`` below)
    <!-- readme-example: env=GITHUB_ACTIONS=true -->     set an environment variable for the block

Only what cannot be stable is normalised before comparing: commit hashes (7 hex digits) and commit times
(``YYYY-MM-DD HH:MM:SS``), which are the moment the test ran. Spaces at the end of a line are dropped, as a
terminal does not show them.

``pytest --update-readme`` rewrites each block with what its commands print instead of failing: review
the diff. It keeps the README's hashes and times, and keeps each ``…``, taking the lines between them
from the output at the same place (a block whose output moved a lot may need its ``…`` put back by hand).
"""

from __future__ import annotations

import difflib
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from filelock import FileLock
from typer.testing import CliRunner

from policy_ledger.cli import app

from .conftest import ROOT, delete_allocation_b17, git, new_repository
from .family import family_ledger

README = ROOT / "README.md"
#: The Chinese README: its examples run as a reader in a Chinese locale runs them (``LEDGER_LANG=zh``).
README_ZH = ROOT / "README.zh.md"
READMES = {README: {}, README_ZH: {"LEDGER_LANG": "zh"}}

#: What a reader's repository holds: the ledger, its schemas (``ledger schema --check``) and docs
#: (``ledger report -o report.html``).
COPIED = ("data", "schema", "docs")

#: Who the reader is: ``ledger log`` shows the author of each progress commit.
AUTHOR, EMAIL = "市经信局 张三", "zhangsan@ledger.invalid"

FENCE = re.compile(r"^(?P<indent> *)```(?P<info>[^`]*)$")
DIRECTIVE = re.compile(r"^\s*<!-- readme-example: (?P<words>.*?) -->\s*$")
ELISION = "…"
PROMPT = "$ "

#: What cannot be stable, and how the README writes it.
COMMIT = re.compile(r"\b[0-9a-f]{7}\b")
COMMIT_TIME = re.compile(r"\b\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\b")


# --- reading the README ------------------------------------------------------------------------------


@dataclass
class Example:
    command: str
    output: list[str]


@dataclass
class Block:
    path: Path  #: the README it stands in
    index: int  #: the how-manieth ```console block of the README, from 0
    line: int  #: the line of its opening fence, from 1
    indent: str
    body: list[str]
    continues: bool = False
    setups: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)

    @property
    def examples(self) -> list[Example]:
        return parse_examples(self.body, where=f"{self.path.name}:{self.line}")


def parse_examples(body: list[str], where: str = "a block") -> list[Example]:
    examples: list[Example] = []
    for line in body:
        if line.startswith(PROMPT):
            examples.append(Example(line[len(PROMPT) :], []))
        elif examples:
            examples[-1].output.append(line)
        else:
            raise ValueError(f"{where}: a console block must start with a `$ ` command, not {line!r}")
    return examples


def console_blocks(text: str) -> list[tuple[int, int, str]]:
    """(index of the opening fence's line, of the closing one, indent) for each ```console block."""
    lines = text.split("\n")
    found: list[tuple[int, int, str]] = []
    opening: tuple[int, str, str] | None = None
    for number, line in enumerate(lines):
        match = FENCE.match(line)
        if not match:
            continue
        if opening is None:
            opening = (number, match["indent"], match["info"].strip())
        elif match["info"].strip() == "":
            start, indent, info = opening
            if info == "console":
                found.append((start, number, indent))
            opening = None
    return found


def read_blocks(text: str, path: Path = README) -> list[Block]:
    lines = text.split("\n")
    blocks = []
    for index, (start, end, indent) in enumerate(console_blocks(text)):
        body = [line.removeprefix(indent) for line in lines[start + 1 : end]]
        block = Block(path, index, start + 1, indent, body, env=dict(READMES.get(path, {})))
        before = start - 1
        while before >= 0 and not lines[before].strip():
            before -= 1
        directive = DIRECTIVE.match(lines[before]) if before >= 0 else None
        if directive:
            for word in directive["words"].split():
                key, _, value = word.partition("=")
                if key == "continues":
                    block.continues = True
                elif key == "setup":
                    block.setups = value.split(",")
                elif key == "env":
                    name, _, setting = value.partition("=")
                    block.env[name] = setting
                else:
                    raise ValueError(f"{path.name}:{before + 1}: unknown readme-example word {word!r}")
        blocks.append(block)
    return blocks


def walkthroughs(blocks: list[Block]) -> list[list[Block]]:
    """The blocks grouped into runs: a block that ``continues`` runs after the one before it."""
    groups: list[list[Block]] = []
    for block in blocks:
        if block.continues and groups:
            groups[-1].append(block)
        else:
            groups.append([block])
    return groups


GROUPS = [
    group for path in READMES for group in walkthroughs(read_blocks(path.read_text(encoding="utf-8"), path))
]


def group_id(group: list[Block]) -> str:
    words = group[0].examples[0].command.split()[:3] if group[0].body else []
    name = "-".join(w for w in words if w.isascii() and w.replace("-", "").isalnum())
    return f"{group[0].path.stem}:L{group[0].line}-{name}"


# --- changing the repository as the prose describes -----------------------------------------------------

#: Measure 1's budget line, and the suppressions of its L012 finding the README shows.
B1_TOTAL = "    measure: 1\n    total: 31.5\n"
SUPPRESSION = "  # ledger: ignore[L012] 原文合计四舍五入"
SUPPRESSION_WITHOUT_REASON = "  # ledger: ignore[L012]"


def local_hook_config() -> str:
    """A .pre-commit-config.yaml with the published ``ledger-validate`` hook (.pre-commit-hooks.yaml) as a
    local one: pre-commit runs the same entry with this environment's ``ledger`` instead of building an
    environment from the package index for it, and prints the same lines."""
    import yaml

    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    config = {"repos": [{"repo": "local", "hooks": [{**hook, "language": "system"}]}]}
    return yaml.safe_dump(config, allow_unicode=True, sort_keys=False)


def suppress_l012(repo: Path, comment: str) -> None:
    budgets = repo / "data" / "budgets.yaml"
    text = budgets.read_text(encoding="utf-8")
    assert text.count(B1_TOTAL) == 1
    budgets.write_text(text.replace(B1_TOTAL, B1_TOTAL[:-1] + comment + "\n"), encoding="utf-8")


def branch_drops_b17(repo: Path) -> None:
    """A pull request's branch that deletes allocation B1.7, off ``main``."""
    git(repo, "switch", "-q", "-c", "drop-b17")
    delete_allocation_b17(repo / "data")
    git(repo, "commit", "-q", "-am", "Drop allocation B1.7")


def pre_commit_installed(repo: Path) -> None:
    """The ledger-validate hook in .pre-commit-config.yaml, committed, and ``pre-commit install`` run."""
    (repo / ".pre-commit-config.yaml").write_text(local_hook_config(), encoding="utf-8")
    git(repo, "add", ".pre-commit-config.yaml")
    git(repo, "commit", "-q", "-m", "Check the ledger before each commit")
    subprocess.run(
        [sys.executable, "-m", "pre_commit", "install"],
        cwd=repo,
        env=shell_environment(),
        check=True,
        capture_output=True,
    )


def review_noted(repo: Path) -> None:
    with (repo / "data" / "targets.yaml").open("a", encoding="utf-8") as handle:
        handle.write("# 复核于2023年\n")


SETUPS: dict[str, Callable[[Path], None]] = {
    # allocation B1.7 deleted in the working tree, as a careless edit would
    "drop-b17": lambda repo: delete_allocation_b17(repo / "data"),
    # the branch drop-b17 checked out, one commit off main that deletes B1.7
    "branch-drops-b17": branch_drops_b17,
    # measure 1's total silences L012, with the reason the README gives or with none
    "ignore-l012": lambda repo: suppress_l012(repo, SUPPRESSION),
    "ignore-l012-without-reason": lambda repo: suppress_l012(repo, SUPPRESSION_WITHOUT_REASON),
    # the repository uses the ledger-validate hook through pre-commit
    "pre-commit": pre_commit_installed,
    # a comment added at the end of data/targets.yaml: an edit that keeps the ledger whole
    "review-noted": review_noted,
    # a second document of the family beside the real one (tests/family.py: variant-2024, 测试〔2024〕1号)
    "second-document": lambda repo: family_ledger(repo / "data"),
}


# --- running commands as a reader would -----------------------------------------------------------------

runner = CliRunner()


def shell_environment() -> dict[str, str]:
    """The test's environment for programs it starts, with this environment's ``ledger`` first on PATH."""
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


def needs_shell(command: str) -> bool:
    """A command bash must run: not ``ledger``, or with a pipe, a redirection, a variable, a list."""
    lexer = shlex.shlex(command, posix=True, punctuation_chars=True)
    try:
        words = list(lexer)
    except ValueError:
        return True
    return (
        not words
        or words[0] != "ledger"
        or any(set(word) <= set("();<>|&") for word in words)
        or any(c in command for c in "$`*?~")
    )


def run(command: str, last_exit_code: int) -> tuple[int, str]:
    """Run one command line in the current directory: (exit code, what the terminal shows)."""
    if command.strip() == "echo $?":
        return 0, f"{last_exit_code}\n"
    if needs_shell(command):
        done = subprocess.run(
            ["bash", "-c", command],
            env=shell_environment(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            check=False,
        )
        return done.returncode, done.stdout.decode("utf-8")
    result = runner.invoke(app, shlex.split(command)[1:], prog_name="ledger")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def commits(repo: Path) -> set[str]:
    """The abbreviated hash of every commit in ``repo``, on any branch."""
    listed = git(repo, "rev-list", "--all", "--reflog")
    return {sha[:7] for sha in listed.split()}


# --- comparing, and fitting the output into the README's shape ------------------------------------------


def normalised(lines: list[str], hashes: set[str] | None = None) -> list[str]:
    """``lines`` with commit hashes and times as placeholders; with ``hashes``, only those are hashes."""

    def commit(match: re.Match[str]) -> str:
        return "<commit>" if hashes is None or match.group(0) in hashes else match.group(0)

    return [COMMIT_TIME.sub("<time>", COMMIT.sub(commit, line)) for line in lines]


def matches(expected: list[str], actual: list[str]) -> bool:
    """Whether ``actual`` is ``expected``, each line of only ``…`` standing for none or more lines."""
    segments = split_on_elisions(expected)[0]
    if len(segments) == 1:
        return segments[0] == actual
    first, *middle, last = segments
    if actual[: len(first)] != first or len(actual) < len(first) + len(last):
        return False
    position = len(first)
    end = len(actual) - len(last)
    if actual[end:] != last:
        return False
    for segment in middle:
        for start in range(position, end - len(segment) + 1):
            if actual[start : start + len(segment)] == segment:
                position = start + len(segment)
                break
        else:
            return False
    return True


def split_on_elisions(lines: list[str]) -> tuple[list[list[str]], list[str]]:
    """The runs of lines between lines of only ``…``, and those lines themselves."""
    segments: list[list[str]] = [[]]
    elisions: list[str] = []
    for line in lines:
        if line.strip() == ELISION:
            elisions.append(line)
            segments.append([])
        else:
            segments[-1].append(line)
    return segments, elisions


def best_line(wanted: str, lines: list[str], start: int) -> int:
    """The line at or after ``start`` most like ``wanted``, preferring one that begins with the same word."""
    key = wanted.split()[:1]

    def score(index: int) -> tuple[bool, float, int]:
        line = lines[index]
        return (line.split()[:1] == key, difflib.SequenceMatcher(None, wanted, line).ratio(), -index)

    candidates = range(start, len(lines))
    return max(candidates, key=score) if candidates else len(lines)


def fitted(expected: list[str], actual: list[str]) -> list[str]:
    """``actual`` in the README's shape: with the README's ``…`` and whatever lines they leave out.

    The first run of lines is the head of the output and the last its tail (to the end); each run between
    starts at the output's line most like the README's first line of that run, and is as long as before.
    """
    segments, elisions = split_on_elisions(expected)
    if not elisions:
        return actual
    shaped: list[str] = []
    position = 0
    for number, segment in enumerate(segments):
        if number:
            shaped.append(elisions[number - 1])
        if not segment:
            continue
        last = number == len(segments) - 1
        start = 0 if number == 0 else best_line(segment[0], actual, position)
        stop = len(actual) if last else min(start + len(segment), len(actual))
        shaped += actual[start:stop]
        position = stop
    return shaped


def keep_readme_tokens(
    pattern: re.Pattern[str], expected: list[str], actual: list[str], only: set[str] | None = None
) -> list[str]:
    """``actual`` with its hashes (or times; with ``only``, those of them) replaced in order by the
    README's: rewriting changes no hash that differs only because the test ran again."""
    theirs = iter(pattern.findall("\n".join(expected)))

    def replace(match: re.Match[str]) -> str:
        mine = match.group(0)
        return next(theirs, mine) if only is None or mine in only else mine

    return pattern.sub(replace, "\n".join(actual)).split("\n")


def run_block(block: Block, repo: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The block as its commands print it, in the README's shape."""
    for name in block.setups:
        SETUPS[name](repo)
    body: list[str] = []
    known: set[str] = set()
    with monkeypatch.context() as env:
        for name, value in block.env.items():
            env.setenv(name, value)
        code = 0
        for example in block.examples:
            code, printed = run(example.command, code)
            lines = [line.rstrip() for line in printed.splitlines()]  # a terminal shows no trailing spaces
            if COMMIT.search(printed):
                known |= commits(repo)
            expected = example.output
            if matches(normalised(expected), normalised(lines, known)):
                lines = expected
            else:
                lines = fitted(expected, lines)
                lines = keep_readme_tokens(COMMIT, expected, lines, known)
                lines = keep_readme_tokens(COMMIT_TIME, expected, lines)
            body += [PROMPT + example.command, *lines]
    return body


def rewrite_block(block: Block, body: list[str]) -> None:
    """Put ``body`` in the README in place of ``block``, found again by its index (pytest-xdist runs
    blocks in several processes at once, so each rewrite reads and writes the file under a lock)."""
    with FileLock(Path(tempfile.gettempdir()) / "policy-ledger-readme.lock"):
        text = block.path.read_text(encoding="utf-8")
        start, end, indent = console_blocks(text)[block.index]
        lines = text.split("\n")
        current = [line.removeprefix(indent) for line in lines[start + 1 : end]]
        where = f"{block.path.name}:{block.line}"
        assert current == block.body, f"{where} changed while the tests ran; run them again"
        lines[start + 1 : end] = [indent + line if line else "" for line in body]
        block.path.write_text("\n".join(lines), encoding="utf-8")


# --- the test --------------------------------------------------------------------------------------------


#: git reads the repository's own configuration only, never the machine's or the user's.
GIT_ALONE = {"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}


@pytest.fixture(scope="session")
def fresh_clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository every example starts from, made once per test process and copied for each."""
    repo = tmp_path_factory.mktemp("reader") / "ledger"
    repo.mkdir()
    for name in COPIED:
        shutil.copytree(ROOT / name, repo / name, ignore=shutil.ignore_patterns("_parts", "__pycache__"))
    with pytest.MonkeyPatch.context() as env:
        for name, value in GIT_ALONE.items():
            env.setenv(name, value)
        new_repository(repo, author=AUTHOR, email=EMAIL)
    return repo


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One store for pre-commit in all examples (the local hook needs nothing built in it)."""
    return tmp_path_factory.mktemp("pre-commit")


@pytest.fixture(scope="session")
def reader_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One ledger cache for all examples, as a reader has: entries are named by the data's bytes, so an
    example never sees another's data, and most load the ledger from it, as the reader's commands do."""
    return tmp_path_factory.mktemp("reader-cache")


@pytest.fixture
def reader_repository(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fresh_clone: Path,
    pre_commit_home: Path,
    reader_cache: Path,
) -> Iterator[Path]:
    """A reader's clone of the ledger, the working directory, with git configured by the test alone."""
    repo = tmp_path / "ledger"
    shutil.copytree(fresh_clone, repo, symlinks=True)
    for name, value in GIT_ALONE.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("PRE_COMMIT_HOME", str(pre_commit_home))
    monkeypatch.setenv("LEDGER_CACHE_DIR", str(reader_cache))
    monkeypatch.setenv("PRE_COMMIT_COLOR", "never")
    monkeypatch.setenv("TERM", "dumb")
    monkeypatch.setenv("LANGUAGE", "en")  # git's messages untranslated, whatever the machine's locale
    monkeypatch.chdir(repo)
    yield repo


@pytest.mark.usefixtures("fixed_terminal")
@pytest.mark.parametrize("group", GROUPS, ids=[group_id(g) for g in GROUPS])
def test_readme_example_is_real_output(
    group: list[Block],
    reader_repository: Path,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> None:
    update = request.config.getoption("--update-readme")
    failures = []
    for block in group:
        real = run_block(block, reader_repository, monkeypatch)
        if real == block.body:
            continue
        if update:
            rewrite_block(block, real)
            continue
        name = block.path.name
        diff = "\n".join(difflib.unified_diff(block.body, real, name, "real output", lineterm="", n=2))
        failures.append(f"{name}:{block.line}: the example is not what the commands print\n{diff}")
    assert not failures, "\n\n".join(failures) + "\n\n(pytest --update-readme rewrites them; review the diff)"


@pytest.mark.parametrize("path", list(READMES), ids=lambda path: path.name)
def test_every_console_example_is_parsed(path: Path) -> None:
    """Nothing escapes the test: every ```console fence is a block, every block has a command, every setup
    exists, and no walkthrough starts with a block that continues."""
    text = path.read_text(encoding="utf-8")
    fences = sum(1 for line in text.split("\n") if FENCE.match(line) and "console" in line)
    blocks = read_blocks(text, path)
    assert len(blocks) == fences
    assert all(block.examples for block in blocks)
    assert not blocks[0].continues
    assert {name for block in blocks for name in block.setups} <= set(SETUPS)


def test_the_parser_reads_commands_outputs_and_elisions() -> None:
    examples = parse_examples(["$ ledger a", "one", "", "$ echo $?", "1"])
    assert [(e.command, e.output) for e in examples] == [("ledger a", ["one", ""]), ("echo $?", ["1"])]
    assert matches(["a", "…", "d"], ["a", "b", "c", "d"]) and matches(["a", "…", "b"], ["a", "b"])
    assert matches(["…", "c", "…"], ["a", "c", "d"]) and not matches(["a", "…", "c"], ["a", "b"])
    assert fitted(["a", " …", "x", "y"], ["a", "b", "x2", "y2", "z"]) == ["a", " …", "x2", "y2", "z"]
    assert needs_shell("ledger validate | head") and needs_shell("git commit -am x")
    assert not needs_shell("ledger query targets commitment:确保 'due:<2023-07-01'")
