"""Storing and reading what documents credited to their holders (``document_credits``).

``lock_holder`` serialises, per employee, the transactions that credit that employee, so two
letters issued at once cannot both take the last slot of a cap: PostgreSQL takes a transaction
advisory lock keyed by the NIP; SQLite's writers already hold the database write lock.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, Table, bindparam, or_, select, text
from sqlalchemy.orm import Session

from registry.adapters.db.schema import Document, DocumentCredit, DocumentFile, table_of
from registry.domain.credits import CreditedDocument
from registry.domain.decimals import plain_decimal
from registry.domain.jp import DevelopmentPath, Scope
from registry.domain.jp_sessions import PriorCredit
from registry.domain.links import PublicLinks

__all__ = [
    "COUNTING_STATUSES",
    "completed_paths",
    "credit_rows",
    "credited_documents",
    "lock_holders",
    "prior_credits",
]

#: Documents whose credits count against later caps. A pending document is about to be issued
#: (or voided, which frees its credits): counting it keeps two letters in flight from both
#: taking one slot.
COUNTING_STATUSES = ("pending", "issued")
_IN_CHUNK = 500

# Core statements built once: these run in every numbering transaction, where the ORM's
# statement and object handling was most of the CPU a number cost.
_LOCK_HOLDER = text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))")
_CREDITS = table_of(DocumentCredit)
_DOCUMENTS = table_of(Document)
_EXCLUDED = bindparam("exclude", type_=_DOCUMENTS.c.id.type)


def _prior_credits_where(holders: ColumnElement[bool]) -> Select[Any]:
    return (
        select(
            _CREDITS.c.nip,
            _CREDITS.c.path,
            _CREDITS.c.scope,
            _CREDITS.c.start_date,
            _CREDITS.c.end_date,
            _CREDITS.c.jp,
        )
        .join(_DOCUMENTS, _DOCUMENTS.c.id == _CREDITS.c.document_id)
        .where(
            holders,
            # Not IN (...): a constant list is still expanded at each execution.
            or_(*(_DOCUMENTS.c.status == status for status in COUNTING_STATUSES)),
            or_(_EXCLUDED.is_(None), _DOCUMENTS.c.id != _EXCLUDED),
        )
        .order_by(_DOCUMENTS.c.issued_at, _DOCUMENTS.c.id, _CREDITS.c.position)
    )


# One holder (every single issue) compares with "=": an expanding IN is rendered at each execution.
_PRIOR_CREDITS_OF_ONE = _prior_credits_where(_CREDITS.c.nip == bindparam("nip"))
_PRIOR_CREDITS_OF_MANY = _prior_credits_where(_CREDITS.c.nip.in_(bindparam("nips", expanding=True)))


def lock_holders(session: Session, nips: Iterable[str]) -> None:
    """Hold every NIP's credit lock until the transaction ends (sorted, so never a deadlock)."""
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return
    for nip in sorted(set(nips)):
        connection.execute(_LOCK_HOLDER, {"key": f"satupintu/credits/{nip}"})


def prior_credits(
    session: Session, nips: Sequence[str], *, exclude: uuid.UUID | None = None
) -> dict[str, list[PriorCredit]]:
    """Each NIP's credits from counting documents, oldest document first."""
    found: dict[str, list[PriorCredit]] = defaultdict(list)
    connection = session.connection()
    for chunk in _chunks(sorted(set(nips))):
        params: dict[str, object] = {"exclude": exclude}
        if len(chunk) == 1:
            query, params["nip"] = _PRIOR_CREDITS_OF_ONE, chunk[0]
        else:
            query, params["nips"] = _PRIOR_CREDITS_OF_MANY, chunk
        for nip, path, scope, start_date, end_date, jp in connection.execute(query, params):
            found[nip].append(
                PriorCredit(
                    path=DevelopmentPath(path),
                    scope=Scope(scope),
                    date=start_date,
                    end_date=end_date,
                    jp=Decimal(jp),
                )
            )
    return found


def credit_rows(
    document_id: uuid.UUID, nip: str, credits: Sequence[PriorCredit]
) -> tuple[Table, list[dict[str, Any]]]:
    """The ``document_credits`` rows of a new document, for the caller to insert (Core rows, not
    ORM objects: a batch of thousands keeps none of them in the session)."""
    return _CREDITS, [
        {
            "document_id": document_id,
            "position": position,
            "nip": nip,
            "path": credit.path.value,
            "scope": credit.scope.value,
            "start_date": credit.date,
            "end_date": credit.last_date,
            "jp": plain_decimal(credit.jp),
        }
        for position, credit in enumerate(credits)
    ]


def credited_documents(
    session: Session, nips: Sequence[str], year: int, links: PublicLinks
) -> dict[str, list[CreditedDocument]]:
    """Each NIP's issued documents that credit JP in ``year`` or ended in it, by end date."""
    result: dict[str, list[CreditedDocument]] = defaultdict(list)
    first, last = date(year, 1, 1), date(year, 12, 31)
    for chunk in _chunks(sorted(set(nips))):
        touching = (
            select(DocumentCredit.document_id)
            .where(
                DocumentCredit.nip.in_(chunk),
                DocumentCredit.end_date >= first,
                DocumentCredit.end_date <= last,
            )
            .scalar_subquery()
        )
        documents = list(
            session.execute(
                select(Document)
                .where(
                    Document.nip.in_(chunk),
                    Document.status == "issued",
                    (Document.id.in_(touching))
                    | ((Document.end_date >= first) & (Document.end_date <= last)),
                )
                .order_by(Document.end_date, Document.start_date, Document.number)
            ).scalars()
        )
        if not documents:
            continue
        ids = [d.id for d in documents]
        credits: dict[uuid.UUID, list[PriorCredit]] = defaultdict(list)
        for row in session.execute(
            select(DocumentCredit)
            .where(DocumentCredit.document_id.in_(ids))
            .order_by(DocumentCredit.document_id, DocumentCredit.position)
        ).scalars():
            credits[row.document_id].append(_prior(row))
        with_pdf = set(
            session.execute(
                select(DocumentFile.document_id).where(
                    DocumentFile.document_id.in_(ids), DocumentFile.kind == "pdf"
                )
            ).scalars()
        )
        for document in documents:
            result[document.nip].append(
                CreditedDocument(
                    id=document.id,
                    number=document.number,
                    type=document.type,
                    nip=document.nip,
                    employment=document.employment,
                    holder_name=document.holder_name,
                    holder_position=document.holder_position,
                    holder_unit=document.holder_unit,
                    unit_code=document.unit_code,
                    title=document.title,
                    path=document.path,
                    scope=document.scope,
                    start_date=document.start_date,
                    end_date=document.end_date,
                    jp=Decimal(document.jp),
                    credited_jp=Decimal(document.credited_jp),
                    jp_rules=document.jp_rules,
                    organizer=document.organizer,
                    issuer=document.issuer,
                    verify_url=links.verify_url(document.token),
                    pdf_url=links.pdf_url(document.id) if document.id in with_pdf else None,
                    credits=tuple(credits[document.id]),
                )
            )
    return result


def completed_paths(
    session: Session, nips: Sequence[str], until: date, paths: Collection[str]
) -> dict[str, set[str]]:
    """Each NIP's ``paths`` that an issued document of theirs ended on or before ``until``, in
    any year (e.g. a leadership training that counts for the IP ASN of every later year)."""
    found: dict[str, set[str]] = defaultdict(set)
    if not paths:
        return found
    for chunk in _chunks(sorted(set(nips))):
        rows = session.execute(
            select(Document.nip, Document.path)
            .where(
                Document.nip.in_(chunk),
                Document.status == "issued",
                Document.end_date <= until,
                Document.path.in_(sorted(paths)),
            )
            .distinct()
        )
        for nip, path in rows:
            found[nip].add(path)
    return found


def _prior(row: DocumentCredit) -> PriorCredit:
    return PriorCredit(
        path=DevelopmentPath(row.path),
        scope=Scope(row.scope),
        date=row.start_date,
        end_date=row.end_date,
        jp=Decimal(row.jp),
    )


def _chunks(values: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(values), _IN_CHUNK):
        yield values[start : start + _IN_CHUNK]
