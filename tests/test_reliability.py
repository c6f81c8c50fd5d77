"""Every bad input gets a one-line error naming file and line; no write under fault loses data."""

from __future__ import annotations

import errno
import hashlib
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from policy_ledger.cli import app
from policy_ledger.loader import load_ledger
from policy_ledger.problems import LedgerError
from policy_ledger.progress import ProgressRefused, ProgressRequest, record_progress
from policy_ledger.validation import validate_data

from .conftest import ROOT, TODAY, git, new_repository

runner = CliRunner()


def digest(folder: Path) -> str:
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return hashlib.sha256(b"".join(p.name.encode() + p.read_bytes() for p in files)).hexdigest()


def validate(folder: Path) -> tuple[int, list[str]]:
    result = runner.invoke(app, ["validate", "--data", str(folder)])
    lines = [line for line in result.stdout.splitlines() if ": error " in line]
    return result.exit_code, lines


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


BAD_EDITS = {
    # name: (file, old text, new text, expected "file:line", code)
    "unclosed quote": (
        "targets.yaml",
        "    what: 供应建设用地\n",
        '    what: "供应建设用地\n',
        "targets.yaml:47",
        "L001",
    ),
    "bad indentation": (
        "targets.yaml",
        "    what: 供应建设用地\n",
        "      what: 供应建设用地\n",
        "targets.yaml:47",
        "L001",
    ),
    "tab indentation": (
        "budgets.yaml",
        "        label: 教育项目\n",
        "\tlabel: 教育项目\n",
        "budgets.yaml:19",
        "L001",
    ),
    "duplicate key": (
        "targets.yaml",
        "    value: 5000\n",
        "    value: 5000\n    value: 6000\n",
        "targets.yaml:49",
        "L002",
    ),
    "string amount": (
        "budgets.yaml",
        "        amount: 14.8\n",
        '        amount: "14.8"\n',
        "budgets.yaml:12",
        "L003",
    ),
    "list for a mapping": (
        "policies.yaml",
        "    period:\n",
        "    period: [2023]\n    old_period:\n",
        "policies.yaml:10",
        "L003",
    ),
    "unknown field": (
        "targets.yaml",
        "    commitment: firm\n",
        "    commitment: firm\n    owner: 市发改局\n",
        "targets.yaml:52",
        "L003",
    ),
    "negative amount": (
        "budgets.yaml",
        "        amount: 14.8\n",
        "        amount: -14.8\n",
        "budgets.yaml:12",
        "L003",
    ),
    "absurd amount": (
        "budgets.yaml",
        "        amount: 14.8\n",
        "        amount: 14800000000000000\n",
        "budgets.yaml:12",
        "L003",
    ),
    "impossible date": (
        "targets.yaml",
        "      - as_of: 2023-06-30\n",
        "      - as_of: 2023-02-30\n",
        "targets.yaml:40",
        "L003",
    ),
    "colliding id": ("targets.yaml", '  - id: "3.2"\n', '  - id: "3.1"\n', "targets.yaml:53", "L004"),
    "conflict markers": (
        "budgets.yaml",
        "      - id: B1.3\n",
        "<<<<<<< HEAD\n      - id: B1.3\n=======\n      - id: B1.9\n>>>>>>> other\n",
        "budgets.yaml:18",
        "L001",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_EDITS))
def test_bad_edit_is_one_error_line_with_file_and_line(name: str, mini: Path) -> None:
    filename, old, new, where, code = BAD_EDITS[name]
    edit(mini / filename, old, new)
    before = digest(mini)
    exit_code, errors = validate(mini)
    assert exit_code == 1
    assert any(f"{where}:" in line and f" error {code} " in line for line in errors), errors
    assert digest(mini) == before


def test_empty_and_missing_files(mini: Path) -> None:
    (mini / "targets.yaml").write_text("", encoding="utf-8")
    assert validate(mini) == (
        1,
        [f"{mini / 'targets.yaml'}:1:1: error L001 file is empty; restore it from git"],
    )
    (mini / "targets.yaml").unlink()
    exit_code, errors = validate(mini)
    assert exit_code == 1 and errors == [
        f"{mini / 'targets.yaml'}:1:1: error L001 file is missing; restore it from git"
    ]


def test_not_utf8_names_the_line(mini: Path) -> None:
    path = mini / "targets.yaml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    exit_code, errors = validate(mini)
    assert exit_code == 1 and len(errors) == 1
    assert "targets.yaml:6:1: error L001 file is not UTF-8 text; save it as UTF-8" in errors[0]  # 完成投资


def test_bom_and_crlf_are_accepted(mini: Path) -> None:
    path = mini / "targets.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    assert validate(mini) == (0, [])


def test_bom_and_crlf_survive_a_write(mini: Path) -> None:
    path = mini / "targets.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    record_progress(
        mini,
        ProgressRequest("3.1", "2023-06-30", value="100"),
        commit=False,
        today=TODAY,
    )
    written = path.read_bytes()
    assert written.startswith(b"\xef\xbb\xbf") and written.count(b"\n") == written.count(b"\r\n")
    assert validate(mini) == (0, [])


#: A guard against work that explodes (an alias bomb expands exponentially, a 50 MB file read whole), not
#: a speed figure: each refusal here takes well under a second; bench/ measures speed.
HANG = 60


def test_alias_bomb_is_refused_quickly(mini: Path) -> None:
    laughs = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    laughs += [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]" for i in range(8)]
    (mini / "budgets.yaml").write_text("\n".join(laughs) + "\n", encoding="utf-8")
    start = time.perf_counter()
    exit_code, errors = validate(mini)
    assert time.perf_counter() - start < HANG
    assert exit_code == 1 and len(errors) == 1 and "budgets.yaml:2:" in errors[0] and "aliases" in errors[0]


def test_fifty_megabyte_file_fails_fast(mini: Path) -> None:
    path = mini / "targets.yaml"
    with path.open("w", encoding="utf-8") as handle:
        line = "# " + "填充" * 40 + "\n"
        handle.write(line * (50 * 1024 * 1024 // len(line.encode())))
    start = time.perf_counter()
    exit_code, errors = validate(mini)
    assert time.perf_counter() - start < HANG
    assert exit_code == 1 and len(errors) == 1
    assert "targets.yaml:1:1: error L001 file is 50 MB, over the 32 MB" in errors[0]


def test_symlink_loop_as_data_dir_is_one_line(tmp_path: Path) -> None:
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    result = runner.invoke(app, ["validate", "--data", str(loop)])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "no policies.yaml there" in result.stderr


def test_unreadable_file_is_one_line(mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_open = os.open

    def denied(path: Any, flags: int, *args: Any) -> int:
        if str(path).endswith("budgets.yaml"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr("policy_ledger.fileio.os.open", denied)
    result = runner.invoke(app, ["validate", "--data", str(mini)])
    assert result.exit_code == 1
    (line,) = [line for line in result.stdout.splitlines() if ": error " in line]
    assert line.startswith(f"{mini / 'budgets.yaml'}:1:1: error L001 cannot read it (Permission denied)")


def test_shell_hostile_note_is_stored_verbatim(mini: Path) -> None:
    note = "$(rm -rf /) `reboot` ; echo 'x' \"y\" && | > < # ： 引号“”"
    record_progress(
        mini, ProgressRequest("3.1", "2023-06-30", value="100", note=note), commit=False, today=TODAY
    )
    ledger, problems = load_ledger(mini)
    assert problems == []
    assert next(t for t in ledger.targets if t.id == "3.1").progress[0].note == note


@pytest.mark.parametrize(
    ("note", "message"),
    [("很长" * 300, "is 600 characters long"), ("第一行\n第二行", "line break"), ("a\u2028b", "line break")],
)
def test_very_long_or_multiline_note_is_refused(mini: Path, note: str, message: str) -> None:
    before = digest(mini)
    result = runner.invoke(
        app,
        ["progress", "add", "3.1", "--value", "1", "--as-of", "2023-06-30", "--note", note, "--no-commit",
         "--data", str(mini)],
    )  # fmt: skip
    assert result.exit_code == 2 and message in result.stderr and result.stderr.count("\n") == 1
    assert digest(mini) == before


# --- writes under fault -------------------------------------------------------------------------------


@pytest.fixture
def repo(mini: Path) -> Path:
    new_repository(mini.parent)
    return mini


def test_kill_between_temporary_write_and_rename_leaves_the_old_file(repo: Path) -> None:
    before = (repo / "targets.yaml").read_bytes()
    script = (
        "import os, signal, sys\n"
        "from datetime import date; from pathlib import Path\n"
        "from policy_ledger.progress import ProgressRequest, record_progress\n"
        "from policy_ledger import fileio\n"
        "def swap(first, second):\n"
        "    if str(second).endswith('targets.yaml'):\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "fileio._exchange = swap\n"
        "request = ProgressRequest('3.1', '2023-06-30', value='1')\n"
        "record_progress(Path(sys.argv[1]), request, today=date(2026, 1, 1))\n"
    )
    killed = subprocess.run(
        [sys.executable, "-c", script, str(repo)], env={**os.environ, "PYTHONPATH": str(ROOT)}
    )
    assert killed.returncode == -signal.SIGKILL
    assert (repo / "targets.yaml").read_bytes() == before
    assert list(repo.glob(".targets.yaml.*.tmp"))  # the killed writer's temporary file
    record_progress(repo, ProgressRequest("3.1", "2023-06-30", value="1"), today=TODAY)
    assert not list(repo.glob(".targets.yaml.*.tmp"))  # cleaned up by the next writer, under the lock
    assert git(repo.parent, "status", "--porcelain") == ""


# 5 s of two writers taking turns: CI's thorough step; test_progress.py has two concurrent writers
@pytest.mark.slow
def test_two_processes_with_twenty_entries_each_all_land(repo: Path) -> None:
    script = (
        "import sys; from datetime import date, timedelta; from pathlib import Path\n"
        "from policy_ledger.progress import ProgressRequest, record_progress\n"
        "for day in range(20):\n"
        "    as_of = (date(2023, 1, 1) + timedelta(days=day * 7)).isoformat()\n"
        "    request = ProgressRequest(sys.argv[2], as_of, value=str(day))\n"
        "    record_progress(Path(sys.argv[1]), request, today=date(2026, 1, 1))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    writers = [
        subprocess.Popen([sys.executable, "-c", script, str(repo), record], env=env, stderr=subprocess.PIPE)
        for record in ("2.1", "3.1")
    ]
    for writer in writers:
        _, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err.decode()
    report = validate_data(repo, today=TODAY)
    assert report.errors == []
    ledger = report.ledger
    assert len(next(t for t in ledger.targets if t.id == "2.1").progress) == 21  # 1 in the fixture + 20
    assert len(next(t for t in ledger.targets if t.id == "3.1").progress) == 20
    subjects = git(repo.parent, "log", "--format=%s").splitlines()
    assert sum(subject.startswith("progress(") for subject in subjects) == 40
    assert git(repo.parent, "status", "--porcelain") == ""


def test_read_only_data_file_is_refused(repo: Path) -> None:
    path = repo / "targets.yaml"
    path.chmod(0o444)
    before = path.read_bytes()
    with pytest.raises(ProgressRefused, match=r"targets\.yaml is read-only; make it writable"):
        record_progress(repo, ProgressRequest("3.1", "2023-06-30", value="1"), today=TODAY)
    assert path.read_bytes() == before and (path.stat().st_mode & 0o777) == 0o444


def test_full_disk_leaves_the_file_and_no_temporary(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = (repo / "targets.yaml").read_bytes()

    def no_space(descriptor: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("policy_ledger.fileio.os.fsync", no_space)
    with pytest.raises(ProgressRefused, match="No space left on device; nothing was written"):
        record_progress(repo, ProgressRequest("3.1", "2023-06-30", value="1"), today=TODAY)
    assert (repo / "targets.yaml").read_bytes() == before
    assert not list(repo.glob(".*.tmp"))


def test_missing_git_binary_is_a_clear_refusal(
    repo: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    before = (repo / "targets.yaml").read_bytes()
    with pytest.raises(LedgerError, match="git is not installed"):
        record_progress(repo, ProgressRequest("3.1", "2023-06-30", value="1"), today=TODAY)
    assert (repo / "targets.yaml").read_bytes() == before


def test_detached_head_is_refused(repo: Path) -> None:
    git(repo.parent, "checkout", "-q", "--detach")
    with pytest.raises(ProgressRefused, match="HEAD is detached"):
        record_progress(repo, ProgressRequest("3.1", "2023-06-30", value="1"), today=TODAY)


def test_conflict_markers_stop_a_write(repo: Path) -> None:
    edit(
        repo / "targets.yaml",
        '  - id: "3.2"\n',
        '<<<<<<< HEAD\n  - id: "3.2"\n=======\n  - id: "3.3"\n>>>>>>> b\n',
    )
    git(repo.parent, "commit", "-qam", "conflicted")
    before = (repo / "targets.yaml").read_bytes()
    with pytest.raises(ProgressRefused, match=r"targets\.yaml:53:1: unresolved merge conflict"):
        record_progress(repo, ProgressRequest("2.1", "2023-09-30", value="1"), today=TODAY)
    assert (repo / "targets.yaml").read_bytes() == before


def test_validate_never_writes(repo: Path) -> None:
    before = digest(repo)
    validate_data(repo, today=date(2026, 1, 1))
    assert digest(repo) == before
