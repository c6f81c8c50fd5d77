"""Files the ledger reads and writes, with the care that other programs touching them demands.

Reads take regular files only, under a size limit (a FIFO would hang a read, a device or a huge file
would exhaust memory). A data file is replaced only if it still holds exactly the bytes it was read as
(compare and swap), and through a symbolic link to its target, never the link. Output files are a new
path or an existing regular file that may be written. One lock per ledger serialises writers.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from .i18n import N_, _
from .messages import Message, shown

#: A data file larger than this is refused before parsing (the real files are under 100 kB, a ledger a
#: hundred times larger under 10 MB).
MAX_DATA_BYTES = 32 * 1024 * 1024
#: A source text larger than this is not a policy document (the real one is 30 kB).
MAX_SOURCE_BYTES = 4 * 1024 * 1024
LOCK_TIMEOUT_SECONDS = 30.0


class FileRefused(Exception):
    """A file that cannot be used as asked: why, and what to do, in one line for people (``str``).

    A refusal to read also keeps its words as data (``reason`` and ``hint``, English ``Message``s, and
    the ``path``), because it can become a finding of ``ledger validate``, whose JSON is the same in
    every language."""

    def __init__(
        self,
        text: str | Message,
        *,
        path: object = None,
        reason: Message | None = None,
        hint: Message | None = None,
    ) -> None:
        super().__init__(text)
        self.path, self.reason, self.hint = path, reason, hint

    def __str__(self) -> str:
        return str(shown(self.args[0]))


def _unreadable(path: Path, reason: Message, hint: Message | None = None) -> FileRefused:
    """A refusal to read ``path``: ``{path}: {reason}; {hint}`` for people, and each part as data."""
    whole = (
        Message(N_("{path}: {reason}; {hint}"), path=path, reason=reason, hint=hint)
        if hint
        else Message(N_("{path}: {reason}"), path=path, reason=reason)
    )
    return FileRefused(whole, path=path, reason=reason, hint=hint)


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes (symbolic links are followed)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # a FIFO must not block the open
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise _unreadable(
                    path, Message(N_("not a regular file")), Message(N_("name a file of the ledger"))
                )
            if info.st_size > limit:
                megabytes, most = f"{info.st_size / 1024 / 1024:.0f}", limit // 1024 // 1024
                raise _unreadable(
                    path,
                    Message(
                        N_("file is {size} MB, over the {limit} MB a ledger file may have"),
                        size=megabytes,
                        limit=most,
                    ),
                    Message(N_("is this the right file?")),
                )
            chunks = []
            size = 0
            while chunk := os.read(fd, 1 << 20):
                chunks.append(chunk)
                size += len(chunk)
                if size > limit:  # it grew since fstat
                    raise _unreadable(
                        path,
                        Message(N_("over the {limit} MB allowed"), limit=limit // 1024 // 1024),
                        Message(N_("is this the right file?")),
                    )
        finally:
            os.close(fd)
    except FileNotFoundError:
        raise _unreadable(path, Message(N_("no such file"))) from None
    except OSError as exc:
        raise _unreadable(path, Message(N_("cannot read it ({reason})"), reason=exc.strerror or exc)) from exc
    return b"".join(chunks)


def confined(root: Path, relative: str) -> Path:
    """``relative`` inside ``root``, or FileRefused: a path in the data never reaches outside the ledger.

    The check is made on the resolved path, so a symbolic link out of the folder is refused too.
    """
    candidate = Path(relative)
    if candidate.is_absolute() or ".." in candidate.parts or not relative.strip():
        reason = Message(N_("'{path}' is not a path inside the data folder"), path=relative)
        hint = Message(N_("write it like source/name.txt"))
    else:
        base = root.resolve()
        resolved = (base / candidate).resolve()
        if resolved.is_relative_to(base):
            return resolved
        reason = Message(N_("'{path}' leads outside the data folder (through a link)"), path=relative)
        hint = Message(N_("copy the file in"))
    raise FileRefused(Message(N_("{reason}; {hint}"), reason=reason, hint=hint), reason=reason, hint=hint)


class Changed(Exception):
    """The file no longer holds the bytes it was read as: another program wrote it in the meantime."""


def replace_if_unchanged(path: Path, expected: bytes, new: bytes) -> None:
    """Replace the file with ``new`` if it still holds ``expected``; readers see the old or the new file.

    A symbolic link is written through (its target is replaced, the link stays). The new file keeps the
    old one's permissions. Raises ``Changed`` when the comparison fails, ``OSError`` when the disk does.
    """
    target = path.resolve()
    if not stat.S_IMODE(target.stat().st_mode) & stat.S_IWUSR:  # root ignores modes; the ledger does not
        raise FileRefused(
            _("{file} is read-only; make it writable (chmod u+w {file}) to change it").format(file=path.name)
        )
    temporary = _temporary_copy(target, new, keep_mode=True)
    try:
        if read_regular(target, MAX_DATA_BYTES) != expected:
            raise Changed(str(path))
        if not _exchange(temporary, target):
            os.replace(temporary, target)  # where the kernel cannot swap, the check above is the last
        elif read_regular(temporary, MAX_DATA_BYTES) != expected:
            # another program saved between the check and the swap: its file is now at the temporary
            # name, and goes back where it was
            _exchange(temporary, target)
            raise Changed(str(path))
    finally:
        temporary.unlink(missing_ok=True)


def create_if_absent(path: Path, content: bytes) -> None:
    """Create ``path`` holding ``content`` if nothing is there; readers see no file or the whole file.

    The bytes are written to a temporary file first and linked to the name, which fails if the name
    exists: a file another program created in the meantime is never overwritten (``Changed``).
    """
    if path.exists() or path.is_symlink():
        raise Changed(str(path))
    temporary = _temporary_copy(path, content, keep_mode=False)
    try:
        try:
            os.link(temporary, path)
        except FileExistsError:
            raise Changed(str(path)) from None
        except OSError as exc:
            if exc.errno not in (1, 38, 95):  # EPERM, ENOSYS, EOPNOTSUPP: no hard links here
                raise
            with open(path, "xb") as handle:  # exclusive, though not all at once
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
    finally:
        temporary.unlink(missing_ok=True)


def remove_if_unchanged(path: Path, expected: bytes) -> None:
    """Remove ``path`` if it still holds ``expected`` (a file this writer created, being undone);
    otherwise leave it and raise ``Changed``."""
    import secrets

    target = path.resolve()
    # not a .tmp name: should it have to stay (below), no writer removes it as its own leftover
    aside = target.parent / f".{target.name}.{secrets.token_hex(6)}.aside"
    os.rename(target, aside)  # readers now see no file; what is aside is what the name held
    try:
        held = read_regular(aside, MAX_DATA_BYTES)
    except FileRefused:
        held = None
    if held != expected:
        try:
            os.link(aside, target)  # put it back, unless someone created the name again meanwhile
        except FileExistsError:
            pass
        else:
            aside.unlink()
        raise Changed(str(path))
    aside.unlink()


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2`` with ``RENAME_EXCHANGE``); False where the
    system cannot. After the swap the temporary name holds exactly what the data file held at that
    instant, so a save by another program in the last moment before the write is seen, not lost."""
    import ctypes
    import sys

    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    if result == 0:
        return True
    error = ctypes.get_errno()
    if error in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: this file system cannot swap
        return False
    raise OSError(error, os.strerror(error), str(second))


def write_output(path: Path, content: bytes) -> None:
    """Write a file the user asked for (``report -o``): a new path or a regular file that may be written,
    never a link, a device or a folder, and never half: it is replaced whole."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        info = None
    if info is not None:
        if stat.S_ISLNK(info.st_mode):
            raise FileRefused(
                _("{path} is a symbolic link; name the file itself or a new path").format(path=path)
            )
        if not stat.S_ISREG(info.st_mode):
            raise FileRefused(
                _("{path} is not a regular file; name a new path or a file to overwrite").format(path=path)
            )
        if not stat.S_IMODE(info.st_mode) & stat.S_IWUSR:
            raise FileRefused(
                _("{path} is read-only; make it writable or name another path").format(path=path)
            )
    if not path.parent.is_dir():
        raise FileRefused(
            _("{path}: no such folder; create it or name another path").format(path=path.parent)
        )
    temporary = _temporary_copy(path, content, keep_mode=info is not None)
    try:
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def append_output(path: Path, content: bytes) -> None:
    """Append to a file another program reads (GitHub's step summary): a regular file or a new one,
    never a FIFO (which would hang the write) or a device."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NONBLOCK", 0), 0o644)
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise FileRefused(_("{path}: not a regular file").format(path=path))
            os.write(fd, content)
        finally:
            os.close(fd)
    except OSError as exc:
        raise FileRefused(
            _("{path}: cannot write it ({reason})").format(path=path, reason=exc.strerror or exc)
        ) from exc


def _temporary_copy(path: Path, content: bytes, *, keep_mode: bool) -> Path:
    """``content`` in a new temporary file beside ``path`` (with its permissions if ``keep_mode``),
    flushed to disk."""
    import tempfile

    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        if keep_mode:
            os.chmod(temporary, stat.S_IMODE(path.stat().st_mode))
        else:  # a new file gets the permissions any new file gets here, not mkstemp's private 0600
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Path(temporary)


def remove_stale_temporaries(path: Path) -> None:
    """Temporary files a killed writer left beside ``path``; under the lock no live writer owns one."""
    target = path.resolve()
    for stale in target.parent.glob(f".{target.name}.*.tmp"):
        stale.unlink(missing_ok=True)


@contextlib.contextmanager
def exclusive(lock_file: Path, timeout: float = LOCK_TIMEOUT_SECONDS) -> Iterator[None]:
    """Hold the ledger's write lock: a second writer waits its turn, then gives up in one line."""
    from filelock import FileLock, Timeout

    try:
        with FileLock(lock_file, timeout=timeout):
            yield
    except Timeout:
        raise FileRefused(
            _(
                "another ledger write has held the lock for {seconds} s; try again when it has finished"
            ).format(seconds=f"{timeout:.0f}")
        ) from None
