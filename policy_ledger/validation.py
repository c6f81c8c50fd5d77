"""Load, check, apply suppressions and limit to a scope: the whole of ``ledger validate`` as one call."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .checks import CHECKS
from .i18n import _
from .ledger import Ledger
from .loader import bulk_read, display_path, load_parsed, read_files
from .messages import N_, Message
from .problems import LedgerError, Problem, Severity
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

    def summary(self) -> Message:
        """One line a person reads at the end of a run: what was checked and what came of it (English as
        a string, in the reader's language through ``shown()``)."""
        ledger = self.ledger
        milestones = sum(1 for t in ledger.targets if t.is_milestone)
        allocations = sum(len(b.allocations) for b in ledger.budgets)
        counts = Message(
            N_("{documents}, {areas}, {measures}, {targets} ({milestones}), {budgets} ({allocations})"),
            documents=_count(len(ledger.documents), "document"),
            areas=_count(len(ledger.areas), "area"),
            measures=_count(len(ledger.measures), "measure"),
            targets=_count(len(ledger.targets), "target"),
            milestones=_count(milestones, "milestone"),
            budgets=_count(len(ledger.budgets), "budget"),
            allocations=_count(allocations, "allocation"),
        )
        if ledger.instruments:
            counts = Message(
                N_("{counts}, {instruments}"),
                counts=counts,
                instruments=_count(len(ledger.instruments), "instrument"),
            )
        notes = Message("")
        if self.silenced:
            notes = Message(
                N_("{notes}; {findings} silenced (ledger validate --list-suppressions)"),
                notes=notes,
                findings=_count(len(self.silenced), "finding"),
            )
        hidden = [p for p in self.hidden if p.severity is not Severity.INFO]
        scope = self.scope
        if hidden:
            errors = sum(1 for p in hidden if p.severity is Severity.ERROR)
            warnings = len(hidden) - errors
            left_out = (
                Message(
                    N_("{errors} and {warnings}"),
                    errors=_count(errors, "error"),
                    warnings=_count(warnings, "warning"),
                )
                if errors and warnings
                else _count(errors, "error")
                if errors
                else _count(warnings, "warning")
            )
            notes = Message(
                N_("{notes}; {left_out} outside {scope} not shown"),
                notes=notes,
                left_out=left_out,
                scope=scope,
            )
        if self.errors:
            text = N_(
                "{errors}, {warnings} in {counts}{notes}; fix the errors above and run "
                "`ledger validate` again"
            )
        elif self.warnings and hidden:
            text = N_("ok within {scope} with {warnings}: {counts}; {checks} checks run{notes}")
        elif self.warnings:
            text = N_("ok with {warnings}: {counts}; {checks} checks run{notes}")
        elif hidden:
            text = N_("ok within {scope}: {counts}; {checks} checks run{notes}")
        else:
            text = N_("ok: {counts}; all {checks} checks passed{notes}")
        return Message(  # each sentence takes the values it names
            text,
            errors=_count(len(self.errors), "error"),
            warnings=_count(len(self.warnings), "warning"),
            scope=scope,
            counts=counts,
            checks=len(CHECKS),
            notes=notes,
        )


#: A count and its noun, as the summary says it: ``26 targets``, 26 个目标.
_COUNTS: dict[str, Callable[[int], Message]] = {
    "document": lambda n: Message.ngettext("{count} document", "{count} documents", n, count=n),
    "area": lambda n: Message.ngettext("{count} area", "{count} areas", n, count=n),
    "measure": lambda n: Message.ngettext("{count} measure", "{count} measures", n, count=n),
    "target": lambda n: Message.ngettext("{count} target", "{count} targets", n, count=n),
    "milestone": lambda n: Message.ngettext("{count} milestone", "{count} milestones", n, count=n),
    "budget": lambda n: Message.ngettext("{count} budget", "{count} budgets", n, count=n),
    "allocation": lambda n: Message.ngettext("{count} allocation", "{count} allocations", n, count=n),
    "instrument": lambda n: Message.ngettext("{count} instrument", "{count} instruments", n, count=n),
    "finding": lambda n: Message.ngettext("{count} finding", "{count} findings", n, count=n),
    "error": lambda n: Message.ngettext("{count} error", "{count} errors", n, count=n),
    "warning": lambda n: Message.ngettext("{count} warning", "{count} warnings", n, count=n),
}


def _count(count: int, noun: str) -> Message:
    return _COUNTS[noun](count)


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
                _("{path}: no such file or folder; name a file or folder of the ledger").format(path=path),
                exit_code=2,
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
                _("{folder} is not inside a git repository; --changed-since needs one").format(
                    folder=data_dir
                ),
                exit_code=2,
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
