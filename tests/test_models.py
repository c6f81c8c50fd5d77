"""The models refuse what would corrupt the ledger: floats, text amounts, unknown fields, bad shapes, absurd
sizes; and the one parser each for dates and record ids."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from policy_ledger.amounts import ExactDecimal, parse_number
from policy_ledger.models import (
    MAX_COUNT,
    MAX_YEAR,
    MIN_YEAR,
    Area,
    Budget,
    Document,
    Measure,
    ProgressEntry,
    Target,
    gross_sum,
    id_kind,
    parse_day,
    parse_record_id,
    parse_record_number,
)


def target(**changes: Any) -> dict[str, Any]:
    record = {
        "id": "17.1",
        "document": "lezhengfa-2023-6",
        "measure": 17,
        "what": "新增制造业中长期贷款",
        "value": 40,
        "unit": "亿元",
        "comparator": "at_least",
        "commitment": "stretch",
        "quote": "2023年力争全市新增制造业中长期贷款40亿元以上",
    }
    record.update(changes)
    return {k: v for k, v in record.items() if v is not None}


def test_a_valid_target_keeps_exact_values() -> None:
    model = Target.model_validate(target(value=Decimal("23.5")))
    assert model.value == Decimal("23.5") and isinstance(model.value, Decimal)
    assert not model.is_milestone


@pytest.mark.parametrize("bad", [40.0, "40", True])
def test_amounts_refuse_floats_text_and_booleans(bad: Any) -> None:
    with pytest.raises(ValidationError):
        Target.model_validate(target(value=bad))


def test_fractions_are_written_in_quotes() -> None:
    assert Target.model_validate(target(value="2/3", unit=None)).value == Fraction(2, 3)
    with pytest.raises(ValidationError):
        Target.model_validate(target(value="2/0", unit=None))


@pytest.mark.parametrize(
    "changes",
    [
        {"extra": 1},
        {"comparator": "more"},
        {"commitment": "maybe"},
        {"measure": None},  # belongs to nothing
        {"area": 3},  # belongs to both
        {"id": "18.1"},  # id not of its measure
        {"id": 17.1},  # an unquoted id
        {"comparator": None},  # a value without comparator
        {"value": None},  # a milestone with unit and comparator
        {"deadline_text": "1-6月"},  # deadline words without a date
        {"deadline": "2023-6-30"},  # a date not written YYYY-MM-DD
        {"deadline": date(9999, 12, 31)},  # a "never" date
        {"id": "17.01"},  # a second spelling of 17.1
        {"id": "B17.1"},  # an allocation's id on a target
        {"measure": 0},
    ],
)
def test_target_shape_errors(changes: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        Target.model_validate(target(**changes))


def test_milestone_has_no_value_unit_or_comparator() -> None:
    model = Target.model_validate(target(value=None, unit=None, comparator=None))
    assert model.is_milestone


@pytest.mark.parametrize("field", ["level", "draft"])
@pytest.mark.parametrize("bad", [1, 1.0, False, "true", "yes", [True]])
def test_a_mark_is_true_or_absent(field: str, bad: Any) -> None:
    assert getattr(Target.model_validate(target(**{field: True})), field) is True
    assert getattr(Target.model_validate(target()), field) is None
    with pytest.raises(ValidationError, match="is not true"):
        Target.model_validate(target(**{field: bad}))


def test_progress_entry_has_a_value_or_a_status() -> None:
    ProgressEntry.model_validate({"as_of": date(2023, 6, 30), "value": Decimal("23.5"), "unit": "亿元"})
    ProgressEntry.model_validate({"as_of": date(2023, 6, 30), "status": "done"})
    with pytest.raises(ValidationError):
        ProgressEntry.model_validate({"as_of": date(2023, 6, 30)})
    with pytest.raises(ValidationError):
        ProgressEntry.model_validate({"as_of": date(2023, 6, 30), "value": 1, "status": "done"})


def test_budget_ids_follow_their_measure() -> None:
    budget: dict[str, Any] = {
        "id": "B1",
        "document": "d",
        "measure": 1,
        "total": Decimal("1"),
        "unit": "亿元",
        "quote": "q",
        "allocations": [{"id": "B1.1", "label": "x", "amount": 1, "quote": "q"}],
    }
    Budget.model_validate(budget)
    with pytest.raises(ValidationError):
        Budget.model_validate({**budget, "id": "B2"})
    with pytest.raises(ValidationError):
        Budget.model_validate({**budget, "allocations": [{**budget["allocations"][0], "id": "B2.1"}]})
    with pytest.raises(ValidationError):
        Budget.model_validate({**budget, "allocations": []})


def budget(**changes: Any) -> dict[str, Any]:
    record = {
        "id": "B1",
        "document": "lezhengfa-2023-6",
        "measure": 1,
        "total": parse_number("31.5"),
        "unit": "亿元",
        "quote": "2023年统筹安排31.5亿元",
        "allocations": [
            {"id": "B1.1", "label": "综合交通基础设施", "amount": parse_number("31.5"), "quote": "q"}
        ],
    }
    record.update(changes)
    return record


def document(**changes: Any) -> dict[str, Any]:
    record = {
        "id": "lezhengfa-2023-6",
        "number": "乐政发〔2023〕6号",
        "title": "关于推动经济高质量发展的若干政策",
        "issuer": "乐清市人民政府",
        "date": "2023-04-03",
        "source": "source/lezhengfa-2023-6.txt",
        "period": {"start": "2023-01-01", "end": "2023-12-31"},
        "area_count": 8,
        "measure_count": 57,
    }
    record.update(changes)
    return record


def refusal(model: type[BaseModel], data: dict[str, Any]) -> tuple[tuple[int | str, ...], str]:
    """The one error a model reports for ``data``: where, and its message (one line)."""
    with pytest.raises(ValidationError) as refused:
        model.model_validate(data)
    errors = refused.value.errors(include_url=False)
    assert len(errors) == 1, errors
    message = str(errors[0]["msg"]).removeprefix("Value error, ")
    assert "\n" not in message
    return tuple(errors[0]["loc"]), message


# --- dates ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["2023-06-30", "1949-10-01", "2199-12-31", "2024-02-29"])
def test_iso_days_are_read(text: str) -> None:
    assert parse_day(text) == date.fromisoformat(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("20230630", "'20230630' is not written YYYY-MM-DD; write 2023-06-30"),
        ("2023-6-30", "'2023-6-30' is not written YYYY-MM-DD; write 2023-06-30"),
        ("2023/06/30", "'2023/06/30' is not written YYYY-MM-DD; write 2023-06-30"),
        ("2023年6月30日", "'2023年6月30日' is not written YYYY-MM-DD; write 2023-06-30"),
        ("２０２３-０６-３０", "'２０２３-０６-３０' is not written YYYY-MM-DD; write 2023-06-30"),
        (" 2023-06-30", "' 2023-06-30' is not written YYYY-MM-DD; write 2023-06-30"),
        ("2023-06-30T00:00:00", "'2023-06-30T00:00:00' has a time of day; write only the date, 2023-06-30"),
        ("2023-02-30", "'2023-02-30' is not a real date (February 2023 has 28 days); write YYYY-MM-DD"),
        ("2023-2-30", "'2023-2-30' is not a real date (February 2023 has 28 days); write YYYY-MM-DD"),
        ("2023-13-01", "'2023-13-01' is not a real date (there is no month 13); write YYYY-MM-DD"),
        ("2023-00-10", "'2023-00-10' is not a real date (there is no month 0); write YYYY-MM-DD"),
        (
            "9999-12-31",
            "'9999-12-31' is outside the years 1949 to 2199 a date in the ledger may have; "
            "write the real date, or leave the field out when there is none",
        ),
        ("0000-01-01", "'0000-01-01' is outside the years 1949 to 2199"),
        ("1900-01-01", "'1900-01-01' is outside the years 1949 to 2199"),
        ("+2023-06-30", "'+2023-06-30' is not a date written YYYY-MM-DD; write one such as 2023-06-30"),
        ("2023年底", "'2023年底' is not a date written YYYY-MM-DD; write one such as 2023-06-30"),
        ("", "'' is not a date written YYYY-MM-DD; write one such as 2023-06-30"),
    ],
)
def test_other_dates_are_refused_saying_what_to_write(text: str, message: str) -> None:
    with pytest.raises(ValueError) as refused:
        parse_day(text)
    assert str(refused.value).startswith(message)


@given(st.dates(min_value=date(MIN_YEAR, 1, 1), max_value=date(MAX_YEAR, 12, 31)))
def test_every_day_in_the_window_reads_back(day: date) -> None:
    assert parse_day(day.isoformat()) == day


@given(st.text(alphabet="0123456789-/年月日 T:２٣", max_size=24) | st.text(max_size=24))
def test_any_text_is_a_day_or_one_line_of_refusal(text: str) -> None:
    try:
        day = parse_day(text)
    except ValueError as refused:
        assert "\n" not in str(refused) and "; " in str(refused)
        suggestion = str(refused).rpartition("; write ")[2]
        if suggestion[:4].isdigit():
            parse_day(suggestion)  # what it says to write is itself a valid date
        return
    assert day.isoformat() == text


def test_date_fields_take_iso_text_or_dates_and_refuse_the_rest() -> None:
    assert Target.model_validate(target(deadline="2023-06-30")).deadline == date(2023, 6, 30)
    assert Target.model_validate(target(deadline=date(2023, 6, 30))).deadline == date(2023, 6, 30)
    assert refusal(Target, target(deadline=date(9999, 12, 31)))[1].startswith("'9999-12-31' is outside")
    assert refusal(Target, target(deadline=datetime(2023, 6, 30, 8)))[1] == (
        "'2023-06-30 08:00:00' has a time of day; write only the date, 2023-06-30"
    )
    assert refusal(Target, target(deadline=20230630))[1] == (
        "'20230630' is not written YYYY-MM-DD; write 2023-06-30"
    )
    loc, message = refusal(Target, target(deadline=ExactDecimal("20230630")))
    assert loc == ("deadline",) and message.endswith("write 2023-06-30")
    assert refusal(Target, target(deadline=True))[1] == "is true/false, not a date; write YYYY-MM-DD"


def test_a_date_field_dumps_as_iso_text() -> None:
    entry = ProgressEntry.model_validate({"as_of": "2023-06-30", "status": "done"})
    assert entry.as_of == date(2023, 6, 30)
    assert entry.model_dump(mode="json")["as_of"] == "2023-06-30"
    assert entry.model_dump()["as_of"] == date(2023, 6, 30)


# --- ids -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"), [("17.1", "target"), ("A3.1", "target"), ("B1", "budget"), ("B1.2", "allocation")]
)
def test_record_ids_are_read(text: str, kind: str) -> None:
    assert parse_record_id(text) == text
    assert id_kind(text) == kind


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("17.01", "'17.01' is not an id written plainly (a number in it has a leading zero); write 17.1"),
        ("017.1", "'017.1' is not an id written plainly (a number in it has a leading zero); write 17.1"),
        ("B01.2", "'B01.2' is not an id written plainly (a number in it has a leading zero); write B1.2"),
        ("１７.１", "'１７.１' is not an id written plainly (it has full-width characters); write 17.1"),
        ("１７．１", "'１７．１' is not an id written plainly (it has full-width characters); write 17.1"),
        ("Ｂ１", "'Ｂ１' is not an id written plainly (it has full-width characters); write B1"),
        ("b1.2", "'b1.2' is not an id written plainly (its letter is lower case); write B1.2"),
        ("a3.1", "'a3.1' is not an id written plainly (its letter is lower case); write A3.1"),
        (" 17.1", "' 17.1' is not an id written plainly (it has spaces); write 17.1"),
        ("17.0", "'17.0': numbers in an id count from 1"),
        ("0.1", "'0.1': numbers in an id count from 1"),
        ("17", "'17' is a number, not an id; write 17.1 for a measure's first target"),
        ("17.1.2", "'17.1.2' is not an id; write one like 17.1"),
        ("A3", "'A3' is not an id; write one like 17.1"),
        ("B1-1", "'B1-1' is not an id; write one like 17.1"),
        ("C1.1", "'C1.1' is not an id; write one like 17.1"),
        ("", "'' is not an id; write one like 17.1"),
        ("17.99999", "'17.99999' has a number above 10000; check the digits"),
        ("1" * 5000 + ".1", "has a number above 10000; check the digits"),
    ],
)
def test_other_ids_are_refused_saying_what_to_write(text: str, message: str) -> None:
    with pytest.raises(ValueError) as refused:
        parse_record_id(text)
    assert message in str(refused.value) and "\n" not in str(refused.value)
    assert len(str(refused.value)) < 200


ids = st.builds(
    lambda prefix, a, b: f"{prefix}{a}" if prefix == "B" and b is None else f"{prefix}{a}.{b or 1}",
    st.sampled_from(["", "A", "B"]),
    st.integers(1, MAX_COUNT),
    st.none() | st.integers(1, MAX_COUNT),
)


@given(ids, ids)
def test_one_record_has_exactly_one_spelling(a: str, b: str) -> None:
    assert parse_record_id(a) == a

    def meaning(ident: str) -> tuple[str, tuple[int, ...]]:
        return ident.rstrip("0123456789.")[:1], tuple(int(n) for n in ident.lstrip("AB").split("."))

    assert (meaning(a) == meaning(b)) == (a == b)


@given(st.text(alphabet="0123456789.ABab１．Ｂ ", max_size=12) | st.text(max_size=12))
def test_any_text_is_an_id_or_one_line_of_refusal(text: str) -> None:
    try:
        ident = parse_record_id(text)
    except ValueError as refused:
        assert "\n" not in str(refused) and "; " in str(refused)
        suggestion = str(refused).rpartition("; write ")[2]
        if " " not in suggestion:
            assert parse_record_id(suggestion) == suggestion
        return
    assert ident == text and text.isascii()


def test_measure_numbers_people_type() -> None:
    assert parse_record_number("17") == 17
    for text, message in [
        ("017", "write 17"),
        ("１７", "write 17"),
        (" 17", "write 17"),
        ("0", "write one such as 17"),
        ("abc", "write one such as 17"),
        ("10001", "above 10000"),
        ("9" * 5000, "above 10000"),
    ]:
        with pytest.raises(ValueError, match=message):
            parse_record_number(text)


def test_id_fields_refuse_numbers_other_kinds_and_second_spellings() -> None:
    assert refusal(Target, target(id=ExactDecimal("17.10")))[1] == (
        '17.10 is read as a number; write the id in quotes, e.g. "17.10"'
    )
    assert refusal(Target, target(id="B1.2"))[1] == (
        '\'B1.2\' is an allocation id, not a target id; write one like "17.1" or "A3.1"'
    )
    assert refusal(Budget, budget(id="B1.1"))[1].startswith("'B1.1' is an allocation id, not a budget id")
    allocation = {**budget()["allocations"][0], "id": "B1.01"}
    loc, message = refusal(Budget, budget(allocations=[allocation]))
    assert loc == ("allocations", 0, "id") and message.endswith("write B1.1")


# --- numbers -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given_value", "message"),
    [
        ("1_4.8", "'1_4.8' is not a number written plainly (it has _ between digits); write 14.8"),
        (
            ExactDecimal("1_4.8"),
            "'1_4.8' is not a number written plainly (it has _ between digits); write 14.8",
        ),
        (ExactDecimal("1.48e1"), "'1.48e1' is not a number written plainly (it has an exponent); write 14.8"),
        ("+14.8", "'+14.8' is not a number written plainly (it has a plus sign); write 14.8"),
        ("014.8", "'014.8' is not a number written plainly (it has a leading zero); write 14.8"),
        (
            "１４.８",
            "'１４.８' is not a number written plainly (it has full-width or non-ASCII digits); write 14.8",
        ),
        ("-0.0", "'-0.0' is minus zero; write 0.0"),
        (".nan", "'.nan' is not a finite number; write a number such as 31.5"),
        (float("inf"), "is not a finite number; write a number such as 31.5"),
        ("14.8", "'14.8' is text (in quotes), not a number; write the number without quotes: 14.8"),
        ("lots", "'lots' is text, not a number; write a number such as 31.5"),
        (14.8, "is a binary float, not an exact number; write the number as it is written, such as 31.5"),
        (True, "is true/false, not a number; write a number such as 31.5"),
        (10**400, "a number of more than 30 digits has more than the 20 digits a number may have"),
        (Decimal("1E+999999"), "a number of more than 30 digits has more digits than a number may have"),
        (parse_number("1000000000001"), "1000000000001 is implausibly large"),
        (parse_number("-1"), "-1 is negative"),
    ],
)
def test_amounts_refuse_every_other_spelling_in_one_line(given_value: Any, message: str) -> None:
    allocation = {**budget()["allocations"][0], "amount": given_value}
    loc, found = refusal(Budget, budget(allocations=[allocation]))
    assert loc == ("allocations", 0, "amount")
    assert found.startswith(message)


def test_amounts_keep_their_spelling_and_plain_decimals_are_spelled_out() -> None:
    assert Target.model_validate(target(value=parse_number("5.0"))).value.text == "5.0"  # type: ignore[union-attr]
    assert Target.model_validate(target(value=Decimal("1E+2"))).value.text == "100"  # type: ignore[union-attr]
    assert Target.model_validate(target(value=40)).value == 40


@pytest.mark.parametrize(
    ("given_value", "message"),
    [
        ("2/4", "'2/4' is not in lowest terms; write 1/2"),
        ("２/３", "'２/３' is not a fraction written plainly; write 2/3"),
        ("2/3x", "'2/3x' is not a fraction; write one such as 2/3"),
        ("lots", "'lots' is neither a number nor a fraction"),
        ("1_4.8", "'1_4.8' is not a number written plainly"),
    ],
)
def test_values_refuse_other_fractions_and_number_spellings(given_value: str, message: str) -> None:
    assert refusal(Target, target(value=given_value, unit=None))[1].startswith(message)


# --- counts and references -----------------------------------------------------------------------------


def test_counts_are_bounded_so_checks_can_walk_them() -> None:
    assert Document.model_validate(document(measure_count=MAX_COUNT)).measure_count == MAX_COUNT
    loc, message = refusal(Document, document(measure_count=1_000_000_000_000))
    assert loc == ("measure_count",)
    assert message == (
        "1000000000000 is above 10000, the most areas or measures a document may have; check the number"
    )
    assert refusal(Document, document(area_count=MAX_COUNT + 1))[0] == ("area_count",)
    assert refusal(Document, document(area_count=10**5000))[1].startswith("a number of more than 30 digits")
    assert refusal(Document, document(area_count=0))[1] == "0 is below 1; numbers count from 1"


@pytest.mark.parametrize(
    ("given_value", "message"),
    [
        (ExactDecimal("17.0"), "17.0 is not a whole number; write 17"),
        (ExactDecimal("17.5"), "17.5 is not a whole number; write a whole number such as 17"),
        ("017", "'017' is not a number written plainly (it has a leading zero); write 17"),
        ("17", "'17' is text (in quotes), not a number; write the number without quotes: 17"),
        ("seventeen", "'seventeen' is text, not a number; write a number such as 17"),
        (True, "is true/false, not a whole number; write a whole number such as 17"),
        (17.0, "is a binary float, not a whole number; write a whole number such as 17"),
    ],
)
def test_record_numbers_are_whole_numbers_written_plainly(given_value: Any, message: str) -> None:
    assert refusal(Target, target(measure=given_value, id="17.1"))[1] == message


def test_whole_numbers_from_the_reader_become_ints() -> None:
    model = Target.model_validate(target(measure=ExactDecimal("17")))
    assert model.measure == 17 and type(model.measure) is int


# --- text and list lengths -----------------------------------------------------------------------------


def test_text_lengths_are_bounded_with_room_to_spare() -> None:
    assert Target.model_validate(target(what="字" * 200)).what == "字" * 200
    loc, message = refusal(Target, target(what="字" * 201))
    assert loc == ("what",)
    assert message == "is 201 characters long, over the 200 it may have; shorten it to the words that name it"
    assert refusal(Target, target(quote="字" * 1001))[1].startswith(
        "is 1,001 characters long, over the 1,000"
    )
    entry = {"as_of": "2023-06-30", "status": "done", "note": "字" * 501}
    assert refusal(ProgressEntry, entry)[1].startswith("is 501 characters long, over the 500")
    measure: dict[str, Any] = {
        "document": "d",
        "number": 1,
        "area": 1,
        "title": "标题",
        "text": "标题" + "字" * 9998,
    }
    Measure.model_validate(measure)
    assert refusal(Measure, {**measure, "text": measure["text"] + "字"})[0] == ("text",)


def test_list_lengths_are_bounded_before_their_items_are_read() -> None:
    area = {"document": "d", "number": 1, "title": "t", "leads": ["市发改局"], "heading": "h", "text": "x"}
    Area.model_validate({**area, "leads": ["市发改局"] * 20})
    assert refusal(Area, {**area, "leads": ["市发改局"] * 21})[1].startswith(
        "has 21 lead bureaus, over the 20"
    )
    entries = [{"as_of": "2023-06-30", "status": "done"}] * 1001
    loc, message = refusal(Target, target(progress=entries))
    assert loc == ("progress",) and message.startswith("has 1,001 progress entries, over the 1,000")
    allocations = [{"bad": "items are not even read"}] * 1001
    assert refusal(Budget, budget(allocations=allocations))[1].startswith(
        "has 1,001 allocations, over the 1,000"
    )


@pytest.mark.parametrize(
    "path", ["../../etc/passwd", "/etc/passwd", "source/../../x.txt", "C:\\x.txt", "a\\b.txt"]
)
def test_the_source_text_stays_inside_the_data_directory(path: str) -> None:
    loc, message = refusal(Document, document(source=path))
    assert loc == ("source",) and "points outside the data directory" in message


# --- exact sums ------------------------------------------------------------------------------------------


def test_budget_sums_are_exact_beyond_decimal_context_precision() -> None:
    """A large amount in 亿元 plus a tenth of a 分 in 元 needs 31 digits; Decimal's context keeps 28."""
    parts = [("999999999999.9999999999", "亿元"), ("0.0000000001", "元"), ("0.5", "万元")]
    allocations = [
        {"id": f"B1.{i}", "label": "x", "amount": parse_number(amount), "unit": unit, "quote": "q"}
        for i, (amount, unit) in enumerate(parts, start=1)
    ]
    model = Budget.model_validate(budget(total=parse_number("1"), allocations=allocations))
    expected = Decimal("1000000000000.000049999900000001")  # 34 digits
    assert Fraction(expected) == Fraction(parts[0][0]) + Fraction(parts[1][0]) / 10**8 + Fraction(
        1, 2 * 10**4
    )
    assert model.allocated() == expected
    assert (
        sum((Decimal(a.amount) for a in model.allocations[:1]), Decimal("0.000049999900000001")) != expected
    )
    assert gross_sum([model, model], "元") == Decimal("200000000")
