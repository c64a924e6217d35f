"""Reading the audit log: its entries newest first, filtered and paged, and the chain's status.

Only auditors and admins (and the operator at the CLI) read the log: it names every actor and
holds the before/after of every change, across all units. Reading it is not itself audited (it
changes nothing, and an entry per page view would bury the changes the log is for).

Dates in a filter are calendar days in the configured timezone, as a person reads them on the
page; the log stores UTC.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from sqlalchemy import ColumnElement, func, select

from registry.adapters.db import audit
from registry.adapters.db.engine import Database
from registry.adapters.db.schema import AuditEntry
from registry.domain.actors import Actor
from registry.domain.errors import InvalidInput, PermissionDenied

__all__ = ["AUDIT_READERS", "AuditFilter", "AuditLog", "AuditPage", "AuditRow", "ChainStatus"]

AUDIT_READERS = ("auditor", "admin", "operator")
PAGE_SIZE = 50
#: A detail value longer than this is cut on the page; the whole entry stays in the database.
_DETAIL_CHARS = 300


@dataclass(frozen=True)
class AuditFilter:
    action: str | None = None
    #: Part of the actor's label: ``andi`` finds ``user:andi``.
    actor: str | None = None
    #: What an entry is about, exactly: a document's id gives that document's history.
    subject: str | None = None
    since: date | None = None
    until: date | None = None
    page: int = 1


@dataclass(frozen=True)
class AuditRow:
    seq: int
    at: datetime
    actor: str
    action: str
    subject: str | None
    #: The details' top-level keys with their values as text (JSON for anything not a string).
    details: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class AuditPage:
    rows: tuple[AuditRow, ...]
    total: int
    page: int
    pages: int
    #: Every action the log holds, for the filter's choices.
    actions: tuple[str, ...]


@dataclass(frozen=True)
class ChainStatus:
    ok: bool
    entries: int
    first_broken_seq: int | None
    problem: str | None


class AuditLog:
    def __init__(self, db: Database, *, zone: tzinfo) -> None:
        self.db = db
        self.zone = zone

    def entries(self, actor: Actor, query: AuditFilter) -> AuditPage:
        _require_reader(actor)
        if query.since and query.until and query.until < query.since:
            raise InvalidInput(
                "Tanggal akhir lebih awal dari tanggal mulai: pilih tanggal akhir yang sama "
                "atau sesudahnya.",
                field="until",
            )
        if query.page < 1:
            raise InvalidInput("Nomor halaman dimulai dari 1.", field="page")
        conditions = self._conditions(query)
        with self.db.reading() as session:
            total = session.execute(
                select(func.count()).select_from(AuditEntry).where(*conditions)
            ).scalar_one()
            found = session.execute(
                select(AuditEntry)
                .where(*conditions)
                .order_by(AuditEntry.seq.desc())
                .limit(PAGE_SIZE)
                .offset((query.page - 1) * PAGE_SIZE)
            ).scalars()
            rows = tuple(_row(entry) for entry in found)
            actions = tuple(
                session.execute(
                    select(AuditEntry.action).distinct().order_by(AuditEntry.action)
                ).scalars()
            )
        pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
        return AuditPage(rows, total, query.page, pages, actions)

    def chain(self, actor: Actor) -> ChainStatus:
        """Recompute every hash from the first entry (as ``satupintu audit verify`` does)."""
        _require_reader(actor)
        with self.db.reading() as session:
            report = audit.verify_chain(session)
        return ChainStatus(report.ok, report.entries, report.first_broken_seq, report.problem)

    def _conditions(self, query: AuditFilter) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = []
        if query.action:
            conditions.append(AuditEntry.action == query.action.strip())
        if query.actor and query.actor.strip():
            conditions.append(AuditEntry.actor.contains(query.actor.strip(), autoescape=True))
        if query.subject and query.subject.strip():
            conditions.append(AuditEntry.subject == query.subject.strip())
        if query.since:
            conditions.append(AuditEntry.at >= self._start_of(query.since))
        if query.until:
            conditions.append(AuditEntry.at < self._start_of(query.until + timedelta(days=1)))
        return conditions

    def _start_of(self, day: date) -> datetime:
        return datetime.combine(day, time(), tzinfo=self.zone).astimezone(UTC)


def _require_reader(actor: Actor) -> None:
    if actor.role not in AUDIT_READERS:
        raise PermissionDenied("Log audit hanya dapat dibaca oleh auditor dan admin.")


def _row(entry: AuditEntry) -> AuditRow:
    at = entry.at if entry.at.tzinfo else entry.at.replace(tzinfo=UTC)
    return AuditRow(
        seq=entry.seq,
        at=at,
        actor=entry.actor,
        action=entry.action,
        subject=entry.subject,
        details=_details(entry.details),
    )


def _details(text: str) -> tuple[tuple[str, str], ...]:
    try:
        parsed: Any = json.loads(text)
    except ValueError:
        parsed = text
    if not isinstance(parsed, dict):
        return (("", _cut(text)),)
    return tuple(
        (str(key), _cut(value if isinstance(value, str) else _compact(value)))
        for key, value in parsed.items()
    )


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "), sort_keys=True)


def _cut(text: str) -> str:
    return text if len(text) <= _DETAIL_CHARS else text[: _DETAIL_CHARS - 1].rstrip() + "…"
