"""The hash-chained audit log: append inside the caller's transaction, verify the whole chain."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Insert, Select, Table, Update, bindparam, insert, select, update
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


#: Rows of one table to insert together with an entry: ``(table, rows)``.
Rows = tuple[Table, Sequence[Mapping[str, Any]]]


@dataclass(frozen=True)
class LockedHead:
    """The chain's head as this transaction locked it, for the one append that follows."""

    last_seq: int
    last_hash: str


# Core statements built once: an append runs inside every numbering transaction, and the ORM's
# unit of work (an AuditEntry object, a dirty AuditHead) cost more CPU than the hashing itself.
_LOG = table_of(AuditEntry)
_HEAD = table_of(AuditHead)
_LOCK_HEAD = select(_HEAD.c.last_seq, _HEAD.c.last_hash).where(_HEAD.c.id == 1).with_for_update()
_WRITE_ENTRY = insert(_LOG)
_MOVE_HEAD = (
    update(_HEAD)
    .where(_HEAD.c.id == 1)
    .values(last_seq=bindparam("entry_seq"), last_hash=bindparam("entry_hash"))
)


def head_locked_after(statement: Update) -> Select[Any]:
    """``statement`` (an ``UPDATE ... RETURNING``) and then the head's lock, in one round trip:
    its returned columns followed by the head's ``last_seq`` and ``last_hash``.

    The head is locked by the ``FOR UPDATE`` above the join, so only once the update has run and
    locked its rows: the update's lock always comes first. In READ COMMITTED the head row is read
    again when locked, so the values are the latest committed ones, as a separate ``SELECT ...
    FOR UPDATE`` would give.
    """
    done = statement.cte("done_first")
    return (
        select(*done.c, _HEAD.c.last_seq.label("head_seq"), _HEAD.c.last_hash.label("head_hash"))
        .join_from(done, _HEAD, _HEAD.c.id == 1)
        .with_for_update(of=_HEAD)
    )


def append(
    session: Session,
    *,
    at: datetime,
    actor: str,
    action: str,
    subject: str | None = None,
    details: Mapping[str, Any] | None = None,
    along_with: Sequence[Rows] = (),
    head: LockedHead | None = None,
) -> int:
    """Append one entry; returns its sequence number. The head row's lock orders appends from
    every process.

    ``along_with`` are rows the entry records (a new document and its credits), written after the
    head is locked: on PostgreSQL in the same statement as the entry and the head's update. Under
    a series' counter lock every round trip caps the series' throughput, and this makes the
    document's three writes and the chain's two one.

    ``head`` is the head as this transaction has just locked it (:func:`head_locked_after`),
    which saves the ``SELECT ... FOR UPDATE``; nothing may have been appended since.
    """
    # What the session holds reaches the database first, as an ORM read would autoflush it, so
    # locks are still taken in the order the caller wrote its changes.
    session.flush()
    connection = session.connection()
    if head is None:
        last_seq, last_hash = connection.execute(_LOCK_HEAD).one()
    else:
        last_seq, last_hash = head.last_seq, head.last_hash
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
    entry = {
        "seq": seq,
        "at": at,
        "actor": actor,
        "action": action,
        "subject": subject,
        "details": details_text,
        "prev_hash": last_hash,
        "hash": digest,
    }
    along_with = [(table, rows) for table, rows in along_with if rows]
    if connection.dialect.name == "postgresql":
        statement, params = _in_one_statement(along_with, entry, digest)
        connection.execute(statement, params)
        return seq
    for table, rows in along_with:
        connection.execute(insert(table), list(rows))
    connection.execute(_WRITE_ENTRY, entry)
    connection.execute(_MOVE_HEAD, {"entry_seq": seq, "entry_hash": digest})
    return seq


def _in_one_statement(
    along_with: Sequence[Rows], entry: Mapping[str, Any], digest: str
) -> tuple[Insert, dict[str, Any]]:
    """``WITH <an insert per row of along_with>, <the head's update> INSERT <the entry>``, and
    its values.

    PostgreSQL runs every part or none; the foreign keys between the parts are checked at the end
    of the statement, when all of its rows exist.
    """
    rows = [(table, row) for table, table_rows in along_with for row in table_rows]
    params: dict[str, Any] = {f"entry_{name}": value for name, value in entry.items()}
    params["head_seq"], params["head_hash"] = entry["seq"], digest
    for number, (_, row) in enumerate(rows):
        params.update((f"r{number}_{name}", value) for name, value in row.items())
    return _statement_for(tuple((table.name, tuple(row)) for table, row in rows)), params


@lru_cache(maxsize=64)
def _statement_for(shape: tuple[tuple[str, tuple[str, ...]], ...]) -> Insert:
    # One statement object per shape (each row's table and columns), so SQLAlchemy compiles each
    # shape once and every later append only binds its values. One single-row insert per row:
    # SQLAlchemy does not cache a multi-row VALUES.
    statement = insert(_LOG).values(
        {column.name: bindparam(f"entry_{column.name}", type_=column.type) for column in _LOG.c}
    )
    for number, (table_name, names) in enumerate(shape):
        table = _LOG.metadata.tables[table_name]
        values = {name: bindparam(f"r{number}_{name}", type_=table.c[name].type) for name in names}
        statement = statement.add_cte(insert(table).values(values).cte(f"row_{number}"))
    moved = (
        update(_HEAD)
        .where(_HEAD.c.id == 1)
        .values(last_seq=bindparam("head_seq"), last_hash=bindparam("head_hash"))
        .cte("moved_head")
    )
    return statement.add_cte(moved)


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
