"""The dependency-free text layout of `ledger show`: widths in terminal cells, wrapping, fitting."""

from __future__ import annotations

import pytest

from policy_ledger.plain import Column, cell_width, pad, table, wrap


def test_cell_width_counts_cjk_as_two() -> None:
    assert cell_width("abc") == 3
    assert cell_width("新增贷款") == 8
    assert cell_width("40亿元以上") == 2 + 8
    assert cell_width("“415X”") == 6  # curly quotes are narrow in terminals
    assert cell_width("e\u0301") == 1  # a combining accent takes no cell


@pytest.mark.parametrize("width", [6, 10, 17, 40])
def test_wrap_never_exceeds_the_width_and_keeps_every_character(width: int) -> None:
    text = "优化金融支持服务。争取国家制造业中长期贷款支持政策 more words here, 2023年力争40亿元以上"
    lines = wrap(text, width)
    assert all(cell_width(line) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_wrap_breaks_latin_text_at_spaces() -> None:
    assert wrap("alpha beta gamma delta", 11) == ["alpha beta", "gamma delta"]


def test_pad_aligns_by_cells() -> None:
    assert pad("贷款", 6) == "贷款  " and pad("12", 4, right=True) == "  12"


def test_table_fits_the_width_and_lines_up_columns() -> None:
    columns = [Column("ID"), Column("What", wrap=True), Column("Amount", right=True)]
    rows = [["17.1", "新增制造业中长期贷款新增制造业中长期贷款", "40亿元"], ["17.2", "新增首贷户", "1000户"]]
    lines = table(columns, rows, 30, title="Targets", footer=["", "Sum", "41亿元"])
    assert lines[0] == "Targets"
    assert all(cell_width(line) <= 30 for line in lines)
    amount_ends = {cell_width(line) for line in lines if line.endswith(("亿元", "户", "Amount"))}
    assert len(amount_ends) == 1  # right-aligned amounts end in the same cell as their header
    assert set(lines[2]) == {"─"}
    assert lines[3:7] == [
        " 17.1   新增制造业中    40亿元",
        "        长期贷款新增",
        "        制造业中长期",
        "        贷款",
    ]


def test_table_keeps_natural_widths_when_they_fit() -> None:
    lines = table([Column("A"), Column("B", wrap=True)], [["1", "短"]], 80)
    assert lines == [" A   B", "───────", " 1   短"]  # the rule spans the table: 7 cells


def test_a_wrapped_line_never_starts_with_closing_punctuation() -> None:
    text = "跨境电商发展、市场贸易采购、数字贸易发展、消费能级提升、县域商业体系建设等其他政策资金。"
    for width in range(4, 40):
        lines = wrap(text, width)
        assert "".join(lines) == text
        assert not any(line[0] in "、，。" for line in lines if line), (width, lines)


@pytest.mark.parametrize(
    "text",
    [
        "Gross sum of budgets (亿元)",
        "支持推进“劳有所得”、“住有所居”，落实《关于推动经济高质量发展的若干政策》（乐政发〔2023〕6号）",
    ],
)
def test_a_wrapped_line_never_ends_with_opening_punctuation(text: str) -> None:
    for width in range(10, 40):  # a wrapping column is at least 8 cells
        lines = wrap(text, width)
        assert not any(line.rstrip()[-1] in "(（“《〔" for line in lines if line.strip()), (width, lines)
        assert not any(line[0] in "、，）》”〕" for line in lines if line), (width, lines)
