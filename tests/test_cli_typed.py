"""`ledger progress add` and the reading commands' --as-of take numbers and dates as people type them,
say how they read them, write the one spelling, and warn of likely unit slips."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from policy_ledger.cli import app

from .conftest import git, new_repository, thorough

runner = CliRunner()


@pytest.fixture(autouse=True)
def wide_terminal(fixed_terminal: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "120")


@pytest.fixture
def repo(real: Path) -> Path:
    new_repository(real.parent)
    return real


def run(repo: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, "--data", str(repo)])
    return result.exit_code, result.stdout, result.stderr


def added_lines(diff: str) -> list[str]:
    return [line[1:].strip() for line in diff.splitlines() if line.startswith("+ ")]


def test_full_width_and_chinese_date_are_recorded_canonically_and_said(repo: Path) -> None:
    code, out, err = run(repo, "progress", "add", "17.1", "--value", "２３．５亿", "--as-of", "2023年6月30日")
    assert code == 0, err
    assert err.splitlines() == [
        "ledger: read --as-of 2023年6月30日 as 2023-06-30 (date written YYYY-MM-DD)",
        "ledger: read --value ２３．５亿 as 23.5亿元 (full-width characters, 亿 as 亿元)",
    ]
    assert out.startswith("recorded progress(17.1): 23.5亿元 as of 2023-06-30 in ")
    committed = git(repo.parent, "show", "HEAD", "--format=%s", "--", "data/targets.yaml")
    assert committed.startswith("progress(17.1): 23.5亿元 as of 2023-06-30\n")
    assert [line[1:].strip() for line in committed.splitlines() if line.startswith("+ ")] == [
        "progress:",
        "- as_of: 2023-06-30",
        "value: 23.5",
        "unit: 亿元",
    ]
    code, out, _ = run(repo, "validate")
    assert code == 0


@pytest.mark.parametrize(
    ("record", "value", "as_of", "written"),
    thorough([
        ("17.1", "23.5", "2023/6/30", ["as_of: 2023-06-30", "value: 23.5", "unit: 亿元"]),
        ("17.1", "23.5亿元", "2023.6.30", ["as_of: 2023-06-30", "value: 23.5", "unit: 亿元"]),
        ("17.1", "30亿", "2023-6-30", ["as_of: 2023-06-30", "value: 30", "unit: 亿元"]),
        ("17.1", "３０亿元", "２０２３-０６-３０", ["as_of: 2023-06-30", "value: 30", "unit: 亿元"]),
        ("7.4", "42.5％", "2023年9月30日", ["as_of: 2023-09-30", "value: 42.5", "unit: '%'"]),
        ("7.4", "４２．５", "2023年9月30号", ["as_of: 2023-09-30", "value: 42.5", "unit: '%'"]),
        ("B21.3", "1,200", "2023/6/30", ["as_of: 2023-06-30", "value: 1200", "unit: 万元"]),
        ("B21.3", "1，200万", "2023/6/30", ["as_of: 2023-06-30", "value: 1200", "unit: 万元"]),
        ("20.4", "1,000名", "2023/6/30", ["as_of: 2023-06-30", "value: 1000", "unit: 名"]),
    ], keep=4),
)  # fmt: skip
def test_every_accepted_spelling_writes_the_one_spelling(
    repo: Path, record: str, value: str, as_of: str, written: list[str]
) -> None:
    code, out, err = run(repo, "progress", "add", record, "--value", value, "--as-of", as_of, "--dry-run")
    assert code == 0, err
    assert added_lines(out)[-3:] == [f"- {written[0]}", *written[1:]]
    notes = err.splitlines()
    assert all(line.startswith("ledger: read --") for line in notes)
    assert f"ledger: read --as-of {as_of} as {written[0].split()[1]} (" in err
    assert ("ledger: read --value" in err) == (value not in {"23.5", "23.5亿元"})


def test_a_canonical_entry_says_nothing_more(repo: Path) -> None:
    code, _, err = run(repo, "progress", "add", "17.1", "--value", "23.5亿元", "--as-of", "2023-06-30")
    assert (code, err) == (0, "")


def test_unit_option_and_recipients_are_read_as_typed(repo: Path) -> None:
    code, out, err = run(repo, "progress", "add", "17.1", "--value", "23.5", "--unit", "亿",
                         "--as-of", "2023-06-30", "--dry-run")  # fmt: skip
    assert code == 0 and "ledger: read --unit 亿 as 亿元 (亿 as 亿元)" in err
    assert added_lines(out)[-2:] == ["value: 23.5", "unit: 亿元"]
    code, out, err = run(repo, "progress", "add", "I12.1", "--value", "１２０万", "--recipients", "1,２00",
                         "--as-of", "2023-09-30", "--dry-run")  # fmt: skip
    assert code == 0, err
    assert "ledger: read --value １２０万 as 120万元 (full-width characters, 万 as 万元)" in err
    assert "ledger: read --recipients 1,２00 as 1200 (full-width characters, thousands separators)" in err
    assert added_lines(out)[-3:] == ["value: 120", "unit: 万元", "recipients: 1200"]


@pytest.mark.parametrize(
    ("args", "message"),
    thorough([
        (["17.1", "--value", "1,00", "--as-of", "2023-06-30"],
         "--value '1,00': '1,00' is ambiguous: a comma separates thousands in groups of three digits "
         "(1,000); write 100 or 1.00, whichever you mean"),
        (["17.1", "--value", "1,5亿", "--as-of", "2023-06-30"], "write 15 or 1.5, whichever you mean"),
        (["17.1", "--value", "23.5", "--as-of", "23/6/30"],
         "--as-of '23/6/30': '23/6/30' is ambiguous: the year needs four digits, first; write YYYY-MM-DD"),
        (["17.1", "--value", "23.5", "--as-of", "6/30/2023"],
         "--as-of '6/30/2023': '6/30/2023' is ambiguous: the year comes last, so the month could be either "
         "number; write 2023-06-30 if that is what you mean"),
        (["17.1", "--value", "23.5", "--as-of", "5/6/2023"], "write 2023-05-06 or 2023-06-05, whichever"),
        (["17.1", "--value", "23.5", "--as-of", "2023-02-30"],
         "--as-of '2023-02-30': '2023-02-30' is not a real date (February 2023 has 28 days)"),
        (["17.1", "--value", "23.5", "--as-of", "2023年2月30日"], "'2023年2月30日' is not a real date"),
        (["17.1", "--value", "23.5", "--as-of", "2023年6月"], "names a month, not a day; write YYYY-MM-DD, "
         "such as 2023-06-30 for the end of the month"),
        (["17.1", "--value", "30亿", "--unit", "万元", "--as-of", "2023-06-30"],
         "--value says 亿元 but --unit says 万元; give the unit once"),
        (["17.1", "--value", "30万", "--as-of", "2023-06-30"],
         "target 17.1 is measured in 亿元, not 万元; 30万元 is --value 0.003"),
        (["20.4", "--value", "30亿", "--as-of", "2023-06-30"], "target 20.4 is measured in 名, not 亿"),
        (["17.1", "--value", "－1", "--as-of", "2023-06-30"], "is negative"),
        (["17.1", "--value", "abc", "--as-of", "2023-06-30"], "--value 'abc' is not a number; write it like"),
        (["I12.1", "--recipients", "1,20", "--as-of", "2023-09-30"],
         "--recipients '1,20': '1,20' is ambiguous"),
    ], keep=5),
)  # fmt: skip
def test_ambiguous_and_unreal_input_is_refused_in_one_line(repo: Path, args: list[str], message: str) -> None:
    before = {name: (repo / name).read_bytes() for name in ("targets.yaml", "instruments.yaml")}
    head = git(repo.parent, "rev-parse", "HEAD")
    code, out, err = run(repo, "progress", "add", *args)
    assert code == 2, (out, err)
    assert err.count("\n") == 1 and err.startswith("ledger: ") and message in err, err
    assert "Traceback" not in err and out == ""
    assert {name: (repo / name).read_bytes() for name in before} == before
    assert git(repo.parent, "rev-parse", "HEAD") == head


# --- likely unit slips: a warning on stderr, exit 0, the entry recorded --------------------------------


def recorded(repo: Path, record: str, value: str, as_of: str = "2023-06-30") -> tuple[str, str]:
    code, out, err = run(repo, "progress", "add", record, "--value", value, "--as-of", as_of)
    assert code == 0, err
    assert out.startswith(f"recorded progress({record}): ")
    assert git(repo.parent, "status", "--porcelain") == ""
    return out, err


def test_a_share_typed_as_a_fraction_is_warned_of(repo: Path) -> None:
    out, err = recorded(repo, "7.4", "0.425")
    assert err == (
        "ledger: warning: target 7.4 is measured in %: 0.425% is below 1% against a target of 90%; "
        "if you meant 42.5%, correct it with --value 42.5 --as-of 2023-06-30 --replace\n"
    )
    assert "0.425%" in out
    _, err = recorded(repo, "7.4", "0.4", "2023-07-31")
    assert "if you meant 40%, correct it with --value 40 --as-of 2023-07-31 --replace" in err
    _, err = recorded(repo, "7.4", "42.5", "2023-09-30")
    assert err == ""


@pytest.mark.parametrize(("record", "value"), [("7.4", "0"), ("15.2", "0.4"), ("7.4", "1")])
def test_no_share_warning_for_zero_a_target_below_one_percent_or_one(
    repo: Path, record: str, value: str
) -> None:
    assert recorded(repo, record, value)[1] == ""


def test_a_reading_a_hundred_times_its_target_is_warned_of(repo: Path) -> None:
    _, err = recorded(repo, "17.1", "4000")
    assert err == (
        "ledger: warning: target 17.1: 4000亿元 is 100 times its target of 40亿元; check the digits and the "
        "unit, and correct the entry with --replace if they are wrong\n"
    )
    _, err = recorded(repo, "17.1", "235000", "2023-09-30")
    assert "235000亿元 is 5875 times its target of 40亿元" in err
    _, err = recorded(repo, "17.1", "3999.9", "2023-10-31")
    assert err == ""  # 99.9975 times: over the target, but not by a slipped unit


def test_a_disbursement_above_its_allocation_is_warned_of(repo: Path) -> None:
    _, err = recorded(repo, "B1.1", "148")
    assert err == (
        "ledger: warning: allocation B1.1: 148亿元 paid out is more than its amount, 14.8亿元; check the "
        "digits and the unit, and correct the entry with --replace if they are wrong\n"
    )
    _, err = recorded(repo, "B1.1", "14.8", "2023-09-30")
    assert err == ""  # all of it, not more


def test_an_instruments_payment_above_the_allocation_it_draws_on_is_warned_of(repo: Path) -> None:
    code, _, err = run(repo, "progress", "add", "I12.1", "--value", "25000万元", "--as-of", "2023-09-30")
    assert code == 0
    assert err == (
        "ledger: warning: instrument I12.1: 25000万元 paid out is more than the 2.4亿元 of allocation B6.1 "
        "it is paid from; check the digits and the unit, and correct the entry with --replace if they are "
        "wrong\n"
    )
    code, _, err = run(repo, "progress", "add", "I12.1", "--value", "24000万元", "--as-of", "2023-10-31")
    assert code == 0 and "warning" not in err


def test_warnings_and_notes_show_on_a_dry_run_too(repo: Path) -> None:
    before = (repo / "budgets.yaml").read_bytes()
    code, out, err = run(
        repo, "progress", "add", "B1.1", "--value", "1,480", "--as-of", "2023/6/30", "--dry-run"
    )
    assert code == 0 and out.startswith("--- a/budgets.yaml")
    assert err.splitlines() == [
        "ledger: read --as-of 2023/6/30 as 2023-06-30 (date written YYYY-MM-DD)",
        "ledger: read --value 1,480 as 1480 (thousands separators)",
        "ledger: warning: allocation B1.1: 1480亿元 paid out is more than its amount, 14.8亿元; check the "
        "digits and the unit, and correct the entry with --replace if they are wrong",
    ]
    assert (repo / "budgets.yaml").read_bytes() == before


# --- the reading commands' --as-of --------------------------------------------------------------------


@pytest.mark.parametrize("command", [["status"], ["show", "17"], ["report"], ["query", "targets"]])
def test_reading_commands_take_the_as_of_date_as_typed(repo: Path, command: list[str]) -> None:
    code, canonical, err = run(repo, *command, "--as-of", "2023-06-30")
    assert (code, err) == (0, "")
    code, typed, err = run(repo, *command, "--as-of", "２０２３年６月３０日")
    assert code == 0
    assert err == (
        "ledger: read --as-of ２０２３年６月３０日 as 2023-06-30 "
        "(full-width characters, date written YYYY-MM-DD)\n"
    )
    assert typed == canonical


@pytest.mark.parametrize(
    ("as_of", "message"),
    [
        ("6/30/2023", "--as-of '6/30/2023': '6/30/2023' is ambiguous: the year comes last"),
        ("23/6/30", "--as-of '23/6/30': '23/6/30' is ambiguous: the year needs four digits"),
        ("2023-02-29", "--as-of '2023-02-29': '2023-02-29' is not a real date (February 2023 has 28 days)"),
        ("2023年6月", "names a month, not a day"),
        ("20230630", "is not written YYYY-MM-DD; write 2023-06-30"),  # date.fromisoformat took it
        ("1900-01-01", "outside the years 1949 to 2199"),
    ],
)
def test_reading_commands_refuse_ambiguous_dates_in_one_line(repo: Path, as_of: str, message: str) -> None:
    for command in (["status"], ["show", "17"], ["report"]):
        code, out, err = run(repo, *command, "--as-of", as_of)
        assert code == 2 and out == ""
        assert err.count("\n") == 1 and err.startswith("ledger: ") and message in err, err
