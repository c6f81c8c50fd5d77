"""The report as one self-contained, printable HTML file: the blocks of ``report``, charts as inline SVG.

Self-contained so that it can be mailed, opened offline and printed before a 督查 meeting: the styles are
inline (``@media print`` included), the charts are SVG drawn here, and nothing is fetched or run. A
Content-Security-Policy that allows no script, no connection and no outside resource says so to the
browser, as a second line of defence behind the escaping: every text from the data passes through
``html.escape`` (control characters shown as escapes first, as in the Markdown), and the only links are
to headings of the same file.
"""

from __future__ import annotations

import html
import unicodedata
from decimal import Decimal

from .amounts import format_number
from .i18n import language
from .report import (
    Bar,
    Block,
    Chart,
    Checklist,
    Heading,
    Items,
    Paragraph,
    Pie,
    Report,
    Table,
    heading_anchors,
    line_text,
    shown_text,
)

#: One colour per state, in ``STATE_ORDER``: achieved, on track, behind, no data, overdue, no report.
STATE_COLOURS = ("#2e7d32", "#1565c0", "#ef6c00", "#b0bec5", "#c62828", "#6a1b9a")
RATE_COLOUR = "#1565c0"
CHART_WIDTH = 720
LABEL_WIDTH = 260
TEXT_WIDTH = 70
ROW_HEIGHT = 22

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

_STYLE = """
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei",
  sans-serif; margin: 2em auto; max-width: 1200px; padding: 0 1em; color: #1b1b1b; line-height: 1.5; }
h1 { font-size: 1.6em; border-bottom: 2px solid #1b1b1b; padding-bottom: .2em; }
h2 { font-size: 1.3em; border-bottom: 1px solid #999; margin-top: 1.8em; }
h3 { font-size: 1.1em; margin-top: 1.4em; }
table { border-collapse: collapse; margin: .6em 0; font-size: .9em; }
th, td { border: 1px solid #bbb; padding: .2em .5em; vertical-align: top; }
th { background: #eee; }
td.r, th.r { text-align: right; font-variant-numeric: tabular-nums; }
ul.checklist { list-style: none; padding-left: 1em; }
a { color: #0b57d0; }
figure { margin: .6em 0; }
figcaption { font-size: .85em; color: #444; }
svg text { font-size: 12px; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  h2 { break-before: page; }
  h2:first-of-type { break-before: auto; }
  h1, h2, h3 { break-after: avoid; }
  tr, figure, li { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  th { background: #eee !important; print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  svg { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
"""


def escape(text: str) -> str:
    """Text from anywhere as HTML text or an attribute value: one line, controls as escapes, escaped."""
    return html.escape(shown_text(text), quote=True)


def to_html(report: Report) -> str:
    """The whole file: the same blocks as the Markdown, in the language the report was built in."""
    slugs = iter(heading_anchors(report.headings()))
    anchors = report.anchors()
    body = []
    for block in report.blocks:
        if isinstance(block, Heading):
            body.append(f'<h{block.level} id="{escape(next(slugs))}">{escape(block.text)}</h{block.level}>')
        else:
            body.append(_block(block, anchors))
    lang = "zh-Hans" if language() == "zh" else "en"
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(report.title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n<main>\n"
        + "\n".join(body)
        + "\n</main>\n</body>\n</html>\n"
    )


def _link(text: str, slug: str) -> str:
    return f'<a href="#{escape(slug)}">{text}</a>'


def _block(block: Block, anchors: dict[str, str]) -> str:
    if isinstance(block, Paragraph):
        return f"<p>{escape(block.text)}</p>"
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Items):
        return (
            "<ul>\n"
            + "\n".join(f"<li>{line_text(line, anchors, escape, _link)}</li>" for line in block.lines)
            + "\n</ul>"
        )
    if isinstance(block, Checklist):
        items = (f"<li>{'☑' if done else '☐'} {escape(line)}</li>" for done, line in block.lines)
        return '<ul class="checklist">\n' + "\n".join(items) + "\n</ul>"
    if isinstance(block, Pie):
        bars = tuple(Bar(label, (value,), format_number(value)) for label, value in block.slices)
        return _chart(
            Chart(block.title, "rate", (), bars, max((v for _, v in block.slices), default=Decimal(0)))
        )
    assert isinstance(block, Chart)
    return _chart(block)


def _table(table: Table) -> str:
    align = table.align or ("left",) * len(table.headers)

    def cell(tag: str, text: str, side: str) -> str:
        css = ' class="r"' if side == "right" else ""
        return f"<{tag}{css}>{escape(text)}</{tag}>"

    head = "".join(cell("th", h, side) for h, side in zip(table.headers, align, strict=True))
    rows = "\n".join(
        "<tr>" + "".join(cell("td", c, side) for c, side in zip(row, align, strict=True)) + "</tr>"
        for row in table.rows
    )
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}\n</tbody>\n</table>"


def _chart(chart: Chart) -> str:
    """Horizontal bars, one per row, with a legend; the marker (the year elapsed) as a dashed line."""
    colours = STATE_COLOURS if chart.kind == "states" else (RATE_COLOUR,)
    plot = CHART_WIDTH - LABEL_WIDTH - TEXT_WIDTH
    legend_height = ROW_HEIGHT if chart.legend else 0
    height = legend_height + ROW_HEIGHT * len(chart.bars) + 4
    shapes = []
    x = 4
    for index, name in enumerate(chart.legend):
        colour = colours[index % len(colours)]
        shapes.append(f'<rect x="{x}" y="4" width="10" height="10" fill="{colour}"/>')
        shapes.append(f'<text x="{x + 14}" y="13">{escape(name)}</text>')
        x += 28 + 7 * sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in name)
    for row, bar in enumerate(chart.bars):
        y = legend_height + row * ROW_HEIGHT
        shapes.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 15}" text-anchor="end">{escape(_cut(bar.label))}</text>'
        )
        left = Decimal(LABEL_WIDTH)
        for index, part in enumerate(bar.parts):
            width = Decimal(0) if chart.scale == 0 else part * plot / chart.scale
            if width > 0:
                colour = colours[index % len(colours)]
                shapes.append(
                    f'<rect x="{_n(left)}" y="{y + 4}" width="{_n(width)}" height="{ROW_HEIGHT - 8}" '
                    f'fill="{colour}"/>'
                )
            left += width
        shapes.append(f'<text x="{LABEL_WIDTH + plot + 6}" y="{y + 15}">{escape(bar.text)}</text>')
    if chart.marker is not None and chart.scale:
        x_marker = _n(LABEL_WIDTH + chart.marker * plot / chart.scale)
        shapes.append(
            f'<line x1="{x_marker}" y1="{legend_height}" x2="{x_marker}" y2="{height}" stroke="#c62828" '
            'stroke-dasharray="4 3"/>'
        )
    caption = escape(chart.title if not chart.marker_label else f"{chart.title} ({chart.marker_label})")
    return (
        f'<figure>\n<svg role="img" width="{CHART_WIDTH}" '
        f'height="{height}" viewBox="0 0 {CHART_WIDTH} {height}" aria-label="{escape(chart.title)}">\n'
        + "\n".join(shapes)
        + f"\n</svg>\n<figcaption>{caption}</figcaption>\n</figure>"
    )


def _cut(label: str) -> str:
    """A bar's label short enough for its column; the table before the chart holds it whole."""
    return label if len(label) <= 18 else label[:17] + "…"


def _n(value: Decimal | int) -> str:
    """A coordinate with at most one decimal place."""
    return format(Decimal(value).quantize(Decimal("0.1")).normalize(), "f")
