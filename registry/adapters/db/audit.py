"""The hash-chained audit log: append inside the caller's transaction, verify the whole chain."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from registry.adapters.db.schema import AuditEntry, AuditHead, table_of
from registry.domain.encoding import canonical_json

GENESIS_HASH = "0" * 64


def entry_hash(
    prev_hash: str,
    *,
    seq: int,
    at: datetime,
    actor: str,
    action: str,
    subject: str | None,
    details: str,
) -> str:
    body = canonical_json(
        {
            "seq": seq,
            "at": _as_utc(at).isoformat(timespec="microseconds"),
            "actor": actor,
            "action": action,
            "subject": subject,
            "details": details,
        }
    )
    return hashlib.sha256(prev_hash.encode("ascii") + b"\n" + body).hexdigest()


# Core statements built once: an append runs inside every numbering transaction, and the ORM's
# unit of work (an AuditEntry object, a dirty AuditHead) cost more CPU than the hashing itself.
_HEAD = table_of(AuditHead)
_LOCK_HEAD = select(_HEAD.c.last_seq, _HEAD.c.last_hash).where(_HEAD.c.id == 1).with_for_update()
_WRITE_ENTRY = insert(table_of(AuditEntry))
_MOVE_HEAD = (
    update(_HEAD)
    .where(_HEAD.c.id == 1)
    .values(last_seq=bindparam("entry_seq"), last_hash=bindparam("entry_hash"))
)


def append(
    session: Session,
    *,
    at: datetime,
    actor: str,
    action: str,
    subject: str | None = None,
    details: Mapping[str, Any] | None = None,
) -> int:
    """Append one entry; returns its sequence number. The head row's lock orders appends from
    every process."""
    # What the session holds reaches the database first, as an ORM read would autoflush it, so
    # locks are still taken in the order the caller wrote its changes.
    session.flush()
    connection = session.connection()
    last_seq, last_hash = connection.execute(_LOCK_HEAD).one()
    seq: int = last_seq + 1
    details_text = canonical_json(dict(details or {})).decode("utf-8")
    digest = entry_hash(
        last_hash,
        seq=seq,
        at=at,
        actor=actor,
        action=action,
        subject=subject,
        details=details_text,
    )
    connection.execute(
        _WRITE_ENTRY,
        {
            "seq": seq,
            "at": at,
            "actor": actor,
            "action": action,
            "subject": subject,
            "details": details_text,
            "prev_hash": last_hash,
            "hash": digest,
        },
    )
    connection.execute(_MOVE_HEAD, {"entry_seq": seq, "entry_hash": digest})
    return seq


@dataclass(frozen=True)
class ChainReport:
    entries: int
    first_broken_seq: int | None
    problem: str | None

    @property
    def ok(self) -> bool:
        return self.first_broken_seq is None and self.problem is None


def verify_chain(session: Session, batch: int = 1000) -> ChainReport:
    prev_hash = GENESIS_HASH
    expected_seq = 1
    count = 0
    last_seen = 0
    while True:
        rows = (
            session.execute(
                select(AuditEntry)
                .where(AuditEntry.seq > last_seen)
                .order_by(AuditEntry.seq)
                .limit(batch)
            )
            .scalars()
            .all()
        )
        if not rows:
            break
        for entry in rows:
            if entry.seq != expected_seq:
                return ChainReport(count, expected_seq, f"entri {expected_seq} hilang")
            recomputed = entry_hash(
                prev_hash,
                seq=entry.seq,
                at=entry.at,
                actor=entry.actor,
                action=entry.action,
                subject=entry.subject,
                details=entry.details,
            )
            if entry.prev_hash != prev_hash or entry.hash != recomputed:
                return ChainReport(count, entry.seq, f"entri {entry.seq} telah diubah")
            prev_hash = entry.hash
            expected_seq += 1
            count += 1
            last_seen = entry.seq
    head = session.execute(select(AuditHead).where(AuditHead.id == 1)).scalar_one()
    if head.last_seq != count or head.last_hash != prev_hash:
        return ChainReport(count, count + 1, "ekor log tidak cocok dengan kepala rantai")
    return ChainReport(count, None, None)


def _as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes and PostgreSQL the session's zone; we store UTC."""
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
