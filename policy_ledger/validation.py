"""Load, then check: the whole of ``ledger validate`` as one library call."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .checks import CHECKS, CheckContext, run_checks
from .loader import Ledger, load_ledger
from .problems import Problem, Severity


def check_ledger(ledger: Ledger, today: date | None = None) -> list[Problem]:
    """Run every cross-record check on a loaded ledger (``today`` pins the date for tests).

    A ledger that came with findings for the same day (from the cache, or from a load that ran the
    checks already) answers with those.
    """
    day = today or date.today()
    if ledger.cached_findings is not None and ledger.cached_today == day.isoformat():
        return list(ledger.cached_findings)
    return run_checks(ledger, CheckContext(today=day))


@dataclass
class ValidationReport:
    ledger: Ledger
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    @property
    def checks_run(self) -> int:
        return len(CHECKS)

    def summary(self) -> str:
        """One line a person reads at the end of a run: what was checked and what came of it."""
        ledger = self.ledger
        milestones = sum(1 for t in ledger.targets if t.is_milestone)
        allocations = sum(len(b.allocations) for b in ledger.budgets)
        counts = (
            f"{_count(len(ledger.documents), 'document')}, {_count(len(ledger.areas), 'area')}, "
            f"{_count(len(ledger.measures), 'measure')}, {_count(len(ledger.targets), 'target')} "
            f"({_count(milestones, 'milestone')}), {_count(len(ledger.budgets), 'budget')} "
            f"({_count(allocations, 'allocation')})"
        )
        if self.errors:
            return (
                f"{_count(len(self.errors), 'error')}, {_count(len(self.warnings), 'warning')} in "
                f"{counts}; fix the errors above and run `ledger validate` again"
            )
        if self.warnings:
            return f"ok with {_count(len(self.warnings), 'warning')}: {counts}; {self.checks_run} checks run"
        return f"ok: {counts}; all {self.checks_run} checks passed"


def validate_data(data_dir: Path, today: date | None = None, *, fast: bool = True) -> ValidationReport:
    ledger, problems = load_ledger(data_dir, fast=fast, today=today, remember=False)
    problems = problems + check_ledger(ledger, today)
    problems.sort(key=Problem.sort_key)
    return ValidationReport(ledger, problems)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
