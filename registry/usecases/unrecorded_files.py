"""Files a dead process stored but never recorded: found and removed.

Every file is stored before the transaction that records it commits, so that no record ever
points at a missing file. A process killed between the two leaves a stored file that no record
points at. To find such files, each one is *announced* (owner and hash, its own small commit)
before it is stored; the owner's recording transaction forgets the announcements of the files it
records. What is left over names a file some attempt stored and never recorded:

- when the owner is finished later (a resumed document issued or voided, a batch merged again),
  its leftovers are removed at once, unless some record points at the same bytes;
- otherwise :meth:`UnrecordedFiles.sweep`, run with the abandoned-documents sweep, removes those
  announced more than :data:`SWEEP_AFTER` ago (no live attempt takes that long between storing a
  file and committing its record).

A remaining race, accepted: two attempts at the same owner at once (the abandoned sweep beside a
live request), one killed after storing while the other removes its leftovers, can leave one file
behind without an announcement.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Callable, Collection, Iterable
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from registry.adapters.db import unrecorded_files
from registry.adapters.db.engine import Database
from registry.adapters.files import FileStore
from registry.usecases.production import LOGO_KEY

log = logging.getLogger("satupintu")

#: Longer than any live attempt spends between announcing a file and committing its record.
SWEEP_AFTER = timedelta(hours=1)
SWEEP_BATCH = 500


def document_owner(document_id: uuid.UUID) -> str:
    return f"document:{document_id}"


def batch_owner(batch_id: uuid.UUID) -> str:
    return f"batch:{batch_id}"


def request_owner(request_id: uuid.UUID) -> str:
    return f"request:{request_id}"


def sha256_of_file(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


class UnrecordedFiles:
    def __init__(self, db: Database, store: FileStore, now: Callable[[], datetime]) -> None:
        self.db = db
        self.store = store
        self.now = now

    def announce(self, owner: str, hashes: Iterable[str]) -> None:
        """Say, in a commit of its own, that ``owner`` is about to store these files."""
        with self.db.writing() as session:
            unrecorded_files.announce(session, owner, hashes, self.now())

    def settle(self, session: Session, owner: str, recorded: Collection[str]) -> set[str]:
        """In the owner's recording transaction: the recorded files are accounted for. Returns
        the hashes other attempts of this owner announced; pass them to :meth:`remove` after the
        commit."""
        return unrecorded_files.settle(session, owner, recorded)

    def remove(self, owner: str, hashes: Collection[str]) -> None:
        """Remove the owner's leftover files that nothing else wants, then their announcements.

        Never raises: the announcement of a file that could not be removed stays for the sweep.
        """
        if not hashes:
            return
        try:
            with self.db.reading() as session:
                wanted = unrecorded_files.still_wanted(session, owner, hashes, LOGO_KEY)
            for sha256 in hashes:
                self._drop(owner, sha256, keep_file=sha256 in wanted)
        except Exception:
            log.exception("removing files left behind for %s failed; the sweep tries again", owner)

    def sweep(self, *, limit: int = SWEEP_BATCH) -> int:
        """Remove files announced more than :data:`SWEEP_AFTER` ago and never recorded; returns
        how many files were removed."""
        with self.db.reading() as session:
            stale = unrecorded_files.announced_before(session, self.now() - SWEEP_AFTER, limit)
        removed = 0
        for owner, sha256 in stale:
            with self.db.reading() as session:
                wanted = bool(unrecorded_files.still_wanted(session, owner, [sha256], LOGO_KEY))
            removed += self._drop(owner, sha256, keep_file=wanted)
        return removed

    def _drop(self, owner: str, sha256: str, *, keep_file: bool) -> bool:
        """Forget one announcement, removing its file first unless something else wants it;
        True if a stored file was removed."""
        removed = not keep_file and self.store.exists(sha256)
        if removed:
            self.store.remove(sha256)
            log.info("removed %s, stored for %s but never recorded", sha256, owner)
        with self.db.writing() as session:
            unrecorded_files.forget(session, owner, sha256)
        return removed
