"""`ledger progress add|list`, `ledger log` and `ledger status` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policy_ledger.cli import app

from .conftest import new_repository

runner = CliRunner()


@pytest.fixture(autouse=True)
def wide_terminal(fixed_terminal: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """120 columns: the status and show lines checked below then hold a whole reading on one line."""
    monkeypatch.setenv("COLUMNS", "120")


@pytest.fixture
def repo(real: Path) -> Path:
    new_repository(real.parent, author="市经信局 张三")
    return real


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_add_list_log_status_walkthrough(repo: Path) -> None:
    data = ["--data", str(repo)]
    code, out, err = run("progress", "add", "17.1", "--value", "23.5亿元", "--as-of", "2023-06-30",
                         "--note", "上半年累计", "--source", "市经信局", *data)  # fmt: skip
    assert (code, err) == (0, "")
    assert out.startswith("recorded progress(17.1): 23.5亿元 as of 2023-06-30 in ")
    assert out.rstrip().split(", commit ")[1].isalnum()

    code, out, _ = run("progress", "add", "5.2", "--done", "--as-of", "2023-09-30", *data)
    assert code == 0 and "progress(5.2): done as of 2023-09-30" in out

    code, out, _ = run("progress", "list", *data)
    rows = [line.split() for line in out.splitlines() if line.startswith(" 2023")]
    assert [(row[0], row[1]) for row in rows] == [("2023-09-30", "5.2"), ("2023-06-30", "17.1")]
    assert "上半年累计" in out and "市经信局" in out

    code, out, _ = run("progress", "list", "17", "--format", "json", *data)
    assert [(r["id"], r["value"], r["unit"]) for r in json.loads(out)] == [("17.1", "23.5", "亿元")]
    csv_bytes = runner.invoke(app, ["progress", "list", "-f", "csv", *data]).stdout_bytes
    assert csv_bytes.startswith("\ufeffid,kind,what,as_of,value,unit,status,note,source".encode())
    assert "17.1,progress,新增制造业中长期贷款,2023-06-30,23.5,亿元,,上半年累计,市经信局" in csv_bytes.decode(
        "utf-8-sig"
    )
    code, out, _ = run("progress", "list", "-f", "markdown", *data)
    assert code == 0
    rows = [line.split("|")[1:3] for line in out.splitlines() if line.startswith("| 2023")]
    assert [(a.strip(), b.strip()) for a, b in rows] == [("2023-09-30", "5.2"), ("2023-06-30", "17.1")]

    code, out, _ = run("log", "17.1", *data)
    assert code == 0
    assert "市经信局 张三" in out and "progress(17.1): 23.5亿元 as of 2023-06-30" in out
    assert "+ value: 23.5" in out

    code, out, _ = run("status", "--as-of", "2023-06-30", "--area", "3", *data)
    assert code == 0
    line = next(line for line in out.splitlines() if line.startswith(" 17.1 "))
    assert "23.5亿元 (2023-06-30)" in line and "19.78亿元" in line and line.rstrip().endswith("on track")
    assert "市经信局" in out

    code, out, _ = run("show", "17", "--as-of", "2023-06-30", *data)
    line = next(line for line in out.splitlines() if line.startswith(" 17.1 "))
    assert "23.5亿元 (2023-06-30)" in line and line.rstrip().endswith("on track")


def test_dry_run_prints_a_diff(repo: Path) -> None:
    before = (repo / "targets.yaml").read_bytes()
    code, out, _ = run("progress", "add", "17.1", "--value", "10", "--as-of", "2023-06-30", "--dry-run",
                       "--data", str(repo))  # fmt: skip
    assert code == 0 and "+        value: 10\n" in out
    assert (repo / "targets.yaml").read_bytes() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["progress", "add", "17.1", "--value", "x", "--as-of", "2023-06-30"], "--value 'x' is not a number"),
        (
            ["progress", "add", "17.1", "--value", "1", "--as-of", "June"],
            "--as-of 'June': 'June' is not a date",
        ),
        (
            ["progress", "add", "99.1", "--value", "1", "--as-of", "2023-06-30"],
            "no target, allocation or instrument '99.1'",
        ),
        (
            ["progress", "add", "5.2", "--done", "--status", "dropped", "--as-of", "2023-06-30"],
            "say different",
        ),
        (["status", "--area", "9"], "no area 9 in lezhengfa-2023-6; areas are 1, 2, 3, 4, 5, 6, 7, 8"),
        (["status", "--as-of", "2023-13-01"], "--as-of '2023-13-01': '2023-13-01' is not a real date"),
        (["log", "abc"], "'abc' is not a measure number"),
        (["progress", "list", "58"], "no measure '58'"),
    ],
)
def test_usage_errors_are_one_line_exit_2(repo: Path, args: list[str], message: str) -> None:
    before = (repo / "targets.yaml").read_bytes()
    code, out, err = run(*args, "--data", str(repo))
    assert code == 2, (out, err)
    assert err.count("\n") == 1 and message in err
    assert (repo / "targets.yaml").read_bytes() == before


def test_status_json_counts_per_area(repo: Path) -> None:
    code, out, _ = run("status", "--as-of", "2023-06-30", "--format", "json", "--data", str(repo))
    data = json.loads(out)
    assert code == 0 and data["as_of"] == "2023-06-30"
    assert len(data["targets"]) == 155
    area_7 = next(a for a in data["areas"] if a["area"] == 7)
    assert area_7["leads"] == ["市农业农村局", "市发改局"]
    assert area_7["targets"] == area_7["no data"] + area_7["overdue"] + area_7["no report"]
    assert area_7["no report"] == 0  # 43.4 is due 2023-06-30, not yet past on that day
    keys = ["area", "title", "leads", "targets", "achieved", "on track", "behind", "no data", "overdue"]
    assert list(area_7) == [*keys, "no report"]  # a key added at the end; none renamed
    code, out, _ = run("status", "--as-of", "2023-07-01", "--format", "json", "--data", str(repo))
    area_7 = next(a for a in json.loads(out)["areas"] if a["area"] == 7)
    assert (area_7["no report"], area_7["overdue"]) == (1, 0)  # 43.4 never reported: not overdue


def test_log_outside_git_says_so(real: Path) -> None:
    code, _, err = run("log", "--data", str(real))
    assert code == 1 and "not in a git repository" in err
