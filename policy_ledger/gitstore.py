"""The only module that runs git: status of a data file, commits of progress, history of records, and
what a change since a revision touched (for ``ledger validate --changed-since``).

Every call runs ``git`` with an argument list (never a shell) in the data file's own folder, so the ledger
works wherever the data lives. A missing git binary or a failing command is a ``GitError`` carrying
git's own words.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import fileio
from .i18n import N_, _
from .problems import LedgerError


class GitError(LedgerError):
    """git is missing, the folder is not a repository, or a git command failed."""


def _run(folder: Path, args: tuple[str, ...], **options: Any) -> subprocess.CompletedProcess[Any]:
    try:
        return subprocess.run(["git", *args], cwd=folder, capture_output=True, check=False, **options)
    except FileNotFoundError as exc:
        raise GitError(_("git is not installed (or not on PATH); install it or pass --no-commit")) from exc


def _git(
    folder: Path, *args: str, check: bool = True, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0", **(env or {})}
    result = _run(folder, args, env=env, text=True, encoding="utf-8", errors="replace")
    if check and result.returncode != 0:
        words = (result.stderr or result.stdout).strip().splitlines()
        said = words[-1] if words else f"exit {result.returncode}"
        raise GitError(_("git {command} failed: {output}").format(command=args[0], output=said))
    return result


def repository_root(path: Path) -> Path | None:
    """The top of the git work tree holding ``path``, or None outside any repository."""
    folder = _existing(path)
    result = _git(folder, "rev-parse", "--show-toplevel", check=False)  # a missing git binary raises
    return Path(result.stdout.strip()) if result.returncode == 0 else None


#: what a command that writes can do without git; one that reads history says what it needs instead
_NO_COMMIT = N_(
    "so the entry cannot be committed; run `git init` there, or pass --no-commit to write the file only"
)


def require_repository(path: Path, consequence: str = _NO_COMMIT) -> Path:
    root = repository_root(path)
    if root is None:
        raise GitError(
            _("{folder} is not in a git repository, {consequence}").format(
                folder=path.parent, consequence=_(consequence)
            )
        )
    return root


def _existing(path: Path) -> Path:
    """The folder ``path`` is (or the nearest one above it that exists: a file about to be created may
    be in a folder about to be created too)."""
    folder = path if path.is_dir() else path.parent
    while not folder.is_dir() and folder != folder.parent:
        folder = folder.parent
    return folder


def state_problem(path: Path) -> str | None:
    """Why a commit here would be unsafe (a merge or rebase in progress), or None."""
    folder = _existing(path)
    git_dir = Path(_git(folder, "rev-parse", "--absolute-git-dir").stdout.strip())
    for marker, what in (
        ("MERGE_HEAD", N_("the repository is in the middle of a merge; finish or abort it first")),
        ("rebase-merge", N_("the repository is in the middle of a rebase; finish or abort it first")),
        ("rebase-apply", N_("the repository is in the middle of a rebase; finish or abort it first")),
        (
            "CHERRY_PICK_HEAD",
            N_("the repository is in the middle of a cherry-pick; finish or abort it first"),
        ),
    ):
        if (git_dir / marker).exists():
            return _(what)
    if _git(folder, "symbolic-ref", "-q", "HEAD", check=False).returncode != 0:
        return _(
            "HEAD is detached (no branch is checked out), so the commit would belong to no branch; "
            "check out a branch first"
        )
    return None


def git_dir(folder: Path) -> Path | None:
    """The repository's own folder (``.git``) for a folder inside a work tree, or None."""
    result = _git(folder, "rev-parse", "--absolute-git-dir", check=False)
    return Path(result.stdout.strip()) if result.returncode == 0 else None


# --- commits built from the bytes written -------------------------------------------------------------
#
# A ledger commit is not made with ``git commit``, which takes whatever the index and the working tree
# hold (another edit staged by hand, a file hidden by ``--assume-unchanged``, a hook that stages more).
# It is built from HEAD's tree with the blobs of the files written replaced by (or, for a new file, added
# as) the bytes the writer puts on disk, and the branch moves to it only if it has not moved meanwhile.
# Hooks do not run: the ledger validates what it writes itself. One commit holds one file (a progress
# entry, a review decision) or several (an imported document): all of them or none. A journal in the git
# folder names the commit while the files are being replaced, so that a writer killed at any moment
# leaves something the next writer finishes or undoes (``recover``).

JOURNAL = "policy-ledger-write.json"
#: The mode of a file a commit adds to the tree.
NEW_FILE_MODE = "100644"


class Unsettled(GitError):
    """A data file does not hold what HEAD holds: edits not committed, or another program writing it."""


@dataclass(frozen=True)
class FileCommit:
    """One file of a commit: its path in the work tree (as git names it), its blob in HEAD (empty for a
    file the commit adds) and its new blob."""

    name: str
    mode: str
    old_blob: str
    new_blob: str


@dataclass(frozen=True)
class PendingCommit:
    """A commit of one or more files' new bytes, made but not yet on the branch."""

    root: Path
    ref: str  # the branch, e.g. refs/heads/main
    parent: str  # empty: the branch's first commit
    files: tuple[FileCommit, ...]
    commit: str
    message: str

    @property
    def names(self) -> str:
        return ", ".join(f.name for f in self.files)


def prepare_commit_of(
    changes: list[tuple[Path, bytes | None, bytes]], message: str, *, adding: Collection[Path] = ()
) -> PendingCommit:
    """The commit that changes each ``path`` from ``old`` (which must be what HEAD holds; None: a file
    HEAD does not hold, which the commit adds) to ``new``, all files in one commit. A file named in
    ``adding`` may also be one that exists but HEAD does not hold yet: the commit adds it.

    A symbolic link is committed as the file it points to, which must be inside the work tree.
    """
    first = changes[0][0]
    root = require_repository(first)
    reason = state_problem(first)
    if reason:
        raise GitError(_("{refusal}; nothing was written").format(refusal=reason))
    ref = _git(root, "symbolic-ref", "-q", "HEAD").stdout.strip()
    parent = _git(root, "rev-parse", "--verify", "--quiet", "HEAD", check=False).stdout.strip()
    files = []
    for path, old, new in changes:
        real = path.resolve()
        if not real.is_relative_to(root.resolve()):
            raise GitError(
                _("{path} links to a file outside the repository; pass --no-commit to write it only").format(
                    path=path
                )
            )
        name = real.relative_to(root.resolve()).as_posix()
        listed = _git(root, "ls-tree", "HEAD", "--", name, check=False).stdout.split() if parent else []
        if old is None:
            if listed:
                raise Unsettled(
                    _(
                        "{file} is committed but not in the work tree (deleted and not committed?); "
                        "restore it (git checkout -- {file}) or commit its removal first"
                    ).format(file=name)
                )
            mode, head_blob = NEW_FILE_MODE, ""
        elif len(listed) < 3 and path in adding:
            mode, head_blob = NEW_FILE_MODE, _hash(root, name, old, write=True)  # for ``recover``
        else:
            if len(listed) < 3:
                raise GitError(
                    _("{file} is not committed yet; commit it first, or pass --no-commit").format(file=name)
                )
            mode, head_blob = listed[0], listed[2]
            if _hash(root, name, old, write=False) != head_blob:
                raise Unsettled(
                    _(
                        "{file} has uncommitted edits (or another program is writing it), and the ledger's "
                        "commit must hold its own change alone; commit or stash the edits first, or pass "
                        "--no-commit to write without committing"
                    ).format(file=path.name)
                )
        new_blob = _hash(root, name, new, write=True)
        files.append(FileCommit(name, mode, head_blob, new_blob))
    commit = _commit(root, files, parent, message)
    return PendingCommit(root, ref, parent, tuple(files), commit, message)


def _hash(root: Path, name: str, content: bytes, *, write: bool) -> str:
    """The blob id git gives ``content`` as the file ``name`` (its filters and line endings applied)."""
    args = ["hash-object", "--stdin", f"--path={name}"] + (["-w"] if write else [])
    return _git_bytes(root, *args, content=content).decode().strip()


def _commit(root: Path, files: list[FileCommit], parent: str, message: str) -> str:
    """A commit of HEAD's tree with each file set to its new blob, made in a private index."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="ledger-index-") as folder:
        env = {"GIT_INDEX_FILE": str(Path(folder) / "index")}
        _git(root, "read-tree", parent or "--empty", env=env)
        _set_index(root, files, env=env)
        tree = _git(root, "write-tree", env=env).stdout.strip()
    parents = ["-p", parent] if parent else []
    return _git(root, "commit-tree", tree, *parents, "-m", message).stdout.strip()


def _set_index(root: Path, files: Collection[FileCommit], **options: Any) -> None:
    """Set each file's index entry to its new blob (adding it where the index has none)."""
    entries = [part for f in files for part in ("--cacheinfo", f"{f.mode},{f.new_blob},{f.name}")]
    _git(root, "update-index", "--add", *entries, **options)


def _journal(root: Path) -> Path | None:
    folder = git_dir(root)
    return folder / JOURNAL if folder is not None else None


def begin(pending: PendingCommit) -> None:
    """Note the commit in the journal before the files are replaced."""
    import json
    from dataclasses import asdict

    journal = _journal(pending.root)
    if journal is not None:  # ``default``: the root, a Path, is written as its str
        fileio.write_output(journal, json.dumps(asdict(pending), ensure_ascii=False, default=str).encode())


def publish(pending: PendingCommit) -> bool:
    """Move the branch to the commit if it still points at the commit's parent; False if it moved.

    The index entries of the files are set to the new blobs too, so ``git status`` is clean afterwards.
    """
    moved = _git(
        pending.root,
        "update-ref",
        "-m",
        f"ledger: {pending.message}",
        pending.ref,
        pending.commit,
        pending.parent,
        check=False,
    )
    if moved.returncode != 0:
        return False
    _set_index(pending.root, pending.files, check=False)
    return True


def end(pending: PendingCommit | None) -> None:
    """Forget the journal: the write is committed, or undone."""
    journal = _journal(pending.root) if pending is not None else None
    if journal is not None:
        journal.unlink(missing_ok=True)


def blob_bytes(root: Path, name: str, blob: str) -> bytes:
    """The bytes ``blob`` has as the file ``name`` in the work tree (its filters applied)."""
    return _git_bytes(root, "cat-file", "--filters", f"--path={name}", blob)


def _read_journal(journal: Path) -> PendingCommit:
    """The journal as a ``PendingCommit``; one written for a single file (before commits held several)
    reads as a commit of that file."""
    import json

    data = json.loads(fileio.read_regular(journal, fileio.MAX_DATA_BYTES))
    if "files" in data:
        files = tuple(FileCommit(**file) for file in data["files"])
    else:
        files = (FileCommit(data["name"], data["mode"], data["old_blob"], data["new_blob"]),)
    return PendingCommit(
        Path(data["root"]), data["ref"], data["parent"], files, data["commit"], data["message"]
    )


def _blob_on_disk(root: Path, name: str) -> str | None:
    """The blob id of the file ``name`` as it is in the work tree; "" when it is missing, None when it
    cannot be read."""
    path = root / name
    if not path.exists() and not path.is_symlink():
        return ""
    try:
        return _hash(root, name, fileio.read_regular(path, fileio.MAX_DATA_BYTES), write=False)
    except fileio.FileRefused:
        return None


def recover(root: Path) -> str | None:
    """Finish or undo what a killed writer left in the journal, and say which; None if there was nothing.

    Every file holds its new bytes, or some do and the others still hold their old ones (the writer was
    killed between two files), and the branch has not moved on: the files left are written and the
    commit is published (finished). Every file still holds its old bytes: the write never reached them
    (undone). Anything else is left alone and said so, for a person to look at: a file was changed by
    someone since.
    """
    journal = _journal(root)
    if journal is None or not journal.exists():
        return None
    try:
        pending = _read_journal(journal)
    except (fileio.FileRefused, ValueError, TypeError, KeyError):
        journal.unlink(missing_ok=True)
        return _("a damaged record of an interrupted write was removed; check `git status`")
    subject = f"“{pending.message}”"
    current = [_blob_on_disk(pending.root, file.name) for file in pending.files]
    is_new = [blob == file.new_blob for file, blob in zip(pending.files, current, strict=True)]
    changed = [
        f.name for f, blob in zip(pending.files, current, strict=True) if blob not in (f.new_blob, f.old_blob)
    ]
    is_published = _git(pending.root, "merge-base", "--is-ancestor", pending.commit, "HEAD", check=False)
    if is_published.returncode == 0:
        outcome = _("an interrupted write {subject} had been committed; nothing to do").format(
            subject=subject
        )
    elif not changed and not any(is_new):
        outcome = _("undid an interrupted write: {subject} never reached {file}").format(
            subject=subject, file=pending.names
        )
    elif not changed and _finish(pending, is_new):
        outcome = _("finished an interrupted write: committed {subject}").format(subject=subject)
    else:  # a file changed since, or one did while it was being finished
        outcome = _(
            "an interrupted write {subject} was not committed, and {file} has changed since; "
            "nothing was done (check `git status` and `git diff`)"
        ).format(subject=subject, file=", ".join(changed) or pending.names)
    journal.unlink(missing_ok=True)
    return outcome


def _finish(pending: PendingCommit, is_new: list[bool]) -> bool:
    """Write each file of an interrupted commit that the writer did not reach (killed between two
    files), if it still holds its old bytes (compare and swap), then publish; False if something is
    in the way."""
    try:
        for file, new in zip(pending.files, is_new, strict=True):
            if new:
                continue
            path, content = pending.root / file.name, blob_bytes(pending.root, file.name, file.new_blob)
            if file.old_blob:
                fileio.replace_if_unchanged(path, blob_bytes(pending.root, file.name, file.old_blob), content)
            else:
                fileio.create_if_absent(path, content)
        return publish(pending)
    except (fileio.Changed, fileio.FileRefused, OSError, GitError):
        return False


def bytes_at(path: Path, revision: str) -> bytes | None:
    """The bytes of ``path`` as committed in ``revision``, or None when it did not exist there."""
    try:
        return _git_bytes(path.parent, "show", f"{revision}:./{path.name}")
    except GitError:
        return None


def resolve(folder: Path, revision: str) -> str | None:
    """The full commit id ``revision`` names in the repository of ``folder``, or None."""
    result = _git(folder, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}", check=False)
    return result.stdout.strip() or None


@dataclass(frozen=True)
class HistoryEntry:
    commit: str
    author: str
    date: str  # ISO 8601, as git prints it
    subject: str
    added: tuple[str, ...]
    removed: tuple[str, ...]


_SEPARATOR = "\x1e"


def line_history(path: Path, ranges: list[tuple[int, int]]) -> list[HistoryEntry]:
    """Commits that changed the given 1-based inclusive line ranges of ``path`` (as in HEAD), newest first.

    ``git log -L`` follows each range back through history, so edits made by hand show up beside the
    entries that ``ledger progress add`` committed.
    """
    return _log(path.parent, *(f"-L{start},{end}:{path.name}" for start, end in ranges)) if ranges else []


def file_history(paths: list[Path]) -> list[HistoryEntry]:
    """Commits that changed any of ``paths`` (all in one folder), newest first, without their diffs."""
    return _log(paths[0].parent, "--", *(p.name for p in paths)) if paths else []


def _log(folder: Path, *args: str) -> list[HistoryEntry]:
    """``git log``: each commit's header line, then the lines its diff (if shown) adds and removes."""
    output = _git(folder, "log", f"--format={_SEPARATOR}%h%x00%an%x00%aI%x00%s", *args).stdout
    entries = []
    for chunk in output.split(_SEPARATOR)[1:]:
        header, _newline, diff = chunk.partition("\n")
        commit, author, date, subject = header.split("\x00")
        added, removed = [], []
        for line in diff.splitlines():
            if line.startswith("+") and not line.startswith("+++"):
                added.append(line[1:])
            elif line.startswith("-") and not line.startswith("---"):
                removed.append(line[1:])
        entries.append(HistoryEntry(commit, author, date, subject, tuple(added), tuple(removed)))
    return entries


#: ``@@ -12,3 +14,2 @@``: the new side of a hunk starts at line 14 and spans 2 lines (1 when omitted).
_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


def merge_base(root: Path, revision: str) -> str:
    """The commit where ``revision`` and HEAD meet: what a pull request's changes are counted from.

    A revision that does not exist, or shares no history with HEAD, is a usage error (exit 2).
    """
    commit = resolve(root, revision)
    if commit is None:
        raise GitError(
            _(
                "'{revision}' is not a commit of {folder}; name a branch, tag or commit "
                "(in a shallow clone, fetch it first)"
            ).format(revision=revision, folder=root),
            exit_code=2,
        )
    result = _git(root, "merge-base", commit, "HEAD", check=False)
    if result.returncode != 0:
        raise GitError(
            _(
                "'{revision}' and HEAD share no history in {folder}; fetch the whole history "
                "(actions/checkout with fetch-depth: 0)"
            ).format(revision=revision, folder=root),
            exit_code=2,
        )
    return result.stdout.strip()


def changed_lines(root: Path, base: str, folder: Path) -> dict[Path, set[int] | None]:
    """Files under ``folder`` that differ from ``base`` in the working tree, with the lines now changed.

    A file git does not track yet counts as changed as a whole (``None``). Lines only deleted leave no
    line behind; what the deletion breaks elsewhere is for the caller to find.
    """
    pathspec = str(folder.resolve())
    diff = _git(
        root,
        "-c",
        "core.quotepath=off",
        "diff",
        "--no-ext-diff",
        "--no-color",
        "--no-renames",
        "-U0",
        base,
        "--",
        pathspec,
    ).stdout
    changed: dict[Path, set[int] | None] = {}
    lines: set[int] | None = None
    for raw in diff.splitlines():
        if raw.startswith("+++ "):
            name = raw[4:].rstrip("\t")  # git ends a name holding spaces with a tab
            lines = None if name == "/dev/null" else changed.setdefault(root / name.removeprefix("b/"), set())
        elif lines is not None and (hunk := _HUNK.match(raw)):
            start, count = int(hunk.group(1)), int(hunk.group(2) or 1)
            lines.update(range(start, start + count))
    untracked = _git(root, "ls-files", "--others", "--exclude-standard", "-z", "--", pathspec).stdout
    for name in filter(None, untracked.split("\0")):
        changed[root / name] = None
    return changed


def export_tree(root: Path, revision: str, folder: Path, destination: Path) -> Path | None:
    """Write ``folder`` as it was at ``revision`` under ``destination``; None if it did not exist then."""
    relative = folder.resolve().relative_to(root.resolve()).as_posix()
    listed = _git(root, "ls-tree", "-r", "-z", "--name-only", revision, "--", relative).stdout
    names = [name for name in listed.split("\0") if name]
    if not names:
        return None
    for name in names:
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(_git_bytes(root, "show", f"{revision}:{name}"))
    return destination / relative


def _git_bytes(folder: Path, *args: str, content: bytes | None = None) -> bytes:
    """``git`` with bytes in and out, unchanged (no decoding): a file's bytes, or a blob's."""
    result: subprocess.CompletedProcess[bytes] = _run(folder, args, input=content)
    if result.returncode != 0:
        said = result.stderr.decode("utf-8", "replace").strip()
        raise GitError(_("git {command} failed: {output}").format(command=args[0], output=said))
    return result.stdout
