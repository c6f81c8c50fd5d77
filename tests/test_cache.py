"""The cache of validated data is invisible: same output and exit codes with or without it."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policy_ledger import cache, loader
from policy_ledger.cli import app

from .conftest import BAD

runner = CliRunner()
COMMANDS = [
    ["validate"],
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


def test_same_output_with_and_without_the_cache(real: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEDGER_NO_CACHE", "1")
    without = outputs(real)
    assert cache.cache_file(real) is None
    monkeypatch.delenv("LEDGER_NO_CACHE")
    cold = outputs(real)  # fills the cache
    path = cache.cache_file(real)
    assert path is not None and path.is_file()

    def no_parsing(*args: object) -> None:
        raise AssertionError("a warm cache must answer without reading the YAML")

    monkeypatch.setattr(loader, "_load_file", no_parsing)
    warm = outputs(real)  # answered from it
    assert without == cold == warm
    assert all(code == 0 for code, _, _ in warm)


def test_same_findings_from_the_cache_for_bad_data(mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for case in ("L012-allocations-do-not-sum", "L003-string-amount", "L001-unclosed-quote"):
        for path in (BAD / case).iterdir():
            (mini / path.name).write_bytes(path.read_bytes())
        filled = runner.invoke(app, ["show", "1", "--data", str(mini)])  # a read command fills the cache
        assert cache.read(mini, date.today()) is not None, filled.stderr
        first = runner.invoke(app, ["validate", "--data", str(mini)])  # and validate reads it
        second = runner.invoke(app, ["validate", "--data", str(mini)])
        monkeypatch.setenv("LEDGER_NO_CACHE", "1")
        uncached = runner.invoke(app, ["validate", "--data", str(mini)])
        monkeypatch.delenv("LEDGER_NO_CACHE")
        assert first.exit_code == second.exit_code == uncached.exit_code == 1
        assert first.stdout == second.stdout == uncached.stdout


def test_an_edit_within_the_same_second_is_seen(mini: Path) -> None:
    path = mini / "budgets.yaml"
    assert runner.invoke(app, ["validate", "--data", str(mini)]).exit_code == 0
    stat = path.stat()
    text = path.read_text(encoding="utf-8")
    edited = text.replace("amount: 1.3\n", "amount: 1.4\n")  # same size, same line count
    assert len(edited) == len(text)
    path.write_text(edited, encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same modification time as before
    result = runner.invoke(app, ["validate", "--data", str(mini)])
    assert result.exit_code == 1
    assert "allocations sum to 31.6亿元 but the total is 31.5亿元" in result.stdout


def test_a_changed_source_text_invalidates_the_cache(mini: Path) -> None:
    assert runner.invoke(app, ["validate", "--data", str(mini)]).exit_code == 0
    source = mini / "source" / "lezhengfa-2023-6.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("5000亩", "6000亩"), encoding="utf-8")
    result = runner.invoke(app, ["validate", "--data", str(mini)])
    assert result.exit_code == 1 and "target 3.1 quote is not in the source text" in result.stdout


def test_cache_is_json_outside_the_working_tree(mini: Path, private_cache: Path) -> None:
    before = sorted(p.name for p in mini.rglob("*"))
    runner.invoke(app, ["show", "1", "--data", str(mini)])
    assert sorted(p.name for p in mini.rglob("*")) == before
    (stored,) = list(private_cache.glob("*.json"))
    head, _, body = stored.read_bytes().partition(b"\n")
    header = json.loads(head)  # JSON, never pickle: a header line, then one JSON chunk per document
    assert header["version"].startswith(f"{cache.FORMAT}/") and header["documents"] == ["lezhengfa-2023-6"]
    offset, length = header["chunks"]["lezhengfa-2023-6"]
    assert set(json.loads(body[offset : offset + length])) >= {"targets", "budgets"}


def test_a_corrupt_cache_is_ignored_and_replaced(mini: Path, private_cache: Path) -> None:
    runner.invoke(app, ["show", "1", "--data", str(mini)])
    (stored,) = list(private_cache.glob("*.json"))
    stored.write_text("{ not json", encoding="utf-8")
    result = runner.invoke(app, ["validate", "--data", str(mini)])
    assert result.exit_code == 0 and result.stdout.splitlines()[-1].startswith("ok: ")
    assert runner.invoke(app, ["show", "1", "--data", str(mini)]).exit_code == 0
    json.loads(stored.read_bytes().partition(b"\n")[0])


def test_validate_reads_the_cache_but_does_not_fill_it(mini: Path, private_cache: Path) -> None:
    runner.invoke(app, ["validate", "--data", str(mini)])
    assert list(private_cache.glob("*.json")) == []


def test_cached_findings_name_files_relative_to_where_you_stand(
    mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (mini / "budgets.yaml").write_text(
        (mini / "budgets.yaml").read_text(encoding="utf-8").replace("total: 31.5", "total: 31.4"),
        encoding="utf-8",
    )
    monkeypatch.chdir(mini.parent)
    first = runner.invoke(app, ["validate", "--data", "data"])
    assert "data/budgets.yaml:6:5: error L012" in first.stdout
    monkeypatch.chdir(mini)
    second = runner.invoke(app, ["validate", "--data", "."])
    assert "\nbudgets.yaml:6:5: error L012" in "\n" + second.stdout


def test_default_cache_folder_follows_xdg(
    mini: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("LEDGER_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    path = cache.cache_file(mini)
    assert path is not None and path.parent == tmp_path / "xdg" / "policy-ledger"


def test_suppressions_apply_the_same_from_the_cache(mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = mini / "budgets.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "    total: 31.5\n", "    total: 31.4  # ledger: ignore[L012] 原文合计四舍五入\n"
    )
    path.write_text(
        text.replace("其他社会发展项目1.3亿元\n", "其他社会发展项目1.3亿元\n", 1), encoding="utf-8"
    )
    monkeypatch.setenv("LEDGER_NO_CACHE", "1")
    uncached = runner.invoke(app, ["validate", "--data", str(mini)])
    monkeypatch.delenv("LEDGER_NO_CACHE")
    runner.invoke(app, ["show", "1", "--data", str(mini)])  # fills the cache
    cached = runner.invoke(app, ["validate", "--data", str(mini)])
    assert cached.exit_code == uncached.exit_code and cached.stdout == uncached.stdout
    assert " L012 " not in cached.stdout  # silenced, in both
    assert " L010 " in cached.stdout  # 31.4 is still not what the quote says


def test_a_progress_write_keeps_the_cache_true(mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The writer updates the cache in place; findings below the record move with their lines."""
    path = mini / "targets.yaml"
    # a warning on a line after target 2.1, whose line number the entry below will move
    path.write_text(
        path.read_text(encoding="utf-8").replace("    commitment: firm\n", "    commitment: plain\n"),
        encoding="utf-8",
    )
    runner.invoke(app, ["show", "1", "--data", str(mini)])  # fill the cache
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

    def no_parsing(*args: object) -> None:
        raise AssertionError("the cache should be up to date after the write")

    with monkeypatch.context() as patched:
        patched.setattr(loader, "_load_file", no_parsing)
        cached = [runner.invoke(app, [*c, "--data", str(mini)]) for c in (["validate"], ["progress", "list"])]
    monkeypatch.setenv("LEDGER_NO_CACHE", "1")
    uncached = [runner.invoke(app, [*c, "--data", str(mini)]) for c in (["validate"], ["progress", "list"])]
    assert [(r.exit_code, r.stdout) for r in cached] == [(r.exit_code, r.stdout) for r in uncached]
    assert "warning L015 target 3.1" in cached[0].stdout and "2023-07-31" in cached[1].stdout


def test_a_change_to_the_code_invalidates_the_cache(mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runner.invoke(app, ["show", "1", "--data", str(mini)])
    assert cache.read(mini, date.today()) is not None
    monkeypatch.setattr(cache, "_version", lambda: "another version of the checks")
    assert cache.read(mini, date.today()) is None


def test_no_home_directory_means_no_cache(monkeypatch: pytest.MonkeyPatch, mini: Path) -> None:
    monkeypatch.delenv("LEDGER_CACHE_DIR")
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)

    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    assert cache.cache_file(mini) is None
    assert runner.invoke(app, ["show", "1", "--data", str(mini)]).exit_code == 0
