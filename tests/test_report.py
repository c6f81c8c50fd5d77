"""`ledger report`: deterministic, linted GitHub Markdown; golden files; atomic -o; What changed."""

from __future__ import annotations

import html
import importlib.util
import re
import shutil
import subprocess
import unicodedata
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pymarkdown.api import PyMarkdownApi
from typer.testing import CliRunner

from policy_ledger.cli import app
from policy_ledger.loader import load_ledger
from policy_ledger.progress import ProgressRequest, record_progress
from policy_ledger.report import anchor, build_report
from policy_ledger.safe import markdown_safe

from .conftest import REAL_DATA, ROOT

runner = CliRunner()
AS_OF = date(2023, 6, 30)


def lint(text: str) -> list[str]:
    """pymarkdownlnt with every rule but line length (tables of Chinese text cannot wrap)."""
    result = PyMarkdownApi().disable_rule_by_identifier("md013").scan_string(text)
    return [f"{f.line_number}: {f.rule_id} {f.rule_description}" for f in result.scan_failures]


@pytest.fixture(scope="module")
def whole() -> str:
    ledger, _ = load_ledger(REAL_DATA)
    return build_report(ledger, AS_OF)


def test_whole_report_matches_golden_and_lints_clean(whole: str, golden) -> None:  # type: ignore[no-untyped-def]
    assert lint(whole) == []
    golden("report.md", whole)


def test_area_report_matches_golden_and_lints_clean(golden) -> None:  # type: ignore[no-untyped-def]
    ledger, _ = load_ledger(REAL_DATA)
    text = build_report(ledger, AS_OF, area=3)
    assert lint(text) == []
    assert "## Area 3: “415X”先进制造业集群培育政策" in text and "## Area 1:" not in text
    golden("report-area-3.md", text)


def test_report_is_deterministic() -> None:
    first = build_report(load_ledger(REAL_DATA)[0], AS_OF)
    second = build_report(load_ledger(REAL_DATA)[0], AS_OF)
    assert first == second


def test_report_holds_the_budget_picture(whole: str) -> None:
    assert (
        "The 8 budgets add up to 75.538亿元 (gross). The document states 48.08亿元 net of overlaps" in whole
    )
    assert "so 27.458亿元 is counted by more than one area." in whole
    assert (
        '```mermaid\npie showData title Budget by area, gross, 亿元\n    "1 扩大有效投资政策" : 31.5\n'
        in whole
    )
    b21 = whole[whole.index("### Budget B21: 21．落实财政资金保障, 5580万元") :]
    b21 = b21[: b21.index("\n\n###")]
    assert "Amount (万元)" in b21 and cells(b21, "| B21.3 ")[:3] == [
        "B21.3",
        "各项现代服务业政策及预留促消费资金",
        "4880",
    ]
    assert "亿元" not in b21.split("\n", 1)[1]  # the document's unit for B21, and only it


def cells(text: str, start: str) -> list[str]:
    """The cells of the first table row of ``text`` that starts with ``start``."""
    row = next(line for line in text.splitlines() if line.startswith(start))
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", row.strip().strip("|"))]


def tables(text: str) -> list[list[str]]:
    """Every pipe table of a Markdown text, as its lines."""
    found: list[list[str]] = []
    for line in text.splitlines():
        if line.startswith("|"):
            found[-1].append(line) if found and found[-1] else found.append([line])
        elif found and found[-1]:
            found.append([])
    return [table for table in found if table]


def test_every_table_holds_amounts_in_one_unit(whole: str) -> None:
    """Never 5580万元 beside 0.558亿元: a table names its unit in a header, or holds one unit in its cells."""
    for table in tables(whole):
        units = {
            unit for unit in ("元", "万元", "亿元") if re.search(rf"\d{unit}(?!\w)", "\n".join(table[2:]))
        }
        named = {unit for unit in ("万元", "亿元") if f"({unit})" in table[0]}
        assert len(units | named) <= 1 or (len(units) == 1 and not named), table[0]


def test_ids_and_amounts_print_as_written(whole: str) -> None:
    assert "- [ ] 48.10 争创省级水稻产业“机器换人”高质量发展先行县" in whole
    assert "| A2.1 | 研发投入强度" in whole and "≈ 3.0% " in whole


def test_every_area_and_measure_has_its_section(whole: str) -> None:
    for number in range(1, 9):
        assert f"\n## Area {number}: " in whole
    for number in range(1, 58):
        assert f"\n### {number}．" in whole


def test_progress_shows_as_state_and_checklist(real: Path) -> None:
    today = date(2026, 1, 1)
    record_progress(real, ProgressRequest("17.1", "2023-06-30", value="23.5"), commit=False, today=today)
    record_progress(real, ProgressRequest("5.2", "2023-05-30", status="done"), commit=False, today=today)
    record_progress(real, ProgressRequest("B1.1", "2023-06-30", value="6.2"), commit=False, today=today)
    text = build_report(load_ledger(real)[0], AS_OF)
    assert lint(text) == []
    assert cells(text[text.index("### 17．") :], "| 17.1 ") == [
        "17.1",
        "新增制造业中长期贷款",
        "≥ 40亿元",
        "stretch",
        "2023-12-31",
        "19.78亿元",  # 40亿元 × 180/364 of the year: a straight line from 2023-01-01 to the deadline
        "23.5亿元 (2023-06-30)",
        "on track",
        "",
        "",
    ]
    assert "- [x] 5.2 开工建设乐清1号渔光互补项目: achieved (done as of 2023-05-30), due 2023-12-31" in text
    b1 = text[text.index("### Budget B1:") :]
    assert cells(b1, "| B1.1 ") == ["B1.1", "综合交通基础设施", "14.8", "47.0%", "6.2", "41.9%"]
    assert cells(b1, "|      | Sum of allocations") == [
        "",
        "Sum of allocations",
        "31.5",
        "= total",
        "6.2",
        "19.7%",
    ]
    assert "█" in text  # area 1 has an achieved target now


def test_output_file_is_written_whole_or_not_at_all(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    result = runner.invoke(
        app, ["report", "--as-of", "2023-06-30", "-o", str(target), "--data", str(REAL_DATA)]
    )
    assert result.exit_code == 0 and result.stdout == f"wrote {target}\n"
    assert target.read_text(encoding="utf-8") == build_report(load_ledger(REAL_DATA)[0], AS_OF)
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]  # no temporary left behind
    target.write_text("previous report\n", encoding="utf-8")
    failed = runner.invoke(app, ["report", "--area", "9", "-o", str(target), "--data", str(REAL_DATA)])
    assert failed.exit_code == 2 and "areas are 1, 2, 3, 4, 5, 6, 7, 8" in failed.stderr
    assert target.read_text(encoding="utf-8") == "previous report\n"
    missing = runner.invoke(app, ["report", "-o", str(tmp_path / "no" / "r.md"), "--data", str(REAL_DATA)])
    assert missing.exit_code == 2 and "no such folder" in missing.stderr


def test_since_reports_entries_states_and_corrections(real: Path) -> None:
    root = real.parent
    for args in (
        ["init", "-q", "-b", "main"],
        ["config", "user.name", "T"],
        ["config", "user.email", "t@x.invalid"],
    ):
        subprocess.run(["git", *args], cwd=root, check=True)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    subprocess.run(["git", "commit", "-qm", "data"], cwd=root, check=True)
    record_progress(real, ProgressRequest("17.1", "2023-06-30", value="23.5"), today=date(2026, 1, 1))
    path = real / "targets.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("what: 新增首贷户\n", "what: 全年新增首贷户\n"))
    subprocess.run(["git", "commit", "-qam", "correct 17.2"], cwd=root, check=True)
    result = runner.invoke(
        app, ["report", "--since", "HEAD~2", "--as-of", "2023-06-30", "--measure", "17", "--data", str(real)]
    )
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert lint(text) == []
    section = text[text.index("## What changed since HEAD~2") : text.index("## 17．")]
    assert "| 2023-06-30 | 17.1 | 新增制造业中长期贷款 | 23.5亿元" in section
    assert "| 17.1 | 新增制造业中长期贷款 | no data  | on track |" in section
    assert "- target 17.2: what" in section
    bad = runner.invoke(app, ["report", "--since", "no-such-rev", "--data", str(real)])
    assert bad.exit_code == 2 and "--since no-such-rev" in bad.stderr


def test_since_a_date_reports_the_progress_dated_since_without_git(real: Path) -> None:
    today = date(2026, 1, 1)
    for record_id, day, value in (("17.1", "2023-06-30", "23.5"), ("17.1", "2023-09-30", "33"),
                                  ("17.1", "2023-11-30", "41"), ("17.2", "2023-07-15", "300")):  # fmt: skip
        record_progress(real, ProgressRequest(record_id, day, value=value), commit=False, today=today)
    result = runner.invoke(app, ["report", "--since", "2023-07-01", "--as-of", "2023-09-30",
                                 "--measure", "17", "--data", str(real)])  # fmt: skip
    assert result.exit_code == 0, result.stderr  # no git repository at all: a date needs none
    section = result.stdout[result.stdout.index("## What changed since 2023-07-01") :]
    section = section[: section.index("## 17．")]
    assert "Progress entries dated on or after that day" in section and lint(result.stdout) == []
    assert "| 2023-09-30 | 17.1 |" in section and "| 2023-07-15 | 17.2 |" in section
    assert "2023-06-30" not in section and "2023-11-30" not in section  # before, and after the as-of date
    assert "| 17.1 | 新增制造业中长期贷款 | behind   | on track |" in section  # 33 of 40 by 09-30
    typed = runner.invoke(app, ["report", "--since", "2023年7月1日", "--as-of", "2023-09-30",
                                "--measure", "17", "--data", str(real)])  # fmt: skip
    assert typed.stdout == result.stdout and "read --since 2023年7月1日 as 2023-07-01" in typed.stderr


def test_since_outside_git_or_empty_says_what_to_give(real: Path) -> None:
    result = runner.invoke(app, ["report", "--since", "", "--data", str(real)])
    assert result.exit_code == 2 and "--since needs a date (YYYY-MM-DD) or a git revision" in result.stderr
    result = runner.invoke(app, ["report", "--since", "HEAD~1", "--data", str(real)])
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert "so --since HEAD~1 names no commit; give a date (YYYY-MM-DD), which needs no git" in result.stderr
    assert "--no-commit" not in result.stderr  # that hint is for a write
    result = runner.invoke(app, ["log", "--data", str(real)])
    assert "so it has no history to read" in result.stderr and "--no-commit" not in result.stderr


def test_period_is_a_quarter_as_of_its_last_day_since_its_first(real: Path) -> None:
    today = date(2026, 1, 1)
    for day, value in (("2023-06-30", "23.5"), ("2023-09-30", "33"), ("2023-10-15", "35")):
        record_progress(real, ProgressRequest("17.1", day, value=value), commit=False, today=today)
    result = runner.invoke(app, ["report", "--period", "2023q3", "--measure", "17", "--data", str(real)])
    assert result.exit_code == 0, result.stderr
    row = next(line for line in result.stdout.splitlines() if line.startswith("| Report as of"))
    assert row.split("|")[2].strip() == "2023-09-30"
    section = result.stdout[result.stdout.index("## What changed since 2023-07-01") :]
    assert "| 2023-09-30 | 17.1 |" in section and "2023-10-15" not in section
    assert "| 2023-06-30 | 17.1 |" not in section
    for args, message in (
        (["--period", "2023Q5"], "--period: '2023Q5' is not a quarter; write it like 2023Q2"),
        (["--period", "2023Q2", "--as-of", "2023-06-30"], "give --period or --as-of, not both"),
        (["--period", "1900Q1"], "the year must be"),
    ):
        bad = runner.invoke(app, ["report", *args, "--data", str(real)])
        assert bad.exit_code == 2 and message in bad.stderr and bad.stderr.count("\n") == 1, bad.stderr


@pytest.mark.slow  # CI also runs tools/examples.py --check as a step of its own
def test_committed_examples_are_current() -> None:
    """CI fails when an example in docs/ is stale: regenerate them with python tools/examples.py."""
    spec = importlib.util.spec_from_file_location("examples", ROOT / "tools" / "examples.py")
    assert spec is not None and spec.loader is not None
    examples = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(examples)
    texts = examples.example_texts()
    assert sorted(texts) == ["report-example.html", "report-example.md", "report-example.zh.md"]
    for name, text in texts.items():
        assert (ROOT / "docs" / name).read_text(encoding="utf-8") == text, f"docs/{name} is stale"
    assert lint(texts["report-example.md"]) == [] and lint(texts["report-example.zh.md"]) == []
    assert "## Needs attention" in texts["report-example.md"] and "## 需关注" in texts["report-example.zh.md"]


# --- what a director reads first ------------------------------------------------------------------


def github_anchor(heading: str) -> str:
    """How GitHub names a heading's anchor, written apart from the code under test: the rendered text
    (escapes and entities undone), lower case, punctuation and symbols dropped, spaces as hyphens."""
    text = html.unescape(re.sub(r"\\(.)", r"\1", heading))
    kept = "".join(c for c in text.lower() if c in " -_" or unicodedata.category(c)[0] in "LMN")
    return kept.replace(" ", "-")


def assert_links_resolve(text: str) -> set[str]:
    """Every ``](#…)`` link names the anchor of a heading of the same text; returns the anchors linked."""
    anchors: list[str] = []
    for line in text.splitlines():
        if match := re.match(r"#{1,6} (.*)", line):
            base = slug = github_anchor(match.group(1))
            number = 0
            while slug in anchors:
                number += 1
                slug = f"{base}-{number}"
            anchors.append(slug)
    links = set(re.findall(r"\]\(#([^)]*)\)", text))
    assert links <= set(anchors), links - set(anchors)
    assert not re.search(r"(?<!\\)\]\((?!#)", text)  # no link leaves the document
    return links


def test_github_anchors_are_the_ones_github_gives() -> None:
    assert github_anchor("Area 3: “415X”先进制造业集群培育政策") == "area-3-415x先进制造业集群培育政策"
    assert github_anchor("17．优化金融支持服务") == "17优化金融支持服务"
    assert anchor("Budget B1: 1．加大财政支持力度, 31.5亿元") == "budget-b1-1加大财政支持力度-315亿元"
    assert anchor("a\x1bb <i>") == github_anchor(markdown_safe("a\x1bb <i>"))


@pytest.fixture(scope="module")
def briefed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real data with entries a 督查 cares about: 17.1 behind (with a hostile note), 17.2 reported
    once long ago, 5.2 done, B1.1 paid out in part; measure 52's budget left out (area 8 has none)."""
    data = tmp_path_factory.mktemp("briefed") / "data"
    shutil.copytree(REAL_DATA, data, ignore=shutil.ignore_patterns("_parts"))
    budgets = data / "budgets.yaml"
    text = budgets.read_text(encoding="utf-8")
    start = text.index("  # 52．")
    budgets.write_text(text[:start].rstrip("\n") + "\n", encoding="utf-8")
    today = date(2026, 1, 1)
    for request in (
        ProgressRequest("17.1", "2023-04-30", value="8", note=HOSTILE, source="人行乐清市支行"),
        ProgressRequest("17.2", "2023-02-10", value="500"),
        ProgressRequest("5.2", "2023-05-30", status="done"),
        ProgressRequest("B1.1", "2023-05-20", value="6.2"),
    ):
        record_progress(data, request, commit=False, today=today)
    return data


HOSTILE = "<script>alert(1)</script> [x](http://evil.invalid) | ok"
MAY_31 = date(2023, 5, 31)


def report_of(data: Path, *args: str) -> str:
    result = runner.invoke(app, ["report", "--as-of", "2023-05-31", *args, "--data", str(data)])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def attention(text: str) -> str:
    return text[text.index("## Needs attention") : text.index("\n## ", text.index("## Needs attention") + 3)]


def test_needs_attention_names_each_concern_its_lead_and_links_to_its_section(briefed: Path) -> None:
    text = report_of(briefed)
    assert lint(text) == []
    section = attention(text)
    behind = next(line for line in section.splitlines() if line.startswith("- [17.1 "))
    assert behind.startswith(
        "- [17.1 新增制造业中长期贷款](#17优化金融支持服务) — lead 市经信局: behind, 8亿元"
    )
    # a milestone due in 30 days (5.1, due 2023-06-30); 5.2 is done, so it is not listed
    soon = "- [5.1 乐清电厂三期、温州LNG外输管道项目投产](#5支持推进重点领域投资) — lead 市发改局"
    assert soon + ": due 2023-06-30, in 30 days" in section
    assert "5.2 " not in section
    # 17.2's only entry is 110 days old; reporting began with the document, 58 days ago
    silent = (
        "[17.2 新增首贷户](#17优化金融支持服务) — lead 市经信局: last progress entry 2023-02-10, 110 days"
    )
    assert silent in section
    assert "without any progress entry" not in section
    # 150 of 364 days (41.2%) have passed: a budget below 20.6% paid out is a concern, B1 (19.7%) too
    assert "so below 20.6%." in section
    low = (
        "- [B1 加大财政支持力度](#budget-b1-1加大财政支持力度-315亿元) — lead 市发改局: execution rate 19.7%"
    )
    assert low in section
    assert "execution rate 0.0%, 0万元 paid out of 5580万元 (0 of 3 allocations reported)" in section
    assert "B52" not in text  # area 8 has no budget: no row, no section, no concern
    assert cells(text, "| 8 保障和改善民生政策")[-1] == "—"
    links = assert_links_resolve(text)
    assert {"17优化金融支持服务", "budget-b21-21落实财政资金保障-5580万元"} <= links


def test_a_hostile_note_is_shown_as_text(briefed: Path) -> None:
    text = report_of(briefed)
    row = cells(text[text.index("### 17．") :], "| 17.1 ")
    assert row[5:] == ["16.48亿元", "8亿元 (2023-04-30)", "behind", EXPECTED_NOTE, "人行乐清市支行"]
    assert "<script" not in text and not re.search(r"(?<!\\)\]\(http", text)


EXPECTED_NOTE = "&lt;script&gt;alert(1)&lt;/script&gt; \\[x\\](http://evil.invalid) \\| ok"


def test_summary_counts_states_and_money_per_area_lead_and_budget(briefed: Path) -> None:
    text = report_of(briefed)
    summary = text[text.index("## Summary") : text.index("## Needs attention")]
    assert "155 targets on 2023-05-31: 1 achieved, 1 on track, 1 behind, 152 no data" in summary
    assert cells(summary, "| 市经信局 ")[:5] == ["市经信局", "25", "0", "1", "1"]
    assert cells(summary, "| B1 ")[3:8] == ["31.5", "6.2", "19.7%", "██░░░░░░░░", "1 of 7"]
    assert cells(summary, "| B21 ")[3:6] == ["0.558", "0", "0.0%"]  # nothing paid: execution 0
    assert cells(summary, "| All budgets (gross)")[2:] == ["71.408", "100%", "6.2", "8.7%"]
    assert cells(summary, "| Stated total, net of overlaps")[2:] == ["48.08", "67.3%", "—", "—"]


def test_an_area_report_gives_the_shares_of_the_whole_document(briefed: Path) -> None:
    whole = report_of(briefed)
    area = report_of(briefed, "--area", "3")
    assert lint(area) == []
    money = area[area.index("Share of gross") - 200 :]
    assert cells(money, "| 3 “415X”先进制造业集群培育政策 ")[3] == "3.6%"  # of 71.408亿元, as in the whole
    whole_money = whole[whole.index("Share of gross") - 200 :]
    assert cells(whole_money, "| 3 “415X”先进制造业集群培育政策 ")[3] == "3.6%"
    assert cells(area, "| All budgets (gross)") == cells(whole, "| All budgets (gross)")
    assert "## Area 1:" not in area and "- [B1 " not in attention(area) and "- [17.1 " in attention(area)
    assert_links_resolve(area)


def test_lead_narrows_the_report_to_one_bureau(briefed: Path) -> None:
    text = report_of(briefed, "--lead", "经信")
    assert lint(text) == []
    assert text.startswith("# 乐政发〔2023〕6号《关于推动经济高质量发展的若干政策》: lead 市经信局\n")
    assert "## Area 3:" in text and "## Area 1:" not in text and "## Area 7:" not in text
    assert "## The document's own targets" in text  # D1 is every lead bureau's
    section = attention(text)
    assert "lead 市经信局" in section and "市发改局" not in section
    leads = text[text.index("Targets by state, per lead bureau") :]
    assert cells(leads, "| 市经信局")[:2] == ["市经信局", "25"] and "| 市发改局" not in leads.split("\n\n")[1]
    assert_links_resolve(text)
    bad = runner.invoke(app, ["report", "--lead", "no-such", "--data", str(briefed)])
    assert bad.exit_code == 2
    both = runner.invoke(app, ["report", "--lead", "经信", "--measure", "17", "--data", str(briefed)])
    assert both.exit_code == 2 and "give --lead or --measure, not both" in both.stderr


def test_the_chinese_report_reads_in_the_document_words(briefed: Path) -> None:
    result = runner.invoke(app, ["--lang", "zh", "report", "--as-of", "2023-05-31", "--data", str(briefed)])
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    for word in ("## 摘要", "## 需关注", "执行率", "牵头单位", "按进度应达"):
        assert word in text, word
    assert lint(text) == []
    assert_links_resolve(text)


# --- HTML -----------------------------------------------------------------------------------------

VOID = {"meta", "br", "hr", "img", "input", "link", "rect", "line"}


class Balance(HTMLParser):
    """Checks that every element closes in order, and collects what an HTML report must not hold."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.errors: list[str] = []
        self.ids: list[str] = []
        self.links: list[str] = []
        self.text: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        found = dict(attrs)
        if "src" in found or any(name.startswith("on") for name in found):
            self.errors.append(f"<{tag}> has src or an event handler")
        if "id" in found:
            self.ids.append(str(found["id"]))
        if "href" in found:
            self.links.append(str(found["href"]))
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open.pop() != tag:
            self.errors.append(f"</{tag}> closes nothing open")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parsed(text: str) -> Balance:
    parser = Balance()
    parser.feed(text)
    parser.close()
    assert parser.errors == [] and parser.open == []
    return parser


def test_html_report_is_one_balanced_self_contained_file(briefed: Path) -> None:
    result = runner.invoke(app, ["report", "--as-of", "2023-05-31", "-f", "html", "--data", str(briefed)])
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    page = parsed(text)
    assert "script" not in page.tags and {"svg", "table", "style"} <= page.tags
    assert "://" not in text.replace("http://evil.invalid", "")  # nothing fetched, linked or named
    assert all(link.startswith("#") and link[1:] in page.ids for link in page.links) and page.links
    assert "@media print" in text and "Content-Security-Policy" in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text and "<script" not in text
    shown = "".join(page.text)
    assert HOSTILE in shown  # the note reads as it was written
    markdown = report_of(briefed)
    anchors = set(re.findall(r"\]\(#([^)]*)\)", markdown))
    assert anchors <= set(page.ids)  # the same sections, under the same anchors


def test_html_escapes_a_hostile_title(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(REAL_DATA, data, ignore=shutil.ignore_patterns("_parts"))
    targets = data / "targets.yaml"
    text = targets.read_text(encoding="utf-8")
    assert "what: 新增制造业中长期贷款\n" in text
    targets.write_text(text.replace("what: 新增制造业中长期贷款\n", 'what: "<script>alert(1)</script>"\n'))
    result = runner.invoke(app, ["report", "--as-of", "2023-06-30", "-f", "html", "--data", str(data)])
    assert result.exit_code == 0, result.stderr
    assert "<script>" not in result.stdout and "&lt;script&gt;alert(1)&lt;/script&gt;" in result.stdout
    parsed(result.stdout)
    bad = runner.invoke(app, ["report", "-f", "pdf", "--data", str(data)])
    assert bad.exit_code == 2 and "--format must be markdown or html, not 'pdf'" in bad.stderr


def browser() -> str | None:
    for name in ("chromium", "chromium-browser", "chromium-headless-shell", "google-chrome", "chrome"):
        if found := shutil.which(name):
            return found
    return None


@pytest.mark.slow
def test_a_browser_renders_the_html_report(briefed: Path, tmp_path: Path) -> None:
    found = browser()
    if found is None:
        pytest.skip("no chromium or chrome on PATH")
    page = tmp_path / "report.html"
    result = runner.invoke(app, ["report", "--as-of", "2023-05-31", "-f", "html", "-o", str(page),
                                 "--data", str(briefed)])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    flags = ["--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run(
        [found, *flags, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120, check=True
    ).stdout
    assert '<h2 id="needs-attention">Needs attention</h2>' in dom and "<svg" in dom
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom and "<script" not in dom
    pdf = tmp_path / "report.pdf"
    subprocess.run([found, *flags, f"--print-to-pdf={pdf}", page.as_uri()], capture_output=True, timeout=120,
                   check=True)  # fmt: skip
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000
