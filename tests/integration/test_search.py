"""Listing documents reads a fixed number of queries, however many rows it returns."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from registry.domain.actors import Actor
from registry.usecases.issuing import Registry, SearchFilter
from tests.support.drafts import distinct_nips, draft

ISSUER = Actor(id="search-issuer", role="issuer")
AUDITOR = Actor(id="search-auditor", role="auditor")


@contextmanager
def counted_statements(registry: Registry) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])  # (connection, cursor, statement, ...)

    event.listen(registry.db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(registry.db.engine, "before_cursor_execute", count)


def test_a_search_of_30_documents_takes_as_many_queries_as_a_search_of_2(
    registry: Registry,
) -> None:
    issued = [
        registry.issue(draft(nip=nip, name=f"Peserta {n}"), ISSUER).document
        for n, nip in enumerate(distinct_nips(28), start=1)
    ]
    # The two newest replace older ones: their views name a document each, and those are
    # superseded ones that name their replacement.
    for old in issued[:2]:
        registry.supersede(
            old.id, draft(nip=old.nip, name=f"{old.holder_name} (ralat)"), "nama", ISSUER
        )
    registry.search(AUDITOR, SearchFilter(limit=1))  # connections opened, dialect initialised

    with counted_statements(registry) as few:
        two = registry.search(AUDITOR, SearchFilter(limit=2))
    with counted_statements(registry) as many:
        thirty = registry.search(AUDITOR, SearchFilter(limit=30))

    assert len(two) == 2 and len(thirty) == 30
    assert all(view.supersedes is not None for view in two)
    assert sum(view.superseded_by is not None for view in thirty) == 2
    assert len(many) == len(few), many
    # Each view is what reading the document alone gives, files and references included.
    for view in thirty:
        assert view == registry.get(view.id, AUDITOR)
        assert [f.kind for f in view.files] == ["docx"]
