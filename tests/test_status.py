"""A target's state on a date, judged by its comparator and the share of its period elapsed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from policy_ledger.ledger import Ledger
from policy_ledger.loader import load_ledger
from policy_ledger.models import ProgressEntry, Target
from policy_ledger.status import State, elapsed_share, expected_by_now, ledger_status, target_status

from .conftest import REAL_DATA


@pytest.fixture(scope="module")
def ledger() -> Ledger:
    return load_ledger(REAL_DATA)[0]


def with_entries(ledger: Ledger, target_id: str, *entries: tuple[str, object]) -> Target:
    """The target with progress entries (date, value or status) added, leaving the ledger as it was."""
    target = next(t for t in ledger.targets if t.id == target_id)
    progress = []
    for day, reading in entries:
        if isinstance(reading, str) and not reading[0].isdigit():
            progress.append(ProgressEntry(as_of=date.fromisoformat(day), status=reading))  # type: ignore[arg-type]
        else:
            progress.append(
                ProgressEntry(as_of=date.fromisoformat(day), value=Decimal(str(reading)), unit=target.unit)
            )
    return target.model_copy(update={"progress": progress})


def state(ledger: Ledger, target: Target, day: str) -> State:
    return target_status(ledger, target, date.fromisoformat(day)).state


def test_the_issues_example_40_yi_at_least(ledger: Ledger) -> None:
    on_track = with_entries(ledger, "17.1", ("2023-06-30", "23.5"))
    behind = with_entries(ledger, "17.1", ("2023-06-30", "10"))
    assert state(ledger, on_track, "2023-06-30") == State.ON_TRACK
    assert state(ledger, behind, "2023-06-30") == State.BEHIND
    status = target_status(ledger, on_track, date(2023, 6, 30))
    assert status.expected == Decimal("19.78")  # 40亿元 × 180/364 of the year


def test_cumulative_target_reached_is_achieved_even_early(ledger: Ledger) -> None:
    target = with_entries(ledger, "17.1", ("2023-06-30", "23.5"), ("2023-10-31", "41"))
    assert state(ledger, target, "2023-11-01") == State.ACHIEVED
    assert state(ledger, target, "2023-07-01") == State.ON_TRACK  # later entries do not count yet


def test_never_reported_is_no_report_not_overdue(ledger: Ledger) -> None:
    """17.1 ≥ 40亿元 by 2023-12-31: with no entry it is no data, then no report once the deadline passed."""
    target = with_entries(ledger, "17.1")
    assert state(ledger, target, "2023-06-30") == State.NO_DATA
    assert state(ledger, target, "2023-12-31") == State.NO_DATA  # the deadline day itself is not past it
    assert state(ledger, target, "2024-01-01") == State.NO_REPORT
    # an entry dated after the as-of date does not count: on that date nothing was reported
    late = with_entries(ledger, "17.1", ("2024-02-01", "41"))
    assert state(ledger, late, "2024-01-01") == State.NO_REPORT
    assert state(ledger, late, "2024-02-01") == State.ACHIEVED


def test_overdue_is_a_short_latest_entry_after_the_deadline(ledger: Ledger) -> None:
    short = with_entries(ledger, "17.1", ("2023-12-31", "30"))
    assert state(ledger, short, "2024-01-01") == State.OVERDUE
    met = with_entries(ledger, "17.1", ("2023-12-31", "40"))
    assert state(ledger, met, "2024-01-01") == State.ACHIEVED
    # the latest entry decides: an early short reading followed by a met one is achieved, and the reverse
    # (a correction downwards) is overdue
    assert state(
        ledger, with_entries(ledger, "17.1", ("2023-06-30", "10"), ("2023-12-31", "40")), "2024-01-01"
    ) == (State.ACHIEVED)
    assert state(
        ledger, with_entries(ledger, "17.1", ("2023-06-30", "41"), ("2023-12-31", "39")), "2024-01-01"
    ) == (State.OVERDUE)
    # an entry made before the deadline that falls short is overdue after it, not no report
    early = with_entries(ledger, "17.1", ("2023-03-31", "5"))
    assert state(ledger, early, "2024-01-01") == State.OVERDUE


def test_a_quantity_with_no_entry_with_a_value_is_no_report(ledger: Ledger) -> None:
    """A status on a quantity (L016) is no reading: past the deadline the target is no report."""
    target = with_entries(ledger, "17.1", ("2023-12-31", "in_progress"))
    assert state(ledger, target, "2023-06-30") == State.NO_DATA
    assert state(ledger, target, "2024-01-01") == State.NO_REPORT
    # the latest entry with a value is the reading, whatever entry without one follows it
    valued = with_entries(ledger, "17.1", ("2023-11-30", "30"), ("2023-12-31", "in_progress"))
    status = target_status(ledger, valued, date(2024, 1, 1))
    assert status.state == State.OVERDUE and status.latest is not None and status.latest.value == 30


def test_stated_deadline_is_used(ledger: Ledger) -> None:
    """43.4: 1-6月 平均担保费率下降至0.5% (at most, due 2023-06-30)."""
    met = with_entries(ledger, "43.4", ("2023-06-30", "0.48"))
    missed = with_entries(ledger, "43.4", ("2023-06-30", "0.6"))
    assert state(ledger, met, "2023-05-31") == State.NO_DATA
    assert state(ledger, met, "2023-06-30") == State.ACHIEVED
    assert state(ledger, missed, "2023-06-30") == State.OVERDUE
    assert state(ledger, missed, "2023-06-29") == State.NO_DATA
    assert state(ledger, with_entries(ledger, "43.4"), "2023-07-01") == State.NO_REPORT


def test_rates_are_not_pro_rated(ledger: Ledger) -> None:
    """A3.3: 规上工业增加值增长8%左右: a growth rate meets its value or not, whatever the month."""
    target = with_entries(ledger, "A3.3", ("2023-03-31", "7.8"))  # within 5% of 8
    assert state(ledger, target, "2023-04-01") == State.ON_TRACK
    slow = with_entries(ledger, "A3.3", ("2023-03-31", "7"))
    assert state(ledger, slow, "2023-04-01") == State.BEHIND
    assert state(ledger, target, "2023-12-31") == State.ACHIEVED


def test_a_level_is_judged_as_it_stands_never_pro_rated(ledger: Ledger) -> None:
    """A3.1: 规上工业企业突破2150家 counts what exists on a date; 1,200 in June is not on track for it, as
    1,200 of 2,150 would be for an amount accumulated over the year."""
    assert next(t for t in ledger.targets if t.id == "A3.1").level
    fallen = with_entries(ledger, "A3.1", ("2023-06-30", "1200"))
    assert state(ledger, fallen, "2023-06-30") == State.BEHIND
    assert target_status(ledger, fallen, date(2023, 6, 30)).expected is None
    assert expected_by_now(ledger, fallen, date(2023, 6, 30)) is None
    above = with_entries(ledger, "A3.1", ("2023-06-30", "2160"))
    assert state(ledger, above, "2023-06-30") == State.ON_TRACK
    assert state(ledger, above, "2024-01-01") == State.ACHIEVED
    assert state(ledger, fallen, "2024-01-01") == State.OVERDUE
    flow = with_entries(ledger, "17.2", ("2023-06-30", "500"))  # 新增首贷户1000户: accumulated
    assert state(ledger, flow, "2023-06-30") == State.ON_TRACK


def test_fraction_targets_compare_exactly(ledger: Ledger) -> None:
    """A8.1: 2/3以上 of new spending to 民生."""
    above = with_entries(ledger, "A8.1", ("2023-12-31", "0.67"))
    below = with_entries(ledger, "A8.1", ("2023-12-31", "0.66"))
    assert state(ledger, above, "2023-12-31") == State.ACHIEVED
    assert state(ledger, below, "2023-12-31") == State.OVERDUE


def test_milestones(ledger: Ledger) -> None:
    done = with_entries(ledger, "5.2", ("2023-05-01", "in_progress"), ("2023-09-30", "done"))
    assert state(ledger, done, "2023-04-30") == State.NO_DATA
    assert state(ledger, done, "2023-06-01") == State.ON_TRACK
    assert state(ledger, done, "2023-10-01") == State.ACHIEVED
    assert state(ledger, done, "2024-01-01") == State.ACHIEVED
    dropped = with_entries(ledger, "5.2", ("2023-05-01", "dropped"))
    assert state(ledger, dropped, "2023-06-01") == State.BEHIND
    assert state(ledger, dropped, "2024-06-01") == State.OVERDUE
    working = with_entries(ledger, "5.2", ("2023-05-01", "in_progress"))
    assert state(ledger, working, "2024-01-01") == State.OVERDUE  # reported, but not done in time
    never = with_entries(ledger, "5.2")
    assert state(ledger, never, "2023-12-31") == State.NO_DATA
    assert state(ledger, never, "2024-01-01") == State.NO_REPORT


def test_a_fresh_ledger_after_the_period_has_no_overdue_target(ledger: Ledger) -> None:
    """The issue's complaint: with no entries, the day after the period every target due by then is no
    report; overdue is left for the few whose latest entry falls short."""
    statuses, summaries = ledger_status(ledger, date(2024, 1, 1))
    states = {s.target.id: s.state for s in statuses}
    assert State.OVERDUE not in states.values()
    dated = {s.target.id for s in statuses if s.due is not None and s.due < date(2024, 1, 1)}
    assert len(dated) > 140 and {"17.1", "43.4", "D1"} <= dated
    assert {i for i, s in states.items() if s is State.NO_REPORT} == dated
    # multi-year aims, and 20.4 (due 2027-12-31), are not due yet
    assert {states["A3.2"], states["18.5"], states["20.4"]} == {State.NO_DATA}
    assert sum(s.counts[State.NO_REPORT] for s in summaries) == len(dated - {"D1"})


def test_elapsed_share_is_clamped() -> None:
    start, due = date(2023, 1, 1), date(2023, 12, 31)
    assert elapsed_share(start, due, date(2022, 6, 1)) == 0
    assert elapsed_share(start, due, date(2024, 6, 1)) == 1
    assert elapsed_share(start, start, date(2023, 1, 1)) == 1


def test_area_summary_counts_every_target_once(ledger: Ledger) -> None:
    statuses, summaries = ledger_status(ledger, date(2023, 6, 30))
    assert len(statuses) == 155
    # every target of an area or measure is counted in its area; D1 is the document's own
    assert sum(s.total for s in summaries) == 154
    assert [s.target.id for s in statuses if s.target.measure is None and s.target.area is None] == ["D1"]
    area_3 = next(s for s in summaries if s.area == 3)
    assert area_3.leads == ("市经信局",) and area_3.total == 24
    only_3, summaries_3 = ledger_status(ledger, date(2023, 6, 30), area=3)
    assert {s.target.id for s in only_3} >= {"A3.1", "15.2", "20.4"} and len(only_3) == 24
    assert [s.area for s in summaries_3] == [3]


def test_status_of_written_progress(real: Path) -> None:
    from policy_ledger.progress import ProgressRequest, record_progress

    record_progress(
        real, ProgressRequest("17.1", "2023-06-30", value="23.5"), commit=False, today=date(2026, 1, 1)
    )
    ledger, _ = load_ledger(real)
    statuses, _ = ledger_status(ledger, date(2023, 6, 30), area=3)
    assert next(s for s in statuses if s.target.id == "17.1").state == State.ON_TRACK


def test_a_multi_year_aim_has_no_deadline_and_is_never_overdue(ledger: Ledger) -> None:
    cluster = next(t for t in ledger.targets if t.id == "A3.2")  # 千亿级产业集群, horizon 未定期限
    assert cluster.horizon == "未定期限" and ledger.due(cluster) is None
    assert state(ledger, with_entries(ledger, "A3.2"), "2026-12-01") == State.NO_DATA
    assert state(ledger, with_entries(ledger, "A3.2"), "2099-12-31") == State.NO_DATA  # never no report
    short = with_entries(ledger, "A3.2", ("2024-12-31", "820"))
    status = target_status(ledger, short, date(2026, 12, 1))
    assert (status.state, status.due, status.expected) == (State.ON_TRACK, None, None)
    assert state(ledger, with_entries(ledger, "A3.2", ("2025-12-31", "1010")), "2026-01-01") == State.ACHIEVED
    land = with_entries(ledger, "18.5", ("2024-06-30", "in_progress"))  # 中长期内 只增不减, a milestone
    assert state(ledger, land, "2030-01-01") == State.ON_TRACK
    dropped = with_entries(ledger, "18.5", ("2024-06-30", "dropped"))
    assert state(ledger, dropped, "2030-01-01") == State.BEHIND
    assert state(ledger, with_entries(ledger, "18.5"), "2099-12-31") == State.NO_DATA


def test_the_documents_own_milestone_belongs_to_every_lead_bureau(ledger: Ledger) -> None:
    from policy_ledger.queries import target_row

    d1 = next(t for t in ledger.targets if t.id == "D1")
    assert (d1.measure, d1.area) == (None, None)
    row = target_row(ledger, d1)
    assert row.area is None and set(row.leads) == {lead for a in ledger.areas for lead in a.leads}
    assert ledger.due(d1) == date(2023, 12, 31)
    assert state(ledger, with_entries(ledger, "D1"), "2024-01-01") == State.NO_REPORT
    assert state(ledger, with_entries(ledger, "D1", ("2023-09-30", "in_progress")), "2024-01-01") == (
        State.OVERDUE
    )


def test_a_target_whose_measure_is_missing_has_no_area_and_no_lead(ledger: Ledger) -> None:
    orphan = next(t for t in ledger.targets if t.id == "17.1").model_copy(update={"measure": 99})
    assert ledger.area_of(orphan) is None and ledger.leads_of(orphan) == ()  # not every bureau, as D1
    d1 = next(t for t in ledger.targets if t.id == "D1")
    assert ledger.area_of(d1) is None and len(ledger.leads_of(d1)) == len(
        {lead for a in ledger.areas for lead in a.leads}
    )
