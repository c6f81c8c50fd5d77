"""``ledger compare A B``, ``--document`` across the listings, and the report's family section.

The second document is ``tests/family.py``'s variant of the real one: its changes are known, so each
classification is checked by name."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from policy_ledger.cli import app
from policy_ledger.compare import Change, align_areas, compare, match_targets, title_key
from policy_ledger.loader import load_ledger
from policy_ledger.output import compare_output, to_csv, to_markdown
from policy_ledger.plain import cell_width, grids_view
from policy_ledger.safe import terminal_safe

from .conftest import REAL_DATA
from .family import VARIANT, VARIANT_NUMBER, family_ledger

runner = CliRunner()
REAL = "lezhengfa-2023-6"
pytestmark = pytest.mark.usefixtures("fixed_terminal")


@pytest.fixture(scope="module")
def family_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real document and a variant that no longer validates (a unit, a comparator, a missing area)."""
    return family_ledger(tmp_path_factory.mktemp("family") / "data", whole=False)


@pytest.fixture(scope="module")
def comparison(family_data: Path):  # type: ignore[no-untyped-def]
    ledger, _ = load_ledger(family_data, use_cache=False)
    return compare(ledger, REAL, VARIANT)


def ledger_run(data: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, "--data", str(data)])
    return result.exit_code, result.stdout, result.stderr


def pairs_by_id(comparison):  # type: ignore[no-untyped-def]
    return {(t.id_a or t.id_b): t for area in comparison.areas for t in area.targets}


# --- the comparison ------------------------------------------------------------------------------


def test_every_classification_of_a_target(comparison) -> None:  # type: ignore[no-untyped-def]
    targets = pairs_by_id(comparison)
    assert targets["A1.1"].change is Change.RAISED and targets["A1.1"].difference == 6
    assert targets["A1.2"].change is Change.LOWERED and targets["A1.2"].difference == -10
    assert targets["A1.3"].change is Change.UNCHANGED and targets["A1.3"].difference == 0
    assert targets["17.1"].change is Change.DROPPED and targets["17.1"].id_b is None
    assert targets["3.7"].change is Change.ADDED and targets["3.7"].id_a is None
    # a changed unit, comparator or kind is said, and the values are never compared
    assert targets["A1.4"].change is Change.UNIT_CHANGED and targets["A1.4"].difference is None
    assert (targets["A1.4"].unit_a, targets["A1.4"].unit_b) == ("亿元", "万元")
    assert targets["A6.3"].change is Change.COMPARATOR_CHANGED and targets["A6.3"].difference is None
    assert targets["A5.1"].change is Change.KIND_CHANGED
    assert comparison.changes["raised"] == 1 and comparison.changes["lowered"] == 1
    assert comparison.changes["dropped"] == 1 + 13  # 17.1, and area 8's targets with their area
    assert sum(comparison.changes.values()) == len(targets)


def test_areas_align_by_title_then_similarity_and_a_missing_area_is_said(comparison) -> None:  # type: ignore[no-untyped-def]
    areas = {pair.area_a: pair for pair in comparison.areas if pair.aligned_by != "document"}
    assert all(areas[n].aligned_by == "title" and areas[n].area_b == n for n in (1, 3, 4, 5, 6, 7))
    assert areas[2].aligned_by == "similarity" and areas[2].title_b == "科技创新驱动政策"
    assert areas[2].similarity == Decimal("0.8")
    assert areas[8].aligned_by is None and areas[8].area_b is None
    assert comparison.unaligned == ("a:8",)
    assert comparison.aligned == 7


def test_budgets_and_allocations_are_exact_with_their_difference(comparison) -> None:  # type: ignore[no-untyped-def]
    area1 = next(pair for pair in comparison.areas if pair.area_a == 1)
    assert (area1.budget_a, area1.budget_b, area1.budget_difference) == (
        Decimal("31.5"),
        Decimal("31.7"),
        Decimal("0.2"),
    )
    (b1,) = area1.budgets
    b17 = next(line for line in b1.allocations if line.id_a == "B1.7")
    assert (b17.amount_a, b17.amount_b, b17.difference, b17.unit) == (
        Decimal("1.3"),
        Decimal("1.5"),
        Decimal("0.2"),
        "亿元",
    )
    area4 = next(pair for pair in comparison.areas if pair.area_a == 4)
    assert area4.budgets[0].unit == "万元"  # a budget in its own unit (5580万元), the area's in 亿元
    assert area4.budget_a == Decimal("0.558")
    # area 8 is missing from B: its budget (4.13亿元) is gone from the gross sum
    assert comparison.gross_difference == Decimal("0.2") - Decimal("4.13")


def test_a_document_beside_itself_has_nothing_changed(family_data: Path) -> None:
    ledger, _ = load_ledger(family_data, use_cache=False)
    same = compare(ledger, REAL, "乐政发〔2023〕6号")
    assert same.gross_difference == 0 and same.stated_difference == 0 and same.unaligned == ()
    assert {pair.aligned_by for pair in same.areas} == {"title", "document"}
    assert set(t.change for area in same.areas for t in area.targets) == {Change.UNCHANGED}
    assert all(b.difference == 0 for area in same.areas for b in area.budgets)


def test_title_keys_set_aside_the_common_suffix_and_punctuation() -> None:
    assert title_key("“415X”先进制造业集群培育政策") == "415X先进制造业集群培育"
    assert title_key("政策") == "政策"  # nothing left without the suffix: the title stays


def test_areas_out_of_order_align_by_title_and_unlike_areas_stay_apart(family_data: Path) -> None:
    ledger, _ = load_ledger(family_data, use_cache=False)
    real = [a for a in ledger.areas if a.document == REAL]
    swapped = [a.model_copy(update={"number": 9 - a.number}) for a in reversed(real)]
    aligned = align_areas(real, swapped)
    assert all(x is not None and y is not None and x.title == y.title for x, y, _ in aligned)
    stranger = [real[0].model_copy(update={"title": "完全不同的主题"})]
    alone = align_areas(real[:1], stranger)
    assert [(x is None, y is None) for x, y, _ in alone] == [(False, True), (True, False)]


def test_targets_match_by_similar_what_within_an_area(family_data: Path) -> None:
    ledger, _ = load_ledger(family_data, use_cache=False)
    a11 = next(t for t in ledger.targets if t.document == REAL and t.id == "A1.1")
    reworded = a11.model_copy(update={"id": "A1.9", "what": "推进引领性、支撑性重大建设项目"})
    unrelated = a11.model_copy(update={"id": "A1.8", "what": "城乡居民收入"})
    (pair,) = match_targets([a11], [reworded])
    assert pair.change is Change.UNCHANGED and (pair.id_a, pair.id_b) == ("A1.1", "A1.9")
    assert [p.change for p in match_targets([a11], [unrelated])] == [Change.DROPPED, Change.ADDED]


# --- the command ---------------------------------------------------------------------------------


def test_json_is_the_comparison_with_language_neutral_keys(family_data: Path) -> None:
    code, out, _ = ledger_run(family_data, "--lang", "zh", "compare", REAL, VARIANT, "-f", "json")
    assert code == 0
    data = json.loads(out)
    assert list(data) == [
        "a",
        "b",
        "unit",
        "gross_difference",
        "stated_difference",
        "changes",
        "areas",
        "unaligned",
    ]
    assert data["b"]["number"] == VARIANT_NUMBER and data["unit"] == "亿元"
    area1 = data["areas"][1]
    assert area1["budget_difference"] == "0.2" and area1["aligned_by"] == "title"
    raised = next(t for t in area1["targets"] if t["id_a"] == "A1.1")
    assert raised["change"] == "raised" and raised["value_b"] == "66" and raised["difference"] == "6"


def test_csv_is_one_flat_sheet_by_kind(family_data: Path) -> None:
    code, out, _ = ledger_run(family_data, "compare", REAL, VARIANT, "-f", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
    assert {row["kind"] for row in rows} == {"gross", "stated", "area", "budget", "allocation", "target"}
    b17 = next(row for row in rows if row["kind"] == "allocation" and row["id_a"] == "B1.7")
    assert (b17["value_a"], b17["value_b"], b17["difference"]) == ("1.3", "1.5", "0.2")
    unit = next(row for row in rows if row["kind"] == "target" and row["id_a"] == "A1.4")
    assert unit["change"] == "unit_changed" and unit["difference"] == ""


def test_yaml_and_markdown(family_data: Path) -> None:
    code, out, _ = ledger_run(family_data, "compare", REAL, VARIANT, "-f", "yaml")
    assert code == 0 and YAML(typ="safe").load(out)["changes"]["added"] == 1
    code, out, _ = ledger_run(family_data, "compare", REAL, VARIANT, "-f", "markdown", "--changed")
    assert code == 0
    assert "## Areas, aligned by title" in out and "| A1.1 " in out and "raised +6个" in out
    assert "| A1.3 " not in out  # --changed leaves out the unchanged
    assert "not aligned: A 8 保障和改善民生政策 (only in A)" in out


def test_the_table_fits_80_columns_in_english_and_in_chinese(
    family_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    for lang, word in (("en", "lowered"), ("zh", "降低")):
        code, out, _ = ledger_run(family_data, "--lang", lang, "compare", REAL, VARIANT, "--changed")
        assert code == 0 and word in out
        assert max(cell_width(line) for line in out.splitlines()) <= 80


def test_chinese_words_under_lang_zh(family_data: Path) -> None:
    code, out, _ = ledger_run(family_data, "--lang", "zh", "compare", REAL, VARIANT, "-f", "markdown")
    assert code == 0
    for word in ("文件对比", "提高", "删去", "新增", "单位改变", "限定词改变", "仅见于 A", "差额"):
        assert word in out, word


@pytest.mark.parametrize(
    "name", ["no-such-document", "乐政发〔2099〕1号", "\x1b[31mred"], ids=["id", "number", "escape"]
)
def test_an_unknown_document_is_one_line_and_exit_2(family_data: Path, name: str) -> None:
    code, out, err = ledger_run(family_data, "compare", REAL, name)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "does not exist" in err and "\x1b" not in err


def test_a_document_number_is_read_as_typed(family_data: Path) -> None:
    code, out, _ = ledger_run(family_data, "compare", "乐政发[2023]6号", "测试（2024）1号", "-f", "json")
    assert code == 0 and json.loads(out)["b"]["id"] == VARIANT


def test_hostile_titles_are_harmless_in_every_format(comparison) -> None:  # type: ignore[no-untyped-def]
    hostile = "=cmd|' /C calc'!A0 <script>alert(1)</script> | **x** \x1b[31m\u202e"
    areas = tuple(
        replace(pair, title_a=hostile, title_b=hostile + "2") if pair.area_a == 2 else pair
        for pair in comparison.areas
    )
    first = areas[1]
    targets = (replace(first.targets[0], what_a=hostile, what_b="@SUM(1+1)"), *first.targets[1:])
    areas = (areas[0], replace(first, targets=targets), *areas[2:])
    output = compare_output(replace(comparison, areas=areas))
    sheet = to_csv(output.sheet).decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(sheet)) for cell in row]
    assert "'" + hostile in cells and "'@SUM(1+1)" in cells
    assert not any(cell.startswith(("=", "@", "+")) for cell in cells)
    markdown = to_markdown(output.grids)
    assert "<script>" not in markdown and "\x1b" not in markdown and "\u202e" not in markdown
    for line in markdown.splitlines():  # no injected pipe splits a row: every row has its columns
        if line.startswith("| A1.1"):
            assert line.count(" | ") == 5
    shown = terminal_safe(grids_view(output.grids, 80))  # as the CLI prints it
    assert "\x1b" not in shown and "\u202e" not in shown and "\\x1b" in shown


# --- --document across the commands --------------------------------------------------------------


def test_query_lists_every_document_with_a_document_column(family_data: Path) -> None:
    code, out, _ = ledger_run(family_data, "query", "targets", "id:A1.1", "-f", "markdown")
    assert code == 0 and "| Document " in out and REAL in out and VARIANT in out
    code, out, _ = ledger_run(family_data, "query", "targets", "id:A1.1", "--document", VARIANT_NUMBER)
    assert code == 0 and "≥ 66个" in out and "≥ 60个" not in out
    code, out, _ = ledger_run(family_data, "query", "targets", "id:A1.1", "--doc", REAL, "-f", "json")
    assert code == 0 and [row["document"] for row in json.loads(out)] == [REAL]


def test_status_covers_every_document_unless_one_is_named(family_data: Path) -> None:
    code, out, _ = ledger_run(family_data, "status", "--as-of", "2023-06-30", "-f", "json")
    assert code == 0
    data = json.loads(out)
    assert {t["document"] for t in data["targets"]} == {REAL, VARIANT}
    assert {a["document"] for a in data["areas"]} == {REAL, VARIANT}
    code, out, _ = ledger_run(family_data, "status", "--as-of", "2023-06-30")
    assert code == 0 and f"({REAL})" in out and f"({VARIANT})" in out
    code, out, _ = ledger_run(
        family_data, "status", "--as-of", "2023-06-30", "--document", VARIANT, "-f", "json"
    )
    assert code == 0 and "document" not in json.loads(out)["areas"][0]


@pytest.mark.parametrize("option", [("--lead", "人力社保"), ("--area", "8")])
def test_status_across_documents_shows_those_that_have_the_bureau_or_area(
    family_data: Path, option: tuple[str, str]
) -> None:
    """The variant has no area 8 (市人力社保局): status shows the real document's, under its heading."""
    code, out, err = ledger_run(family_data, "status", *option, "--as-of", "2023-06-30")
    assert (code, err) == (0, "")
    assert f"({REAL})" in out and f"({VARIANT})" not in out
    code, out, _ = ledger_run(family_data, "status", *option, "--as-of", "2023-06-30", "-f", "json")
    assert code == 0 and {t["document"] for t in json.loads(out)["targets"]} == {REAL}
    code, _, err = ledger_run(family_data, "status", "--lead", "教育", "--as-of", "2023-06-30")
    assert code == 2 and "no lead bureau matches '教育'" in err
    code, _, err = ledger_run(family_data, "status", *option, "--document", VARIANT, "--as-of", "2023-06-30")
    assert code == 2 and len(err.strip().splitlines()) == 1


def test_every_documents_heading_in_status_is_bold_on_a_terminal(family_data: Path) -> None:
    import os
    import pty
    import subprocess
    import sys

    leader, follower = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in {"NO_COLOR", "FORCE_COLOR"}} | {"COLUMNS": "120"}
    command = [
        sys.executable,
        "-m",
        "policy_ledger",
        "status",
        "--as-of",
        "2023-06-30",
        "--data",
        str(family_data),
    ]
    with subprocess.Popen(command, stdout=follower, stderr=subprocess.DEVNULL, env=env) as process:
        os.close(follower)
        shown = b""
        while chunk := _read_pty(leader):
            shown += chunk
        process.wait(timeout=60)
    os.close(leader)
    text = shown.decode("utf-8")
    assert f"\x1b[1m{VARIANT_NUMBER} ({VARIANT})\x1b[0m" in text
    assert text.count("\x1b[1m") >= 2 and "\x1b[1m\x1b[0m" not in text


def _read_pty(fd: int) -> bytes:
    import os

    try:
        return os.read(fd, 65536)
    except OSError:  # the other end closed
        return b""


def test_payments_across_documents_say_whose_they_are(tmp_path: Path) -> None:
    """Instrument ids repeat across documents (I2.1 in each): status says which document paid."""
    data = family_ledger(tmp_path / "data")
    for document, value in ((REAL, "120万元"), (VARIANT, "80万元")):
        code, _, err = ledger_run(
            data, "progress", "add", "I2.1", "--document", document, "--value", value,
            "--as-of", "2023-09-30", "--no-commit",
        )  # fmt: skip
        assert code == 0, err
    code, out, _ = ledger_run(data, "status", "--as-of", "2023-12-31", "-f", "json")
    assert code == 0
    paid = {(p["document"], p["id"]): p["paid"] for p in json.loads(out)["payments"]}
    assert paid == {(REAL, "I2.1"): "120", (VARIANT, "I2.1"): "80"}
    code, out, _ = ledger_run(data, "status", "--as-of", "2023-12-31", "-f", "markdown")
    assert f"{REAL} I2.1" in out and f"{VARIANT} I2.1" in out
    code, out, _ = ledger_run(data, "status", "--as-of", "2023-12-31", "--document", REAL, "-f", "json")
    assert all("document" not in p for p in json.loads(out)["payments"])


def test_the_report_needs_one_document_and_compares_it_with_its_family(family_data: Path) -> None:
    code, out, err = ledger_run(family_data, "report", "--as-of", "2023-06-30")
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1 and "--document" in err
    code, out, _ = ledger_run(family_data, "report", "--as-of", "2023-06-30", "--document", REAL)
    assert code == 0
    section = out[out.index("## Other documents of the family") :]
    assert VARIANT_NUMBER in section and "-3.93" in section and "1 raised, 1 lowered" in section


def test_a_report_of_the_only_document_has_no_family_section() -> None:
    code, out, _ = ledger_run(REAL_DATA, "report", "--as-of", "2023-06-30")
    assert code == 0 and "Other documents" not in out


def test_the_cache_answers_with_the_two_documents_compared(tmp_path: Path) -> None:
    data = family_ledger(tmp_path / "data")
    whole, _ = load_ledger(data)  # fills the cache
    two, problems = load_ledger(data, document=(VARIANT, REAL))
    assert problems == [] and not two.complete
    assert {d.id for d in two.documents} == {REAL, VARIANT} and len(two.targets) == len(whole.targets)
    assert compare(two, REAL, VARIANT) == compare(whole, REAL, VARIANT)
