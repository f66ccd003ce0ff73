"""Files on disk: output paths checked before any work, and atomic writes.

Every file the package writes goes through this module:

- :func:`check_out_path` refuses a bad destination before anything is computed;
- :func:`atomic_output` hands out a temporary file next to the destination
  (created with ``O_EXCL``, so two writers never share one, and with the
  umask's mode, 0644 under umask 022),
  flushes it to disk with :func:`os.fsync` and renames it into place with
  :func:`os.replace`;
- :func:`write_files` does the same for several files at once, all or
  nothing (see there for exactly what that means).

>>> import tempfile
>>> from pathlib import Path
>>> folder = Path(tempfile.mkdtemp())
>>> write_files({folder / "a.txt": b"one", folder / "b.txt": b"two"})  # doctest: +ELLIPSIS
[...a.txt'), ...b.txt')]
>>> sorted(p.name for p in folder.iterdir())
['a.txt', 'b.txt']
>>> import shutil
>>> shutil.rmtree(folder)
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Final

from zones.errors import ArgumentError

#: Start and marker of every temporary file name: hidden, and recognisable as unfinished.
TEMPORARY_PREFIX: Final = ".zones-"
TEMPORARY_MARKER: Final = ".part"
#: Longest file suffix kept on a temporary name (drivers such as GDAL look at the suffix).
MAX_SUFFIX_CHARS: Final = 16
#: Mode a new file asks for; the umask takes its share off, as for any file :func:`open` creates.
_NEW_FILE_MODE: Final = 0o666
#: Random names tried before giving up.
_NAME_TRIES: Final = 100


def check_out_path(out: str | os.PathLike[str], *, allowed_suffixes: tuple[str, ...], argument: str = "out") -> Path:
    """Return ``out`` as a path whose folder exists and whose suffix is allowed.

    Parameters
    ----------
    out : str or os.PathLike
        The destination file.
    allowed_suffixes : tuple of str
        Lower-case suffixes with their dot, e.g. ``(".csv",)``.
    argument : str
        Name used in the error message.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    ArgumentError
        If the suffix is not one of ``allowed_suffixes``, the folder does not
        exist, or ``out`` is a folder.

    Examples
    --------
    >>> check_out_path("zone.txt", allowed_suffixes=(".csv",))
    Traceback (most recent call last):
    ...
    zones.errors.ArgumentError: 'out' should be a file name ending in .csv, got 'zone.txt'
    """
    path = Path(out)
    if path.suffix.lower() not in allowed_suffixes:
        raise ArgumentError(argument, str(out), "a file name ending in " + " or ".join(allowed_suffixes))
    if path.is_dir():
        raise ArgumentError(argument, str(out), "a file name, not a folder")
    if not path.parent.resolve().is_dir():
        raise ArgumentError(argument, str(out), "a path in an existing folder", f"'{path.parent}' does not exist.")
    return path


def temporary_path(path: str | os.PathLike[str]) -> Path:
    """Create and return a new empty hidden file next to ``path``, with the same suffix.

    The file is made in ``path``'s folder (so the final :func:`os.replace`
    stays on one file system), named like ``.zones-k3j2l1.part.geojson``,
    with ``O_EXCL`` so two writers never share one. Unlike
    :func:`tempfile.mkstemp` (mode 0600), it is created with mode 0666 less
    the process's umask, as :func:`open` would create ``path`` itself: under
    the usual umask 022 the finished file is 0644, readable by a web server
    running as another user. Its name does not grow with ``path``'s own, so
    any name the file system accepts for ``path`` works. The caller removes it.

    Parameters
    ----------
    path : str or os.PathLike
        The destination the temporary file stands in for.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    FileExistsError
        If no free name was found (practically never).
    """
    path = Path(path)
    suffix = TEMPORARY_MARKER + path.suffix[:MAX_SUFFIX_CHARS]
    for _ in range(_NAME_TRIES):
        candidate = path.parent / f"{TEMPORARY_PREFIX}{secrets.token_hex(6)}{suffix}"
        try:
            handle = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, _NEW_FILE_MODE)
        except FileExistsError:
            continue
        os.close(handle)
        return candidate
    raise FileExistsError(f"no free temporary name next to {path}")


def _sync(path: Path) -> None:
    """Flush ``path``'s content to the disk."""
    with path.open("rb") as stream:
        os.fsync(stream.fileno())


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; on success flush it and rename it to ``path``.

    The temporary name keeps the suffix, so format drivers that look at it
    still work. On any exception (``KeyboardInterrupt`` included) the
    temporary file is removed and ``path`` is left as it was.

    Parameters
    ----------
    path : str or os.PathLike
        The destination file.

    Yields
    ------
    pathlib.Path
        The temporary file to write.
    """
    path = Path(path)
    tmp = temporary_path(path)
    try:
        yield tmp
        _sync(tmp)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def write_files(contents: Mapping[Path, bytes]) -> list[Path]:
    """Write several files all or nothing; return their paths.

    Every file is first written under a temporary name and flushed to disk;
    only then are they renamed into place, one by one. If anything fails
    (writing, flushing or a rename), the files already renamed are put back
    as they were (a file that existed is restored from a hard link or copy
    kept aside, a new one is removed), and no temporary file is left.

    What is not guaranteed: a power cut or ``kill -9`` *during* the renames
    can leave some files new and some old, and the kept-aside copies behind
    as hidden ``.zones-*.part*`` files. No file is ever left half-written.

    Parameters
    ----------
    contents : mapping of pathlib.Path to bytes
        Each destination and its content.

    Returns
    -------
    list of pathlib.Path
        The destinations, in order.
    """
    temps: dict[Path, Path] = {}
    backups: dict[Path, Path | None] = {}
    try:
        for path, content in contents.items():
            temps[path] = temporary_path(path)
            temps[path].write_bytes(content)
            _sync(temps[path])
        for path, tmp in temps.items():
            backups[path] = _keep_aside(path)
            tmp.replace(path)
    except BaseException:
        _restore(backups, temps)
        raise
    finally:
        for leftover in [*temps.values(), *(b for b in backups.values() if b is not None)]:
            leftover.unlink(missing_ok=True)
    return list(contents)


def _keep_aside(path: Path) -> Path | None:
    """Return a hidden copy of ``path`` (a hard link where possible), or None if it does not exist.

    A symbolic link is copied as a link, so putting it back restores the link itself.
    """
    if not path.exists() and not path.is_symlink():
        return None
    backup = temporary_path(path)
    backup.unlink()  # the name is ours; os.link needs it free
    if path.is_symlink():
        backup.symlink_to(path.readlink())
        return backup
    try:
        backup.hardlink_to(path)
    except OSError:  # a file system without hard links
        shutil.copy2(path, backup)
    return backup


def _restore(backups: Mapping[Path, Path | None], temps: Mapping[Path, Path]) -> None:
    """Undo the renames done so far: put each kept-aside copy back, remove new files."""
    for path, backup in backups.items():
        if temps[path].exists():  # not renamed yet
            continue
        if backup is None:
            path.unlink(missing_ok=True)
        else:
            backup.replace(path)
