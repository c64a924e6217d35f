"""Reading the audit log (the console's Audit page): who may, filters, paging, the chain status."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import text

from registry.adapters.db import audit
from registry.domain.actors import Actor
from registry.domain.errors import InvalidInput, PermissionDenied
from registry.usecases.audit_log import PAGE_SIZE, AuditFilter, AuditLog
from registry.usecases.issuing import Registry

AUDITOR = Actor(id="user:rina", role="auditor")
ADMIN = Actor(id="user:root", role="admin")


def log_of(registry: Registry) -> AuditLog:
    return AuditLog(registry.db, zone=registry.settings.zone)


def append(registry: Registry, at: datetime, actor: str, action: str, **details: object) -> None:
    with registry.db.writing() as session:
        audit.append(session, at=at, actor=actor, action=action, subject="S", details=details)


@pytest.mark.parametrize("role", ["issuer", "requester"])
def test_only_auditors_and_admins_read_the_log(registry: Registry, role: str) -> None:
    append(registry, datetime(2026, 3, 2, tzinfo=UTC), "user:andi", "document.issue")
    actor = Actor(id="user:x", role=role, unit_code="DPUPR" if role == "requester" else None)
    log = log_of(registry)
    with pytest.raises(PermissionDenied):
        log.entries(actor, AuditFilter())
    with pytest.raises(PermissionDenied):
        log.chain(actor)
    assert log.entries(ADMIN, AuditFilter()).total == 1
    assert log.chain(AUDITOR).ok


def test_entries_come_newest_first_with_their_details(registry: Registry) -> None:
    append(registry, datetime(2026, 3, 2, 1, tzinfo=UTC), "user:andi", "document.issue", n=1)
    append(
        registry,
        datetime(2026, 3, 3, 1, tzinfo=UTC),
        "apikey:1a2b",
        "document.revoke",
        reason="Peserta tidak hadir",
        before={"status": "issued"},
    )
    page = log_of(registry).entries(AUDITOR, AuditFilter())
    assert [row.seq for row in page.rows] == [2, 1]
    assert page.rows[0].at == datetime(2026, 3, 3, 1, tzinfo=UTC)
    assert dict(page.rows[0].details) == {
        "reason": "Peserta tidak hadir",
        "before": '{"status": "issued"}',
    }
    assert page.actions == ("document.issue", "document.revoke")
    assert (page.total, page.page, page.pages) == (2, 1, 1)


def test_filters_by_action_actor_and_local_days(registry: Registry) -> None:
    # 16:30 UTC on 1 March is 23:30 on 1 March in Jakarta; 17:30 UTC is already 2 March there.
    append(registry, datetime(2026, 3, 1, 16, 30, tzinfo=UTC), "user:andi", "document.issue")
    append(registry, datetime(2026, 3, 1, 17, 30, tzinfo=UTC), "user:andi", "document.revoke")
    append(registry, datetime(2026, 3, 5, 2, tzinfo=UTC), "user:siti", "request.submit")
    append(registry, datetime(2026, 3, 6, 2, tzinfo=UTC), "user:100%_x", "request.submit")
    log = log_of(registry)

    def seqs(**query: object) -> list[int]:
        return [row.seq for row in log.entries(AUDITOR, AuditFilter(**query)).rows]  # type: ignore[arg-type]

    assert seqs(action="request.submit") == [4, 3]
    assert seqs(actor="andi") == [2, 1]
    assert seqs(actor="100%_") == [4]  # LIKE wildcards are matched as typed
    assert seqs(actor="%") == [4]
    assert seqs(since=date(2026, 3, 2)) == [4, 3, 2]
    assert seqs(until=date(2026, 3, 1)) == [1]
    assert seqs(since=date(2026, 3, 2), until=date(2026, 3, 5)) == [3, 2]
    assert seqs(action="request.submit", actor="siti") == [3]
    assert seqs(action="tidak.ada") == []


def test_pages_of_fixed_size(registry: Registry) -> None:
    for index in range(PAGE_SIZE + 3):
        append(registry, datetime(2026, 3, 2, tzinfo=UTC), "cli", "unit.create", i=index)
    log = log_of(registry)
    first = log.entries(AUDITOR, AuditFilter())
    second = log.entries(AUDITOR, AuditFilter(page=2))
    assert (first.total, first.pages, len(first.rows), len(second.rows)) == (
        PAGE_SIZE + 3,
        2,
        PAGE_SIZE,
        3,
    )
    assert second.rows[-1].seq == 1
    assert log.entries(AUDITOR, AuditFilter(page=9)).rows == ()


def test_bad_filters_are_refused_in_indonesian(registry: Registry) -> None:
    log = log_of(registry)
    with pytest.raises(InvalidInput, match="Tanggal akhir") as refused:
        log.entries(AUDITOR, AuditFilter(since=date(2026, 3, 5), until=date(2026, 3, 1)))
    assert refused.value.field == "until"
    with pytest.raises(InvalidInput, match="halaman"):
        log.entries(AUDITOR, AuditFilter(page=0))


def test_a_long_detail_is_cut_on_the_page_only(registry: Registry) -> None:
    append(registry, datetime(2026, 3, 2, tzinfo=UTC), "cli", "unit.create", note="x" * 1000)
    (row,) = log_of(registry).entries(AUDITOR, AuditFilter()).rows
    assert len(dict(row.details)["note"]) == 300
    assert dict(row.details)["note"].endswith("…")
    with registry.db.reading() as session:
        stored = session.execute(text("SELECT details FROM audit_log")).scalar_one()
    assert "x" * 1000 in stored


def test_the_chain_status_names_the_broken_entry(registry: Registry) -> None:
    for action in ("unit.create", "unit.update", "unit.update"):
        append(registry, datetime(2026, 3, 2, tzinfo=UTC), "cli", action)
    log = log_of(registry)
    intact = log.chain(AUDITOR)
    assert (intact.ok, intact.entries) == (True, 3)
    with registry.db.writing() as session:
        session.execute(text("UPDATE audit_log SET actor = 'user:someone' WHERE seq = 2"))
    broken = log.chain(ADMIN)
    assert (broken.ok, broken.first_broken_seq, broken.entries) == (False, 2, 1)
    assert broken.problem == "entri 2 telah diubah"


def test_filters_by_subject_exactly(registry: Registry) -> None:
    at = datetime(2026, 3, 2, tzinfo=UTC)
    with registry.db.writing() as session:
        for subject in ("doc-1", "doc-12", "doc-1", None):
            audit.append(
                session,
                at=at,
                actor="user:andi",
                action="document.issue",
                subject=subject,
                details={},
            )
    page = log_of(registry).entries(AUDITOR, AuditFilter(subject=" doc-1 "))
    assert page.total == 2
    assert {row.subject for row in page.rows} == {"doc-1"}
    assert log_of(registry).entries(AUDITOR, AuditFilter(subject="")).total == 4
