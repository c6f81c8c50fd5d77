"""Hostile input to the reader and to the cache: one line naming file and line, never a traceback or a
hang, and never an answer that differs from what the data says.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
import traceback
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from policy_ledger import cache
from policy_ledger.cli import app

from .conftest import REAL_DATA, new_repository

runner = CliRunner()


def invoke(*args: str, timeout: float = 20, unblock: Path | None = None) -> Result:
    """The CLI in a thread with a watchdog. A command still running after ``timeout`` fails the test;
    ``unblock`` is a FIFO whose write end is then opened, so that a reader stuck on it can finish."""
    box: list[Result] = []
    worker = threading.Thread(target=lambda: box.append(runner.invoke(app, list(args))), daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        if unblock is not None:
            os.close(os.open(unblock, os.O_WRONLY | os.O_NONBLOCK))
            worker.join(timeout)
        raise AssertionError(f"ledger {' '.join(args)} was still running after {timeout} s (blocked)")
    result = box[0]
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(
            "the command ended in a traceback:\n" + "".join(traceback.format_exception(result.exception))
        )
    return result


# --- 7. the reader --------------------------------------------------------------------------------------

#: mini/targets.yaml has 61 lines: a record appended starts on line 62.
NEXT = 62


def nested_flow(depth: int) -> str:
    return '  - id: "9.9"\n    what: ' + "[" * depth + "x" + "]" * depth + "\n"


def nested_block(depth: int) -> str:
    lines = ['  - id: "9.9"', "    what:"]
    lines += ["      " + "  " * level + f"k{level}:" for level in range(depth)]
    return "\n".join(lines) + "\n" + "      " + "  " * depth + "leaf\n"


ALIAS_BOMB = '  - id: "9.9"\n    what: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n' + "".join(
    f"    w{i}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8)
)

#: name: (text appended to targets.yaml, or a function of its text; first line the finding may name,
#: last line it may name)
HOSTILE_YAML = {
    "complex key": ("  - ? [a, b]\n    : c\n", NEXT, NEXT + 1),
    "YAML 1.3 directive": (lambda text: "%YAML 1.3\n---\n" + text, 1, 2),
    "merge key": ('  - &x {id: "9.9", what: y}\n  - <<: *x\n    measure: 3\n', NEXT, NEXT + 2),
    "python object tag": ('  - id: !!python/object:os.system "touch PWNED"\n', NEXT, NEXT),
    "python apply tag": ('  - id: !!python/object/apply:os.system ["touch PWNED"]\n', NEXT, NEXT),
    "custom tag": ('  - id: "9.9"\n    what: !include /etc/passwd\n', NEXT, NEXT + 1),
    "60 levels in flow style": (nested_flow(60), NEXT, NEXT + 1),
    "60 levels in block style": (nested_block(60), NEXT, NEXT + 62),
    "100000 levels in flow style": (nested_flow(100_000), NEXT, NEXT + 1),
    "alias bomb": (ALIAS_BOMB, NEXT, NEXT + 9),
}


@pytest.mark.parametrize("name", list(HOSTILE_YAML))
def test_hostile_yaml_is_one_l001_line_naming_file_and_line(
    mini: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.chdir(mini.parent)  # a tag that ran `touch PWNED` would leave the file here
    change, first, last = HOSTILE_YAML[name]
    path = mini / "targets.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count("\n") == NEXT - 1
    path.write_text(change(text) if callable(change) else text + change, encoding="utf-8")
    result = invoke("validate", "--format", "text", "--data", str(mini))
    assert result.exit_code == 1, result.stdout
    errors = [line for line in result.stdout.splitlines() if ": error " in line]
    assert len(errors) == 1, errors
    where, _, finding = errors[0].partition(": error ")
    assert finding.startswith("L001 ")
    file, line, _column = where.rsplit(":", 2)
    assert file.endswith("targets.yaml") and first <= int(line) <= last, errors[0]
    assert not (mini.parent / "PWNED").exists()


def make_not_a_file(path: Path, kind: str, elsewhere: Path) -> None:
    path.unlink()
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "directory":
        path.mkdir()
        (path / "targets.yaml").write_text("targets: []\n", encoding="utf-8")
    elif kind == "link to /dev/zero":
        path.symlink_to("/dev/zero")
    elif kind == "link to a fifo":
        os.mkfifo(elsewhere)
        path.symlink_to(elsewhere)
    elif kind == "link to itself":
        path.symlink_to(path.name)
    else:
        raise AssertionError(kind)


@pytest.mark.parametrize(
    "kind", ["fifo", "directory", "link to /dev/zero", "link to a fifo", "link to itself"]
)
def test_a_data_file_that_is_not_a_file_is_one_l001_line(mini: Path, kind: str) -> None:
    make_not_a_file(mini / "targets.yaml", kind, mini.parent / "pipe")
    result = invoke("validate", "--format", "text", "--data", str(mini))
    assert result.exit_code == 1, result.stdout
    errors = [line for line in result.stdout.splitlines() if ": error " in line]
    assert len(errors) == 1, errors
    assert "targets.yaml:1:" in errors[0] and ": error L001 " in errors[0]


@pytest.mark.parametrize("kind", ["fifo", "directory"])
def test_a_write_to_a_data_file_that_is_not_a_file_is_refused_in_one_line(mini: Path, kind: str) -> None:
    make_not_a_file(mini / "targets.yaml", kind, mini.parent / "pipe")
    result = invoke("progress", "add", "3.1", "--value", "1", "--as-of", "2023-06-30", "--no-commit",
                    "--data", str(mini))  # fmt: skip
    assert result.exit_code != 0 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "targets.yaml" in result.stderr


# --- 8. the cache -----------------------------------------------------------------------------------------

SHOW = ["show", "17", "--as-of", "2023-06-30"]


@pytest.fixture(scope="module")
def truth(tmp_path_factory: pytest.TempPathFactory) -> str:
    """`ledger show 17` as the data says it, read with no cache at all (once: the data is the same copy
    in every test)."""
    data = tmp_path_factory.mktemp("truth") / "data"
    shutil.copytree(REAL_DATA, data)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LEDGER_NO_CACHE", "1")
        result = invoke(*SHOW, "--data", str(data))
    assert result.exit_code == 0 and "17.1" in result.stdout
    return result.stdout


def the_entry(folder: Path) -> Path:
    entries = list(folder.glob("*.json"))
    assert len(entries) == 1, entries
    return entries[0]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def rebuilt(good: bytes, change: object) -> bytes:
    """An entry whose checksums all agree with its content, but whose content ``change`` rewrote."""
    head, body = good.split(b"\n", 1)
    chunks = json.loads(head)["chunks"]
    new_body, new_chunks = b"", {}
    for name, (offset, length, _checksum) in chunks.items():
        content = change(json.loads(body[offset : offset + length]))  # type: ignore[operator]
        chunk = json.dumps(content, ensure_ascii=False).encode()
        new_chunks[name] = [len(new_body), len(chunk), sha256(chunk)]
        new_body += chunk
    return json.dumps({"chunks": new_chunks}).encode() + b"\n" + new_body


def shifted_offsets(good: bytes) -> bytes:
    head, body = good.split(b"\n", 1)
    chunks = json.loads(head)["chunks"]
    moved = {name: [offset + 7, length, checksum] for name, (offset, length, checksum) in chunks.items()}
    return json.dumps({"chunks": moved}).encode() + b"\n" + body


def first_target_without_fields(lists: dict) -> dict:  # type: ignore[type-arg]
    first = lists["targets"][0]
    return {**lists, "targets": [[*first[:4], {"id": first[4]["id"]}], *lists["targets"][1:]]}


DAMAGE = {
    "offsets shifted": shifted_offsets,
    "truncated to half": lambda good: good[: len(good) // 2],
    "empty": lambda good: b"",
    "garbage JSON": lambda good: b"{chunks: [1, 2,,\n\x00\xff garbage",
    "header is a list": lambda good: b"[1, 2, 3]\n" + good.split(b"\n", 1)[1],
    "chunk is not a triple": lambda good: (
        b'{"chunks": {"lezhengfa-2023-6": "x"}}\n' + good.split(b"\n", 1)[1]
    ),
    "records are not lists": lambda good: rebuilt(good, lambda lists: {key: 5 for key in lists}),
    "a list left out": lambda good: rebuilt(
        good, lambda lists: {k: v for k, v in lists.items() if k != "targets"}
    ),
    "a record without its fields": lambda good: rebuilt(good, first_target_without_fields),
    "a record with a wrong place": lambda good: rebuilt(
        good, lambda lists: {**lists, "targets": [["x", None, "y", {}, [], {}] for _ in lists["targets"]]}
    ),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_cache_entry_never_changes_the_answer(
    real: Path, truth: str, private_cache: Path, damage: str
) -> None:
    assert invoke(*SHOW, "--data", str(real)).stdout == truth  # fills the cache
    entry = the_entry(private_cache)
    entry.write_bytes(DAMAGE[damage](entry.read_bytes()))
    result = invoke(*SHOW, "--data", str(real))
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout == truth
    again = invoke(*SHOW, "--data", str(real))  # and whatever the first read left, the next one too
    assert again.exit_code == 0 and again.stdout == truth


@pytest.mark.parametrize("kind", ["fifo", "directory", "link to a missing file"])
def test_a_cache_entry_that_is_not_a_file_is_a_miss(
    real: Path, truth: str, private_cache: Path, kind: str
) -> None:
    invoke(*SHOW, "--data", str(real))
    entry = the_entry(private_cache)
    entry.unlink()
    if kind == "fifo":
        os.mkfifo(entry)
    elif kind == "directory":
        entry.mkdir()
    else:
        entry.symlink_to(private_cache / "gone.json")
    result = invoke(*SHOW, "--data", str(real), timeout=5, unblock=entry if kind == "fifo" else None)
    assert result.exit_code == 0 and result.stdout == truth


@pytest.mark.parametrize("moment", ["before the read", "before the write"])
def test_deleting_the_cache_folder_midway_is_harmless(
    real: Path, truth: str, private_cache: Path, monkeypatch: pytest.MonkeyPatch, moment: str
) -> None:
    name = "read" if moment == "before the read" else "write"
    real_function = getattr(cache, name)

    def folder_deleted_first(*args: object, **kwargs: object) -> object:
        shutil.rmtree(private_cache, ignore_errors=True)
        return real_function(*args, **kwargs)

    monkeypatch.setattr(cache, name, folder_deleted_first)
    result = invoke(*SHOW, "--data", str(real))
    assert result.exit_code == 0 and result.stdout == truth and result.stderr == ""
    monkeypatch.undo()
    assert invoke(*SHOW, "--data", str(real)).stdout == truth


def test_a_cache_folder_that_is_a_file_is_harmless(
    real: Path, truth: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("keep me\n", encoding="utf-8")
    monkeypatch.setenv("LEDGER_CACHE_DIR", str(blocker))
    result = invoke(*SHOW, "--data", str(real))
    assert result.exit_code == 0 and result.stdout == truth
    assert blocker.read_text(encoding="utf-8") == "keep me\n"


def cache_state(folder: Path) -> dict[str, tuple[int, str]]:
    return {p.name: (p.stat().st_mtime_ns, sha256(p.read_bytes())) for p in folder.iterdir()}


@pytest.mark.parametrize("warm", [True, False], ids=["warm cache", "cold cache"])
def test_a_progress_write_adds_at_most_one_cache_entry_and_changes_none(
    real: Path, private_cache: Path, warm: bool
) -> None:
    new_repository(real.parent)
    if warm:  # an entry for the data as it is, and one for an earlier version of budgets.yaml
        budgets = real / "budgets.yaml"
        committed = budgets.read_bytes()
        budgets.write_bytes(committed + "# 旧版\n".encode())
        invoke(*SHOW, "--data", str(real))
        budgets.write_bytes(committed)
        invoke(*SHOW, "--data", str(real))
        assert len(cache_state(private_cache)) == 2
    before = cache_state(private_cache)
    result = invoke(
        "progress", "add", "17.1", "--value", "23.5", "--as-of", "2023-06-30", "--data", str(real)
    )
    assert result.exit_code == 0, result.stderr
    after = cache_state(private_cache)
    assert {name: after.get(name) for name in before} == before  # none changed, none removed
    assert len(after.keys() - before.keys()) <= 1
