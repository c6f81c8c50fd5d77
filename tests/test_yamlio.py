"""The one reader (values, places, errors) and the one writer (a record's lines, round-tripped)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from policy_ledger.amounts import ExactDecimal
from policy_ledger.yamlio import HouseStyleError, edit_record, own_lines, parse

from .conftest import BAD, REAL_DATA

FILES = ["policies.yaml", "targets.yaml", "budgets.yaml"]


def read(text: str) -> Any:
    return parse(text.encode("utf-8"), fields=True)


def test_floats_are_read_as_exact_decimals_that_keep_their_spelling() -> None:
    data = read("a: 0.1\nb: 5.0\nc: 40\n").data
    assert isinstance(data["a"], ExactDecimal)
    assert data["a"] + data["a"] + data["a"] == Decimal("0.3")  # 0.30000000000000004 as a float
    assert data["b"].text == "5.0"
    assert data["c"] == 40 and isinstance(data["c"], int)


@pytest.mark.parametrize("spelling", ["1_000.5", "1.48e1", "+14.8", "014.8", "0x1F", "-0"])
def test_numbers_in_any_other_spelling_stay_text_for_the_model_to_refuse(spelling: str) -> None:
    value = read(f"a: {spelling}\n").data["a"]
    assert value == spelling or isinstance(value, str)


def test_yaml_1_2_words_stay_words_and_dates_stay_text() -> None:
    data = read("a: no\nb: on\nc: 2023-02-30\nd: 2023-04-03\n").data
    assert data == {"a": "no", "b": "on", "c": "2023-02-30", "d": "2023-04-03"}


def test_duplicate_keys_are_collected_with_their_positions() -> None:
    loaded = read("a: 1\nb:\n  c: 2\n  c: 3\na: 4\n")
    assert loaded.syntax_error is None
    assert [(d.key, d.line, d.column) for d in loaded.duplicate_keys] == [("c", 4, 3), ("a", 5, 1)]
    assert loaded.data["a"] == 1  # the first one wins, as the message says


def test_records_carry_their_span_and_the_position_of_every_field() -> None:
    loaded = read("items:\n  - id: x\n    value: 1\n    list:\n      - 7\n\n  # next\n  - id: y\nother: 1\n")
    first, second = loaded.records[("items", 0)], loaded.records[("items", 1)]
    assert (first.line, first.column) == (2, 5) and first.fields["value"] == (3, 5)
    assert first.fields["list.0"] == (5, 9)
    lines = loaded.text.splitlines()
    assert own_lines(lines, first.line - 1, first.end) == 5  # the comment belongs to the next record
    assert (second.line, second.end) == (8, 8)
    assert loaded.keys == {"items": (1, 1), "other": (9, 1)}


@pytest.mark.parametrize("name", FILES)
def test_every_field_position_of_the_real_data_points_at_its_key(name: str) -> None:
    loaded = parse((REAL_DATA / name).read_bytes(), fields=True)
    lines = loaded.text.splitlines()
    assert loaded.records
    for (_, _), span in loaded.records.items():
        assert lines[span.line - 1][span.column - 3 :].startswith("- ")
        for dotted, (line, column) in span.fields.items():
            last = dotted.rpartition(".")[2]
            at = lines[line - 1][column - 1 :]
            assert at.startswith(f"{last}:") or last.isdigit(), (dotted, at)


@pytest.mark.parametrize("name", FILES)
def test_positions_found_later_are_those_of_a_whole_read(name: str) -> None:
    """A field's position, found by reading the record's lines on their own when a finding asks, is
    the one a read of the whole file gives."""
    from policy_ledger.yamlio import field_positions

    loaded = parse((REAL_DATA / name).read_bytes(), fields=True)
    lines = loaded.text.splitlines()
    for span in loaded.records.values():
        assert field_positions(lines, span.line, span.end) == span.fields


@pytest.mark.parametrize("name", FILES)
def test_an_edit_that_changes_nothing_gives_back_the_file_byte_for_byte(name: str) -> None:
    raw = (REAL_DATA / name).read_bytes()
    loaded = parse(raw)
    for (key, index), span in loaded.records.items():
        record = loaded.data[key][index]
        if "id" not in record:
            continue
        edit = edit_record(loaded.text, span, str(record["id"]), lambda record: None)
        assert edit.text == loaded.text, (key, index)


def test_an_edit_changes_only_the_record_and_keeps_its_comments() -> None:
    text = 'items:\n  - id: "1"\n    a: 1  # kept\n  # about the next\n  - id: "2"\n    a: 2\n'
    loaded = read(text)

    def change(record: Any) -> None:
        record["b"] = ExactDecimal("23.5")

    edit = edit_record(text, loaded.records[("items", 0)], "1", change)
    assert (
        edit.text
        == 'items:\n  - id: "1"\n    a: 1  # kept\n    b: 23.5\n  # about the next\n  - id: "2"\n    a: 2\n'
    )
    assert (edit.start, edit.old_end, edit.new_end) == (1, 3, 4)


def test_an_edit_refuses_a_span_that_does_not_hold_the_record() -> None:
    text = 'items:\n  - id: "1"\n    a: 1\n  - id: "2"\n'
    loaded = read(text)
    with pytest.raises(HouseStyleError, match="not 2"):
        edit_record(text, loaded.records[("items", 0)], "2", lambda record: None)


def test_an_edit_refuses_a_record_in_a_layout_of_its_own() -> None:
    text = 'items:\n  - id:    "1"\n    a:   1\n'
    loaded = read(text)
    with pytest.raises(HouseStyleError):
        edit_record(text, loaded.records[("items", 0)], "1", lambda record: None)


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('items:\n  - a: 1\n    b: "open\n  - a: 2\n    b: "x"\n', 3, "never closed"),
        ("? [a, b]\n: c\n", 1, "a key that is a list or mapping"),
        ("%YAML 1.3\n---\na: 1\n", 1, "YAML syntax error"),
        ("a: &x {b: 1}\nc:\n  <<: *x\n", 3, "merge key"),
        ("a: !!python/object:os.system x\n", 1, "tag"),
        ("a: !custom x\n", 1, "tag"),
        ("a: 1\n\tb: 2\n", 2, ""),
        ("a: " + "[" * 60 + "]" * 60 + "\n", 1, "nested deeper"),
        ("a: 1\nb: \x07\n", 2, "control character"),
        ("a: 1\n<<<<<<< HEAD\n", 2, "merge conflict"),
    ],
    ids=[
        "unclosed",
        "complex-key",
        "yaml-1.3",
        "merge-key",
        "python-tag",
        "custom-tag",
        "tab",
        "deep",
        "bell",
        "conflict",
    ],
)
def test_what_is_not_ledger_yaml_is_one_error_at_its_line(text: str, line: int, words: str) -> None:
    error = read(text).syntax_error
    assert error is not None and error.line == line and words in error.message
    assert "\n" not in error.message and "\n" not in error.hint


def test_file_that_is_not_utf8_is_an_error_not_a_crash() -> None:
    error = parse("a: 1\nb: 乐清\n".encode("gb18030")).syntax_error
    assert error is not None and error.line == 2 and "UTF-8" in error.message


def test_a_hash_inside_a_quoted_value_is_not_a_comment() -> None:
    loaded = read('a: "x # ledger: ignore[L012] sneaky"  # real\nb: |\n  # inside\n')
    assert not loaded.is_comment(1, 6)
    assert loaded.is_comment(1, 39)
    assert not loaded.is_comment(3, 3)


def test_the_bad_fixtures_never_crash_the_reader() -> None:
    for path in BAD.rglob("*.yaml"):
        parse(path.read_bytes())
