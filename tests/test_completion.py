"""Shell completion: commands, record ids, measure numbers, lead bureaus and areas of the ledger at hand."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from policy_ledger.completion import (
    complete_area,
    complete_lead,
    complete_measure,
    complete_progress_record,
    complete_record,
)

from .conftest import MINI, REAL_DATA, ROOT

REAL = SimpleNamespace(params={"data": REAL_DATA})


def values(candidates: list[tuple[str, str]]) -> list[str]:
    return [value for value, _ in candidates]


def test_measure_numbers_start_with_what_is_typed_and_carry_their_title() -> None:
    offered = complete_measure(REAL, "1")
    assert ("17", "优化金融支持服务") in offered
    assert values(offered) == ["1", *(str(n) for n in range(10, 20))]


def test_progress_add_offers_targets_allocations_and_instruments() -> None:
    assert "17.1" in values(complete_progress_record(REAL, "17"))
    assert values(complete_progress_record(REAL, "B1.")) == [f"B1.{n}" for n in range(1, 8)]
    assert all(value.startswith("I19") for value in values(complete_progress_record(REAL, "I19")))
    assert "17" not in values(complete_progress_record(REAL, ""))  # a measure takes no progress


def test_log_offers_every_kind_of_record() -> None:
    offered = values(complete_record(REAL, ""))
    assert {"17", "17.1", "B1", "B1.2", "I19.1"} <= set(offered)
    assert len(offered) == len(set(offered))


def test_leads_are_offered_once_each() -> None:
    assert complete_lead(REAL, "市经") == [("市经信局", "")]
    leads = values(complete_lead(REAL, ""))
    assert len(leads) == len(set(leads)) == 7  # 市发改局 leads two areas but is offered once


def test_areas_are_numbers_with_their_titles() -> None:
    assert complete_area(REAL, "")[0] == ("1", "扩大有效投资政策")
    assert values(complete_area(REAL, "")) == [str(n) for n in range(1, 9)]


def test_data_typed_on_the_line_decides_the_ledger() -> None:
    mini = SimpleNamespace(params={"data": str(MINI)})
    assert len(values(complete_measure(mini, ""))) < len(values(complete_measure(REAL, "")))


@pytest.mark.parametrize(
    "callback", [complete_area, complete_lead, complete_measure, complete_progress_record, complete_record]
)
def test_no_ledger_or_broken_data_offers_nothing(
    callback: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LEDGER_DATA", raising=False)
    monkeypatch.chdir(tmp_path)
    assert callback(SimpleNamespace(params={}), "") == []  # type: ignore[operator]
    assert callback(None, "1") == []  # type: ignore[operator]
    assert callback(SimpleNamespace(params={"data": tmp_path}), "") == []  # type: ignore[operator]
    (tmp_path / "policies.yaml").write_bytes(b"\xff\xfe: [unclosed\n")
    assert callback(SimpleNamespace(params={"data": tmp_path}), "") == []  # type: ignore[operator]


def complete(words: str, cword: int, cwd: Path) -> subprocess.CompletedProcess[str]:
    """What bash runs on Tab, through the script that ``ledger --install-completion`` installs."""
    env = {k: v for k, v in os.environ.items() if k != "LEDGER_DATA"}
    env.update(_LEDGER_COMPLETE="complete_bash", COMP_WORDS=words, COMP_CWORD=str(cword))
    return subprocess.run(
        [sys.executable, "-m", "policy_ledger"],
        cwd=cwd,
        env=env,
        capture_output=True,
        encoding="utf-8",
        check=False,
    )


def test_bash_completes_commands_and_measure_numbers(private_cache: Path) -> None:
    result = complete("ledger sh", 1, ROOT)
    assert (result.returncode, result.stdout, result.stderr) == (0, "show\n", "")
    result = complete("ledger show 5", 2, ROOT)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.split() == ["5", "50", "51", "52", "53", "54", "55", "56", "57"]
    assert any(private_cache.iterdir())  # it read the ledger through the cache, as `ledger show` does


def test_bash_completes_leads_of_the_ledger_named_by_data() -> None:
    result = complete(f"ledger list --data {MINI} --lead 市", 5, ROOT)
    assert result.returncode == 0 and result.stdout.split() == ["市发改局", "市科技局"]


def test_completion_outside_any_ledger_offers_nothing_and_no_traceback(tmp_path: Path) -> None:
    result = complete("ledger show 1", 2, tmp_path)
    assert (result.returncode, result.stdout.strip(), result.stderr) == (0, "", "")


def test_show_completion_prints_the_script_for_the_shell() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "policy_ledger", "--show-completion", "bash"],
        cwd=ROOT,
        capture_output=True,
        encoding="utf-8",
        check=False,
    )
    assert result.returncode == 0 and "_LEDGER_COMPLETE=complete_bash" in result.stdout
