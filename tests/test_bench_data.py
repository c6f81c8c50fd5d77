"""The generated ledgers that bench/speed.py measures are valid data, so their figures time real work."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from policy_ledger.validation import validate_data

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))

from generate import generate


def test_a_generated_ledger_validates_clean_with_every_file_copied(tmp_path: Path) -> None:
    generate(2, tmp_path)
    report = validate_data(tmp_path, today=date(2026, 1, 1))
    assert report.errors == [] and report.warnings == []
    assert len(report.ledger.instruments) == 2 * 95  # instruments.yaml is copied like the other files
    assert {d.id for d in report.ledger.documents} == {"lezhengfa-2023-6-c001", "lezhengfa-2023-6-c002"}


def test_varied_copies_are_different_documents_and_validate_clean(tmp_path: Path) -> None:
    generate(3, tmp_path, vary=True)
    report = validate_data(tmp_path, today=date(2026, 1, 1))
    assert report.errors == [] and report.warnings == []
    assert len({d.number for d in report.ledger.documents}) == 3
    values = {(t.document, t.id): t.value for t in report.ledger.targets}
    assert len({values.get((f"lezhengfa-2023-6-c00{n}", "A1.1")) for n in (1, 2, 3)}) > 1
