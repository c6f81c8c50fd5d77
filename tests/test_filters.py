"""The query language on small hand-made rows: parsing, matching, negation, sorting and usage errors."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from policy_ledger.filters import Vocabulary, build_query, natural_key, parse_sort, parse_term
from policy_ledger.problems import LedgerError
from policy_ledger.queries import TargetRow

VOCABULARY = Vocabulary(
    areas=frozenset({1, 2, 3}),
    measures=frozenset(range(1, 21)),
    ids=frozenset({"1.1", "2.1", "17.1", "17.3", "A3.1", "18.3"}),
    bureaus=("市发改局", "市科技局", "市经信局", "市农业农村局"),
    units=frozenset({"亿元", "万元", "亩", "%", "套（间）", "家"}),
)


BASE = TargetRow(
    id="",
    document="doc",
    area=1,
    measure=1,
    leads=("市发改局",),
    what="",
    kind="quantitative",
    value=Decimal(1),
    unit="亿元",
    comparator="exactly",
    commitment="plain",
    deadline=date(2023, 12, 31),
    deadline_text=None,
    quote="",
    budget=None,
    latest_progress=None,
)


def target(ident: str, **fields: Any) -> TargetRow:
    return replace(BASE, id=ident, **fields)


ROWS = [
    target("1.1", value=Decimal("31.5"), budget="B1", what="统筹安排财政资金"),
    target("2.1", measure=2, value=Decimal(200), commitment="firm", what="专项债券"),
    target(
        "17.1",
        area=3,
        measure=17,
        leads=("市经信局",),
        value=Decimal(40),
        comparator="at_least",
        commitment="stretch",
        what="新增制造业中长期贷款",
    ),
    target(
        "17.3",
        area=3,
        measure=17,
        leads=("市经信局",),
        value=Fraction(1, 2),
        unit=None,
        comparator="at_least",
        commitment="firm",
    ),
    target("A3.1", area=3, measure=None, leads=("市经信局",), value=Decimal(2150), unit="家"),
    target(
        "18.3",
        area=3,
        measure=18,
        leads=("市经信局",),
        kind="milestone",
        value=None,
        unit=None,
        comparator=None,
        deadline=date(2023, 6, 30),
        deadline_text="1-6月",
    ),
    target("2.2", measure=2, value=Decimal(5000), unit="万元", quote="会同市经信局推进REITs试点"),
]


def ids(*terms: str, **options: str | None) -> list[str]:
    query = build_query("targets", terms, options, VOCABULARY)
    return [row.id for row in query.run(ROWS)]


def usage_error(*terms: str, table: str = "targets", **options: str | None) -> str:
    with pytest.raises(LedgerError) as caught:
        build_query(table, terms, options, VOCABULARY)
    assert caught.value.exit_code == 2
    assert "\n" not in caught.value.message
    return caught.value.message


def test_terms_combine_by_and() -> None:
    assert ids("area:3") == ["17.1", "17.3", "A3.1", "18.3"]
    assert ids("area:3", "commitment:firm") == ["17.3"]
    assert ids("area:3", "commitment:firm", "kind:milestone") == []


def test_options_are_the_same_terms_and_combine_with_them() -> None:
    assert ids(area="3", commitment="确保") == ids("area:3", "commitment:firm") == ["17.3"]
    assert ids("area:3", kind="milestone") == ["18.3"]


@pytest.mark.parametrize(("word", "expected"), [("确保", "firm"), ("力争", "stretch"), ("争取", "stretch")])
def test_commitment_accepts_the_documents_words(word: str, expected: str) -> None:
    assert ids(f"commitment:{word}") == ids(f"commitment:{expected}")
    assert ids(f"commitment:{word}")


@pytest.mark.parametrize(("word", "expected"), [("以上", "at_least"), ("左右", "about"), ("以内", "at_most")])
def test_comparator_accepts_the_documents_words(word: str, expected: str) -> None:
    assert ids(f"comparator:{word}") == ids(f"comparator:{expected}")


def test_comparisons_on_dates_and_numbers() -> None:
    assert ids("due:<2023-07-01") == ["18.3"]
    assert ids("due:<=2023-06-30") == ["18.3"]
    assert ids("due:>2023-06-30") == ["1.1", "2.1", "17.1", "17.3", "A3.1", "2.2"]
    assert ids(**{"due-before": "2023-07-01"}) == ["18.3"]
    assert ids("value:>=200") == ["2.1", "A3.1", "2.2"]
    assert ids("value:<1") == ["17.3"]  # 1/2, a fraction, compares exactly
    assert ids("value:=31.5") == ["1.1"]


@pytest.mark.parametrize("day", ["2023/7/1", "2023年7月1日", "２０２３-０７-０１"])
def test_a_date_in_a_term_is_read_as_the_as_of_option_reads_it(day: str) -> None:
    assert ids(f"due:<{day}") == ids("due:<2023-07-01") == ["18.3"]


def test_a_fraction_in_a_term_compares_exactly() -> None:
    assert ids("value:<2/3") == ["17.3"]  # its value is 1/2
    assert ids("value:>=1/2", "value:<=1/2") == ["17.3"]


@pytest.mark.parametrize("number", ["014.8", "2/4", "0/0"])
def test_a_number_in_a_term_has_the_datas_one_spelling(number: str) -> None:
    assert "is not a number" in usage_error(f"value:>={number}")


def test_a_value_with_a_money_unit_converts_exactly() -> None:
    # 5000万元 is 0.5亿元: below 1亿元 and not ≥ 31.5亿元
    assert ids("value:>=1亿元") == ["1.1", "2.1", "17.1"]
    assert ids("value:>=5000万元") == ["1.1", "2.1", "17.1", "2.2"]
    assert ids("value:>1000家") == ["A3.1"]  # other units compare only with themselves


def test_not_negates_a_term_including_rows_without_the_field() -> None:
    assert ids("not:kind:milestone") == ["1.1", "2.1", "17.1", "17.3", "A3.1", "2.2"]
    assert ids("not:value:>=1") == ["17.3", "18.3"]  # a milestone has no value
    assert ids("not:area:1,2") == ids("area:3")


def test_commas_mean_either_value() -> None:
    assert ids("id:1.1,17.3") == ["1.1", "17.3"]
    assert ids("unit:万元,家") == ["A3.1", "2.2"]


def test_full_width_spelling_and_case_do_not_matter() -> None:
    assert ids("area：3") == ids("area:3")
    assert ids("NOT:kind:milestone") == ids("not:kind:milestone")
    assert ids("text:reits") == ids("text:ＲＥＩＴｓ") == ["2.2"]
    assert ids("unit:套(间)") == []  # a known unit, written with half-width brackets


def test_lead_matches_area_leads_and_texts_that_name_the_bureau() -> None:
    # 2.2 stands in area 1 but its quote names 市经信局
    assert ids("lead:经信") == ["17.1", "17.3", "A3.1", "18.3", "2.2"]
    assert ids("lead:市经信局") == ids("lead:经信")
    assert ids(lead="发改") == ["1.1", "2.1", "2.2"]


def test_has_budget() -> None:
    assert ids("has-budget:yes") == ["1.1"]
    assert ids(**{"has-budget": "no"}) == ["2.1", "17.1", "17.3", "A3.1", "18.3", "2.2"]


def test_sort_and_limit() -> None:
    query = build_query("targets", ["unit:万元,亿元"], None, VOCABULARY, sort="-value")
    # money sorts by amount: 200亿元, 40亿元, 31.5亿元, then 5000万元 (0.5亿元)
    assert [r.id for r in query.run(ROWS)] == ["2.1", "17.1", "1.1", "2.2"]
    query = build_query("targets", ["unit:万元,亿元"], None, VOCABULARY, sort="value", limit=2)
    assert [r.id for r in query.run(ROWS)] == ["2.2", "1.1"]
    by_due = build_query("targets", [], None, VOCABULARY, sort="due").run(ROWS)
    assert by_due[0].id == "18.3"
    by_value = build_query("targets", [], None, VOCABULARY, sort="value").run(ROWS)
    assert by_value[0].id == "17.3" and by_value[-1].id == "18.3"  # no value: last
    by_id = build_query("targets", [], None, VOCABULARY, sort="id").run(ROWS)
    assert [r.id for r in by_id] == ["1.1", "2.1", "2.2", "17.1", "17.3", "18.3", "A3.1"]
    by_commitment = build_query("targets", [], None, VOCABULARY, sort="commitment").run(ROWS)
    assert [r.commitment for r in by_commitment][:3] == ["firm", "firm", "stretch"]


def test_natural_key_orders_numbers_inside_ids() -> None:
    assert sorted(["17.1", "2.10", "2.9", "A1.1"], key=natural_key) == ["2.9", "2.10", "17.1", "A1.1"]


@pytest.mark.parametrize(
    ("terms", "options", "message"),
    [
        ((), {"area": "9"}, "--area: no area 9; areas are 1-3"),
        (("measure:58",), {}, "'measure:58': no measure 58; measures are 1-20"),
        (
            (),
            {"lead": "教育"},
            "--lead: no lead bureau matches '教育'; bureaus: 市发改局, 市科技局, 市经信局, 市农业农村局",
        ),
        (("unit:吨",), {}, "'unit:吨': no unit '吨' in the ledger; units: % 万元 亩 亿元 套（间） 家"),
        (
            (),
            {"commitment": "maybe"},
            "--commitment: unknown commitment 'maybe'; use one of firm, stretch, plain, 确保, 力争, "
            "争取, 争创",
        ),
        (
            (),
            {"kind": "goal"},
            "--kind: unknown kind 'goal'; use one of quantitative, milestone",
        ),
        ((), {"due-before": "2023-13-01"}, "--due-before: '2023-13-01' is not a date; write YYYY-MM-DD"),
        (("colour:red",), {}, "unknown field 'colour' in 'colour:red'; targets have the fields id, area"),
        (("经信",), {}, "'经信' is not a field:value term; write e.g. text:经信"),
        (("unit:>亿元",), {}, "'unit:>亿元': unit cannot be compared with >"),
        (("area:",), {}, "'area:' needs a value after the colon, e.g. area:3"),
        (("not:",), {}, "'not:' needs a term after not:"),
        (("value:lots",), {}, "'value:lots': 'lots' is not a number"),
        (("due:>2023-01-01,2023-02-01",), {}, "a comparison takes one value, not a list"),
        (("id:99.9",), {}, "no id '99.9' in the ledger; ids look like 1.1, 2.1, 17.1"),
    ],
)
def test_bad_terms_are_one_line_usage_errors_naming_the_valid_values(
    terms: tuple[str, ...], options: dict[str, str], message: str
) -> None:
    assert message in usage_error(*terms, **options)


def test_an_option_that_does_not_apply_to_the_table_is_refused() -> None:
    message = usage_error(table="measures", unit="亿元")
    assert message == "--unit does not apply to measures; it filters targets, budgets, instruments"


def test_an_unknown_table_is_refused_naming_every_table() -> None:
    assert (
        usage_error(table="payments")
        == "unknown table 'payments'; query targets, measures, budgets, instruments"
    )


def test_money_fields_need_a_money_unit() -> None:
    message = usage_error("total:>5", table="budgets")
    assert "needs a money unit (元, 万元, 亿元)" in message


def test_sort_by_an_unknown_field_names_the_sortable_ones() -> None:
    with pytest.raises(LedgerError) as caught:
        parse_sort("targets", "colour")
    assert caught.value.exit_code == 2
    assert "sort by id, area, measure, lead" in caught.value.message
    assert "text" not in caught.value.message.split("sort by")[1]


def test_a_predicate_knows_its_term() -> None:
    predicate = parse_term("targets", " not:due:<2023-07-01 ", VOCABULARY)
    assert (predicate.field.name, predicate.operator, predicate.negated) == ("due", "<", True)
    assert predicate.operands == (date(2023, 7, 1),)
    assert predicate.term == "not:due:<2023-07-01"
