"""Load, check, apply suppressions and limit to a scope: the whole of ``ledger validate`` as one call."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .checks import CHECKS
from .ledger import Ledger
from .loader import bulk_read, display_path, load_parsed, read_files
from .problems import LedgerError, Problem, Severity, plural
from .scope import Scope, finding_key
from .suppressions import Suppression, apply_suppressions, parse_suppressions


def check_ledger(ledger: Ledger, today: date | None = None) -> list[Problem]:
    """Run every cross-record check on a loaded ledger (``today`` pins the date for tests)."""
    day = today or date.today()
    return [problem for check in CHECKS for problem in check(ledger, day)]


@dataclass
class ValidationReport:
    ledger: Ledger
    #: findings to show, sorted by file, line and column
    problems: list[Problem]
    #: findings a suppression comment silenced, with that suppression
    silenced: list[tuple[Problem, Suppression]] = field(default_factory=list)
    suppressions: list[Suppression] = field(default_factory=list)
    #: findings outside the scope asked for (``--changed-since``, paths), and how the scope is called
    hidden: list[Problem] = field(default_factory=list)
    scope: str = ""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    def summary(self) -> str:
        """One line a person reads at the end of a run: what was checked and what came of it."""
        ledger = self.ledger
        milestones = sum(1 for t in ledger.targets if t.is_milestone)
        allocations = sum(len(b.allocations) for b in ledger.budgets)
        counts = (
            f"{plural(len(ledger.documents), 'document')}, {plural(len(ledger.areas), 'area')}, "
            f"{plural(len(ledger.measures), 'measure')}, {plural(len(ledger.targets), 'target')} "
            f"({plural(milestones, 'milestone')}), {plural(len(ledger.budgets), 'budget')} "
            f"({plural(allocations, 'allocation')})"
        )
        if ledger.instruments:
            counts += f", {plural(len(ledger.instruments), 'instrument')}"
        notes = ""
        if self.silenced:
            silenced = plural(len(self.silenced), "finding")
            notes += f"; {silenced} silenced (ledger validate --list-suppressions)"
        hidden = [p for p in self.hidden if p.severity is not Severity.INFO]
        if hidden:
            errors = sum(1 for p in hidden if p.severity is Severity.ERROR)
            kinds = [plural(errors, "error"), plural(len(hidden) - errors, "warning")]
            left_out = " and ".join(kind for kind in kinds if not kind.startswith("0 "))
            notes += f"; {left_out} outside {self.scope} not shown"
        if self.errors:
            return (
                f"{plural(len(self.errors), 'error')}, {plural(len(self.warnings), 'warning')} in "
                f"{counts}{notes}; fix the errors above and run `ledger validate` again"
            )
        ok = f"ok within {self.scope}" if hidden else "ok"
        checks = len(CHECKS)
        if self.warnings:
            warnings = plural(len(self.warnings), "warning")
            return f"{ok} with {warnings}: {counts}; {checks} checks run{notes}"
        if hidden:
            return f"{ok}: {counts}; {checks} checks run{notes}"
        return f"ok: {counts}; all {checks} checks passed{notes}"


def validate_data(
    data_dir: Path,
    today: date | None = None,
    *,
    paths: list[Path] | None = None,
    changed_since: str | None = None,
) -> ValidationReport:
    """Check the whole ledger; show the findings in ``paths`` and, given a revision, those of the change.

    With ``changed_since`` the ledger is also checked as it was where the revision and HEAD meet, so
    that a finding the change caused is shown wherever it stands, and one it did not cause only when it
    stands on a line the change touched.
    """
    for path in paths or ():
        if not path.exists():
            raise LedgerError(
                f"{path}: no such file or folder; name a file or folder of the ledger", exit_code=2
            )
    report = _check_everything(data_dir, today)
    if paths is None and changed_since is None:
        return report
    scope = Scope(data_dir, paths=[p.resolve() for p in paths] if paths else None)
    if changed_since is not None:
        import tempfile

        from . import gitstore

        root = gitstore.repository_root(data_dir)
        if root is None:
            raise LedgerError(
                f"{data_dir} is not inside a git repository; --changed-since needs one", exit_code=2
            )
        base = gitstore.merge_base(root, changed_since)
        scope.changed = gitstore.changed_lines(root, base, data_dir)
        with tempfile.TemporaryDirectory(prefix="ledger-base-") as folder:
            before = gitstore.export_tree(root, base, data_dir, Path(folder))
            if before is not None:
                old = _check_everything(before, today).problems
                scope.before = Counter(finding_key(p, before) for p in old)
    report.problems, report.hidden = scope.split(report.problems)
    report.scope = scope.describe()
    return report


def _check_everything(data_dir: Path, today: date | None) -> ValidationReport:
    """Load (never from the cache: validation runs after an edit, and reads every comment anyway),
    check, and apply the suppressions written in the files' comments."""
    from .yamlio import YamlFile, parse

    files = read_files(data_dir)
    with bulk_read():
        parsed = {name: raw if isinstance(raw, Problem) else parse(raw) for name, raw in files.items()}
        ledger, problems = load_parsed(data_dir, parsed)
        problems = problems + check_ledger(ledger, today)
    suppressions: list[Suppression] = []
    for name, loaded in parsed.items():
        if isinstance(loaded, YamlFile):
            found, unusable = parse_suppressions(
                display_path(data_dir / name), loaded.text, loaded.is_comment
            )
            suppressions.extend(found)
            problems.extend(unusable)
    outcome = apply_suppressions(problems, suppressions)
    outcome.problems.sort(key=Problem.sort_key)
    return ValidationReport(ledger, outcome.problems, outcome.silenced, outcome.suppressions)
