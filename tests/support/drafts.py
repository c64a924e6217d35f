"""Valid sample requests that tests vary one field at a time."""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal
from typing import Any

from registry.drafts import ActivityDraft, DocumentDraft, RecipientDraft

PNS_NIP = "198503152010011012"
PPPK_NIP = "199009132025242014"

SAMPLE_BODY: dict[str, Any] = {
    "type": "sertifikat",
    "recipient": {
        "nip": PNS_NIP,
        "name": "Dra. Siti Aminah, M.Si.",
        "position": "Analis Kepegawaian Ahli Muda",
        "unit": "Dinas Pekerjaan Umum",
    },
    "activity": {
        "title": "Seminar Nasional Manajemen ASN",
        "path": "seminar",
        "scope": "nasional",
        "start_date": "2026-03-02",
        "end_date": "2026-03-03",
        "jp": None,
        "organizer": "BPSDM",
    },
}


def body(**changes: Any) -> dict[str, Any]:
    """A deep copy of SAMPLE_BODY with dotted-path changes, e.g. body(**{"activity.jp": "5"})."""
    result = copy.deepcopy(SAMPLE_BODY)
    for dotted, value in changes.items():
        target = result
        *parents, last = dotted.split(".")
        for part in parents:
            target = target[part]
        target[last] = value
    return result


def draft(
    *,
    type: str = "sertifikat",
    nip: str = PNS_NIP,
    name: str = "Dra. Siti Aminah, M.Si.",
    unit_code: str | None = "DPUPR",
    path: str = "seminar",
    scope: str = "nasional",
    start: date = date(2026, 3, 2),
    end: date = date(2026, 3, 3),
    jp: Decimal | None = None,
    title: str = "Seminar Nasional Manajemen ASN",
) -> DocumentDraft:
    return DocumentDraft(
        type=type,
        recipient=RecipientDraft(nip=nip, name=name, position="Analis", unit="Dinas PU"),
        activity=ActivityDraft(
            title=title,
            path=path,
            scope=scope,
            start_date=start,
            end_date=end,
            jp=jp,
            organizer="BPSDM",
        ),
        unit_code=unit_code,
    )
