"""Directories and files only the service's own user may read: the data dir, keys, the database.

They hold full NIPs, NIP salts, signing keys and the console's secret. Under the usual umask
(022) new files come out world-readable, so each is made with its mode from the start, and one
found looser on start (an older version, a restore from a backup) is tightened and logged: once,
since afterwards it is no longer loose.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path
from typing import Final

log = logging.getLogger("satupintu")

PRIVATE_DIR: Final = 0o700
PRIVATE_FILE: Final = 0o600


def private_dir(path: Path, *, create: bool = True) -> None:
    """``path`` as a directory of mode 0700 (its parents, if made, as the umask says)."""
    if create:
        # exist_ok: another service process starting at the same moment may make it first.
        path.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    _tighten(path, PRIVATE_DIR)


def private_file(path: Path, *, create: bool = False) -> None:
    """``path`` as a file of mode 0600; ``create`` makes it empty when missing."""
    if create and not path.exists() and path.parent.is_dir():
        # The mode is given to open(), so the file is never readable by others, not even briefly.
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE))
    _tighten(path, PRIVATE_FILE)


def _tighten(path: Path, wanted: int) -> None:
    try:
        current = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return
    if current & ~wanted:
        try:
            path.chmod(current & wanted)
        except PermissionError:
            # Not the service's own (a mount, another owner): say so rather than refuse to start.
            log.warning("cannot tighten the permissions of %s (%s): not owned", path, oct(current))
            return
        log.warning(
            "tightened the permissions of %s from %s to %s: only the service's user may read it",
            path,
            oct(current),
            oct(current & wanted),
        )
