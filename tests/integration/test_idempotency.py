from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from registry.domain.actors import Actor
from registry.domain.errors import Conflict, InvalidInput
from registry.usecases.batches import Batches
from registry.usecases.idempotency import KEY_FIELD
from registry.usecases.issuing import Registry
from tests.integration.test_batches import participants_csv, prepare
from tests.support.drafts import draft
from tests.support.invariants import assert_numbering_invariant

ISSUER = Actor(id="issuer-test", role="issuer")


def test_retry_with_same_key_returns_same_document(registry: Registry) -> None:
    first = registry.issue(draft(), ISSUER, idempotency_key="batch-7/row-1")
    retry = registry.issue(draft(), ISSUER, idempotency_key="batch-7/row-1")
    assert not first.replayed and retry.replayed
    assert retry.document.id == first.document.id
    assert retry.document.number == first.document.number
    with registry.db.reading() as session:
        assert sum(assert_numbering_invariant(session).values()) == 1


def test_same_key_for_a_different_request_is_refused(registry: Registry) -> None:
    registry.issue(draft(), ISSUER, idempotency_key="k1")
    with pytest.raises(Conflict) as refused:
        registry.issue(draft(name="Budi Santoso"), ISSUER, idempotency_key="k1")
    # Named in the use case's words; the API presents it as its Idempotency-Key header.
    assert refused.value.field == KEY_FIELD == "idempotency_key"


def test_keys_are_scoped_to_the_caller(registry: Registry) -> None:
    other = Actor(id="issuer-other", role="issuer")
    mine = registry.issue(draft(), ISSUER, idempotency_key="k1").document
    theirs = registry.issue(draft(), other, idempotency_key="k1").document
    assert mine.id != theirs.id


def test_overlong_key_is_refused_before_any_number(registry: Registry) -> None:
    with pytest.raises(InvalidInput) as refused:
        registry.issue(draft(), ISSUER, idempotency_key="x" * 201)
    assert refused.value.field == "idempotency_key"
    with registry.db.reading() as session:
        assert assert_numbering_invariant(session) == {}


def test_concurrent_retries_take_one_number(registry: Registry) -> None:
    """A client that times out and retries while the first request is still running."""
    attempts = 12
    barrier = threading.Barrier(attempts)

    def attempt(_: int) -> str:
        barrier.wait()
        return str(registry.issue(draft(), ISSUER, idempotency_key="flaky-network").document.id)

    with ThreadPoolExecutor(max_workers=attempts) as pool:
        ids = set(pool.map(attempt, range(attempts)))
    assert len(ids) == 1
    with registry.db.reading() as session:
        assert sum(assert_numbering_invariant(session).values()) == 1


def test_revoke_replay_returns_the_revoked_document(registry: Registry) -> None:
    document = registry.issue(draft(), ISSUER).document
    first = registry.revoke(document.id, "Salah nama", ISSUER, idempotency_key="r1")
    again = registry.revoke(document.id, "Salah nama", ISSUER, idempotency_key="r1")
    assert again.replayed and again.document.status == "revoked" == first.document.status
    with pytest.raises(Conflict):
        registry.revoke(document.id, "Salah nama", ISSUER)


def test_documents_and_batches_share_one_key_space(registry: Registry) -> None:
    """One implementation serves both: a key is the caller's, whatever it was first used for."""
    batches = Batches(registry)  # no queue: the batch is rendered right here
    _, drafts, valid = prepare(registry, participants_csv(2))
    document = registry.issue(draft(), ISSUER, idempotency_key="maret").document
    with pytest.raises(Conflict) as refused:
        batches.issue(drafts, valid, ISSUER, idempotency_key="maret")
    assert refused.value.field == "idempotency_key"
    with pytest.raises(InvalidInput) as unusable:
        batches.issue(drafts, valid, ISSUER, idempotency_key="tab\there")
    assert unusable.value.field == "idempotency_key"

    batch = batches.issue(drafts, valid, ISSUER, idempotency_key="april").batch
    again = batches.issue(drafts, valid, ISSUER, idempotency_key="april")
    assert again.replayed and again.batch.id == batch.id
    with pytest.raises(Conflict):
        registry.issue(draft(), ISSUER, idempotency_key="april")
    assert registry.issue(draft(), ISSUER, idempotency_key="maret").document.id == document.id
    with registry.db.reading() as session:
        assert sum(assert_numbering_invariant(session).values()) == 3
