"""The write protocol: new bytes for one or several data files, written all or none and committed as one.

Every command that writes the ledger (``progress add``, ``import``, ``review``) goes through here:

1. ``locked``: hold the ledger's write lock, finish or undo what a killed writer left in the journal
   (``gitstore.recover``), and remove the temporary files it left.
2. The caller reads the files' bytes, loads the ledger from exactly those bytes, and builds each file's
   new bytes (round-trip edits that it reads back).
3. ``write_files``: the commit is prepared from the bytes to be written (HEAD must hold the bytes read,
   and must not hold a file that is new), and noted in the journal; each file is replaced only if it
   still holds the bytes read (compare and swap), a new one created only if nothing stands at its name;
   every file is read back; the branch moves only if it has not moved; the journal is removed.

Whenever another program gets in between, ``write_files`` puts back what it had written and raises
``TryAgain``: ``write_retrying`` starts over from step 2, a bounded number of times, and then refuses in one
line. A killed writer leaves the journal, which the next writer acts on: the files it had
not reached yet are written and the commit published, or, when it had reached none, nothing is. Nothing
is ever half written, and a commit holds the files of one write and nothing else.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from . import fileio, gitstore
from .i18n import N_, _
from .problems import LedgerError

#: What a refusal adds when another program kept getting in the way.
TRY_AGAIN = N_("nothing was written; try again when the other program has finished")
#: How many times a write starts over when another program got in between, and the pause before each
#: new start (another program's rewrite takes a moment to finish).
ATTEMPTS = 8
RETRY_PAUSE_SECONDS = 0.2


@dataclass(frozen=True)
class FileWrite:
    """One file of a write: the bytes it was read as (None: a new file, nothing may stand there) and
    the bytes it is to hold."""

    path: Path
    old: bytes | None
    new: bytes
    #: HEAD may not hold the file yet (a source text put in its place before it was imported): the
    #: commit adds it; a file HEAD holds must still hold ``old`` there
    adds: bool = False


class WriteRefused(LedgerError):
    """The write was not made (or not committed): for a reason starting over would not change, or because
    another program kept getting in between."""


class TryAgain(Exception):
    """Another program got in between; nothing was written. ``write_retrying`` reads the files again."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def lock_path(data_dir: Path) -> tuple[Path, bool]:
    """The ledger's lock file (in the git folder, else in the data folder), and whether the data folder
    is in a git repository."""
    repository = gitstore.git_dir(data_dir) if data_dir.is_dir() else None
    return (repository / "policy-ledger.lock" if repository else data_dir / ".ledger.lock"), bool(repository)


@contextlib.contextmanager
def locked(data_dir: Path, paths: Iterable[Path]) -> Iterator[str | None]:
    """Hold the write lock of the ledger in ``data_dir``; yields what was done about a write that a
    killed writer left unfinished (None: there was none). ``paths``: the files about to be written, whose
    stale temporary files are removed."""
    lock, in_repository = lock_path(data_dir)
    with fileio.exclusive(lock):
        recovered = gitstore.recover(data_dir) if in_repository else None
        for path in paths:
            if path.parent.is_dir():
                fileio.remove_stale_temporaries(path)
        yield recovered


def write_retrying(
    plan: Callable[[], tuple[list[FileWrite], str]], *, commit: bool
) -> tuple[list[FileWrite], str | None]:
    """Plan the writes from the files as they are now (``plan``: the writes and the commit message), and
    make them; plan again whenever another program got in between. The writes made and the commit's id
    (None: not committed); ``WriteRefused`` with the last reason when every attempt was overtaken."""
    refusal = ""
    for attempt in range(ATTEMPTS):
        if attempt:
            time.sleep(RETRY_PAUSE_SECONDS)
        planned, message = plan()
        try:
            return planned, write_files(planned, message, commit=commit)
        except TryAgain as exc:
            refusal = exc.message
    raise WriteRefused(refusal)


def write_files(writes: list[FileWrite], message: str, *, commit: bool) -> str | None:
    """Write every file of ``writes`` and, with ``commit``, commit them as one; the commit's id, or None.

    Raises ``TryAgain`` when another program got in between (nothing was written), ``WriteRefused``
    otherwise, in one line each. The files are written in the order given.
    """
    pending = None
    if commit:
        try:
            pending = gitstore.prepare_commit_of(
                [(w.path, w.old, w.new) for w in writes], message, adding={w.path for w in writes if w.adds}
            )
        except gitstore.Unsettled as exc:
            # a rewrite under way settles in a moment; edits by hand do not, and are refused at the end
            raise TryAgain(exc.message) from None
    done: list[FileWrite] = []
    current = writes[0]
    try:
        if pending is not None:
            gitstore.begin(pending)
        for current in writes:
            if current.old is None:
                current.path.parent.mkdir(parents=True, exist_ok=True)
                fileio.create_if_absent(current.path, current.new)
            else:
                fileio.replace_if_unchanged(current.path, current.old, current.new)
            done.append(current)
    except fileio.Changed:
        restored = _undo(done)
        gitstore.end(pending)
        if not restored:
            raise _not_restored(current, done) from None
        raise TryAgain(
            _("{file} kept changing while it was being written; {advice}").format(
                file=current.path.name, advice=_(TRY_AGAIN)
            )
        ) from None
    except fileio.FileRefused as exc:
        restored = _undo(done)
        gitstore.end(pending)
        if not restored:
            raise _not_restored(current, done) from None
        raise WriteRefused(_("{refusal}; nothing was written").format(refusal=exc)) from None
    except OSError as exc:
        restored = _undo(done)
        gitstore.end(pending)
        if not restored:
            raise _not_restored(current, done) from None
        raise WriteRefused(
            _("cannot write {file}: {reason}; nothing was written, the files are as they were").format(
                file=current.path.name, reason=exc.strerror or exc
            )
        ) from exc
    for write in writes:
        if fileio.read_regular(write.path, fileio.MAX_DATA_BYTES) != write.new:
            gitstore.end(pending)
            raise WriteRefused(
                _(
                    "{file} was changed by another program just after it was written; nothing was "
                    "committed: check `git status` and `git diff`, then try again"
                ).format(file=write.path.name)
            )
    if pending is None:
        return None
    if not gitstore.publish(pending):
        _undo(done)  # unless someone changed a file since, which then stays as they left it
        gitstore.end(pending)
        raise TryAgain(
            _(
                "the commit could not be added to the branch (it kept moving, or another git command "
                "holds it); {advice}"
            ).format(advice=_(TRY_AGAIN))
        )
    gitstore.end(pending)
    return pending.commit


def _undo(done: list[FileWrite]) -> bool:
    """Put back what was written, last file first, each only if it still holds what was written; False
    when a file could not be put back."""
    restored = True
    for write in reversed(done):
        try:
            if write.old is None:
                fileio.remove_if_unchanged(write.path, write.new)
            else:
                fileio.replace_if_unchanged(write.path, write.new, write.old)
        except (fileio.Changed, fileio.FileRefused, OSError):
            restored = False
    return restored


def _not_restored(failed: FileWrite, done: list[FileWrite]) -> WriteRefused:
    return WriteRefused(
        _(
            "{file} could not be written, and {written} could not be put back as they were (another "
            "program changed them); nothing was committed: check `git status` and `git diff`"
        ).format(file=failed.path.name, written=", ".join(w.path.name for w in done))
    )
