"""The cache of loaded records is invisible: same output and exit codes with or without it, a pure
function of the files' bytes and the code, never patched, safe to delete or damage at any moment."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from policy_ledger import cache, loader
from policy_ledger.cli import app

from .conftest import BAD

runner = CliRunner()
COMMANDS = [
    ["show", "17", "--as-of", "2023-06-30"],
    ["show", "1", "-f", "json", "--as-of", "2023-06-30"],
    ["status", "--as-of", "2023-06-30", "--area", "3"],
    ["query", "targets", "--lead", "经信", "-f", "csv", "--as-of", "2023-06-30"],
    ["report", "--as-of", "2023-06-30", "--area", "2"],
    ["budgets", "--unit", "万元"],
]


pytestmark = pytest.mark.usefixtures("fixed_terminal")


def outputs(data: Path) -> list[tuple[int, str, str]]:
    results = []
    for command in COMMANDS:
        result = runner.invoke(app, [*command, "--data", str(data)])
        results.append((result.exit_code, result.stdout, result.stderr))
    return results


def entries(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.glob("*.json")}


def test_same_output_with_and_without_the_cache(
    real: Path, private_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LEDGER_NO_CACHE", "1")
    without = outputs(real)
    assert cache.folder() is None and entries(private_cache) == {}
    monkeypatch.delenv("LEDGER_NO_CACHE")
    cold = outputs(real)  # fills the cache
    assert len(entries(private_cache)) == 1

    def no_parsing(*args: object) -> None:
        raise AssertionError("a warm cache must answer without reading the YAML")

    monkeypatch.setattr(loader, "_load_file", no_parsing)
    warm = outputs(real)  # answered from it
    assert without == cold == warm
    assert all(code == 0 for code, _, _ in warm)


def test_validate_neither_reads_nor_fills_the_cache(
    mini: Path, private_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner.invoke(app, ["validate", "--data", str(mini)])
    assert entries(private_cache) == {}
    runner.invoke(app, ["show", "1", "--data", str(mini)])  # fills it
    monkeypatch.setattr(cache, "read", lambda *args: pytest.fail("validate read the cache"))
    assert runner.invoke(app, ["validate", "--data", str(mini)]).exit_code == 0


def test_bad_data_is_never_cached(mini: Path, private_cache: Path) -> None:
    for path in (BAD / "L003-string-amount").iterdir():
        (mini / path.name).write_bytes(path.read_bytes())
    runner.invoke(app, ["show", "1", "--data", str(mini)])
    assert entries(private_cache) == {}


def test_an_edit_within_the_same_second_is_seen(mini: Path, private_cache: Path) -> None:
    path = mini / "budgets.yaml"
    assert runner.invoke(app, ["budgets", "--data", str(mini)]).exit_code == 0  # fills the cache
    stat = path.stat()
    text = path.read_text(encoding="utf-8")
    edited = text.replace("amount: 1.3\n", "amount: 1.4\n")  # same size, same line count
    assert len(edited) == len(text)
    path.write_text(edited, encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same modification time as before
    result = runner.invoke(app, ["budgets", "-f", "csv", "--data", str(mini)])
    assert "1.4" in result.stdout


def test_cache_is_json_outside_the_working_tree_named_by_its_key(mini: Path, private_cache: Path) -> None:
    before = sorted(p.name for p in mini.rglob("*"))
    runner.invoke(app, ["show", "1", "--data", str(mini)])
    assert sorted(p.name for p in mini.rglob("*")) == before
    (stored,) = list(private_cache.glob("*.json"))
    digests = {
        name: cache.digest(raw) for name, raw in loader.read_files(mini).items() if isinstance(raw, bytes)
    }
    assert stored.name == f"{cache.key(digests)}.json"
    head, _, body = stored.read_bytes().partition(b"\n")
    header = json.loads(head)  # JSON, never pickle: a header line, then one JSON chunk per document
    offset, length, checksum = header["chunks"]["lezhengfa-2023-6"]
    chunk = body[offset : offset + length]
    assert cache.digest(chunk) == checksum and set(json.loads(chunk)) >= {"targets", "budgets"}
    assert "L0" not in chunk.decode()  # records only: no findings are ever stored


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: b"{ not json",
        lambda raw: raw[: len(raw) // 2],
        lambda raw: raw.replace(b'"chunks":{"lezhengfa-2023-6":[0,', b'"chunks":{"lezhengfa-2023-6":[7,'),
        lambda raw: b'{"chunks": {"lezhengfa-2023-6": [0, 2, "x"]}}\n[]',
        lambda raw: b'{"chunks": []}\n',
        lambda raw: b"",
    ],
    ids=["garbage", "truncated", "wrong-offset", "wrong-checksum", "wrong-shape", "empty"],
)
def test_a_damaged_cache_is_a_miss(mini: Path, private_cache: Path, damage: Any) -> None:
    clean = runner.invoke(app, ["show", "1", "--data", str(mini)])
    (stored,) = list(private_cache.glob("*.json"))
    stored.write_bytes(damage(stored.read_bytes()))
    result = runner.invoke(app, ["show", "1", "--data", str(mini)])
    assert (result.exit_code, result.stdout, result.stderr) == (clean.exit_code, clean.stdout, clean.stderr)


def test_deleting_the_cache_folder_is_harmless(mini: Path, private_cache: Path) -> None:
    first = runner.invoke(app, ["show", "1", "--data", str(mini)])
    shutil.rmtree(private_cache)
    second = runner.invoke(app, ["show", "1", "--data", str(mini)])
    assert first.stdout == second.stdout and second.exit_code == 0


def test_a_progress_write_never_patches_an_entry(mini: Path, private_cache: Path) -> None:
    """The writer reads the cache at most once and adds a whole new entry for the bytes it wrote."""
    runner.invoke(app, ["show", "1", "--data", str(mini)])  # fill the cache
    before = entries(private_cache)
    add = [
        "progress",
        "add",
        "2.1",
        "--value",
        "6",
        "--as-of",
        "2023-07-31",
        "--no-commit",
        "--data",
        str(mini),
    ]
    assert runner.invoke(app, add).exit_code == 0
    runner.invoke(app, ["show", "1", "--data", str(mini)])  # a new entry for the new bytes
    after = entries(private_cache)
    assert {name: after[name] for name in before} == before  # untouched
    assert len(after) == len(before) + 1
    shown = runner.invoke(app, ["progress", "list", "--data", str(mini)])
    assert "2023-07-31" in shown.stdout


def test_old_entries_are_pruned(mini: Path, private_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "KEEP", 2)
    path = mini / "budgets.yaml"
    for n in range(4):
        path.write_text(path.read_text(encoding="utf-8") + f"# edit {n}\n", encoding="utf-8")
        runner.invoke(app, ["show", "1", "--data", str(mini)])
    assert len(entries(private_cache)) == 2


def test_a_change_to_the_code_invalidates_the_cache(
    mini: Path, private_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    digests = {
        name: cache.digest(raw) for name, raw in loader.read_files(mini).items() if isinstance(raw, bytes)
    }
    before = cache.key(digests)
    monkeypatch.setattr(cache, "_code_fingerprint", lambda: "another version of the models")
    assert cache.key(digests) != before


def test_default_cache_folder_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("LEDGER_CACHE_DIR", raising=False)
    monkeypatch.delenv("LEDGER_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.folder() == tmp_path / "xdg" / "policy-ledger"


def test_no_home_directory_means_no_cache(monkeypatch: pytest.MonkeyPatch, mini: Path) -> None:
    monkeypatch.delenv("LEDGER_CACHE_DIR", raising=False)
    monkeypatch.delenv("LEDGER_NO_CACHE", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)

    def no_home() -> str:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr("platformdirs.user_cache_dir", lambda *a, **k: no_home())
    assert cache.folder() is None
    assert runner.invoke(app, ["show", "1", "--data", str(mini)]).exit_code == 0
