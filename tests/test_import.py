"""`ledger import` and `ledger review`: a policy text becomes a new document of the ledger in one commit,
and a person reads its drafts one by one, each decision committed on its own.

Hostile input is refused in one line with nothing written: a file name with ../, bidi characters or a
newline, an id with path characters, a file that is not text, a 9 MB file, a source folder that leads
outside the data folder. Another program editing targets.yaml during the import makes it start over or
refuse; a writer stopped between two files is finished by the next one; never half a commit.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import traceback
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policy_ledger import fileio, gitstore, writes
from policy_ledger.cli import app
from policy_ledger.loader import load_ledger
from policy_ledger.problems import Severity
from policy_ledger.validation import validate_data

from .conftest import REAL_DATA, TODAY, git, new_repository

runner = CliRunner()
SEED = REAL_DATA / "source" / "lezhengfa-2023-6.txt"
DATA_FILES = ("policies.yaml", "targets.yaml", "budgets.yaml", "instruments.yaml")


def ledger(*args: str, input: str | None = None) -> tuple[int, str, str]:
    """`ledger ARGS`: (exit code, stdout, stderr); a traceback fails the test."""
    result = runner.invoke(app, list(args), input=input)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError("".join(traceback.format_exception(result.exception)))
    return result.exit_code, result.stdout, result.stderr


def snapshot(data: Path) -> dict[str, bytes]:
    return {str(p.relative_to(data)): p.read_bytes() for p in sorted(data.rglob("*")) if p.is_file()}


def one_line(err: str) -> None:
    assert err.startswith("ledger: ") and err.count("\n") == 1, err


@pytest.fixture
def repo(real: Path) -> Path:
    """The real data in a repository; texts to import are put beside data/, which git ignores."""
    new_repository(real.parent)
    (real.parent / ".git" / "info" / "exclude").write_text("/*.txt\n/in/\n/outside/\n", encoding="utf-8")
    return real


@pytest.fixture
def no_pause(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(writes, "RETRY_PAUSE_SECONDS", 0)
    monkeypatch.setattr(writes, "ATTEMPTS", 3)


# --- into an empty folder: the seed text gives back today's ledger --------------------------------


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed text imported into an empty folder outside git."""
    folder = tmp_path_factory.mktemp("empty") / "data"
    folder.mkdir()
    # made once for the module, before any test's own fixtures: its language and cache are set here
    with pytest.MonkeyPatch.context() as env:
        env.setenv("LANGUAGE", "en")
        env.setenv("LEDGER_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        code, out, err = ledger(
            "--lang", "en", "import", str(SEED), "--id", "lezhengfa-2023-6", "--data", str(folder)
        )
    assert code == 0, err
    assert "not committed" in out and "not in a git repository" in out
    assert "1 document, 8 areas, 57 measures, 8 budgets" in out
    assert "ledger review --document lezhengfa-2023-6" in out
    return folder


def test_the_seed_imported_into_an_empty_folder_is_todays_ledger(imported: Path) -> None:
    drafted, problems = load_ledger(imported, use_cache=False)
    today, _ = load_ledger(REAL_DATA, use_cache=False)
    assert problems == []
    assert (imported / "source" / "lezhengfa-2023-6.txt").read_bytes() == SEED.read_bytes()
    area = ("document", "number", "title", "leads", "heading", "text")
    measure = ("document", "number", "area", "title", "text")
    budget = ("id", "document", "measure", "total", "unit", "quote")

    def pick(records: list[object], names: tuple[str, ...]) -> list[dict[str, object]]:
        return [{name: getattr(r, name) for name in names} for r in records]

    assert pick(drafted.areas, area) == pick(today.areas, area)
    assert pick(drafted.measures, measure) == pick(today.measures, measure)
    assert pick(drafted.budgets, budget) == pick(today.budgets, budget)
    assert [[(a.id, a.amount, a.quote) for a in b.allocations] for b in drafted.budgets] == [
        [(a.id, a.amount, a.quote) for a in b.allocations] for b in today.budgets
    ]
    assert all(r.draft for key in ("documents", "areas", "measures", "budgets", "targets")
               for r in getattr(drafted, key))  # fmt: skip


def test_validate_on_the_import_gives_only_what_it_can_explain(imported: Path) -> None:
    """No error: every draft is information (I002), the overlap of the budgets is I001 as in today's
    data, and the measures the importer found nothing in (it drafts no instruments) are L008 warnings."""
    report = validate_data(imported, today=TODAY)
    assert report.errors == []
    by_code: dict[tuple[str, Severity], int] = {}
    for problem in report.problems:
        by_code[(problem.code, problem.severity)] = by_code.get((problem.code, problem.severity), 0) + 1
    drafted, _ = load_ledger(imported)
    records = sum(
        len(getattr(drafted, key)) for key in ("documents", "areas", "measures", "budgets", "targets")
    )
    assert by_code.pop(("I002", Severity.INFO)) == records
    assert by_code.pop(("I001", Severity.INFO)) == 1
    assert set(by_code) == {("L008", Severity.WARNING)}
    code, out, _err = ledger("validate", "--data", str(imported))
    assert code == 0 and "I002 target" in out


def test_the_new_files_are_in_the_house_style(imported: Path) -> None:
    targets = (imported / "targets.yaml").read_text(encoding="utf-8")
    assert '  - id: "A1.1"\n    document: lezhengfa-2023-6\n' in targets
    assert '    unit: "%"\n' in targets and "'" not in targets
    assert "    leads: [市发改局]\n" in (imported / "policies.yaml").read_text(encoding="utf-8")


# --- into a ledger under git: one commit, only new lines ------------------------------------------


def test_import_into_a_ledger_is_one_commit_of_new_lines_only(repo: Path, tmp_path: Path) -> None:
    before = {name: (repo / name).read_text(encoding="utf-8") for name in DATA_FILES}
    head = git(repo.parent, "rev-parse", "HEAD")
    text = tmp_path / "second-doc.txt"
    shutil.copyfile(SEED, text)
    code, out, err = ledger("import", str(text), "--data", str(repo))
    assert (code, err) == (0, ""), err
    assert ", commit " in out
    assert git(repo.parent, "rev-list", "--count", f"{head}..HEAD") == "1"
    assert git(repo.parent, "status", "--porcelain") == ""
    stats = git(repo.parent, "show", "--numstat", "--format=", "HEAD").splitlines()
    changed = {line.split("\t")[2]: line.split("\t")[1] for line in stats}
    assert changed == {
        "data/source/second-doc.txt": "0",
        "data/policies.yaml": "0",
        "data/targets.yaml": "0",
        "data/budgets.yaml": "0",
    }  # every file only gains lines; instruments.yaml is untouched
    subject = git(repo.parent, "log", "-1", "--format=%s")
    assert subject.startswith("import(second-doc): 乐政发〔2023〕6号 drafted from source/second-doc.txt")
    for name in DATA_FILES:  # every line there was is still there, in order, and where it was
        after = (repo / name).read_text(encoding="utf-8").splitlines()
        old = before[name].splitlines()
        lines = iter(after)
        assert all(any(line == kept for kept in lines) for line in old), name
        assert after[: len(old)] == old or name == "policies.yaml"  # lists at the end grow at the end
    ledger_after, problems = load_ledger(repo, use_cache=False)
    assert problems == []
    assert [d.id for d in ledger_after.documents] == ["lezhengfa-2023-6", "second-doc"]
    assert validate_data(repo, today=TODAY).errors == []


def test_dry_run_writes_nothing(repo: Path, tmp_path: Path) -> None:
    before = snapshot(repo)
    text = tmp_path / "other.txt"
    shutil.copyfile(SEED, text)
    code, out, _err = ledger("import", str(text), "--dry-run", "--data", str(repo))
    assert code == 0 and "nothing was written" in out
    assert snapshot(repo) == before


def test_the_interface_speaks_chinese(repo: Path, tmp_path: Path) -> None:
    text = tmp_path / "other.txt"
    shutil.copyfile(SEED, text)
    code, out, _err = ledger("--lang", "zh", "import", str(text), "--data", str(repo))
    assert code == 0
    assert "起草" in out and "ledger review --document other" in out
    code, _out, err = ledger("--lang", "zh", "import", str(text), "--data", str(repo))
    assert code == 2 and "已有文件" in err


# --- refusals: one line, exit 2, nothing written --------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["../escape.txt", "政策 2024.txt", "bidi\u202egpj.txt", "line\nbreak.txt", "Upper.txt", ".txt"],
)
def test_a_file_name_that_is_no_id_needs_id(repo: Path, tmp_path: Path, name: str) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    path = folder / name.replace("../", "")
    path.write_bytes(SEED.read_bytes())
    given = str(folder / name) if name.startswith("../") else str(path)
    if name.startswith("../"):
        (folder / "escape.txt").write_bytes(SEED.read_bytes())
        given = str(folder / "sub" / ".." / "escape.txt")
        (folder / "sub").mkdir()
        code, _out, err = ledger("import", given, "--data", str(repo))
        assert code == 0, err  # a path with .. is just a path to a file; its name is the id
        return
    before = snapshot(repo)
    code, out, err = ledger("import", given, "--data", str(repo))
    assert code == 2 and out == ""
    one_line(err)
    assert "--id" in err and "\u202e" not in err
    assert snapshot(repo) == before


@pytest.mark.parametrize(
    "bad", ["../../etc/passwd", "a/b", "lezhengfa-2023-6/../x", "x\ny", "\u202ex", "A-1", ""]
)
def test_an_id_with_path_characters_is_refused(repo: Path, bad: str) -> None:
    before = snapshot(repo)
    code, out, err = ledger("import", str(SEED), "--id", bad, "--data", str(repo))
    assert code == 2 and out == ""
    one_line(err)
    assert snapshot(repo) == before


def test_an_id_already_in_the_ledger_is_refused(repo: Path) -> None:
    before = snapshot(repo)
    code, _out, err = ledger("import", str(SEED), "--data", str(repo))
    assert code == 2
    assert err.splitlines()[-1].startswith("ledger: the ledger already holds document 'lezhengfa-2023-6'")
    assert snapshot(repo) == before


@pytest.mark.parametrize(
    "content",
    [b"\x00\x01\x02binary\xff\xfe" * 100, "政策".encode("utf-16"), b"\x89PNG\r\n\x1a\n" + bytes(range(256))],
)
def test_a_file_that_is_not_text_is_refused(repo: Path, tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(content)
    before = snapshot(repo)
    code, out, err = ledger("import", str(path), "--data", str(repo))
    assert code == 2 and out == ""
    one_line(err)
    assert snapshot(repo) == before


def test_a_nine_megabyte_file_is_refused_at_once(repo: Path, tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_bytes(SEED.read_bytes() * (9 * 1024 * 1024 // SEED.stat().st_size + 1))
    before = snapshot(repo)
    code, out, err = ledger("import", str(path), "--data", str(repo))
    assert code == 2 and out == ""
    one_line(err)
    assert "MB" in err
    assert snapshot(repo) == before


def test_a_folder_and_a_fifo_are_refused(repo: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    for path in (tmp_path, fifo):
        code, _out, err = ledger("import", str(path), "--id", "x", "--data", str(repo))
        assert code == 2
        one_line(err)


def test_a_source_folder_leading_outside_the_data_folder_is_refused(repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.rmtree(repo / "source")
    (repo / "source").symlink_to(outside)
    code, _out, err = ledger("import", str(SEED), "--id", "new-doc", "--data", str(repo))
    assert code == 2
    one_line(err)
    assert "outside the data folder" in err
    assert list(outside.iterdir()) == []


def test_a_gb18030_file_is_saved_as_utf8(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    path = tmp_path / "gb-doc.txt"
    path.write_bytes(SEED.read_text(encoding="utf-8").encode("gb18030"))
    code, out, err = ledger("import", str(path), "--data", str(data))
    assert code == 0, err
    assert "(gb18030)" in out
    assert (data / "source" / "gb-doc.txt").read_bytes() == SEED.read_bytes()


def test_a_text_with_no_document_is_refused_after_its_gaps(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    path = tmp_path / "notes.txt"
    path.write_text("会议纪要\n今天讨论了很多事情。\n", encoding="utf-8")
    code, out, err = ledger("import", str(path), "--data", str(data))
    assert code == 1
    assert "gap" in out
    assert "no document could be drafted" in err
    assert list(data.iterdir()) == [] or [p.name for p in data.iterdir()] == [".ledger.lock"]


# --- another program during the import -----------------------------------------------------------


def other_program_edits_targets(data: Path, *, commit: bool) -> bytes:
    path = data / "targets.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("# Targets of", "# The targets of", 1), encoding="utf-8"
    )
    if commit:  # its own file only (``commit -a`` would take whatever the import had written so far)
        git(data.parent, "commit", "-qm", "another program", "--", "data/targets.yaml")
    return path.read_bytes()


def test_a_committed_edit_of_targets_during_the_import_makes_it_start_over(
    repo: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    real_replace = fileio.replace_if_unchanged
    calls: list[Path] = []

    def edit_then_replace(path: Path, expected: bytes, new: bytes) -> None:
        if path.name == "targets.yaml" and path not in calls:
            other_program_edits_targets(repo, commit=True)
        calls.append(path)
        real_replace(path, expected, new)

    monkeypatch.setattr(fileio, "replace_if_unchanged", edit_then_replace)
    text = tmp_path / "third.txt"
    shutil.copyfile(SEED, text)
    code, _out, err = ledger("import", str(text), "--data", str(repo))
    assert code == 0, err
    assert "# The targets of" in (repo / "targets.yaml").read_text(encoding="utf-8")  # theirs kept
    assert git(repo.parent, "log", "-1", "--format=%s", "HEAD~1") == "another program"
    assert git(repo.parent, "status", "--porcelain") == ""
    assert calls.count(repo / "policies.yaml") == 3  # written, put back, written again
    assert not (repo.parent / ".git" / gitstore.JOURNAL).exists()


@pytest.mark.slow  # the same refusal as progress add's (test_progress), through the import
def test_an_uncommitted_edit_of_targets_during_the_import_is_refused_and_nothing_is_half_written(
    repo: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, no_pause: None
) -> None:
    head = git(repo.parent, "rev-parse", "HEAD")
    before = snapshot(repo)
    real_replace = fileio.replace_if_unchanged
    theirs: list[bytes] = []

    def edit_then_replace(path: Path, expected: bytes, new: bytes) -> None:
        if path.name == "targets.yaml" and not theirs:
            theirs.append(other_program_edits_targets(repo, commit=False))
        real_replace(path, expected, new)

    monkeypatch.setattr(fileio, "replace_if_unchanged", edit_then_replace)
    text = tmp_path / "third.txt"
    shutil.copyfile(SEED, text)
    code, _out, err = ledger("import", str(text), "--data", str(repo))
    assert code == 1
    assert "targets.yaml" in err.splitlines()[-1]
    assert git(repo.parent, "rev-parse", "HEAD") == head
    after = snapshot(repo)
    assert after.pop("targets.yaml") == theirs[0]  # the other program's bytes, untouched
    before.pop("targets.yaml")
    assert after == before  # policies.yaml put back, the source text removed: no half import
    assert not (repo.parent / ".git" / gitstore.JOURNAL).exists()


def test_an_import_stopped_between_two_files_is_finished_by_the_next_writer(
    repo: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    head = git(repo.parent, "rev-parse", "HEAD")
    real_replace = fileio.replace_if_unchanged

    def stop_at_targets(path: Path, expected: bytes, new: bytes) -> None:
        if path.name == "targets.yaml":
            raise KeyboardInterrupt
        real_replace(path, expected, new)

    text = tmp_path / "third.txt"
    shutil.copyfile(SEED, text)
    with monkeypatch.context() as patch:
        patch.setattr(fileio, "replace_if_unchanged", stop_at_targets)
        result = runner.invoke(app, ["import", str(text), "--data", str(repo)])
    assert result.exit_code != 0
    assert (repo.parent / ".git" / gitstore.JOURNAL).exists()
    assert "third" in (repo / "policies.yaml").read_text(encoding="utf-8")  # written before the stop
    assert "third" not in (repo / "targets.yaml").read_text(encoding="utf-8")
    code, _out, err = ledger(
        "progress",
        "add",
        "17.1",
        "--value",
        "20",
        "--as-of",
        "2023-05-31",
        "--doc",
        "lezhengfa-2023-6",
        "--data",
        str(repo),
    )
    assert code == 0, err
    assert "finished an interrupted write" in err and "import(third)" in err
    subjects = git(repo.parent, "log", "--format=%s", f"{head}..HEAD").splitlines()
    assert [s.split(":")[0] for s in subjects] == ["progress(17.1)", "import(third)"]
    assert git(repo.parent, "status", "--porcelain") == ""
    assert "third" in (repo / "targets.yaml").read_text(encoding="utf-8")
    assert validate_data(repo, today=TODAY).errors == []


def test_import_into_a_new_repository_makes_its_first_commit(tmp_path: Path) -> None:
    root = tmp_path / "ledger"
    (root / "data").mkdir(parents=True)
    new_repository(root, commit=None)
    code, _out, err = ledger("import", str(SEED), "--data", str(root / "data"))
    assert code == 0, err
    assert git(root, "rev-list", "--count", "HEAD") == "1"
    assert git(root, "status", "--porcelain") == ""


# --- review -----------------------------------------------------------------------------------------


@pytest.fixture
def drafted(tmp_path: Path) -> Path:
    """A repository holding the real ledger and, imported beside it, the seed text as document `new`."""
    root = tmp_path / "review"
    shutil.copytree(REAL_DATA, root / "data")
    new_repository(root)
    text = tmp_path / "new.txt"
    shutil.copyfile(SEED, text)
    code, _out, err = ledger("import", str(text), "--data", str(root / "data"))
    assert code == 0, err
    return root / "data"


def commits(data: Path) -> list[str]:
    return git(data.parent, "log", "--format=%s").splitlines()


def draft_of(data: Path, key: str, ident: str) -> object:
    loaded, _ = load_ledger(data, use_cache=False)
    for record in getattr(loaded, key):
        if (
            getattr(record, "document", getattr(record, "id", None)) in ("new",)
            and str(getattr(record, "id", getattr(record, "number", None))) == ident
        ):
            return record
        if key == "documents" and record.id == ident:
            return record
    raise AssertionError(f"no {key} {ident}")


def test_review_accepts_edits_and_quits(drafted: Path) -> None:
    # document: accept; area 1: edit (title kept, leads changed); area 2: skip; then quit
    script = "a\ne\n\n市发改局, 市经信局\ns\nq\n"
    code, out, err = ledger("review", "--document", "new", "--data", str(drafted), input=script)
    assert code == 0, err
    assert "accepted document new, commit" in out
    assert "edited and accepted area 1" in out
    assert "2 decisions written; 199 drafts left to review" in out
    assert commits(drafted)[:2] == ["review(new): edit area 1 (leads)", "review(new): accept document new"]
    assert draft_of(drafted, "documents", "new").draft is None  # type: ignore[attr-defined]
    area = draft_of(drafted, "areas", "1")
    assert area.draft is None and area.leads == ["市发改局", "市经信局"]  # type: ignore[attr-defined]
    assert draft_of(drafted, "areas", "2").draft is True  # type: ignore[attr-defined]
    assert git(drafted.parent, "status", "--porcelain") == ""
    assert git(drafted.parent, "show", "--numstat", "--format=", "HEAD~1").split("\t")[:2] == ["0", "1"]


@pytest.mark.slow  # review's prompts are also walked by test_review_accepts_edits_and_quits
def test_review_edit_asks_again_after_a_bad_value_and_drop_removes(drafted: Path) -> None:
    loaded, _ = load_ledger(drafted)
    from policy_ledger.review import drafts

    refs = drafts(loaded, "new")
    first_target = next(i for i, r in enumerate(refs) if r.key == "targets")
    budgets = [r for r in refs if r.key == "budgets"]
    skips = "s\n" * (len(refs) - len(budgets) - (len(refs) - first_target))
    target = refs[first_target]
    # budgets: drop the first, skip the rest; first target: edit what, a bad value, then a good one
    script = skips + "d\n" + "s\n" * (len(budgets) - 1) + "e\n推进重大项目\nabc\n61\n\n\n\n\nq\n"
    code, out, err = ledger("review", "--doc", "new", "--data", str(drafted), input=script)
    assert code == 0, err
    assert "value: 'abc' is not a number" in out and "type it again" in out
    assert f"dropped budget {budgets[0].ident}" in out
    assert commits(drafted)[:2] == [
        f"review(new): edit target {target.ident} (what, value)",
        f"review(new): drop budget {budgets[0].ident}",
    ]
    edited = draft_of(drafted, "targets", target.ident)
    assert edited.draft is None and edited.what == "推进重大项目" and edited.value == 61  # type: ignore[attr-defined]
    loaded, problems = load_ledger(drafted, use_cache=False)
    assert problems == []
    assert budgets[0].ident not in {b.id for b in loaded.budgets if b.document == "new"}


def test_review_stopped_by_ctrl_c_keeps_every_decision(
    drafted: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rich.prompt import Prompt

    answers = iter(["a", "a"])

    def ask(*_args: object, **_kwargs: object) -> str:
        try:
            return next(answers)
        except StopIteration:
            raise KeyboardInterrupt from None

    monkeypatch.setattr(Prompt, "ask", ask)
    code, out, _err = ledger("review", "--document", "new", "--data", str(drafted))
    assert code == 0
    assert "stopped; every decision made so far is written" in out
    assert "2 decisions written" in out
    assert commits(drafted)[:2] == ["review(new): accept area 1", "review(new): accept document new"]
    assert git(drafted.parent, "status", "--porcelain") == ""
    assert not (drafted.parent / ".git" / gitstore.JOURNAL).exists()


def test_review_without_drafts_says_so(repo: Path) -> None:
    code, out, _err = ledger("review", "--data", str(repo))
    assert (code, out) == (0, "no drafts to review\n")


def test_review_in_chinese(drafted: Path) -> None:
    code, out, _err = ledger(
        "--lang", "zh", "review", "--document", "new", "--data", str(drafted), input="x\n接受\nq\n"
    )
    assert code == 0
    assert "接受" in out and "已接受" in out


@pytest.mark.slow  # a second Python process; the in-process stop above covers the same path
def test_a_killed_import_in_a_process_of_its_own_is_finished(repo: Path, tmp_path: Path) -> None:
    """SIGKILL (not an exception) between policies.yaml and targets.yaml: the journal carries it."""
    import signal
    import sys

    killer = (
        "import os, signal, sys\n"
        "from policy_ledger import fileio\n"
        "real = fileio.replace_if_unchanged\n"
        "def die(path, old, new):\n"
        "    if path.name == 'targets.yaml': os.kill(os.getpid(), signal.SIGKILL)\n"
        "    real(path, old, new)\n"
        "fileio.replace_if_unchanged = die\n"
        "from policy_ledger.cli import main\n"
        "sys.argv = ['ledger', *sys.argv[1:]]\n"
        "main()\n"
    )
    text = tmp_path / "fourth.txt"
    shutil.copyfile(SEED, text)
    from .conftest import ROOT

    done = subprocess.run(
        [sys.executable, "-c", killer, "import", str(text), "--data", str(repo)],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr.decode()
    code, _out, err = ledger("import", str(text), "--data", str(repo))
    assert code == 2 and "finished an interrupted write" in err and "already holds document 'fourth'" in err
    assert git(repo.parent, "status", "--porcelain") == ""
    assert git(repo.parent, "log", "-1", "--format=%s").startswith("import(fourth)")
