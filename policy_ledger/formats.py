"""Findings as text, JSON, GitHub workflow annotations, SARIF 2.1.0 and a Markdown step summary.

Pure functions from findings to a string: the CLI picks one and prints it. Each output keeps the file,
line and column of a finding, so that a terminal, an editor, a pull request and a code-scanning
dashboard all point at the line to fix.

What people read (``text``, the step summary, the list of suppressions) is in the reader's language:
each finding's ``Message`` is said again through the catalogue. What programs read (``json``, ``sarif``,
``github`` annotations and the summary line under them) is the English text, byte for byte the same
whatever ``--lang`` says.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from .i18n import _, ngettext
from .messages import shown
from .problems import CODES, Problem, Severity
from .safe import json_safe, markdown_safe

if TYPE_CHECKING:
    from .suppressions import Suppression
    from .validation import ValidationReport

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
TOOL_NAME = "policy-ledger"

_GITHUB_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
_SARIF_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}

#: (finding, reason) for each finding a suppression comment silenced
Silenced = Sequence[tuple[Problem, str]]


def pick_format(requested: str, environ: Mapping[str, str]) -> str:
    """``auto`` becomes ``github`` where GitHub Actions runs the command (it sets GITHUB_ACTIONS=true)."""
    if requested != "auto":
        return requested
    return "github" if environ.get("GITHUB_ACTIONS") == "true" else "text"


def render_report(report: ValidationReport, output_format: str, version: str = "") -> str:
    """What ``ledger validate`` prints: findings in the format asked for (text and github end in the
    summary line; json and sarif are only the document, for programs to read)."""
    if output_format == "json":
        return as_json(report.problems)
    if output_format == "sarif":
        return as_sarif(report.problems, _reasons(report), version)
    if output_format == "github":
        return as_github(report.problems) + report.summary().english() + "\n"
    return as_text(report.problems) + report.summary().shown() + "\n"


def render_suppressions(suppressions: Sequence[Suppression], output_format: str) -> str:
    """What ``ledger validate --list-suppressions`` prints: each comment, its reason and what it silences."""
    if output_format in {"json", "sarif"}:
        records = [
            {
                "file": s.source.file,
                "line": s.source.line,
                "column": s.source.column,
                "covers_line": s.line,
                "comment": s.comment,
                "codes": list(s.codes),
                "reason": s.reason,
                "silences": as_records(s.silenced),
            }
            for s in suppressions
        ]
        return json_safe(json.dumps(records, ensure_ascii=False, indent=2)) + "\n"
    lines = []
    for suppression in suppressions:
        lines.append(f"{suppression.source}: {suppression.comment}")
        if not suppression.works:
            if suppression.codes:
                why = _("silences nothing: it has no reason (warning L019)")
            else:
                why = _("silences nothing: it names no code it can silence (warning L019)")
            lines.append(f"    {why}")
        elif not suppression.silenced:
            why = _("silences nothing on line {line} (warning L020)").format(line=suppression.line)
            lines.append(f"    {why}")
        for problem in suppression.silenced:
            silences = _("silences {code} on line {line}: {message}").format(
                code=problem.code, line=problem.source.line, message=shown(problem.message)
            )
            lines.append(f"    {silences}")
    silenced = sum(len(s.silenced) for s in suppressions)
    count = ngettext("{count} suppression", "{count} suppressions", len(suppressions)).format(
        count=len(suppressions)
    )
    findings = ngettext("{count} finding silenced", "{count} findings silenced", silenced).format(
        count=silenced
    )
    lines.append(_("{suppressions}, {findings}").format(suppressions=count, findings=findings))
    return "\n".join(lines) + "\n"


def step_summary(report: ValidationReport, environ: Mapping[str, str]) -> str:
    """The Markdown that ``ledger validate`` appends to ``$GITHUB_STEP_SUMMARY``, with each place linked
    to its line in the commit that GitHub Actions checked out (when the environment names it)."""
    parts = [environ.get(name, "") for name in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA")]
    link = f"{parts[0]}/{parts[1]}/blob/{parts[2]}" if all(parts) else ""
    return as_markdown_summary(report.problems, report.summary().shown(), _reasons(report), link)


def as_text(problems: Sequence[Problem]) -> str:
    """One ``FILE:LINE:COL: severity CODE message; hint`` line per finding, in the reader's language."""
    return "".join(f"{problem.format_text()}\n" for problem in problems)


def as_records(problems: Sequence[Problem]) -> list[dict[str, Any]]:
    """Findings as plain dictionaries: what ``--format json`` prints."""
    return [
        {
            "file": problem.source.file,
            "line": problem.source.line,
            "column": problem.source.column,
            "severity": problem.severity.value,
            "code": problem.code,
            "message": problem.message,
            "hint": problem.hint,
        }
        for problem in problems
    ]


def as_json(problems: Sequence[Problem]) -> str:
    return json_safe(json.dumps(as_records(problems), ensure_ascii=False, indent=2)) + "\n"


def as_github(problems: Sequence[Problem]) -> str:
    """Workflow commands that GitHub Actions turns into annotations on the lines of a pull request.

    ``::error file=data/budgets.yaml,line=10,col=5,title=L012::budget B1 …; fix an allocation or the total``
    """
    lines = []
    for problem in problems:
        source = problem.source
        place = f"file={_escape_property(source.file)},line={source.line},col={source.column}"
        title = _escape_property(problem.code)
        level = _GITHUB_LEVELS[problem.severity]
        lines.append(f"::{level} {place},title={title}::{_escape_data(problem.advice)}\n")
    return "".join(lines)


def as_sarif(problems: Sequence[Problem], silenced: Silenced = (), version: str = "") -> str:
    """A SARIF 2.1.0 log for code-scanning dashboards; silenced findings carry their reason.

    Every code is a rule (its description from ``CODES``), so a dashboard can group and explain them.
    Columns count characters (``unicodeCodePoints``), as the ledger's positions do.
    """
    rule_index = {code: index for index, code in enumerate(CODES)}
    rules = [
        {"id": code, "shortDescription": {"text": description}, "help": {"text": description}}
        for code, description in CODES.items()
    ]
    results = [_sarif_result(problem, rule_index) for problem in problems]
    for problem, reason in silenced:
        result = _sarif_result(problem, rule_index)
        result["suppressions"] = [{"kind": "inSource", "justification": reason}]
        results.append(result)
    driver: dict[str, Any] = {"name": TOOL_NAME, "rules": rules}
    if version:
        driver["semanticVersion"] = version
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{"tool": {"driver": driver}, "columnKind": "unicodeCodePoints", "results": results}],
    }
    return json_safe(json.dumps(log, ensure_ascii=False, indent=2)) + "\n"


def as_markdown_summary(
    problems: Sequence[Problem], summary: str, silenced: Silenced = (), link: str = ""
) -> str:
    """A Markdown table of every finding, for ``$GITHUB_STEP_SUMMARY``, in the reader's language
    (``summary`` is given as it is to be shown).

    GitHub shows only the first 10 annotations of each kind per step; the summary shows them all.
    ``link`` (``https://github.com/OWNER/REPO/blob/SHA``) turns each place into a link to its line.
    """
    parts = ["## ledger validate\n\n"]
    if problems:
        rows: list[tuple[str, ...]] = [
            (
                problem.severity.shown(),
                _place(problem, link),
                markdown_safe(problem.code),
                markdown_safe(shown(problem.message)),
                markdown_safe(shown(problem.hint)),
            )
            for problem in problems
        ]
        header = (_("severity"), _("where"), _("code"), _("finding"), _("what to do"))
        parts.append(markdown_table(header, rows) + "\n\n")
    if silenced:
        caption = ngettext(
            "{count} silenced by a suppression comment",
            "{count} silenced by a suppression comment",
            len(silenced),
        ).format(count=len(silenced))
        parts.append(f"<details><summary>{markdown_safe(caption)}</summary>\n\n")
        rows = [
            (
                _place(problem, link),
                markdown_safe(problem.code),
                markdown_safe(shown(problem.message)),
                markdown_safe(reason),
            )
            for problem, reason in silenced
        ]
        table = markdown_table((_("where"), _("code"), _("finding"), _("reason")), rows)
        parts.append(table + "\n\n</details>\n\n")
    parts.append(f"{markdown_safe(summary)}\n")
    return "".join(parts)


def _reasons(report: ValidationReport) -> list[tuple[Problem, str]]:
    return [(problem, suppression.reason) for problem, suppression in report.silenced]


def _sarif_result(problem: Problem, rule_index: dict[str, int]) -> dict[str, Any]:
    path = Path(problem.source.file)
    artifact = (
        {"uri": path.as_uri()} if path.is_absolute() else {"uri": path.as_posix(), "uriBaseId": "%SRCROOT%"}
    )
    result: dict[str, Any] = {
        "ruleId": problem.code,
        "level": _SARIF_LEVELS[problem.severity],
        "message": {"text": problem.advice},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": artifact,
                    "region": {"startLine": problem.source.line, "startColumn": problem.source.column},
                }
            }
        ],
    }
    if problem.code in rule_index:
        result["ruleIndex"] = rule_index[problem.code]
    return result


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _place(problem: Problem, link: str) -> str:
    """The finding's file and line as Markdown: a link to the line when the commit is known."""
    source = problem.source
    text = markdown_safe(f"{source.file}:{source.line}")
    if link and not Path(source.file).is_absolute():
        target = quote(f"{link}/{Path(source.file).as_posix()}", safe=":/%") + f"#L{source.line}"
        return f"[{text}]({target})"
    return text


def markdown_table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], align: Sequence[str] | None = None
) -> str:
    """A GitHub-flavoured pipe table, each column aligned by its ``:--``/``--:`` (``align``: ``left`` or
    ``right`` for each column, all left if None), so that numbers stay right-aligned when rendered.

    The one writer of a Markdown table. Its cells are already Markdown: the caller escapes each text
    (``safe.markdown_safe``), so that a cell which is a link is not escaped twice.
    """
    from tabulate import tabulate  # here, not above: ``ledger validate`` imports this module

    return tabulate(
        rows,
        headers=headers,
        tablefmt="pipe",
        colalign=align,
        disable_numparse=True,  # ids such as 48.10 and amounts such as 5.0 stay as written
    )
