"""The one number parser, exact money conversion and sums, and the document's own notation."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policy_ledger.amounts import (
    MAX_FRACTION_DIGITS,
    MAX_INTEGER_DIGITS,
    ExactDecimal,
    convert,
    exact_difference,
    exact_sum,
    format_amount,
    format_number,
    parse_fraction,
    parse_number,
    share,
)


def test_yi_and_wan_convert_exactly() -> None:
    assert convert(Decimal("31.5"), "亿元", "万元") == Decimal("315000")
    assert convert(Decimal("5580"), "万元", "亿元") == Decimal("0.558")
    assert convert(Decimal("0.01"), "元", "万元") == Decimal("0.000001")


def test_units_that_are_not_money_do_not_convert() -> None:
    with pytest.raises(ValueError):
        convert(Decimal(1), "亿美元", "亿元")
    with pytest.raises(ValueError):
        convert(Decimal(1), "亩", "万亩")


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (Decimal("31.50"), "亿元", "31.5亿元"),
        (Decimal("5580"), "万元", "5580万元"),
        (Decimal("75.538"), "亿元", "75.538亿元"),
        (Decimal("1E+2"), "亿元", "100亿元"),
        (ExactDecimal("5.0"), None, "5.0"),
        (Fraction(2, 3), None, "2/3"),
    ],
)
def test_amounts_print_as_the_document_writes_them(value: Decimal, unit: str | None, text: str) -> None:
    assert format_amount(value, unit) == text


def test_share_is_a_percentage_to_one_place() -> None:
    assert share(Decimal("14.8"), Decimal("31.5")) == Decimal("47.0")
    assert share(Decimal(1), Decimal(0)) == Decimal(0)
    assert format_number(share(Decimal(1), Decimal(3))) == "33.3"


# --- parse_number: the one spelling of a number -----------------------------------------------------


@pytest.mark.parametrize("text", ["0", "0.0", "5", "5.0", "14.8", "31.50", "-2.5", "0.0000000001", "9" * 20])
def test_plain_numbers_are_read_and_keep_their_spelling(text: str) -> None:
    number = parse_number(text)
    assert isinstance(number, ExactDecimal)
    assert number == Decimal(text) and number.text == text and format_number(number) == text


def plain(text: str, reason: str, write: str) -> str:
    return f"'{text}' is not a number written plainly (it {reason}); write {write}"


ANY_NUMBER = "write digits with at most one point, such as 31.5"
FINITE = "is not a finite number; write a number such as 31.5"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1_4.8", plain("1_4.8", "has _ between digits", "14.8")),
        ("1.48e1", plain("1.48e1", "has an exponent", "14.8")),
        ("1.48E+1", plain("1.48E+1", "has an exponent", "14.8")),
        ("+14.8", plain("+14.8", "has a plus sign", "14.8")),
        ("014.8", plain("014.8", "has a leading zero", "14.8")),
        ("00", plain("00", "has a leading zero", "0")),
        ("14.", plain("14.", "ends with a point", "14")),
        (".5", plain(".5", "has no digit before the point", "0.5")),
        ("-.5", plain("-.5", "has no digit before the point", "-0.5")),
        ("１４.８", plain("１４.８", "has full-width or non-ASCII digits", "14.8")),
        ("١٤", plain("١٤", "has full-width or non-ASCII digits", "14")),
        (" 14.8", plain(" 14.8", "has spaces", "14.8")),
        ("14.8\n", plain("14.8\\n", "has spaces", "14.8")),
        ("0x1F", plain("0x1F", "is written in base 16", "31")),
        ("0o17", plain("0o17", "is written in base 8", "15")),
        ("1,000", plain("1,000", "has a comma", "the digits without separators")),
        ("-0", "'-0' is minus zero; write 0"),
        ("-0.0", "'-0.0' is minus zero; write 0.0"),
        (".nan", f"'.nan' {FINITE}"),
        ("NaN", f"'NaN' {FINITE}"),
        (".inf", f"'.inf' {FINITE}"),
        ("-.inf", f"'-.inf' {FINITE}"),
        ("Infinity", f"'Infinity' {FINITE}"),
        ("", "is empty; write a number such as 31.5"),
        ("1.2.3", f"'1.2.3' is not a number (it has more than one point); {ANY_NUMBER}"),
        ("abc", f"'abc' is not a number (it has characters other than digits); {ANY_NUMBER}"),
        (
            "1" * 21,
            f"'{'1' * 21}' has 21 digits before the point, more than the 20 a number may have; "
            "check the digits and the unit",
        ),
        (
            "0." + "1" * 11,
            f"'0.{'1' * 11}' has 11 digits after the point, more than the 10 a number may have; "
            "round it to 10 places (0.0000000001亿元 is one 分)",
        ),
    ],
)
def test_every_other_spelling_is_refused_saying_what_to_write(text: str, message: str) -> None:
    with pytest.raises(ValueError) as refused:
        parse_number(text)
    assert str(refused.value) == message


def test_a_huge_number_is_refused_without_echoing_it_or_expanding_it() -> None:
    for text in ("1e999999999", "9" * 100_000, "1" + "0" * 5000 + ".5"):
        with pytest.raises(ValueError) as refused:
            parse_number(text)
        assert len(str(refused.value)) < 200 and "\n" not in str(refused.value)


# Spellings that YAML or a person might produce for a number: digits of any script, signs, points,
# exponents, separators, spaces.
number_like = st.text(alphabet="0123456789１２٣._,eE+- \t\n-xo", max_size=30)
canonical = st.builds(
    lambda sign, whole, fraction: f"{sign}{whole}{'.' + fraction if fraction else ''}",
    st.sampled_from(["", "-"]),
    st.integers(min_value=0, max_value=10**MAX_INTEGER_DIGITS - 1).map(str),
    st.text(alphabet="0123456789", max_size=MAX_FRACTION_DIGITS),
).filter(lambda text: not (text.startswith("-") and Decimal(text) == 0))


@given(canonical)
def test_every_canonical_spelling_is_read_exactly_as_written(text: str) -> None:
    number = parse_number(text)
    assert number.text == text and format_number(number) == text
    assert Fraction(number) == Fraction(text)


@given(number_like | st.text(max_size=30))
def test_any_text_is_read_or_refused_in_one_line_and_a_suggestion_is_itself_plain(text: str) -> None:
    try:
        number = parse_number(text)
    except ValueError as refused:
        message = str(refused)
        assert "\n" not in message and "; " in message
        suggestion = message.rpartition("; write ")[2]
        if suggestion[:1].isdigit() or suggestion[:2] == "-0" or suggestion[:2].lstrip("-").isdigit():
            assert parse_number(suggestion).text == suggestion
        return
    assert number.text == text and text.isascii() and text.strip() == text


def without_trailing_zeros(text: str) -> str:
    return text.rstrip("0").removesuffix(".") if "." in text else text


@given(canonical, canonical)
def test_two_spellings_of_one_value_differ_only_in_trailing_zeros(a: str, b: str) -> None:
    if parse_number(a) == parse_number(b):
        assert without_trailing_zeros(a) == without_trailing_zeros(b)


@given(canonical)
def test_trailing_zeros_are_the_only_other_spelling(text: str) -> None:
    assert parse_number(without_trailing_zeros(text)) == parse_number(text)


# --- parse_fraction ----------------------------------------------------------------------------------


def test_fractions_are_read_in_lowest_terms() -> None:
    assert parse_fraction("2/3") == Fraction(2, 3)
    assert parse_fraction("1/2") == Fraction(1, 2)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2/4", "'2/4' is not in lowest terms; write 1/2"),
        ("2/0", "'2/0' divides by zero; write a fraction such as 2/3"),
        ("0/3", "'0/3' is zero; write 0"),
        ("02/3", "'02/3' is not a fraction written plainly; write 2/3"),
        (" 2 / 3 ", "' 2 / 3 ' is not a fraction written plainly; write 2/3"),
        ("２/３", "'２/３' is not a fraction written plainly; write 2/3"),
        ("2／3", "'2／3' is not a fraction written plainly; write 2/3"),
        (
            "1234567/3",
            "'1234567/3' has terms of more than 6 digits; write the value as a number with a point",
        ),
        ("2/3x", "'2/3x' is not a fraction; write one such as 2/3"),
    ],
)
def test_other_fractions_are_refused(text: str, message: str) -> None:
    with pytest.raises(ValueError) as refused:
        parse_fraction(text)
    assert str(refused.value) == message


# --- exact sums and conversions ------------------------------------------------------------------------

big = canonical.filter(lambda text: not text.startswith("-")).map(parse_number)


@given(st.lists(big, max_size=50))
def test_exact_sum_is_exact_where_decimal_context_rounds(values: list[Decimal]) -> None:
    total = exact_sum(values)
    assert Fraction(total) == sum((Fraction(v) for v in values), Fraction(0))


def test_exact_sum_beyond_28_digits() -> None:
    values = [parse_number("12345678901234567890.1234567891"), parse_number("0.0000000001")]
    assert sum(values, Decimal(0)) != Decimal("12345678901234567890.1234567892")  # the context rounds
    assert exact_sum(values) == Decimal("12345678901234567890.1234567892")
    assert exact_sum([]) == 0
    with pytest.raises(ValueError):
        exact_sum([Decimal("NaN")])


@given(big, big)
def test_exact_difference_is_exact(a: Decimal, b: Decimal) -> None:
    assert Fraction(exact_difference(a, b)) == Fraction(a) - Fraction(b)


def test_exact_difference_beyond_28_digits() -> None:
    a, b = parse_number("12345678901234567890.1234567891"), parse_number("0.0000000001")
    assert a - b != Decimal("12345678901234567890.123456789")  # the context rounds
    assert exact_difference(a, b) == Decimal("12345678901234567890.123456789")


@given(big)
def test_money_converts_exactly_both_ways(value: Decimal) -> None:
    in_yuan = convert(value, "亿元", "元")
    assert Fraction(in_yuan) == Fraction(value) * 100_000_000
    assert convert(in_yuan, "元", "亿元") == value
    assert Fraction(convert(value, "万元", "亿元")) == Fraction(value) / 10_000
    assert "E" not in format_number(in_yuan) and Fraction(format_number(in_yuan)) == Fraction(in_yuan)


def test_share_does_not_fail_on_long_numbers() -> None:
    assert share(parse_number("99999999999999999999.9999999999"), parse_number("0.0000000001")) > 0
