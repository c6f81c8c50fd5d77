"""Hostile text in the data, in git and on the command line reaches every output class harmless.

One copy of the real ledger carries, in a measure's title and text, a target's ``what``, an allocation's
label and a progress entry: every character a terminal acts on (ESC with a colour sequence, BEL, BS, CR,
TAB, DEL, a C1 CSI, a right-to-left override, an isolate), raw HTML and entities, a pipe and a link; and
text that a spreadsheet would run as a formula. Each output class is then checked for the whole class:
terminal text shows each character as a visible escape, CSV neutralises formulas, Markdown passes no HTML
and keeps its tables whole, JSON escapes what ``json.dumps`` leaves raw.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from pymarkdown.api import PyMarkdownApi
from typer.testing import CliRunner

from policy_ledger.cli import app
from policy_ledger.output import Sheet, to_csv
from policy_ledger.safe import csv_safe, json_safe, markdown_safe, mermaid_safe, terminal_safe, visible

from .conftest import REAL_DATA, git, new_repository

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("fixed_terminal")

#: Every kind of character a terminal acts on or reorders text by.
TERMINAL_CHARS = ("\x1b", "\x07", "\x08", "\r", "\t", "\x7f", "\x9b", "\u202e", "\u2066")
#: The same, as written inside a double-quoted YAML string (ESC with a colour sequence).
TERMINAL_YAML = "\\e[31m\\a\\b\\r\\t\\x7f\\x9b\\u202e\\u2066"
TERMINAL_SHOWN = ("\\x1b[31m", "\\x07", "\\x08", "\\r", "\\t", "\\x7f", "\\x9b", "\\u202e", "\\u2066")
HTML = "<script>alert(1)</script><img src=x onerror=alert(1)>&amp;|[x](javascript:alert(1))`"
FORMULA = '=HYPERLINK("http://evil.invalid","click")'


def _plant(data: Path) -> None:
    """Hostile text in measure 17 (title, text), target 17.1 (what), allocation B15.1 (label) and a
    progress entry of 17.1 (note, source); a formula in 17.2's what; a stated total above the gross sum,
    so that the budgets' overlap is a negative number."""
    hostile = TERMINAL_YAML + HTML
    policies = data / "policies.yaml"
    text = policies.read_text(encoding="utf-8")
    title = "    title: 优化金融支持服务\n    text: 优化金融支持服务。"
    assert title in text
    start = text.index(title)
    end = text.index("\n", start + len(title))
    text = (
        text[:start]
        + f'    title: "{hostile}优化金融支持服务"\n    text: "{hostile}'
        + text[start + len(title) - len("优化金融支持服务。") : end]
        + '"'
        + text[end:]
    )
    assert "      amount: 48.08\n" in text
    text = text.replace("      amount: 48.08\n", "      amount: 100\n", 1)
    policies.write_text(text, encoding="utf-8")
    targets = data / "targets.yaml"
    text = targets.read_text(encoding="utf-8")
    what = "    what: 新增制造业中长期贷款\n"
    assert what in text and "    what: 新增首贷户\n" in text
    entry = (
        "    progress:\n"
        "      - as_of: 2023-06-30\n"
        "        value: 23.5\n"
        "        unit: 亿元\n"
        f'        note: "{hostile}"\n'
        "        source: \"-2+3+cmd|' /C calc'!A0\"\n"
    )
    quote = "    quote: 2023年力争全市新增制造业中长期贷款40亿元以上\n"
    text = text.replace(what, f'    what: "{hostile}新增制造业中长期贷款"\n', 1)
    text = text.replace(quote, quote + entry, 1)
    formula = FORMULA.replace('"', '\\"')
    text = text.replace("    what: 新增首贷户\n", f'    what: "{formula}"\n', 1)
    targets.write_text(text, encoding="utf-8")
    budgets = data / "budgets.yaml"
    text = budgets.read_text(encoding="utf-8")
    label = "        label: 高端化、智能化、绿色化技术改造资金\n"
    assert label in text
    budgets.write_text(text.replace(label, f'        label: "@SUM(1+1){hostile}"\n', 1), encoding="utf-8")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("hostile") / "data"
    shutil.copytree(REAL_DATA, data, ignore=shutil.ignore_patterns("_parts"))
    _plant(data)
    return data


def run(data: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, "--data", str(data)])
    return result.exit_code, result.stdout, result.stderr


def assert_terminal_safe(text: str, *, planted: bool = True) -> None:
    """No character of the class reaches the terminal raw; the planted ones arrive as escapes."""
    raw = [visible(char) for char in text if char in TERMINAL_CHARS or terminal_safe(char) != char]
    assert raw == []
    if planted:
        for shown in TERMINAL_SHOWN:
            assert shown in text, f"{shown} is not shown"


# --- the functions, for the whole class ---------------------------------------------------------------


@pytest.mark.parametrize("char", [*TERMINAL_CHARS, "\x00", "\x1f", "\x80", "\x9f", "\u202a", "\u2069"])
def test_terminal_safe_shows_every_control_and_bidi_character(char: str) -> None:
    shown = terminal_safe(f"a{char}b")
    assert char not in shown and shown.startswith("a\\") and shown.endswith("b")
    assert terminal_safe(shown) == shown  # idempotent: a second boundary changes nothing
    assert terminal_safe("a\nb") == "a\nb" and terminal_safe("a\nb", one_line=True) == "a\\nb"


def test_terminal_safe_keeps_ordinary_text() -> None:
    text = "17．优化金融支持服务 “415X” ≥ 40亿元 — █░ é\\x"
    assert terminal_safe(text) == text


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_safe_neutralises_every_formula_start(start: str) -> None:
    assert csv_safe(f"{start}1+1") == f"'{start}1+1"
    assert csv_safe(csv_safe(f"{start}1")) == f"'{start}1"
    assert csv_safe("1+1") == "1+1" and csv_safe("市经信局") == "市经信局"


def test_csv_writes_numbers_as_numbers_and_text_as_text() -> None:
    from decimal import Decimal

    sheet = Sheet("s", ("amount", "label", "leads"), ((Decimal("-3.5"), "-3.5", ("=a", "b")),))
    rows = list(csv.reader(io.StringIO(to_csv(sheet).decode("utf-8-sig"))))
    assert rows[1] == ["-3.5", "'-3.5", "'=a、b"]


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
        ("&amp; &#60;", "&amp;amp; &amp;#60;"),
        ("a|b", "a\\|b"),
        ("a\\|b", "a\\\\\\|b"),
        ("two\nlines\r\n", "two lines\\\\r"),
        ("[x](javascript:alert(1)) ![i](http://t)", "\\[x\\](javascript:alert(1)) !\\[i\\](http://t)"),
        ("`code` *em* _em_ in_progress", "\\`code\\` \\*em\\* \\_em\\_ in_progress"),
        ("\x1b[31m", "\\\\x1b\\[31m"),
    ],
)
def test_markdown_safe(text: str, safe: str) -> None:
    assert markdown_safe(text) == safe


def test_mermaid_and_json_escapes() -> None:
    assert mermaid_safe('a" : 1\n```\n<b>') == "a#quot; : 1 #96;#96;#96; #lt;b#gt;"
    document = json.dumps({"t": "\x7f\x9b\u202e"}, ensure_ascii=False)
    assert json.loads(json_safe(document)) == {"t": "\x7f\x9b\u202e"}
    assert json_safe(document) == '{"t": "\\u007f\\u009b\\u202e"}'


# --- terminal: every command people read ---------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("show", "17", "--as-of", "2023-06-30"),
        ("list", "--area", "3"),
        ("query", "targets", "--area", "3", "--as-of", "2023-06-30"),
        ("query", "measures", "--area", "3"),
        ("query", "budgets", "text:@SUM"),
        ("budgets",),
        ("status", "--as-of", "2023-06-30", "--area", "3"),
        ("progress", "list"),
        ("report", "--as-of", "2023-06-30", "--measure", "17"),
    ],
    ids=lambda args: " ".join(args[:2]),
)
def test_terminal_outputs_show_control_characters_as_escapes(
    hostile: Path, args: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "1000")  # no cell wraps in the middle of an escape
    code, out, err = run(hostile, *args)
    assert code == 0, err
    # the budgets listing shows no label or title that was planted; the report escapes for Markdown too
    assert_terminal_safe(out, planted=args[0] != "report" and args[:2] != ("query", "budgets"))
    if args[0] == "report":
        assert "\\\\x1b\\[31m" in out


def test_columns_stay_aligned_around_escaped_characters(hostile: Path) -> None:
    from policy_ledger.plain import cell_width

    for args in (("list", "--area", "3"), ("show", "17", "--as-of", "2023-06-30")):
        _, out, _ = run(hostile, *args)
        lines = [
            line for line in out.splitlines() if line.strip()[:2] in {"15", "16", "17", "18", "19", "20"}
        ]
        header = next(line for line in out.splitlines() if line.lstrip().startswith(("No.", "ID")))
        column = cell_width(header[: header.index("Targets" if args[0] == "list" else "Value")])
        starts = {cell_width(line.split("   ")[0]) for line in lines}
        assert lines and all(cell_width(line) >= column for line in lines), starts


def test_validate_text_escapes_what_it_quotes(hostile: Path) -> None:
    code, out, _ = run(hostile, "validate", "-f", "text")
    assert code == 1 and "L009" in out
    assert_terminal_safe(out, planted=False)
    for fmt in ("json", "sarif"):
        _, document, _ = run(hostile, "validate", "-f", fmt)
        assert not any(char in document for char in TERMINAL_CHARS if char != "\t")
        json.loads(document)


@pytest.mark.parametrize(
    ("args", "quoted"),
    [
        (("show", "\x1b[2J\u202e17"), "\\x1b[2J\\u202e17"),
        (("query", "targets", "unit:\x1b]0;owned\x07吨"), "\\x1b]0;owned\\x07吨"),
        (("query", "targets", "--lead", "教育\r\n局"), "教育\\r\\n局"),
        (("progress", "list", "\x9b31m"), "\\x9b31m"),
    ],
)
def test_errors_echo_user_input_escaped_on_one_line(
    hostile: Path, args: tuple[str, ...], quoted: str
) -> None:
    code, out, err = run(hostile, *args)
    assert code == 2 and out == ""
    assert err.startswith("ledger: ") and err.count("\n") == 1 and quoted in err
    assert_terminal_safe(err.rstrip("\n"), planted=False)


def test_log_escapes_git_author_names_and_commit_subjects(hostile: Path, tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(hostile, root / "data")
    new_repository(root, author="Mallory \x1b[2J\u202e", commit="data \x1b]0;owned\x07 \u2066x")
    targets = root / "data" / "targets.yaml"
    targets.write_text(
        targets.read_text(encoding="utf-8").replace("value: 23.5", "value: 24"), encoding="utf-8"
    )
    git(root, "commit", "-q", "-am", "correct \x9b31m 17.1 \u202egnp.exe")
    for args in (("log",), ("log", "17.1")):
        code, out, err = run(root / "data", *args)
        assert code == 0, err
        assert "Mallory" in out and "correct" in out
        assert_terminal_safe(out, planted=False)
        assert "\\x1b[2J" in out and "\\x9b31m" in out and "\\u202egnp.exe" in out
    code, out, _ = run(root / "data", "log", "-f", "json")
    assert code == 0 and "\u202e" not in out and "\x9b" not in out
    assert any(entry["author"] == "Mallory \x1b[2J\u202e" for entry in json.loads(out))


# --- CSV ------------------------------------------------------------------------------------------


def csv_rows(payload: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(payload.decode("utf-8-sig"))))


def csv_of(data: Path, *args: str) -> list[dict[str, str]]:
    result = runner.invoke(app, [*args, "--data", str(data)])
    assert result.exit_code == 0, result.stderr
    return csv_rows(result.stdout_bytes)


def test_every_csv_neutralises_formulas_and_keeps_numbers(hostile: Path, tmp_path: Path) -> None:
    targets = {row["id"]: row for row in csv_of(hostile, "query", "targets", "id:17.1,17.2", "-f", "csv")}
    assert targets["17.2"]["what"] == "'" + FORMULA
    assert targets["17.1"]["value"] == "40" and targets["17.1"]["latest_progress.value"] == "23.5"
    judged = {row["id"]: row for row in csv_of(hostile, "status", "--lead", "经信", "-f", "csv")}
    assert judged["17.2"]["what"] == "'" + FORMULA and judged["17.1"]["latest_progress.value"] == "23.5"
    (entry,) = csv_of(hostile, "progress", "list", "-f", "csv")
    assert entry["source"] == "'-2+3+cmd|' /C calc'!A0" and entry["value"] == "23.5"
    (progress,) = csv_of(hostile, "export", "-f", "csv", "--table", "progress")
    assert progress["source"].startswith("'-2+3")
    allocations = csv_of(hostile, "export", "-f", "csv", "--table", "allocations")
    label = next(row["label"] for row in allocations if row["id"] == "B15.1")
    assert label.startswith("'@SUM(1+1)\x1b[31m")  # CSV is data: the text itself, only made inert
    lines = {row["kind"]: row for row in csv_of(hostile, "budgets", "-f", "csv")}
    assert lines["overlap"]["amount"] == "-24.462"  # a number the tool computed stays a number
    code, _, _ = run(hostile, "export", "-f", "csv", "-o", str(tmp_path / "csv"))
    assert code == 0
    written = csv_rows((tmp_path / "csv" / "targets.csv").read_bytes())
    assert next(row for row in written if row["id"] == "17.2")["what"] == "'" + FORMULA
    assert all(
        not cell.startswith(("=", "+", "@", "\t", "\r")) and not (cell.startswith("-") and not _number(cell))
        for path in (tmp_path / "csv").iterdir()
        for row in csv_rows(path.read_bytes())
        for cell in row.values()
    )


def _number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


# --- Markdown -------------------------------------------------------------------------------------


def lint(text: str, *rules: str) -> list[str]:
    """pymarkdownlnt findings, with every rule but line length and ``rules``."""
    api = PyMarkdownApi().disable_rule_by_identifier("md013")
    for rule in rules:
        api = api.disable_rule_by_identifier(rule)
    result = api.scan_string(text)
    return [f"{f.line_number}: {f.rule_id} {f.rule_description}" for f in result.scan_failures]


def assert_markdown_safe(text: str) -> None:
    for raw in ("<script", "<img", "</", "&amp;|", "[x](", "\x1b", "\u202e"):
        assert raw not in text
    assert "&lt;script&gt;" in text and "&amp;amp;" in text and "\\[x\\](" in text
    tables: list[list[str]] = []
    for line in text.splitlines():
        if line.startswith("|"):
            tables[-1].append(line) if tables and tables[-1] else tables.append([line])
        elif tables and tables[-1]:
            tables.append([])
    for table in (t for t in tables if t):
        widths = {_cells(line) for line in table}
        assert len(widths) == 1, table  # a pipe in the data never adds a cell


def _cells(line: str) -> int:
    """Cells of a pipe-table row: pipes that are not escaped by a backslash."""
    count, escaped = 0, False
    for char in line:
        if char == "|" and not escaped:
            count += 1
        escaped = char == "\\" and not escaped
    return count - 1


@pytest.mark.parametrize(
    "args",
    [
        ("report", "--as-of", "2023-06-30"),
        ("report", "--as-of", "2023-06-30", "--area", "3"),
        ("report", "--as-of", "2023-06-30", "--measure", "17"),
    ],
)
def test_report_passes_no_html_keeps_tables_whole_and_lints_clean(
    hostile: Path, args: tuple[str, ...]
) -> None:
    code, out, err = run(hostile, *args)
    assert code == 0, err
    assert_markdown_safe(out)
    assert lint(out) == []
    assert out == run(hostile, *args)[1]  # deterministic


@pytest.mark.slow  # a whole report; test_mermaid_and_json_escapes tests the escaping itself
def test_report_pie_label_stays_inside_its_quotes(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(REAL_DATA, data, ignore=shutil.ignore_patterns("_parts"))
    policies = data / "policies.yaml"
    text = policies.read_text(encoding="utf-8")
    assert "    title: 扩大有效投资政策\n" in text
    policies.write_text(
        text.replace("    title: 扩大有效投资政策\n", '    title: "x\\" : 1\\n```\\n<b>"\n', 1),
        encoding="utf-8",
    )
    code, out, _ = run(data, "report", "--as-of", "2023-06-30")
    assert code == 0
    pie = out[out.index("```mermaid") : out.index("```", out.index("```mermaid") + 3) + 3]
    assert '    "1 x#quot; : 1 #96;#96;#96; #lt;b#gt;" : 31.5' in pie.splitlines()
    assert lint(out) == []


@pytest.mark.parametrize(
    "args",
    [
        ("query", "targets", "--area", "3"),
        ("list", "--area", "3"),
        ("budgets",),
        ("progress", "list"),
        ("status", "--as-of", "2023-06-30", "--lead", "经信"),
    ],
)
def test_markdown_listings_pass_no_html(hostile: Path, args: tuple[str, ...]) -> None:
    code, out, err = run(hostile, *args, "-f", "markdown")
    assert code == 0, err
    assert_markdown_safe(out)
    assert lint(out, "md041") == []  # a listing is a fragment: it need not open with a heading


# --- JSON and YAML carry the data itself --------------------------------------------------------------


def test_json_keeps_the_text_and_escapes_what_json_dumps_leaves_raw(hostile: Path) -> None:
    code, out, _ = run(hostile, "show", "17", "-f", "json", "--as-of", "2023-06-30")
    assert code == 0
    assert not any(char in out for char in TERMINAL_CHARS if char != "\t")
    record = json.loads(out)
    assert record["title"].startswith("\x1b[31m\x07\x08\r\t\x7f\x9b\u202e\u2066<script>")
