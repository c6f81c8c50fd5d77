"""The YAML layer: exact numbers, byte-identical round trips, collected duplicates, positions."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from policy_ledger.yamlio import (
    ExactDecimal,
    dump_yaml,
    locate_item,
    make_yaml,
    position,
    read_fast,
    read_yaml,
    record_line_range,
    scan_position,
    write_atomic,
)

from .conftest import REAL_DATA


@pytest.mark.parametrize("name", ["policies.yaml", "targets.yaml", "budgets.yaml"])
def test_unchanged_data_file_round_trips_byte_for_byte(name: str) -> None:
    loaded = read_yaml(REAL_DATA / name)
    assert loaded.syntax_error is None
    assert dump_yaml(loaded.data) == (REAL_DATA / name).read_text(encoding="utf-8")


def test_floats_are_read_as_exact_decimals_that_keep_their_spelling() -> None:
    data = make_yaml().load("a: 0.1\nb: 5.0\nc: 40\nd: 1_000.5\n")
    assert isinstance(data["a"], ExactDecimal)
    assert data["a"] + data["a"] + data["a"] == Decimal("0.3")  # 0.30000000000000004 as a float
    assert data["b"].text == "5.0"
    assert data["c"] == 40 and isinstance(data["c"], int)
    assert data["d"] == Decimal("1000.5")
    assert dump_yaml(data) == "a: 0.1\nb: 5.0\nc: 40\nd: 1_000.5\n"


def test_new_decimal_values_are_written_as_plain_numbers() -> None:
    data = make_yaml().load("a: 1\n")
    data["b"] = Decimal("23.5")
    data["c"] = Decimal("40")
    assert dump_yaml(data) == "a: 1\nb: 23.5\nc: 40\n"


def test_duplicate_keys_are_collected_with_their_positions(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("a: 1\nb:\n  c: 2\n  c: 3\na: 4\n", encoding="utf-8")
    loaded = read_yaml(path)
    assert loaded.syntax_error is None
    assert [(d.key, d.line, d.column) for d in loaded.duplicate_keys] == [("c", 4, 3), ("a", 5, 1)]
    assert loaded.data["a"] == 1  # the first one wins, as the message says


def test_impossible_date_stays_text_for_the_model_to_reject() -> None:
    data = make_yaml().load("d: 2023-02-30\ne: 2023-04-03\n")
    assert data["d"] == "2023-02-30"
    assert data["e"].isoformat() == "2023-04-03"


def test_syntax_error_names_the_line_of_an_unclosed_quote(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text('items:\n  - a: 1\n    b: "open\n  - a: 2\n    b: "x"\n', encoding="utf-8")
    error = read_yaml(path).syntax_error
    assert error is not None
    assert (error.line, error.column) == (3, 8)
    assert "never closed" in error.message


def test_file_that_is_not_utf8_is_a_syntax_error_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes("a: 1\nb: 乐清\n".encode("gb18030"))
    error = read_yaml(path).syntax_error
    assert error is not None and error.line == 2 and "UTF-8" in error.message


def test_position_walks_to_the_deepest_existing_node() -> None:
    data = make_yaml().load("items:\n  - id: x\n    value: 1\n  - id: y\n")
    assert position(data, ("items", 0, "value")) == (3, 5)
    assert position(data, ("items", 1, "value")) == (4, 5)  # missing key: the record's own line
    assert position(data, ("nothing",)) == (1, 1)


def test_write_atomic_replaces_the_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("old\n", encoding="utf-8")
    write_atomic(path, "new: 乐清\n")
    assert path.read_text(encoding="utf-8") == "new: 乐清\n"
    assert [p.name for p in tmp_path.iterdir()] == ["x.yaml"]


@pytest.mark.parametrize("name", ["targets.yaml", "budgets.yaml"])
def test_locate_item_finds_what_a_full_parse_finds_for_every_record(name: str) -> None:
    text = (REAL_DATA / name).read_text(encoding="utf-8")
    lines = text.split("\n")
    tree = make_yaml().load(text)
    paths: list[tuple[str | int, ...]] = []
    if name == "targets.yaml":
        paths = [("targets", i) for i in range(len(tree["targets"]))]
    else:
        for b, budget in enumerate(tree["budgets"]):
            paths.append(("budgets", b))
            paths += [("budgets", b, "allocations", a) for a in range(len(budget["allocations"]))]
    assert len(paths) > 40
    for path in paths:
        assert locate_item(lines, path) == record_line_range(lines, tree, path), path


def test_locate_item_gives_up_on_what_it_cannot_read() -> None:
    assert locate_item(["targets: [{id: x}]"], ("targets", 0)) is None
    assert locate_item(["targets:", "  - id: a"], ("targets", 1)) is None
    assert locate_item(["other:", "  - id: a"], ("targets", 0)) is None


def test_fast_and_round_trip_readers_give_the_same_values(tmp_path: Path) -> None:
    text = (
        "a: 0.1\nb: 5.0\nc: 40\nd: yes\ne: 2023-02-30\nf: 2023-04-03\ng: null\nh: true\ni: 017\n"
        "j: '1/2'\nk: 1_000\nl: .inf\nm: [x, 'y']\n"
    )
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    fast, slow = read_fast(path), read_yaml(path)
    assert fast.syntax_error is None and slow.syntax_error is None
    assert dict(fast.data) == dict(slow.data)
    assert [type(fast.data[k]) for k in "abcdefg"] == [type(slow.data[k]) for k in "abcdefg"]
    assert fast.data["b"].text == "5.0" and fast.data["d"] == "yes"


def _every_path(node: object, prefix: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    """Every key and item path of a parsed tree, with one missing field per mapping for good measure."""
    paths = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            paths += _every_path(value, (*prefix, key))
        paths.append((*prefix, "no_such_field"))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            paths += _every_path(value, (*prefix, index))
    return paths


@pytest.mark.parametrize("name", ["policies.yaml", "targets.yaml", "budgets.yaml"])
def test_scan_position_agrees_with_the_parser_everywhere(name: str) -> None:
    text = (REAL_DATA / name).read_text(encoding="utf-8")
    tree = make_yaml().load(text)
    lines = text.split("\n")
    paths = _every_path(tree)
    assert len(paths) > 300
    for path in paths:
        scanned = scan_position(lines, path)
        if scanned is not None:  # None: the scan leaves it to the parser (flow lists such as leads)
            assert scanned == position(tree, path), path
    assert scan_position(lines, ("areas", 0, "leads", 0)) is None or name != "policies.yaml"


def test_scan_position_on_the_bad_fixtures_agrees_or_defers() -> None:
    from .conftest import BAD

    for path in BAD.rglob("*.yaml"):
        loaded = read_yaml(path)
        if loaded.syntax_error or loaded.duplicate_keys or not isinstance(loaded.data, dict):
            continue
        lines = loaded.text.split("\n")
        for loc in _every_path(loaded.data):
            scanned = scan_position(lines, loc)
            if scanned is not None:
                assert scanned == position(loaded.data, loc), (path, loc)
