"""The numbering invariant, checked straight from the tables."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.adapters.db.schema import Document, NumberCounter


def assert_numbering_invariant(session: Session) -> dict[tuple[str, int], int]:
    """For every series and year the numbers handed out are exactly 1..N, each accounted for.

    Returns N per (series, year).
    """
    seqs: dict[tuple[str, int], list[int]] = defaultdict(list)
    for document in session.execute(select(Document)).scalars():
        seqs[(document.series_id, document.year)].append(document.seq)
        assert document.status in {"pending", "issued", "void", "revoked", "superseded"}
        if document.status == "void":
            assert document.void_reason
    counters = {
        (counter.series_id, counter.year): counter.last_seq
        for counter in session.execute(select(NumberCounter)).scalars()
    }
    for key, values in seqs.items():
        assert sorted(values) == list(range(1, len(values) + 1)), f"gap or duplicate in {key}"
        assert counters[key] == len(values), f"counter of {key} is ahead of its documents"
    for key, last in counters.items():
        assert last == len(seqs.get(key, [])), f"number taken without a document in {key}"
    return {key: len(values) for key, values in seqs.items()}
