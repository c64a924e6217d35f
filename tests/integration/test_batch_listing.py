"""Reading batches: the latest first with their counts, a batch's documents with their holders,
and only issuers, auditors and the operator may read them."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from registry.adapters.spreadsheets import read_recipients
from registry.domain.actors import CLI_ACTOR, Actor
from registry.domain.errors import NotFound, PermissionDenied
from registry.usecases.batches import Batches, BatchRequest
from registry.usecases.issuing import Registry
from tests.conftest import Clock
from tests.integration.test_batches import activity, participants_csv

ISSUER = Actor(id="user:andi", role="issuer")
AUDITOR = Actor(id="user:rina", role="auditor")


def submit(batches: Batches, count: int) -> uuid.UUID:
    recipients = read_recipients(participants_csv(count), filename="p.csv", media_type="text/csv")
    request = BatchRequest(
        type="sttp", activity=activity(), recipients=recipients, unit_code="DPUPR"
    )
    return batches.submit(request, ISSUER).batch.id


def test_the_latest_batches_come_first_with_their_counts(registry: Registry, clock: Clock) -> None:
    # No queue: the documents are made (DOCX) before submit returns.
    batches = Batches(registry)
    clock.current = datetime(2026, 3, 10, 9, tzinfo=UTC)
    first = submit(batches, 2)
    clock.current += timedelta(hours=1)
    second = submit(batches, 3)

    listed = batches.recent(AUDITOR)
    assert [batch.id for batch in listed] == [second, first]
    newest = listed[0]
    assert (newest.status, newest.total, newest.issued, newest.void, newest.pending) == (
        "done",
        3,
        3,
        0,
        0,
    )
    assert newest.created_by == "user:andi"
    assert newest.title == "Pelatihan Teknis Pengadaan Barang/Jasa"
    assert batches.listing(first, AUDITOR).total == 2
    with pytest.raises(NotFound):
        batches.listing(uuid.uuid4(), AUDITOR)
    assert newest.created_at == clock.current
    assert newest.first_number.startswith("00003/") and newest.last_number.startswith("00005/")
    assert [batch.id for batch in batches.recent(ISSUER, limit=1)] == [second]


def test_a_batchs_documents_in_number_order_with_their_holders(registry: Registry) -> None:
    batches = Batches(registry)
    batch_id = submit(batches, 3)
    documents = batches.documents(batch_id, ISSUER)
    assert [d.holder_name for d in documents] == [
        "Peserta 001, S.Kom.",
        "Peserta 002, S.Kom.",
        "Peserta 003, S.Kom.",
    ]
    assert [d.number for d in documents] == [ref.number for ref in batches.view(batch_id).documents]
    assert {d.status for d in documents} == {"issued"}
    with pytest.raises(NotFound):
        batches.documents(uuid.uuid4(), ISSUER)


@pytest.mark.parametrize("role", ["requester", "admin"])
def test_only_issuers_auditors_and_the_operator_read_batches(registry: Registry, role: str) -> None:
    batches = Batches(registry)
    batch_id = submit(batches, 1)
    outsider = Actor(
        id=f"user:{role}", role=role, unit_code="DPUPR" if role == "requester" else None
    )
    with pytest.raises(PermissionDenied):
        batches.get(batch_id, outsider)
    with pytest.raises(PermissionDenied):
        batches.recent(outsider)
    with pytest.raises(PermissionDenied):
        batches.documents(batch_id, outsider)
    with pytest.raises(PermissionDenied):
        batches.listing(batch_id, outsider)
    assert batches.get(batch_id, CLI_ACTOR).id == batch_id
    assert [batch.id for batch in batches.recent(CLI_ACTOR)] == [batch_id]
