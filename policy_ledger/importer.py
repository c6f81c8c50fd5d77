"""Draft a ledger's records from a policy document's text: the pure core of ``ledger import``.

``read_text`` turns a file's bytes into text (UTF-8 with or without its BOM, or GB18030, as many
government pages are served). ``draft`` reads that text and drafts the document, its areas, measures,
budgets and candidate targets as model instances, each marked ``draft=True`` for a person to review,
and lists in ``gaps`` what the text lacks or where it does not add up, one line each. Nothing is
written here and nothing is invented: every heading, text and quote is a verbatim slice of the text,
every number is the number as written (a budget whose parts do not add up is kept as written, and said
so), and what is missing is named instead of filled in.

How the text is read. A family of documents shares one shape (see ``docs/data-format.md``):

- an **area** is a line ``一、<title>（由<lead>、<lead>牵头实施）``, and its opening paragraph the line
  after it;
- a **measure** is a line ``<n>．<title>。<text>``; its title is the phrase up to the first ``。``;
- a **budget** is the first ``安排…<amount>亿元/万元`` of a measure; its allocations follow after
  ``其中`` or ``主要包括`` up to the next ``。``, each a label and an amount (``A 14.8亿元、B 3.5亿元``,
  or ``安排2.4亿元保障A``);
- a **target** is a number with a unit (or a fraction, or a number with 以上/以内/左右) in an area's
  opening paragraph or a measure, outside its budget; a **milestone** is a clause without a number that
  delivers something (完成, 出台, 建成, 编制, 建立 …);
- the closing paragraphs state the overall budget (``剔除交叉重叠部分…总额为…``) and the period
  (``均为2023年全年实施有效``).

What a draft holds. Every document, area, measure, target and budget carries ``draft=True`` (written
``draft: true`` in YAML, removed by the reviewer). Ids follow the ledger's: budgets ``B<measure>``, their
allocations ``B<measure>.<k>``; targets ``<measure>.<k>``, ``A<area>.<k>`` for an area's opening
paragraph and ``D<k>`` for the closing paragraphs, ``k`` counting quantities and milestones together in
text order. A target's deadline comes from its quote (``2024年`` → 2024-12-31, ``1-6月`` → June's end,
``“十四五”末`` → 2025-12-31) and is left out when it is the period's end, as ``docs/data-format.md`` asks;
with no period stated, ``2023年`` gives 2023-12-31. Allocation labels are the text's words without the
verbs around them (其中支持…, 安排…用于…); people may abridge a long one on review.

Matching runs on a normalised copy of the text of exactly the same length (traditional characters of
the keywords folded to simplified, ASCII punctuation to full width, full-width digits to ASCII), so that
every position found in the copy slices the original verbatim.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .amounts import (
    KNOWN_UNITS,
    Number,
    convert,
    exact_sum,
    excerpt,
    format_amount,
    format_ranges,
    parse_number,
)
from .i18n import _
from .models import (
    MAX_COUNT,
    MAX_ID_CHARS,
    MAX_NAME_CHARS,
    MAX_PASSAGE_CHARS,
    Allocation,
    Area,
    Budget,
    Document,
    Measure,
    OverallBudget,
    Period,
    Target,
)
from .wording import (
    FIRM_WORDS,
    STRETCH_WORDS,
    WORD_NUMBERS,
    comparators_near,
)

#: The longest text the importer reads. A policy of this family is about 16,000 characters; the longest
#: regulation a county issues is well under a tenth of this limit.
MAX_TEXT_CHARS = 2_000_000
#: The most bytes ``read_text`` decodes: the longest text in the widest encoding (4 bytes a character).
MAX_TEXT_BYTES = 4 * MAX_TEXT_CHARS
#: Gap lines beyond this many are counted, not listed: a broken text says what is wrong in a screenful.
MAX_GAPS = 200
#: A long enumeration before an allocation's amount is quoted from its last item (see ``_allocations``).
_LONG_ALLOCATION_CHARS = 40
#: How far back a commitment word (确保, 力争) may stand in its sentence and still govern a value.
_GOVERNING_CHARS = 300
#: What a document id may be (``models``: at most ``MAX_ID_CHARS``); ``import`` checks ``--id`` with it.
DOCUMENT_ID = re.compile(rf"[a-z0-9][a-z0-9-]{{0,{MAX_ID_CHARS - 1}}}")

# --- the normalised copy ---------------------------------------------------------------------------

#: Traditional characters of the words the importer looks for (亿/万/亩, 确保/力争, 牵头实施, 预算安排,
#: 剔除交叉重叠, 总额, the bureaus' names …) and their simplified forms, one for one.
_TRADITIONAL = (
    "億萬畝確爭牽頭實發號預統籌資領總額疊內於過縮達財務經農運輸個戶項場臺張條間噸標準"
    "區級產業設關補獎劃編製訂開費貸擔險與為鎮鄉縣動門創進計擴規現強營釐佈體點貼併並據"
    "廣東長優質護撥廠屆會議審數轉換導稅幣兒處衛醫療養賽證類專車輛閩贛歐陸貿騰籠鳥"
)
_SIMPLIFIED = (
    "亿万亩确争牵头实发号预统筹资领总额叠内于过缩达财务经农运输个户项场台张条间吨标准"
    "区级产业设关补奖划编制订开费贷担险与为镇乡县动门创进计扩规现强营厘布体点贴并并据"
    "广东长优质护拨厂届会议审数转换导税币儿处卫医疗养赛证类专车辆闽赣欧陆贸腾笼鸟"
)
assert len(_TRADITIONAL) == len(_SIMPLIFIED)
_FOLD = str.maketrans(
    {
        **dict(zip(_TRADITIONAL, _SIMPLIFIED, strict=True)),
        **{chr(0xFF10 + d): str(d) for d in range(10)},  # full-width digits
        "％": "%",
        "(": "（",
        ")": "）",
        ";": "；",
        ":": "：",
        "!": "！",
        "?": "？",
        "[": "〔",
        "]": "〕",
        "［": "〔",
        "］": "〕",
    }
)
_ASCII_COMMA = re.compile(r"(?<![0-9]),|,(?![0-9])")
#: A full stop written as ASCII after Chinese (not a decimal point, not a measure's "1.").
_ASCII_STOP = re.compile(r"(?<=[^\x00-\x7f%)])\.")
_WIDE_POINT = re.compile(r"(?<=[0-9])．(?=[0-9])")


def _normalise(text: str) -> str:
    """A copy of ``text`` of the same length that the patterns below can read."""
    folded = text.translate(_FOLD)
    folded = _ASCII_COMMA.sub("，", folded)
    folded = _ASCII_STOP.sub("。", folded)
    return _WIDE_POINT.sub(".", folded)


# --- patterns (on the normalised copy) -------------------------------------------------------------

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_NUMERALS = "〇零一二三四五六七八九十百两"
_AREA = re.compile(rf"([{_NUMERALS}]{{1,6}})\s*[、，．]\s*(\S.*)")
_LEADS = re.compile(r"（\s*由\s*([^（）]{1,300}?)\s*牵头(?:实施|负责|落实)?\s*）\s*$")
_MEASURE = re.compile(r"([0-9]{1,6})\s*[．.、]\s*(?![0-9])(?=\S)")
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,20}〔\s*[0-9]{4}\s*〕\s*[0-9]{1,5}\s*号")
_CN_DIGITS = "〇一二三四五六七八九"
_DATE_LINE = re.compile(
    r"([0-9]{4}|[〇零一二三四五六七八九]{4})\s*年\s*([0-9]{1,2}|[一二三四五六七八九十]{1,3})\s*月"
    r"\s*([0-9]{1,2}|[一二三四五六七八九十]{1,3})\s*日"
)
_ISSUED_TITLE = re.compile(r"印发\s*《([^《》]{1,200})》")
_SENTENCE_END = "。！？；…”’）》"
_PERIOD_YEAR = re.compile(r"([0-9]{4})\s*年全年(?:实施)?有效")
_PERIOD_SPAN = re.compile(
    r"自\s*([0-9]{4})\s*年\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*日起.{0,30}?"
    r"(?:至|到)\s*([0-9]{4})\s*年\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*日"
)
_OVERALL = re.compile(r"总额\s*(?:为|是|达)?\s*([0-9]+(?:\.[0-9]+)?)\s*(亿元|万元|元)")
_STATED_AREAS = re.compile(r"上述\s*([0-9]{1,4})\s*个领域")
_BUDGET = re.compile(r"安排(?:资金|经费)?\s*([0-9]+(?:\.[0-9]+)?)\s*(亿元|万元|元)")
_MONEY = re.compile(r"(?<![0-9.])([0-9]+(?:\.[0-9]+)?)\s*(亿元|万元|元)")
_ALLOCATION_MARKERS = ("其中", "主要包括", "包括")
#: Words before an allocation's label (其中支持X 1亿元) and after its amount (安排1亿元用于X).
_LABEL_LEADS = ("其中", "主要包括", "包括", "支持企业开展", "支持", "坚持", "安排")
_LABEL_VERBS_AFTER = ("用于", "保障", "进一步", "增强", "支持")
_QUOTE_MARKS = '“‘「『"'
_CLOSE_MARKS = '”’」』"'

#: Units a target's value may carry; the ledger's known units (``amounts.KNOWN_UNITS``, less 年, which
#: follows years) and the few more a document of the family uses. Longest first.
_UNITS = sorted(
    (KNOWN_UNITS - {"年"})
    | {"万美元", "美元", "千瓦", "吨", "万人次", "人", "次", "套", "间", "辆", "座", "批", "公里", "平方米"}
    | {"万平方米", "张床位", "处"},
    key=len,
    reverse=True,
)
_QUANTITY = re.compile(
    r"(?<![0-9.\-+＋/])([0-9]+(?:\.[0-9]+)?(?:/[0-9]+)?)(?![0-9.\-+＋])\s*("
    + "|".join(re.escape(unit) for unit in _UNITS)
    + ")?"
)
_BARE_COMPARATOR = re.compile(r"\s*(以内|以上|以下|左右)")
#: Units of the numbers the text writes in words (data-format.md: 超百亿 → 100 亿元, 八五折 → 8.5 折).
_WORD_UNITS: dict[str, str | None] = {"半数": None, "八五折": "折", "超百亿": "亿元", "千亿级": "亿元"}
_COMMITMENTS = tuple((word, "firm") for word in FIRM_WORDS) + tuple(
    (word, "stretch") for word in STRETCH_WORDS
)
#: Words before what a value measures that are not part of it (adverbs, the year, the commitment).
_WHAT_LEADS = (
    *FIRM_WORDS,
    *STRETCH_WORDS,
    *("全年", "年内", "全市", "积极", "着力", "计划", "带动", "努力", "持续", "累计", "继续", "加快"),
    *("全力", "全面", "同步", "及时", "深入", "其中", "推动", "要", "且", "和", "及", "并"),
)
_WHAT_TAILS = (
    *("要达到", "达到", "达", "为", "不低于", "不少于", "不超过", "不高于", "下降至", "缩小至"),
    *("控制在", "突破", "超过", "超", "至", "的"),
)
_YEAR = re.compile(r"[0-9]{4}\s*年度?")
_MILESTONE_VERBS = (
    *("完成", "出台", "建成", "编制", "制定", "制订", "建立", "发布", "印发", "开工", "投产"),
    *("创建", "争创", "设立"),
)
_MILESTONE_LEADS = tuple(word for word in _WHAT_LEADS if word not in ("争创",))
_CLAUSE_BREAK = re.compile(r"[，；。：！？]")
_DEADLINE_MONTHS = re.compile(r"1\s*[-－—~～至到]\s*([0-9]{1,2})\s*月")
_DEADLINE_YEAR = re.compile(r"([0-9]{4})\s*年")
_FIVE_YEAR_PLAN_END = re.compile(r"“?十四五”?\s*末")


class ImportRefused(ValueError):
    """Text the importer will not read; its message is one line: what is wrong; what to do."""


@dataclass
class Draft:
    """The records drafted from one text, each marked ``draft=True``, and what the text lacks."""

    document: Document | None
    areas: list[Area]
    measures: list[Measure]
    budgets: list[Budget]
    targets: list[Target]
    #: One line each: what is missing or does not add up, for the person who reviews the draft.
    gaps: list[str]
    #: The document's fields that were found, also when the document could not be drafted whole.
    document_fields: dict[str, Any] = field(default_factory=dict)

    def records(self) -> Iterator[Document | Area | Measure | Budget | Target]:
        if self.document is not None:
            yield self.document
        yield from self.areas
        yield from self.measures
        yield from self.budgets
        yield from self.targets


# --- bytes to text ---------------------------------------------------------------------------------


def read_text(raw: bytes) -> tuple[str, str]:
    """``raw`` as text and the encoding it was read in: ``utf-8``, ``utf-8-sig`` (with a BOM) or ``gb18030``.

    Anything else (UTF-16, Big5 read as garbage, binary, an over-long file) raises ``ImportRefused`` with
    one line.
    """
    if len(raw) > MAX_TEXT_BYTES:
        raise ImportRefused(
            _(
                "the file is {size:,} bytes, more than the {limit:,} a policy text can have; check the file"
            ).format(size=len(raw), limit=MAX_TEXT_BYTES)
        )
    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ImportRefused(_("the file is UTF-16 or UTF-32 text; save it as UTF-8 and import that"))
    if raw.startswith(codecs.BOM_UTF8):
        try:
            return raw[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise ImportRefused(_not_text(exc.start + len(codecs.BOM_UTF8))) from None
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc.start
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        raise ImportRefused(_not_text(utf8_error)) from None
    if not _reads_as_chinese(text):
        raise ImportRefused(_not_text(utf8_error))
    return text, "gb18030"


def _not_text(offset: int) -> str:
    return _(
        "the file is neither UTF-8 nor GB18030 Chinese text (byte {offset} does not read); "
        "save the page as UTF-8 and import that"
    ).format(offset=offset)


def _reads_as_chinese(text: str) -> bool:
    """GB18030 decodes most byte pairs, so Big5 or Latin-1 bytes read as nonsense characters; a real
    Chinese text has most of its characters among the 6,763 of GB2312 and no private-use ones."""
    han = [c for c in text if "\u3400" <= c <= "\u9fff" or "\ue000" <= c <= "\uf8ff"]
    if not han:
        return False
    common = len("".join(han).encode("gb2312", errors="ignore")) // 2  # GB2312 writes each in two bytes
    return common >= 0.8 * len(han)


# --- text to records -------------------------------------------------------------------------------


@dataclass
class _Line:
    number: int  # 1-based
    start: int
    end: int  # text[start:end] is the line without its break and the spaces around it


@dataclass
class _AreaSeen:
    number: int
    line: _Line
    title: tuple[int, int]
    leads: list[tuple[int, int]] | None
    text: _Line | None = None


@dataclass
class _MeasureSeen:
    number: int
    area: int | None
    line: _Line
    start: int  # where its text begins (after "N．")


@dataclass
class _Candidate:
    """A target found in the text, before it has its id."""

    position: int
    what: str
    quote: tuple[int, int]
    commitment: str
    value: Number | None = None
    unit: str | None = None
    comparator: str | None = None
    deadline: date | None = None
    deadline_text: str | None = None


_Model = TypeVar("_Model", bound=BaseModel)
_Seen = TypeVar("_Seen", _AreaSeen, _MeasureSeen)


class _Reader:
    def __init__(self, text: str, document_id: str, source: str) -> None:
        self.text = text
        self.norm = _normalise(text)
        self.document_id = document_id
        self.source = source
        self.gaps: list[str] = []
        self.hidden_gaps = 0
        self.lines = list(_lines(text))

    # -- gaps --

    def gap(self, line: str) -> None:
        if len(self.gaps) < MAX_GAPS:
            self.gaps.append(line)
        else:
            self.hidden_gaps += 1

    def slice(self, span: tuple[int, int]) -> str:
        return self.text[span[0] : span[1]]

    def build(self, model: type[_Model], name: str, /, **fields: Any) -> _Model | None:
        """``model(**fields)``, marked as a draft if it is a record of its own, or None with a gap line
        saying why it is not drafted."""
        mark = {"draft": True} if "draft" in model.model_fields else {}
        try:
            return model(**fields, **mark)
        except ValidationError as exc:
            error = exc.errors(include_url=False)[0]
            where = ".".join(str(part) for part in error["loc"])
            reason = f"{where}: {error['msg']}" if where else error["msg"]
            self.gap(_("{record} is not drafted: {reason}").format(record=name, reason=_one_line(reason)))
            return None

    # -- the whole --

    def draft(self) -> Draft:
        areas_seen, measures_seen, header, closing = self.structure()
        areas = self.areas(areas_seen)
        measures, texts = self.measures(measures_seen)
        budgets, excluded = self.budgets(measures, texts)
        self.budgetless_areas(areas_seen, budgets, measures)
        period = self.period(closing)
        overall, stated_areas = self.overall(closing)
        fields = self.document_fields(header, areas_seen, measures_seen, period, overall)
        self.ending(areas_seen, measures_seen, period, overall)
        found = fields.get("area_count")  # the highest heading number
        if stated_areas is not None and found is not None and stated_areas != found:
            self.gap(
                _("the text states {stated} areas (上述…个领域) but its headings number {found}").format(
                    stated=stated_areas, found=found
                )
            )
        targets = self.targets(areas, areas_seen, measures, texts, excluded, closing, period)
        document = self.document(fields)
        if self.hidden_gaps:
            self.gaps.append(_("… and {count} more gaps like these").format(count=self.hidden_gaps))
        return Draft(document, areas, measures, budgets, targets, self.gaps, fields)

    # -- structure: headings, measures, the lines around them --

    def structure(self) -> tuple[list[_AreaSeen], list[_MeasureSeen], list[_Line], list[_Line]]:
        areas: list[_AreaSeen] = []
        measures: list[_MeasureSeen] = []
        header: list[_Line] = []
        after: list[_Line] = []  # plain lines after the latest measure
        stray: list[int] = []
        current: _AreaSeen | None = None
        for line in self.lines:
            if line.end == line.start:
                continue
            norm = self.norm[line.start : line.end]
            heading = self.heading(line, norm)
            if heading is not None:
                stray.extend(item.number for item in after)
                after = []
                areas.append(heading)
                current = heading
                continue
            match = _MEASURE.match(norm)
            # before the first heading and measure, a numbered line is a measure only if a 。 ends its title
            if match is not None and (areas or measures or "。" in norm[:MAX_NAME_CHARS]):
                stray.extend(item.number for item in after)
                after = []
                number = int(match.group(1))
                measures.append(
                    _MeasureSeen(number, current.number if current else None, line, line.start + match.end())
                )
                continue
            if (
                current is not None
                and current.text is None
                and (not measures or measures[-1].area != current.number)
            ):
                current.text = line
            elif not areas and not measures:
                header.append(line)
            else:
                after.append(line)
        if stray:
            self.gap(
                _(
                    "lines between measures that belong to no record (a measure split over lines?): {lines}"
                ).format(lines=_few_ranges(stray))
            )
        return areas, measures, header, after

    def heading(self, line: _Line, norm: str) -> _AreaSeen | None:
        match = _AREA.fullmatch(norm)
        if match is None or len(norm) > 200 or "。" in norm:
            return None
        number = _chinese_number(match.group(1))
        if number is None:
            return None
        rest_start = line.start + match.start(2)
        leads_match = _LEADS.search(norm)
        if leads_match is None:
            title_end = line.end
            leads = None
        else:
            title_end = line.start + leads_match.start()
            inner_start = line.start + leads_match.start(1)
            leads = []
            for part in re.finditer(r"[^、，/]+", leads_match.group(1)):
                start, end = _stripped(self.text, inner_start + part.start(), inner_start + part.end())
                if start < end:
                    leads.append((start, end))
        title = _stripped(self.text, rest_start, title_end)
        return _AreaSeen(number, line, title, leads)

    def first_of_each(self, seen: list[_Seen], repeat: str, skip: str) -> Iterator[_Seen]:
        """``seen`` without the headings or measures whose number came before; once all are read, a gap
        line for the lines that repeat a number (``repeat``) and one for the numbers left out (``skip``)."""
        numbers: set[int] = set()
        repeated: list[int] = []  # lines whose number came before
        for item in seen:
            if item.number in numbers:
                repeated.append(item.line.number)
                continue
            numbers.add(item.number)
            yield item
        if repeated:
            self.gap(repeat.format(lines=_few_ranges(repeated)))
        missing = _missing(numbers)
        if missing:
            self.gap(skip.format(missing=_few_ranges(missing)))

    # -- areas --

    def areas(self, seen: list[_AreaSeen]) -> list[Area]:
        if not seen:
            self.gap(_("no area heading (such as 一、…政策（由市X局牵头实施）) was found"))
            return []
        drafted: list[Area] = []
        for area in self.first_of_each(
            seen,
            _("area headings repeat an earlier number on lines {lines}; the first of each is kept"),
            _("area numbers skip {missing}"),
        ):
            if not area.leads:
                self.gap(
                    _(
                        "area {number} (line {line}): its heading names no lead bureau (（由…牵头实施）); "
                        "the area is not drafted"
                    ).format(number=area.number, line=area.line.number)
                )
                continue
            if area.text is None:
                self.gap(
                    _("area {number} has no opening paragraph; the area is not drafted").format(
                        number=area.number
                    )
                )
                continue
            record = self.build(
                Area,
                _("area {number}").format(number=area.number),
                document=self.document_id,
                number=area.number,
                title=self.slice(area.title),
                leads=[self.slice(span) for span in area.leads],
                heading=self.slice((area.line.start, area.line.end)),
                text=self.slice((area.text.start, area.text.end)),
            )
            if record is not None:
                drafted.append(record)
        return drafted

    # -- measures --

    def measures(self, seen: list[_MeasureSeen]) -> tuple[list[Measure], dict[int, tuple[int, int]]]:
        drafted: list[Measure] = []
        texts: dict[int, tuple[int, int]] = {}  # measure number → span of its text
        for measure in self.first_of_each(
            seen,
            _("measures repeat an earlier number on lines {lines}; the first of each is kept"),
            _("measure numbers skip {missing}"),
        ):
            if measure.area is None:
                self.gap(
                    _(
                        "measure {number} (line {line}) stands before any area heading; it is not drafted"
                    ).format(number=measure.number, line=measure.line.number)
                )
                continue
            span = (measure.start, measure.line.end)
            norm = self.norm[span[0] : span[1]]
            stop = norm.find("。")
            if stop <= 0:
                clause = _CLAUSE_BREAK.search(norm)
                stop = clause.start() if clause is not None and clause.start() > 0 else len(norm)
                self.gap(
                    _(
                        "measure {number}: no 。 ends its title; its first clause is drafted as the title"
                    ).format(number=measure.number)
                )
            if stop > MAX_NAME_CHARS:
                self.gap(
                    _(
                        "measure {number}: its title runs {length} characters to the first 。; "
                        "it is not drafted"
                    ).format(number=measure.number, length=stop)
                )
                continue
            record = self.build(
                Measure,
                _("measure {number}").format(number=measure.number),
                document=self.document_id,
                number=measure.number,
                area=measure.area,
                title=self.slice((span[0], span[0] + stop)),
                text=self.slice(span),
            )
            if record is not None:
                drafted.append(record)
                texts[measure.number] = span
        return drafted, texts

    # -- budgets --

    def budgets(
        self, measures: list[Measure], texts: dict[int, tuple[int, int]]
    ) -> tuple[list[Budget], dict[int, list[tuple[int, int]]]]:
        budgets: list[Budget] = []
        excluded: dict[int, list[tuple[int, int]]] = {}  # spans of money that are the budget's, not targets
        for measure in measures:
            start, end = texts[measure.number]
            norm = self.norm[start:end]
            total = _BUDGET.search(norm)
            if total is None:
                continue
            quote_start = start + _clause_start_at(
                norm, max(0, total.start() - 200), total.start(), "，；。："
            )
            quote = (quote_start, start + total.end())
            unit = self.slice((start + total.start(2), start + total.end(2)))
            label = _("budget B{number}").format(number=measure.number)
            allocations, region = self.allocations(measure.number, norm, start, total.end())
            excluded[measure.number] = [(start + total.start(1), start + total.end()), *region]
            stated = excerpt(total.group(1)) + total.group(2)
            if not region:
                self.gap(
                    _(
                        "measure {number} states a budget of {total} but no allocations (其中…) follow; "
                        "no budget is drafted"
                    ).format(number=measure.number, total=stated)
                )
                continue
            try:
                total_amount = parse_number(total.group(1))
            except ValueError as exc:
                self.gap(_("{record} is not drafted: {reason}").format(record=label, reason=str(exc)))
                continue
            parts: list[Allocation] = []
            for item in allocations:  # an amount that could not be read is a gap already, and left out
                ident = f"B{measure.number}.{len(parts) + 1}"
                part = self.build(
                    Allocation,
                    _("allocation {id}").format(id=ident),
                    id=ident,
                    label=item["label"],
                    amount=item["amount"],
                    unit=item["unit"] if item["unit"] != total.group(2) else None,
                    quote=item["quote"],
                )
                if part is not None:
                    parts.append(part)
            if not parts:
                continue
            budget = self.build(
                Budget,
                label,
                id=f"B{measure.number}",
                document=self.document_id,
                measure=measure.number,
                total=total_amount,
                unit=unit,
                quote=self.slice(quote),
                allocations=parts,
            )
            if budget is None:
                continue
            budgets.append(budget)
            allocated = exact_sum(convert(a.amount, budget.unit_of(a), budget.unit) for a in parts)
            if allocated != budget.total:
                self.gap(
                    _(
                        "budget B{number}: its allocations add up to {sum}, not the stated total {total}; "
                        "both are kept as written"
                    ).format(number=measure.number, sum=format_amount(allocated, budget.unit), total=stated)
                )
        return budgets, excluded

    def allocations(
        self, number: int, norm: str, offset: int, after_total: int
    ) -> tuple[list[dict[str, Any]], list[tuple[int, int]]]:
        """The allocations after a budget's total: ``其中`` … up to the next ``。``, and the span they stand
        in (none when the text marks no allocations with 其中 or 主要包括)."""
        skipped = re.match(r"[\s。，；：]*", norm[after_total:])
        begin = after_total + (skipped.end() if skipped else 0)
        if not norm.startswith(_ALLOCATION_MARKERS, begin):
            return [], []
        stop = norm.find("。", begin)
        stop = len(norm) if stop < 0 else stop
        items: list[dict[str, Any]] = []
        for clause in re.finditer(r"[^，；]+", norm[begin:stop]):
            c_start, c_end = begin + clause.start(), begin + clause.end()
            amounts = list(_MONEY.finditer(norm, c_start, c_end))
            piece = c_start
            for i, money in enumerate(amounts):
                item, piece = self.allocation(number, norm, offset, piece, money, amounts[i + 1 :], c_end)
                if item is not None:
                    items.append(item)
        return items, [(offset + begin, offset + stop)]

    def allocation(
        self,
        number: int,
        norm: str,
        offset: int,
        piece: int,
        money: re.Match[str],
        later: list[re.Match[str]],
        clause_end: int,
    ) -> tuple[dict[str, Any] | None, int]:
        """One allocation: from ``piece`` to its amount (``A 1亿元``), or from its amount on
        (``安排1亿元用于A``); returns it and where the next one begins."""
        label = _strip(norm, piece, money.start(), _LABEL_LEADS, ())
        quote_start, quote_end = piece, money.end()
        if label[0] < label[1]:
            if norm[label[0]] in _QUOTE_MARKS:  # “石斛之乡”“灵山箫台”等两条…: the examples are left out
                last_close = max(norm.rfind(mark, label[0], money.start()) for mark in _CLOSE_MARKS)
                if last_close >= 0:
                    quote_start = last_close + 1
                    label = _strip(norm, quote_start, money.start(), ("等",), ())
            elif money.end() - piece > _LONG_ALLOCATION_CHARS:  # a long list: quoted from its last item
                last = max(
                    norm.rfind("、", piece, money.start()),
                    *(norm.rfind(m, piece, money.start()) for m in _CLOSE_MARKS),
                )
                if last >= 0:
                    quote_start = last + 1
        elif not later:  # 安排2.4亿元保障A: the label follows, up to the end of the clause
            label = _strip(norm, money.end(), clause_end, _LABEL_VERBS_AFTER, ())
            label = (label[0], _rstrip_marks(norm, label[0], label[1]))
            quote_end = label[1]
        # else: an amount with no label before it and more amounts after it: whose words follow is unclear
        following = re.match(r"[、\s]*", norm[quote_end:])
        next_piece = quote_end + (following.end() if following else 0)
        if label[0] >= label[1]:
            self.gap(
                _("budget B{number}: the amount {amount} has no label beside it; it is left out").format(
                    number=number, amount=money.group(0)
                )
            )
            return None, next_piece
        try:
            amount = parse_number(money.group(1))
        except ValueError as exc:
            self.gap(_("budget B{number}: {reason}").format(number=number, reason=str(exc)))
            return None, next_piece
        return {
            "label": self.text[offset + label[0] : offset + label[1]][:MAX_NAME_CHARS],
            "amount": amount,
            "unit": money.group(2),
            "quote": self.text[offset + quote_start : offset + quote_end],
        }, next_piece

    def budgetless_areas(self, seen: list[_AreaSeen], budgets: list[Budget], measures: list[Measure]) -> None:
        area_of = {m.number: m.area for m in measures}
        funded = {area_of[b.measure] for b in budgets}
        with_measures = {m.area for m in measures}
        for area in sorted({a.number for a in seen} & with_measures - funded):
            self.gap(_("area {number} states no budget (安排…亿元 or 万元)").format(number=area))

    # -- the document --

    def period(self, closing: list[_Line]) -> Period | None:
        for line in closing:
            norm = self.norm[line.start : line.end]
            span_match = _PERIOD_SPAN.search(norm)
            year_match = _PERIOD_YEAR.search(norm)
            found = span_match or year_match
            if found is None:
                continue
            quote = _sentence(norm, found.start(), found.end())
            try:
                if span_match is not None:
                    g = [int(x) for x in span_match.groups()]
                    start, end = date(g[0], g[1], g[2]), date(g[3], g[4], g[5])
                else:
                    year = int(found.group(1))
                    start, end = date(year, 1, 1), date(year, 12, 31)
            except ValueError:
                continue
            return self.build(
                Period,
                _("the period"),
                start=start,
                end=end,
                quote=self.slice((line.start + quote[0], line.start + quote[1])),
            )
        return None

    def overall(self, closing: list[_Line]) -> tuple[OverallBudget | None, int | None]:
        for line in closing:
            norm = self.norm[line.start : line.end]
            found = _OVERALL.search(norm)
            if found is None:
                continue
            quote = _sentence(norm, found.start(), found.end())
            sentence = norm[quote[0] : quote[1]]
            stated = _STATED_AREAS.search(sentence)
            try:
                amount = parse_number(found.group(1))
            except ValueError:
                continue
            overall = self.build(
                OverallBudget,
                _("the overall budget"),
                amount=amount,
                unit=self.slice((line.start + found.start(2), line.start + found.end(2))),
                net_of_overlaps="剔除" in sentence and ("重叠" in sentence or "重复" in sentence),
                quote=self.slice((line.start + quote[0], line.start + quote[1])),
            )
            return overall, int(stated.group(1)) if stated else None
        return None, None

    def document_fields(
        self,
        header: list[_Line],
        areas: list[_AreaSeen],
        measures: list[_MeasureSeen],
        period: Period | None,
        overall: OverallBudget | None,
    ) -> dict[str, Any]:
        fields: dict[str, Any] = {"id": self.document_id, "source": self.source}
        header = [line for line in header if line.end - line.start <= MAX_NAME_CHARS]  # not a paragraph
        for line in header:
            found = _DOC_NUMBER.search(self.norm, line.start, line.end)
            if found is not None:
                fields["number"] = self.slice(found.span())
                break
        for index, line in enumerate(header):
            day = _date_line(self.norm[line.start : line.end])
            if day is None:
                continue
            fields["date"] = day
            before = [earlier for earlier in header[:index] if earlier.end > earlier.start]
            if before and _plain_name(self.norm[before[-1].start : before[-1].end]):
                fields["issuer"] = self.slice((before[-1].start, before[-1].end))
            break
        if "issuer" not in fields:
            for line in header:
                norm = self.norm[line.start : line.end]
                if norm.endswith("文件") and _plain_name(norm[:-2]):
                    fields["issuer"] = self.slice((line.start, line.end - 2))
                    break
        title = self.title(header)
        if title is not None:
            fields["title"] = title
        if period is not None:
            fields["period"] = period
        if overall is not None:
            fields["overall_budget"] = overall
        if areas:
            fields["area_count"] = max(a.number for a in areas)
        if measures:
            fields["measure_count"] = max(m.number for m in measures)
        return fields

    def title(self, header: list[_Line]) -> str | None:
        for line in header:
            norm = self.norm[line.start : line.end]
            if (
                norm.startswith("关于")
                and "。" not in norm
                and "通知" not in norm
                and len(norm) <= MAX_NAME_CHARS
            ):
                return self.slice((line.start, line.end))
        for line in header:
            found = _ISSUED_TITLE.search(self.norm, line.start, line.end)
            if found is not None:
                return self.slice(found.span(1))
        return None

    def document(self, fields: dict[str, Any]) -> Document | None:
        wanted = {
            "number": _("no document number (such as 乐政发〔2023〕6号) was found"),
            "date": _("no date of issue (a line such as 2023年4月3日) was found"),
            "issuer": _("no issuer (the line above the date of issue) was found"),
            "title": _("no title (a line beginning 关于, or 印发《…》) was found"),
            "period": _("no period (such as 均为2023年全年实施有效) was found"),
            "area_count": None,
            "measure_count": None,
        }
        missing = [name for name in wanted if name not in fields]
        for name in missing:
            message = wanted[name]
            if message is not None:
                self.gap(_("document: {what}").format(what=message))
        if "overall_budget" not in fields:
            self.gap(_("document: no overall budget (…剔除交叉重叠部分，支持总额为…) was found"))
        if missing:
            self.gap(
                _(
                    "document: not drafted without {fields}; its fields found are kept beside the draft"
                ).format(fields=", ".join(missing))
            )
            return None
        return self.build(Document, _("the document"), **fields)

    def ending(
        self,
        areas: list[_AreaSeen],
        measures: list[_MeasureSeen],
        period: Period | None,
        overall: OverallBudget | None,
    ) -> None:
        """Say where a text that lost its later half stops."""
        content = [line for line in self.lines if line.end > line.start]
        if not content:
            self.gap(_("the text is empty"))
            return
        if not measures:
            self.gap(_("no measure (a line such as 1．…。) was found"))
            return
        last_measure = measures[-1]
        last_area = areas[-1] if areas else None
        cut = self.norm[content[-1].end - 1] not in _SENTENCE_END and not _date_line(
            self.norm[content[-1].start : content[-1].end]
        )
        if cut and content[-1] is last_measure.line:
            self.gap(
                _(
                    "the text stops inside measure {number} (its last sentence has no end); "
                    "whatever followed it is missing"
                ).format(number=last_measure.number)
            )
        elif cut and last_area is not None and content[-1] in (last_area.line, last_area.text):
            self.gap(
                _(
                    "the text stops inside area {number}'s heading or opening paragraph; "
                    "whatever followed it is missing"
                ).format(number=last_area.number)
            )
        elif cut:
            self.gap(_("the text stops mid-sentence on line {line}").format(line=content[-1].number))
        if period is None and overall is None:
            self.gap(
                _(
                    "the closing paragraphs (the overall budget, the period) are missing: the text may have "
                    "lost its end, and any measures after {measure} and areas after {area} with it"
                ).format(measure=last_measure.number, area=last_area.number if last_area else "-")
            )
        if last_area is not None and last_measure.area != last_area.number:
            self.gap(_("area {number} has no measures").format(number=last_area.number))

    # -- targets --

    def targets(
        self,
        areas: list[Area],
        seen: list[_AreaSeen],
        measures: list[Measure],
        texts: dict[int, tuple[int, int]],
        excluded: dict[int, list[tuple[int, int]]],
        closing: list[_Line],
        period: Period | None,
    ) -> list[Target]:
        drafted: list[Target] = []
        by_number = {a.number: a for a in seen}
        period_end = period.end if period is not None else None
        for area in areas:
            line = by_number[area.number].text
            if line is None:
                continue
            found = self.candidates(line.start, line.end, [], period_end)
            drafted.extend(self.number_targets(found, f"A{area.number}.", {"area": area.number}))
        for measure in measures:
            start, end = texts[measure.number]
            found = self.candidates(start, end, excluded.get(measure.number, []), period_end)
            drafted.extend(self.number_targets(found, f"{measure.number}.", {"measure": measure.number}))
        closing_found: list[_Candidate] = []
        for line in closing:
            if line.end - line.start > MAX_PASSAGE_CHARS:
                self.gap(
                    _(
                        "line {line} is {length:,} characters long, longer than a paragraph can be; "
                        "it is not read for targets"
                    ).format(line=line.number, length=line.end - line.start)
                )
                continue
            norm = self.norm[line.start : line.end]
            if norm.startswith(("抄送", "抄报", "主送")):
                continue
            skip = [
                _sentence_span(norm, m, line.start)
                for m in (_OVERALL.search(norm), _PERIOD_YEAR.search(norm), _PERIOD_SPAN.search(norm))
                if m
            ]
            closing_found.extend(self.milestones(line.start, line.end, skip, period_end))
        drafted.extend(self.number_targets(closing_found, "D", {}))
        return drafted

    def number_targets(self, found: list[_Candidate], prefix: str, owner: dict[str, int]) -> list[Target]:
        drafted: list[Target] = []
        for k, candidate in enumerate(sorted(found, key=lambda c: c.position), 1):
            ident = f"{prefix}{k}"
            target = self.build(
                Target,
                _("target {id}").format(id=ident),
                id=ident,
                document=self.document_id,
                **owner,
                what=candidate.what,
                value=candidate.value,
                unit=candidate.unit,
                comparator=candidate.comparator,
                commitment=candidate.commitment,
                deadline=candidate.deadline,
                deadline_text=candidate.deadline_text,
                quote=self.slice(candidate.quote),
            )
            if target is not None:
                drafted.append(target)
        return drafted

    def candidates(
        self, start: int, end: int, excluded: list[tuple[int, int]], period_end: date | None
    ) -> list[_Candidate]:
        return [
            *self.quantities(start, end, excluded, period_end),
            *self.milestones(start, end, excluded, period_end),
        ]

    def quantities(
        self, start: int, end: int, excluded: list[tuple[int, int]], period_end: date | None
    ) -> Iterator[_Candidate]:
        norm = self.norm
        spans: list[tuple[int, int, Number, str | None, str | None]] = []  # start, end, value, unit, implied
        for match in _QUANTITY.finditer(norm, start, end):
            number, unit = match.group(1), match.group(2)
            value_end = match.end()
            if unit is None:
                bare = _BARE_COMPARATOR.match(norm, match.end(1), end)
                if "/" not in number and bare is None:
                    continue
                value_end = match.end(1)
            try:
                value = _value(number)
            except ValueError:
                continue
            unit_text = self.slice((match.start(2), match.end(2))) if unit else None
            spans.append((match.start(1), value_end, value, unit_text, unit))
        for word, (value, _implied) in WORD_NUMBERS.items():
            for match in re.finditer(word, norm[start:end]):
                unit = _WORD_UNITS.get(word)
                spans.append((start + match.start(), start + match.end(), value, unit, unit))
        previous_end = start
        for v_start, v_end, value, unit, unit_norm in sorted(spans, key=lambda span: span[0]):
            if any(a < v_end and v_start < b for a, b in excluded):
                continue
            after = v_end
            tail = _BARE_COMPARATOR.match(norm, after, min(end, after + 4))
            if tail is not None:
                after = tail.end()
            window = norm[max(start, v_start - 6) : min(end, after + 3)]
            comparators = comparators_near(window, value, unit_norm)
            comparator = next(
                (kind for kind in ("at_least", "at_most", "about") if kind in comparators), "exactly"
            )
            commitment, quote_start = self.governing(start, v_start)
            sub_start = max(quote_start, previous_end, _clause_start_at(norm, start, v_start, "，；、：。"))
            previous_end = after
            what = _strip(norm, sub_start, v_start, _WHAT_LEADS, _WHAT_TAILS, years=True)
            quote_end = after
            what_text = self.slice(what)
            if what[1] - what[0] <= 2 or norm.endswith("等", *what):  # 建设150张床位, A、B等4个C
                following = _strip(norm, after, _clause_end(norm, after, end), ("的",), ())
                if following[0] < following[1]:
                    what_text += self.slice(following)
                    quote_end = following[1]
            if not what_text:
                what_text = self.slice((quote_start, quote_end))
            quote = (quote_start, quote_end)
            deadline, deadline_text = self.deadline(quote, period_end)
            yield _Candidate(
                v_start,
                what_text[:MAX_NAME_CHARS],
                quote,
                commitment,
                value=value,
                unit=unit,
                comparator=comparator,
                deadline=deadline,
                deadline_text=deadline_text,
            )

    def milestones(
        self, start: int, end: int, excluded: list[tuple[int, int]], period_end: date | None
    ) -> Iterator[_Candidate]:
        norm = self.norm
        for clause in re.finditer(r"[^，；。：！？]+", norm[start:end]):
            c_start, c_end = _stripped(norm, start + clause.start(), start + clause.end())
            if c_end - c_start < 4 or any(a < c_end and c_start < b for a, b in excluded):
                continue
            words = _YEAR.sub("", norm[c_start:c_end])
            if re.search(r"[0-9]", words) or any(word in words for word in WORD_NUMBERS):
                continue
            what = _strip(norm, c_start, c_end, _MILESTONE_LEADS, ())
            verb = _strip(norm, c_start, c_end, (*_MILESTONE_LEADS, "实现"), (), years=True)[0]
            if norm.startswith(("给予", "对"), verb) or norm.endswith("的", *what):
                continue  # 给予创建单位资金补助, 对…的: what the policy gives, a condition
            if not any(norm.startswith(_MILESTONE_VERBS, verb + offset) for offset in range(4)):
                continue
            commitment, quote_start = self.governing(start, verb + 2)
            quote = (min(quote_start, c_start), c_end)
            deadline, deadline_text = self.deadline(quote, period_end)
            yield _Candidate(
                c_start,
                self.slice(what)[:MAX_NAME_CHARS],
                quote,
                commitment,
                deadline=deadline,
                deadline_text=deadline_text,
            )

    def governing(self, start: int, at: int) -> tuple[str, int]:
        """The commitment that governs a value at ``at`` and where its quote starts: the nearest 确保 or
        力争 before it in its sentence, else none (plain) and the start of its clause."""
        norm = self.norm
        start = max(start, at - _GOVERNING_CHARS)
        sentence = max(norm.rfind(stop, start, at) for stop in "。；！？") + 1
        sentence = max(sentence, start)
        best, kind = max(
            ((norm.rfind(word, sentence, at), commitment) for word, commitment in _COMMITMENTS),
            key=lambda found: found[0],
        )
        if best >= 0:
            return kind, best
        return "plain", _clause_start_at(norm, start, at, "，；。：")

    def deadline(self, quote: tuple[int, int], period_end: date | None) -> tuple[date | None, str | None]:
        """The deadline a quote states (2024年开工, 1-6月, “十四五”末), unless it is the period's end."""
        norm = self.norm[quote[0] : quote[1]]
        year = period_end.year if period_end is not None else None
        found: tuple[date, re.Match[str]] | None = None
        months = _DEADLINE_MONTHS.search(norm)
        plan = _FIVE_YEAR_PLAN_END.search(norm)
        years = _DEADLINE_YEAR.search(norm)
        try:
            if plan is not None:
                found = (date(2025, 12, 31), plan)
            elif months is not None:
                stated = int(years.group(1)) if years is not None else year
                if stated is not None and 1 <= int(months.group(1)) <= 12:
                    month = int(months.group(1))
                    following = date(stated + month // 12, month % 12 + 1, 1)
                    found = (date.fromordinal(following.toordinal() - 1), months)
            elif years is not None:
                found = (date(int(years.group(1)), 12, 31), years)
        except ValueError:
            return None, None
        if found is None or found[0] == period_end:
            return None, None
        day, match = found
        text = self.slice((quote[0] + match.start(), quote[0] + match.end()))
        return day, text


# --- helpers ---------------------------------------------------------------------------------------


def draft(text: str, document_id: str, *, source: str | None = None) -> Draft:
    """Draft the records of the policy document ``text`` under ``document_id``.

    ``source`` is where the text will live inside the data folder (``source/<id>.txt`` unless given).
    Raises ``ImportRefused`` (one line) for text no policy document can be: over ``MAX_TEXT_CHARS``,
    with control characters, or an id the ledger does not admit. Everything else is drafted as far as it
    goes, and what is missing is listed in ``Draft.gaps``.
    """
    if not DOCUMENT_ID.fullmatch(document_id):
        raise ImportRefused(
            _(
                "'{id}' is not a document id; write lowercase letters, digits and -, such as lezhengfa-2023-6"
            ).format(id=_one_line(document_id)[:40])
        )
    if len(text) > MAX_TEXT_CHARS:
        raise ImportRefused(
            _(
                "the text is {size:,} characters, more than the {limit:,} a policy document can have; "
                "check that it is the right file"
            ).format(size=len(text), limit=MAX_TEXT_CHARS)
        )
    control = _CONTROL.search(text)
    if control is not None:
        before = text[: control.start()]
        line = len(_LINE_BREAK.findall(before)) + 1
        column = control.start() - max(before.rfind("\n"), before.rfind("\r"))
        raise ImportRefused(
            _(
                "line {line}, column {column}: the control character U+{code:04X} has no place in a policy "
                "text; remove it"
            ).format(line=line, column=column, code=ord(control.group()))
        )
    if text.startswith("\ufeff"):
        text = text[1:]
    return _Reader(text, document_id, source or f"source/{document_id}.txt").draft()


def _lines(text: str) -> Iterator[_Line]:
    start = 0
    number = 1
    for match in _LINE_BREAK.finditer(text):
        s, e = _stripped(text, start, match.start())
        yield _Line(number, s, e)
        start = match.end()
        number += 1
    s, e = _stripped(text, start, len(text))
    yield _Line(number, s, e)


def _stripped(text: str, start: int, end: int) -> tuple[int, int]:
    """``start``, ``end`` moved inward past spaces (full-width ones too)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _strip(
    norm: str, start: int, end: int, leads: Iterable[str], tails: Iterable[str], *, years: bool = False
) -> tuple[int, int]:
    """The span with the ``leads`` words (and years, when asked) taken off its start and ``tails`` off its
    end, as often as they stand there, and spaces and list marks around it."""
    leads, tails = tuple(leads), tuple(tails)
    changed = True
    while changed and start < end:
        changed = False
        start, end = _stripped(norm, start, end)
        while start < end and norm[start] in "、，；：":
            start += 1
            changed = True
        for word in leads:
            if norm.startswith(word, start) and start + len(word) <= end:
                start += len(word)
                changed = True
        if years:
            year = _YEAR.match(norm, start, end)
            if year is not None:
                start = year.end()
                changed = True
        for word in tails:
            if norm.endswith(word, start, end):
                end -= len(word)
                changed = True
    return start, max(start, end)


def _rstrip_marks(norm: str, start: int, end: int) -> int:
    while end > start and (norm[end - 1].isspace() or norm[end - 1] in "、，；。"):
        end -= 1
    return end


def _clause_start_at(norm: str, start: int, at: int, marks: str) -> int:
    """Where the clause holding ``at`` begins (after the last of ``marks``), no further back than
    ``start`` or than a passage's length (so that a text without marks costs no more than a long one)."""
    start = max(start, at - MAX_PASSAGE_CHARS)
    begin = max(norm.rfind(mark, start, at) for mark in marks) + 1
    return _stripped(norm, max(begin, start), at)[0]


def _clause_end(norm: str, at: int, end: int) -> int:
    found = re.compile(r"[，；。：！？、]").search(norm, at, end)
    stop = found.start() if found is not None else end
    return _stripped(norm, at, stop)[1]


def _sentence(norm: str, start: int, end: int) -> tuple[int, int]:
    """The sentence of ``norm`` around ``start``..``end``, with its closing 。 when it has one."""
    begin = max(norm.rfind(mark, 0, start) for mark in "。！？") + 1
    stop = min((i for i in (norm.find(mark, end) for mark in "。！？") if i >= 0), default=len(norm) - 1)
    return _stripped(norm, begin, stop + 1)


def _sentence_span(norm: str, match: re.Match[str], offset: int) -> tuple[int, int]:
    begin, stop = _sentence(norm, match.start(), match.end())
    return offset + begin, offset + stop


def _value(number: str) -> Number:
    if "/" in number:
        numerator, denominator = number.split("/")
        if not 0 < len(numerator) <= 6 or not 0 < len(denominator) <= 6 or int(denominator) == 0:
            raise ValueError(number)
        return Fraction(int(numerator), int(denominator))
    return parse_number(number)


def _missing(numbers: set[int]) -> list[int]:
    if not numbers:
        return []
    top = min(max(numbers), MAX_COUNT)
    return [n for n in range(1, top + 1) if n not in numbers]


def _chinese_number(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20, 一百零五 → 105; None for what is not such a number."""
    digits = {c: i for i, c in enumerate(_CN_DIGITS)} | {"零": 0, "两": 2}
    total, current = 0, 0
    for character in text:
        if character in digits:
            current = digits[character]
        elif character == "十":
            total += (current or 1) * 10
            current = 0
        elif character == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    number = total + current
    return number if 0 < number <= MAX_COUNT else None


def _date_line(norm: str) -> date | None:
    match = _DATE_LINE.fullmatch(norm.strip())
    if match is None:
        return None
    year_text, month_text, day_text = match.groups()
    year = (
        int(year_text)
        if year_text.isdigit()
        else int("".join(str(_CN_DIGITS.find(c) if c != "零" else 0) for c in year_text))
    )
    month = int(month_text) if month_text.isdigit() else _chinese_number(month_text)
    day = int(day_text) if day_text.isdigit() else _chinese_number(day_text)
    if month is None or day is None:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _plain_name(norm: str) -> bool:
    """A short line without punctuation: an issuer's name."""
    return 0 < len(norm) <= 50 and not re.search(r"[，。：；、（）《》“”0-9]", norm)


def _few_ranges(numbers: list[int]) -> str:
    """``format_ranges`` cut to its first 20 ranges, so that one gap line stays one line."""
    ranges = format_ranges(numbers).split(", ")
    if len(ranges) <= 20:
        return ", ".join(ranges)
    return _("{ranges} and {count} more").format(ranges=", ".join(ranges[:20]), count=len(ranges) - 20)


def _one_line(text: str) -> str:
    return " ".join(text.split())
