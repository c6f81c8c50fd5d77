"""Every check catches the bad data it exists for, and reports nothing else.

Each folder in tests/fixtures/bad/ overlays files on the small valid ledger in tests/fixtures/mini/.
A comment ``# expect: CODE`` marks each line on which a problem must be reported; the test fails if a
marked problem is missing or if any other error or warning appears.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from policy_ledger.checks import CHECKS
from policy_ledger.loader import load_ledger
from policy_ledger.problems import CODES, Severity
from policy_ledger.validation import check_ledger, validate_data

from .conftest import BAD, MINI, TODAY

EXPECT = re.compile(r"#\s*expect:\s*([A-Z]\d{3}(?:\s*,\s*[A-Z]\d{3})*)")
BAD_CASES = sorted(p.name for p in BAD.iterdir() if p.is_dir())


def expectations(folder: Path) -> set[tuple[str, int, str]]:
    expected = set()
    for path in folder.iterdir():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            match = EXPECT.search(line)
            if match:
                for code in re.split(r"\s*,\s*", match.group(1)):
                    expected.add((path.name, number, code))
    return expected


def reported(data: Path) -> set[tuple[str, int, str]]:
    report = validate_data(data, today=TODAY)
    return {
        (Path(p.source.file).name, p.source.line, p.code)
        for p in report.problems
        if p.severity is not Severity.INFO
    }


def test_mini_ledger_is_clean() -> None:
    assert reported(MINI) == set()


@pytest.mark.parametrize("case", BAD_CASES)
def test_bad_fixture_is_caught_exactly(case: str, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    for path in (BAD / case).iterdir():
        shutil.copy(path, data / path.name)
    expected = expectations(BAD / case)
    assert expected, f"{case} marks no line with '# expect: CODE'"
    assert reported(data) == expected


INFO = BAD.parent / "info"
INFO_CASES = sorted(p.name for p in INFO.iterdir() if p.is_dir())


@pytest.mark.parametrize("case", INFO_CASES)
def test_info_fixture_is_reported_exactly(case: str, tmp_path: Path) -> None:
    """Each folder in tests/fixtures/info/ overlays the small ledger like a bad one; its marked lines
    must give exactly the information (and nothing else than the small ledger's own I001)."""
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    for path in (INFO / case).iterdir():
        shutil.copy(path, data / path.name)
    expected = expectations(INFO / case)
    assert expected, f"{case} marks no line with '# expect: CODE'"
    report = validate_data(data, today=TODAY)
    found = {(Path(p.source.file).name, p.source.line, p.code) for p in report.problems if p.code != "I001"}
    assert found == expected
    assert report.errors == [] and all(p.severity is Severity.INFO for p in report.problems)


def test_a_draft_measure_without_anything_is_a_warning_and_a_reviewed_one_an_error(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    for path in (BAD / "L008-draft-measure-without-target").iterdir():
        shutil.copy(path, data / path.name)
    [finding] = [p for p in validate_data(data, today=TODAY).problems if p.code == "L008"]
    assert finding.severity is Severity.WARNING and "(a draft)" in finding.message
    policies = data / "policies.yaml"
    policies.write_text(
        policies.read_text(encoding="utf-8").replace("    draft: true\n", ""), encoding="utf-8"
    )
    [finding] = [p for p in validate_data(data, today=TODAY).problems if p.code == "L008"]
    assert finding.severity is Severity.ERROR


#: A record as messages name it: "target 17.2", "budget B1", "measure 17", "allocation B1.2", …
RECORD = re.compile(r"^(document|area|measure|target|budget|budget of measure|allocation|instrument) [\w.-]+")
#: Findings about a file as a whole, or about a suppression comment, rather than a record.
FILE_LEVEL = (
    "file ",
    "YAML syntax error",
    "the file ",
    "unknown top-level key",
    "missing the list",
    "'",
    "suppression",
)


@pytest.mark.parametrize("case", BAD_CASES)
def test_every_finding_names_its_record_and_says_what_to_do(case: str, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    for path in (BAD / case).iterdir():
        shutil.copy(path, data / path.name)
    findings = [p for p in validate_data(data, today=TODAY).problems if p.severity is not Severity.INFO]
    assert findings
    for problem in findings:
        assert problem.hint, f"{problem.format_text()} says what is wrong but not what to do"
        assert RECORD.match(problem.message) or problem.message.startswith(FILE_LEVEL), problem.message


def test_every_code_is_registered_and_has_a_bad_fixture() -> None:
    package = Path(__file__).parent.parent / "policy_ledger"
    codes_in_source = {
        code for path in package.glob("*.py") for code in re.findall(r'"([LI]\d{3})"', path.read_text())
    }
    assert codes_in_source <= set(CODES), "a code is reported that problems.CODES does not register"
    covered = {code for case in BAD_CASES for (_, _, code) in expectations(BAD / case)}
    assert {code for code in CODES if code.startswith("L")} - covered == set()
    informed = {code for case in INFO_CASES for (_, _, code) in expectations(INFO / case)}
    assert {code for code in CODES if code.startswith("I")} - informed - {"I001"} == set()


def test_checks_are_registered_once_in_order() -> None:
    names = [check.__name__ for check in CHECKS]
    assert len(names) == len(set(names))
    assert names[0] == "check_duplicate_ids"


def test_one_bad_record_does_not_hide_another(mini: Path) -> None:
    text = (mini / "targets.yaml").read_text(encoding="utf-8")
    text = text.replace("    value: 150\n", '    value: "150"\n')  # A1.1: schema error
    text = text.replace("    comparator: about\n", "    comparator: roughly\n")  # A1.2: schema error
    text = text.replace("    commitment: firm\n", "    commitment: stretch\n")  # 3.1: L015
    (mini / "targets.yaml").write_text(text, encoding="utf-8")
    codes = sorted((p.code, p.source.line) for p in validate_data(mini, today=TODAY).errors)
    assert codes == [("L003", 7), ("L003", 18), ("L015", 51)]


def test_budget_sum_converts_units_exactly(mini: Path) -> None:
    """35000万元 is 3.5亿元 exactly: the sum holds, only the quote check objects to the spelling."""
    text = (mini / "budgets.yaml").read_text(encoding="utf-8")
    text = text.replace("        amount: 3.5\n", "        amount: 35000\n        unit: 万元\n")
    (mini / "budgets.yaml").write_text(text, encoding="utf-8")
    assert {p.code for p in validate_data(mini, today=TODAY).errors} == {"L010"}


def test_overlap_is_reported_as_information(mini: Path) -> None:
    infos = [p for p in validate_data(mini, today=TODAY).problems if p.severity is Severity.INFO]
    assert [p.code for p in infos] == ["I001"]
    assert "implied overlap 0亿元" in infos[0].message


@pytest.mark.parametrize("case", ["mini", *BAD_CASES])
def test_findings_are_the_same_from_the_cache(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A ledger answered from the cache has the same records, places and findings as one just parsed."""
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    if case != "mini":
        for path in (BAD / case).iterdir():
            shutil.copy(path, data / path.name)
    monkeypatch.setenv("LEDGER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("LEDGER_NO_CACHE", raising=False)
    fresh, fresh_problems = load_ledger(data, use_cache=False)
    load_ledger(data)  # fills the cache when the load is clean
    cached, cached_problems = load_ledger(data)
    if not fresh_problems:
        assert list((tmp_path / "cache").glob("*.json")), "a clean load is cached"
    assert cached_problems == fresh_problems
    assert check_ledger(cached, TODAY) == check_ledger(fresh, TODAY)
    for kind in ("documents", "areas", "measures", "targets", "budgets", "instruments"):
        assert getattr(cached, kind) == getattr(fresh, kind)
        assert [r.place for r in getattr(cached, kind)] == [r.place for r in getattr(fresh, kind)]
