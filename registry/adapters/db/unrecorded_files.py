"""Announcements of files stored ahead of their record (table ``unrecorded_files``)."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime

from sqlalchemy import delete, insert, select, union
from sqlalchemy.orm import Session

from registry.adapters.db.schema import (
    Batch,
    Document,
    DocumentFile,
    RequestEvidence,
    UnrecordedFile,
)


def announce(session: Session, owner: str, hashes: Iterable[str], now: datetime) -> None:
    rows = [{"owner": owner, "sha256": sha256, "announced_at": now} for sha256 in hashes]
    if rows:
        session.execute(insert(UnrecordedFile), rows)


def settle(session: Session, owner: str, recorded: Collection[str]) -> set[str]:
    """Forget the owner's announcements of ``recorded``; returns the hashes of its others."""
    if recorded:
        session.execute(
            delete(UnrecordedFile).where(
                UnrecordedFile.owner == owner, UnrecordedFile.sha256.in_(recorded)
            )
        )
    return set(
        session.execute(
            select(UnrecordedFile.sha256).where(UnrecordedFile.owner == owner)
        ).scalars()
    )


def forget(session: Session, owner: str, sha256: str) -> None:
    session.execute(
        delete(UnrecordedFile).where(UnrecordedFile.owner == owner, UnrecordedFile.sha256 == sha256)
    )


def announced_before(session: Session, before: datetime, limit: int) -> list[tuple[str, str]]:
    """(owner, hash) of announcements older than ``before``, oldest first."""
    rows = session.execute(
        select(UnrecordedFile.owner, UnrecordedFile.sha256)
        .where(UnrecordedFile.announced_at < before)
        .order_by(UnrecordedFile.announced_at)
        .limit(limit)
    ).all()
    return [(owner, sha256) for owner, sha256 in rows]


def still_wanted(session: Session, owner: str, hashes: Collection[str], logo_key: str) -> set[str]:
    """The hashes among ``hashes`` that a record points at or another owner has announced.

    Rarely asked (only about files a dead process left behind), so the scan of render contexts
    for a logo that some document was printed with is affordable.
    """
    if not hashes:
        return set()
    candidates = list(hashes)
    pointed_at = union(
        select(DocumentFile.sha256).where(DocumentFile.sha256.in_(candidates)),
        select(RequestEvidence.sha256).where(RequestEvidence.sha256.in_(candidates)),
        select(Batch.merged_sha256).where(Batch.merged_sha256.in_(candidates)),
        select(Batch.zip_sha256).where(Batch.zip_sha256.in_(candidates)),
        select(Document.template_sha256).where(Document.template_sha256.in_(candidates)),
        select(Document.render_context[logo_key].as_string()).where(
            Document.render_context[logo_key].as_string().in_(candidates)
        ),
        select(UnrecordedFile.sha256).where(
            UnrecordedFile.sha256.in_(candidates), UnrecordedFile.owner != owner
        ),
    )
    return {sha256 for sha256 in session.execute(pointed_at).scalars() if sha256}
