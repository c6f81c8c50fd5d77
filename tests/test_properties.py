"""Property tests: generated entries and random edits never crash the ledger or lose data.

The default profile runs a modest number of cases in every test run; the campaign profile
(``HYPOTHESIS_PROFILE=campaign``, used by ``bench/fuzz.sh``) runs thousands.
"""

from __future__ import annotations

import difflib
import hashlib
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policy_ledger.loader import load_ledger
from policy_ledger.problems import LedgerError
from policy_ledger.progress import ProgressRequest, record_progress
from policy_ledger.validation import validate_data

from .conftest import MINI, TODAY

SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@contextmanager
def ledger_copy() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        shutil.copytree(MINI, data)
        yield data


def digest(folder: Path) -> str:
    return hashlib.sha256(b"".join(p.read_bytes() for p in sorted(folder.glob("*.yaml")))).hexdigest()


values = st.decimals(min_value=0, max_value=Decimal("1e9"), places=4, allow_nan=False, allow_infinity=False)
days = st.dates(min_value=date(2022, 6, 1), max_value=date(2027, 6, 1))
words = st.text(max_size=120) | st.none()
records = st.sampled_from(["2.1", "3.1", "A1.1", "3.2", "B1.3", "1.1"])


@pytest.mark.slow  # many generated writes: CI's thorough step (bench/stress.py runs longer)
@SETTINGS
@given(
    record=records,
    value=values,
    day=days,
    note=words,
    source=words,
    status=st.sampled_from(["done", "dropped"]),
)
def test_a_write_round_trips_exactly_or_is_refused_untouched(
    record: str, value: Decimal, day: date, note: str | None, source: str | None, status: str
) -> None:
    with ledger_copy() as data:
        before = digest(data)
        milestone = record == "3.2"
        request = ProgressRequest(
            record,
            day.isoformat(),
            value=None if milestone else str(value),
            status=status if milestone else None,  # type: ignore[arg-type]
            note=note,
            source=source,
        )
        try:
            record_progress(data, request, commit=False, today=TODAY)
        except LedgerError:
            assert digest(data) == before
            return
        ledger, problems = load_ledger(data)
        assert problems == []
        owners = [*ledger.targets, *(a for b in ledger.budgets for a in b.allocations)]
        entry = next(o for o in owners if o.id == record).progress[-1]
        assert entry.as_of == day
        assert entry.value == (None if milestone else value)
        assert entry.note == (note.strip() or None if note is not None else None)
        assert entry.source == (source.strip() or None if source is not None else None)
        assert validate_data(data, today=TODAY).errors == []


MINI_TEXTS = {
    name: (MINI / name).read_text(encoding="utf-8")
    for name in ("policies.yaml", "targets.yaml", "budgets.yaml")
}


@st.composite
def edited_file(draw: st.DrawFn) -> tuple[str, str]:
    """One of the small ledger's files with a random edit a person (or a bad merge) might make."""
    name = draw(st.sampled_from(sorted(MINI_TEXTS)))
    lines = MINI_TEXTS[name].splitlines(keepends=True)
    index = draw(st.integers(min_value=0, max_value=len(lines) - 1))
    kind = draw(st.sampled_from(["delete", "duplicate", "insert", "replace", "truncate", "swap"]))
    if kind == "delete":
        del lines[index]
    elif kind == "duplicate":
        lines.insert(index, lines[index])
    elif kind == "insert":
        lines.insert(index, draw(st.text(max_size=40)) + "\n")
    elif kind == "replace":
        line = lines[index]
        at = draw(st.integers(min_value=0, max_value=max(len(line) - 1, 0)))
        lines[index] = line[:at] + draw(st.text(max_size=5)) + line[at + 1 :]
    elif kind == "truncate":
        lines = lines[:index]
    else:
        other = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        lines[index], lines[other] = lines[other], lines[index]
    return name, "".join(lines)


@SETTINGS
@given(edit=edited_file())
def test_validate_never_raises_on_random_edits(edit: tuple[str, str]) -> None:
    name, text = edit
    with ledger_copy() as data:
        (data / name).write_text(text, encoding="utf-8", errors="surrogatepass")
        report = validate_data(data, today=TODAY)
        lines = text.count("\n") + 1
        for problem in report.problems:
            assert problem.source.line >= 1 and problem.source.column >= 1
            if Path(problem.source.file).name == name:
                assert problem.source.line <= lines + 1
            assert "\n" not in problem.format_text()


@pytest.mark.slow  # many generated writes: CI's thorough step (bench/stress.py runs longer)
@SETTINGS
@given(edit=edited_file(), record=records, value=values)
def test_a_write_into_an_edited_ledger_never_corrupts_it(
    edit: tuple[str, str], record: str, value: Decimal
) -> None:
    name, text = edit
    with ledger_copy() as data:
        (data / name).write_text(text, encoding="utf-8", errors="surrogatepass")
        before = {path.name: path.read_bytes() for path in data.glob("*.yaml")}
        request = ProgressRequest(record, "2023-06-30", value=None if record == "3.2" else str(value),
                                  status="done" if record == "3.2" else None, replace=True)  # fmt: skip
        try:
            record_progress(data, request, commit=False, today=TODAY)
        except LedgerError:
            assert {path.name: path.read_bytes() for path in data.glob("*.yaml")} == before
            return
        changed = [n for n, content in before.items() if (data / n).read_bytes() != content]
        assert len(changed) == 1  # only the record's own file
        after = (data / changed[0]).read_text(encoding="utf-8")
        old = before[changed[0]].decode("utf-8")
        matcher = difflib.SequenceMatcher(a=old.splitlines(), b=after.splitlines(), autojunk=False)
        touched = [(i1, i2) for tag, i1, i2, _, _ in matcher.get_opcodes() if tag != "equal"]
        # everything that changed lies within one entry's lines (at most 6 of them: a replaced entry)
        assert touched and max(i2 for _, i2 in touched) - min(i1 for i1, _ in touched) <= 6
        ledger, _ = load_ledger(data)
        owners = [*ledger.targets, *(a for b in ledger.budgets for a in b.allocations)]
        assert any(o.id == record and any(e.as_of == date(2023, 6, 30) for e in o.progress) for o in owners)
