"""Finding the data, and loading it without ever raising on bad content."""

from __future__ import annotations

from pathlib import Path

import pytest

from policy_ledger.loader import bulk_read, find_data_dir, load_ledger
from policy_ledger.problems import LedgerError
from policy_ledger.validation import validate_data

from .conftest import TODAY


def test_explicit_dir_wins_over_environment(
    mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LEDGER_DATA", str(tmp_path / "elsewhere"))
    assert find_data_dir(mini) == mini


def test_environment_wins_over_search(mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEDGER_DATA", str(mini))
    assert find_data_dir(start=Path("/")) == mini


def test_search_finds_nearest_data_dir_upward(mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LEDGER_DATA", raising=False)
    deep = mini.parent / "a" / "b"
    deep.mkdir(parents=True)
    assert find_data_dir(start=deep) == mini.resolve()
    assert find_data_dir(start=mini) == mini.resolve()  # inside data/ itself


def test_no_data_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LEDGER_DATA", raising=False)
    with pytest.raises(LedgerError) as caught:
        find_data_dir(start=tmp_path)
    assert caught.value.exit_code == 2
    assert "--data" in caught.value.message


def test_explicit_dir_without_policies_is_refused(tmp_path: Path) -> None:
    with pytest.raises(LedgerError, match=r"no policies\.yaml"):
        find_data_dir(tmp_path)


def test_missing_file_is_a_problem_not_an_exception(mini: Path) -> None:
    (mini / "budgets.yaml").unlink()
    ledger, problems = load_ledger(mini)
    assert [(Path(p.source.file).name, p.code) for p in problems] == [("budgets.yaml", "L001")]
    assert len(ledger.targets) == 6  # the other files still load


def test_missing_source_text_is_reported_at_the_document(mini: Path) -> None:
    (mini / "source" / "lezhengfa-2023-6.txt").unlink()
    report = validate_data(mini, today=TODAY)
    assert [(p.code, p.source.line) for p in report.errors] == [("L009", 8)]
    assert "no such file" in report.errors[0].message


def test_records_remember_where_they_stand(mini: Path) -> None:
    ledger, problems = load_ledger(mini)
    assert problems == []
    target = next(t for t in ledger.targets if t.id == "3.1")
    assert ledger.where(target).line == 44
    assert ledger.where(target, "quote").line == 52
    budget = ledger.budgets[0]
    assert ledger.where(budget, "allocations", 2, "amount").line == 20


def test_a_read_holds_back_garbage_collection_and_restores_it(mini: Path) -> None:
    import gc

    seen: list[bool] = []

    def note(phase: str, info: dict[str, int]) -> None:
        seen.append(phase == "start")

    gc.callbacks.append(note)
    try:
        with bulk_read():
            assert not gc.isenabled()
            gc.collect()  # an explicit collection still runs; only automatic ones wait
        assert gc.isenabled()
        load_ledger(mini, use_cache=False)
        validate_data(mini, TODAY)
        assert gc.isenabled()
        gc.disable()
        load_ledger(mini, use_cache=False)
        assert not gc.isenabled(), "a caller that switched collection off keeps it off"
    finally:
        gc.enable()
        gc.callbacks.remove(note)
    assert seen, "the explicit collection ran"


def test_what_a_read_built_is_filed_as_old_and_stays_collectable(mini: Path) -> None:
    import gc

    class Node:
        partner: object = None

    with bulk_read():
        ledger, _ = load_ledger(mini, use_cache=False)
        first, second = Node(), Node()
        first.partner, second.partner = second, first  # a cycle, which only the collector frees
    assert gc.get_count()[0] < 100, "no young objects left for the next collection to walk"
    oldest = {id(item) for item in gc.get_objects(generation=2)}
    assert {id(ledger), id(ledger.targets[0]), id(first)} <= oldest, "the read's objects are with the oldest"
    assert gc.get_freeze_count() == 0, "nothing is hidden from the collector for good"
    assert gc.is_tracked(ledger.targets[0].__dict__)
    del first, second
    assert gc.collect() >= 2, "a full collection still frees a cycle made during the read"


def test_collection_resumes_when_a_read_fails(tmp_path: Path) -> None:
    import gc

    with pytest.raises(LedgerError):
        load_ledger(tmp_path / "missing")
    with pytest.raises(RuntimeError), bulk_read():
        raise RuntimeError("a read that fails half-way")
    assert gc.isenabled()
