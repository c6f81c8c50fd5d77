"""The write path of `ledger progress add` under hostile conditions.

Another program writing the file between the read and the replace, a file half written by a sync
client, a writer killed in the middle of its commit, other people's changes in the index or the work
tree, a `--replace` next to hand-written comments, bytes that are not UTF-8 on the command line. In each
case no byte anyone else wrote is lost, nothing but the entry is committed, and a refusal is one line.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import traceback
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policy_ledger import fileio, gitstore, writes
from policy_ledger import progress as progress_module
from policy_ledger.cli import app

from .conftest import ROOT, git, new_repository

runner = CliRunner()

#: The entry most tests record, and the lines it adds under target 17.1 (which has no entries yet).
ENTRY = ["17.1", "--value", "23.5", "--as-of", "2023-06-30", "--note", "上半年累计"]
ENTRY_LINES = [
    "    progress:",
    "      - as_of: 2023-06-30",
    "        value: 23.5",
    "        unit: 亿元",
    "        note: 上半年累计",
]


@pytest.fixture
def repo(real: Path) -> Path:
    """The real data in a fresh repository with its own identity; returns the data folder."""
    new_repository(real.parent)
    return real


@pytest.fixture
def no_pause(monkeypatch: pytest.MonkeyPatch) -> None:
    """A writer that starts over does so at once, and gives up soon: the tests need the outcome (a
    refusal, or the other program's bytes intact), not eight pauses of waiting for it."""
    monkeypatch.setattr(writes, "RETRY_PAUSE_SECONDS", 0)
    monkeypatch.setattr(writes, "ATTEMPTS", 3)


def add(data: Path, *args: str) -> tuple[int, str, str]:
    """`ledger progress add ARGS --data DATA`: (exit code, stdout, stderr); a traceback fails the test."""
    result = runner.invoke(app, ["progress", "add", *args, "--data", str(data)])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(
            "the command ended in a traceback:\n" + "".join(traceback.format_exception(result.exception))
        )
    return result.exit_code, result.stdout, result.stderr


def head(data: Path) -> str:
    return git(data.parent, "rev-parse", "HEAD")


def committed(data: Path, name: str = "targets.yaml", revision: str = "HEAD") -> bytes:
    return subprocess.run(
        ["git", "show", f"{revision}:data/{name}"], cwd=data.parent, capture_output=True, check=True
    ).stdout


def numstat(data: Path, revision: str = "HEAD") -> list[tuple[str, str, str]]:
    """(added, removed, path) of every file the commit changed."""
    out = git(data.parent, "show", "--numstat", "--format=", revision)
    return [tuple(line.split("\t")) for line in out.splitlines() if line]  # type: ignore[misc]


def diff_lines(data: Path, revision: str = "HEAD") -> tuple[list[str], list[str]]:
    """The lines ``revision`` added and removed, against its parent."""
    out = git(data.parent, "show", "--format=", "-U0", "--no-color", revision)
    added = [line[1:] for line in out.splitlines() if line.startswith("+") and not line.startswith("+++")]
    removed = [line[1:] for line in out.splitlines() if line.startswith("-") and not line.startswith("---")]
    return added, removed


def lines_of(content: bytes) -> set[str]:
    return set(content.decode("utf-8").splitlines())


def journal(data: Path) -> Path:
    return data.parent / ".git" / gitstore.JOURNAL


def says_finished(err: str) -> bool:
    """Whether stderr tells the user that an interrupted write was completed."""
    return "interrupted" in err and "finished" in err


def says_undone(err: str) -> bool:
    return "interrupted" in err and any(word in err for word in ("undid", "undone", "undo"))


def assert_one_line(err: str) -> None:
    assert err.count("\n") == 1 and err.startswith("ledger: "), err
    assert "Traceback" not in err


# --- 1. compare and swap ------------------------------------------------------------------------------


def other_program_saves(data: Path, *, commit: bool) -> bytes:
    """Another program changes a comment line of targets.yaml (and, like `git pull`, commits it)."""
    path = data / "targets.yaml"
    text = path.read_text(encoding="utf-8")
    assert "# Targets of" in text
    path.write_text(text.replace("# Targets of", "# The targets of", 1), encoding="utf-8")
    if commit:
        git(data.parent, "commit", "-qam", "another program")
    return path.read_bytes()


@pytest.mark.parametrize("moment", ["after the read", "just before the replace"])
def test_a_committed_change_between_read_and_replace_makes_the_writer_start_over(
    repo: Path, monkeypatch: pytest.MonkeyPatch, moment: str
) -> None:
    calls: list[int] = []
    if moment == "after the read":
        real_read = progress_module.read_files

        def read_then_other_program(data_dir: Path) -> object:
            files = real_read(data_dir)
            if not calls:
                other_program_saves(repo, commit=True)
            calls.append(1)
            return files

        monkeypatch.setattr(progress_module, "read_files", read_then_other_program)
    else:
        real_replace = fileio.replace_if_unchanged

        def other_program_then_replace(path: Path, expected: bytes, new: bytes) -> None:
            if not calls:
                other_program_saves(repo, commit=True)
            calls.append(1)
            real_replace(path, expected, new)

        monkeypatch.setattr(fileio, "replace_if_unchanged", other_program_then_replace)
    code, _, err = add(repo, *ENTRY)
    assert (code, err) == (0, ""), err
    assert len(calls) == 2  # the first attempt was abandoned, the second one landed
    text = (repo / "targets.yaml").read_text(encoding="utf-8")
    assert "# The targets of" in text  # the other program's bytes survive ...
    assert "\n".join(ENTRY_LINES) in text  # ... and so does the entry
    assert git(repo.parent, "log", "-1", "--format=%s", "HEAD~1") == "another program"
    assert numstat(repo) == [(str(len(ENTRY_LINES)), "0", "data/targets.yaml")]
    assert git(repo.parent, "status", "--porcelain") == ""
    assert not journal(repo).exists()


def test_an_uncommitted_change_before_the_replace_is_never_overwritten(
    repo: Path, monkeypatch: pytest.MonkeyPatch, no_pause: None
) -> None:
    """An editor saves without committing: the entry cannot be committed alone, so it is refused."""
    before_head = head(repo)
    saved: list[bytes] = []
    real_replace = fileio.replace_if_unchanged

    def other_program_then_replace(path: Path, expected: bytes, new: bytes) -> None:
        if not saved:
            saved.append(other_program_saves(repo, commit=False))
        real_replace(path, expected, new)

    monkeypatch.setattr(fileio, "replace_if_unchanged", other_program_then_replace)
    code, out, err = add(repo, *ENTRY)
    assert code != 0 and out == ""
    assert_one_line(err)
    assert "targets.yaml" in err
    assert (repo / "targets.yaml").read_bytes() == saved[0]  # the other program's bytes, untouched
    assert head(repo) == before_head
    assert not journal(repo).exists()
    assert git(repo.parent, "status", "--porcelain") == "M data/targets.yaml"


def test_without_commit_an_uncommitted_change_is_kept_and_the_entry_added(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_replace = fileio.replace_if_unchanged
    calls: list[int] = []

    def other_program_then_replace(path: Path, expected: bytes, new: bytes) -> None:
        if not calls:
            other_program_saves(repo, commit=False)
        calls.append(1)
        real_replace(path, expected, new)

    monkeypatch.setattr(fileio, "replace_if_unchanged", other_program_then_replace)
    code, _, err = add(repo, *ENTRY, "--no-commit")
    assert (code, err) == (0, "")
    text = (repo / "targets.yaml").read_text(encoding="utf-8")
    assert "# The targets of" in text and "\n".join(ENTRY_LINES) in text


def test_a_change_just_after_the_replace_is_never_committed_or_overwritten(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another program writes the file in the instant after the entry landed: its bytes stay, and the
    commit (which would not hold them) is not made."""
    before_head = head(repo)
    real_replace = fileio.replace_if_unchanged
    theirs: list[bytes] = []

    def replace_then_other_program(path: Path, expected: bytes, new: bytes) -> None:
        real_replace(path, expected, new)
        if not theirs:
            path.write_bytes(new + b"# appended by a sync client\n")
            theirs.append(path.read_bytes())

    monkeypatch.setattr(fileio, "replace_if_unchanged", replace_then_other_program)
    code, out, err = add(repo, *ENTRY)
    assert code != 0 and out == ""
    assert_one_line(err)
    assert (repo / "targets.yaml").read_bytes() == theirs[0]
    assert head(repo) == before_head
    assert not journal(repo).exists()


def test_a_branch_moved_before_the_publish_makes_the_writer_start_over(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Someone commits another file between the commit's preparation and the branch's move."""
    real_publish = gitstore.publish
    calls: list[int] = []

    def other_commit_then_publish(pending: gitstore.PendingCommit) -> bool:
        if not calls:
            (repo.parent / "NOTES.md").write_text("会议纪要\n", encoding="utf-8")
            git(repo.parent, "add", "NOTES.md")
            git(repo.parent, "commit", "-qm", "notes")
        calls.append(1)
        return real_publish(pending)

    monkeypatch.setattr(gitstore, "publish", other_commit_then_publish)
    code, _, err = add(repo, *ENTRY)
    assert (code, err) == (0, ""), err
    assert len(calls) == 2
    assert git(repo.parent, "log", "-1", "--format=%s", "HEAD~1") == "notes"
    assert numstat(repo) == [(str(len(ENTRY_LINES)), "0", "data/targets.yaml")]
    assert (repo.parent / "NOTES.md").read_text(encoding="utf-8") == "会议纪要\n"
    assert git(repo.parent, "status", "--porcelain") == ""


def half_written(content: bytes, cut: str) -> bytes:
    """``content`` as a sync client leaves it in the middle of an in-place copy."""
    if cut == "half the bytes":
        return content[: len(content) // 2]
    if cut == "half the lines":
        lines = content.splitlines(keepends=True)
        return b"".join(lines[: len(lines) // 2])
    if cut == "just after the record":  # the record being written to is whole, the file still parses
        end = content.index(b'  - id: "17.2"')
        return content[:end]
    if cut == "zeros at the end":  # the size is right, the second half not written yet
        return content[: len(content) // 2] + b"\0" * (len(content) - len(content) // 2)
    raise AssertionError(cut)


@pytest.mark.parametrize(
    "cut", ["half the bytes", "half the lines", "just after the record", "zeros at the end"]
)
def test_a_half_written_file_is_never_committed(repo: Path, no_pause: None, cut: str) -> None:
    path = repo / "targets.yaml"
    whole = path.read_bytes()
    before_head = head(repo)
    with path.open("r+b") as handle:  # in place, as `rsync --inplace` writes
        half = half_written(whole, cut)
        handle.write(half)
        handle.truncate(len(half))
    code, out, err = add(repo, *ENTRY)
    assert code != 0 and out == ""
    assert_one_line(err)
    assert "targets.yaml" in err
    assert head(repo) == before_head
    assert committed(repo) == whole  # HEAD never loses a line
    assert path.read_bytes() == half  # and the file is left to the program writing it
    assert not journal(repo).exists()


def test_a_half_written_file_that_becomes_whole_again_takes_the_entry(
    repo: Path, monkeypatch: pytest.MonkeyPatch, no_pause: None
) -> None:
    path = repo / "targets.yaml"
    whole = path.read_bytes()
    path.write_bytes(half_written(whole, "just after the record"))
    real_read = progress_module.read_files
    calls: list[int] = []

    def sync_client_finishes(data_dir: Path) -> object:
        calls.append(1)
        if len(calls) == 2:
            path.write_bytes(whole)
        return real_read(data_dir)

    monkeypatch.setattr(progress_module, "read_files", sync_client_finishes)
    code, _, err = add(repo, *ENTRY)
    if code == 0:  # the writer waited for the file to be whole
        assert lines_of(whole) <= lines_of(committed(repo))
        assert numstat(repo) == [(str(len(ENTRY_LINES)), "0", "data/targets.yaml")]
        assert git(repo.parent, "status", "--porcelain") == ""
    else:  # or refused: then nothing at all was committed
        assert_one_line(err)
        assert committed(repo) == whole


# --- 3. --replace ---------------------------------------------------------------------------------------


def test_replace_keeps_the_comments_written_beside_the_entry(repo: Path) -> None:
    assert add(repo, *ENTRY)[0] == 0
    assert add(repo, "17.1", "--value", "30", "--as-of", "2023-09-30")[0] == 0
    path = repo / "targets.yaml"
    text = path.read_text(encoding="utf-8")
    commented = text.replace(
        "      - as_of: 2023-06-30\n        value: 23.5\n",
        "      - as_of: 2023-06-30  # 半年报\n        value: 23.5  # checked by 张三\n",
        1,
    ).replace(
        "        note: 上半年累计\n",
        "        note: 上半年累计\n        # checked by 张三 against 市金融办 figures\n",
        1,
    )
    assert commented.count("张三") == 2
    path.write_text(commented, encoding="utf-8")
    git(repo.parent, "commit", "-qam", "comments by hand")

    code, out, err = add(repo, "17.1", "--value", "24", "--as-of", "2023-06-30", "--replace")
    assert (code, err) == (0, ""), err
    assert "replaces 23.5亿元" in out
    after = path.read_text(encoding="utf-8")
    assert "      - as_of: 2023-06-30  # 半年报\n" in after
    assert "# checked by 张三\n" in after and "        value: 24" in after
    assert "        note: 上半年累计\n        # checked by 张三 against 市金融办 figures\n" in after
    assert "        value: 30\n" in after  # the other entry is untouched
    added, removed = diff_lines(repo)
    assert len(added) == len(removed) == 1 and "23.5" in removed[0] and "24" in added[0]
    assert "张三" in added[0]  # the comment on the corrected line stays on it
    assert git(repo.parent, "status", "--porcelain") == ""


def test_replace_of_a_date_without_an_entry_is_refused(repo: Path) -> None:
    assert add(repo, *ENTRY)[0] == 0
    before, before_head = (repo / "targets.yaml").read_bytes(), head(repo)
    code, out, err = add(repo, "17.1", "--value", "24", "--as-of", "2023-07-31", "--replace")
    assert code == 2 and out == ""
    assert_one_line(err)
    assert "no entry as of 2023-07-31" in err
    assert (repo / "targets.yaml").read_bytes() == before and head(repo) == before_head


# --- 4. a writer killed in the middle of its commit -------------------------------------------------

#: Runs `ledger` and SIGKILLs itself at one point of the write: in ``replace_if_unchanged`` before the
#: file is replaced, in ``publish`` after the file was replaced and before the branch moved, or in
#: ``end`` after the branch moved and before the journal was removed.
KILLER = """
import os, signal, sys
from policy_ledger import fileio, gitstore

def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

setattr({"replace": fileio, "publish": gitstore, "end": gitstore}[sys.argv[1]],
        {"replace": "replace_if_unchanged", "publish": "publish", "end": "end"}[sys.argv[1]], die)
from policy_ledger.cli import main
sys.argv = ["ledger", *sys.argv[2:]]
main()
"""


def killed_writer(data: Path, point: str, *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", KILLER, point, "progress", "add", *args, "--data", str(data)],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr.decode()


FIRST = ["17.1", "--value", "20", "--as-of", "2023-05-31"]
SECOND = ["17.1", "--value", "23.5", "--as-of", "2023-06-30"]


def test_killed_after_the_replace_is_finished_by_the_next_writer(repo: Path) -> None:
    before_head = head(repo)
    killed_writer(repo, "publish", *FIRST)
    assert journal(repo).exists()
    assert head(repo) == before_head
    assert "2023-05-31" in (repo / "targets.yaml").read_text(encoding="utf-8")

    code, _, err = add(repo, *SECOND)
    assert code == 0, err
    assert_one_line(err)
    assert says_finished(err) and "progress(17.1): 20亿元 as of 2023-05-31" in err
    assert git(repo.parent, "status", "--porcelain") == ""
    assert not journal(repo).exists()
    subjects = git(repo.parent, "log", "--format=%s", f"{before_head}..HEAD").splitlines()
    assert subjects == [
        "progress(17.1): 23.5亿元 as of 2023-06-30",
        "progress(17.1): 20亿元 as of 2023-05-31",
    ]
    for revision in ("HEAD", "HEAD~1"):  # each entry in its own commit, and nothing else
        assert numstat(repo, revision)[0][1:] == ("0", "data/targets.yaml")
        assert len(numstat(repo, revision)) == 1
    text = committed(repo).decode("utf-8")
    assert "as_of: 2023-05-31" in text and "as_of: 2023-06-30" in text


def test_killed_before_the_replace_is_undone_by_the_next_writer(repo: Path) -> None:
    before, before_head = (repo / "targets.yaml").read_bytes(), head(repo)
    killed_writer(repo, "replace", *FIRST)
    assert journal(repo).exists()
    assert (repo / "targets.yaml").read_bytes() == before

    code, _, err = add(repo, *SECOND)
    assert code == 0, err
    assert_one_line(err)
    assert says_undone(err)
    assert git(repo.parent, "status", "--porcelain") == ""
    assert not journal(repo).exists()
    assert git(repo.parent, "log", "--format=%s", f"{before_head}..HEAD").splitlines() == [
        "progress(17.1): 23.5亿元 as of 2023-06-30"
    ]
    assert "2023-05-31" not in committed(repo).decode("utf-8")
    assert not list(repo.glob(".targets.yaml.*.tmp"))


def interrupted_writer(data: Path, monkeypatch: pytest.MonkeyPatch, point: str, *args: str) -> None:
    """Like ``killed_writer``, in this process: Ctrl-C (KeyboardInterrupt) at the same points. Cheaper
    than a process of its own, and the same for what is left on disk (nothing runs after it)."""
    module, name = {"replace": (fileio, "replace_if_unchanged"), "publish": (gitstore, "publish"),
                    "end": (gitstore, "end")}[point]  # fmt: skip

    def interrupt(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(module, name, interrupt)
        result = runner.invoke(app, ["progress", "add", *args, "--data", str(data)])
    assert result.exit_code != 0 and journal(data).exists()


def test_a_fifo_left_at_the_files_name_is_refused_by_the_recovery_not_waited_on(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Recovery compares the file on disk with the journal: a FIFO there (no writer ever comes) must be
    refused like any file that is not a regular one, not opened and waited on."""
    interrupted_writer(repo, monkeypatch, "replace", *FIRST)
    (repo / "targets.yaml").unlink()
    os.mkfifo(repo / "targets.yaml")
    done = subprocess.run(
        [sys.executable, "-m", "policy_ledger", "progress", "add", *SECOND, "--data", str(repo)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,  # the old recovery read the FIFO and never returned
    )
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert_one_line(done.stderr)
    assert "has changed since" in done.stderr and "targets.yaml" in done.stderr
    assert (repo / "targets.yaml").is_fifo()


def test_interrupted_after_the_branch_moved_leaves_nothing_to_redo(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before_head = head(repo)
    interrupted_writer(repo, monkeypatch, "end", *FIRST)
    code, _, err = add(repo, *SECOND)
    assert code == 0, err
    assert "interrupted" in err
    assert git(repo.parent, "status", "--porcelain") == ""
    assert len(git(repo.parent, "log", "--format=%s", f"{before_head}..HEAD").splitlines()) == 2


def test_interrupted_after_the_replace_is_finished_too(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before_head = head(repo)
    interrupted_writer(repo, monkeypatch, "publish", *FIRST)
    code, _, err = add(repo, *SECOND)
    assert code == 0 and says_finished(err)
    assert git(repo.parent, "status", "--porcelain") == ""
    assert len(git(repo.parent, "log", "--format=%s", f"{before_head}..HEAD").splitlines()) == 2


def test_rerunning_the_interrupted_command_says_what_became_of_it(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The natural thing after a crash is to run the same command again. The interrupted write is
    finished; the rerun then finds the entry already there, and must still say what it did."""
    before_head = head(repo)
    interrupted_writer(repo, monkeypatch, "publish", *FIRST)
    _, _, err = add(repo, *FIRST)
    assert says_finished(err), err
    assert git(repo.parent, "status", "--porcelain") == ""
    assert git(repo.parent, "log", "--format=%s", f"{before_head}..HEAD").splitlines() == [
        "progress(17.1): 20亿元 as of 2023-05-31"
    ]


def test_an_interrupted_write_changed_since_is_left_for_a_person(
    repo: Path, monkeypatch: pytest.MonkeyPatch, no_pause: None
) -> None:
    """Killed after the replace; then someone edits the file. Nothing they wrote is lost or committed,
    and the next writer says so rather than publishing a commit that no longer matches the file."""
    before_head = head(repo)
    interrupted_writer(repo, monkeypatch, "publish", *FIRST)
    path = repo / "targets.yaml"
    path.write_bytes(path.read_bytes() + "# 张三: 稍后核对\n".encode())
    theirs = path.read_bytes()
    code, _, err = add(repo, *SECOND)
    assert code != 0
    assert "interrupted" in err, err  # the user hears of the write that was left alone
    assert path.read_bytes() == theirs and head(repo) == before_head


# --- 5. other people's changes never ride along -----------------------------------------------------


def test_a_staged_edit_of_another_file_stays_out_of_the_commit(repo: Path) -> None:
    policies = repo / "policies.yaml"
    policies.write_text(policies.read_text(encoding="utf-8") + "# 待审: 张三\n", encoding="utf-8")
    git(repo.parent, "add", "data/policies.yaml")
    budgets = repo / "budgets.yaml"
    budgets.write_text(budgets.read_text(encoding="utf-8") + "# 草稿\n", encoding="utf-8")
    code, _, err = add(repo, *ENTRY)
    assert (code, err) == (0, ""), err
    assert numstat(repo) == [(str(len(ENTRY_LINES)), "0", "data/targets.yaml")]
    assert diff_lines(repo) == (ENTRY_LINES, [])
    assert "待审" not in committed(repo, "policies.yaml").decode("utf-8")
    # the hand edits are where their author left them: one staged, one not
    assert git(repo.parent, "diff", "--cached", "--name-only") == "data/policies.yaml"
    assert git(repo.parent, "diff", "--name-only") == "data/budgets.yaml"


def test_an_edit_hidden_with_assume_unchanged_is_refused(repo: Path, no_pause: None) -> None:
    path = repo / "targets.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("# Targets of", "# 目标: Targets of", 1),
                    encoding="utf-8")  # fmt: skip
    git(repo.parent, "update-index", "--assume-unchanged", "data/targets.yaml")
    assert git(repo.parent, "status", "--porcelain") == ""  # git itself no longer sees the edit
    theirs, before_head = path.read_bytes(), head(repo)
    code, out, err = add(repo, *ENTRY)
    assert code != 0 and out == ""
    assert_one_line(err)
    assert "targets.yaml" in err
    assert path.read_bytes() == theirs and head(repo) == before_head


def test_a_staged_edit_of_the_same_file_is_refused(repo: Path, no_pause: None) -> None:
    path = repo / "targets.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("# Targets of", "# 目标: Targets of", 1),
                    encoding="utf-8")  # fmt: skip
    git(repo.parent, "add", "data/targets.yaml")
    theirs, before_head = path.read_bytes(), head(repo)
    code, _, err = add(repo, *ENTRY)
    assert code != 0
    assert_one_line(err)
    assert path.read_bytes() == theirs and head(repo) == before_head


def test_a_hook_that_stages_another_file_adds_nothing_to_the_commit(repo: Path) -> None:
    hooks = repo.parent / ".git" / "hooks"
    for name in ("pre-commit", "prepare-commit-msg", "commit-msg", "post-commit"):
        hook = hooks / name
        hook.write_text(
            "#!/bin/sh\necho hooked >> data/hooked.txt\ngit add data/hooked.txt\n"
            "sed -i 's/# Targets of/# HOOKED/' data/targets.yaml\n"
        )
        hook.chmod(0o755)
    code, _, err = add(repo, *ENTRY)
    assert (code, err) == (0, ""), err
    assert numstat(repo) == [(str(len(ENTRY_LINES)), "0", "data/targets.yaml")]
    assert diff_lines(repo) == (ENTRY_LINES, [])
    assert "HOOKED" not in committed(repo).decode("utf-8")


# --- 9. bytes that are not UTF-8 on the command line ------------------------------------------------


def test_non_utf8_bytes_in_the_note_are_refused_in_one_line(repo: Path) -> None:
    """The bytes as a shell passes them: Python reads them as surrogate escapes (U+DCFF for 0xFF)."""
    before, before_head = (repo / "targets.yaml").read_bytes(), head(repo)
    args = [b"progress", b"add", b"17.1", b"--value", b"1", b"--as-of", b"2023-06-30"]
    done = subprocess.run(
        [sys.executable.encode(), b"-m", b"policy_ledger", *args, b"--note", b"\xe4\xb8\x8a\xff",
         b"--data", os.fsencode(repo)],
        env={**os.environ, "PYTHONPATH": str(ROOT), "LC_ALL": "C.UTF-8", "PYTHONWARNINGS": "ignore"},
        capture_output=True,
        timeout=60,
    )  # fmt: skip
    err = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 2, err
    assert done.stdout == b""
    assert_one_line(err)
    assert "--note" in err
    assert (repo / "targets.yaml").read_bytes() == before and head(repo) == before_head


@pytest.mark.parametrize("option", ["--note", "--source"])
@pytest.mark.parametrize("text", ["上\udcff", "ok\ud800"], ids=["byte 0xff", "lone surrogate"])
def test_text_that_is_not_unicode_is_refused_in_one_line(repo: Path, option: str, text: str) -> None:
    before = (repo / "targets.yaml").read_bytes()
    code, out, err = add(repo, "17.1", "--value", "1", "--as-of", "2023-06-30", option, text, "--no-commit")
    assert code == 2 and out == ""
    assert_one_line(err)
    assert option in err
    assert (repo / "targets.yaml").read_bytes() == before
