"""What a fault may never leave behind, checked from the database and the service's own store."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from registry.adapters.db.schema import Batch, Document, DocumentFile, RequestEvidence
from registry.adapters.files import FileStore
from registry.usecases.production import LOGO_KEY
from tests.support.files import is_stored, stored_hashes
from tests.support.invariants import assert_numbering_invariant


def assert_everything_accounted_for(
    session: Session, store: FileStore, *, pending_allowed: bool = False
) -> dict[str, int]:
    """Numbers 1..N each issued or void with a reason; every record's file is stored and every
    stored file is some record's. Returns the count of documents per status."""
    assert_numbering_invariant(session)
    statuses: dict[str, int] = dict(
        session.execute(select(Document.status, func.count()).group_by(Document.status)).all()  # type: ignore[arg-type]
    )
    if not pending_allowed:
        assert statuses.get("pending", 0) == 0, f"numbers left pending: {statuses}"
    recorded = referenced_files(session)
    missing = {sha for sha in recorded if not is_stored(store, sha)}
    assert not missing, f"records whose file is not stored: {sorted(missing)}"
    orphans = stored_hashes(store) - recorded
    assert not orphans, f"stored files no record points at: {sorted(orphans)}"
    issued_without_file = session.execute(
        select(Document.number)
        .where(Document.status == "issued")
        .where(~select(DocumentFile.kind).where(DocumentFile.document_id == Document.id).exists())
    ).scalars()
    assert not list(issued_without_file), "issued documents without a file"
    return statuses


def referenced_files(session: Session) -> set[str]:
    """Every stored file some row points at: document files, the templates and the logo they
    were rendered with, batch outputs, request evidence."""
    recorded = set(session.execute(select(DocumentFile.sha256)).scalars())
    recorded |= set(session.execute(select(RequestEvidence.sha256)).scalars())
    for template, context in session.execute(
        select(Document.template_sha256, Document.render_context)
    ):
        recorded |= {sha for sha in (template, (context or {}).get(LOGO_KEY)) if sha}
    for merged, archive in session.execute(select(Batch.merged_sha256, Batch.zip_sha256)):
        recorded |= {sha for sha in (merged, archive) if sha}
    return recorded
