"""Two documents of one family side by side: ``ledger compare A B``, and the report's brief comparison.

Every Zhejiang city and county issues its own version of the same policy each year: the same areas in the
same order, near-identical titles, a lead bureau and a budget each. A comparison lines the two documents
up and says what moved, as typed rows (no words; ``output`` and ``report`` put them in words).

Alignment and matching (the README's "Comparing documents" says the same):

- **Areas** are aligned by title, with the common suffix 政策 and punctuation set aside: first the areas
  whose titles are the same, then, among those left, the most similar pairs (difflib's ratio, at least
  ``AREA_SIMILARITY``), the same number winning a tie. An area left over is *unaligned*: it stands alone,
  and everything under it counts as only in its document.
- **Budgets** of two aligned areas are matched by their measures' titles, **allocations** of two matched
  budgets by their labels, the same way (same text first, then the most similar at
  ``LABEL_SIMILARITY``). Amounts are exact (``Decimal``), each pair in A's unit (B's converted exactly
  when the units differ), the difference B − A.
- **Targets** of two aligned areas (an area's goals and its measures' targets; the document's own targets
  with the document's own) are matched by what they measure: the same ``what`` (and the same id, then the
  same unit, preferred), then the most similar ``what`` at ``TARGET_SIMILARITY``, a shared unit adding
  ``UNIT_BONUS``. A pair is ``raised``, ``lowered`` or ``unchanged`` by value (a literal comparison:
  for an at-most target a lower value asks more); ``unit_changed``, ``comparator_changed`` or
  ``kind_changed`` when the two do not measure alike, and then the values are never compared. A target
  only in A is ``dropped``, only in B ``added``.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import TypeVar

from .amounts import Number, convert, exact_difference, exact_sum, is_money
from .ledger import Ledger
from .models import Allocation, Area, Budget, Document, Measure, Target
from .queries import OMITTED_WHEN_NONE

#: The least title similarity (difflib ratio, 0-1) at which two areas of different titles are aligned.
AREA_SIMILARITY = 0.5
#: The least similarity at which two budgets' measure titles, or two allocations' labels, are matched.
LABEL_SIMILARITY = 0.5
#: The least similarity of ``what`` (plus ``UNIT_BONUS`` for a shared unit) at which targets are matched.
TARGET_SIMILARITY = 0.6
UNIT_BONUS = 0.1
#: The share of a document's areas that must align with another's for the two to be of one family.
FAMILY_SHARE = Fraction(1, 2)
#: The unit of the document-wide amounts when the first document states no overall total in money.
DEFAULT_UNIT = "亿元"

T = TypeVar("T")
U = TypeVar("U")


class Change(StrEnum):
    """How a target moved from A to B (the JSON's ``change``)."""

    RAISED = "raised"
    LOWERED = "lowered"
    UNCHANGED = "unchanged"
    DROPPED = "dropped"  # only in A
    ADDED = "added"  # only in B
    UNIT_CHANGED = "unit_changed"
    COMPARATOR_CHANGED = "comparator_changed"
    KIND_CHANGED = "kind_changed"  # a quantity on one side, a milestone on the other


CHANGE_ORDER = tuple(Change)


# --- rows -----------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ComparedDocument:
    id: str
    number: str
    title: str
    issuer: str
    date: str
    #: the stated overall total (in the comparison's unit), None when the document states none
    stated_total: Decimal | None
    #: the sum of every budget, in the comparison's unit
    gross_total: Decimal


@dataclass(frozen=True, kw_only=True)
class AllocationPair:
    id_a: str | None
    id_b: str | None
    label_a: str | None
    label_b: str | None
    amount_a: Decimal | None
    amount_b: Decimal | None
    unit: str
    difference: Decimal | None


@dataclass(frozen=True, kw_only=True)
class BudgetPair:
    id_a: str | None
    id_b: str | None
    measure_a: str | None
    measure_b: str | None
    total_a: Decimal | None
    total_b: Decimal | None
    unit: str
    difference: Decimal | None
    allocations: tuple[AllocationPair, ...]


@dataclass(frozen=True, kw_only=True)
class TargetPair:
    change: Change
    id_a: str | None
    id_b: str | None
    what_a: str | None
    what_b: str | None
    value_a: Number | None
    value_b: Number | None
    unit_a: str | None
    unit_b: str | None
    comparator_a: str | None
    comparator_b: str | None
    commitment_a: str | None
    commitment_b: str | None
    #: B − A, when both are quantities of one unit and comparator
    difference: Number | None = None


@dataclass(frozen=True, kw_only=True)
class AreaPair:
    """Two aligned areas, or an area of one document alone (its other side None).

    ``aligned_by``: ``title`` (same title), ``similarity`` (similar titles, ``similarity`` their ratio)
    or None for an unaligned area. The document's own targets (D1, …) stand in a pair of their own, with
    no area numbers and ``aligned_by`` ``document``."""

    area_a: int | None
    area_b: int | None
    title_a: str | None
    title_b: str | None
    aligned_by: str | None
    similarity: Decimal | None
    leads_a: tuple[str, ...]
    leads_b: tuple[str, ...]
    measures_a: int
    measures_b: int
    targets_a: int
    targets_b: int
    #: the sum of the area's budgets in the comparison's unit (None: the area has none)
    budget_a: Decimal | None
    budget_b: Decimal | None
    budget_difference: Decimal | None
    budgets: tuple[BudgetPair, ...]
    targets: tuple[TargetPair, ...]


@dataclass(frozen=True, kw_only=True)
class Comparison:
    """``ledger compare A B``: JSON and YAML are this record, field by field (the README lists the keys)."""

    a: ComparedDocument
    b: ComparedDocument
    #: the unit of the document-wide and per-area amounts: A's stated total's (亿元)
    unit: str
    gross_difference: Decimal
    stated_difference: Decimal | None
    #: how many targets moved each way, by ``change``
    changes: dict[str, int]
    areas: tuple[AreaPair, ...]
    #: the areas that could not be aligned, as ``a:5`` / ``b:6``
    unaligned: tuple[str, ...] = field(default=(), metadata=OMITTED_WHEN_NONE)

    @property
    def aligned(self) -> int:
        return sum(1 for pair in self.areas if pair.aligned_by in ("title", "similarity"))


# --- similarity -----------------------------------------------------------------------------------

_SUFFIX = "政策"
_NOISE = re.compile(r"[\s“”\"'‘’「」《》、，,。.:：;；()（）]")


def title_key(title: str) -> str:
    """An area's title as compared: without the family's common suffix 政策, spaces and punctuation."""
    key = _NOISE.sub("", unicodedata.normalize("NFKC", title))
    return key.removesuffix(_SUFFIX) or key


def similarity(first: str, second: str) -> float:
    """difflib's ratio of two texts, 0 (nothing shared) to 1 (the same)."""
    if first == second:
        return 1.0
    return difflib.SequenceMatcher(None, first, second, autojunk=False).ratio()


def pair_up(
    left: Sequence[T],
    right: Sequence[U],
    same: Callable[[T, U], bool],
    score: Callable[[T, U], float],
    least: float,
) -> list[tuple[T | None, U | None, float]]:
    """``left`` and ``right`` paired: first each ``same`` pair in order, then greedily the pairs of highest
    ``score`` (at least ``least``; ties go to the earlier pair); the rest alone. In ``left``'s order, each
    record of ``right`` alone after the pair that precedes it in ``right``."""
    partner: dict[int, tuple[int, float]] = {}
    taken: set[int] = set()
    for i, one in enumerate(left):
        for j, other in enumerate(right):
            if j not in taken and same(one, other):
                partner[i] = (j, 1.0)
                taken.add(j)
                break
    candidates = []
    for i, one in enumerate(left):
        if i in partner:
            continue
        for j, other in enumerate(right):
            if j not in taken:
                value = score(one, other)
                if value >= least:
                    candidates.append((-value, abs(i - j), i, j))
    for negative, _distance, i, j in sorted(candidates):
        if i not in partner and j not in taken:
            partner[i] = (j, -negative)
            taken.add(j)
    pairs: list[tuple[T | None, U | None, float]] = []
    placed: set[int] = set()
    for i, one in enumerate(left):
        if i in partner:
            j, value = partner[i]
            # B's records alone that come before this partner in B's order go first
            for k in range(j):
                if k not in taken and k not in placed:
                    pairs.append((None, right[k], 0.0))
                    placed.add(k)
            pairs.append((one, right[j], value))
        else:
            pairs.append((one, None, 0.0))
    pairs += [(None, right[k], 0.0) for k in range(len(right)) if k not in taken and k not in placed]
    return pairs


# --- comparing ------------------------------------------------------------------------------------


@dataclass
class _Side:
    """One document's records, grouped for the comparison."""

    document: Document
    areas: list[Area]
    measures: dict[int, Measure]
    measures_of: dict[int, int]
    targets_of: dict[int | None, list[Target]]
    budgets_of: dict[int, list[Budget]]

    @classmethod
    def every(cls, ledger: Ledger, wanted: set[str] | None = None) -> dict[str, _Side]:
        """The documents ``wanted`` (default: all), each grouped, in one pass over the records."""
        sides = {
            d.id: cls(d, [], {}, {}, {}, {})
            for d in ledger.documents
            if (wanted is None or d.id in wanted) and ledger.document(d.id) is d
        }
        for area in ledger.areas:
            if area.document in sides:
                sides[area.document].areas.append(area)
        for measure in ledger.measures:
            side = sides.get(measure.document)
            if side is not None:
                side.measures.setdefault(measure.number, measure)
                side.measures_of[measure.area] = side.measures_of.get(measure.area, 0) + 1
        for target in ledger.targets:
            side = sides.get(target.document)
            if side is not None:
                side.targets_of.setdefault(ledger.area_of(target), []).append(target)
        for budget in ledger.budgets:
            side = sides.get(budget.document)
            funded = side.measures.get(budget.measure) if side is not None else None
            if side is not None and funded is not None and is_money(budget.unit):
                side.budgets_of.setdefault(funded.area, []).append(budget)
        for side in sides.values():
            side.areas.sort(key=lambda a: a.number)
        return sides


def document_unit(document: Document) -> str:
    """The unit of amounts across budgets: the stated total's (亿元), as in ``ledger report``."""
    stated = document.overall_budget
    return stated.unit if stated is not None and is_money(stated.unit) else DEFAULT_UNIT


def compare(ledger: Ledger, first: str, second: str) -> Comparison:
    """Document ``first`` (A) beside document ``second`` (B), both ids or numbers (``pick_document``)."""
    ids = ledger.pick_document(first), ledger.pick_document(second)
    sides = _Side.every(ledger, set(ids))
    return _compare(sides[ids[0]], sides[ids[1]])


def _compare(a: _Side, b: _Side) -> Comparison:
    unit = document_unit(a.document)
    areas = align_areas(a.areas, b.areas)
    pairs = [_area_pair(a, b, area_a, area_b, value, unit) for area_a, area_b, value in areas]
    own = (a.targets_of.get(None, []), b.targets_of.get(None, []))
    if own[0] or own[1]:
        pairs.insert(0, _document_pair(a, b, *own))
    counts = {change.value: 0 for change in CHANGE_ORDER}
    for pair in pairs:
        for target in pair.targets:
            counts[target.change.value] += 1
    side_a, side_b = _compared(a, unit), _compared(b, unit)
    stated = None
    if side_a.stated_total is not None and side_b.stated_total is not None:
        stated = exact_difference(side_b.stated_total, side_a.stated_total)
    unaligned = tuple(
        f"a:{pair.area_a}" if pair.area_b is None else f"b:{pair.area_b}"
        for pair in pairs
        if pair.aligned_by is None
    )
    return Comparison(
        a=side_a,
        b=side_b,
        unit=unit,
        gross_difference=exact_difference(side_b.gross_total, side_a.gross_total),
        stated_difference=stated,
        changes=counts,
        areas=tuple(pairs),
        unaligned=unaligned,
    )


def align_areas(
    first: Sequence[Area], second: Sequence[Area]
) -> list[tuple[Area | None, Area | None, float]]:
    """The areas of two documents aligned by title (see the module's docstring)."""
    keys_a = {id(a): title_key(a.title) for a in first}
    keys_b = {id(b): title_key(b.title) for b in second}
    return pair_up(
        first,
        second,
        lambda x, y: keys_a[id(x)] == keys_b[id(y)],
        lambda x, y: similarity(keys_a[id(x)], keys_b[id(y)]),
        AREA_SIMILARITY,
    )


def of_one_family(first: _Side, second: _Side) -> bool:
    """Whether two documents are versions of one policy: at least half of the first's areas align."""
    if not first.areas or not second.areas:
        return False
    aligned = sum(1 for x, y, _v in align_areas(first.areas, second.areas) if x is not None and y is not None)
    return Fraction(aligned, len(first.areas)) >= FAMILY_SHARE


def _compared(side: _Side, unit: str) -> ComparedDocument:
    document = side.document
    stated = document.overall_budget
    budgets = [b for group in side.budgets_of.values() for b in group]
    return ComparedDocument(
        id=document.id,
        number=document.number,
        title=document.title,
        issuer=document.issuer,
        date=document.date.isoformat(),
        stated_total=convert(stated.amount, stated.unit, unit)
        if stated is not None and is_money(stated.unit)
        else None,
        gross_total=exact_sum(convert(b.total, b.unit, unit) for b in budgets),
    )


def _area_budget(budgets: Sequence[Budget], unit: str) -> Decimal | None:
    return exact_sum(convert(b.total, b.unit, unit) for b in budgets) if budgets else None


def _difference(first: Decimal | None, second: Decimal | None) -> Decimal | None:
    return None if first is None or second is None else exact_difference(second, first)


def _area_pair(
    a: _Side, b: _Side, area_a: Area | None, area_b: Area | None, value: float, unit: str
) -> AreaPair:
    budgets_a = a.budgets_of.get(area_a.number, []) if area_a else []
    budgets_b = b.budgets_of.get(area_b.number, []) if area_b else []
    targets_a = a.targets_of.get(area_a.number, []) if area_a else []
    targets_b = b.targets_of.get(area_b.number, []) if area_b else []
    aligned = area_a is not None and area_b is not None
    same_title = (
        area_a is not None and area_b is not None and title_key(area_a.title) == title_key(area_b.title)
    )
    total_a, total_b = _area_budget(budgets_a, unit), _area_budget(budgets_b, unit)
    return AreaPair(
        area_a=area_a.number if area_a else None,
        area_b=area_b.number if area_b else None,
        title_a=area_a.title if area_a else None,
        title_b=area_b.title if area_b else None,
        aligned_by=("title" if same_title else "similarity") if aligned else None,
        similarity=Decimal(str(round(value, 2))) if aligned and not same_title else None,
        leads_a=tuple(area_a.leads) if area_a else (),
        leads_b=tuple(area_b.leads) if area_b else (),
        measures_a=a.measures_of.get(area_a.number, 0) if area_a else 0,
        measures_b=b.measures_of.get(area_b.number, 0) if area_b else 0,
        targets_a=len(targets_a),
        targets_b=len(targets_b),
        budget_a=total_a,
        budget_b=total_b,
        budget_difference=_difference(total_a, total_b) if aligned else None,
        budgets=tuple(_budget_pairs(a, b, budgets_a, budgets_b)),
        targets=tuple(match_targets(targets_a, targets_b)),
    )


def _document_pair(a: _Side, b: _Side, first: list[Target], second: list[Target]) -> AreaPair:
    """The document's own targets (D1, …): a pair of no areas, measures or budgets."""
    alone = _area_pair(a, b, None, None, 0.0, DEFAULT_UNIT)
    targets = tuple(match_targets(first, second))
    return replace(alone, aligned_by="document", targets_a=len(first), targets_b=len(second), targets=targets)


def _budget_pairs(a: _Side, b: _Side, first: list[Budget], second: list[Budget]) -> list[BudgetPair]:
    def title(side: _Side, budget: Budget) -> str:
        measure = side.measures.get(budget.measure)
        return measure.title if measure else ""

    pairs = []
    for one, other, _value in pair_up(
        first,
        second,
        lambda x, y: title(a, x) == title(b, y),
        lambda x, y: similarity(title(a, x), title(b, y)),
        LABEL_SIMILARITY,
    ):
        unit = one.unit if one is not None else other.unit if other is not None else DEFAULT_UNIT
        total_a = one.total if one is not None else None
        total_b = convert(other.total, other.unit, unit) if other is not None else None
        pairs.append(
            BudgetPair(
                id_a=one.id if one else None,
                id_b=other.id if other else None,
                measure_a=f"{one.measure} {title(a, one)}" if one else None,
                measure_b=f"{other.measure} {title(b, other)}" if other else None,
                total_a=total_a,
                total_b=total_b,
                unit=unit,
                difference=_difference(total_a, total_b),
                allocations=tuple(_allocation_pairs(one, other, unit)),
            )
        )
    return pairs


def _allocation_pairs(first: Budget | None, second: Budget | None, unit: str) -> list[AllocationPair]:
    left: list[Allocation] = list(first.allocations) if first else []
    right: list[Allocation] = list(second.allocations) if second else []

    def amount(budget: Budget | None, allocation: Allocation | None) -> Decimal | None:
        if budget is None or allocation is None:
            return None
        return convert(allocation.amount, budget.unit_of(allocation), unit)

    pairs = []
    for one, other, _value in pair_up(
        left,
        right,
        lambda x, y: x.label == y.label,
        lambda x, y: similarity(x.label, y.label),
        LABEL_SIMILARITY,
    ):
        amount_a, amount_b = amount(first, one), amount(second, other)
        pairs.append(
            AllocationPair(
                id_a=one.id if one else None,
                id_b=other.id if other else None,
                label_a=one.label if one else None,
                label_b=other.label if other else None,
                amount_a=amount_a,
                amount_b=amount_b,
                unit=unit,
                difference=_difference(amount_a, amount_b),
            )
        )
    return pairs


def _target_score(one: Target, other: Target) -> float:
    # the cheap upper bounds first: most pairs of a family's areas share little
    matcher = difflib.SequenceMatcher(None, one.what, other.what, autojunk=False)
    bonus = UNIT_BONUS if one.unit == other.unit else 0.0
    if (
        matcher.real_quick_ratio() + bonus < TARGET_SIMILARITY
        or matcher.quick_ratio() + bonus < TARGET_SIMILARITY
    ):
        return 0.0
    return matcher.ratio() + bonus


def match_targets(first: Sequence[Target], second: Sequence[Target]) -> list[TargetPair]:
    """Targets of two aligned areas matched by what they measure, each pair classified (module docstring)."""
    # the same what, id and unit; then the same what and unit; then the same what: exact matches first
    partner: dict[int, Target] = {}
    taken: set[int] = set()
    keys: tuple[Callable[[Target], tuple[str | None, ...]], ...] = (
        lambda t: (t.what, t.id, t.unit),
        lambda t: (t.what, t.unit),
        lambda t: (t.what,),
    )
    for key in keys:
        waiting: dict[tuple[str | None, ...], list[Target]] = {}
        for candidate in second:
            if id(candidate) not in taken:
                waiting.setdefault(key(candidate), []).append(candidate)
        for one in first:
            queue = waiting.get(key(one)) if id(one) not in partner else None
            while queue:
                candidate = queue.pop(0)
                if id(candidate) not in taken:
                    partner[id(one)] = candidate
                    taken.add(id(candidate))
                    break
    left = [x for x in first if id(x) not in partner]
    right = [y for y in second if id(y) not in taken]
    for similar, found, _value in pair_up(left, right, lambda x, y: False, _target_score, TARGET_SIMILARITY):
        if similar is not None and found is not None:
            partner[id(similar)] = found
    matched = {id(y) for y in partner.values()}
    pairs = [target_pair(one, partner.get(id(one))) for one in first]
    return pairs + [target_pair(None, y) for y in second if id(y) not in matched]


def only_changed(comparison: Comparison) -> Comparison:
    """The comparison without its unchanged targets (``--changed``); counts and totals stay whole."""
    areas = tuple(
        replace(pair, targets=tuple(t for t in pair.targets if t.change is not Change.UNCHANGED))
        for pair in comparison.areas
    )
    return replace(comparison, areas=areas)


def target_pair(one: Target | None, other: Target | None) -> TargetPair:
    change, difference = _classify(one, other)
    return TargetPair(
        change=change,
        id_a=one.id if one else None,
        id_b=other.id if other else None,
        what_a=one.what if one else None,
        what_b=other.what if other else None,
        value_a=one.value if one else None,
        value_b=other.value if other else None,
        unit_a=one.unit if one else None,
        unit_b=other.unit if other else None,
        comparator_a=one.comparator if one else None,
        comparator_b=other.comparator if other else None,
        commitment_a=one.commitment if one else None,
        commitment_b=other.commitment if other else None,
        difference=difference,
    )


def _classify(one: Target | None, other: Target | None) -> tuple[Change, Number | None]:
    if other is None:
        return Change.DROPPED, None
    if one is None:
        return Change.ADDED, None
    if (one.value is None) != (other.value is None):
        return Change.KIND_CHANGED, None
    if one.value is None or other.value is None:  # two milestones: the same deliverable
        return Change.UNCHANGED, None
    if one.unit != other.unit:
        return Change.UNIT_CHANGED, None
    if (one.comparator or "exactly") != (other.comparator or "exactly"):
        return Change.COMPARATOR_CHANGED, None
    difference = _minus(other.value, one.value)
    if difference > 0:
        return Change.RAISED, difference
    if difference < 0:
        return Change.LOWERED, difference
    return Change.UNCHANGED, difference


def _minus(first: Number, second: Number) -> Number:
    """``first - second`` exactly: Decimal when both are, else a Fraction."""
    if isinstance(first, Decimal) and isinstance(second, Decimal):
        return exact_difference(first, second)
    return Fraction(first) - Fraction(second)


# --- the report's brief comparison ----------------------------------------------------------------


def family(ledger: Ledger, document_id: str) -> list[Comparison]:
    """The report's document (A) beside each other document of its family (B), in the files' order."""
    sides = _Side.every(ledger)
    own = sides[document_id]
    return [
        _compare(own, side)
        for other, side in sides.items()
        if other != document_id and of_one_family(own, side)
    ]
