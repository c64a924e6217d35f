"""What one number costs in statements while the counter row is locked.

The counter's lock serialises every issuer of a series, so each statement between the ``UPDATE``
that takes the number and the ``COMMIT`` caps the whole series' throughput (bench/numbering.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

import pytest
from sqlalchemy import event

from registry.domain.actors import Actor
from registry.domain.drafts import DocumentDraft
from registry.usecases.issuing import Registry
from tests.support.drafts import draft

ISSUER = Actor(id="issuer-test", role="issuer")


@contextmanager
def statements(registry: Registry) -> Iterator[list[str]]:
    """Every statement the registry sends (on one line), and each ``COMMIT``."""
    seen: list[str] = []

    def before(conn: object, cursor: object, statement: str, *rest: object) -> None:
        seen.append(" ".join(statement.split()))

    def commit(conn: object) -> None:
        seen.append("COMMIT")

    engine = registry.db.engine
    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "commit", commit)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "commit", commit)


def _under_counter_lock(seen: list[str]) -> list[str]:
    start = next(n for n, s in enumerate(seen) if "UPDATE number_counters" in s)
    end = seen.index("COMMIT", start)
    return seen[start + 1 : end]


def test_taking_a_number_reads_no_document_back_while_the_counter_is_locked(
    registry: Registry,
) -> None:
    registry.take_number(draft(nip="198503152010011001"), ISSUER)
    with statements(registry) as seen:
        outcome = registry.take_number(draft(nip="198503152010011002"), ISSUER)
    assert outcome.document.number.startswith("00002/")
    locked = _under_counter_lock(seen)
    assert not [s for s in locked if s.startswith("SELECT documents")], locked


def test_an_existing_counter_is_updated_without_an_insert_first(registry: Registry) -> None:
    registry.take_number(draft(nip="198503152010011001"), ISSUER)
    with statements(registry) as seen:
        registry.take_number(draft(nip="198503152010011002"), ISSUER)
    assert not [s for s in seen if s.startswith("INSERT INTO number_counters")], seen


def test_the_first_number_of_a_series_creates_its_counter(registry: Registry) -> None:
    first = registry.take_number(draft(), ISSUER).document
    second = registry.take_number(draft(type="sk"), ISSUER).document
    assert first.number.startswith("00001/")
    assert second.number.startswith("800.2.1/0001/")


def test_nothing_is_read_under_the_counter_lock_and_the_answer_needs_no_read(
    registry: Registry,
) -> None:
    """Under the lock only what the number needs: the document, its credits, the audit entry.
    The answer is built from the row just written, so nothing is read after the commit either."""
    registry.take_number(draft(nip="198503152010011001"), ISSUER)
    with statements(registry) as seen:
        outcome = registry.take_number(draft(nip="198503152010011002"), ISSUER)
    assert outcome.document.number.startswith("00002/")
    locked = _under_counter_lock(seen)
    # The audit head's row lock orders the chain; every other read waits for the commit.
    assert not [s for s in locked if s.startswith("SELECT") and "audit_head" not in s], locked
    assert seen[-1] == "COMMIT", seen


@pytest.mark.parametrize(
    "request_draft",
    [
        draft(nip="198503152010011003"),
        draft(type="sttp", nip="198503152010011004", path="pelatihan_teknis", jp=Decimal(24)),
        draft(type="sk", nip="198503152010011005", unit_code=None),
    ],
    ids=["sertifikat", "sttp with stated JP", "sk without unit"],
)
def test_the_answer_built_from_the_written_row_is_what_a_read_gives(
    registry: Registry, request_draft: DocumentDraft
) -> None:
    outcome = registry.take_number(request_draft, ISSUER)
    assert not outcome.replayed
    assert outcome.document == registry.get(outcome.document.id, ISSUER)
