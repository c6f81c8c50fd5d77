"""Paths the ledger is given never lead it outside its data, and files it writes are only ever files.

A data file that is a symbolic link is written through (the link stays a link, the commit holds its
target's change); an output named with ``-o`` that is a link, a FIFO, a device or a read-only file is
refused in one line and left as it was; a ``source:`` that leads outside the data folder, or to something
that is not a file, is one finding, found at once, and never prints a line of what it points at; and
comparing with an old revision writes nothing anywhere but a temporary folder.
"""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import tempfile
import threading
import traceback
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from policy_ledger.cli import app

from .conftest import git, new_repository

runner = CliRunner()

#: A line no ledger output may ever contain: it stands only in files outside the data folder.
SECRET = "SECRET-7f3a: this line lives outside the ledger"


def invoke(*args: str, timeout: float = 30) -> Result:
    """The CLI in a thread with a watchdog: a read that blocks (a FIFO) fails the test, never hangs it."""
    box: list[Result] = []
    worker = threading.Thread(target=lambda: box.append(runner.invoke(app, list(args))), daemon=True)
    worker.start()
    worker.join(timeout)
    assert not worker.is_alive(), f"ledger {' '.join(args)} still running after {timeout} s"
    return no_traceback(box[0])


def no_traceback(result: Result) -> Result:
    """The result, after checking that the command ended by itself rather than by an exception."""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(
            "the command ended in a traceback:\n" + "".join(traceback.format_exception(result.exception))
        )
    return result


def one_line(result: Result) -> str:
    err = result.stderr
    assert err.count("\n") == 1 and err.startswith("ledger: "), err
    assert "Traceback" not in err
    return err


@pytest.fixture
def repo(real: Path) -> Path:
    new_repository(real.parent)
    return real


def mknod_like_dev_null(path: Path) -> None:
    """A character device such as /dev/null, made where a test may break it without harm."""
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, OSError) as exc:
        pytest.skip(f"cannot make a device node here: {exc}")


# --- 2. symbolic links as data files -----------------------------------------------------------------


@pytest.fixture
def linked(tmp_path: Path, real: Path) -> Path:
    """The real data, with targets.yaml a relative link to shared/targets.yaml, committed as such."""
    shared = tmp_path / "shared"
    shared.mkdir()
    (real / "targets.yaml").rename(shared / "targets.yaml")
    (real / "targets.yaml").symlink_to(Path("..") / "shared" / "targets.yaml")
    new_repository(tmp_path)
    return real


def test_a_linked_data_file_is_written_through_without_commit(linked: Path) -> None:
    link, target = linked / "targets.yaml", linked.parent / "shared" / "targets.yaml"
    before = target.read_text(encoding="utf-8")
    result = invoke("progress", "add", "17.1", "--value", "23.5", "--as-of", "2023-06-30", "--no-commit",
                    "--data", str(linked))  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == str(Path("..") / "shared" / "targets.yaml")
    after = target.read_text(encoding="utf-8")
    assert after != before and "      - as_of: 2023-06-30\n        value: 23.5\n" in after
    assert git(linked.parent, "status", "--porcelain") == "M shared/targets.yaml"


def test_a_linked_data_file_is_committed_as_its_target(linked: Path) -> None:
    result = invoke("progress", "add", "17.1", "--value", "23.5", "--as-of", "2023-06-30",
                    "--data", str(linked))  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert (linked / "targets.yaml").is_symlink()
    numstat = git(linked.parent, "show", "--numstat", "--format=", "HEAD").splitlines()
    assert numstat == ["4\t0\tshared/targets.yaml"]
    assert git(linked.parent, "status", "--porcelain") == ""
    assert git(linked.parent, "ls-tree", "HEAD", "data/targets.yaml").startswith("120000 ")  # still a link


def test_a_data_file_linked_outside_the_repository_is_not_committed(repo: Path, tmp_path: Path) -> None:
    outside = tmp_path.parent / f"{tmp_path.name}-elsewhere.yaml"
    outside.write_bytes((repo / "targets.yaml").read_bytes())
    try:
        (repo / "targets.yaml").unlink()
        (repo / "targets.yaml").symlink_to(outside)
        git(repo.parent, "add", "-A")
        git(repo.parent, "commit", "-qm", "link out")
        before, head = outside.read_bytes(), git(repo.parent, "rev-parse", "HEAD")
        result = invoke(
            "progress", "add", "17.1", "--value", "1", "--as-of", "2023-06-30", "--data", str(repo)
        )
        assert result.exit_code != 0
        one_line(result)
        assert outside.read_bytes() == before and git(repo.parent, "rev-parse", "HEAD") == head
    finally:
        outside.unlink()


# --- 2. outputs named with -o ---------------------------------------------------------------------------


def hostile_output(kind: str, folder: Path) -> Path:
    """A path that must not be written: a link, a FIFO, a device or a read-only file."""
    path = folder / f"out-{kind}"
    if kind == "symlink":
        victim = folder / "victim.txt"
        victim.write_text(SECRET + "\n", encoding="utf-8")
        path.symlink_to(victim)
    elif kind == "dangling symlink":
        path.symlink_to(folder / "does-not-exist-yet.txt")
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        mknod_like_dev_null(path)
    elif kind == "read-only":
        path.write_text(SECRET + "\n", encoding="utf-8")
        path.chmod(0o444)
    else:
        raise AssertionError(kind)
    return path


def fingerprint(path: Path) -> tuple[object, ...]:
    """What a replace would change: the kind of file, its inode, its link or its bytes."""
    info = os.lstat(path)
    kind = stat.S_IFMT(info.st_mode)
    content: object = None
    if stat.S_ISLNK(info.st_mode):
        content = os.readlink(path)
    elif stat.S_ISREG(info.st_mode):
        content = path.read_bytes()
    return (kind, info.st_ino, stat.S_IMODE(info.st_mode), content)


KINDS = ["symlink", "dangling symlink", "fifo", "device", "read-only"]


@pytest.mark.parametrize("kind", KINDS)
def test_report_onto_something_not_a_regular_file_is_refused(mini: Path, tmp_path: Path, kind: str) -> None:
    path = hostile_output(kind, tmp_path)
    before = fingerprint(path)
    victim = tmp_path / "victim.txt"
    victim_before = victim.read_bytes() if victim.exists() else None
    result = invoke("report", "--as-of", "2023-06-30", "-o", str(path), "--data", str(mini))
    assert result.exit_code != 0 and result.stdout == ""
    one_line(result)
    assert fingerprint(path) == before
    assert (victim.read_bytes() if victim.exists() else None) == victim_before
    assert not (tmp_path / "does-not-exist-yet.txt").exists()
    assert not list(tmp_path.glob(".*.tmp"))  # no temporary file left behind either


def test_report_onto_a_new_path_or_a_regular_file_works(mini: Path, tmp_path: Path) -> None:
    new = tmp_path / "report.md"
    result = invoke("report", "--as-of", "2023-06-30", "-o", str(new), "--data", str(mini))
    assert result.exit_code == 0, result.stderr
    text = new.read_text(encoding="utf-8")
    assert text.startswith("# ") and "3.1" in text
    new.write_text("old report\n", encoding="utf-8")
    new.chmod(0o640)
    result = invoke("report", "--as-of", "2023-06-30", "-o", str(new), "--data", str(mini))
    assert result.exit_code == 0 and new.read_text(encoding="utf-8") == text
    assert stat.S_IMODE(new.stat().st_mode) == 0o640  # an overwritten file keeps its permissions


def test_a_new_output_file_gets_the_permissions_of_any_new_file(mini: Path, tmp_path: Path) -> None:
    """A report or schema written at a new path is readable as the user's umask says (0644 under the
    usual 022), like a file written by any other program, not private to its owner."""
    old = os.umask(0o022)
    try:
        report = tmp_path / "report.md"
        assert invoke("report", "-o", str(report), "--data", str(mini)).exit_code == 0
        assert invoke("schema", "-o", str(tmp_path / "schema"), "--data", str(mini)).exit_code == 0
    finally:
        os.umask(old)
    for path in [report, *sorted((tmp_path / "schema").iterdir())]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, path


@pytest.mark.parametrize("kind", KINDS)
def test_schema_onto_something_not_a_regular_file_is_refused(mini: Path, tmp_path: Path, kind: str) -> None:
    """The last of the three files is the hostile one, so the others are written before it is met."""
    folder = tmp_path / "schema-out"
    folder.mkdir()
    position = "budgets.schema.json"
    path = hostile_output(kind, folder).rename(folder / position)
    before = fingerprint(path)
    result = invoke("schema", "-o", str(folder), "--data", str(mini))
    assert result.exit_code != 0
    assert position in one_line(result)
    assert fingerprint(path) == before
    assert not list(folder.glob(".*.tmp"))


@pytest.mark.parametrize("kind", ["symlink", "fifo", "device", "read-only"])
def test_schema_folder_that_is_not_a_folder_is_refused(mini: Path, tmp_path: Path, kind: str) -> None:
    path = hostile_output(kind, tmp_path)
    before = fingerprint(path)
    result = invoke("schema", "-o", str(path), "--data", str(mini))
    assert result.exit_code != 0 and "Traceback" not in result.stderr
    assert str(path.name) in result.stderr.strip().splitlines()[-1]  # the last line says which path
    assert fingerprint(path) == before


def test_schema_into_a_new_folder_works(mini: Path, tmp_path: Path) -> None:
    folder = tmp_path / "new" / "schema"
    result = invoke("schema", "-o", str(folder), "--data", str(mini))
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in folder.iterdir()) == [
        "budgets.schema.json",
        "instruments.schema.json",
        "policies.schema.json",
        "targets.schema.json",
    ]


# --- 6. source: confined to the data folder --------------------------------------------------------------


def point_source_at(data: Path, kind: str, outside: Path) -> str:
    """Set the document's ``source:`` to something outside the data folder or not a file; returns it."""
    folder = data / "source"
    if kind == "/etc/passwd":
        value = "/etc/passwd"
    elif kind == "../outside.txt":
        value = "../outside.txt"
    elif kind == "link to outside":
        (folder / "linked.txt").symlink_to(outside)
        value = "source/linked.txt"
    elif kind == "fifo":
        os.mkfifo(folder / "pipe.txt")
        value = "source/pipe.txt"
    elif kind == "/dev/zero":
        value = "/dev/zero"
    elif kind == "link to /dev/zero":
        (folder / "zero.txt").symlink_to("/dev/zero")
        value = "source/zero.txt"
    elif kind == "device inside":
        mknod_like_dev_null(folder / "null.txt")
        value = "source/null.txt"
    elif kind == "folder":
        value = "source"
    else:
        raise AssertionError(kind)
    policies = data / "policies.yaml"
    text = policies.read_text(encoding="utf-8")
    assert "    source: source/lezhengfa-2023-6.txt\n" in text
    policies.write_text(text.replace("source/lezhengfa-2023-6.txt", value, 1), encoding="utf-8")
    return value


SOURCES = [
    "/etc/passwd",
    "../outside.txt",
    "link to outside",
    "fifo",
    "/dev/zero",
    "link to /dev/zero",
    "device inside",
    "folder",
]


@pytest.mark.parametrize("kind", SOURCES)
def test_a_source_outside_the_data_or_not_a_file_is_one_finding(mini: Path, kind: str) -> None:
    # outside the data folder stands a perfect copy of the source (plus a secret line): were it read,
    # every quote would be found and the ledger would pass
    outside = mini.parent / "outside.txt"
    source = (mini / "source" / "lezhengfa-2023-6.txt").read_text(encoding="utf-8")
    outside.write_text(SECRET + "\n" + source, encoding="utf-8")
    point_source_at(mini, kind, outside)
    result = invoke("validate", "--format", "text", "--data", str(mini), timeout=20)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.exit_code == 1, result.stdout + result.stderr
    errors = [line for line in result.stdout.splitlines() if ": error " in line]
    assert len(errors) == 1, errors
    # where the source is named; a path the model refuses outright may be a schema finding (L003)
    assert "policies.yaml:8:" in errors[0]
    assert " error L009 " in errors[0] or " error L003 " in errors[0]
    everything = result.stdout + result.stderr
    assert SECRET not in everything
    passwd = [line for line in Path("/etc/passwd").read_text().splitlines() if len(line) > 8]
    assert not any(line in everything for line in passwd)


# --- 6. comparing with an old revision writes nothing outside a temporary folder -------------------------


def snapshot(*folders: Path) -> dict[str, tuple[int, int, str]]:
    """Every entry under the folders: (mode, mtime, digest of its bytes or link)."""
    seen: dict[str, tuple[int, int, str]] = {}
    for folder in folders:
        for path in [folder, *folder.rglob("*")]:
            info = os.lstat(path)
            if stat.S_ISREG(info.st_mode):
                body = hashlib.sha256(path.read_bytes()).hexdigest()
            elif stat.S_ISLNK(info.st_mode):
                body = os.readlink(path)
            else:
                body = ""
            seen[str(path)] = (info.st_mode, info.st_mtime_ns if not stat.S_ISDIR(info.st_mode) else 0, body)
    return seen


@pytest.fixture
def history(repo: Path) -> Path:
    """Two commits of data after the first: an entry, and an old revision whose files lead outside."""
    root = repo.parent
    git(root, "tag", "first")
    targets = repo / "targets.yaml"
    quote = "    quote: 2023年力争全市新增制造业中长期贷款40亿元以上\n"
    entry = "    progress:\n      - as_of: 2023-06-30\n        value: 23.5\n        unit: 亿元\n"
    targets.write_text(targets.read_text(encoding="utf-8").replace(quote, quote + entry, 1), encoding="utf-8")
    git(root, "commit", "-qam", "progress(17.1): 23.5亿元 as of 2023-06-30")
    # a hostile old revision: a data file that is a link to /etc/passwd, a source that leads outside
    git(root, "checkout", "-q", "-b", "hostile", "first")
    (repo / "budgets.yaml").unlink()
    (repo / "budgets.yaml").symlink_to("/etc/passwd")
    (repo / "source" / "lezhengfa-2023-6.txt").unlink()
    (repo / "source" / "lezhengfa-2023-6.txt").symlink_to("../../../outside.txt")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "hostile")
    git(root, "tag", "hostile")
    git(root, "checkout", "-q", "main")
    assert not (repo / "budgets.yaml").is_symlink()
    return repo


@pytest.mark.parametrize(
    "command",
    [
        ["report", "--as-of", "2023-07-01", "--since", "first"],
        ["report", "--as-of", "2023-07-01", "--since", "hostile"],
        ["validate", "--format", "text", "--changed-since", "first"],
        ["validate", "--format", "text", "--changed-since", "hostile"],
    ],
    ids=["report-since-rev", "report-since-hostile-rev", "validate-changed-since", "validate-hostile"],
)
def test_comparing_with_a_revision_writes_nothing_outside_a_temporary_folder(
    history: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    root = history.parent
    (tmp_path.parent / "outside.txt").write_text(SECRET + "\n", encoding="utf-8")
    work = tmp_path / "cwd"
    work.mkdir()
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("TMPDIR", str(temporary))
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    before = snapshot(root, work)
    result = invoke(*command, "--data", str(history))
    assert "Traceback" not in result.stderr, result.stderr
    assert result.exit_code in (0, 1), result.stderr
    after = snapshot(root, work)
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    assert changed == []
    assert list(temporary.iterdir()) == []  # whatever went to the temporary folder went away again
    everything = result.stdout + result.stderr
    assert SECRET not in everything
    passwd = [line for line in Path("/etc/passwd").read_text().splitlines() if len(line) > 8]
    assert not any(line in everything for line in passwd)


def test_an_old_revision_linking_a_data_file_outside_is_not_read_through_the_link(history: Path) -> None:
    """The link's target is never followed: the old budgets.yaml is the link, not /etc/passwd."""
    shown = subprocess.run(
        ["git", "show", "hostile:data/budgets.yaml"], cwd=history.parent, capture_output=True, check=True
    ).stdout
    assert shown == b"/etc/passwd"  # what git holds; what the comparison must read
    result = invoke("report", "--as-of", "2023-07-01", "--since", "hostile", "--data", str(history))
    assert result.exit_code == 0, result.stderr
    assert "root:" not in result.stdout
