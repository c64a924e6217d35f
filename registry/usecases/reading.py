"""Reading documents: one by id, a filtered list, the mapping from rows to plain views, and the
draft a correction starts from.

A list is read in a fixed number of queries whatever its length: the rows, then the files of all
of them, then the numbers of the documents they replace or were replaced by.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session, object_session

from registry.adapters.db.engine import Database
from registry.adapters.db.schema import Document, DocumentFile
from registry.domain.actors import Actor
from registry.domain.drafts import ActivityDraft, DocumentDraft, RecipientDraft
from registry.domain.errors import NotFound, PermissionDenied
from registry.domain.jp_sessions import LogEntry
from registry.domain.links import PublicLinks
from registry.domain.nip import mask_nip
from registry.domain.views import DocumentRef, DocumentView, FileView, as_utc


@dataclass(frozen=True)
class SearchFilter:
    number: str | None = None
    nip: str | None = None
    #: Part of the holder's name, any case ("aminah" finds "Dra. Siti Aminah, M.Si.").
    name: str | None = None
    year: int | None = None
    type: str | None = None
    status: str | None = None
    unit_code: str | None = None
    limit: int = 50
    offset: int = 0


class DocumentReader:
    def __init__(self, db: Database, links: PublicLinks) -> None:
        self.db = db
        self.links = links

    def get(self, document_id: uuid.UUID, actor: Actor) -> DocumentView:
        with self.db.reading() as session:
            document = session.get(Document, document_id)
            if document is None:
                raise NotFound("Dokumen tidak ditemukan")
            if actor.role == "requester" and document.unit_code != actor.unit_code:
                raise PermissionDenied("Dokumen ini milik unit lain")
            return self.view(document)

    def search(self, actor: Actor, query: SearchFilter) -> list[DocumentView]:
        statement = select(Document)
        unit_code = actor.unit_code if actor.role == "requester" else query.unit_code
        if unit_code is not None:
            statement = statement.where(Document.unit_code == unit_code)
        if query.number:
            statement = statement.where(Document.number == query.number.strip())
        if query.nip:
            statement = statement.where(Document.nip == query.nip.replace(" ", ""))
        if query.name and query.name.strip():
            # autoescape: a typed % or _ is a character of the name, not a wildcard.
            statement = statement.where(
                func.lower(Document.holder_name).contains(
                    query.name.strip().lower(), autoescape=True
                )
            )
        if query.year is not None:
            statement = statement.where(Document.year == query.year)
        if query.type:
            statement = statement.where(Document.type == query.type)
        if query.status:
            statement = statement.where(Document.status == query.status)
        statement = (
            statement.order_by(Document.issued_at.desc(), Document.number.desc())
            .limit(query.limit)
            .offset(query.offset)
        )
        with self.db.reading() as session:
            return self.views(session, list(session.execute(statement).scalars()))

    def draft_of(self, document_id: uuid.UUID, actor: Actor) -> DocumentDraft:
        """The request a document was issued from, as far as the record keeps it: what a
        correction (supersede) starts from.

        A surat keterangan keeps only the sessions it credited (their dates and topics); the
        log is given back as those sessions, whose JP the engine counts again.
        """
        with self.db.reading() as session:
            document = session.get(Document, document_id)
            if document is None:
                raise NotFound("Dokumen tidak ditemukan")
            if actor.role == "requester" and document.unit_code != actor.unit_code:
                raise PermissionDenied("Dokumen ini milik unit lain")
            details = dict(document.details or {})
            logged = details.pop("sessions", None) if document.type == "surat_keterangan" else None
            sessions = (
                tuple(
                    LogEntry(date=date.fromisoformat(entry["date"]), topic=entry.get("topic"))
                    for entry in logged
                )
                if logged
                else None
            )
            return DocumentDraft(
                type=document.type,
                recipient=RecipientDraft(
                    nip=document.nip,
                    name=document.holder_name,
                    position=document.holder_position,
                    unit=document.holder_unit,
                    employment=document.employment,
                ),
                activity=ActivityDraft(
                    title=document.title,
                    path=document.path,
                    scope=document.scope,
                    start_date=document.start_date,
                    end_date=document.end_date,
                    jp=None
                    if sessions is not None or document.stated_jp is None
                    else Decimal(document.stated_jp),
                    organizer=document.organizer,
                    sessions=sessions,
                ),
                unit_code=document.unit_code,
                series=document.series_id,
                details=details or None,
            )

    def view(self, document: Document) -> DocumentView:
        """The view of one row, read in the session the row belongs to."""
        session = object_session(document)
        if session is None:
            raise RuntimeError("document is detached")
        return self.views(session, [document])[0]

    def views(self, session: Session, documents: Sequence[Document]) -> list[DocumentView]:
        ids = [document.id for document in documents]
        files: dict[uuid.UUID, list[FileView]] = defaultdict(list)
        if ids:
            for row in session.execute(
                select(DocumentFile)
                .where(DocumentFile.document_id.in_(ids))
                .order_by(DocumentFile.document_id, DocumentFile.kind)
            ).scalars():
                files[row.document_id].append(
                    FileView(
                        kind=row.kind,
                        sha256=row.sha256,
                        size=row.size,
                        media_type=row.media_type,
                        attested=row.signature is not None,
                    )
                )
        numbers = _numbers_of(
            session,
            {
                other
                for document in documents
                for other in (document.supersedes_id, document.superseded_by_id)
                if other is not None
            },
        )
        return [
            document_view(document, self.links, files[document.id], numbers)
            for document in documents
        ]


def document_view(
    document: Document,
    links: PublicLinks,
    files: Iterable[FileView] = (),
    numbers: Mapping[uuid.UUID, str] | None = None,
) -> DocumentView:
    """The plain view of a row; ``numbers`` holds the numbers of the documents it replaces or
    was replaced by. Also built, without a read, from the row a transaction has just written."""
    known = numbers or {}

    def ref(document_id: uuid.UUID | None) -> DocumentRef | None:
        if document_id is None:
            return None
        return DocumentRef(id=document_id, number=known[document_id])

    return DocumentView(
        id=document.id,
        number=document.number,
        type=document.type,
        status=document.status,
        series=document.series_id,
        unit_code=document.unit_code,
        nip=document.nip,
        nip_masked=mask_nip(document.nip),
        employment=document.employment,
        holder_name=document.holder_name,
        holder_position=document.holder_position,
        holder_unit=document.holder_unit,
        title=document.title,
        path=document.path,
        scope=document.scope,
        start_date=document.start_date,
        end_date=document.end_date,
        stated_jp=document.stated_jp,
        jp=document.jp,
        credited_jp=document.credited_jp,
        jp_rules=document.jp_rules,
        organizer=document.organizer,
        issuer=document.issuer,
        issued_at=as_utc(document.issued_at),
        kid=document.kid,
        token=document.token,
        verify_url=links.verify_url(document.token),
        void_reason=document.void_reason,
        revoked_at=as_utc(document.revoked_at) if document.revoked_at else None,
        revocation_reason=document.revocation_reason,
        supersedes=ref(document.supersedes_id),
        superseded_by=ref(document.superseded_by_id),
        short_url=links.short_url(document.short_code) if document.short_code else None,
        template_name=document.template_name,
        template_sha256=document.template_sha256,
        batch_id=document.batch_id,
        files=tuple(files),
    )


def _numbers_of(session: Session, document_ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not document_ids:
        return {}
    rows = session.execute(
        select(Document.id, Document.number).where(Document.id.in_(document_ids))
    ).all()
    return {row.id: row.number for row in rows}
