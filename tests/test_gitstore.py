"""git, asked by the ledger: changed lines, where a branch started, the ledger as it was.

Every test makes its own repository in a temporary folder, with its own user name and e-mail.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policy_ledger import gitstore
from policy_ledger.cli import app
from policy_ledger.problems import LedgerError, Severity
from policy_ledger.validation import validate_data

from .conftest import MINI, TODAY, delete_allocation_b17, git, new_repository


def commit_all(root: Path, message: str) -> str:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)
    return git(root, "rev-parse", "HEAD")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A ledger repository on branch main holding the small valid ledger, one commit deep."""
    root = tmp_path / "ledger"
    root.mkdir()
    shutil.copytree(MINI, root / "data")
    return new_repository(root, commit="Add the small ledger")


def test_changed_lines_are_the_new_sides_of_the_hunks(repo: Path) -> None:
    data = repo / "data"
    edit(data / "budgets.yaml", "    total: 31.5\n", "    total: 31.6\n")  # line 6
    with (data / "targets.yaml").open("a", encoding="utf-8") as handle:
        handle.write("  # 补充\n  # 说明\n")
    lines = (data / "targets.yaml").read_text(encoding="utf-8").count("\n")
    edit(data / "policies.yaml", "    # 除标明具体实施期限外", "    #")
    edit(data / "policies.yaml", "    area_count: 2\n", "")  # deleted: leaves no line behind
    (data / "notes.yaml").write_text("a: 1\n", encoding="utf-8")
    base = git(repo, "rev-parse", "HEAD")
    assert gitstore.changed_lines(repo, base, data) == {
        data / "budgets.yaml": {6},
        data / "targets.yaml": {lines - 1, lines},
        data / "policies.yaml": {9},
        data / "notes.yaml": None,
    }


def test_merge_base_is_where_the_branch_left_main(repo: Path) -> None:
    fork = git(repo, "rev-parse", "HEAD")
    git(repo, "checkout", "-q", "-b", "pr")
    edit(repo / "data" / "budgets.yaml", "    total: 31.5\n", "    total: 31.6\n")
    commit_all(repo, "Change a total")
    git(repo, "checkout", "-q", "main")
    edit(repo / "data" / "targets.yaml", "    value: 150\n", "    value: 151\n")
    commit_all(repo, "Main moves on")
    git(repo, "checkout", "-q", "pr")
    assert gitstore.merge_base(repo, "main") == fork


def test_unknown_revision_is_a_usage_error_in_one_line(repo: Path) -> None:
    with pytest.raises(gitstore.GitError) as caught:
        gitstore.merge_base(repo, "no-such-branch")
    assert caught.value.exit_code == 2
    assert caught.value.message.startswith("'no-such-branch' is not a commit of ")
    assert "\n" not in caught.value.message


def test_changed_since_outside_any_repository_is_a_usage_error(mini: Path) -> None:
    with pytest.raises(LedgerError, match="not inside a git repository; --changed-since needs one") as caught:
        validate_data(mini, TODAY, changed_since="main")
    assert caught.value.exit_code == 2


def test_export_tree_writes_the_ledger_as_it_was(repo: Path, tmp_path: Path) -> None:
    old = (repo / "data" / "budgets.yaml").read_text(encoding="utf-8")
    edit(repo / "data" / "budgets.yaml", "    total: 31.5\n", "    total: 31.6\n")
    exported = gitstore.export_tree(repo, "HEAD", repo / "data", tmp_path / "before")
    assert exported == tmp_path / "before" / "data"
    assert (exported / "budgets.yaml").read_text(encoding="utf-8") == old
    assert (exported / "source" / "lezhengfa-2023-6.txt").is_file()
    (repo / "later").mkdir()
    assert gitstore.export_tree(repo, "HEAD", repo / "later", tmp_path / "none") is None


@pytest.fixture
def branch_with_an_old_error(repo: Path) -> Path:
    """main holds a wrong value (L010 on targets.yaml line 34); branch pr starts from there."""
    edit(repo / "data" / "targets.yaml", "    value: 10\n", "    value: 12\n")
    commit_all(repo, "A mistake already on main")
    git(repo, "checkout", "-q", "-b", "pr")
    return repo / "data"


def test_changed_since_hides_findings_the_change_did_not_touch(branch_with_an_old_error: Path) -> None:
    data = branch_with_an_old_error
    edit(data / "targets.yaml", "    what: 供应建设用地\n", "    what: 供应建设用地面积\n")
    report = validate_data(data, TODAY, changed_since="main")
    assert report.problems == []
    assert [p.code for p in report.hidden if p.severity is Severity.ERROR] == ["L010"]
    assert report.summary().startswith("ok within the change: 1 document, 2 areas")
    assert report.summary().endswith("1 error outside the change not shown")
    assert [p.code for p in validate_data(data, TODAY).errors] == ["L010"]  # still there for a full run


def test_changed_since_shows_a_finding_on_a_touched_line(branch_with_an_old_error: Path) -> None:
    data = branch_with_an_old_error
    edit(data / "targets.yaml", "    value: 12\n", "    value: 13\n")
    report = validate_data(data, TODAY, changed_since="main")
    assert [(p.code, p.source.line) for p in report.problems] == [("L010", 34)]


def test_changed_since_shows_what_the_change_broke_on_lines_it_did_not_touch(
    branch_with_an_old_error: Path,
) -> None:
    data = branch_with_an_old_error
    delete_allocation_b17(data)  # lines 34-37 of budgets.yaml go; the sum breaks at the total, line 6
    report = validate_data(data, TODAY, changed_since="main")
    assert [(Path(p.source.file).name, p.code, p.source.line) for p in report.problems] == [
        ("budgets.yaml", "L012", 6)
    ]
    assert report.hidden and all(p.code in {"L010", "I001"} for p in report.hidden)


def test_changed_since_counts_a_new_file_as_changed_throughout(repo: Path) -> None:
    git(repo, "checkout", "-q", "-b", "pr")
    shutil.rmtree(repo / "data")
    git(repo, "commit", "-q", "-am", "Remove the ledger")
    shutil.copytree(MINI, repo / "data")
    delete_allocation_b17(repo / "data")
    report = validate_data(repo / "data", TODAY, changed_since="HEAD")
    assert [p.code for p in report.errors] == ["L012"]


def test_paths_limit_findings_to_those_files(branch_with_an_old_error: Path) -> None:
    data = branch_with_an_old_error
    delete_allocation_b17(data)
    report = validate_data(data, TODAY, paths=[data / "budgets.yaml"])
    assert [p.code for p in report.problems] == ["L012"]
    assert "1 error outside the given paths not shown" in report.summary()
    assert [p.code for p in validate_data(data, TODAY, paths=[data]).errors] == ["L012", "L010"]


def test_cli_changed_since_and_paths(branch_with_an_old_error: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = branch_with_an_old_error
    monkeypatch.chdir(data.parent)
    monkeypatch.delenv("LEDGER_DATA", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    delete_allocation_b17(data)
    runner = CliRunner()
    result = runner.invoke(app, ["validate", "--changed-since", "main"])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0].startswith("data/budgets.yaml:6:5: error L012 budget B1 ")
    assert len(result.stdout.splitlines()) == 2
    result = runner.invoke(app, ["validate", "data/targets.yaml"])
    assert result.exit_code == 1
    assert result.stdout.startswith("data/targets.yaml:34:5: error L010 target 2.1: 12亿元 ")
    result = runner.invoke(app, ["validate", "data/nothere.yaml"])
    assert result.exit_code == 2 and result.stdout == ""
    assert (
        result.stderr
        == "ledger: data/nothere.yaml: no such file or folder; name a file or folder of the ledger\n"
    )
    result = runner.invoke(app, ["validate", "--changed-since", "nope"])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("ledger: 'nope' is not a commit of ") and result.stderr.count("\n") == 1
