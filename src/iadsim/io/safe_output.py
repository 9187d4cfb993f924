"""Output folders that never destroy what iadsim did not write.

Every folder iadsim writes whole (a run, a coverage job) carries a marker file,
:data:`MARKER_NAME`, written first. A command may replace an existing folder only when that
folder carries the marker (or, for folders written before markers existed, holds nothing but
the files such a folder holds). Anything else at the output path (a file, a user's folder)
is refused before any simulation starts, with or without ``--force``; ``--force`` only lets a
run folder of one scenario be replaced by a run of another.

The new folder is written into a hidden temporary sibling and then exchanged with the old one
in one atomic ``renameat2(RENAME_EXCHANGE)`` where the kernel offers it, so the output path
always holds the old run or the new one. Where it does not, two renames are used, and a run
killed between them leaves the old folder in a hidden ``.NAME.old-PID`` sibling that the next
command on the same path puts back (:func:`recover_siblings`).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import json
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

MARKER_NAME = ".iadsim-output.json"
MARKER_FORMAT = "iadsim-output/1"

# Files of a run or coverage folder written before the marker existed (iadsim <= 0.1.0).
_LEGACY_FILES = {
    "run": re.compile(r"(events|tracks|picture_metrics)\.parquet|summary\.json|map\.png"),
    "coverage": re.compile(
        r"pd_map[\w.-]*\.(png|nc|tif)|boundary\.geojson|(vertical|compare)_[\w.-]*\.png"
    ),
}
NAME_BYTES = 255
"""Longest file or folder name on common file systems (ext4, XFS, APFS, NTFS: 255)."""

PATH_BYTES = 4000
"""Longest output path accepted (Linux PATH_MAX is 4096 bytes, with room for file names)."""

SIBLING_SUFFIX_BYTES = 32
"""Room kept in the output folder's name for ``.NAME.tmp-PID`` beside it."""

_SIBLING = re.compile(r"^\.(?P<name>.+)\.(?P<state>tmp|old)-(?P<pid>\d+)$")


class OutputError(Exception):
    """An output path iadsim refuses to write; the CLI prints it and exits with code 2."""

    exit_code = 2


def read_marker(folder: Path) -> dict | None:
    """The marker of an iadsim output folder, or None if ``folder`` has none."""
    path = folder / MARKER_NAME
    if path.is_symlink() or not path.is_file():
        return None
    try:
        marker = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(marker, dict) or marker.get("format") != MARKER_FORMAT:
        return None
    return marker


def _is_ours(folder: Path) -> bool:
    """A folder with iadsim's marker, or a marker-less one holding only output files."""
    legacy = any(_is_legacy_output(folder, kind) for kind in _LEGACY_FILES)
    return read_marker(folder) is not None or legacy


def _is_legacy_output(folder: Path, kind: str) -> bool:
    """A folder written by an iadsim without markers: only that kind's files, summary or map."""
    try:
        entries = list(folder.iterdir())
    except OSError:
        return False
    return bool(entries) and all(
        _LEGACY_FILES[kind].fullmatch(entry.name) and entry.is_file() and not entry.is_symlink()
        for entry in entries
    )


def check_output_target(
    target: Path, kind: str, owner: str, *, force: bool = False, flag: str = "--out"
) -> None:
    """Refuse an output path that would destroy something iadsim did not write.

    Call before any work starts, so a refusal costs nothing.

    Parameters
    ----------
    target : Path
        The folder the command will write.
    kind : {"run", "coverage"}
        What the folder will hold.
    owner : str
        Name of the scenario the folder is for; recorded in the marker.
    force : bool
        Allow replacing an iadsim folder of the same kind written for another scenario.
    flag : str
        The option that names ``target``, for the message.

    Raises
    ------
    OutputError
        ``target`` is a file or link, a folder that is not an iadsim ``kind`` folder, an
        iadsim folder of another kind or (without ``force``) of another scenario, or a place
        that cannot be written.
    """
    if str(target) in ("", "."):
        raise OutputError(f"{flag} must name a folder to create, not the current folder")
    if "\0" in str(target):
        raise OutputError(f"{flag} contains a NUL character")
    _check_name_lengths(target, flag)
    try:
        _check_existing(target, kind, owner, force, flag)
    except OSError as error:  # e.g. a component that is not a folder, a path loop
        raise OutputError(f"{flag}: {target}: {error.strerror or error}") from None


def _check_name_lengths(target: Path, flag: str) -> None:
    """Every folder name fits the file system's limit, with room for the temporary sibling.

    Checked before anything is created, so a too-long name never leaves parent folders
    behind half-way.
    """
    if len(os.fsencode(target)) > PATH_BYTES:
        raise OutputError(f"{flag} is longer than {PATH_BYTES} bytes")
    for part in target.parts:
        limit = NAME_BYTES - SIBLING_SUFFIX_BYTES if part == target.name else NAME_BYTES
        if len(os.fsencode(part)) > limit:
            raise OutputError(
                f"{flag}: the folder name {part[:40]!r}... is longer than {limit} bytes"
            )


def _check_existing(target: Path, kind: str, owner: str, force: bool, flag: str) -> None:
    """What is at ``target`` now may be replaced (see :func:`check_output_target`)."""
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise OutputError(
            f"{target} exists and is not a folder; iadsim will not replace it. "
            f"Choose another {flag}."
        )
    recover_siblings(target)
    if target.is_dir() and any(target.iterdir()):
        marker = read_marker(target)
        if marker is None and not _is_legacy_output(target, kind):
            raise OutputError(
                f"{target} is a folder that iadsim did not write; iadsim never replaces it "
                f"(not even with --force). Choose another {flag}."
            )
        if marker is not None and marker.get("kind") != kind:
            raise OutputError(
                f"{target} holds an iadsim {marker.get('kind')} folder, not a {kind} folder. "
                f"Choose another {flag}."
            )
        if marker is not None and marker.get("owner") != owner and not force:
            raise OutputError(
                f"{target} holds the {kind} of {marker.get('owner')!r}, not of {owner!r}; "
                f"add --force to replace it, or choose another {flag}."
            )
    _check_writable(target.parent if not target.exists() else target, flag)


def _check_writable(place: Path, flag: str) -> None:
    """The nearest existing folder on the way to ``place`` must be a writable folder."""
    existing = place
    while not existing.exists():
        if existing.parent == existing:
            break
        existing = existing.parent
    if existing.is_symlink() and not existing.is_dir():
        raise OutputError(f"{flag}: {existing} is a link to something that is not a folder")
    if not existing.is_dir():
        raise OutputError(f"{flag}: {existing} is a file, so nothing can be created under it")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise OutputError(f"{flag}: cannot write in {existing} (permission denied)")
    probe = existing / f".iadsim-probe-{os.getpid()}"
    try:
        probe.mkdir()
        probe.rmdir()
    except OSError as error:
        raise OutputError(f"{flag}: cannot write in {existing} ({error.strerror})") from error


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover_siblings(target: Path) -> None:
    """Clean up after commands on ``target`` that were killed mid-write.

    A dead process's ``.NAME.old-PID`` folder (the previous output, moved aside just before
    the new one was to be moved in) is put back when ``target`` is missing and deleted
    otherwise; its ``.NAME.tmp-PID`` folder (an unfinished output) is deleted. Only folders
    that are iadsim's (marker, or only output files) are touched.
    """
    parent = target.parent
    if not parent.is_dir():
        return
    for sibling in sorted(parent.iterdir()):
        match = _SIBLING.match(sibling.name)
        if match is None or match["name"] != target.name or _pid_alive(int(match["pid"])):
            continue
        if sibling.is_symlink() or not sibling.is_dir():
            continue
        empty = not any(sibling.iterdir())
        if not (_is_ours(sibling) or (empty and match["state"] == "tmp")):
            continue
        if match["state"] == "old" and not target.exists():
            sibling.replace(target)
        else:
            shutil.rmtree(sibling, ignore_errors=True)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2``); False where that is not available."""
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError, TypeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange)
    if result == 0:
        return True
    if ctypes.get_errno() in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(first))


def _write_marker(folder: Path, kind: str, owner: str) -> None:
    marker = {"format": MARKER_FORMAT, "kind": kind, "owner": owner}
    (folder / MARKER_NAME).write_text(json.dumps(marker, sort_keys=True) + "\n", encoding="utf-8")


@contextmanager
def atomic_output(
    target: str | Path, kind: str, owner: str, *, force: bool = False
) -> Iterator[Path]:
    """Yield a temporary folder that replaces ``target`` only if the block succeeds.

    ``target`` is checked with :func:`check_output_target` first. The temporary folder sits
    beside ``target`` (same file system) and carries the marker from the start. On any
    error it is deleted and ``target`` is left as it was.
    """
    target = Path(target)
    check_output_target(target, kind, owner, force=force)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.parent / f".{target.name}.tmp-{os.getpid()}"
    shutil.rmtree(temporary, ignore_errors=True)
    temporary.mkdir()
    try:
        _write_marker(temporary, kind, owner)
        yield temporary
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    if target.is_dir() and _exchange(temporary, target):
        shutil.rmtree(temporary, ignore_errors=True)  # now the old folder
        return
    if target.is_dir() and not any(target.iterdir()):
        target.rmdir()
    if target.exists():
        old = target.parent / f".{target.name}.old-{os.getpid()}"
        target.replace(old)
        temporary.replace(target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        temporary.replace(target)
