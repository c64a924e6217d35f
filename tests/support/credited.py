"""Credited documents as the reports read them, built in memory for the pure tests."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from registry.domain.credits import CreditedDocument
from registry.domain.jp import DevelopmentPath, Scope
from registry.domain.jp_sessions import PriorCredit
from tests.support.drafts import PNS_NIP

P = DevelopmentPath


def credit(path: P, start: str, jp: str, end: str | None = None) -> PriorCredit:
    return PriorCredit(
        path=path,
        scope=Scope.NASIONAL,
        date=date.fromisoformat(start),
        end_date=date.fromisoformat(end) if end else None,
        jp=Decimal(jp),
    )


def document(
    path: P,
    *credits: PriorCredit,
    nip: str = PNS_NIP,
    number: str = "00001/SERT/BPSDM/2026",
) -> CreditedDocument:
    first = min(c.date for c in credits)
    last = max(c.last_date for c in credits)
    total = sum((c.jp for c in credits), Decimal(0))
    return CreditedDocument(
        id=uuid.uuid4(),
        number=number,
        type="sertifikat",
        nip=nip,
        employment="pns",
        holder_name="Siti",
        holder_position=None,
        holder_unit=None,
        unit_code="DPUPR",
        title=f"Kegiatan {path.value}",
        path=path.value,
        scope="nasional",
        start_date=first,
        end_date=last,
        jp=total,
        credited_jp=total,
        jp_rules="tangsel-2022",
        organizer="BPSDM",
        issuer="BPSDM",
        verify_url="https://v.example/v/x",
        pdf_url=None,
        credits=credits,
    )
