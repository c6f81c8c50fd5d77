"""The five output formats: exact numbers, spreadsheet-ready CSV, valid JSON/YAML/markdown, empty results."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal
from fractions import Fraction

from ruamel.yaml import YAML

from policy_ledger.amounts import ExactDecimal
from policy_ledger.output import Grid, Output, Sheet, jsonable, render_text, to_csv, to_markdown


def sample() -> Output:
    data = [
        {
            "id": "1.1",
            "value": Decimal("31.5"),
            "share": Fraction(1, 2),
            "due": date(2023, 12, 31),
            "ok": True,
        },
        {"id": "B21", "value": ExactDecimal("5.0"), "share": None, "due": None, "ok": False},
    ]
    grid = Grid(
        title="Sample",
        headers=("ID", "金额"),
        rows=(("1.1", "31.5亿元"), ("B21", "5580万元")),
        right=frozenset({1}),
    )
    sheet = Sheet(
        "sample", ("id", "value", "label"), (("1.1", "31.5", "综合交通基础设施"), ("B21", "5.0", "a|b"))
    )
    return Output(data, (grid,), sheet)


def test_json_numbers_are_exact_strings_and_never_floats() -> None:
    text = render_text(sample(), "json")
    assert isinstance(text, str)
    data = json.loads(text)
    assert data[0] == {"id": "1.1", "value": "31.5", "share": "1/2", "due": "2023-12-31", "ok": True}
    assert data[1]["value"] == "5.0"  # spelled as written in the YAML
    assert "31.499" not in text and "3.15e" not in text.lower()


def test_jsonable_refuses_floats_rather_than_guess() -> None:
    try:
        jsonable(0.1)
    except TypeError:
        return
    raise AssertionError("a float must never reach the output")


def test_yaml_is_the_same_data() -> None:
    text = render_text(sample(), "yaml")
    assert isinstance(text, str)
    assert YAML(typ="safe", pure=True).load(text) == json.loads(str(render_text(sample(), "json")))
    assert "value: '31.5'" in text and "due: null" in text


def test_csv_has_a_bom_a_header_row_and_chinese_intact() -> None:
    payload = render_text(sample(), "csv")
    assert isinstance(payload, bytes)
    assert payload.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark: Excel then reads UTF-8
    rows = list(csv.reader(io.StringIO(payload.decode("utf-8-sig"))))
    assert rows == [["id", "value", "label"], ["1.1", "31.5", "综合交通基础设施"], ["B21", "5.0", "a|b"]]


def test_csv_of_nothing_is_the_header_row() -> None:
    payload = to_csv(Sheet("empty", ("id", "value"), ()))
    assert payload.decode("utf-8-sig") == "id,value\r\n"


def test_markdown_is_a_github_table_that_keeps_cells_as_text() -> None:
    text = to_markdown(sample().grids)
    lines = text.splitlines()
    # right-aligned amounts; Chinese counts as two columns, so the raw text lines up too
    assert lines == [
        "| ID   |     金额 |",
        "|:-----|---------:|",
        "| 1.1  | 31.5亿元 |",
        "| B21  | 5580万元 |",
    ]


def test_markdown_never_reads_cells_as_numbers() -> None:
    grid = Grid("n", ("value",), (("31.50",), ("0.1",), ("1/2",)))
    assert to_markdown([grid]).splitlines()[2:] == ["| 31.50   |", "| 0.1     |", "| 1/2     |"]


def test_markdown_escapes_pipes() -> None:
    grid = Grid("p", ("label",), (("a|b",),))
    assert "a\\|b" in to_markdown([grid])


def test_markdown_of_nothing_keeps_the_header_and_separator() -> None:
    text = to_markdown([Grid("empty", ("ID", "What"), ())])
    assert text.splitlines() == ["| ID   | What   |", "|------|--------|"]


def test_several_grids_get_headings() -> None:
    grids = (Grid("One", ("a",), (("1",),)), Grid("Two", ("b",), (("2",),), caption="1 row"))
    text = to_markdown(grids)
    assert "## One" in text and "## Two" in text and text.rstrip().endswith("1 row")
