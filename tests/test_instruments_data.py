"""data/instruments.yaml (政策工具): each instrument quoted, numbered, funded and classified as written."""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal

import pytest

from policy_ledger.ledger import Ledger
from policy_ledger.loader import load_ledger
from policy_ledger.models import Instrument

from .conftest import REAL_DATA

SOURCE = (REAL_DATA / "source" / "lezhengfa-2023-6.txt").read_text(encoding="utf-8")

#: The words that name an instrument of each form. Every instrument's name and quote share one of its
#: form's words, so a quote copied next to the wrong instrument, or a form picked from the wrong list, fails.
KEY_WORDS = {
    "subsidy": ("补助", "补贴", "支持", "资金", "救助", "保障", "消费券"),
    "award": ("奖励", "奖补", "激励"),
    "interest_subsidy": ("贴息",),
    "tax_fee_relief": ("税", "加计扣除", "通行费", "费率", "绿色通道", "优惠"),
    "land": ("用地", "地价", "土地"),
    "planning": ("容积率", "建筑密度", "绿地率", "限高"),
    "quota": ("指标", "能耗", "用能"),
    "financing": ("贷", "担保", "基金", "专项债", "金融工具", "融资", "保险", "REITs"),
    "service": ("推荐", "对接", "指导", "推广", "申报", "体检", "帮扶", "积分", "住房", "保障", "服务"),
}

#: An amount is money, a percentage or land (docs: other figures, 容积率5.0 or 八五折, stay in words).
AMOUNT_UNITS = {"万元", "亿元", "%", "亩"}


@pytest.fixture(scope="module")
def ledger() -> Ledger:
    loaded, problems = load_ledger(REAL_DATA)
    assert problems == []
    return loaded


@pytest.fixture(scope="module")
def instruments(ledger: Ledger) -> list[Instrument]:
    assert ledger.instruments, "data/instruments.yaml holds no instrument"
    return ledger.instruments


def named(instruments: list[Instrument], measure: int, word: str) -> Instrument:
    """The one instrument of ``measure`` whose name holds ``word``."""
    (found,) = [i for i in instruments if i.measure == measure and word in i.name]
    return found


def test_every_quote_is_in_the_source_and_names_its_instrument(instruments: list[Instrument]) -> None:
    for instrument in instruments:
        assert instrument.quote in SOURCE, f"{instrument.id}: quote not in the source"
        words = KEY_WORDS[instrument.form]
        shared = [w for w in words if w in instrument.quote and w in instrument.name]
        assert shared, f"{instrument.id} {instrument.name}: its name and quote share none of {words}"


def test_standard_text_and_amount_are_the_quotes_own_words(instruments: list[Instrument]) -> None:
    for instrument in instruments:
        if instrument.standard_text is not None:
            assert instrument.standard_text in instrument.quote, instrument.id
        if instrument.amount is not None:
            assert instrument.unit in AMOUNT_UNITS, instrument.id
            assert f"{instrument.amount}{instrument.unit}" in instrument.quote, instrument.id


def test_every_funded_by_resolves_to_an_allocation(ledger: Ledger, instruments: list[Instrument]) -> None:
    allocations = {a.id for b in ledger.budgets for a in b.allocations}
    for instrument in instruments:
        assert len(set(instrument.funded_by)) == len(instrument.funded_by), instrument.id
        assert set(instrument.funded_by) <= allocations, instrument.id


def test_ids_count_from_1_per_measure_without_gaps(ledger: Ledger, instruments: list[Instrument]) -> None:
    by_measure: dict[int, list[int]] = defaultdict(list)
    for instrument in instruments:
        measure, number = re.fullmatch(r"I(\d+)\.(\d+)", instrument.id).groups()  # type: ignore[union-attr]
        assert int(measure) == instrument.measure, instrument.id
        by_measure[instrument.measure].append(int(number))
    for measure, numbers in by_measure.items():
        assert numbers == list(range(1, len(numbers) + 1)), f"measure {measure}: {numbers}"
    assert list(by_measure) == sorted(by_measure), "instruments stand in measure order"
    assert set(by_measure) <= {m.number for m in ledger.measures}


def test_the_basis_follows_the_words(instruments: list[Instrument]) -> None:
    for instrument in instruments:
        if re.search(r"(落实|承接|争取|根据)国家", instrument.quote):
            assert instrument.basis == "higher_policy", instrument.id
        if re.search(r"按有关规定|视情|按照相应标准", instrument.quote):
            assert instrument.basis == "supporting_policy", instrument.id
        if instrument.amount is not None:
            assert instrument.basis == "this_policy", instrument.id


def test_the_industrial_land_relaxations_of_measure_19_are_planning_not_targets(
    ledger: Ledger, instruments: list[Instrument]
) -> None:
    plot_ratio = named(instruments, 19, "容积率放宽至5.0")
    assert (plot_ratio.form, plot_ratio.basis, plot_ratio.amount) == ("planning", "this_policy", None)
    assert plot_ratio.standard_text == "放宽容积率至5.0"
    density = named(instruments, 19, "建筑密度放宽至65%")
    assert (density.form, density.amount, density.unit) == ("planning", Decimal(65), "%")
    assert named(instruments, 19, "绿地率不作要求").form == "planning"
    targets = {t.id: t for t in ledger.targets}
    assert "19.4" not in targets and "19.5" not in targets
    assert not any("容积率" in t.quote or "建筑密度" in t.quote for t in ledger.targets)


def test_the_rural_tourism_reserve_is_a_quota_not_a_target(
    ledger: Ledger, instruments: list[Instrument]
) -> None:
    reserve = named(instruments, 27, "机动指标")
    assert (reserve.form, reserve.amount, reserve.unit) == ("quota", Decimal(5), "%")
    assert reserve.beneficiaries == ["project"]
    assert not any("机动指标" in t.quote for t in ledger.targets)


@pytest.mark.parametrize(
    ("measure", "word", "form", "basis", "funded_by"),
    [
        (12, "研发后补助", "subsidy", "supporting_policy", ["B6.1"]),
        (9, "配套补助", "subsidy", "supporting_policy", []),
        (18, "差别化地价", "land", "supporting_policy", []),
        (11, "高新技术企业减税", "tax_fee_relief", "higher_policy", []),
        (29, "八五折", "tax_fee_relief", "higher_policy", []),
        (33, "奖补", "award", "supporting_policy", []),
        (40, "消费券", "subsidy", "supporting_policy", ["B34.3"]),
        (43, "支农支小融资担保", "financing", "this_policy", ["B42.6"]),
        (53, "失业保险费率", "tax_fee_relief", "higher_policy", []),
        (55, "免费健康体检", "service", "this_policy", ["B52.3"]),
    ],
)
def test_sample_instruments(
    instruments: list[Instrument], measure: int, word: str, form: str, basis: str, funded_by: list[str]
) -> None:
    instrument = named(instruments, measure, word)
    assert (instrument.form, instrument.basis, instrument.funded_by) == (form, basis, funded_by)


def test_sample_beneficiaries(instruments: list[Instrument]) -> None:
    assert named(instruments, 40, "消费券").beneficiaries == ["person"]
    assert named(instruments, 18, "集体经营性建设用地入市").beneficiaries == ["village_collective"]
    assert named(instruments, 14, "高层次人才场地租金补助").beneficiaries == ["person"]
    assert named(instruments, 9, "新型研发机构").beneficiaries == ["institution"]


def test_rates_and_sums_stated_for_the_instrument_itself(instruments: list[Instrument]) -> None:
    stated = {(i.id, i.amount, i.unit) for i in instruments if i.amount is not None}
    assert (named(instruments, 43, "担保费率").id, Decimal(1), "%") in stated  # 不高于1%
    assert (named(instruments, 21, "重点文化产业项目补助").id, Decimal(200), "万元") in stated
    assert (named(instruments, 3, "省重大产业项目建设用地指标").id, Decimal(300), "亩") in stated
    # A figure the text aims at is a target, never an instrument's amount: 力争…5.5亿元, 力争…100亿元.
    assert named(instruments, 43, "支农支小融资担保").amount is None
    assert named(instruments, 16, "基金").amount is None


def test_budget_lines_for_public_works_are_not_instruments(instruments: list[Instrument]) -> None:
    """Measures 1 and 28 spend on roads, ports, schools and hospitals: nobody applies for them."""
    assert not [i.id for i in instruments if i.measure in (1, 28, 30, 32)]


def test_every_allocation_that_names_a_grant_funds_an_instrument(
    ledger: Ledger, instruments: list[Instrument]
) -> None:
    funded = {a for i in instruments for a in i.funded_by}
    for budget in ledger.budgets:
        for allocation in budget.allocations:
            if re.search(r"补助|消费券|担保", allocation.quote):
                assert allocation.id in funded, f"{allocation.id} {allocation.label} funds no instrument"
