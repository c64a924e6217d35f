"""What a correction starts from: the draft of an issued document, as far as its record keeps it."""

from __future__ import annotations

from datetime import date

import pytest

from registry.domain.actors import Actor
from registry.domain.errors import PermissionDenied
from registry.usecases.issuing import Registry
from tests.support.drafts import PNS_NIP, draft, template_draft

ISSUER = Actor(id="user:andi", role="issuer")
OWN_REQUESTER = Actor(id="user:siti", role="requester", unit_code="DPUPR")
OTHER_REQUESTER = Actor(id="user:budi", role="requester", unit_code="BAPPEDA")


def test_the_draft_of_a_document_issues_the_same_record_again(registry: Registry) -> None:
    original = template_draft("transkrip")
    issued = registry.issue(original, ISSUER).document

    again = registry.draft_of(issued.id, ISSUER)

    assert again.type == "transkrip"
    assert again.recipient.nip == PNS_NIP
    assert again.recipient.employment == "pns"
    assert again.activity.title == original.activity.title
    assert again.activity.jp == original.activity.jp
    assert again.unit_code == "DPUPR"
    assert again.details is not None
    assert [s["name"] for s in again.details["subjects"]] == [
        s["name"]
        for s in original.details["subjects"]  # type: ignore[index]
    ]
    replaced = registry.supersede(issued.id, again, "Salah ketik", ISSUER).document
    assert replaced.title == issued.title and replaced.jp == issued.jp


def test_a_letters_draft_gives_back_its_credited_sessions_without_their_jp(
    registry: Registry,
) -> None:
    issued = registry.issue(template_draft("surat_keterangan_coaching"), ISSUER).document

    again = registry.draft_of(issued.id, ISSUER)

    assert again.activity.jp is None
    assert again.activity.sessions is not None
    assert [(s.date, s.topic, s.jp) for s in again.activity.sessions] == [
        (date(2026, 3, 2), "Rencana kerja", None),
        (date(2026, 3, 16), "Evaluasi capaian", None),
    ]
    assert again.details is not None and "sessions" not in again.details
    assert again.details["coach"]["name"] == "Ir. Bambang Susilo, M.T."


def test_the_draft_of_another_units_document_is_refused(registry: Registry) -> None:
    issued = registry.issue(draft(unit_code="DPUPR"), ISSUER).document
    assert registry.draft_of(issued.id, OWN_REQUESTER).recipient.nip == PNS_NIP
    with pytest.raises(PermissionDenied):
        registry.draft_of(issued.id, OTHER_REQUESTER)
