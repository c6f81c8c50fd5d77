"""The file layer: compare-and-swap replacement, regular-file reads, confined paths, safe outputs."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from policy_ledger import fileio


def test_replace_writes_when_the_file_is_as_read(tmp_path: Path) -> None:
    path = tmp_path / "targets.yaml"
    path.write_bytes(b"old\n")
    fileio.replace_if_unchanged(path, b"old\n", b"new\n")
    assert path.read_bytes() == b"new\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["targets.yaml"]


def test_replace_refuses_when_the_file_changed_since_it_was_read(tmp_path: Path) -> None:
    path = tmp_path / "targets.yaml"
    path.write_bytes(b"theirs\n")
    with pytest.raises(fileio.Changed):
        fileio.replace_if_unchanged(path, b"old\n", b"new\n")
    assert path.read_bytes() == b"theirs\n"


def test_a_save_in_the_last_instant_before_the_swap_is_put_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An editor that saves (write and rename) after the check and before the swap: the swap shows
    it, the editor's file goes back in place, and the writer is told to start over."""
    path = tmp_path / "targets.yaml"
    path.write_bytes(b"old\n")
    real_exchange = fileio._exchange
    calls: list[int] = []

    def editor_saves_first(first: Path, second: Path) -> Any:
        if not calls:
            saved = tmp_path / ".editor.tmp"
            saved.write_bytes(b"editor's save\n")
            os.replace(saved, path)
        calls.append(1)
        return real_exchange(first, second)

    monkeypatch.setattr(fileio, "_exchange", editor_saves_first)
    with pytest.raises(fileio.Changed):
        fileio.replace_if_unchanged(path, b"old\n", b"new\n")
    assert path.read_bytes() == b"editor's save\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["targets.yaml"]


def test_replace_goes_through_a_symbolic_link(tmp_path: Path) -> None:
    real = tmp_path / "real.yaml"
    real.write_bytes(b"old\n")
    link = tmp_path / "targets.yaml"
    link.symlink_to(real)
    fileio.replace_if_unchanged(link, b"old\n", b"new\n")
    assert link.is_symlink() and real.read_bytes() == b"new\n"


def test_read_regular_refuses_what_is_not_a_regular_file(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for path in (fifo, tmp_path, Path("/dev/zero")):
        with pytest.raises(fileio.FileRefused, match="not a regular file"):
            fileio.read_regular(path, 1024)
    big = tmp_path / "big"
    big.write_bytes(b"x" * 2048)
    with pytest.raises(fileio.FileRefused, match="over the"):
        fileio.read_regular(big, 1024)


@pytest.mark.parametrize("relative", ["/etc/passwd", "../outside.txt", "source/../../x", "", "  "])
def test_confined_refuses_paths_that_leave_the_folder(tmp_path: Path, relative: str) -> None:
    with pytest.raises(fileio.FileRefused):
        fileio.confined(tmp_path, relative)


def test_confined_refuses_a_link_that_leads_outside(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "source").symlink_to("/etc")
    with pytest.raises(fileio.FileRefused, match="outside the data folder"):
        fileio.confined(tmp_path / "data", "source/passwd")
