"""Which findings a change answers for: ``ledger validate --changed-since REV`` and paths as arguments.

The whole ledger is always checked; the scope only decides which findings are shown. A finding is in
scope when it stands in one of the named paths and, with ``--changed-since``, either on a line the change
touched or nowhere in the ledger as it was at the revision: a sum can break in a file the change did not
touch, and that finding is the change's to answer for. Nothing here runs git; ``gitstore`` does.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .messages import N_, Message
from .problems import Problem

#: ``data/targets.yaml:12:5`` inside a message (L004 names the first record): it moves with any edit.
_POSITION = re.compile(r"\S+:\d+:\d+")

FindingKey = tuple[str, str, str]


def finding_key(problem: Problem, data_dir: Path) -> FindingKey:
    """What a finding is, apart from where the lines happen to stand: file in the ledger, code, words.

    The words are the message's English text, so that a key is the same whatever language the reader
    chose (and a revision checked under one compares with one checked under another)."""
    path = Path(problem.source.file).resolve()
    try:
        file = path.relative_to(data_dir.resolve()).as_posix()
    except ValueError:
        file = path.name
    return file, problem.code, _POSITION.sub("…", str.__str__(problem.message))


@dataclass
class Scope:
    """The part of the ledger a run reports on; ``None`` for a part that is not limited."""

    data_dir: Path
    #: files or folders named on the command line, resolved
    paths: list[Path] | None = None
    #: resolved file → lines the change touched (``None``: the whole file is new)
    changed: dict[Path, set[int] | None] | None = None
    #: findings of the ledger as it was at the revision
    before: Counter[FindingKey] = field(default_factory=Counter)

    def split(self, problems: Iterable[Problem]) -> tuple[list[Problem], list[Problem]]:
        """(findings in scope, findings left out), each in the order given."""
        shown: list[Problem] = []
        hidden: list[Problem] = []
        already = Counter(self.before)
        for problem in problems:
            key = finding_key(problem, self.data_dir)
            new = already[key] <= 0
            already[key] -= 1
            (shown if self._covers(problem, new) else hidden).append(problem)
        return shown, hidden

    def _covers(self, problem: Problem, new: bool) -> bool:
        file = Path(problem.source.file).resolve()
        if self.paths is not None and not any(file == p or p in file.parents for p in self.paths):
            return False
        if self.changed is None or new:
            return True
        lines = self.changed.get(file, set())  # a file the change did not touch has no line of it
        return lines is None or problem.source.line in lines

    def describe(self) -> Message:
        """How the summary names the scope: 'the change' or 'the given paths'."""
        return Message(N_("the change") if self.changed is not None else N_("the given paths"))
