"""Output in a real terminal: every cell whole at 80 and 60 columns, the width that ``$COLUMNS`` gives."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from policy_ledger import words
from policy_ledger.cli import app
from policy_ledger.output import Grid
from policy_ledger.plain import (
    BAR_WIDTH,
    LONGEST_KEPT,
    Column,
    cell_width,
    fit_widths,
    grids_view,
    longest_word,
    stacked,
    table,
    terminal_width,
    wrap,
)
from policy_ledger.streams import json_for, tolerate

from .conftest import MINI, REAL_DATA, ROOT, new_repository

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("fixed_terminal")

#: every table command; those marked slow share their renderer with one kept in the default run and
#: run in CI's thorough step
TABLE_COMMANDS = [
    ("list",),
    ("query", "targets", "--as-of", "2023-06-30"),
    pytest.param(("query", "measures"), marks=pytest.mark.slow),
    pytest.param(("query", "budgets"), marks=pytest.mark.slow),
    ("query", "instruments"),
    pytest.param(("progress", "list"), marks=pytest.mark.slow),
    ("status", "--as-of", "2023-06-30"),
    ("budgets",),
    pytest.param(("log",), marks=pytest.mark.slow),
    ("log", "17.1"),
    ("show", "17", "--as-of", "2023-06-30"),
    pytest.param(("show", "1", "--as-of", "2023-06-30"), marks=pytest.mark.slow),
]


def run_at(width: int, *args: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("COLUMNS", str(width))
    result = runner.invoke(app, [*args, "--data", str(REAL_DATA)])
    assert result.exit_code == 0, result.stderr
    return result.stdout


#: Every character of the words that head columns, as often as they occur.
HEADER_CHARACTERS = Counter("".join(getattr(words, name) for name in words._WORDS) + words.NONE)


def visible_characters(text: str) -> Counter[str]:
    """What a reader sees, whatever the layout: every character but spaces and the rules of tables."""
    return Counter(char for char in text if not char.isspace() and char != "─")


@pytest.mark.parametrize("args", TABLE_COMMANDS, ids=" ".join)
# 60 columns (and the console encodings beyond GBK below) run in CI's thorough step, keeping the default
# run under 90 s
@pytest.mark.parametrize("width", [80, pytest.param(60, marks=pytest.mark.slow)])
def test_every_cell_is_whole_and_no_line_is_wider_than_the_terminal(
    args: tuple[str, ...], width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    wide = run_at(1000, *args, monkeypatch=monkeypatch)
    narrow = run_at(width, *args, monkeypatch=monkeypatch)
    assert max(cell_width(line) for line in narrow.splitlines()) <= width
    # nothing is cut: each character the wide layout shows is still there (a record repeats headers)
    missing = visible_characters(wide) - visible_characters(narrow)
    # records leave out an empty cell, and with it its header: only header words may be missing
    missing -= HEADER_CHARACTERS
    assert not missing, f"cut from the {width}-column output: {''.join(missing.elements())[:80]}"
    assert narrow.count("…") == wide.count("…")  # an ellipsis only where the data has one


def test_status_at_80_columns_shows_states_and_bars_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    out = run_at(80, "status", "--as-of", "2023-06-30", monkeypatch=monkeypatch)
    assert "no data" in out.splitlines()[3]  # the State column, not cut to "no da"
    bars = [line.split()[-1] for line in out.splitlines() if "░" in line]
    assert bars and all(len(bar) == BAR_WIDTH for bar in bars)


def test_a_table_too_wide_for_the_terminal_becomes_records() -> None:
    grid = Grid(
        title="Measures",
        headers=("No.", "Title", "Lead", "Budget"),
        rows=(("17", "优化金融支持服务", "市经信局", "31.5亿元"),),
        right=frozenset({0, 3}),
        caption="1 measure",
    )
    assert grids_view([grid], 26).splitlines() == [
        " No.      17",
        " Title    优化金融支持服务",
        " Lead     市经信局",
        " Budget   31.5亿元",
        "",
        "1 measure",
    ]


def test_a_column_that_does_not_wrap_keeps_an_amount_whole() -> None:
    assert longest_word("10.91亿元", cjk=False) == 9 and longest_word("10.91亿元") == 5
    assert wrap("≥ 150亿元", 7, cjk=False) == ["≥", "150亿元"]


def test_a_long_word_may_break_rather_than_widen_its_column() -> None:
    url = "https://example.invalid/" + "a" * 60
    assert longest_word(url) == LONGEST_KEPT
    lines = table([Column("ID"), Column("Source", wrap=True)], [["17.1", url]], 40)
    assert all(cell_width(line) <= 40 for line in lines)
    assert "".join(line[8:].strip() for line in lines[2:]) == url


@pytest.mark.parametrize(
    ("natural", "minimum", "first", "room", "widths"),
    [
        ([4, 10], [4, 8], [False, True], 20, [4, 10]),  # natural widths fit
        ([4, 30], [4, 8], [False, True], 20, [4, 16]),  # the wrapping column shrinks
        ([4, 6, 30], [4, 6, 8], [False, True, True], 20, [4, 6, 10]),  # a short one gets all it wants
        ([9, 30], [4, 8], [False, True], 14, [4, 10]),  # then the others wrap too ("on / track")
        ([9, 30], [4, 8], [False, True], 17, [9, 8]),  # one gets its natural width back when it can
        ([9, 30], [4, 8], [False, True], 11, None),  # even the narrowest is too wide: records
    ],
)
def test_fit_widths(
    natural: list[int], minimum: list[int], first: list[bool], room: int, widths: list[int] | None
) -> None:
    assert fit_widths(natural, minimum, first, room) == widths


def test_records_leave_out_empty_cells_and_wrap_long_values() -> None:
    lines = stacked(["ID", "What", "Latest"], [["17.1", "新增制造业中长期贷款", ""]], 20, title="Targets")
    # the label column is as wide as the widest header (Latest), though its empty cell is left out
    assert lines == ["Targets", " ID       17.1", " What     新增制造业", "          中长期贷款"]


@pytest.mark.parametrize(
    ("columns", "expected"),
    [("60", 60), ("132", 132), (" 100 ", 100), ("5", 20), ("99999", 1000), ("abc", 80), ("-3", 80), ("", 80)],
)
def test_terminal_width_follows_columns(columns: str, expected: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    assert terminal_width() == expected  # pytest's stdout is no terminal: 80 when $COLUMNS says nothing


def widest_line(*args: str, columns: str | None) -> int:
    env = {k: v for k, v in os.environ.items() if k not in {"COLUMNS", "LINES", "FORCE_COLOR", "TERM"}}
    if columns is not None:
        env["COLUMNS"] = columns
    result = subprocess.run(
        [sys.executable, "-m", "policy_ledger", *args, "--data", str(REAL_DATA)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        encoding="utf-8",
        check=True,
    )
    return max(cell_width(line) for line in result.stdout.splitlines())


@pytest.mark.parametrize(
    "args", [pytest.param(("list",), marks=pytest.mark.slow), ("show", "17")], ids=" ".join
)
def test_columns_wins_in_a_pipe_and_a_pipe_without_it_is_80_wide(args: tuple[str, ...]) -> None:
    assert 80 < widest_line(*args, columns="132") <= 132  # `COLUMNS=$COLUMNS ledger list | less -R`
    assert widest_line(*args, columns="60") <= 60
    assert 70 < widest_line(*args, columns=None) <= 80


# --- a console that cannot hold every character: GBK (Windows in China), ASCII, cp1252 -----------

PLANTED = "😀✓"  # neither GBK, ASCII nor cp1252 holds these; GBK holds the Chinese around them
ENCODINGS = [
    "gbk",
    pytest.param("ascii", marks=pytest.mark.slow),
    pytest.param("cp1252", marks=pytest.mark.slow),
]


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini ledger in git, measure 1 titled 加大财政支持力度😀✓ and an author named 测试😀."""
    root = tmp_path_factory.mktemp("planted")
    data = root / "data"
    shutil.copytree(MINI, data)
    policies = data / "policies.yaml"
    text = policies.read_text(encoding="utf-8")
    policies.write_text(text.replace("加大财政支持力度", "加大财政支持力度" + PLANTED), encoding="utf-8")
    new_repository(root, author="测试" + PLANTED, commit="数据 " + PLANTED)
    return data


def run_encoded(encoding: str, data: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if k not in {"FORCE_COLOR", "TERM", "LEDGER_DATA"}}
    env.update(PYTHONIOENCODING=encoding, COLUMNS="100", NO_COLOR="1")
    return subprocess.run(
        [sys.executable, "-m", "policy_ledger", *args, "--data", str(data)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        check=False,
    )


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize(
    "args",
    [
        ("show", "1"),  # the other views below in CI's thorough step
        pytest.param(("list",), marks=pytest.mark.slow),
        ("status", "--as-of", "2023-06-30"),
        pytest.param(("log",), marks=pytest.mark.slow),
    ],
    ids=" ".join,
)
def test_text_for_people_replaces_what_the_console_cannot_hold(
    encoding: str, args: tuple[str, ...], planted: Path
) -> None:
    result = run_encoded(encoding, planted, *args)
    assert (result.returncode, result.stderr) == (0, b"")
    # click writes UTF-8 to a console that says ASCII (it takes that for a misconfiguration); every other
    # encoding writes what the console holds, and "?" for the rest
    if encoding == "ascii":
        shown = result.stdout.decode("utf-8")
        assert "─" in shown and (PLANTED in shown or args[0] == "status")  # status shows no planted text
        return
    shown = result.stdout.decode(encoding)
    assert PLANTED not in shown and "?" in shown
    if encoding == "gbk":  # the Chinese stays
        assert "市发改局" in shown or "测试?" in shown


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_json_keeps_its_data_as_escapes(encoding: str, planted: Path) -> None:
    result = run_encoded(encoding, planted, "list", "-f", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.decode(encoding))[0]["title"] == "加大财政支持力度" + PLANTED
    assert b"\\ud83d\\ude00" in result.stdout  # beyond the BMP: a surrogate pair, as JSON writes it


@pytest.mark.parametrize("encoding", ["ascii", pytest.param("cp1252", marks=pytest.mark.slow)])
def test_status_json_keeps_its_chinese_as_escapes_like_every_listing(encoding: str, planted: Path) -> None:
    result = run_encoded(encoding, planted, "status", "--as-of", "2023-06-30", "-f", "json")
    assert result.returncode == 0, result.stderr
    assert result.stdout.isascii(), "JSON escapes what the console cannot hold, as the listings do"
    assert "市发改局" in json.dumps(json.loads(result.stdout), ensure_ascii=False)


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_yaml_keeps_its_data_as_escapes(encoding: str, planted: Path) -> None:
    result = run_encoded(encoding, planted, "list", "-f", "yaml")
    assert result.returncode == 0, result.stderr
    assert YAML(typ="safe").load(result.stdout.decode(encoding))[0]["title"] == "加大财政支持力度" + PLANTED


def test_csv_and_files_stay_utf8(planted: Path, tmp_path: Path) -> None:
    result = run_encoded("gbk", planted, "list", "-f", "csv")
    assert result.returncode == 0 and PLANTED in result.stdout.decode("utf-8-sig")
    report = tmp_path / "report.md"
    result = run_encoded("gbk", planted, "report", "--as-of", "2023-06-30", "-o", str(report))
    assert result.returncode == 0 and PLANTED in report.read_text(encoding="utf-8")


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_an_error_quoting_what_the_console_cannot_hold_is_one_line(encoding: str, planted: Path) -> None:
    result = run_encoded(encoding, planted, "show", "≥" + PLANTED)
    assert result.returncode == 2 and result.stdout == b""
    lines = result.stderr.decode(encoding, errors="replace").splitlines()
    assert len(lines) == 1 and lines[0].startswith("ledger: no measure")


def test_validate_json_under_gbk_is_valid_json(planted: Path) -> None:
    result = run_encoded("gbk", planted, "validate", "-f", "json")
    assert result.returncode in (0, 1) and b"Traceback" not in result.stderr
    json.loads(result.stdout.decode("gbk"))


def test_json_escapes_only_what_the_encoding_cannot_hold() -> None:
    document = json.dumps({"t": "≥ 40亿元 😀"}, ensure_ascii=False)
    assert json_for(document, "gbk") == '{"t": "≥ 40亿元 \\ud83d\\ude00"}'
    assert json.loads(json_for(document, "ascii")) == {"t": "≥ 40亿元 😀"}
    assert json_for(document, "utf-8") == document


def test_tolerate_leaves_a_stream_that_already_replaces_alone() -> None:
    strict = io.TextIOWrapper(io.BytesIO(), encoding="gbk", errors="strict")
    tolerate(strict)
    strict.write("😀")
    strict.flush()
    assert strict.buffer.getvalue() == b"?"  # type: ignore[attr-defined]
    escaping = io.TextIOWrapper(io.BytesIO(), encoding="ascii", errors="backslashreplace")
    tolerate(escaping)
    assert escaping.errors == "backslashreplace"


def test_an_amount_in_a_column_that_does_not_wrap_stays_whole() -> None:
    grid = Grid(
        title="",
        headers=("Title", "Budget"),
        rows=(("优化金融支持服务" * 2, "10.91亿元"),),
        right=frozenset({1}),
    )
    assert "10.91亿元" in grids_view([grid], 24)


def test_a_wrapped_cell_breaks_between_cjk_characters_never_inside_an_ascii_word() -> None:
    assert wrap("乐清电厂三期、温州LNG外输管道项目投产", 20) == ["乐清电厂三期、温州", "LNG外输管道项目投产"]
    assert wrap("2023-06-30 (2023年迎峰度夏前)", 23) == ["2023-06-30 (2023年迎峰", "度夏前)"]
    indented = wrap("  首台套、“专精特新”、软件信息服务、集群服务", 20)  # an allocation under its budget
    assert all(line.startswith("  ") for line in indented) and "".join(indented).count("首台套") == 1
