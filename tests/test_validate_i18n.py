"""``ledger validate`` speaks the reader's language to people and English to programs.

Findings, hints, the summary line, reader and model errors and suppression messages are ``Message``s:
their text is English (JSON, SARIF, GitHub annotations, finding keys) and ``shown()`` says them in the
reader's language. Every bad fixture validated in Chinese must show Chinese in each finding: the guard
that no message was left as a plain English string.
"""

from __future__ import annotations

import pickle
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policy_ledger import i18n
from policy_ledger.cli import app
from policy_ledger.formats import render_report, render_suppressions, step_summary
from policy_ledger.messages import N_, Message, Refusal, shown
from policy_ledger.problems import Severity
from policy_ledger.scope import finding_key
from policy_ledger.validation import validate_data

from .conftest import BAD, MINI, TODAY, delete_allocation_b17, git, new_repository

CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")
BAD_CASES = sorted(p.name for p in BAD.iterdir() if p.is_dir())
#: A few fixtures that cover the reader, the models, the cross-record checks and the suppressions.
SOME_CASES = [
    "L001-unclosed-quote",
    "L003-unknown-field",
    "L004-duplicate-target-id",
    "L012-allocations-do-not-sum",
    "L019-suppression-without-reason",
    "L020-suppression-silences-nothing",
]


def broken(case: str, tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    for path in (BAD / case).iterdir():
        shutil.copy(path, data / path.name)
    return data


def chinese(text: str) -> bool:
    return bool(CJK.search(text))


@pytest.mark.parametrize("case", BAD_CASES)
def test_every_finding_of_a_bad_fixture_shows_in_chinese(case: str, tmp_path: Path) -> None:
    data = broken(case, tmp_path)
    i18n.use("zh")
    report = validate_data(data, today=TODAY)
    findings = report.problems + [problem for problem, _ in report.silenced]
    assert findings
    for problem in findings:
        message, hint = shown(problem.message), shown(problem.hint)
        assert isinstance(problem.message, Message), f"{problem.code} {problem.message!r} is not a Message"
        # Chinese, and not only in the words the data carries (a quote, 亿元): the sentence itself changed
        assert chinese(message) and message != problem.message, (
            f"{case}: {problem.code} in English: {message}"
        )
        assert not hint or (chinese(hint) and hint != problem.hint), f"{case}: {problem.code} hint: {hint}"
    assert chinese(report.summary().shown())
    assert not chinese(str(report.summary()))


@pytest.mark.parametrize("case", SOME_CASES)
def test_machine_outputs_are_the_same_in_both_languages(case: str, tmp_path: Path) -> None:
    data = broken(case, tmp_path)
    outputs = {}
    for language in ("en", "zh"):
        i18n.use(language)
        report = validate_data(data, today=TODAY)
        outputs[language] = [
            render_report(report, output_format, "1.0") for output_format in ("json", "sarif", "github")
        ] + [render_suppressions(report.suppressions, "json")]
        outputs[f"{language} text"] = render_report(report, "text")
    assert outputs["zh"] == outputs["en"]
    assert outputs["zh text"] != outputs["en text"]
    i18n.use("en")  # a report built under zh reads English again once English is chosen
    assert render_report(report, "text") == outputs["en text"]


def test_cli_prints_findings_and_summary_in_chinese(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = broken("L004-duplicate-target-id", tmp_path)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    zh = runner.invoke(app, ["--lang", "zh", "validate", "--data", "data"])
    en = runner.invoke(app, ["--lang", "en", "validate", "--data", "data"])
    assert zh.exit_code == en.exit_code == 1
    lines = zh.stdout.splitlines()
    assert (
        "data/targets.yaml:53:5: 错误 L004 目标 3.1 重复定义（首次出现在 data/targets.yaml:44:5）；"
        in lines[-2]
    )
    assert lines[-1].startswith("1 个文件、2 个领域、3 条措施")
    assert "请修正上面的错误" in lines[-1]
    assert en.stdout.splitlines()[-2] == (
        "data/targets.yaml:53:5: error L004 target 3.1 is defined twice (first at data/targets.yaml:44:5); "
        "give this one its own id or remove it"
    )
    for output_format in ("json", "sarif", "github"):
        outputs = [
            runner.invoke(
                app, ["--lang", lang, "validate", "--data", "data", "--format", output_format]
            ).stdout
            for lang in ("zh", "en")
        ]
        assert outputs[0] == outputs[1]
    del data


def test_step_summary_and_suppression_list_are_in_the_readers_language(tmp_path: Path) -> None:
    data = broken("L020-suppression-silences-nothing", tmp_path)
    i18n.use("zh")
    report = validate_data(data, today=TODAY)
    summary = step_summary(report, {})
    rows = [[cell.strip() for cell in line.split("|")[1:-1]] for line in summary.splitlines()]
    assert ["级别", "位置", "代码", "问题", "处理办法"] in rows
    assert "警告" in [row[0] for row in rows if row]
    listed = render_suppressions(report.suppressions, "text")
    assert "条忽略注释" in listed.splitlines()[-1]


def test_finding_keys_and_suppressions_do_not_depend_on_the_language(tmp_path: Path) -> None:
    data = broken("L019-suppression-of-unknown-code", tmp_path)
    reports = {}
    for language in ("en", "zh"):
        i18n.use(language)
        reports[language] = validate_data(data, today=TODAY)
    en, zh = reports["en"], reports["zh"]
    assert [finding_key(p, data) for p in en.problems] == [finding_key(p, data) for p in zh.problems]
    assert [(p, s.comment) for p, s in en.silenced] == [(p, s.comment) for p, s in zh.silenced]
    assert [s.silenced for s in en.suppressions] == [s.silenced for s in zh.suppressions]


def test_changed_since_is_the_same_in_both_languages(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(MINI, root / "data")
    targets = root / "data" / "targets.yaml"
    targets.write_text(targets.read_text(encoding="utf-8").replace("    value: 10\n", "    value: 12\n"))
    new_repository(root)
    git(root, "checkout", "-q", "-b", "pr")
    delete_allocation_b17(root / "data")  # the change breaks the sum; the L010 was there before
    data = root / "data"
    reports = {}
    for language in ("en", "zh"):
        i18n.use(language)
        reports[language] = validate_data(data, TODAY, changed_since="main")
    en, zh = reports["en"], reports["zh"]
    assert [p.code for p in en.problems] == ["L012"]
    assert en.problems == zh.problems and en.hidden == zh.hidden
    assert str(en.summary()) == str(zh.summary())
    assert "本次修改之外" in zh.summary().shown()


def test_a_message_is_its_english_text_and_says_it_again_in_chinese() -> None:
    label = Message(N_("target {id}"), id="3.1")
    message = Message(N_("{record}: unknown unit “{unit}”"), record=label, unit="公顷")
    assert message == "target 3.1: unknown unit “公顷”" and message.english() == message
    assert message.shown() == message  # English is the reader's language here
    i18n.use("zh")
    assert message.shown() == "目标 3.1：未知单位“公顷”"
    assert str(message) == "target 3.1: unknown unit “公顷”"  # the string itself stays English
    assert f"{message}" == "target 3.1: unknown unit “公顷”"
    assert pickle.loads(pickle.dumps(message)).shown() == message.shown()
    count = Message.ngettext("{count} error", "{count} errors", 2, count=2)
    assert count == "2 errors" and count.shown() == "2 个错误"
    assert Message("").shown() == ""  # not the catalogue's header
    refusal = Refusal(Message(N_("is not a whole number")), Message(N_("write a whole number such as 17")))
    assert str(refusal) == "is not a whole number; write a whole number such as 17"
    assert refusal.shown() == "不是整数；请写整数，例如 17"


def test_severity_reads_in_the_readers_language_and_stays_in_the_machines() -> None:
    i18n.use("zh")
    assert [s.shown() for s in Severity] == ["错误", "警告", "提示"]
    assert [s.value for s in Severity] == ["error", "warning", "info"]


def _source_missing(data: Path) -> None:
    for text in (data / "source").iterdir():
        text.unlink()


def _source_outside(data: Path) -> None:
    outside = data.parent / "elsewhere"
    shutil.move(data / "source", outside)
    (data / "source").symlink_to(outside, target_is_directory=True)


def _data_file_too_large(data: Path) -> None:
    """Over the limit, which the test lowers to 1 MB (the 32 MB one is test_reliability's)."""
    with (data / "targets.yaml").open("a", encoding="utf-8") as handle:
        handle.write("# " + "填" * (2 * 1024 * 1024 // 3) + "\n")


@pytest.mark.parametrize("spoil", [_source_missing, _source_outside, _data_file_too_large])
def test_a_file_the_reader_refuses_is_english_in_json_and_chinese_on_a_terminal(  # type: ignore[no-untyped-def]
    spoil, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reasons fileio gives for refusing a file become findings: data in JSON, words on a terminal."""
    from policy_ledger import fileio

    monkeypatch.setattr(fileio, "MAX_DATA_BYTES", 1024 * 1024)
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    spoil(data)
    outputs = {}
    for language in ("en", "zh"):
        i18n.use(language)
        report = validate_data(data, today=TODAY)
        outputs[language] = render_report(report, "json", "1.0")
        outputs[f"{language} text"] = render_report(report, "text")
    assert outputs["zh"] == outputs["en"]
    refused = [line for line in outputs["zh text"].splitlines() if " L001 " in line or " L009 " in line]
    assert refused and all(chinese(line.split(": ", 1)[1]) for line in refused), refused
