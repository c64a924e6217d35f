"""Caps that span documents, on both backends: what one document credits limits the next.

Every document records its credits in the transaction that numbers it; a later document of the
same holder is credited against the valid ones (issued or still pending), never against revoked,
superseded or void ones, and never against the document it replaces.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from registry.adapters.db.schema import Document, DocumentCredit
from registry.domain.actors import Actor
from registry.domain.drafts import ActivityDraft, DocumentDraft, RecipientDraft
from registry.domain.errors import InvalidInput
from registry.domain.jp_sessions import LogEntry
from registry.domain.views import DocumentView
from registry.usecases.batches import Batches
from registry.usecases.issuing import Registry
from tests.support.drafts import PNS_NIP, PPPK_NIP, template_draft
from tests.support.invariants import assert_numbering_invariant

ISSUER = Actor(id="test-issuer", role="issuer")


def coaching_letter(*days: date, nip: str = PNS_NIP) -> DocumentDraft:
    """A surat keterangan of coaching (tangsel-2022: 2 JP a session, 2 sessions a month)."""
    return DocumentDraft(
        type="surat_keterangan",
        recipient=RecipientDraft(nip=nip, name="Andi Wijaya, S.Kom."),
        activity=ActivityDraft(
            title="Pelaksanaan Coaching",
            path="coaching",
            scope="nasional",
            start_date=min(days),
            end_date=max(days),
            organizer="Dinas PU",
            sessions=tuple(LogEntry(date=day, topic=f"Sesi {day:%d/%m}") for day in days),
        ),
        unit_code="DPUPR",
    )


def training(jp: str, *, nip: str = PPPK_NIP, day: date = date(2026, 5, 4)) -> DocumentDraft:
    return DocumentDraft(
        type="sttp",
        recipient=RecipientDraft(nip=nip, name="Rina Lestari, A.Md."),
        activity=ActivityDraft(
            title="Pelatihan Teknis Arsip Digital",
            path="pelatihan_teknis",
            scope="nasional",
            start_date=day,
            end_date=day,
            jp=Decimal(jp),
            organizer="BPSDM",
        ),
        unit_code="DPUPR",
    )


def issued(registry: Registry, draft: DocumentDraft) -> DocumentView:
    return registry.issue(draft, ISSUER).document


def credits_of(registry: Registry, view: DocumentView) -> list[tuple[date, str]]:
    with registry.db.reading() as session:
        rows = session.execute(
            select(DocumentCredit.start_date, DocumentCredit.jp)
            .where(DocumentCredit.document_id == view.id)
            .order_by(DocumentCredit.position)
        ).all()
    return [(row.start_date, row.jp) for row in rows]


def test_a_letter_records_the_credit_of_every_counted_session(registry: Registry) -> None:
    letter = issued(
        registry, coaching_letter(date(2026, 3, 2), date(2026, 3, 9), date(2026, 3, 16))
    )

    assert (letter.jp, letter.credited_jp) == ("4", "4")
    assert credits_of(registry, letter) == [(date(2026, 3, 2), "2"), (date(2026, 3, 9), "2")]


def test_a_second_letter_in_a_full_month_is_refused_with_the_verdicts(registry: Registry) -> None:
    issued(registry, coaching_letter(date(2026, 3, 2), date(2026, 3, 9)))
    with registry.db.reading() as session:
        before = session.scalar(select(func.count()).select_from(Document))

    with pytest.raises(InvalidInput) as refused:
        registry.issue(coaching_letter(date(2026, 3, 23)), ISSUER)

    assert refused.value.field == "activity.sessions"
    assert refused.value.extra["sessions"] == [
        {
            "date": "2026-03-23",
            "jp": "0",
            "counted": False,
            "reason": "melebihi batas 2 sesi per bulan",
        }
    ]
    with registry.db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Document)) == before
    with registry.db.reading() as session:
        assert_numbering_invariant(session)


def test_a_back_dated_session_in_a_full_month_counts_nothing_but_its_other_month_does(
    registry: Registry,
) -> None:
    issued(registry, coaching_letter(date(2026, 3, 9), date(2026, 3, 16)))

    later = issued(registry, coaching_letter(date(2026, 3, 2), date(2026, 4, 6)))

    assert later.jp == "2"
    assert credits_of(registry, later) == [(date(2026, 4, 6), "2")]


def test_a_revoked_letter_frees_its_sessions_for_later_letters(registry: Registry) -> None:
    first = issued(registry, coaching_letter(date(2026, 3, 2), date(2026, 3, 9)))
    registry.revoke(first.id, "Salah pegawai", ISSUER)

    again = issued(registry, coaching_letter(date(2026, 3, 23), date(2026, 3, 30)))

    assert again.jp == "4"


def test_the_printed_jp_of_an_issued_letter_never_changes(registry: Registry) -> None:
    first = issued(registry, coaching_letter(date(2026, 3, 2)))
    issued(registry, coaching_letter(date(2026, 3, 9)))

    assert registry.reader.get(first.id, ISSUER).jp == "2"
    assert credits_of(registry, first) == [(date(2026, 3, 2), "2")]


def test_a_replacement_is_not_capped_by_the_letter_it_replaces(registry: Registry) -> None:
    first = issued(registry, coaching_letter(date(2026, 3, 2), date(2026, 3, 9)))

    replacement = registry.supersede(
        first.id, coaching_letter(date(2026, 3, 2), date(2026, 3, 10)), "Tanggal sesi salah", ISSUER
    ).document

    assert replacement.jp == "4"
    assert registry.reader.get(first.id, ISSUER).status == "superseded"
    # ... and once replaced, the old letter no longer counts: the month is full with the new one.
    with pytest.raises(InvalidInput):
        registry.issue(coaching_letter(date(2026, 3, 30)), ISSUER)


def test_other_documents_print_their_worth_and_count_what_the_pppk_ceiling_leaves(
    registry: Registry,
) -> None:
    first = issued(registry, training("20"))
    second = issued(registry, training("20", day=date(2026, 6, 1)))
    third = issued(registry, training("10", day=date(2026, 7, 1)))

    assert [(d.jp, d.credited_jp) for d in (first, second, third)] == [
        ("20", "20"),
        ("20", "4"),
        ("10", "0"),
    ]
    assert credits_of(registry, third) == []
    # A PNS has no such ceiling.
    assert issued(registry, training("30", nip=PNS_NIP)).credited_jp == "30"


def test_a_pppk_letter_past_the_ceiling_is_cut_to_what_remains(registry: Registry) -> None:
    issued(registry, training("22"))

    letter = issued(registry, coaching_letter(date(2026, 8, 3), date(2026, 8, 10), nip=PPPK_NIP))

    assert (letter.jp, letter.credited_jp) == ("2", "2")


def test_the_ceiling_counts_per_calendar_year(registry: Registry) -> None:
    issued(registry, training("24", day=date(2026, 12, 31)))

    next_year = issued(registry, training("20", day=date(2027, 1, 1)))

    assert next_year.credited_jp == "20"


def test_a_batch_credits_each_participant_against_their_own_history(registry: Registry) -> None:
    issued(registry, training("20"))
    drafts = [
        training("10", day=date(2026, 9, 1)),
        training("10", nip=PNS_NIP, day=date(2026, 9, 1)),
    ]
    valid = [registry.validate(draft) for draft in drafts]

    batch = Batches(registry).issue(drafts, valid, ISSUER).batch

    with registry.db.reading() as session:
        credited = dict(
            session.execute(
                select(Document.nip, Document.credited_jp).where(Document.batch_id == batch.id)
            ).all()
        )
    assert credited == {PPPK_NIP: "4", PNS_NIP: "10"}


def test_letters_issued_at_once_never_share_a_months_slots(registry: Registry) -> None:
    """Six issuers, one employee, one session each in one month: exactly two letters."""
    days = [date(2026, 3, day) for day in (2, 3, 4, 5, 6, 9)]
    start = threading.Barrier(len(days))

    def attempt(day: date) -> str:
        start.wait()
        try:
            return issued(registry, coaching_letter(day)).jp
        except InvalidInput:
            return "refused"

    with ThreadPoolExecutor(len(days)) as pool:
        outcomes = sorted(pool.map(attempt, days))

    assert outcomes == ["2", "2", "refused", "refused", "refused", "refused"]
    with registry.db.reading() as session:
        counted = session.scalars(
            select(DocumentCredit.start_date)
            .join(Document, Document.id == DocumentCredit.document_id)
            .where(Document.status == "issued", Document.nip == PNS_NIP)
        ).all()
    assert len(counted) == 2
    with registry.db.reading() as session:
        assert_numbering_invariant(session)


@pytest.mark.parametrize("companion", ["transkrip", "piagam", "sk"])
def test_companion_documents_of_a_training_credit_nothing(
    registry: Registry, companion: str
) -> None:
    """A transkrip, piagam or SK of a training sits beside its STTP: counting it would count the
    training twice. Only STTP, sertifikat and surat keterangan credit JP."""
    sttp = issued(registry, training("20", nip=PNS_NIP))
    beside = template_draft(companion)
    companion_document = issued(registry, beside)

    assert companion_document.credited_jp == "0"
    assert credits_of(registry, companion_document) == []
    assert sttp.credited_jp == "20"
