"""The ledger's records as strict pydantic models. No I/O happens here.

Amounts are ``Decimal`` (or ``Fraction`` for the document's 2/3), never ``float``: a value that arrives as
text or as a binary float is refused rather than silently rounded. Dates are real ``date`` objects.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    PrivateAttr,
    Strict,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)

Comparator = Literal["at_least", "at_most", "about", "exactly"]
Commitment = Literal["firm", "stretch", "plain"]
MilestoneStatus = Literal["in_progress", "done", "dropped"]

#: No amount or target in a city's policy comes near this in any unit (10^12 亿元 is a thousand times the
#: world's GDP); a larger number is a typo, not data.
MAX_AMOUNT = Decimal(10) ** 12
_FRACTION = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


def _kind_of(value: Any) -> str:
    """What a value that is not a number is, in words (ruamel's quoted strings are text too)."""
    if isinstance(value, str):
        return "text"
    if isinstance(value, bool):
        return "true/false"
    return "a binary float" if isinstance(value, float) else type(value).__name__


def _exact_amount(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        kind = _kind_of(value)
        raise ValueError(f"is {kind}, not a number; write the number without quotes (such as 31.5)")
    amount = value if isinstance(value, Decimal) else Decimal(value)  # keeps the spelling 5.0
    if not amount.is_finite():
        raise ValueError("is not a finite number; write a number such as 31.5")
    if amount < 0:
        raise ValueError(f"{amount} is negative; amounts and targets are never below zero")
    if amount > MAX_AMOUNT:
        raise ValueError(
            f"{amount} is implausibly large (over {MAX_AMOUNT:,}); check the digits and the unit"
        )
    return amount


def _exact_value(value: Any) -> Decimal | Fraction:
    if isinstance(value, str):
        match = _FRACTION.match(value)
        if match and int(match.group(2)) != 0:
            return Fraction(int(match.group(1)), int(match.group(2)))
        raise ValueError(
            "is neither a number nor a fraction; "
            'write a number (such as 40) or a fraction in quotes (such as "2/3")'
        )
    return _exact_amount(value)


def _serialise_number(value: Decimal | Fraction) -> str:
    from .amounts import format_number

    return format_number(value)


Amount = Annotated[
    Decimal,
    PlainValidator(_exact_amount),
    PlainSerializer(_serialise_number, when_used="json"),
    WithJsonSchema({"type": "number"}),
]
Value = Annotated[
    Decimal | Fraction,
    PlainValidator(_exact_value),
    PlainSerializer(_serialise_number, when_used="json"),
    WithJsonSchema({"anyOf": [{"type": "number"}, {"type": "string", "pattern": _FRACTION.pattern}]}),
]
Text = Annotated[str, Strict(), StringConstraints(min_length=1)]
Quote = Annotated[str, Strict(), StringConstraints(min_length=1)]
Day = Annotated[date, Strict()]
Number = Annotated[int, Strict(), Field(ge=1)]
DocumentId = Annotated[str, Strict(), StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")]
TargetId = Annotated[str, Strict(), StringConstraints(pattern=r"^A?\d+\.\d+$")]
BudgetId = Annotated[str, Strict(), StringConstraints(pattern=r"^B\d+$")]
AllocationId = Annotated[str, Strict(), StringConstraints(pattern=r"^B\d+\.\d+$")]


class Record(BaseModel):
    # defer_build: a ledger restored from the cache never validates, so it never pays for the schemas
    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True, defer_build=True)
    #: where the record stands in its file (a ``problems.Place``), set by the loader; private, so that
    #: no YAML key can set it and no output shows it
    _place: Any = PrivateAttr(default=None)

    @property
    def place(self) -> Any:
        return self._place


class Period(Record):
    start: Day
    end: Day
    quote: Quote | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise ValueError("period end is before its start; correct one of the two dates")
        return self


class OverallBudget(Record):
    """The document's stated total for all areas, which may be net of funds counted twice."""

    amount: Amount
    unit: Text
    net_of_overlaps: bool
    quote: Quote


class Document(Record):
    id: DocumentId
    number: Text
    title: Text
    issuer: Text
    date: Day
    source: Text  # path of the verbatim source text, relative to the data directory
    period: Period
    area_count: Number
    measure_count: Number
    overall_budget: OverallBudget | None = None


class Area(Record):
    document: DocumentId
    number: Number
    title: Text
    leads: list[Text] = Field(min_length=1)
    heading: Quote  # the area's heading line, verbatim
    text: Quote  # the area's opening paragraph, verbatim


class Measure(Record):
    document: DocumentId
    number: Number
    area: Number
    title: Text  # the phrase after the number, up to the first 。
    text: Quote  # the whole measure, verbatim, without its leading "N．"

    @model_validator(mode="after")
    def _title_opens_text(self) -> Measure:
        if not self.text.startswith(self.title):
            raise ValueError("the measure's text does not begin with its title; copy the title from the text")
        return self


class ProgressEntry(Record):
    """One reading of a target on a date: a value (quantitative) or a status (milestone)."""

    as_of: Day
    value: Amount | None = None
    unit: Text | None = None
    status: MilestoneStatus | None = None
    note: Text | None = None
    source: Text | None = None

    @model_validator(mode="after")
    def _value_or_status(self) -> ProgressEntry:
        if (self.value is None) == (self.status is None):
            raise ValueError(
                "a progress entry has either a value (with its unit) or a status; give it one of the two"
            )
        if self.status is not None and self.unit is not None:
            raise ValueError("a status entry has no unit; remove the unit")
        return self


class Target(Record):
    """A commitment of the text: a quantity to reach, or a milestone (no value) to deliver."""

    id: TargetId
    document: DocumentId
    measure: Number | None = None
    area: Number | None = None
    what: Text
    value: Value | None = None
    unit: Text | None = None
    comparator: Comparator | None = None
    commitment: Commitment
    deadline: Day | None = None
    deadline_text: Text | None = None
    quote: Quote
    progress: list[ProgressEntry] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> Target:
        if (self.measure is None) == (self.area is None):
            raise ValueError("a target belongs to exactly one of measure or area; keep one of the two")
        expected = f"{self.measure}." if self.measure is not None else f"A{self.area}."
        if not self.id.startswith(expected):
            raise ValueError(
                f"id {self.id} does not start with {expected} (the record it belongs to); renumber it"
            )
        if self.value is None:
            if self.unit is not None or self.comparator is not None:
                raise ValueError(
                    "a milestone (no value) has no unit or comparator; remove them, or add the value"
                )
        elif self.comparator is None:
            raise ValueError(
                "a target with a value needs a comparator; add at_least, at_most, about or exactly"
            )
        if self.deadline_text is not None and self.deadline is None:
            raise ValueError("deadline_text needs a deadline date; add deadline: YYYY-MM-DD")
        return self

    @property
    def is_milestone(self) -> bool:
        return self.value is None

    @property
    def owner(self) -> str:
        return f"measure {self.measure}" if self.measure is not None else f"area {self.area}"


class Allocation(Record):
    id: AllocationId
    label: Text
    amount: Amount
    unit: Text | None = None  # defaults to the budget's unit
    quote: Quote
    #: disbursements: each entry is the cumulative amount paid out as of its date
    progress: list[ProgressEntry] = Field(default_factory=list)


class Budget(Record):
    id: BudgetId
    document: DocumentId
    measure: Number
    total: Amount
    unit: Text
    quote: Quote
    allocations: list[Allocation] = Field(min_length=1)

    @model_validator(mode="after")
    def _ids_follow_budget(self) -> Budget:
        if self.id != f"B{self.measure}":
            raise ValueError(
                f"budget id {self.id} does not match its measure; "
                f"write B{self.measure} (B + the measure it funds)"
            )
        for allocation in self.allocations:
            if not allocation.id.startswith(f"{self.id}."):
                raise ValueError(f"allocation id {allocation.id} does not start with {self.id}.; renumber it")
        return self

    def unit_of(self, allocation: Allocation) -> str:
        return allocation.unit or self.unit

    def allocated(self) -> Decimal | None:
        """The allocations' sum in the budget's unit, exactly; None if a unit does not convert."""
        from .amounts import convert

        try:
            return sum(
                (Decimal(convert(a.amount, self.unit_of(a), self.unit)) for a in self.allocations), Decimal(0)
            )
        except ValueError:
            return None


def gross_sum(budgets: list[Budget], unit: str) -> Decimal:
    """The budgets' totals added up in ``unit`` exactly, counting funds that several areas share twice.

    Raises ``ValueError`` when a budget is not in money (L011 reports it).
    """
    from .amounts import convert

    return sum((Decimal(convert(b.total, b.unit, unit)) for b in budgets), Decimal(0))


class PoliciesFile(Record):
    """policies.yaml: the document, its policy areas and its measures."""

    documents: list[Document]
    areas: list[Area]
    measures: list[Measure]


class TargetsFile(Record):
    """targets.yaml: what each area and measure commits to."""

    targets: list[Target]


class BudgetsFile(Record):
    """budgets.yaml: the budgets that measures state, with their allocations."""

    budgets: list[Budget]


#: Each data file and the model of its whole content: the loader reads by it, the JSON Schema comes from it.
FILE_MODELS: dict[str, type[Record]] = {
    "policies.yaml": PoliciesFile,
    "targets.yaml": TargetsFile,
    "budgets.yaml": BudgetsFile,
}
