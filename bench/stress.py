#!/usr/bin/env python3
"""A stress campaign for the ledger's write protocol (``ledger progress add``), with proofs at the end.

Usage (from the repository root; the temporary repository is made and removed by the script):

    .venv/bin/python bench/stress.py                          # 180 s, 4 writers, seed 1
    .venv/bin/python bench/stress.py --seconds 60 --writers 6 --seed 7
    .venv/bin/python bench/stress.py --code-rev HEAD          # the committed ledger, not the working tree
    .venv/bin/python bench/stress.py --code /tmp/snapshot     # a copy of a policy_ledger/ folder

By default the installed ``policy_ledger`` runs (with an editable install, the working tree: copy it first
if people are editing it). The seed fixes every choice (pairs, values, which command is killed and
where, cut points), not the timing, so two runs with one seed interleave differently.

For ``--seconds`` seconds these actors run at once against one temporary git repository holding a copy of
the repository's ``data/`` (which itself is never touched):

* K writers, each a loop of ``ledger progress add ID --value V --as-of D --note "stress wK-N"`` on real
  targets with a number and a unit, every (id, date) pair used once; each command's exit code and output
  are kept. A refusal (non-zero exit, one line ``ledger: …`` on stderr) is acceptable, anything else
  (a traceback, a second line, a hang) is a failure.
* random SIGKILLs: a share of the commands (``--kill-rate``) is killed, the whole process group, git
  included: a third at a random moment of the command's life, two thirds inside its critical section,
  0-15 ms after the ledger started its k-th git command (watched through /proc; k random up to the most
  git commands a completed write was seen to run), which is where it reads, replaces and commits the
  file whatever the implementation.
* an in-place rewriter, like a sync client or ``rsync --inplace``: it truncates data/targets.yaml and
  writes the committed content back in two chunks with a sleep between them, so for a moment the file on
  disk is a prefix of itself ("half-file window"). It works on an open descriptor and only when the file
  equals HEAD, so on its own it never changes the file's final content.
* an atomic editor: every few hundred ms, if the file equals HEAD, it saves it the way editors do (a
  temporary file in the same folder renamed over it) with one extra trailing comment line carrying a
  unique marker, then commits that itself (``git commit --only``, retrying while a git lock is held).
  Since only the editor writes markers and nothing in this campaign may delete a line, every marker that
  was saved must end up in HEAD: a marker that vanishes was overwritten, and when the file that replaced
  it holds a progress entry the editor had not seen, a ledger write did it.
* a supervisor: when the repository stays dirty, or a git lock (index.lock, HEAD.lock) stays, for a few
  seconds while the writers keep being refused, the ledger has left something it neither finished nor
  undid. The supervisor records what was left, removes a stale lock, pauses everyone and restores HEAD's
  file, and lets the campaign go on, so that one leftover does not turn the rest of the run into
  refusals.

When the time is up everyone stops, one last ``ledger progress add`` is attempted, and the script proves,
printing counts (and exits 1 if any property fails, 2 if the campaign was too thin to prove anything):

(a) every committed state is valid: each commit's data, exported from git, passes the ledger's own
    validation (the code ``ledger validate`` runs, in worker processes; the CLI is run on the first and
    last commit to check that both agree) with no error that was not there at the start; independently
    of the ledger, every commit's targets.yaml parses with PyYAML and holds every target record
    unchanged apart from its progress entries (a half file fails this), and no commit deletes a line.
(b) every completed write is present: each command that exited 0 has its entry (id, as_of, value,
    note) in HEAD once, added by exactly one commit, the one the command named, with its message.
    Every refused write is in no commit at all; every killed write is either absent or committed by
    its own progress commit.
(c) each ledger commit (``progress(…)``) changes only data/targets.yaml, deletes no line (the writers
    never use --replace), inserts one block of lines holding no editor marker, and adds exactly the entry
    its message names and nothing else.
(d) nothing was lost from the other programs' side: every editor save is in HEAD (committed by the editor
    itself), and each one that is not is classified (overwritten by a ledger write, by a ledger's restore
    of older bytes, …); the rewriter's half files never reach a commit ((a) checks it); every leftover
    the supervisor had to clear is listed; and after the last ``ledger progress add`` the working tree
    equals HEAD (no modified file, no staged change, no temporary file, no git lock file) or each difference
    is explained.

Only the standard library and PyYAML are used by the harness itself; the ledger under test runs in
subprocesses (``python -m policy_ledger``), so a broken working tree shows up as failures, not as a
crash of the harness.
"""

from __future__ import annotations

import argparse
import bisect
import contextlib
import difflib
import hashlib
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict, deque
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
TARGETS = "data/targets.yaml"
MARKER = "# stress-editor-save"
#: a ledger command running longer than this is a hang (the ledger's own lock timeout is 30 s)
HARD_TIMEOUT = 90.0
#: how long the repository may stay dirty, or a git lock stay, before the supervisor calls it a leftover
STUCK_AFTER = 3.0
STALE_LOCK_AFTER = 5.0
#: the words a ledger might use to say it finished or undid what an interrupted write left behind
RECOVERY_WORDS = re.compile(
    r"interrupt|unfinished|left (?:behind|over)|leftover|recover|resum|undid|undo|undone|roll(?:ed)? ?back"
    r"|orphan|stale|previous (?:write|run)|earlier (?:write|run)|completed? the",
    re.IGNORECASE,
)
RECORDED = re.compile(
    r"^recorded progress\((?P<id>[^)]+)\): (?P<desc>.+?) as of (?P<date>\d{4}-\d{2}-\d{2}) "
    r"in (?P<file>\S+), commit (?P<commit>[0-9a-f]{4,40})$"
)
SUBJECT = re.compile(
    r"^progress\((?P<id>[^)]+)\): (?P<num>[0-9][0-9,]*(?:\.[0-9]+)?)\S* "
    r"(?:paid out )?as of (?P<date>\d{4}-\d{2}-\d{2})(?P<replaces> \(replaces .*\))?$"
)


# --- small helpers ------------------------------------------------------------------------------------


def git(
    repo: Path, *args: str, check: bool = True, locks: bool = False
) -> subprocess.CompletedProcess[bytes]:
    """Run git in ``repo``. The harness's own reads never take git's optional index lock, so that they
    cannot make a ledger's commit fail; only the editor's commit (``locks=True``) takes the lock."""
    env = {**os.environ, "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0"}
    if not locks:
        env["GIT_OPTIONAL_LOCKS"] = "0"
    result = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, check=False)
    if check and result.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)}: {result.stderr.decode(errors='replace').strip()}")
    return result


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]


def decimal_of(value: Any) -> Decimal | None:
    """A YAML number (int or float as PyYAML reads it) or a command-line value, as a comparable Decimal."""
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value).replace(",", "")).normalize()
    except InvalidOperation:
        return None


def one_line(text: str, limit: int = 200) -> str:
    text = " ⏎ ".join(line for line in text.strip().splitlines() if line.strip())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def template(message: str) -> str:
    """A refusal's wording with ids, numbers, dates and hashes blanked, so that refusals can be tallied."""
    message = re.sub(r"\d{4}-\d{2}-\d{2}", "<date>", message)
    message = re.sub(r"\b[0-9a-f]{7,40}\b", "<sha>", message)
    message = re.sub(r"\b[A-B]?\d+(?:\.\d+)*\b", "<n>", message)
    return message


Entry = tuple[str, str, Decimal | None, str | None]  # (target id, as_of, value, note)


def entries_of(text: bytes) -> tuple[Counter[Entry], list[dict[str, Any]]] | None:
    """Every progress entry of targets.yaml and the target records without their entries, or None when
    the text is not YAML holding a list of targets (a half file, for one). Read by PyYAML, not by the
    ledger, so that this check does not depend on the code under test."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        document = yaml.load(text.decode("utf-8-sig"), Loader=loader)
        records = document["targets"]
        found: Counter[Entry] = Counter()
        bare = []
        for record in records:
            for entry in record.get("progress") or []:
                as_of = entry.get("as_of")
                found[
                    (
                        str(record["id"]),
                        as_of.isoformat() if isinstance(as_of, date) else str(as_of),
                        decimal_of(entry.get("value")),
                        entry.get("note"),
                    )
                ] += 1
            bare.append({k: v for k, v in record.items() if k != "progress"})
        return found, bare
    except Exception:
        return None


# --- what each actor records --------------------------------------------------------------------------


@dataclass
class Write:
    """One ``ledger progress add`` command and what came of it."""

    writer: int
    seq: int
    record_id: str
    as_of: str
    value: str
    note: str
    started: float = 0.0
    ended: float = 0.0
    rc: int | None = None
    stdout: str = ""
    stderr: str = ""
    kill_after: float | None = None  # kill this many seconds after the start ("anywhere" kills)
    kill_at_git: int | None = None  # or: kill just after the ledger started its k-th git command
    kill_sent: bool = False
    killed: bool = False
    hung: bool = False
    final: bool = False

    @property
    def key(self) -> tuple[str, str]:
        return (self.record_id, self.as_of)

    def entry(self) -> Entry:
        return (self.record_id, self.as_of, decimal_of(self.value), self.note)

    @property
    def outcome(self) -> str:
        """completed | refused | killed | failed (traceback, odd output, hang, another signal)."""
        if self.killed:
            return "killed"
        if self.hung:
            return "failed"
        if "Traceback" in self.stderr + self.stdout:
            return "failed"
        if self.rc == 0:
            return "completed" if self.recorded() else "failed"
        lines = [line for line in self.stderr.strip().splitlines() if line.strip()]
        # One line "ledger: …" (a note on what the command recovered first may precede it).
        if self.rc is not None and self.rc > 0 and lines and all(x.startswith("ledger: ") for x in lines):
            return "refused"
        return "failed"

    def recorded(self) -> re.Match[str] | None:
        """The "recorded progress(…) … commit X" line (the last line of stdout), if there is one."""
        lines = self.stdout.strip().splitlines()
        return RECORDED.match(lines[-1]) if lines else None

    @property
    def refusal(self) -> str:
        lines = self.stderr.strip().splitlines()
        return lines[-1].removeprefix("ledger: ") if lines else ""

    def describe(self) -> str:
        return f"w{self.writer}#{self.seq} {self.record_id} {self.as_of} {self.value}"


@dataclass
class Save:
    """One save of the atomic editor."""

    n: int
    marker: str
    saved_at: float
    head: str  # the commit whose content the editor saved plus its marker
    outcome: str = (
        "pending"  # committed, overwritten-by-ledger-write (or -restore), commit-blocked-by-git-lock, …
    )
    detail: str = ""
    commit: str | None = None


@dataclass
class Leftover:
    """A state the supervisor found stuck (nobody finished or undid it) and cleared."""

    since: float
    cleared: float
    status: str
    lock_age: float | None
    diff: list[str]
    writes: list[str] = field(default_factory=list)  # the killed writes whose lines were left
    markers: list[str] = field(default_factory=list)
    commands_meanwhile: Counter[str] = field(default_factory=Counter)
    cause: str = ""


# --- the campaign -------------------------------------------------------------------------------------


class Gate:
    """Lets the supervisor pause every actor and wait until none of them is in the middle of a step."""

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.busy = 0
        self.paused = False

    @contextlib.contextmanager
    def step(self, stop: threading.Event):
        with self.cond:
            while self.paused and not stop.is_set():
                self.cond.wait(0.05)
            self.busy += 1
        try:
            yield
        finally:
            with self.cond:
                self.busy -= 1
                self.cond.notify_all()

    def pause(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        with self.cond:
            self.paused = True
            while self.busy and time.monotonic() < deadline:
                self.cond.wait(0.05)
            return self.busy == 0

    def resume(self) -> None:
        with self.cond:
            self.paused = False
            self.cond.notify_all()


class Campaign:
    def __init__(self, args: argparse.Namespace, work: Path, ledger_env: dict[str, str]) -> None:
        self.args = args
        self.work = work
        self.repo = work / "repo"
        self.path = self.repo / TARGETS
        self.ledger_env = ledger_env
        self.stop = threading.Event()
        self.gate = Gate()
        self.fs_mutex = threading.Lock()  # the editor never reads the rewriter's own half file
        self.lock = threading.Lock()
        self.t0 = time.monotonic()
        self.writes: list[Write] = []
        self.saves: list[Save] = []
        self.windows: list[tuple[float, float]] = []  # half-file windows, seconds since start
        self.leftovers: list[Leftover] = []
        self.stale_locks_removed: list[float] = []
        self.counts: Counter[str] = Counter()
        self.durations: deque[float] = deque(maxlen=200)
        #: the most git commands one write was seen to run; kills pick their k up to it (it is learnt from
        #: the commands picked for a kill that finished first: 16 until one has)
        self.most_gits = 16
        self.gits_seen: list[int] = []
        self.plan: list[tuple[str, str]] = []
        self.plan_index = 0
        self.unit_of: dict[str, str] = {}
        self.value_of: dict[str, Decimal] = {}
        self.harness_errors: list[str] = []
        self.cleared_notes: set[str] = set()  # notes of writes whose lines the supervisor discarded

    def now(self) -> float:
        return time.monotonic() - self.t0

    # --- set-up ---

    def set_up(self) -> None:
        import yaml

        self.repo.mkdir(parents=True)
        shutil.copytree(REPO_ROOT / "data", self.repo / "data", ignore=shutil.ignore_patterns("__pycache__"))
        git(self.repo, "init", "-q", "-b", "main")
        for key, value in (
            ("user.name", "stress"),
            ("user.email", "stress@example.invalid"),
            ("commit.gpgsign", "false"),
            ("gc.auto", "0"),  # no background gc taking locks in the middle of the campaign
            ("core.hooksPath", str(self.work / "no-hooks")),
        ):
            git(self.repo, "config", key, value)
        git(self.repo, "add", "data")
        git(self.repo, "commit", "-q", "-m", "initial data")

        # The plan: every (target, day of the policy period) pair without an entry yet, shuffled. A pair is
        # used once, whatever came of it, because a killed write may or may not have been committed.
        targets = yaml.safe_load(self.path.read_text(encoding="utf-8"))["targets"]
        documents = yaml.safe_load((self.repo / "data/policies.yaml").read_text(encoding="utf-8"))[
            "documents"
        ]
        period = documents[0]["period"]
        start, end = period["start"], min(period["end"], date.today())
        days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
        pairs = []
        for target in targets:
            value = target.get("value")
            if isinstance(value, bool) or not isinstance(value, int | float) or not target.get("unit"):
                continue  # milestones and fractions (1/2) take no --value
            taken = {str(e.get("as_of")) for e in target.get("progress") or []}
            tid = str(target["id"])
            self.unit_of[tid] = target["unit"]
            self.value_of[tid] = Decimal(str(value))
            pairs += [(tid, d.isoformat()) for d in days if d.isoformat() not in taken]
        random.Random(f"{self.args.seed}-plan").shuffle(pairs)
        self.plan = pairs
        self.counts["targets in plan"] = len(self.unit_of)

    def preflight(self) -> str | None:
        """Why the ledger cannot be stressed at all (it does not import, validate or plan a write), or None.
        Run before the campaign so that a broken checkout is one clear line, not a thousand tracebacks."""
        record_id, as_of = self.plan[-1]  # the last pair of the plan: the campaign never reaches it
        for command in (
            ["validate", "--data", str(self.repo / "data")],
            ["progress", "add", record_id, "--value", "1", "--as-of", as_of, "--dry-run"],
        ):
            result = subprocess.run(
                [sys.executable, "-m", "policy_ledger", *command],
                cwd=self.repo,
                env=self.ledger_env,
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode != 0 or "Traceback" in result.stderr:
                last = (result.stderr.strip().splitlines() or ["(no output)"])[-1]
                return f"`ledger {' '.join(command[:2])}` exits {result.returncode}: {last}"
        if git(self.repo, "status", "--porcelain").stdout.strip():
            return "`ledger progress add --dry-run` changed the repository"
        return None

    def next_pair(self) -> tuple[str, str] | None:
        with self.lock:
            if self.plan_index >= len(self.plan):
                return None
            self.plan_index += 1
            return self.plan[self.plan_index - 1]

    # --- writers ---

    def run_write(self, write: Write) -> Write:
        command = [
            sys.executable, "-m", "policy_ledger", "progress", "add", write.record_id,
            "--value", write.value, "--as-of", write.as_of, "--note", write.note,
            "--data", str(self.repo / "data"),
        ]  # fmt: skip
        write.started = self.now()
        # A session of its own: the SIGKILL goes to the ledger and every git it started, as when a
        # terminal is closed or the machine's OOM killer takes the job.
        process = subprocess.Popen(
            command,
            cwd=self.repo,
            env=self.ledger_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        if write.kill_at_git is not None:
            self.kill_in_critical_section(process, write)
        try:
            out, err = process.communicate(timeout=write.kill_after or HARD_TIMEOUT)
        except subprocess.TimeoutExpired:
            write.kill_sent = True
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            out, err = process.communicate()
            write.hung = write.kill_after is None
        write.killed = write.kill_sent and process.returncode == -signal.SIGKILL
        write.ended = self.now()
        write.rc = process.returncode
        write.stdout = out.decode("utf-8", "replace")
        write.stderr = err.decode("utf-8", "replace")
        if write.outcome in ("completed", "refused"):
            with self.lock:
                self.durations.append(write.ended - write.started)
        return write

    def choose_kill(self, write: Write, rng: random.Random) -> None:
        """A third of the kills fall anywhere in a command's life; two thirds inside its critical section.

        Most of a command's life is Python starting up or waiting for the write lock, where a kill proves
        little. Every write path runs git while it holds the lock (to check the file is committed, to
        hash, to commit), so "just after its k-th git command started" lands between reading the file,
        replacing it and committing, whatever the implementation.
        """
        if rng.random() < 1 / 3:
            with self.lock:
                typical = statistics.median(self.durations) if len(self.durations) >= 5 else 0.5
            write.kill_after = rng.uniform(0.02, 1.1 * typical)
        else:
            with self.lock:
                most = self.most_gits
            write.kill_at_git = rng.randint(1, most)
            write.kill_after = None

    def kill_in_critical_section(self, process: subprocess.Popen[bytes], write: Write) -> None:
        """Watch the ledger's children (Linux /proc); kill its group 0-15 ms after its k-th git started."""
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
        gits: set[str] = set()
        pending: set[str] = set()  # children seen before they exec'd: look again
        delay = random.Random(f"{self.args.seed}-{write.note}").uniform(0, 0.015)
        deadline = time.monotonic() + HARD_TIMEOUT
        while process.poll() is None and time.monotonic() < deadline:
            try:
                pending |= set(children.read_text().split()) - gits
            except OSError:
                return  # no /proc (not Linux): the command runs without a kill
            for child in list(pending):
                try:
                    name = Path(f"/proc/{child}/comm").read_text().strip()
                except OSError:
                    pending.discard(child)  # gone
                    continue
                if name == "git":
                    gits.add(child)
                    pending.discard(child)
            if len(gits) >= (write.kill_at_git or 0):
                time.sleep(delay)
                write.kill_sent = True
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                return
            time.sleep(0.001)
        if process.returncode == 0:  # it completed before its k-th git: a whole write runs len(gits)
            with self.lock:
                self.gits_seen.append(len(gits))
                if len(self.gits_seen) >= 3:
                    self.most_gits = max(self.gits_seen[-50:])

    def writer(self, k: int) -> None:
        rng = random.Random(f"{self.args.seed}-writer-{k}")
        seq = 0
        while not self.stop.is_set():
            with self.gate.step(self.stop):
                if self.stop.is_set():
                    return
                pair = self.next_pair()
                if pair is None:
                    return
                seq += 1
                target = self.value_of[pair[0]]
                value = Decimal(rng.randint(0, int(target * 12) + 10)) / 10  # up to 120% of the target
                write = Write(k, seq, pair[0], pair[1], format(value.normalize(), "f"), f"stress w{k}-{seq}")
                if rng.random() < self.args.kill_rate:
                    self.choose_kill(write, rng)
                try:
                    self.writes.append(self.run_write(write))
                except Exception as exc:  # the harness itself must not die silently
                    self.harness_errors.append(f"writer {k}: {exc!r}")
                    return

    # --- the in-place rewriter ---

    def rewriter(self) -> None:
        rng = random.Random(f"{self.args.seed}-rewriter")
        while not self.stop.wait(rng.uniform(0.5, 1.5) * self.args.rewriter_every):
            with self.gate.step(self.stop), self.fs_mutex:
                if self.stop.is_set():
                    return
                try:
                    self.rewrite_once(rng)
                except FileNotFoundError:
                    self.counts["rewriter: file missing"] += 1  # renamed away at the wrong moment

    def rewrite_once(self, rng: random.Random) -> None:
        # Open first and decide on what this descriptor holds: if a ledger or the editor renames a new
        # file into place meanwhile, the rewriter writes into the old, unlinked inode and harms nobody,
        # as a real in-place writer would; and it writes back only what HEAD already holds.
        fd = os.open(self.path, os.O_RDWR)
        try:
            size = os.fstat(fd).st_size
            current = os.pread(fd, size + 1, 0)
            head = git(self.repo, "show", f"HEAD:{TARGETS}", check=False).stdout
            if current != head or len(head) < 2:
                self.counts["rewriter: skipped, file differs from HEAD"] += 1
                return
            cut = rng.randint(1, len(head) - 1)  # anywhere: mid-line, mid-character, mid-record
            os.ftruncate(fd, 0)
            os.pwrite(fd, head[:cut], 0)
            opened = self.now()
            time.sleep(rng.uniform(0.005, self.args.window_ms / 1000))
            os.pwrite(fd, head[cut:], cut)
            self.windows.append((opened, self.now()))
            if os.fstat(fd).st_size != len(head):
                self.harness_errors.append("rewriter: the file it rewrote has the wrong size")
        finally:
            os.close(fd)

    # --- the atomic editor ---

    def editor(self) -> None:
        rng = random.Random(f"{self.args.seed}-editor")
        token = hashlib.sha256(f"{self.args.seed}-{time.time()}".encode()).hexdigest()[:8]
        n = 0
        while not self.stop.wait(rng.uniform(0.5, 1.5) * self.args.editor_every):
            with self.gate.step(self.stop):
                if self.stop.is_set():
                    return
                n += 1
                try:
                    self.save_and_commit(n, token, rng)
                except Exception as exc:
                    self.harness_errors.append(f"editor save {n}: {exc!r}")

    def save_and_commit(self, n: int, token: str, rng: random.Random) -> None:
        with self.fs_mutex:
            read = self.path.read_bytes()
            head = git(self.repo, "rev-parse", "HEAD").stdout.decode().strip()
            committed = git(self.repo, "show", f"{head}:{TARGETS}").stdout
            if read != committed:
                # A careful person saves only a clean file; a ledger write in flight (or a leftover)
                # is not theirs to commit.
                self.counts["editor: skipped, file differs from HEAD"] += 1
                return
            marker = f"{MARKER} {n} {token}"
            saved = read + (b"" if read.endswith(b"\n") else b"\n") + marker.encode() + b"\n"
            temporary = self.path.with_name(f".{self.path.name}.editor-{n}.swp")
            with open(temporary, "wb") as handle:
                handle.write(saved)
                handle.flush()
                os.fsync(handle.fileno())
            if self.path.read_bytes() != read:  # what an editor's "file changed on disk" check does
                temporary.unlink()
                self.counts["editor: skipped, file changed while saving"] += 1
                return
            os.replace(temporary, self.path)
            save = Save(n, marker, self.now(), head)
            self.saves.append(save)
        time.sleep(rng.uniform(0, self.args.editor_pause_ms / 1000))  # a person glances before committing
        now = self.path.read_bytes()
        if now != saved:
            self.classify_overwrite(save, read, saved, now)
            return
        deadline = time.monotonic() + 10
        while True:
            result = git(
                self.repo, "commit", "-q", "--only", "-m", f"editor: save {n}", "--", TARGETS,
                check=False, locks=True,
            )  # fmt: skip
            if result.returncode == 0:
                break
            if b".lock" in result.stderr and time.monotonic() < deadline:
                self.counts["editor: commit retried, a git lock held"] += 1
                time.sleep(0.02)
                continue
            save.outcome = "commit-blocked-by-git-lock" if b".lock" in result.stderr else "commit-failed"
            save.detail = one_line(result.stderr.decode(errors="replace") or result.stdout.decode())
            return
        commit = git(self.repo, "rev-parse", "HEAD").stdout.decode().strip()
        parent = git(self.repo, "rev-parse", "HEAD^").stdout.decode().strip()
        content = git(self.repo, "show", f"{commit}:{TARGETS}").stdout
        save.commit = commit
        if content == saved and parent == head:
            save.outcome = "committed"
        elif save.marker.encode() not in content:
            # The save was replaced between the editor's last look and git reading the file, so the
            # editor's commit took whoever replaced it: classify that as any other overwrite.
            self.classify_overwrite(save, read, saved, content)
            save.detail += f"; the editor's commit {commit[:10]} then took that file instead of the save"
        else:
            # Lines were added on top of the save before git read it: the editor's commit holds
            # someone else's lines too (a race of the harness's editor, reported apart).
            save.outcome = "commit-swept-other-lines"
            save.detail = f"editor commit {commit[:10]} holds more than the save (parent {parent[:10]})"

    def classify_overwrite(self, save: Save, read: bytes, saved: bytes, now: bytes) -> None:
        """The editor's save is no longer on disk. Only the editor writes markers, so who replaced it?"""
        if save.marker.encode() in now:
            save.outcome = "changed-on-top"
            save.detail = "the save was changed without losing its marker (someone wrote on top of it)"
            return
        before = entries_of(saved)
        after = entries_of(now)
        if before is not None and after is not None:
            new = after[0] - before[0]
            if new:
                notes = ", ".join(sorted(str(e[3]) for e in new))
                save.outcome = "overwritten-by-ledger-write"
                save.detail = f"replaced by a file holding new entries ({notes})"
                return
        if now == read:
            save.outcome = "overwritten-by-ledger-restore"
            save.detail = "replaced by the bytes from before the save (a ledger restoring the old file)"
            return
        save.outcome = "overwritten-by-unknown"
        save.detail = f"replaced by {len(now)} bytes (sha {digest(now)})"

    # --- the supervisor ---

    def observe(self) -> tuple[str, str, float | None, str] | None:
        """(status of data/ without untracked files, digest of the working file, age of the oldest git lock,
        HEAD), or None when git could not tell this time (a ref or the index in the middle of being
        replaced)."""
        result = git(self.repo, "status", "--porcelain", "--untracked-files=no", "--", "data", check=False)
        if result.returncode != 0:
            self.counts["supervisor: git status failed, look skipped"] += 1
            return None
        status = result.stdout.decode()
        try:
            working = digest(self.path.read_bytes())
        except FileNotFoundError:
            working = "missing"
        ages = []
        for lock in self.blocking_locks():
            with contextlib.suppress(FileNotFoundError):
                ages.append(time.time() - lock.stat().st_mtime)
        lock_age = max(ages) if ages else None
        head = git(self.repo, "rev-parse", "HEAD", check=False).stdout.decode().strip()
        return status.strip(), working, lock_age, head

    def blocking_locks(self) -> list[Path]:
        """git's lock files that make every later commit fail while they exist (git creates them with
        O_EXCL and removes them when done, so one that a killed git left stays forever)."""
        git_dir = self.repo / ".git"
        return [
            *(
                p
                for p in (git_dir / "index.lock", git_dir / "HEAD.lock", git_dir / "packed-refs.lock")
                if p.exists()
            ),
            *(git_dir / "refs").rglob("*.lock"),
        ]

    def supervisor(self) -> None:
        try:
            self.supervise()
        except Exception as exc:  # the campaign goes on, but the report says the supervisor died
            self.harness_errors.append(f"supervisor stopped at {self.now():.1f} s: {exc!r}")

    def supervise(self) -> None:
        stuck_since: float | None = None
        stuck_key = None
        while not self.stop.wait(0.25):
            seen = self.observe()
            if seen is None:
                continue
            status, working, lock_age, head = seen
            if lock_age is not None and lock_age > STALE_LOCK_AFTER:
                # A git killed inside its commit leaves index.lock or HEAD.lock behind, and every later
                # commit fails on it; no git holds one for 5 s in this campaign, so it is stale. It is
                # removed at once, without pausing anyone: the editor may be retrying its commit on it.
                stale = [
                    p for p in self.blocking_locks() if time.time() - p.stat().st_mtime > STALE_LOCK_AFTER
                ]
                names = ", ".join(str(p.relative_to(self.repo / ".git")) for p in stale)
                leftover = Leftover(self.now() - lock_age, self.now(), status, lock_age, [])
                leftover.cause = f"{names} left for {lock_age:.1f} s (a git killed mid-commit)"
                self.note_commands_meanwhile(leftover)
                for path in stale:
                    path.unlink(missing_ok=True)
                self.stale_locks_removed.append(self.now())
                self.leftovers.append(leftover)
                continue
            if lock_age is not None:
                # While a lock blocks commits, a save or an entry waits for it: judge the lock first (a
                # pause now would wait for the editor, which retries its commit on that very lock).
                stuck_since = stuck_key = None
                continue
            key = (status, working, head)
            if not status:
                stuck_since = stuck_key = None
            elif key != stuck_key:
                stuck_since, stuck_key = self.now(), key
            elif stuck_since is not None and self.now() - stuck_since > STUCK_AFTER:
                self.clear_leftover(stuck_since, reason="dirty")
                stuck_since = stuck_key = None

    def note_commands_meanwhile(self, leftover: Leftover) -> None:
        """The ledger commands that ran entirely while the state was stuck: none finished or undid it."""
        for write in list(self.writes):
            if leftover.since <= write.started and write.ended <= leftover.cleared:
                leftover.commands_meanwhile[write.outcome] += 1

    def clear_leftover(self, since: float, reason: str) -> None:
        if not self.gate.pause(timeout=HARD_TIMEOUT + 10):
            self.harness_errors.append("supervisor: actors did not come to rest within the timeout")
        try:
            seen = self.observe()
            while seen is None:
                time.sleep(0.05)
                seen = self.observe()
            status, _, lock_age, _ = seen
            if not status and lock_age is None:
                self.counts["supervisor: state cleared itself while pausing"] += 1
                return
            head_text = git(self.repo, "show", f"HEAD:{TARGETS}").stdout.decode("utf-8", "replace")
            working_text = (
                self.path.read_text(encoding="utf-8", errors="replace") if self.path.exists() else ""
            )
            diff = [
                line.rstrip("\n")
                for line in difflib.unified_diff(
                    head_text.splitlines(),
                    working_text.splitlines(),
                    "HEAD",
                    "working tree",
                    n=0,
                    lineterm="",
                )
                if line[:1] in "+-" and not line.startswith(("+++", "---"))
            ]
            leftover = Leftover(since, self.now(), status, lock_age, diff[:40])
            notes = {m.group(1) for line in diff for m in [re.search(r"note: (stress w\d+-\d+)", line)] if m}
            for write in list(self.writes):
                if write.note in notes:
                    leftover.writes.append(f"{write.describe()} ({write.outcome})")
                    self.cleared_notes.add(write.note)
            self.note_commands_meanwhile(leftover)
            leftover.markers = [line for line in diff if MARKER in line]
            causes = []
            if lock_age is not None:
                causes.append(f"a git lock left for {lock_age:.1f} s (a git killed mid-commit)")
            if leftover.writes and any(line.startswith("+") for line in diff):
                causes.append("entry lines of interrupted ledger writes left uncommitted in the working file")
            if leftover.writes and any(line.startswith("-") for line in diff):
                causes.append(
                    "the working file lacks committed entry lines (a ledger put older bytes back over a "
                    "file someone had committed)"
                )
            if leftover.markers:
                causes.append("an editor save left uncommitted")
            if diff and not leftover.writes and not leftover.markers:
                causes.append("the working file differs from HEAD in other lines")
            if not diff and status:
                causes.append(f"staged or other changes: {one_line(status)}")
            leftover.cause = "; ".join(causes) or reason
            self.leftovers.append(leftover)
            # Clear it as a person would who gives up on the half-done entry: remove the stale lock, put
            # HEAD's file back (atomically) and the index entry with it.
            for path in self.blocking_locks():  # nobody runs git now: every lock is stale
                path.unlink(missing_ok=True)
            if lock_age is not None:
                self.stale_locks_removed.append(self.now())
            head_bytes = git(self.repo, "show", f"HEAD:{TARGETS}").stdout
            temporary = self.path.with_name(f".{self.path.name}.supervisor.swp")
            temporary.write_bytes(head_bytes)
            os.replace(temporary, self.path)
            git(self.repo, "reset", "-q", "--", "data", check=False, locks=True)
        finally:
            self.gate.resume()

    # --- running it ---

    def run(self) -> None:
        threads = [
            threading.Thread(target=self.writer, args=(k,), name=f"writer-{k}")
            for k in range(self.args.writers)
        ]
        if self.args.rewriter_every > 0:
            threads.append(threading.Thread(target=self.rewriter, name="rewriter"))
        if self.args.editor_every > 0:
            threads.append(threading.Thread(target=self.editor, name="editor"))
        supervisor = threading.Thread(target=self.supervisor, name="supervisor")
        for thread in [*threads, supervisor]:
            thread.start()
        last_report = 0.0
        try:
            while self.now() < self.args.seconds and any(t.is_alive() for t in threads):
                time.sleep(0.5)
                if self.now() - last_report >= 30:
                    last_report = self.now()
                    tally = Counter(w.outcome for w in self.writes)
                    print(
                        f"  {self.now():5.0f} s: {len(self.writes)} writes ({dict(tally)}), "
                        f"{len(self.saves)} editor saves, {len(self.windows)} half-file windows, "
                        f"{len(self.leftovers)} leftovers cleared",
                        flush=True,
                    )
        finally:
            self.stop.set()
            for thread in [*threads, supervisor]:
                thread.join()
        # One last write, after everyone stopped and nothing was cleared for it: it must finish or undo
        # whatever the campaign's last kills left, and leave the working tree equal to HEAD.
        pair = self.next_pair()
        if pair is not None:
            last = Write(-1, 1, pair[0], pair[1], "1", "stress final")
            last.final = True
            self.writes.append(self.run_write(last))


# --- the proofs ---------------------------------------------------------------------------------------


@dataclass
class Commit:
    sha: str
    parents: list[str]
    subject: str
    numstat: list[tuple[str, str, str]]  # (added, deleted, path)
    files: dict[str, str] = field(default_factory=dict)  # path -> blob sha, the whole data/ folder
    targets: bytes = b""
    parsed: tuple[Counter[Entry], list[dict[str, Any]]] | None = None

    @property
    def kind(self) -> str:
        if self.subject.startswith("progress("):
            return "ledger"
        if self.subject.startswith("editor: save "):
            return "editor"
        return "initial" if not self.parents else "other"


class BlobReader:
    """``git cat-file --batch``: one process for every blob of the history."""

    def __init__(self, repo: Path) -> None:
        self.process = subprocess.Popen(
            ["git", "cat-file", "--batch"], cwd=repo, stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )

    def read(self, spec: str) -> tuple[str, bytes] | None:
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(spec.encode() + b"\n")
        self.process.stdin.flush()
        header = self.process.stdout.readline()
        if header.endswith(b" missing\n"):
            return None
        sha, _, size = header.split()
        data = self.process.stdout.read(int(size))
        self.process.stdout.read(1)
        return sha.decode(), data

    def close(self) -> None:
        assert self.process.stdin
        self.process.stdin.close()
        self.process.wait()


def load_history(repo: Path, blobs: Path) -> list[Commit]:
    """Every commit of HEAD, oldest first, with its numstat and the blobs of data/ as they stood."""
    out = git(
        repo, "log", "--reverse", "--no-renames", "--format=%x1e%H%x1f%P%x1f%s", "--numstat", "HEAD"
    ).stdout
    commits = []
    for chunk in out.decode("utf-8", "replace").split("\x1e")[1:]:
        header, _, rest = chunk.partition("\n")
        sha, parents, subject = header.split("\x1f")
        numstat = [tuple(line.split("\t", 2)) for line in rest.strip().splitlines() if line.strip()]
        commits.append(Commit(sha, parents.split(), subject, numstat))  # type: ignore[arg-type]
    reader = BlobReader(repo)
    files: dict[str, str] = {}
    blobs.mkdir(parents=True, exist_ok=True)
    try:
        initial = (
            git(repo, "ls-tree", "-r", "--name-only", commits[0].sha, "--", "data")
            .stdout.decode()
            .split("\n")
        )
        for index, commit in enumerate(commits):
            changed = [p for p in initial if p] if index == 0 else [path for _, _, path in commit.numstat]
            for path in changed:
                got = reader.read(f"{commit.sha}:{path}")
                if got is None:
                    files.pop(path, None)
                    continue
                sha, data = got
                files[path] = sha
                if not (blobs / sha).exists():
                    (blobs / sha).write_bytes(data)
            commit.files = dict(files)
            commit.targets = (blobs / files[TARGETS]).read_bytes() if TARGETS in files else b""
            commit.parsed = entries_of(commit.targets)
    finally:
        reader.close()
    return commits


def validate_worker() -> None:
    """``--validate-worker``: read data folders on stdin, answer each with one JSON line, using the very
    code ``ledger validate`` runs (so its verdict is the ledger's own, without a process per commit)."""
    os.environ["LEDGER_NO_CACHE"] = "1"
    import traceback

    from policy_ledger.validation import validate_data  # type: ignore[import-not-found]

    for line in sys.stdin:
        folder = line.strip()
        try:
            report = validate_data(Path(folder))
            errors = [[p.code, Path(p.source.file).name, p.message] for p in report.errors]
            answer = {"dir": folder, "exit": 1 if errors else 0, "errors": errors, "crash": None}
        except Exception:
            answer = {"dir": folder, "exit": None, "errors": [], "crash": traceback.format_exc()}
        print(json.dumps(answer, ensure_ascii=False), flush=True)


def validate_commits(
    commits: list[Commit], work: Path, ledger_env: dict[str, str], workers: int
) -> dict[str, dict[str, Any]]:
    """The ledger's verdict on every distinct data/ folder of the history, keyed by commit."""
    states: dict[frozenset[tuple[str, str]], list[Commit]] = defaultdict(list)
    for commit in commits:
        states[frozenset(commit.files.items())].append(commit)
    folders = work / "validate"
    jobs: list[tuple[Path, list[Commit]]] = []
    for index, (state, group) in enumerate(states.items()):
        folder = folders / f"{index:05d}"
        for path, sha in state:
            (folder / path).parent.mkdir(parents=True, exist_ok=True)
            os.link(work / "blobs" / sha, folder / path)  # hard links: cheap, and the ledger cannot tell
        jobs.append((folder / "data", group))
    verdicts: dict[str, dict[str, Any]] = {}
    env = {**ledger_env, "LEDGER_NO_CACHE": "1"}
    queue = list(jobs)
    lock = threading.Lock()

    def work_through() -> None:
        process = subprocess.Popen(
            [sys.executable, __file__, "--validate-worker"],
            env=env,
            cwd=work,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        assert process.stdin and process.stdout
        try:
            while True:
                with lock:
                    if not queue:
                        break
                    folder, group = queue.pop()
                process.stdin.write(f"{folder}\n")
                process.stdin.flush()
                line = process.stdout.readline()
                answer = json.loads(line) if line else {"exit": None, "errors": [], "crash": "worker died"}
                with lock:
                    for commit in group:
                        verdicts[commit.sha] = answer
                shutil.rmtree(folder.parent, ignore_errors=True)
        finally:
            process.stdin.close()
            process.wait()

    threads = [threading.Thread(target=work_through) for _ in range(max(1, workers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return verdicts


def cli_validate(commit: Commit, work: Path, ledger_env: dict[str, str]) -> int:
    """``ledger validate --data DIR`` itself on one commit's data, exported with ``git archive``."""
    folder = work / f"cli-{commit.sha[:10]}"
    folder.mkdir()
    archive = git(work / "repo", "archive", commit.sha, "data").stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "policy_ledger",
            "validate",
            "--data",
            str(folder / "data"),
            "--format",
            "json",
        ],
        env={**ledger_env, "LEDGER_NO_CACHE": "1"},
        cwd=work,  # python -m puts the working folder first on sys.path: never the repository's
        capture_output=True,
        check=False,
    )
    shutil.rmtree(folder, ignore_errors=True)
    return result.returncode


#: What a git folder holds after the commands this campaign runs; anything else was left by someone.
GIT_FOLDER = {
    "HEAD", "config", "description", "hooks", "info", "objects", "refs", "index", "logs", "branches",
    "COMMIT_EDITMSG", "ORIG_HEAD", "packed-refs", "FETCH_HEAD",
}  # fmt: skip


def git_folder_leftovers(folder: Path) -> tuple[list[str], list[str]]:
    """(files in the git folder that a finished write should not leave, harmless ones worth a note).

    git's own lock files (index.lock, HEAD.lock, next-index-*.lock, a ref's .lock) exist only while a git
    holds them, so one that is there when everything has stopped was left by a killed git (and
    index.lock or HEAD.lock blocks every later commit). Any other unknown file (a ledger's journal, a
    temporary index) is pending work too, except the ledger's own lock file (its name says "ledger")
    when nobody holds it: a ``flock``/filelock lock file may stay, what matters is that nobody holds it.
    """
    import fcntl

    leftovers, notes = [], []
    for path in sorted(folder.rglob("*.lock")):
        if "ledger" not in path.name:  # git's own (index.lock, HEAD.lock, next-index-*.lock, a ref's)
            leftovers.append(f"{path.relative_to(folder)} (git's lock, left by a git killed mid-command)")
    for path in sorted(folder.iterdir()):
        if path.name in GIT_FOLDER or (path.name.endswith(".lock") and "ledger" not in path.name):
            continue
        if path.name.endswith(".lock") and path.is_file():
            with open(path, "rb") as handle:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    notes.append(f".git/{path.name} is there and held by nobody (a lock file that stays)")
                except BlockingIOError:
                    leftovers.append(f"{path.name} (still locked by some process)")
            continue
        leftovers.append(f"{path.name} ({path.stat().st_size} bytes: pending work of an interrupted write?)")
    return leftovers, notes


def inserted_blocks(old: bytes, new: bytes) -> tuple[int, list[str], bool]:
    """(number of inserted blocks, the inserted lines, whether any line was deleted or replaced)."""
    a = old.decode("utf-8", "replace").splitlines()
    b = new.decode("utf-8", "replace").splitlines()
    blocks, lines, other = 0, [], False
    for tag, _, _, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "insert":
            blocks += 1
            lines += b[j1:j2]
        elif tag != "equal":
            other = True
    return blocks, lines, other


class Proof:
    def __init__(self, campaign: Campaign) -> None:
        self.c = campaign
        self.failures: dict[str, list[str]] = defaultdict(list)
        self.lines: list[str] = []

    def fail(self, prop: str, message: str) -> None:
        self.failures[prop].append(message)

    def say(self, text: str = "") -> None:
        self.lines.append(text)
        print(text, flush=True)

    def run(self) -> int:
        c = self.c
        writes = c.writes
        outcomes = Counter(w.outcome for w in writes if not w.final)
        self.say()
        self.say("== campaign ==")
        self.say(
            f"{len([w for w in writes if not w.final])} ledger writes by {c.args.writers} writers in "
            f"{c.args.seconds:.0f} s: {outcomes['completed']} completed, {outcomes['refused']} refused, "
            f"{outcomes['killed']} killed, {outcomes['failed']} failed "
            f"({sum(1 for w in writes if w.killed and w.kill_at_git)} of the kills inside the critical "
            f"section, just after git command k of up to {c.most_gits} a write runs; "
            f"{sum(1 for w in writes if (w.kill_after or w.kill_at_git) and not w.killed)} picked "
            "for a kill finished first)"
        )
        self.say(
            f"half-file windows: {len(c.windows)} (the rewriter skipped "
            f"{c.counts['rewriter: skipped, file differs from HEAD']} times: file differed from HEAD); "
            f"ledger commands overlapping a window: {self.overlapping(c.windows)}"
        )
        saves = Counter(s.outcome for s in c.saves)
        counts = c.counts
        self.say(
            f"editor saves: {len(c.saves)} ({dict(saves)}); skipped "
            f"{counts['editor: skipped, file differs from HEAD']} times (file differed from HEAD), "
            f"{counts['editor: skipped, file changed while saving']} times (changed while saving); "
            f"commit retried on a git lock {counts['editor: commit retried, a git lock held']} times"
        )
        self.say(
            f"supervisor: {len(c.leftovers)} leftovers cleared, {len(c.stale_locks_removed)} of them for a "
            f"stale git lock; {counts['supervisor: state cleared itself while pausing']} cleared themselves"
        )
        refusals = Counter(template(w.refusal) for w in writes if w.outcome == "refused")
        if refusals:
            self.say("refusals by wording:")
            for text, count in refusals.most_common(12):
                self.say(f"  {count:5d}  {one_line(text, 160)}")
        said = Counter(
            template(line.removeprefix("ledger: "))
            for w in writes
            for line in (w.stdout + w.stderr).splitlines()
            if RECOVERY_WORDS.search(line)
        )
        self.say(f"commands that said they finished or undid an interrupted write: {sum(said.values())}")
        for text, count in said.most_common(8):
            self.say(f"  {count:5d}  {one_line(text, 160)}")
        for w in writes:
            if w.outcome == "failed":
                kind = "hung" if w.hung else "traceback" if "Traceback" in w.stderr else f"exit {w.rc}"
                last = (w.stderr.strip().splitlines() or w.stdout.strip().splitlines() or [""])[-1]
                self.fail("writes", f"{w.describe()}: {kind}: {one_line(last, 200)}")
        for error in c.harness_errors:
            self.fail("harness", error)

        commits = load_history(c.repo, c.work / "blobs")
        by_sha = {commit.sha: commit for commit in commits}
        self.check_a(commits)
        self.check_b(commits, by_sha)
        self.check_c(commits)
        self.check_d(commits)
        return self.verdict(commits)

    def overlapping(self, windows: list[tuple[float, float]]) -> int:
        starts = [w[0] for w in windows]
        count = 0
        for write in self.c.writes:
            i = bisect.bisect_right(starts, write.ended)
            if any(windows[j][1] >= write.started for j in range(max(0, i - 3), i)):
                count += 1
        return count

    # (a) every committed state is valid
    def check_a(self, commits: list[Commit]) -> None:
        c = self.c
        self.say()
        self.say("== (a) every committed state is valid ==")
        linear = all(len(commit.parents) == (0 if i == 0 else 1) for i, commit in enumerate(commits))
        if not linear:
            self.fail("a", "the history is not a single line of commits (a merge or a second root)")
        verdicts = validate_commits(commits, c.work, c.ledger_env, os.cpu_count() or 2)
        baseline = {(e[0], e[2]) for e in verdicts[commits[0].sha]["errors"]}
        initial = commits[0].parsed
        invalid = half = deleting = 0
        for commit in commits:
            verdict = verdicts[commit.sha]
            label = f"{commit.sha[:10]} {commit.subject}"
            if verdict.get("crash"):
                invalid += 1
                self.fail("a", f"{label}: validation crashed: {one_line(verdict['crash'].splitlines()[-1])}")
            new = [e for e in verdict["errors"] if (e[0], e[2]) not in baseline]
            if new:
                invalid += 1
                self.fail(
                    "a",
                    f"{label}: {len(new)} new errors, first {new[0][0]} {new[0][1]}: {one_line(new[0][2])}",
                )
            if commit.parsed is None:
                half += 1
                self.fail(
                    "a", f"{label}: targets.yaml does not parse with PyYAML ({len(commit.targets)} bytes)"
                )
            elif initial is not None and commit.parsed[1] != initial[1]:
                half += 1
                self.fail(
                    "a",
                    f"{label}: the target records differ from the start apart from progress "
                    f"({len(commit.parsed[1])} records, {len(initial[1])} at the start)",
                )
            removed = sum(int(d) for _, d, _ in commit.numstat if d.isdigit())
            if removed and commit.kind != "initial":
                deleting += 1
                self.fail("a", f"{label}: deletes {removed} lines (no actor in this campaign deletes lines)")
        distinct = len({frozenset(x.files.items()) for x in commits})
        agree = []
        for commit in (commits[0], commits[-1]):
            exit_code = cli_validate(commit, c.work, c.ledger_env)
            agree.append(exit_code == verdicts[commit.sha]["exit"])
            if exit_code != verdicts[commit.sha]["exit"]:
                self.fail(
                    "a",
                    f"{commit.sha[:10]}: `ledger validate` exits {exit_code}, "
                    f"the worker said {verdicts[commit.sha]['exit']}",
                )
        self.say(
            f"{len(commits)} commits checked ({distinct} distinct data "
            f"folders validated): {invalid} with new validation errors, {half} not a whole targets.yaml, "
            f"{deleting} deleting lines; baseline errors at the start: {len(baseline)}; "
            f"`ledger validate` CLI agrees on first and last commit: {all(agree)}"
        )

    # (b) every completed write is present, once
    def check_b(self, commits: list[Commit], by_sha: dict[str, Commit]) -> None:
        self.say()
        self.say("== (b) every completed write is present, in exactly one commit ==")
        head = commits[-1].parsed
        added_in: dict[Entry, list[Commit]] = defaultdict(list)
        previous: Counter[Entry] = Counter()
        for commit in commits:
            if commit.parsed is None:
                continue  # (a) reports it; compare the next parseable commit with the last parseable one
            for entry in commit.parsed[0] - previous:
                added_in[entry].append(commit)
            previous = commit.parsed[0]
        head_entries = head[0] if head else Counter()
        by_key: dict[tuple[str, str], list[Entry]] = defaultdict(list)
        for entry in head_entries:
            by_key[(entry[0], entry[1])].append(entry)
        ok = 0
        fates: Counter[str] = Counter()
        for write in self.c.writes:
            entry = write.entry()
            adders = added_in.get(entry, [])
            if write.outcome == "completed":
                match = write.recorded()
                assert match
                problems = []
                if head_entries[entry] != 1:
                    others = by_key.get(write.key, [])
                    problems.append(
                        f"in HEAD {head_entries[entry]} times" + (f" (HEAD has {others})" if others else "")
                    )
                if len(adders) != 1:
                    problems.append(f"added by {len(adders)} commits {[a.sha[:10] for a in adders]}")
                elif not adders[0].sha.startswith(match["commit"]):
                    problems.append(f"added by {adders[0].sha[:10]}, but the command named {match['commit']}")
                elif not (
                    (m := SUBJECT.match(adders[0].subject))
                    and m["id"] == write.record_id
                    and m["date"] == write.as_of
                    and decimal_of(m["num"]) == decimal_of(write.value)
                ):
                    problems.append(f"its commit's message is {adders[0].subject!r}")
                if problems:
                    self.fail("b", f"completed write {write.describe()}: {'; '.join(problems)}")
                else:
                    ok += 1
            elif write.outcome in ("refused", "failed"):
                if adders or head_entries[entry]:
                    self.fail(
                        "b",
                        f"{write.outcome} write {write.describe()} was recorded anyway: added by "
                        f"{[f'{a.sha[:10]} {a.subject}' for a in adders]}, "
                        f"in HEAD {head_entries[entry]} times",
                    )
            elif write.outcome == "killed":
                own = [
                    a
                    for a in adders
                    if a.kind == "ledger" and a.subject.startswith(f"progress({write.record_id})")
                ]
                if not adders and not head_entries[entry]:
                    left = write.note in self.c.cleared_notes
                    fates["left uncommitted, cleared by the supervisor" if left else "absent"] += 1
                elif len(adders) == 1 and own and head_entries[entry] == 1:
                    fates["committed by its own commit"] += 1
                else:
                    fates["other"] += 1
                    self.fail(
                        "b",
                        f"killed write {write.describe()}: added by "
                        f"{[f'{a.sha[:10]} {a.subject}' for a in adders]}, "
                        f"in HEAD {head_entries[entry]} times",
                    )
        completed = sum(1 for w in self.c.writes if w.outcome == "completed")
        not_done = sum(1 for w in self.c.writes if w.outcome in ("refused", "failed"))
        self.say(
            f"{completed} completed writes checked, {ok} present once in HEAD and added by exactly the "
            f"commit they named; {not_done} refused or failed "
            f"writes checked to be in no commit; killed writes: {dict(fates) or 0}"
        )

    # (c) a ledger commit only adds the entry it names
    def check_c(self, commits: list[Commit]) -> None:
        self.say()
        self.say("== (c) each progress(…) commit adds exactly the entry it names and deletes nothing ==")
        checked = bad = 0
        parsed_before: tuple[Counter[Entry], list[dict[str, Any]]] | None = None
        text_before = b""
        for commit in commits:
            if commit.kind == "ledger":
                checked += 1
                problems = []
                label = f"{commit.sha[:10]} {commit.subject}"
                paths = [path for _, _, path in commit.numstat]
                if paths != [TARGETS]:
                    problems.append(f"changes {paths}")
                deleted = sum(int(d) for _, d, _ in commit.numstat if d.isdigit())
                if deleted:
                    problems.append(f"deletes {deleted} lines")
                blocks, inserted, other = inserted_blocks(text_before, commit.targets)
                if other:
                    problems.append("replaces or deletes lines (by a line diff)")
                if blocks != 1:
                    problems.append(f"inserts {blocks} blocks of lines")
                markers = [line for line in inserted if MARKER in line]
                if markers:
                    problems.append(f"commits {len(markers)} editor line(s) it did not write: {markers[0]!r}")
                match = SUBJECT.match(commit.subject)
                if not match:
                    problems.append("a message the ledger does not write")
                elif match["replaces"]:
                    problems.append("replaces an entry, which no writer asked for")
                if commit.parsed is None or parsed_before is None:
                    problems.append("cannot compare entries: a file that does not parse")
                else:
                    added = commit.parsed[0] - parsed_before[0]
                    removed = parsed_before[0] - commit.parsed[0]
                    if removed:
                        problems.append(f"removes entries {sorted(removed)}")
                    named = [
                        e for e in added
                        if match
                        and (e[0], e[1], e[2]) == (match["id"], match["date"], decimal_of(match["num"]))
                    ]  # fmt: skip
                    if len(added) != 1 or len(named) != 1:
                        problems.append(
                            f"adds {sum(added.values())} entries {sorted(added)[:3]}, not the one named"
                        )
                if problems:
                    bad += 1
                    self.fail("c", f"{label}: {'; '.join(problems)}")
            if commit.parsed is not None:
                parsed_before = commit.parsed
            text_before = commit.targets
        self.say(f"{checked} progress commits checked, {bad} violate it")

    # (d) nothing lost on the other programs' side; the final tree
    def check_d(self, commits: list[Commit]) -> None:
        c = self.c
        self.say()
        self.say("== (d) nothing the other programs wrote was lost; the final working tree ==")
        head_text = commits[-1].targets
        first_commit_of: dict[str, Commit] = {}
        for commit in commits:
            for line in commit.targets.decode("utf-8", "replace").splitlines():
                if line.startswith(MARKER):
                    first_commit_of.setdefault(line, commit)
        lost_by_ledger = 0
        for save in c.saves:
            in_head = save.marker.encode() in head_text
            first = first_commit_of.get(save.marker)
            label = f"editor save {save.n} (at {save.saved_at:.1f} s)"
            if save.outcome.startswith("overwritten-by-ledger"):
                lost_by_ledger += 1
                self.fail("d", f"{label}: {save.outcome}: {save.detail}")
            elif save.outcome == "committed":
                if not in_head:
                    self.fail(
                        "d", f"{label}: committed as {save.commit and save.commit[:10]} but gone from HEAD"
                    )
            elif first is not None and first.kind == "ledger":
                self.fail(
                    "d", f"{label}: {save.outcome}; its line was committed by ledger commit {first.sha[:10]}"
                )
            else:
                self.fail(
                    "d-harness",
                    f"{label}: {save.outcome}: {save.detail} (in HEAD: {in_head}; a race of the harness's "
                    "own editor, or a leftover the supervisor cleared)",
                )
        self.say(
            f"{len(c.saves)} editor saves checked: "
            f"{sum(1 for s in c.saves if s.outcome == 'committed')} committed "
            f"by the editor and still in HEAD, {lost_by_ledger} overwritten by a ledger write or restore"
        )
        # Leftovers the supervisor found: something a ledger left that later ledger commands neither
        # finished nor undid (they were refused meanwhile).
        ledger_caused = 0
        for leftover in c.leftovers:
            by_ledger = bool(leftover.writes) or leftover.lock_age is not None
            ledger_caused += by_ledger
            text = (
                f"stuck from {leftover.since:.1f} s to {leftover.cleared:.1f} s: {leftover.cause}; "
                f"writes left: {leftover.writes or 'none identified'}; ledger commands meanwhile: "
                f"{dict(leftover.commands_meanwhile)}; status {one_line(leftover.status, 80)!r}; "
                f"diff {[one_line(x, 60) for x in leftover.diff[:6]]}"
            )
            self.fail("d" if by_ledger or not leftover.markers else "d-harness", text)
        self.say(
            f"{len(c.leftovers)} stuck states cleared by the supervisor, {ledger_caused} left by interrupted "
            "ledger writes and neither finished nor undone by the commands that followed"
        )
        # The final state, after the last ledger write.
        final = [w for w in c.writes if w.final]
        if final:
            self.say(f"last write: {final[0].outcome}: {one_line(final[0].stdout + final[0].stderr, 200)}")
            if final[0].outcome != "completed":
                self.fail(
                    "d",
                    f"the last write, into a quiet repository, did not complete: {one_line(final[0].stderr)}",
                )
        status = git(c.repo, "status", "--porcelain", "--untracked-files=all", "--ignored").stdout.decode()
        working = c.path.read_bytes() if c.path.exists() else b""
        head_now = git(c.repo, "show", f"HEAD:{TARGETS}").stdout
        left_in_git, info = git_folder_leftovers(c.repo / ".git")
        for line in info:
            self.say(f"note: {line}")
        explained = []
        unexplained = []
        if working != head_now:
            # One hunk is one change: an entry's lines belong to the write whose note stands among them.
            old = head_now.decode("utf-8", "replace").splitlines()
            new = working.decode("utf-8", "replace").splitlines()
            notes = {w.note: w for w in c.writes}
            matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
            for tag, i1, i2, j1, j2 in matcher.get_opcodes():
                if tag == "equal":
                    continue
                lines = [f"-{x}" for x in old[i1:i2]] + [f"+{x}" for x in new[j1:j2]]
                found = {m.group(1) for x in lines if (m := re.search(r"note: (stress w\d+-\d+)", x))}
                owners = [notes[n] for n in sorted(found) if n in notes]
                text = f"{len(lines)} lines {one_line(' | '.join(lines), 120)}"
                if owners:
                    who = ", ".join(f"{w.describe()} ({w.outcome})" for w in owners)
                    explained.append(f"{text}  <- {who}")
                else:
                    unexplained.append(text)
        for line in status.splitlines():
            if line[3:] != TARGETS:
                unexplained.append(f"git status: {line}")
        for line in left_in_git:
            unexplained.append(f"left behind in .git: {line}")
        if explained or unexplained:
            for line in explained:
                self.fail("d", f"final tree differs from HEAD, left by an interrupted write: {line}")
            for line in unexplained:
                self.fail("d", f"final tree differs from HEAD, unexplained: {line}")
        self.say(
            f"final working tree: {'DIFFERS from HEAD' if explained or unexplained else 'equal to HEAD'} "
            f"({len(explained)} changes explained by interrupted writes, {len(unexplained)} others)"
        )

    def verdict(self, commits: list[Commit]) -> int:
        c = self.c
        completed = sum(1 for w in c.writes if w.outcome == "completed")
        thin = []
        if completed == 0:
            thin.append("no write completed")
        if len(commits) < 2:
            thin.append("fewer than two commits")
        if c.args.kill_rate > 0 and not any(w.killed for w in c.writes):
            thin.append("no write was killed")
        if c.args.rewriter_every > 0 and not c.windows:
            thin.append("no half-file window")
        if c.args.editor_every > 0 and not c.saves:
            thin.append("no editor save")
        self.say()
        names = {
            "writes": "commands that failed without a clear refusal",
            "harness": "harness errors",
            "a": "(a) invalid committed states",
            "b": "(b) writes missing, duplicated or recorded though refused",
            "c": "(c) progress commits that change more than their entry",
            "d": "(d) other programs' writes lost, leftovers, final tree",
            "d-harness": "(d) editor saves lost to the harness's own races, or to a git lock a killed "
            "command left (that lock is counted once above); not counted against the ledger",
        }
        for key, title in names.items():
            items = self.failures.get(key, [])
            self.say(f"{title}: {len(items)}")
            for item in items[: self.c.args.show]:
                self.say(f"  - {item}")
            if len(items) > self.c.args.show:
                self.say(f"  … and {len(items) - self.c.args.show} more (--show N lists more)")
        failed = [k for k in names if k != "d-harness" and self.failures.get(k)]
        if thin:
            self.say(f"RESULT: VACUOUS ({'; '.join(thin)}); run longer or with more writers")
            return 2
        self.say(f"RESULT: {'FAIL (' + ', '.join(failed) + ')' if failed else 'PASS'}")
        return 1 if failed else 0


# --- entry point --------------------------------------------------------------------------------------


def ledger_environment(args: argparse.Namespace, work: Path) -> tuple[dict[str, str], str]:
    """The environment the ledger under test runs in, and a description of which code that is."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "LEDGER_"))}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as bench/speed.py: do not recompile on every command
    env["LEDGER_CACHE_DIR"] = str(work / "cache")  # the writers share one cache, as one user's commands do
    if args.no_cache:
        env["LEDGER_NO_CACHE"] = "1"
    code = None
    if args.code_rev:
        code = work / "code"
        code.mkdir()
        archive = git(REPO_ROOT, "archive", args.code_rev, "policy_ledger").stdout
        subprocess.run(["tar", "-x", "-C", str(code)], input=archive, check=True)
        # Compile once, or the first commands of every writer compile it at the same time.
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(code)], check=True)
        rev = git(REPO_ROOT, "rev-parse", "--short", args.code_rev).stdout.decode().strip()
        what = f"policy_ledger of commit {rev} ({args.code_rev}), exported to {code}"
    elif args.code:
        code = Path(args.code).resolve()
        what = f"policy_ledger from {code}"
    else:
        what = "the installed policy_ledger"
    if code is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(code), *filter(None, [env.get("PYTHONPATH")])])
    return env, what


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=180, help="how long the actors run (default 180)")
    parser.add_argument(
        "--writers", type=int, default=4, help="concurrent `ledger progress add` loops (default 4)"
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of every random choice (default 1)")
    parser.add_argument(
        "--kill-rate", type=float, default=0.15, help="share of writes SIGKILLed (default 0.15; 0: none)"
    )
    parser.add_argument(
        "--editor-every", type=float, default=0.3, help="seconds between editor saves (0: no editor)"
    )
    parser.add_argument(
        "--editor-pause-ms", type=float, default=40, help="longest pause between save and commit"
    )
    parser.add_argument(
        "--rewriter-every", type=float, default=0.25, help="seconds between in-place rewrites (0: none)"
    )
    parser.add_argument(
        "--window-ms", type=float, default=40, help="longest half-file window in ms (default 40)"
    )
    parser.add_argument(
        "--code", help="run the ledger from this source folder (PYTHONPATH) instead of the installed one"
    )
    parser.add_argument(
        "--code-rev", help="run the ledger as committed at this git revision of the repository"
    )
    parser.add_argument("--no-cache", action="store_true", help="run the writers with LEDGER_NO_CACHE=1")
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary folder even when everything passes"
    )
    parser.add_argument("--show", type=int, default=15, help="failures listed per property (default 15)")
    parser.add_argument("--validate-worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.validate_worker:
        validate_worker()
        return 0

    work = Path(tempfile.mkdtemp(prefix="ledger-stress-"))
    env, what = ledger_environment(args, work)
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import policy_ledger.cli, policy_ledger.progress, policy_ledger.validation as v; "
            "print(v.__file__)",
        ],
        env=env,
        cwd=work,  # not the repository: `python -c` would import its policy_ledger/ from the working folder
        capture_output=True,
        text=True,
        check=False,
    )
    if probe.returncode != 0:
        print(f"the ledger under test ({what}) does not import:\n{probe.stderr.strip().splitlines()[-1]}")
        print("(the working tree may be mid-edit; --code-rev HEAD runs the committed code)")
        shutil.rmtree(work, ignore_errors=True)
        return 2
    campaign = Campaign(args, work, env)
    campaign.set_up()
    problem = campaign.preflight()
    if problem:
        print(f"the ledger under test ({what}) does not work, so there is nothing to stress:\n  {problem}")
        print("(the working tree may be mid-edit; --code-rev REV runs a committed version)")
        shutil.rmtree(work, ignore_errors=True)
        return 2
    print(f"ledger under test: {what} ({probe.stdout.strip()})")
    print(
        f"campaign: {args.seconds:.0f} s, {args.writers} writers, seed {args.seed}, "
        f"kill rate {args.kill_rate}, "
        f"editor every {args.editor_every} s, rewriter every {args.rewriter_every} s; "
        f"{len(campaign.plan)} (target, date) pairs over {campaign.counts['targets in plan']} targets; "
        f"temporary repository {campaign.repo}",
        flush=True,
    )
    campaign.run()
    status = Proof(campaign).run()
    with open(work / "writes.json", "w", encoding="utf-8") as handle:
        json.dump([asdict(w) for w in campaign.writes], handle, ensure_ascii=False, indent=1, default=str)
    if status == 0 and not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    else:
        print(f"kept {work} (repo/, writes.json with every command's output)")
    return status


if __name__ == "__main__":
    sys.exit(main())
