from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from registry.adapters.db import audit as audit_module
from registry.domain.actors import Actor
from registry.usecases.issuing import Registry
from tests.conftest import Clock
from tests.support.drafts import draft
from tests.support.invariants import assert_numbering_invariant

ISSUER = Actor(id="issuer-test", role="issuer")


def test_numbers_run_one_to_n_per_series(registry: Registry) -> None:
    numbers = [registry.issue(draft(), ISSUER).document.number for _ in range(3)]
    sk = registry.issue(draft(type="sk"), ISSUER).document.number
    year = registry.local_today().year
    assert numbers == [f"{seq:05}/SERT/BPSDM/{year}" for seq in (1, 2, 3)]
    assert sk.startswith("800.2.1/0001/BPSDM/")
    with registry.db.reading() as session:
        counts = assert_numbering_invariant(session)
    assert counts == {("sertifikat", year): 3, ("sk", year): 1}


def test_twenty_four_concurrent_issuers_never_duplicate_or_skip(registry: Registry) -> None:
    issuers, per_issuer = 24, 8
    barrier = threading.Barrier(issuers)

    def work(index: int) -> list[str]:
        actor = Actor(id=f"issuer-{index}", role="issuer")
        barrier.wait()
        return [registry.issue(draft(), actor).document.number for _ in range(per_issuer)]

    with ThreadPoolExecutor(max_workers=issuers) as pool:
        results = [number for batch in pool.map(work, range(issuers)) for number in batch]

    assert len(results) == len(set(results)) == issuers * per_issuer
    with registry.db.reading() as session:
        counts = assert_numbering_invariant(session)
    assert sum(counts.values()) == issuers * per_issuer


def test_failure_half_way_takes_no_number(
    registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry.issue(draft(), ISSUER)
    real_append = audit_module.append

    def failing_append(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("disk full while writing the audit entry")

    # The number is allocated before the audit append (which writes the document row) fails.
    monkeypatch.setattr(audit_module, "append", failing_append)
    with pytest.raises(RuntimeError):
        registry.issue(draft(), ISSUER)
    monkeypatch.setattr(audit_module, "append", real_append)

    second = registry.issue(draft(), ISSUER).document
    assert second.number.startswith("00002/")
    with registry.db.reading() as session:
        assert assert_numbering_invariant(session)[("sertifikat", registry.local_today().year)] == 2


def test_sequence_restarts_in_new_year_by_configured_timezone(
    registry: Registry, clock: Clock
) -> None:
    clock.current = datetime(2026, 12, 31, 16, 59, 59, tzinfo=UTC)  # 23:59:59 WIB
    last_of_2026 = registry.issue(draft(), ISSUER).document
    clock.current = datetime(2026, 12, 31, 17, 30, tzinfo=UTC)  # 00:30 WIB, 1 January 2027
    first_of_2027 = registry.issue(draft(), ISSUER).document
    sk = registry.issue(draft(type="sk"), ISSUER).document

    assert last_of_2026.number == "00001/SERT/BPSDM/2026"
    assert first_of_2027.number == "00001/SERT/BPSDM/2027"
    assert sk.number == "800.2.1/0001/BPSDM/I/2027"  # January, although UTC still says December
    with registry.db.reading() as session:
        counts = assert_numbering_invariant(session)
    assert counts[("sertifikat", 2026)] == 1 and counts[("sertifikat", 2027)] == 1


def test_surat_keterangan_numbers_carry_unit_and_roman_month(
    registry: Registry, clock: Clock
) -> None:
    clock.current = datetime(2026, 5, 3, 2, 0, tzinfo=UTC)
    letter = registry.issue(
        draft(
            type="surat_keterangan",
            unit_code="DPUPR-KB",
            path="belajar_mandiri",  # credited from the JP given (coaching needs sessions)
            start=date(2026, 4, 1),
            end=date(2026, 4, 30),
            jp=Decimal("4"),
        ),
        ISSUER,
    ).document
    assert letter.number == "800.2.3/0001/DPUPR-KB/V/2026"
    assert letter.jp == "4"
