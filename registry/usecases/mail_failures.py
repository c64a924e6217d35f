"""E-mail notifications that could not be sent, as the audit log recorded them.

The notification job writes ``notification.failed`` after its last retry (see
:mod:`registry.usecases.notifications`): the event, how many recipients, the subject and the
error, never the addresses or the body. An admin reads them here to see who was not told.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from registry.adapters.db.engine import Database
from registry.adapters.db.schema import AuditEntry
from registry.domain.actors import Actor
from registry.domain.errors import PermissionDenied

__all__ = ["FailedMail", "MailFailures"]

FAILED = "notification.failed"
_READERS = ("admin", "operator")
# The page shows the latest sends; older ones stay in the audit log.
SHOWN = 200


@dataclass(frozen=True)
class FailedMail:
    seq: int
    at: datetime
    event: str
    #: The request or batch the mail was about.
    subject_id: str | None
    recipients: int
    subject: str
    error: str


class MailFailures:
    def __init__(self, db: Database) -> None:
        self.db = db

    def latest(self, actor: Actor, *, limit: int = SHOWN) -> list[FailedMail]:
        """Newest first."""
        _require_reader(actor)
        query = (
            select(AuditEntry)
            .where(AuditEntry.action == FAILED)
            .order_by(AuditEntry.seq.desc())
            .limit(limit)
        )
        with self.db.reading() as session:
            return [_failed(entry) for entry in session.execute(query).scalars()]

    def count_since(self, actor: Actor, since: datetime) -> int:
        _require_reader(actor)
        query = (
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == FAILED, AuditEntry.at >= since)
        )
        with self.db.reading() as session:
            return int(session.execute(query).scalar_one())

    def count_last_week(self, actor: Actor, now: datetime) -> int:
        return self.count_since(actor, now - timedelta(days=7))


def _failed(entry: AuditEntry) -> FailedMail:
    details = json.loads(entry.details)
    return FailedMail(
        seq=entry.seq,
        at=entry.at,
        event=str(details.get("event", "")),
        subject_id=entry.subject,
        recipients=int(details.get("recipients", 0)),
        subject=str(details.get("subject", "")),
        error=str(details.get("error", "")),
    )


def _require_reader(actor: Actor) -> None:
    if actor.role not in _READERS:
        raise PermissionDenied("Hanya admin yang dapat melihat e-mail yang gagal terkirim")
