"""The words people read: column headers, states, and the short phrases inside cells and titles.

Data (``queries``) carries no words; every view (``output``, ``plain``, ``render``, ``report``) takes its
words from here, so a second interface language is a second catalogue of these names. Words that are part
of a machine-readable format (JSON keys, CSV column names and the ``kind`` values of the budgets CSV) are
not here: they never change with the reader's language.
"""

from __future__ import annotations

from .status import State

# --- column headers -------------------------------------------------------------------------------
ID = "ID"
NAME = "Instrument"
INSTRUMENTS = "Instruments"
PER_LEAD_INSTRUMENTS = "配套政策 and 兑现 per lead bureau"
PER_INSTRUMENT_PAID = "兑现 per instrument (latest, cumulative)"
DEFERRING = "Need 配套政策"
PENDING = "Pending"
RECIPIENTS = "Recipients"
FORM = "Form"
BASIS = "Basis"
FOR = "For"
FUNDED_BY = "Funded by"
STANDARD = "配套政策"
PAID = "兑现"
WHAT = "What"
VALUE = "Value"
TARGET = "Target"
COMMITMENT = "Commitment"
DUE = "Due"
LATEST = "Latest"
STATE = "State"
LEAD = "Lead"
NUMBER = "No."
AREA = "Area"
TITLE = "Title"
TARGETS = "Targets"
BUDGET = "Budget"
BUDGETS = "Budgets"
AS_OF = "As of"
READING = "Reading"
NOTE = "Note"
SOURCE = "Source"
MEASURE = "Measure"
TOTAL = "Total"
ALLOCATIONS = "Allocations"
ALLOCATION = "Allocation"
AMOUNT = "Amount"
SHARE = "Share"
SUM = "Sum"
PAID_OUT = "Paid out"
AS_WRITTEN = "As written"
MEASURE_OR_ALLOCATION = "Measure / allocation"
DATE = "Date"
AUTHOR = "Author"
COMMIT = "Commit"
CHANGE = "Change"
EXPECTED = "Expected"
AREA_AND_LEAD = "Area and lead"
ACHIEVED = "Achieved"
DOCUMENT = "Document"
BEFORE = "Before"
NOW = "Now"

# --- cells ----------------------------------------------------------------------------------------
NONE = "—"  # no amount, no budget, no date
NO_DATA = "no data"  # no progress entry yet
MILESTONE = "milestone"  # a target without a value
PAID_OUT_SUFFIX = " paid out"  # after a disbursement's amount
SUMS_TO_TOTAL = "= total"
NOT_TOTAL = "≠ total"
SUM_OF_ALLOCATIONS = "Sum of allocations"
ALLOCATIONS_SUM_TO = "allocations sum to"
FULL_SHARE = "100%"

#: How each state reads; the JSON keeps the states' own values. The Chinese interface will call them
#: 已完成 (achieved), 进度正常 (on track), 滞后 (behind), 逾期未完成 (overdue) and 未报送 (no report);
#: no data (no entry yet, before the deadline) has no Chinese name settled yet.
STATES: dict[State, str] = {
    State.ACHIEVED: "achieved",
    State.ON_TRACK: "on track",
    State.BEHIND: "behind",
    State.NO_DATA: "no data",
    State.OVERDUE: "overdue",
    State.NO_REPORT: "no report",
}
#: Singular nouns of what listings count, and their plurals.
NOUNS = {"target": "targets", "measure": "measures", "budget": "budgets", "entry": "entries"}


def not_equal(amount: str) -> str:
    """A sum that misses its total: ``≠ 31.5亿元``."""
    return f"≠ {amount}"


def count(n: int, noun: str) -> str:
    """``1 target``, ``26 targets``, ``0 entries``."""
    return f"{n} {noun if n == 1 else NOUNS.get(noun, noun + 's')}"


def percent(share: object) -> str:
    return f"{share}%"


# --- titles ---------------------------------------------------------------------------------------


def targets_as_of(day: str) -> str:
    return f"Targets (state as of {day})"


def status_targets_title(day: str) -> str:
    return f"Targets as of {day}"


PER_AREA = "Per area"
#: the report section of what the document asks of every area (target D1), before the areas
DOCUMENT_TARGETS = "The document's own targets"
NO_TARGETS = "Targets: none recorded (ledger validate reports this)"
#: a measure whose one number is its budget's total: what is paid out is followed, not a target
NO_TARGETS_FOLLOWED = "Targets: none; the measure is followed through what it funds and gives, below"
NO_HISTORY = "No committed history for these records."


def more_changed_lines(n: int, commit: str) -> str:
    return f"… {n} more changed lines (git show {commit})"


def budget_title(budget_id: str, total: str) -> str:
    return f"Budget {budget_id}: {total}"


def by_date(day: str) -> str:
    """After a target's value in ``ledger status``: `` by 2023-12-31``."""
    return f" by {day}"


def over_horizon(horizon: str) -> str:
    """After a multi-year aim's value in ``ledger status``: `` (中长期内)``, in place of a date."""
    return f" ({horizon})"


def budgets_in(unit: str) -> str:
    return f"Budgets and their allocations, in {unit}"


def totals_per_area_in(unit: str) -> str:
    return f"Totals per area, in {unit}"


def overall_in(unit: str) -> str:
    return f"Overall, in {unit}"


def gross_sum_of(budgets: str) -> str:
    return f"Gross sum of {budgets}"


STATED_TOTAL = "Stated total"
NET_OF_OVERLAPS = " (net of overlaps)"
IMPLIED_OVERLAP = "Implied overlap (gross − stated)"
EXECUTION = "Execution"  # 执行率: paid out as a share of the amount
REPORTED = "Reported"


def paid_out_by(day: str, unit: str) -> str:
    """``ledger budgets``: the title of what each budget and allocation paid out by a date."""
    return f"Paid out by {day}, in {unit}"


def paid_out_per_area_by(day: str, unit: str) -> str:
    return f"Paid out per area and in total by {day}, in {unit}"


def reported_of(reported: int, allocations: int) -> str:
    """How many of a budget's allocations have a disbursement or 兑现 recorded: ``2 of 7``."""
    return f"{reported} of {allocations}"


def not_reported_caption(day: str) -> str:
    return (
        f"{NONE}: nothing recorded by {day}, counted as 0. Reported: allocations with a disbursement "
        "or 兑现 recorded."
    )


def stated_total_not_paid(net_of_overlaps: bool) -> str:
    """Under the totals: why the stated total has no paid out beside it."""
    net = " is net of overlaps, but paid out" if net_of_overlaps else " is as the document gives it; paid out"
    return f"The stated total{net} adds up every budget, so the rate is of the gross sum."


#: How a target's value is meant, as one sign before the amount (``≥ 40亿元``).
COMPARATOR_SIGNS = {"at_least": "≥", "at_most": "≤", "about": "≈", "exactly": "="}


# --- ledger report --------------------------------------------------------------------------------
TITLE_ROW = "Title"
ISSUER = "Issuer"
ISSUED = "Issued"
REPORT_AS_OF = "Report as of"
OVERVIEW = "Overview"
MEASURES = "Measures"
BUDGET_BY_AREA = "Budget by area, gross"
SHARE_OF_GROSS = "Share of gross"
NONE_STATED = "none stated"
PROGRESS_ADDED = "Progress entries added:"
STATES_CHANGED = "Targets whose state changed:"
CORRECTIONS = "Data corrections:"
NOTHING_CHANGED = "Nothing changed in the data."


def report_scope(kind: str, number: int) -> str:
    """After the report's title: ``: area 3`` or ``: measure 17``."""
    return f": {kind} {number}"


def gross_in(unit: str) -> str:
    return f"Gross ({unit})"


def area_heading(number: int, title: str) -> str:
    return f"Area {number}: {title}"


def goals_of_area(number: int) -> str:
    return f"Goals of area {number}:"


def measure_fallback(number: int) -> str:
    """A budget's measure when the measure itself did not load."""
    return f"measure {number}"


def budget_heading(budget_id: str, title: str, total: str) -> str:
    return f"Budget {budget_id}: {title}, {total}"


def area_facts(leads: str, first: int | None, last: int | None, budget: str) -> str:
    if first is None:
        return f"Lead: {leads}."
    return f"Lead: {leads}. Measures {first}–{last}. Budget: {budget}."


def budget_overlap(count: int, gross: str, stated: str, net_of_overlaps: bool, overlap: str) -> str:
    net = " net of overlaps (剔除交叉重叠部分)" if net_of_overlaps else ""
    return (
        f"The {count} budgets add up to {gross} (gross). The document states {stated}{net}, "
        f"so {overlap} is counted by more than one area."
    )


def milestone_line(target_id: str, what: str, state: str, latest: str, due: str) -> str:
    return f"{target_id} {what}: {state}{latest}, due {due}"


def milestone_latest(status: str, day: str) -> str:
    return f" ({status} as of {day})"


def changed_since(since: str) -> str:
    return f"What changed since {since}"


def compared_with(commit: str) -> str:
    return f"Compared with commit {commit}."


#: under "What changed since 2023-07-01": a date compares progress dates, not commits
REPORTED_SINCE = (
    "Progress entries dated on or after that day, and the states they moved; corrections to the records "
    "are listed when --since names a git revision."
)


def correction(record: str, fields: str) -> str:
    return f"{record}: {fields}"


def standard_set(instrument_id: str, document_number: str, standard: str) -> str:
    """Under a measure's instruments in ``ledger show``: the standard an issued 配套政策 sets."""
    return f"{instrument_id} standard ({document_number}): {standard}"


# --- numbers and dates as people type them (typed.py, progress.py, cli.py) -------------------------
#: What reading a typed number or date changed, inside the note that says so.
TYPED_FULL_WIDTH = "full-width characters"
TYPED_THOUSANDS = "thousands separators"
TYPED_DATE = "date written YYYY-MM-DD"


def typed_unit(short: str, unit: str) -> str:
    """``亿 as 亿元``: money typed without 元."""
    return f"{short} as {unit}"


def read_as(option: str, typed: str, canonical: str, changes: tuple[str, ...]) -> str:
    """The note on stderr when typed input was read into the canonical spelling:
    ``read --value ２３．５亿 as 23.5亿元 (full-width characters, 亿 as 亿元)``."""
    return f"read {option} {typed} as {canonical} ({', '.join(changes)})"


def _whichever(readings: list[str], otherwise: str) -> str:
    """What to write for input that could be read several ways: each real reading, else ``otherwise``."""
    if len(readings) > 1:
        return f"write {' or '.join(readings)}, whichever you mean"
    return f"write {readings[0]} if that is what you mean" if readings else otherwise


def ambiguous_separators(typed: str, readings: list[str]) -> str:
    """``1,00``: a comma that does not separate thousands could mean more than one number."""
    advice = _whichever(readings, "write the number without separators, such as 1000")
    return f"'{typed}' is ambiguous: a comma separates thousands in groups of three digits (1,000); {advice}"


def year_last(typed: str, readings: list[str]) -> str:
    """``9/30/2023``: with the year last, which number is the month is a guess."""
    advice = _whichever(readings, "write YYYY-MM-DD, such as 2023-09-30")
    return f"'{typed}' is ambiguous: the year comes last, so the month could be either number; {advice}"


def short_year(typed: str) -> str:
    """``23/9/30``: a year of two digits (or a date without a year) could be read several ways."""
    return f"'{typed}' is ambiguous: the year needs four digits, first; write YYYY-MM-DD, such as 2023-09-30"


def no_day(typed: str, month_end: str | None) -> str:
    """``2023年9月``: a month, not a day."""
    advice = f", such as {month_end} for the end of the month" if month_end else ""
    return f"'{typed}' names a month, not a day; write YYYY-MM-DD{advice}"


# --- likely unit slips in a progress entry (progress.py): warnings, the entry is still recorded ----
def slip_percent(label: str, value: str, aim: str, meant: str, correction: str) -> str:
    """0.425 on a target of 42.5%: a share typed as a fraction."""
    return (
        f"{label} is measured in %: {value}% is below 1% against a target of {aim}%; "
        f"if you meant {meant}%, correct it with {correction}"
    )


def slip_over_allocation(label: str, paid: str, amount: str, drawn_on: tuple[str, ...]) -> str:
    """A disbursement above the allocation it is paid from: the record's own amount (``drawn_on`` empty),
    or the allocations an instrument draws on."""
    if not drawn_on:
        ceiling = f"its amount, {amount}"
    else:
        allocations = "allocation" if len(drawn_on) == 1 else "allocations"
        ceiling = f"the {amount} of {allocations} {', '.join(drawn_on)} it is paid from"
    return (
        f"{label}: {paid} paid out is more than {ceiling}; "
        "check the digits and the unit, and correct the entry with --replace if they are wrong"
    )


def slip_times_target(label: str, value: str, times: int, aim: str) -> str:
    """A reading 100 times the target or more: a unit or a point slipped."""
    return (
        f"{label}: {value} is {times} times its target of {aim}; "
        "check the digits and the unit, and correct the entry with --replace if they are wrong"
    )
