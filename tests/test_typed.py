"""Numbers and dates as people type them: read into the one spelling, or refused in one line."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policy_ledger.amounts import parse_number
from policy_ledger.models import MAX_YEAR, MIN_YEAR, parse_day
from policy_ledger.typed import NotANumber, read_amount, read_count, read_day, read_unit

FULL = "full-width characters"
THOUSANDS = "thousands separators"
DATE = "date written YYYY-MM-DD"


@pytest.mark.parametrize(
    ("typed", "money", "text", "unit", "changes"),
    [
        ("23.5", True, "23.5", None, ()),
        ("23.5亿元", True, "23.5亿元", "亿元", ()),
        ("  23.5 亿元 ", True, "23.5亿元", "亿元", ()),  # spaces around are not a change
        ("５.0", False, "5.0", None, (FULL,)),  # the spelling of the point and places is kept
        ("２３．５亿", True, "23.5亿元", "亿元", (FULL, "亿 as 亿元")),
        ("30亿", True, "30亿元", "亿元", ("亿 as 亿元",)),
        ("1200万", True, "1200万元", "万元", ("万 as 万元",)),
        ("30亿", False, "30亿", "亿", ()),  # 亿 is not money on a record in another unit
        ("42.5％", False, "42.5%", "%", (FULL,)),
        ("４２．５％", False, "42.5%", "%", (FULL,)),
        ("1,000", False, "1000", None, (THOUSANDS,)),
        ("1，000", False, "1000", None, (FULL, THOUSANDS)),
        ("12,345,678.25", False, "12345678.25", None, (THOUSANDS,)),
        ("1,000万", True, "1000万元", "万元", (THOUSANDS, "万 as 万元")),
        ("－1", False, "-1", None, (FULL,)),  # read; progress then refuses a negative reading
        ("\u300023.5\u3000亿元", True, "23.5亿元", "亿元", ()),  # ideographic spaces
    ],
)
def test_numbers_as_typed_are_read_into_the_one_spelling(
    typed: str, money: bool, text: str, unit: str | None, changes: tuple[str, ...]
) -> None:
    read = read_amount(typed, money=money)
    assert (read.text, read.unit, read.changes) == (text, unit, changes)
    assert read.value == parse_number(text.removesuffix(unit or "")) and read.typed == typed.strip()
    assert str(read.value.text) == text.removesuffix(unit or "")


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            "1,00",
            "'1,00' is ambiguous: a comma separates thousands in groups of three digits (1,000); "
            "write 100 or 1.00, whichever you mean",
        ),
        ("1,5", "write 15 or 1.5, whichever you mean"),
        ("0,5", "write 0.5 if that is what you mean"),
        ("1,0000", "write 10000 or 1.0000"),  # grouped by 万, not by thousands
        ("1,000,00", "'1,000,00' is ambiguous"),
        ("1,000.000,5", "is ambiguous"),
        ("1,,000", "is ambiguous"),
        ("01,000", "is ambiguous"),
        ("1e3", "it has an exponent); write 1000"),
        ("1_000", "it has _ between digits); write 1000"),
        ("+5", "it has a plus sign"),
        ("٣", "full-width or non-ASCII digits"),  # not what a Chinese keyboard types: refused as before
        ("1" * 25, "digits before the point"),
    ],
)
def test_ambiguous_or_unplain_numbers_are_refused_in_one_line(typed: str, message: str) -> None:
    with pytest.raises(ValueError) as refused:
        read_amount(typed, money=True)
    assert message in str(refused.value) and "\n" not in str(refused.value)
    assert not isinstance(refused.value, NotANumber)


@pytest.mark.parametrize("typed", ["abc", "", "   ", ",100", "亿元", "一百"])
def test_what_is_no_number_at_all_is_told_apart(typed: str) -> None:
    with pytest.raises(NotANumber):
        read_amount(typed)


def test_a_unit_given_alone_is_read_the_same_way() -> None:
    assert (read_unit("％").value, read_unit("％").changes) == ("%", (FULL,))
    assert (read_unit("亿", money=True).value, read_unit("亿", money=True).changes) == (
        "亿元",
        ("亿 as 亿元",),
    )
    assert (read_unit("亿").value, read_unit("亿").changes) == ("亿", ())
    assert read_unit("亩").changes == ()


@pytest.mark.parametrize(
    ("typed", "changes"),
    [
        ("2023-09-30", ()),
        (" 2023-09-30 ", ()),
        ("2023/9/30", (DATE,)),
        ("2023/09/30", (DATE,)),
        ("2023.9.30", (DATE,)),
        ("2023-9-30", (DATE,)),
        ("2023年9月30日", (DATE,)),
        ("2023年9月30号", (DATE,)),
        ("2023年9月30", (DATE,)),
        ("2023 年 9 月 30 日", (DATE,)),
        ("２０２３-０９-３０", (FULL,)),
        ("２０２３－０９－３０", (FULL,)),
        ("２０２３／９／３０", (FULL, DATE)),
        ("２０２３年９月３０日", (FULL, DATE)),
    ],
)
def test_dates_as_typed_are_read_as_yyyy_mm_dd(typed: str, changes: tuple[str, ...]) -> None:
    read = read_day(typed)
    assert (read.value, read.text, read.changes) == (date(2023, 9, 30), "2023-09-30", changes)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("23/9/30", "'23/9/30' is ambiguous: the year needs four digits, first; write YYYY-MM-DD"),
        ("23年9月30日", "the year needs four digits"),
        ("9/30/23", "the year needs four digits"),
        (
            "9/30/2023",
            "'9/30/2023' is ambiguous: the year comes last, so the month could be either number; "
            "write 2023-09-30 if that is what you mean",
        ),
        ("9/10/2023", "write 2023-09-10 or 2023-10-09, whichever you mean"),
        ("30.06.2023", "write 2023-06-30 if that is what you mean"),
        ("10/10/2023", "write 2023-10-10 if that is what you mean"),
        ("40/40/2023", "write YYYY-MM-DD, such as 2023-09-30"),
        ("2023-02-30", "'2023-02-30' is not a real date (February 2023 has 28 days); write YYYY-MM-DD"),
        ("2023/2/30", "'2023/2/30' is not a real date (February 2023 has 28 days)"),
        ("2023年13月1日", "'2023年13月1日' is not a real date (there is no month 13)"),
        (
            "2023年9月",
            "'2023年9月' names a month, not a day; write YYYY-MM-DD, such as 2023-09-30 for the end",
        ),
        ("2024-2", "such as 2024-02-29 for the end of the month"),
        ("2023年13月", "names a month, not a day; write YYYY-MM-DD"),
        ("2023/9-30", "is not written YYYY-MM-DD; write 2023-09-30"),  # one separator, not two
        ("20230930", "is not written YYYY-MM-DD; write 2023-09-30"),
        ("2023-09-30T08:00", "has a time of day"),
        ("1900/1/1", "outside the years"),
        ("June", "is not a date written YYYY-MM-DD"),
        ("", "is not a date"),
    ],
)
def test_ambiguous_or_unreal_dates_are_refused_in_one_line(typed: str, message: str) -> None:
    with pytest.raises(ValueError) as refused:
        read_day(typed)
    assert message in str(refused.value) and "\n" not in str(refused.value)


@pytest.mark.parametrize(
    ("typed", "text", "changes"),
    [
        ("12", "12", ()),
        ("１２", "12", (FULL,)),
        ("1,200", "1200", (THOUSANDS,)),
        ("1，200", "1200", (FULL, THOUSANDS)),
    ],
)
def test_counts_as_typed(typed: str, text: str, changes: tuple[str, ...]) -> None:
    assert (read_count(typed).text, read_count(typed).changes) == (text, changes)


@pytest.mark.parametrize(("typed", "message"), [("1,20", "write 120 if"), ("1,200.5", "is ambiguous")])
def test_counts_with_misplaced_commas_are_refused(typed: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        read_count(typed)


_FULL_WIDTH_DIGITS = str.maketrans("0123456789.", "０１２３４５６７８９．")


@given(st.decimals(min_value=0, max_value=Decimal("1e15"), places=2, allow_nan=False))
def test_any_number_typed_grouped_or_full_width_reads_as_its_plain_spelling(number: Decimal) -> None:
    plain = format(number, "f")
    integer, _, fraction = plain.partition(".")
    grouped = f"{int(integer):,}" + (f".{fraction}" if fraction else "")
    for typed in (plain, grouped, grouped.translate(_FULL_WIDTH_DIGITS).replace(",", "，")):
        read = read_amount(typed)
        assert read.text == plain and read.value == number
        assert bool(read.changes) == (typed != plain)


@given(st.dates(min_value=date(MIN_YEAR, 1, 1), max_value=date(MAX_YEAR, 12, 31)))
def test_any_date_in_any_accepted_spelling_reads_as_itself(day: date) -> None:
    y, m, d = day.year, day.month, day.day
    spellings = [f"{y}/{m}/{d}", f"{y}.{m}.{d}", f"{y}-{m}-{d}", f"{y}年{m}月{d}日", day.isoformat()]
    for typed in [*spellings, day.isoformat().translate(_FULL_WIDTH_DIGITS)]:
        read = read_day(typed)
        assert read.value == day and read.text == day.isoformat() == parse_day(read.text).isoformat()
