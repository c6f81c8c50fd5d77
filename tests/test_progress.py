"""Recording progress: checked before written, atomic, exclusive, verified, committed alone."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from policy_ledger import progress as progress_module
from policy_ledger import writes
from policy_ledger.loader import load_ledger
from policy_ledger.models import ProgressEntry
from policy_ledger.problems import LedgerError
from policy_ledger.progress import ProgressRefused, ProgressRequest, find_owner, record_progress
from policy_ledger.validation import check_ledger, validate_data

from .conftest import ROOT, TODAY, git, new_repository


@pytest.fixture
def repo(real: Path) -> Path:
    """The real data in a fresh git repository with its own author identity; returns the data dir."""
    new_repository(real.parent)
    return real


def add(
    data: Path, record: str, as_of: str = "2023-06-30", **kwargs: object
) -> progress_module.ProgressResult:
    commit = bool(kwargs.pop("commit", True))
    dry_run = bool(kwargs.pop("dry_run", False))
    request = ProgressRequest(record, as_of, **kwargs)  # type: ignore[arg-type]
    return record_progress(data, request, commit=commit, dry_run=dry_run, today=TODAY)


def only_added_lines(before: str, after: str) -> list[str]:
    """The lines ``after`` inserts into ``before`` at one place; fails if anything else changed."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    start = next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), len(old))
    inserted = len(new) - len(old)
    assert inserted > 0
    assert new[:start] == old[:start] and new[start + inserted :] == old[start:], "other lines changed"
    return [line.rstrip("\r\n") for line in new[start : start + inserted]]


def test_entry_is_appended_and_committed_alone(repo: Path) -> None:
    before = (repo / "targets.yaml").read_text(encoding="utf-8")
    result = add(repo, "17.1", value="23.5亿元", note="上半年累计", source="市经信局")
    after = (repo / "targets.yaml").read_text(encoding="utf-8")
    assert only_added_lines(before, after) == [
        "    progress:",
        "      - as_of: 2023-06-30",
        "        value: 23.5",
        "        unit: 亿元",
        "        note: 上半年累计",
        "        source: 市经信局",
    ]
    assert result.message == "progress(17.1): 23.5亿元 as of 2023-06-30"
    assert git(repo.parent, "log", "-1", "--format=%s").strip() == result.message
    assert git(repo.parent, "show", "--name-only", "--format=", "HEAD").split() == ["data/targets.yaml"]
    assert git(repo.parent, "status", "--porcelain") == ""


def test_second_entry_goes_after_the_first_and_before_the_next_records_comment(repo: Path) -> None:
    add(repo, "20.4", value="10")  # the last target of measure 20: a comment block follows it
    before = (repo / "targets.yaml").read_text(encoding="utf-8")
    add(repo, "20.4", "2023-09-30", value="20")
    after = (repo / "targets.yaml").read_text(encoding="utf-8")
    assert only_added_lines(before, after) == [
        "      - as_of: 2023-09-30",
        "        value: 20",
        "        unit: 名",
    ]
    block = after[after.index('  - id: "20.4"') : after.index('  - id: "A4.1"')]
    assert block.rstrip().endswith("        unit: 名\n\n  # 四、现代服务业高质量发展政策 — 领域目标".rstrip())


def test_milestone_takes_a_status_and_allocation_a_disbursement(repo: Path) -> None:
    add(repo, "5.2", status="done")
    add(repo, "B21.3", value="1200", note="一季度")
    ledger, problems = load_ledger(repo)
    assert problems == []
    milestone = next(t for t in ledger.targets if t.id == "5.2")
    assert milestone.progress[0].status == "done"
    allocation = next(a for b in ledger.budgets for a in b.allocations if a.id == "B21.3")
    assert allocation.progress[0].value == Decimal(1200) and allocation.progress[0].unit == "万元"
    assert (
        git(repo.parent, "log", "-1", "--format=%s").strip()
        == "progress(B21.3): 1200万元 paid out as of 2023-06-30"
    )


@pytest.mark.parametrize(
    ("record", "kwargs", "message"),
    [
        ("17.9", {"value": "1"}, "no target, allocation or instrument '17.9'"),
        ("17.1", {"value": "abc"}, "--value 'abc' is not a number"),
        ("17.1", {"value": "235000万元"}, "is measured in 亿元, not 万元; 235000万元 is --value 23.5"),
        ("17.1", {"value": "23.5", "unit": "亩"}, "is measured in 亿元, not 亩"),
        ("17.1", {"value": "-1"}, "is negative"),
        ("5.2", {"value": "1"}, "is a milestone"),
        ("17.1", {"status": "done"}, "has a value to reach"),
        ("17.1", {}, "needs --value"),
    ],
)
def test_refusals_leave_the_file_untouched(
    repo: Path, record: str, kwargs: dict[str, object], message: str
) -> None:
    before = (repo / "targets.yaml").read_bytes()
    with pytest.raises(ProgressRefused) as refused:
        add(repo, record, **kwargs)
    assert message in refused.value.message
    assert refused.value.exit_code == 2
    assert (repo / "targets.yaml").read_bytes() == before


@pytest.mark.parametrize(
    ("as_of", "message"),
    [
        ("2023-02-30", "is not a real date"),
        ("30/06/2023", "the year comes last.*write 2023-06-30"),
        ("June", "is not a date"),
        ("2022-12-31", "before the policy period"),
        ("2027-01-01", "in the future"),  # TODAY is 2026-11-29
    ],
)
def test_dates_that_do_not_parse_or_lie_outside_the_period_are_refused(
    repo: Path, as_of: str, message: str
) -> None:
    before = (repo / "targets.yaml").read_bytes()
    with pytest.raises(ProgressRefused, match=message):
        add(repo, "17.1", as_of, value="1")
    assert (repo / "targets.yaml").read_bytes() == before


def test_far_after_the_deadline_is_refused(repo: Path) -> None:
    with pytest.raises(ProgressRefused, match="long after the deadline"):
        record_progress(repo, ProgressRequest("17.1", "2026-06-30", value="1"), today=date(2030, 1, 1))


def test_duplicate_date_needs_replace_which_keeps_note_and_source(repo: Path) -> None:
    add(repo, "17.1", value="23.5", note="上半年", source="月报")
    with pytest.raises(ProgressRefused, match="already has an entry as of 2023-06-30"):
        add(repo, "17.1", value="24")
    result = add(repo, "17.1", value="24", replace=True)
    assert result.message == "progress(17.1): 24亿元 as of 2023-06-30 (replaces 23.5亿元)"
    ledger, _ = load_ledger(repo)
    (entry,) = next(t for t in ledger.targets if t.id == "17.1").progress
    assert (entry.value, entry.note, entry.source) == (Decimal(24), "上半年", "月报")


def test_dry_run_prints_the_diff_and_writes_nothing(repo: Path) -> None:
    before = (repo / "targets.yaml").read_bytes()
    result = add(repo, "17.1", value="23.5", dry_run=True)
    assert (repo / "targets.yaml").read_bytes() == before
    assert "+    progress:\n+      - as_of: 2023-06-30\n+        value: 23.5\n" in result.diff
    assert result.diff.startswith("--- a/targets.yaml\n+++ b/targets.yaml\n@@ ")
    assert not result.written


def test_uncommitted_edits_are_refused_unless_no_commit(repo: Path) -> None:
    path = repo / "targets.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# a note in progress\n", encoding="utf-8")
    edited = path.read_bytes()
    with pytest.raises(ProgressRefused, match=r"uncommitted edits.*--no-commit"):
        add(repo, "17.1", value="1")
    assert path.read_bytes() == edited
    result = add(repo, "17.1", value="1", commit=False)
    assert result.commit is None and result.written
    assert path.read_text(encoding="utf-8").endswith("# a note in progress\n")


def test_outside_git_no_commit_works_and_the_default_says_how(real: Path) -> None:
    with pytest.raises(LedgerError, match=r"not in a git repository.*--no-commit"):
        add(real, "17.1", value="1")
    assert add(real, "17.1", value="1", commit=False).written


def test_a_commit_that_cannot_reach_the_branch_restores_the_file(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(writes, "RETRY_PAUSE_SECONDS", 0)
    branch = git(repo.parent, "symbolic-ref", "--short", "HEAD")
    (repo.parent / ".git" / "refs" / "heads" / f"{branch}.lock").write_text("held by another git command")
    before = (repo / "targets.yaml").read_bytes()
    with pytest.raises(ProgressRefused, match="could not be added to the branch"):
        add(repo, "17.1", value="1")
    assert (repo / "targets.yaml").read_bytes() == before
    (repo.parent / ".git" / "refs" / "heads" / f"{branch}.lock").unlink()
    assert git(repo.parent, "status", "--porcelain") == ""


def test_hooks_do_not_run_so_nothing_rides_along(repo: Path) -> None:
    """The commit is built from the bytes written; a hook that stages other files has no say in it."""
    hook = repo.parent / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho extra >> data/policies.yaml\ngit add data/policies.yaml\nexit 1\n")
    hook.chmod(0o755)
    add(repo, "17.1", value="1")
    assert git(repo.parent, "show", "--name-only", "--format=", "HEAD") == "data/targets.yaml"
    assert git(repo.parent, "status", "--porcelain") == ""


def test_merge_in_progress_is_refused(repo: Path) -> None:
    (repo.parent / ".git" / "MERGE_HEAD").write_text(git(repo.parent, "rev-parse", "HEAD"))
    with pytest.raises(ProgressRefused, match="middle of a merge"):
        add(repo, "17.1", value="1")


def test_crlf_file_keeps_its_line_endings(repo: Path) -> None:
    path = repo / "budgets.yaml"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    git(repo.parent, "commit", "-qam", "crlf")
    before = path.read_bytes()
    add(repo, "B1.1", value="5")
    after = path.read_bytes()
    assert b"\r\n" in after and after.count(b"\n") == after.count(b"\r\n")
    assert after.startswith(before[: before.index(b"      - id: B1.2")])
    assert validate_data(repo, today=TODAY).errors == []


def test_an_editor_saving_meanwhile_makes_the_write_start_over(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = repo / "targets.yaml"
    real_edit = progress_module._edit
    calls = []

    def editor_saves_once(*args: Any) -> Any:
        if not calls:
            path.write_text(path.read_text(encoding="utf-8").replace("# Targets of", "# The targets of", 1))
            git(repo.parent, "commit", "-qam", "editor")
        calls.append(1)
        return real_edit(*args)

    monkeypatch.setattr(progress_module, "_edit", editor_saves_once)
    add(repo, "17.1", value="1")
    text = path.read_text(encoding="utf-8")
    assert len(calls) == 2
    assert text.splitlines()[1].startswith("# The targets of") and "        value: 1\n" in text


def test_a_file_changed_right_after_the_write_is_not_committed(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from policy_ledger import fileio

    real_replace = fileio.replace_if_unchanged

    def and_then_someone_writes(path: Path, expected: bytes, new: bytes) -> None:
        real_replace(path, expected, new)
        path.write_bytes(expected + b"# another program\n")

    monkeypatch.setattr(fileio, "replace_if_unchanged", and_then_someone_writes)
    head = git(repo.parent, "rev-parse", "HEAD")
    with pytest.raises(ProgressRefused, match="changed by another program just after"):
        add(repo, "17.1", value="1")
    assert git(repo.parent, "rev-parse", "HEAD") == head
    assert (repo / "targets.yaml").read_bytes().endswith(b"# another program\n")


@pytest.mark.slow  # each race two writers meet has its own test in test_write_protocol; bench/stress.py
def test_two_concurrent_writers_both_land(repo: Path) -> None:
    script = (
        "import sys; from datetime import date; from pathlib import Path\n"
        "from policy_ledger.progress import ProgressRequest, record_progress\n"
        "for day in sys.argv[3:]:\n"
        "    request = ProgressRequest(sys.argv[2], day, value='1')\n"
        "    record_progress(Path(sys.argv[1]), request, today=date(2026, 11, 29))\n"
    )
    days = [f"2023-{month:02d}-28" for month in range(1, 7)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(repo), record, *days], env=env, stderr=subprocess.PIPE
        )
        for record in ("17.1", "17.2")
    ]
    for writer in writers:
        _, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err.decode()
    ledger, problems = load_ledger(repo)
    assert problems == []
    for record in ("17.1", "17.2"):
        target = next(t for t in ledger.targets if t.id == record)
        assert [e.as_of.isoformat() for e in target.progress] == days
    subjects = git(repo.parent, "log", "--format=%s").splitlines()
    assert sum(s.startswith("progress(") for s in subjects) == 12
    assert git(repo.parent, "status", "--porcelain") == ""


@pytest.mark.slow
def test_every_record_of_the_real_data_takes_an_entry_without_touching_other_lines(real: Path) -> None:
    """The round-trip guarantee, on all 164 targets and 38 allocations, not on one."""
    from policy_ledger.loader import read_files

    def entry_for(owner: Any) -> ProgressEntry:
        return ProgressEntry(
            as_of=date(2023, 6, 30),
            value=None if owner.milestone else Decimal("0.1"),
            unit=None if owner.milestone else owner.unit,
            status="in_progress" if owner.milestone else None,
            note="上半年: 进展顺利 # 注",
        )

    for filename, kind in (("targets.yaml", "targets"), ("budgets.yaml", "allocations")):
        ledger, _ = load_ledger(real, use_cache=False)
        ids = (
            [t.id for t in ledger.targets]
            if kind == "targets"
            else [a.id for b in ledger.budgets for a in b.allocations]
        )
        for record in reversed(ids):  # from the end of the file, so earlier records keep their lines
            owner = find_owner(ledger, record)
            text = (real / filename).read_text(encoding="utf-8")
            edited = progress_module._edit(text, owner, entry_for(owner), None).text
            added = [line.strip() for line in only_added_lines(text, edited)]
            assert added[:2] == ["progress:", "- as_of: 2023-06-30"]
            (real / filename).write_text(edited, encoding="utf-8")
            if kind == "allocations":  # a budget grows with each allocation's entry: read its span again
                ledger, _ = load_ledger(real, files=read_files(real), use_cache=False)
    report = validate_data(real, today=TODAY)
    assert report.errors == [] and report.warnings == []
    reloaded, _ = load_ledger(real, use_cache=False)
    assert all(len(t.progress) == 1 for t in reloaded.targets)
    assert all(len(a.progress) == 1 for b in reloaded.budgets for a in b.allocations)
    note = next(t for t in reloaded.targets if t.id == "17.1").progress[0].note
    assert note == "上半年: 进展顺利 # 注"


@pytest.mark.parametrize(
    ("record", "value"),
    [("17.1", "1"), ("3.1", "1"), ("B1.2", "0.5"), ("A1.1", "100")],
)
def test_the_cache_entry_a_writer_leaves_equals_a_fresh_load(
    repo: Path, private_cache: Path, monkeypatch: pytest.MonkeyPatch, record: str, value: str
) -> None:
    """The writer derives the ledger of the bytes it wrote instead of parsing them again; the next
    command is answered from it, and it must be exactly what a fresh load of those bytes gives."""
    from policy_ledger import loader

    load_ledger(repo)  # a warm cache, as a person's earlier command leaves it
    add(repo, record, value=value, as_of="2023-06-30")
    add(repo, record, value=value, as_of="2023-06-30", replace=True, note="更正")
    fresh, problems = load_ledger(repo, use_cache=False)
    assert problems == []

    def no_parsing(*args: object) -> None:
        raise AssertionError("the entry the writer left should answer")

    monkeypatch.setattr(loader, "_load_file", no_parsing)
    cached, _ = load_ledger(repo)
    for kind in ("documents", "areas", "measures", "targets", "budgets", "instruments"):
        assert getattr(cached, kind) == getattr(fresh, kind), kind
        assert [r.place for r in getattr(cached, kind)] == [r.place for r in getattr(fresh, kind)], kind
    monkeypatch.undo()
    assert check_ledger(cached) == check_ledger(fresh)
