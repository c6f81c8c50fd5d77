"""The views' words in both languages: looked up when read, the document's own words in Chinese."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from policy_ledger import i18n, words
from policy_ledger.status import State

from .conftest import REAL_DATA

PACKAGE = Path(i18n.__file__).parent


def test_a_word_is_read_in_the_language_in_use_when_it_is_read() -> None:
    i18n.use("zh")
    assert (words.STATE, words.LEAD, words.state(State.NO_REPORT)) == ("状态", "牵头单位", "未报送")
    i18n.use("en")
    assert (words.STATE, words.LEAD, words.state(State.NO_REPORT)) == ("State", "Lead", "no report")


def test_values_read_as_the_document_words_them_in_chinese() -> None:
    i18n.use("zh")
    assert words.quantity("at_least", "40亿元") == "40亿元以上"
    assert words.quantity("at_most", "5%") == "5%以内"
    assert words.quantity("about", "561亿元") == "561亿元左右"
    assert words.quantity(None, "6家") == "6家"
    assert [words.commitment(c) for c in ("firm", "stretch")] == ["确保", "力争"]
    assert words.count(26, "target") == "26 个目标"
    i18n.use("en")
    assert words.quantity("at_least", "40亿元") == "≥ 40亿元"
    assert words.commitment("firm") == "firm"
    assert (words.count(1, "target"), words.count(26, "target")) == ("1 target", "26 targets")


def test_every_state_and_choice_has_chinese() -> None:
    i18n.use("zh")
    for state in State:
        assert words.state(state) != state.value.replace("_", " ")
    for choice in words._VALUES:
        assert words.value(choice) != choice


def test_english_for_a_shared_record_whatever_the_reader_reads() -> None:
    i18n.use("zh")
    with i18n.in_english():
        assert words.state(State.ON_TRACK) == "on track"
    assert words.state(State.ON_TRACK) == "进度正常"


def test_a_phrase_takes_its_values_in_the_order_it_names_them() -> None:
    i18n.use("zh")
    assert words.state_count("滞后", 1) == "滞后1个"
    i18n.use("en")
    assert words.state_count("behind", 1) == "1 behind"
    with pytest.raises(ValueError, match="places"):
        words.Phrase("{n} {state}", "n status")  # a name the template does not place


def test_an_unknown_word_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="NO_SUCH_WORD"):
        _ = words.NO_SUCH_WORD


def test_every_word_the_code_reads_exists() -> None:
    """words.NAME is looked up when read, so mypy cannot catch a misspelt name: this does."""
    known = set(words._WORDS) | {name for name in vars(words) if not name.startswith("_")}
    used = set()
    for path in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "words"
            ):
                used.add((node.attr, path.name))
    known |= set(dir(list))  # plain.py also names a list of words ``words``
    assert not {(name, where) for name, where in used if name not in known}


def _ledger(*args: str, **env: str) -> str:
    environment = {k: v for k, v in os.environ.items() if k not in {"LANGUAGE", "LC_ALL", "LANG"}}
    result = subprocess.run(
        [sys.executable, "-m", "policy_ledger", *args, "--data", str(REAL_DATA)],
        env={**environment, **env},
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    )
    return result.stdout


def test_a_chinese_locale_shows_the_measure_in_chinese_and_lang_en_in_english() -> None:
    chinese = _ledger("show", "17", "--as-of", "2023-06-30", LANG="zh_CN.UTF-8")
    assert "牵头单位" in chinese and "40亿元以上" in chinese and "力争" in chinese and "待报送" in chinese
    english = _ledger("--lang", "en", "show", "17", "--as-of", "2023-06-30", LANG="zh_CN.UTF-8")
    assert "Lead" in english and "≥ 40亿元" in english and "牵头单位" not in english


def test_no_module_reads_a_word_at_import() -> None:
    """A word read while a module is imported would keep the language of that moment (in a test run,
    the first test's), not the one --lang chooses later."""

    class AtImport(ast.NodeVisitor):
        def __init__(self) -> None:
            self.depth, self.found = 0, []

        def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
            self.depth += 1
            self.generic_visit(node)
            self.depth -= 1

        def visit_Lambda(self, node: ast.Lambda) -> None:
            self.depth += 1
            self.generic_visit(node)
            self.depth -= 1

        def visit_Attribute(self, node: ast.Attribute) -> None:
            if self.depth == 0 and isinstance(node.value, ast.Name) and node.value.id == "words":
                self.found.append(node.attr)
            self.generic_visit(node)

    for path in PACKAGE.glob("*.py"):
        visitor = AtImport()
        visitor.visit(ast.parse(path.read_text(encoding="utf-8")))
        assert not visitor.found, f"{path.name} reads {visitor.found} at import"


def test_a_listing_in_process_follows_lang_after_an_english_run() -> None:
    from typer.testing import CliRunner

    from policy_ledger.cli import app

    runner = CliRunner()
    english = runner.invoke(app, ["query", "targets", "--data", str(REAL_DATA), "measure:17"])
    chinese = runner.invoke(app, ["--lang", "zh", "query", "targets", "--data", str(REAL_DATA), "measure:17"])
    assert "Commitment" in english.stdout and "要求" in chinese.stdout and "Commitment" not in chinese.stdout
