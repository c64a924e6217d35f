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


def test_a_name_filter_finds_part_of_the_holders_name_in_any_case(registry: Registry) -> None:
    nips = distinct_nips(3)
    aminah = registry.issue(draft(nip=nips[0], name="Dra. Siti Aminah, M.Si."), ISSUER).document
    registry.issue(draft(nip=nips[1], name="Budi Santoso"), ISSUER)
    percent = registry.issue(draft(nip=nips[2], name="Ani 100% Rahayu"), ISSUER).document

    found = registry.search(AUDITOR, SearchFilter(name="  aMiNaH "))
    assert [view.id for view in found] == [aminah.id]
    # A typed % is a character of the name, not a wildcard matching every name.
    assert [view.id for view in registry.search(AUDITOR, SearchFilter(name="0%"))] == [percent.id]
    assert registry.search(AUDITOR, SearchFilter(name="santoso", nip=nips[0])) == []
    assert len(registry.search(AUDITOR, SearchFilter(name="   "))) == 3


def test_a_requesters_name_search_stays_in_its_unit(registry: Registry) -> None:
    nips = distinct_nips(2)
    own = registry.issue(draft(nip=nips[0], name="Rahmat Hidayat", unit_code="DPUPR"), ISSUER)
    registry.issue(draft(nip=nips[1], name="Rahmat Hidayat", unit_code="BAPPEDA"), ISSUER)
    requester = Actor(id="user:siti", role="requester", unit_code="DPUPR")

    found = registry.search(requester, SearchFilter(name="rahmat", unit_code="BAPPEDA"))
    assert [view.id for view in found] == [own.document.id]
