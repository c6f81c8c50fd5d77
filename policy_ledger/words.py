"""The words people read: column headers, states, and the short phrases inside cells and titles.

Data (``queries``) carries no words; every view (``output``, ``plain``, ``report``) takes its
words from here. Each is written in English and read in the reader's language (``i18n``) when it is used:
``words.STATE`` is looked up at that moment, so the choice of ``--lang`` made while the command line is
read holds for everything shown after it. Words that are part of a machine-readable format (JSON keys, CSV
column names and the ``kind`` values of the budgets CSV) are not here: they never change with the reader's
language.
"""

from __future__ import annotations

from string import Formatter

from .i18n import N_, _, ngettext, pgettext
from .status import State

NONE = "—"  # no amount, no budget, no date: a sign, the same in every language
FULL_SHARE = "100%"

#: Every word that stands alone, by the name the views use (``words.STATE``).
_WORDS = {
    # column headers
    "ID": N_("ID"),
    "NAME": N_("Instrument"),
    "INSTRUMENTS": N_("Instruments"),
    "PER_LEAD_INSTRUMENTS": N_("配套政策 and 兑现 per lead bureau"),
    "PER_INSTRUMENT_PAID": N_("兑现 per instrument (latest, cumulative)"),
    "DEFERRING": N_("Need 配套政策"),
    "PENDING": N_("Pending"),
    "RECIPIENTS": N_("Recipients"),
    "FORM": N_("Form"),
    "BASIS": N_("Basis"),
    "FOR": N_("For"),
    "FUNDED_BY": N_("Funded by"),
    "STANDARD": N_("配套政策"),
    "PAID": N_("兑现"),
    "WHAT": N_("What"),
    "VALUE": N_("Value"),
    "TARGET": N_("Target"),
    "COMMITMENT": N_("Commitment"),
    "DUE": N_("Due"),
    "LATEST": N_("Latest"),
    "STATE": N_("State"),
    "LEAD": N_("Lead"),
    "NUMBER": N_("No."),
    "AREA": N_("Area"),
    "TITLE": N_("Title"),
    "TARGETS": N_("Targets"),
    "BUDGET": N_("Budget"),
    "BUDGETS": N_("Budgets"),
    "ENTRIES": N_("Entries"),
    "AS_OF": N_("As of"),
    "READING": N_("Reading"),
    "NOTE": N_("Note"),
    "SOURCE": N_("Source"),
    "MEASURE": N_("Measure"),
    "TOTAL": N_("Total"),
    "ALLOCATIONS": N_("Allocations"),
    "ALLOCATION": N_("Allocation"),
    "AMOUNT": N_("Amount"),
    "SHARE": N_("Share"),
    "SUM": N_("Sum"),
    "PAID_OUT": N_("Paid out"),
    "AS_WRITTEN": N_("As written"),
    "MEASURE_OR_ALLOCATION": N_("Measure / allocation"),
    "DATE": N_("Date"),
    "AUTHOR": N_("Author"),
    "COMMIT": N_("Commit"),
    "CHANGE": N_("Change"),
    "EXPECTED": N_("Expected"),
    "AREA_AND_LEAD": N_("Area and lead"),
    "ACHIEVED": N_("Achieved"),
    "DOCUMENT": N_("Document"),
    "BEFORE": N_("Before"),
    "NOW": N_("Now"),
    "DIFFERENCE": N_("Difference"),
    "NUMBER_ROW": N_("Number"),
    "DOCUMENT_ID": N_("Document id"),
    "GROSS_SUM": N_("Gross sum of budgets"),
    "COMPARED": N_("Documents compared"),
    "COMPARED_AREAS": N_("Areas, aligned by title"),
    "COMPARED_TARGETS": N_("Targets, matched by what they measure"),
    "DOCUMENT_OWN": N_("Document"),  # the document's own targets (D1), in a column of areas
    "OTHER_DOCUMENTS": N_("Other documents of the family"),
    # cells
    "NO_DATA": N_("no data"),  # no progress entry yet
    "MILESTONE": N_("milestone"),  # a target without a value
    "PAID_OUT_SUFFIX": N_(" paid out"),  # after a disbursement's amount
    "SUMS_TO_TOTAL": N_("= total"),
    "NOT_TOTAL": N_("≠ total"),
    "SUM_OF_ALLOCATIONS": N_("Sum of allocations"),
    "ALLOCATIONS_SUM_TO": N_("allocations sum to"),
    # titles and captions
    "PER_AREA": N_("Per area"),
    "DOCUMENT_TARGETS": N_("The document's own targets"),
    "NO_TARGETS": N_("Targets: none recorded (ledger validate reports this)"),
    "NO_TARGETS_FOLLOWED": N_(
        "Targets: none; the measure is followed through what it funds and gives, below"
    ),
    "NO_HISTORY": N_("No committed history for these records."),
    "STATED_TOTAL": N_("Stated total"),
    "NET_OF_OVERLAPS": N_(" (net of overlaps)"),
    "IMPLIED_OVERLAP": N_("Implied overlap (gross − stated)"),
    "EXECUTION": N_("Execution"),  # 执行率: paid out as a share of the amount
    "REPORTED": N_("Reported"),
    # ledger report
    "TITLE_ROW": N_("Title"),
    "ISSUER": N_("Issuer"),
    "ISSUED": N_("Issued"),
    "REPORT_AS_OF": N_("Report as of"),
    "MEASURES": N_("Measures"),
    "BUDGET_BY_AREA": N_("Budget by area, gross"),
    "SHARE_OF_GROSS": N_("Share of gross"),
    "NONE_STATED": N_("none stated"),
    "PROGRESS_ADDED": N_("Progress entries added:"),
    "STATES_CHANGED": N_("Targets whose state changed:"),
    "CORRECTIONS": N_("Data corrections:"),
    "NOTHING_CHANGED": N_("Nothing changed in the data."),
    "SUMMARY": N_("Summary"),
    "NEEDS_ATTENTION": N_("Needs attention"),
    "STATES_PER_AREA": N_("Targets by state, per area"),
    "STATES_PER_LEAD": N_("Targets by state, per lead bureau"),
    "EXECUTION_PER_BUDGET": N_("Execution rate per budget"),
    "EXPECTED_BY_NOW": N_("Expected by now"),
    "ALL_BUDGETS": N_("All budgets (gross)"),
    "THESE_BUDGETS": N_("Budgets in this report"),
    "NOTHING_NEEDS_ATTENTION": N_("Nothing needs attention on this date."),
    "EXPECTED_RULE": N_(
        "Expected by now: for a quantity counted up over the period (亿元, 亩, 家, …), the target's value "
        "times the share of the time from the period's start to its deadline that has passed on the "
        "report's date (a straight line). A rate or level (%, 倍, or a count or balance that stands on a "
        "date, such as 规上工业企业 2150家), an at-most target, a milestone and a multi-year aim have none "
        "(—): they are judged as they stand."
    ),
    "REPORTED_SINCE": N_(
        "Progress entries dated on or after that day, and the states they moved; corrections to the "
        "records are listed when --since names a git revision."
    ),
    # numbers and dates as people type them (typed.py, progress.py, cli.py)
    "TYPED_FULL_WIDTH": N_("full-width characters"),
    "TYPED_THOUSANDS": N_("thousands separators"),
    "TYPED_DATE": N_("date written YYYY-MM-DD"),
}


def __getattr__(name: str) -> str:
    """``words.STATE``: the word in the reader's language."""
    try:
        return _(_WORDS[name])
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None


#: How each state reads; the JSON keeps the states' own values. The Chinese words are the ones a 督查
#: uses: 已完成, 进度正常, 滞后, 逾期未完成, 未报送, and 待报送 for a target not yet due without an entry.
_STATES = {
    State.ACHIEVED: N_("achieved"),
    State.ON_TRACK: N_("on track"),
    State.BEHIND: N_("behind"),
    State.NO_DATA: N_("no data"),
    State.OVERDUE: N_("overdue"),
    State.NO_REPORT: N_("no report"),
}


#: How a target moved from one document to the other (``compare.Change``); the JSON keeps the values.
_CHANGES = {
    "raised": N_("raised"),
    "lowered": N_("lowered"),
    "unchanged": N_("unchanged"),
    "dropped": N_("dropped"),
    "added": N_("added"),
    "unit_changed": N_("unit changed"),
    "comparator_changed": N_("comparator changed"),
    "kind_changed": N_("milestone ↔ quantity"),
}


def change(value: str) -> str:
    """How a target moved: ``raised``, 提高. A target dropped from a document is not a milestone dropped
    (已取消): it has a context of its own."""
    if value == "dropped":
        return pgettext("change", "dropped")
    return _(_CHANGES[value])


def state(value: State) -> str:
    """How a state reads: ``on track``, 进度正常."""
    return _(_STATES[value])


#: How a target's value is meant: a sign before the amount in English (``≥ 40亿元``), the document's own
#: word after it in Chinese (40亿元以上).
_QUANTITIES = {
    "at_least": N_("≥ {amount}"),
    "at_most": N_("≤ {amount}"),
    "about": N_("≈ {amount}"),
    "exactly": N_("= {amount}"),
}


def quantity(comparator: str | None, amount: str) -> str:
    """A target's value as it is meant: ``≥ 40亿元``, 40亿元以上."""
    return _(_QUANTITIES[comparator or "exactly"]).format(amount=amount)


#: The values of the data's lists of choices (an instrument's form, recipients and basis, a milestone's
#: status), as people read them; English shows the data's own spelling.
_VALUES = {
    "subsidy": N_("subsidy"),
    "award": N_("award"),
    "interest_subsidy": N_("interest_subsidy"),
    "tax_fee_relief": N_("tax_fee_relief"),
    "land": N_("land"),
    "planning": N_("planning"),
    "quota": N_("quota"),
    "financing": N_("financing"),
    "service": N_("service"),
    "enterprise": N_("enterprise"),
    "village_collective": N_("village_collective"),
    "person": N_("person"),
    "project": N_("project"),
    "institution": N_("institution"),
    "this_policy": N_("this_policy"),
    "supporting_policy": N_("supporting_policy"),
    "higher_policy": N_("higher_policy"),
    "in_progress": N_("in_progress"),
    "done": N_("done"),
    "dropped": N_("dropped"),
}


def value(choice: str) -> str:
    """One of the data's choices as people read it: ``financing``, 融资."""
    return _(_VALUES[choice]) if choice in _VALUES else choice


#: How firmly the document commits to a target: 确保 (firm), 力争 or 争取 (stretch), no word (plain).
_COMMITMENTS = {"firm": N_("firm"), "stretch": N_("stretch"), "plain": N_("plain")}


def commitment(value: str) -> str:
    """A commitment as people read it: ``firm``, 确保."""
    return _(_COMMITMENTS[value]) if value in _COMMITMENTS else value


def not_equal(amount: str) -> str:
    """A sum that misses its total: ``≠ 31.5亿元``."""
    return f"≠ {amount}"


def count(n: int, noun: str) -> str:
    """``1 target``, ``26 targets``, ``0 entries``; 26个目标."""
    forms = {
        "target": ngettext("{n} target", "{n} targets", n),
        "measure": ngettext("{n} measure", "{n} measures", n),
        "budget": ngettext("{n} budget", "{n} budgets", n),
        "instrument": ngettext("{n} instrument", "{n} instruments", n),
        "entry": ngettext("{n} entry", "{n} entries", n),
    }
    return forms[noun].format(n=n)


def standards_issued() -> str:
    """The column of 配套政策 issued, beside those needed (``ISSUED`` is the date a document was issued)."""
    return pgettext("standards", "Issued")


def recipients(n: int) -> str:
    """How many received a 兑现: ``12 recipients``, 12个对象."""
    return ngettext("{n} recipient", "{n} recipients", n).format(n=n)


class Phrase:
    """A sentence with places for values, said in the reader's language when it is called:
    ``area_heading = Phrase(N_("Area {number}: {title}"), "number title")``, then
    ``words.area_heading(3, "…")``. ``names`` gives the order of the values, so that the English
    template may place them in any order, as the Chinese does."""

    def __init__(self, template: str, names: str) -> None:
        self.template = template
        self.names = names.split()
        placed = {name for _text, name, _spec, _conversion in Formatter().parse(template) if name}
        if placed != set(self.names):  # a misspelt name fails at import, not when the phrase is said
            raise ValueError(f"{template!r} has the places {sorted(placed)}, not {self.names}")

    def __call__(self, *values: object) -> str:
        return _(self.template).format(**dict(zip(self.names, values, strict=True)))


def percent(share: object) -> str:
    return f"{share}%"


def separator() -> str:
    """Between the items of a list in a sentence: ``, ``, 、 in Chinese."""
    return _(", ")


# --- titles ---------------------------------------------------------------------------------------


targets_as_of = Phrase(N_("Targets (state as of {day})"), "day")
status_targets_title = Phrase(N_("Targets as of {day}"), "day")
more_changed_lines = Phrase(N_("… {n} more changed lines (git show {commit})"), "n commit")
budget_title = Phrase(N_("Budget {budget}: {total}"), "budget total")
#: After a target's value in ``ledger status``: `` by 2023-12-31``.
by_date = Phrase(N_(" by {day}"), "day")


def over_horizon(horizon: str) -> str:
    """After a multi-year aim's value in ``ledger status``: `` (中长期内)``, in place of a date."""
    return f" ({horizon})"


budgets_in = Phrase(N_("Budgets and their allocations, in {unit}"), "unit")
totals_per_area_in = Phrase(N_("Totals per area, in {unit}"), "unit")
overall_in = Phrase(N_("Overall, in {unit}"), "unit")
gross_sum_of = Phrase(N_("Gross sum of {budgets}"), "budgets")
#: ``ledger budgets``: the title of what each budget and allocation paid out by a date.
paid_out_by = Phrase(N_("Paid out by {day}, in {unit}"), "day unit")
paid_out_per_area_by = Phrase(N_("Paid out per area and in total by {day}, in {unit}"), "day unit")
#: How many of a budget's allocations have a disbursement or 兑现 recorded: ``2 of 7``.
reported_of = Phrase(N_("{reported} of {allocations}"), "reported allocations")


def not_reported_caption(day: str) -> str:
    return _(
        "{none}: nothing recorded by {day}, counted as 0. Reported: allocations with a disbursement "
        "or 兑现 recorded."
    ).format(none=NONE, day=day)


def stated_total_not_paid(net_of_overlaps: bool) -> str:
    """Under the totals: why the stated total has no paid out beside it."""
    if net_of_overlaps:
        return _(
            "The stated total is net of overlaps, but paid out adds up every budget, so the rate is of "
            "the gross sum."
        )
    return _(
        "The stated total is as the document gives it; paid out adds up every budget, so the rate is of "
        "the gross sum."
    )


# --- ledger report --------------------------------------------------------------------------------


#: After the report's title: ``: area 3`` or ``: measure 17``.
area_scope = Phrase(N_(": area {number}"), "number")
measure_scope = Phrase(N_(": measure {number}"), "number")
gross_in = Phrase(N_("Gross ({unit})"), "unit")
area_heading = Phrase(N_("Area {number}: {title}"), "number title")
goals_of_area = Phrase(N_("Goals of area {number}:"), "number")
#: A budget's measure when the measure itself did not load.
measure_fallback = Phrase(N_("measure {number}"), "number")
budget_heading = Phrase(N_("Budget {budget}: {title}, {total}"), "budget title total")


def area_facts(leads: str, first: int | None, last: int | None, budget: str) -> str:
    if first is None:
        return _("Lead: {leads}.").format(leads=leads)
    return _("Lead: {leads}. Measures {first}–{last}. Budget: {budget}.").format(
        leads=leads, first=first, last=last, budget=budget
    )


def budget_overlap(count: int, gross: str, stated: str, net_of_overlaps: bool, overlap: str) -> str:
    if net_of_overlaps:
        message = _(
            "The {count} budgets add up to {gross} (gross). The document states {stated} net of overlaps "
            "(剔除交叉重叠部分), so {overlap} is counted by more than one area."
        )
    else:
        message = _(
            "The {count} budgets add up to {gross} (gross). The document states {stated}, so {overlap} is "
            "counted by more than one area."
        )
    return message.format(count=count, gross=gross, stated=stated, overlap=overlap)


milestone_line = Phrase(N_("{target} {what}: {state}{latest}, due {due}"), "target what state latest due")
milestone_latest = Phrase(N_(" ({status} as of {day})"), "status day")
#: After the report's title, for ``--lead``: ``: lead 市经信局``.
lead_scope = Phrase(N_(": lead {bureaus}"), "bureaus")
#: A column of amounts, all in one unit: ``Paid out (亿元)``.
in_unit = Phrase(N_("{header} ({unit})"), "header unit")


def state_totals(day: str, total: int, counts: str) -> str:
    """The summary's first line: ``156 targets on 2023-06-30: 2 achieved, 1 behind, …``."""
    return ngettext(
        "{total} target on {day}: {counts}.", "{total} targets on {day}: {counts}.", total
    ).format(total=total, day=day, counts=counts)


state_count = Phrase(N_("{n} {state}"), "state n")


def execution_caption(day: str, unit: str, net_of_overlaps: bool | None) -> str:
    """Under the summary's money tables: what the rate is, and why the stated total has none."""
    text = _(
        "Allocated and paid out by {day}, in {unit}. Execution rate (执行率): paid out as a share of the "
        "amount allocated; an allocation with nothing recorded counts as 0 paid ({none})."
    ).format(day=day, unit=unit, none=NONE)
    if net_of_overlaps is not None:
        text += " " + stated_total_not_paid(net_of_overlaps)
    return text


#: Under the execution-rate bars of the HTML report: what the dashed line stands for.
elapsed_marker = Phrase(N_("dashed line: {percent} of the year elapsed"), "percent")


def stated_total_row(net_of_overlaps: bool) -> str:
    return _("Stated total, net of overlaps") if net_of_overlaps else _(_WORDS["STATED_TOTAL"])


def attention_caption(
    day: str, silent_days: int, reporting_from: str, due_soon_days: int, elapsed: str, floor: str | None
) -> str:
    """The rules of 需关注 (``briefing``), said once under its heading."""
    text = _(
        "On {day}: targets past their deadline and not achieved, and targets behind (滞后: below the "
        "straight line to their deadline, a rate below its value, a milestone dropped); milestones due "
        "within {due_soon_days} days; targets not achieved without a progress entry for more than "
        "{silent_days} days (reporting began {reporting_from})."
    ).format(day=day, due_soon_days=due_soon_days, silent_days=silent_days, reporting_from=reporting_from)
    if floor is None:
        return text + _(
            " Budgets: {elapsed}% of the year has passed, too early to judge the execution rate."
        ).format(elapsed=elapsed)
    return text + _(
        " Budgets whose execution rate is below half the share of the year elapsed: {elapsed}% has "
        "passed, so below {floor}%."
    ).format(elapsed=elapsed, floor=floor)


def concern_title(concern: str, n: int) -> str:
    """Each group of 需关注, with how many it holds."""
    titles = {
        "overdue": ngettext("Overdue: {n} target", "Overdue: {n} targets", n),
        "behind": ngettext("Behind: {n} target", "Behind: {n} targets", n),
        "due soon": ngettext("Milestones due soon: {n}", "Milestones due soon: {n}", n),
        "silent": ngettext(
            "No progress entry for more than a quarter: {n} target",
            "No progress entry for more than a quarter: {n} targets",
            n,
        ),
        "budgets": ngettext("Low execution rate: {n} budget", "Low execution rate: {n} budgets", n),
    }
    return titles[concern].format(n=n)


#: After the linked target or budget in 需关注: its lead bureau, then why it is listed.
attention_tail = Phrase(N_(" — lead {leads}: {detail}"), "leads detail")
concern_against = Phrase(N_("{state}, {reading} against {goal} due {due}"), "state reading goal due")
concern_not_reported = Phrase(N_("{state}, nothing reported, due {due}"), "state due")
concern_behind = Phrase(
    N_("{state}, {reading} where {expected} is expected by now ({goal} by {due})"),
    "state reading expected goal due",
)


def concern_due_soon(due: str, days: int, latest: str) -> str:
    return ngettext(
        "due {due}, in {days} day; latest: {latest}", "due {due}, in {days} days; latest: {latest}", days
    ).format(due=due, days=days, latest=latest)


concern_silent = Phrase(N_("last progress entry {day}, {days} days before"), "day days")


def concern_never_reported(n: int, ids: str, day: str) -> str:
    return ngettext(
        "{n} target without any progress entry since {day}: {ids}",
        "{n} targets without any progress entry since {day}: {ids}",
        n,
    ).format(n=n, ids=ids, day=day)


concern_budget = Phrase(
    N_("execution rate {rate}%, {paid} paid out of {amount} ({reported} allocations reported)"),
    "rate paid amount reported",
)


def entry_note(note: str, source: str) -> str:
    """After a milestone's line: the latest entry's note and source, where it has them."""
    parts = []
    if note:
        parts.append(_("note: {note}").format(note=note))
    if source:
        parts.append(_("source: {source}").format(source=source))
    return _(" — {parts}").format(parts=_("; ").join(parts)) if parts else ""


changed_since = Phrase(N_("What changed since {since}"), "since")
compared_with = Phrase(N_("Compared with commit {commit}."), "commit")


def correction(record: str, fields: str) -> str:
    return f"{record}: {fields}"


#: Under a measure's instruments in ``ledger show``: the standard an issued 配套政策 sets.
standard_set = Phrase(N_("{instrument} standard ({document}): {standard}"), "instrument document standard")


# --- numbers and dates as people type them (typed.py, progress.py, cli.py) -------------------------


#: ``亿 as 亿元``: money typed without 元.
typed_unit = Phrase(N_("{short} as {unit}"), "short unit")


def read_as(option: str, typed: str, canonical: str, changes: tuple[str, ...]) -> str:
    """The note on stderr when typed input was read into the canonical spelling:
    ``read --value ２３．５亿 as 23.5亿元 (full-width characters, 亿 as 亿元)``."""
    return _("read {option} {typed} as {canonical} ({changes})").format(
        option=option, typed=typed, canonical=canonical, changes=_(", ").join(changes)
    )


def _whichever(readings: list[str], otherwise: str) -> str:
    """What to write for input that could be read several ways: each real reading, else ``otherwise``."""
    if len(readings) > 1:
        return _("write {readings}, whichever you mean").format(readings=_(" or ").join(readings))
    if readings:
        return _("write {reading} if that is what you mean").format(reading=readings[0])
    return otherwise


def ambiguous_separators(typed: str, readings: list[str]) -> str:
    """``1,00``: a comma that does not separate thousands could mean more than one number."""
    advice = _whichever(readings, _("write the number without separators, such as 1000"))
    return _(
        "'{typed}' is ambiguous: a comma separates thousands in groups of three digits (1,000); {advice}"
    ).format(typed=typed, advice=advice)


def year_last(typed: str, readings: list[str]) -> str:
    """``9/30/2023``: with the year last, which number is the month is a guess."""
    advice = _whichever(readings, _("write YYYY-MM-DD, such as 2023-09-30"))
    return _(
        "'{typed}' is ambiguous: the year comes last, so the month could be either number; {advice}"
    ).format(typed=typed, advice=advice)


#: ``23/9/30``: a year of two digits (or a date without a year) could be read several ways.
short_year = Phrase(
    N_("'{typed}' is ambiguous: the year needs four digits, first; write YYYY-MM-DD, such as 2023-09-30"),
    "typed",
)


def no_day(typed: str, month_end: str | None) -> str:
    """``2023年9月``: a month, not a day."""
    if month_end:
        return _(
            "'{typed}' names a month, not a day; write YYYY-MM-DD, such as {month_end} for the end of the "
            "month"
        ).format(typed=typed, month_end=month_end)
    return _("'{typed}' names a month, not a day; write YYYY-MM-DD").format(typed=typed)


# --- likely unit slips in a progress entry (progress.py): warnings, the entry is still recorded ----
#: 0.425 on a target of 42.5%: a share typed as a fraction.
slip_percent = Phrase(
    N_(
        "{label} is measured in %: {value}% is below 1% against a target of {aim}%; "
        "if you meant {meant}%, correct it with {correction}"
    ),
    "label value aim meant correction",
)


_CHECK_AND_CORRECT = N_(
    "check the digits and the unit, and correct the entry with --replace if they are wrong"
)


def slip_over_allocation(label: str, paid: str, amount: str, drawn_on: tuple[str, ...]) -> str:
    """A disbursement above the allocation it is paid from: the record's own amount (``drawn_on`` empty),
    or the allocations an instrument draws on."""
    if not drawn_on:
        ceiling = _("its amount, {amount}").format(amount=amount)
    else:
        ceiling = ngettext(
            "the {amount} of allocation {allocations} it is paid from",
            "the {amount} of allocations {allocations} it is paid from",
            len(drawn_on),
        ).format(amount=amount, allocations=_(", ").join(drawn_on))
    return _("{label}: {paid} paid out is more than {ceiling}; {advice}").format(
        label=label, paid=paid, ceiling=ceiling, advice=_(_CHECK_AND_CORRECT)
    )


def slip_times_target(label: str, value: str, times: int, aim: str) -> str:
    """A reading 100 times the target or more: a unit or a point slipped."""
    return _("{label}: {value} is {times} times its target of {aim}; {advice}").format(
        label=label, value=value, times=times, aim=aim, advice=_(_CHECK_AND_CORRECT)
    )


# --- ledger compare -------------------------------------------------------------------------------


budgets_compared = Phrase(N_("Budgets and allocations (B − A; per area in {unit})"), "unit")


def targets_changes(counts: dict[str, int]) -> str:
    """The caption of the compared targets."""
    return _("Targets: {changes}.").format(changes=changes_of(counts) or NONE)


def changes_of(counts: dict[str, int]) -> str:
    """``2 raised, 1 lowered, 151 unchanged``: the changes that occur, in their order."""
    return _(", ").join(_("{n} {change}").format(n=n, change=change(name)) for name, n in counts.items() if n)


def areas_aligned(aligned: int, by_similarity: int, unaligned: str) -> str:
    """The caption of the compared areas: how many aligned, and which could not be."""
    text = ngettext("{n} area aligned", "{n} areas aligned", aligned).format(n=aligned)
    if by_similarity:
        text += _(" ({n} by similar titles, ≈ the ratio)").format(n=by_similarity)
    if unaligned:
        text += _("; not aligned: {areas}").format(areas=unaligned)
    return text + "."


#: An area that could not be aligned: ``A 5 交通强市… (only in A)``.
only_in = Phrase(N_("{side} {number} {title} (only in {side})"), "side number title")
family_caption = Phrase(
    N_(
        "This document (A) beside the others of its family (B): gross budget in {unit}, B − A, and how "
        "their targets moved (ledger compare A B shows each)."
    ),
    "unit",
)
