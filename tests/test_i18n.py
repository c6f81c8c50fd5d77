"""The interface in Chinese: a whole catalogue, the language the locale or ``--lang`` chooses, help that
reads well at 80 columns, one-line Chinese errors, and machine-readable output that no language changes."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from policy_ledger import i18n
from policy_ledger.cli import _first_sentence, app
from policy_ledger.helpformat import columns, wrap_text

from .conftest import REAL_DATA, ROOT

runner = CliRunner()


@pytest.fixture(scope="module")
def catalogue() -> ModuleType:
    """tools/catalogue.py, loaded by its path (tools/ is not a package)."""
    spec = importlib.util.spec_from_file_location("catalogue", ROOT / "tools" / "catalogue.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def zh(*args: str, width: int = 80) -> Any:
    """``ledger --lang zh ARGS`` in process, its help laid out for a terminal ``width`` columns wide."""
    return runner.invoke(app, ["--lang", "zh", *args], terminal_width=width)


# --- the catalogue ------------------------------------------------------------------------------------


def test_every_message_has_chinese_and_every_chinese_message_is_used(catalogue: ModuleType) -> None:
    """Every message the code can show (``_``, ``N_``, ``ngettext``, ``pgettext``, every help text and
    Typer's own words) has its Chinese; none is fuzzy; the catalogue holds nothing the code no longer
    shows. Run tools/catalogue.py --check to see what is missing, and where it is used."""
    expected = catalogue.template()
    assert len(expected) > 700  # the whole interface, not an empty extraction
    assert catalogue.problems(catalogue.read_catalogue(), expected) == []


def test_the_mo_is_compiled_from_the_po(catalogue: ModuleType) -> None:
    assert catalogue.MO.read_bytes() == catalogue.compiled(catalogue.read_catalogue()), (
        "run tools/catalogue.py to compile the .mo"
    )


def test_the_catalogue_reads_the_help_as_written_under_a_chinese_locale(
    catalogue: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reading the help (a context made with resilient parsing) does not translate it in place: run under
    LANG=zh_CN, tools/catalogue.py would otherwise take the Chinese for new messages."""
    monkeypatch.setenv("LANGUAGE", "zh_CN")
    i18n.use("zh")
    ids = {message.id for message in catalogue.template() if message.id}
    assert "Show this message and exit." in ids and "Print the version." in ids
    assert "显示本帮助并退出。" not in ids


# --- which language -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}, "en"),  # LC_ALL comes before LANG
        ({"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
        ({"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "C.UTF-8"}, "zh"),
        ({"LC_MESSAGES": "en_GB.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
        ({"LANGUAGE": "zh_CN:en_US", "LANG": "en_US.UTF-8"}, "zh"),
        ({"LANGUAGE": "en_US:zh_CN", "LANG": "zh_CN.UTF-8"}, "en"),  # the first language listed
        ({"LANGUAGE": "", "LC_ALL": "", "LANG": "zh_CN.GB18030"}, "zh"),  # an empty variable is unset
        ({"LANG": "C"}, "en"),
        ({"LANGUAGE": "zh_CN", "LANG": "C"}, "en"),  # C asks for the program's own words (GNU gettext)
        ({"LANGUAGE": "zh_CN", "LC_ALL": "POSIX", "LANG": "zh_CN.UTF-8"}, "en"),
        ({"LANGUAGE": "zh_CN", "LANG": "C.UTF-8"}, "en"),
        ({"LANGUAGE": "zh_CN"}, "zh"),
        ({}, "en"),
    ],
)
def test_the_locale_chooses_the_language(environ: dict[str, str], language: str) -> None:
    if not environ and os.name == "nt":
        pytest.skip("Windows reads the user's locale when no variable is set")
    assert i18n.language_of_locale(environ) == language


def _ledger(*args: str, **environ: str) -> subprocess.CompletedProcess[str]:
    """The installed CLI in a process of its own, with only the locale variables given."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG", "LEDGER_LANG", "LC_CTYPE"}
    }
    env |= {"COLUMNS": "80", "PYTHONIOENCODING": "utf-8", **environ}
    return subprocess.run(
        [sys.executable, "-m", "policy_ledger", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        check=False,
        cwd=ROOT,
    )


def test_a_chinese_locale_gives_chinese_help_and_lang_en_english() -> None:
    chinese = _ledger("--help", LANG="zh_CN.UTF-8")
    assert chinese.returncode == 0, chinese.stderr
    assert "查询、检查并更新政策文件" in chinese.stdout and "选项：" in chinese.stdout
    english = _ledger("--lang", "en", "--help", LANG="zh_CN.UTF-8")
    assert english.returncode == 0, english.stderr
    assert "Query, check and keep up to date" in english.stdout and "Options:" in english.stdout
    assert "查询" not in english.stdout


def test_ledger_lang_chooses_chinese_under_any_locale() -> None:
    result = _ledger("show", "--help", LANG="C.UTF-8", LEDGER_LANG="zh")
    assert result.returncode == 0, result.stderr
    assert "显示一条措施" in result.stdout


# --- help ---------------------------------------------------------------------------------------------


def _commands() -> list[tuple[list[str], Any]]:
    """Every command of the tree, with the words that name it: [], ["show"], ["progress", "add"] …"""
    found = []

    def visit(path: list[str], command: Any) -> None:
        found.append((path, command))
        for name, sub in getattr(command, "commands", {}).items():
            visit([*path, name], sub)

    visit([], typer.main.get_command(app))
    return found


def _help_texts(command: Any) -> list[str]:
    ctx = command.make_context("ledger", ["--help"], resilient_parsing=True)
    items = [command, *command.params, command.get_help_option(ctx)]
    return [text for item in items if item is not None for text in (getattr(item, "help", None),) if text]


def _squeezed(text: str) -> str:
    return "".join(text.split())


COMMANDS = _commands()


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) or "ledger" for p, _ in COMMANDS])
def test_help_of_every_command_is_chinese_and_fits_80_columns(path: list[str], command: Any) -> None:
    result = zh(*path, "--help")
    assert result.exit_code == 0, result.output
    shown = _squeezed(result.stdout)
    texts = _help_texts(command)
    i18n.use("zh")
    for text in texts:
        assert _squeezed(text) not in shown, f"English help in `ledger {' '.join(path)} --help`: {text!r}"
        assert _squeezed(i18n._(text)) in shown
    for name, sub in getattr(command, "commands", {}).items():  # the list of commands: first sentences
        assert f"{name}{_squeezed(_first_sentence(i18n._(sub.help)))}" in shown
    for heading in ("Options:", "Arguments:", "Commands:", "[default:", "required]"):
        assert heading not in result.stdout
    too_wide = [line for line in result.stdout.splitlines() if columns(line) > 80]
    assert too_wide == []


@pytest.mark.parametrize("args", [["progress"], ["progress", "--help"]])
def test_help_of_the_progress_group_is_chinese(args: list[str]) -> None:
    result = zh(*args)
    assert "登记和列出目标的进度记录" in result.output and "选项：" in result.output
    assert "显示本帮助并退出。" in result.output and "Show this message and exit." not in result.output


@pytest.mark.parametrize("environ", [{"LANG": "zh_CN.UTF-8"}, {"LANG": "C.UTF-8", "LEDGER_LANG": "zh"}])
def test_ledger_alone_shows_its_help_in_the_chosen_language(environ: dict[str, str]) -> None:
    result = _ledger(**environ)  # no arguments: the help, before any option is read
    assert "查询、检查并更新政策文件" in result.stdout + result.stderr
    assert "命令：" in result.stdout + result.stderr


def test_help_fits_a_narrow_terminal() -> None:
    result = zh("progress", "add", "--help", width=60)
    assert result.exit_code == 0
    assert max(columns(line) for line in result.stdout.splitlines()) <= 60


def test_chinese_wraps_between_characters_never_inside_a_document_number_date_or_amount() -> None:
    text = (
        "检查每个文件（乐政发〔2023〕6号），截至2023年6月30日已拨付31.5亿元，"
        "把每个问题按 FILE:LINE:COL 逐行列出。"
    )
    for width in range(24, 60):
        lines = wrap_text(text, width).splitlines()
        assert all(columns(line) <= width for line in lines)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        joined = "\n".join(lines)
        for whole in ("乐政发〔2023〕6号", "2023年6月30日", "31.5亿元", "FILE:LINE:COL"):
            assert whole in joined
        assert not any(line.startswith(("，", "。", "）", "〕")) for line in lines)
        assert not any(line.endswith(("（", "〔")) for line in lines)


def test_english_help_is_laid_out_as_click_lays_it_out() -> None:
    from typer._click.formatting import wrap_text as click_wrap

    for command in (c for _, c in COMMANDS):
        for text in _help_texts(command):
            if text.isascii():
                for width in (30, 56, 78):
                    assert wrap_text(text, width, "  ", "  ", paragraphs=True) == click_wrap(
                        text, width, "  ", "  ", preserve_paragraphs=True
                    )


# --- errors -------------------------------------------------------------------------------------------


def _one_chinese_line(result: Any, code: int, *, chinese: bool = True) -> str:
    assert result.exit_code == code, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("ledger: ")
    assert not chinese or any("\u4e00" <= ch <= "\u9fff" for ch in lines[0]), lines[0]
    return lines[0]


def test_an_unknown_measure_is_one_chinese_line() -> None:
    line = _one_chinese_line(zh("show", "99", "--data", str(REAL_DATA)), 2)
    assert "没有措施 '99'" in line and "1-57" in line


def test_a_bad_as_of_is_one_chinese_line() -> None:
    result = zh("show", "17", "--as-of", "2023-13-45", "--data", str(REAL_DATA))
    line = _one_chinese_line(
        result, 2, chinese=False
    )  # why the date is wrong is typed.py's, in Chinese there
    assert line.startswith("ledger: --as-of '2023-13-45'：")


def test_progress_add_on_an_unknown_id_is_one_chinese_line(mini: Path) -> None:
    before = {p.name: p.read_bytes() for p in mini.glob("*.yaml")}
    result = zh(
        "progress", "add", "99.9", "--as-of", "2023-06-30", "--value", "1", "--no-commit", "--data", str(mini)
    )
    line = _one_chinese_line(result, 2)
    assert "没有目标、分项或政策工具 '99.9'" in line
    assert {p.name: p.read_bytes() for p in mini.glob("*.yaml")} == before


def test_an_unknown_query_field_is_one_chinese_line() -> None:
    line = _one_chinese_line(zh("query", "targets", "colour:red", "--data", str(REAL_DATA)), 2)
    assert "没有字段 'colour'" in line


def test_a_data_folder_that_does_not_exist_is_one_line(tmp_path: Path) -> None:
    result = zh("show", "17", "--data", str(tmp_path / "nowhere"))
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("ledger: ")


def test_a_data_folder_that_does_not_exist_is_said_in_chinese(tmp_path: Path) -> None:
    _one_chinese_line(zh("show", "17", "--data", str(tmp_path / "nowhere")), 2)


def test_hostile_input_is_escaped_in_chinese_errors(mini: Path, tmp_path: Path) -> None:
    line = _one_chinese_line(zh("query", "targets", "lead:\x1b[2J\u202e经信", "--data", str(mini)), 2)
    assert "\\x1b[2J\\u202e经信" in line and "\x1b" not in line and "\u202e" not in line
    folder = tmp_path / "报告\u202e\x07"
    result = zh("report", "--as-of", "2023-06-30", "-o", str(folder / "r.md"), "--data", str(mini))
    line = _one_chinese_line(result, 2)
    assert "文件夹不存在" in line and "\\u202e\\x07" in line
    assert "\u202e" not in result.stderr and "\x07" not in result.stderr and not folder.exists()


# --- machine-readable output --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def data_in_git(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the real data in a repository of its own, for ``ledger log``."""
    from .conftest import new_repository

    root = tmp_path_factory.mktemp("ledger")
    shutil.copytree(REAL_DATA, root / "data", ignore=shutil.ignore_patterns("_parts"))
    new_repository(root)
    return root / "data"


MACHINE_READABLE = [
    ["query", "targets", "-f", "json", "--as-of", "2023-06-30"],
    ["query", "budgets", "-f", "csv"],
    ["query", "instruments", "-f", "yaml"],
    ["list", "-f", "json"],
    ["list", "-f", "csv"],
    ["list", "-f", "yaml"],
    ["export", "-f", "json", "--as-of", "2023-06-30"],
    ["export", "-f", "yaml", "--table", "targets"],
    ["export", "-f", "csv", "--table", "progress"],
    ["status", "-f", "json", "--as-of", "2023-06-30"],
    ["status", "-f", "csv", "--as-of", "2023-06-30"],
    ["progress", "list", "-f", "json"],
    ["log", "-f", "json"],
]


#: the default run keeps one of each format; the rest run in CI's thorough step (the default run stays
#: under 90 s)
_THOROUGH = {"yaml", "list", "log"}


@pytest.mark.parametrize(
    "args",
    [pytest.param(a, marks=pytest.mark.slow) if _THOROUGH & {a[0], *a} else a for a in MACHINE_READABLE],
    ids=[" ".join(a) for a in MACHINE_READABLE],
)
def test_machine_readable_output_is_the_same_in_every_language(args: list[str], data_in_git: Path) -> None:
    outputs = []
    for language in ("zh", "en"):
        result = runner.invoke(app, ["--lang", language, *args, "--data", str(data_in_git)])
        assert result.exit_code == 0, result.output
        outputs.append(result.stdout_bytes)
    assert outputs[0] == outputs[1]
    assert outputs[0].strip()


@pytest.mark.parametrize(
    ("args", "english"),
    [
        (["3.1", "--value", "23.5", "--as-of", "2099-06-30"], "future"),  # the checks' reason
        (["3.2", "--value", "3", "--as-of", "2023-06-30"], "milestone"),  # the checks' reason and advice
        (["3.1", "--value", "23.5", "--as-of", "2023-02-30"], "real date"),  # typed input's reason
        (["3.1", "--value", "1_4.8", "--as-of", "2023-06-30"], "write"),  # the number parser's reason
    ],
)
def test_a_refused_entry_says_its_reason_in_chinese(args: list[str], english: str, mini: Path) -> None:
    line = _one_chinese_line(zh("progress", "add", *args, "--no-commit", "--data", str(mini)), 2)
    assert english not in line, line


def test_an_import_into_a_broken_file_says_why_in_chinese(mini: Path) -> None:
    """The finding a write quotes (the file does not parse) reads in the reader's language too."""
    (mini / "targets.yaml").write_text('targets:\n  - id: "1.1\n', encoding="utf-8")
    english = runner.invoke(app, ["validate", "-f", "json", "--data", str(mini)]).stdout
    reason = next(f["message"] for f in json.loads(english) if f["code"] == "L001")
    seed = ROOT / "data" / "source" / "lezhengfa-2023-6.txt"
    line = _one_chinese_line(
        zh("import", str(seed), "--id", "other-1", "--no-commit", "--data", str(mini)), 1
    )
    assert reason not in line and "fix it" not in line, line
