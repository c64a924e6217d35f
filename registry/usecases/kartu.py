"""The Kartu Data Pengembangan Kompetensi of an employee for a year, as a PDF.

The card is a report, not a document: it takes no number, is not signed by the registry and is not
stored; each request renders it afresh from the valid documents (``credits.credited_documents``,
the same rows and JP the yearly JP report sums). Who it is for comes from the roster when the
employee is rostered (name, position, rank, the unit's full name) and otherwise from their latest
document; the place of birth is only ever on documents. "Mengetahui" is signed by the head of the
employee's unit when the unit has one configured, else by the agency's signer.

Issuers and auditors may print any employee's card; a requester only the card of an employee
rostered in its own unit. Anyone else's answers 404, so the endpoint does not tell a requester
which NIPs other units hold.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.adapters.db import credits
from registry.adapters.db.engine import Database
from registry.adapters.db.schema import Document, Employee, Unit
from registry.adapters.libreoffice import ConversionError
from registry.domain.actors import Actor
from registry.domain.errors import NotFound
from registry.domain.kartu import (
    KARTU_TEMPLATE,
    CardHolder,
    IssueFacts,
    card_context,
    card_rows,
    parse_year,
)
from registry.domain.links import PublicLinks
from registry.domain.nip import parse_employee_number
from registry.usecases.production import Production
from registry.usecases.units import unit_signer

__all__ = ["KartuCards", "KartuPdf"]

#: Documents whose holder data may name the employee on the card: every one that was issued.
#: A revoked or superseded document still says who its holder was; void and pending ones were
#: never issued.
_NAMING_STATUSES = ("issued", "revoked", "superseded")


@dataclass(frozen=True)
class KartuPdf:
    data: bytes
    filename: str
    year: int
    rows: int


@dataclass(frozen=True)
class _LatestDocument:
    name: str
    employment: str
    position: str | None
    unit: str | None
    unit_code: str | None
    rank: str | None
    birth_place: str | None


class KartuCards:
    def __init__(
        self,
        db: Database,
        production: Production,
        links: PublicLinks,
        *,
        zone: tzinfo,
        today: Callable[[], date],
    ) -> None:
        self.db = db
        self.production = production
        self.links = links
        self.zone = zone
        self._today = today

    def pdf(self, nip: str, year: str | None, actor: Actor) -> KartuPdf:
        """The card of ``nip`` for ``year`` (this year when absent), rendered to PDF.

        Raises ``InvalidInput`` for a malformed NIP or year, ``NotFound`` for an employee the
        caller may not see or the registry does not know, and ``ConversionError`` (503) when
        LibreOffice is unavailable: the card exists only as a PDF.
        """
        today = self._today()
        digits = parse_employee_number(nip, None, today=today, field="nip").digits
        card_year = parse_year(year, today=today)
        with self.db.reading() as session:
            employee = session.get(Employee, digits)
            if not actor.sees_every_unit and (
                employee is None or employee.unit_code != actor.unit_code
            ):
                raise NotFound(
                    f"Pegawai dengan NIP {digits} tidak terdaftar di unit {actor.unit_code or '-'}",
                    field="nip",
                )
            latest = _latest_document(session, digits)
            if employee is None and latest is None:
                raise NotFound(
                    f"Pegawai dengan NIP {digits} tidak terdaftar dan belum memiliki dokumen",
                    field="nip",
                )
            documents = credits.credited_documents(session, [digits], card_year, self.links)
            found = documents.get(digits, [])
            facts = _issue_facts(session, [document.id for document in found], self.zone)
            holder = _holder(session, digits, employee, latest)
            unit_code: str | None = employee.unit_code if employee is not None else None
            if employee is None and latest is not None:
                unit_code = latest.unit_code
            signer = unit_signer(session, unit_code)
        if not self.production.pdf_available:
            raise ConversionError(
                "Kartu Data Pengembangan Kompetensi hanya dibuat sebagai PDF, dan keluaran PDF "
                f"tidak tersedia di server ini: {self.production.pdf_unavailable_reason}",
                pdf="unavailable",
            )
        rows = card_rows(found, card_year, facts)
        context = card_context(
            holder,
            rows,
            year=card_year,
            identity=self.production.identity,
            signer=signer,
            printed_on=today,
        )
        return KartuPdf(
            data=self.production.render_report(KARTU_TEMPLATE, context),
            filename=f"kartu-data-{digits}-{card_year}.pdf",
            year=card_year,
            rows=len(rows),
        )


def _latest_document(session: Session, nip: str) -> _LatestDocument | None:
    """The holder as their most recent issued document names them (a revoked one if none is)."""
    row = session.execute(
        select(
            Document.holder_name,
            Document.employment,
            Document.holder_position,
            Document.holder_unit,
            Document.unit_code,
            # Only these two keys of ``details``: an SK's details hold its whole lampiran.
            Document.details["rank"].as_string(),
            Document.details["birth_place"].as_string(),
        )
        .where(Document.nip == nip, Document.status.in_(_NAMING_STATUSES))
        .order_by((Document.status == "issued").desc(), Document.issued_at.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    name, employment, position, unit, unit_code, rank, birth_place = row
    return _LatestDocument(name, employment, position, unit, unit_code, rank, birth_place)


def _holder(
    session: Session, nip: str, employee: Employee | None, latest: _LatestDocument | None
) -> CardHolder:
    birth_place = latest.birth_place if latest is not None else None
    if employee is not None:
        unit = session.get(Unit, employee.unit_code)
        return CardHolder(
            nip=nip,
            employment=employee.employment,
            name=employee.name,
            rank=employee.rank or (latest.rank if latest is not None else None),
            position=employee.position or (latest.position if latest is not None else None),
            unit=unit.name if unit is not None else employee.unit_code,
            birth_place=birth_place,
        )
    if latest is None:  # pragma: no cover - the caller refuses an employee with neither
        raise NotFound("Pegawai tidak ditemukan", field="nip")
    unit_name = latest.unit
    if unit_name is None and latest.unit_code is not None:
        unit = session.get(Unit, latest.unit_code)
        unit_name = unit.name if unit is not None else None
    return CardHolder(
        nip=nip,
        employment=latest.employment,
        name=latest.name,
        rank=latest.rank,
        position=latest.position,
        unit=unit_name,
        birth_place=birth_place,
    )


def _issue_facts(
    session: Session, ids: Sequence[uuid.UUID], zone: tzinfo
) -> dict[uuid.UUID, IssueFacts]:
    if not ids:
        return {}
    rows = session.execute(
        select(Document.id, Document.issued_at, Document.render_context["city"].as_string()).where(
            Document.id.in_(ids)
        )
    )
    return {
        document_id: IssueFacts(issued_on=_local_date(issued_at, zone), city=city)
        for document_id, issued_at, city in rows
    }


def _local_date(moment: datetime, zone: tzinfo) -> date:
    # SQLite hands timestamps back without their zone; the registry stores them in UTC.
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone).date()
