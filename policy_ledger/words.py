"""The words people read: column headers, states, and the short phrases inside cells and titles.

Data (``queries``) carries no words; every view (``output``, ``plain``, ``render``, ``report``) takes its
words from here. Each is written in English and read in the reader's language (``i18n``) when it is used:
``words.STATE`` is looked up at that moment, so the choice of ``--lang`` made while the command line is
read holds for everything shown after it. Words that are part of a machine-readable format (JSON keys, CSV
column names and the ``kind`` values of the budgets CSV) are not here: they never change with the reader's
language.
"""

from __future__ import annotations

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
        "report's date (a straight line). A rate or level (%, 倍), an at-most target, a milestone and a "
        "multi-year aim have none (—): they are judged as they stand."
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


def percent(share: object) -> str:
    return f"{share}%"


def separator() -> str:
    """Between the items of a list in a sentence: ``, ``, 、 in Chinese."""
    return _(", ")


# --- titles ---------------------------------------------------------------------------------------


def targets_as_of(day: str) -> str:
    return _("Targets (state as of {day})").format(day=day)


def status_targets_title(day: str) -> str:
    return _("Targets as of {day}").format(day=day)


def more_changed_lines(n: int, commit: str) -> str:
    return _("… {n} more changed lines (git show {commit})").format(n=n, commit=commit)


def budget_title(budget_id: str, total: str) -> str:
    return _("Budget {budget}: {total}").format(budget=budget_id, total=total)


def by_date(day: str) -> str:
    """After a target's value in ``ledger status``: `` by 2023-12-31``."""
    return _(" by {day}").format(day=day)


def over_horizon(horizon: str) -> str:
    """After a multi-year aim's value in ``ledger status``: `` (中长期内)``, in place of a date."""
    return f" ({horizon})"


def budgets_in(unit: str) -> str:
    return _("Budgets and their allocations, in {unit}").format(unit=unit)


def totals_per_area_in(unit: str) -> str:
    return _("Totals per area, in {unit}").format(unit=unit)


def overall_in(unit: str) -> str:
    return _("Overall, in {unit}").format(unit=unit)


def gross_sum_of(budgets: str) -> str:
    return _("Gross sum of {budgets}").format(budgets=budgets)


def paid_out_by(day: str, unit: str) -> str:
    """``ledger budgets``: the title of what each budget and allocation paid out by a date."""
    return _("Paid out by {day}, in {unit}").format(day=day, unit=unit)


def paid_out_per_area_by(day: str, unit: str) -> str:
    return _("Paid out per area and in total by {day}, in {unit}").format(day=day, unit=unit)


def reported_of(reported: int, allocations: int) -> str:
    """How many of a budget's allocations have a disbursement or 兑现 recorded: ``2 of 7``."""
    return _("{reported} of {allocations}").format(reported=reported, allocations=allocations)


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


def report_scope(kind: str, number: int) -> str:
    """After the report's title: ``: area 3`` or ``: measure 17``."""
    scopes = {"area": _(": area {number}"), "measure": _(": measure {number}")}
    return scopes[kind].format(number=number)


def gross_in(unit: str) -> str:
    return _("Gross ({unit})").format(unit=unit)


def area_heading(number: int, title: str) -> str:
    return _("Area {number}: {title}").format(number=number, title=title)


def goals_of_area(number: int) -> str:
    return _("Goals of area {number}:").format(number=number)


def measure_fallback(number: int) -> str:
    """A budget's measure when the measure itself did not load."""
    return _("measure {number}").format(number=number)


def budget_heading(budget_id: str, title: str, total: str) -> str:
    return _("Budget {budget}: {title}, {total}").format(budget=budget_id, title=title, total=total)


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


def milestone_line(target_id: str, what: str, state: str, latest: str, due: str) -> str:
    return _("{target} {what}: {state}{latest}, due {due}").format(
        target=target_id, what=what, state=state, latest=latest, due=due
    )


def milestone_latest(status: str, day: str) -> str:
    return _(" ({status} as of {day})").format(status=status, day=day)


def lead_scope(bureaus: str) -> str:
    """After the report's title, for ``--lead``: ``: lead 市经信局``."""
    return _(": lead {bureaus}").format(bureaus=bureaus)


def in_unit(header: str, unit: str) -> str:
    """A column of amounts, all in one unit: ``Paid out (亿元)``."""
    return _("{header} ({unit})").format(header=header, unit=unit)


def state_totals(day: str, total: int, counts: str) -> str:
    """The summary's first line: ``156 targets on 2023-06-30: 2 achieved, 1 behind, …``."""
    return ngettext(
        "{total} target on {day}: {counts}.", "{total} targets on {day}: {counts}.", total
    ).format(total=total, day=day, counts=counts)


def state_count(state: str, n: int) -> str:
    return _("{n} {state}").format(n=n, state=state)


def execution_caption(day: str, unit: str, net_of_overlaps: bool | None) -> str:
    """Under the summary's money tables: what the rate is, and why the stated total has none."""
    text = _(
        "Allocated and paid out by {day}, in {unit}. Execution rate (执行率): paid out as a share of the "
        "amount allocated; an allocation with nothing recorded counts as 0 paid ({none})."
    ).format(day=day, unit=unit, none=NONE)
    if net_of_overlaps is not None:
        text += " " + stated_total_not_paid(net_of_overlaps)
    return text


def elapsed_marker(percent: str) -> str:
    """Under the execution-rate bars of the HTML report: what the dashed line stands for."""
    return _("dashed line: {percent} of the year elapsed").format(percent=percent)


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


def attention_tail(leads: str, detail: str) -> str:
    """After the linked target or budget in 需关注: its lead bureau, then why it is listed."""
    return _(" — lead {leads}: {detail}").format(leads=leads, detail=detail)


def concern_against(state: str, reading: str, goal: str, due: str) -> str:
    return _("{state}, {reading} against {goal} due {due}").format(
        state=state, reading=reading, goal=goal, due=due
    )


def concern_not_reported(state: str, due: str) -> str:
    return _("{state}, nothing reported, due {due}").format(state=state, due=due)


def concern_behind(state: str, reading: str, expected: str, goal: str, due: str) -> str:
    return _("{state}, {reading} where {expected} is expected by now ({goal} by {due})").format(
        state=state, reading=reading, expected=expected, goal=goal, due=due
    )


def concern_due_soon(due: str, days: int, latest: str) -> str:
    return ngettext(
        "due {due}, in {days} day; latest: {latest}", "due {due}, in {days} days; latest: {latest}", days
    ).format(due=due, days=days, latest=latest)


def concern_silent(day: str, days: int) -> str:
    return _("last progress entry {day}, {days} days before").format(day=day, days=days)


def concern_never_reported(n: int, ids: str, day: str) -> str:
    return ngettext(
        "{n} target without any progress entry since {day}: {ids}",
        "{n} targets without any progress entry since {day}: {ids}",
        n,
    ).format(n=n, ids=ids, day=day)


def concern_budget(rate: str, paid: str, amount: str, reported: str) -> str:
    return _("execution rate {rate}%, {paid} paid out of {amount} ({reported} allocations reported)").format(
        rate=rate, paid=paid, amount=amount, reported=reported
    )


def entry_note(note: str, source: str) -> str:
    """After a milestone's line: the latest entry's note and source, where it has them."""
    parts = []
    if note:
        parts.append(_("note: {note}").format(note=note))
    if source:
        parts.append(_("source: {source}").format(source=source))
    return _(" — {parts}").format(parts=_("; ").join(parts)) if parts else ""


def changed_since(since: str) -> str:
    return _("What changed since {since}").format(since=since)


def compared_with(commit: str) -> str:
    return _("Compared with commit {commit}.").format(commit=commit)


def correction(record: str, fields: str) -> str:
    return f"{record}: {fields}"


def standard_set(instrument_id: str, document_number: str, standard: str) -> str:
    """Under a measure's instruments in ``ledger show``: the standard an issued 配套政策 sets."""
    return _("{instrument} standard ({document}): {standard}").format(
        instrument=instrument_id, document=document_number, standard=standard
    )


# --- numbers and dates as people type them (typed.py, progress.py, cli.py) -------------------------


def typed_unit(short: str, unit: str) -> str:
    """``亿 as 亿元``: money typed without 元."""
    return _("{short} as {unit}").format(short=short, unit=unit)


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


def short_year(typed: str) -> str:
    """``23/9/30``: a year of two digits (or a date without a year) could be read several ways."""
    return _(
        "'{typed}' is ambiguous: the year needs four digits, first; write YYYY-MM-DD, such as 2023-09-30"
    ).format(typed=typed)


def no_day(typed: str, month_end: str | None) -> str:
    """``2023年9月``: a month, not a day."""
    if month_end:
        return _(
            "'{typed}' names a month, not a day; write YYYY-MM-DD, such as {month_end} for the end of the "
            "month"
        ).format(typed=typed, month_end=month_end)
    return _("'{typed}' names a month, not a day; write YYYY-MM-DD").format(typed=typed)


# --- likely unit slips in a progress entry (progress.py): warnings, the entry is still recorded ----
def slip_percent(label: str, value: str, aim: str, meant: str, correction: str) -> str:
    """0.425 on a target of 42.5%: a share typed as a fraction."""
    return _(
        "{label} is measured in %: {value}% is below 1% against a target of {aim}%; "
        "if you meant {meant}%, correct it with {correction}"
    ).format(label=label, value=value, aim=aim, meant=meant, correction=correction)


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


def budgets_compared(unit: str) -> str:
    return _("Budgets and allocations (B − A; per area in {unit})").format(unit=unit)


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


def only_in(side: str, number: int, title: str) -> str:
    """An area that could not be aligned: ``A 5 交通强市… (only in A)``."""
    return _("{side} {number} {title} (only in {side})").format(side=side, number=number, title=title)


def family_caption(unit: str) -> str:
    return _(
        "This document (A) beside the others of its family (B): gross budget in {unit}, B − A, and how "
        "their targets moved (ledger compare A B shows each)."
    ).format(unit=unit)
