"""Numbering on PostgreSQL: 50 concurrent issuers through the service's own path vs bare SQL.

    python -m bench.numbering [--issuers 50] [--numbers 1000] [--rounds 2]

Both sides run in this process, against one throw-away database on the same server
(``SATUPINTU_BENCH_POSTGRES_URL``, default the local test server), in alternating rounds so they
see the same machine load:

* bare SQL: ``--issuers`` asyncio tasks on psycopg's async connections, one connection each; a
  number is one transaction of ``UPDATE counter ... RETURNING`` on the counter row plus one
  ``INSERT`` of the numbered row.
* the service: ``--issuers`` threads (the API runs handlers in threads) calling
  ``Registry.take_number``, the numbering half of ``POST /api/v1/documents``: validation, the
  idempotency record, the holder's credit lock, ``numbers.allocate``, the signed record, the
  render plan, the audit entry, one transaction; no LibreOffice, no files.

After each run the numbers taken in the series are checked: exactly 1..N, no duplicate, no gap.
Goal: the service's numbers per second >= 0.5x the bare SQL's.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import tempfile
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import psycopg
from sqlalchemy import select

from bench.report import Goal, SequenceCheck, check_sequence, ratio, table, verdict
from bench.scratch_db import libpq_url, scratch_database
from registry.adapters.db.engine import Database, create_db_engine
from registry.adapters.db.schema import Document
from registry.adapters.libreoffice import UnavailableConverter
from registry.bootstrap import build_registry, initialize
from registry.domain.actors import Actor
from registry.domain.drafts import DocumentDraft
from registry.settings import Settings
from registry.usecases.issuing import Registry
from tests.support.drafts import distinct_nips, draft

GOAL = Goal(0.5, at_least=True)
ACTOR = Actor(id="bench", role="issuer")

BARE_SCHEMA = """
CREATE TABLE bare_counter (
    series_id text NOT NULL, year integer NOT NULL, last_seq integer NOT NULL,
    PRIMARY KEY (series_id, year)
);
-- No unique constraint on seq: the invariant check, not the schema, must catch a duplicate.
CREATE TABLE bare_numbers (
    id bigserial PRIMARY KEY, series_id text NOT NULL, year integer NOT NULL,
    seq integer NOT NULL, issued_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO bare_counter VALUES ('sttp', 2026, 0);
"""
BARE_TAKE = (
    "UPDATE bare_counter SET last_seq = last_seq + 1 "
    "WHERE series_id = 'sttp' AND year = 2026 RETURNING last_seq"
)
BARE_RECORD = "INSERT INTO bare_numbers (series_id, year, seq) VALUES ('sttp', 2026, %s)"


@dataclass(frozen=True)
class Run:
    side: str
    count: int
    seconds: float
    check: SequenceCheck

    @property
    def rate(self) -> float:
        return self.count / self.seconds


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.numbering")
    parser.add_argument("--issuers", type=int, default=50, help="concurrent issuers per side")
    parser.add_argument("--numbers", type=int, default=1000, help="numbers taken per run")
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds of both sides")
    parser.add_argument(
        "--connections", type=int, help="the service's pool (default: one per issuer)"
    )
    args = parser.parse_args(argv)
    runs = measure(args.issuers, args.numbers, args.rounds, args.connections)
    print(summary(runs, args.issuers))
    return 0 if all(run.check.holds for run in runs) else 1


def measure(issuers: int, numbers: int, rounds: int, connections: int | None = None) -> list[Run]:
    with (
        tempfile.TemporaryDirectory(prefix="satupintu-numbering-") as scratch,
        scratch_database("satupintu_bench_numbering") as url,
    ):
        root = Path(scratch)
        settings = Settings.from_env(
            {
                "SATUPINTU_DATA_DIR": str(root / "data"),
                "SATUPINTU_KEYS_DIR": str(root / "keys"),
                "SATUPINTU_DATABASE_URL": url,
            }
        )
        initialize(settings)
        # One connection per issuer, as the bare side has: the service's default pool (10 + 20
        # overflow) makes the twenty issuers beyond it wait, up to 30 s, then fail.
        pool = connections or issuers
        db = Database(create_db_engine(url, pool_size=pool, max_overflow=0, pool_timeout=300))
        registry = build_registry(settings, db=db, converter=UnavailableConverter())
        try:
            asyncio.run(_create_bare_schema(libpq_url(url)))
            drafts = _drafts(numbers)
            _service_run(registry, drafts[: min(issuers, numbers)], issuers)  # warm every path
            warm = min(issuers, numbers)
            runs: list[Run] = []
            for round_ in range(rounds):
                db.engine.dispose()  # the server is shared: one side's connections at a time
                runs.append(asyncio.run(_bare_run(libpq_url(url), issuers, numbers, round_)))
                started = time.perf_counter()
                _service_run(registry, drafts, issuers)
                seconds = time.perf_counter() - started
                taken = warm + numbers * (round_ + 1)
                runs.append(Run("service", numbers, seconds, _service_check(registry, taken)))
                for run in runs[-2:]:
                    print(f"  round {round_ + 1} {run.side}: {run.rate:8.1f} numbers/s, "
                          f"{run.check.describe()}")  # fmt: skip
            return runs
        finally:
            registry.db.dispose()


def summary(runs: Sequence[Run], issuers: int) -> str:
    bare = [run for run in runs if run.side == "bare SQL"]
    service = [run for run in runs if run.side == "service"]
    bare_rate = sum(r.count for r in bare) / sum(r.seconds for r in bare)
    service_rate = sum(r.count for r in service) / sum(r.seconds for r in service)
    rows = [
        (f"bare SQL, {issuers} asyncio tasks (psycopg)", f"{bare_rate:.1f}", len(bare)),
        (f"service take_number, {issuers} threads", f"{service_rate:.1f}", len(service)),
    ]
    invariant = "holds after every run" if all(r.check.holds for r in runs) else "BROKEN"
    return "\n".join(
        [
            table(("numbering on PostgreSQL", "numbers/s", "runs"), rows),
            f"service / bare SQL: {verdict(ratio(service_rate, bare_rate), GOAL)}",
            f"numbering invariant (1..N, no duplicate, no gap): {invariant}",
        ]
    )


def _drafts(count: int) -> list[DocumentDraft]:
    """STTPs of one series (one counter row), each for its own holder, as a batch would be."""
    return [
        draft(type="sttp", nip=nip, path="pelatihan_teknis", jp=Decimal(24))
        for nip in distinct_nips(count)
    ]


def _service_run(registry: Registry, drafts: Sequence[DocumentDraft], issuers: int) -> None:
    work = iter(drafts)
    lock = threading.Lock()

    def issuer() -> None:
        while True:
            with lock:
                one = next(work, None)
            if one is None:
                return
            outcome = registry.take_number(one, ACTOR)
            if outcome.document.status != "pending":
                raise RuntimeError(f"unexpected status {outcome.document.status}")

    with ThreadPoolExecutor(max_workers=issuers) as pool:
        for future in [pool.submit(issuer) for _ in range(issuers)]:
            future.result()


def _service_check(registry: Registry, expected: int) -> SequenceCheck:
    with registry.db.reading() as session:
        seqs = session.execute(select(Document.seq).where(Document.type == "sttp")).scalars()
        return check_sequence(list(seqs), expected)


async def _create_bare_schema(url: str) -> None:
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as connection:
        await connection.execute(BARE_SCHEMA)


async def _bare_run(url: str, issuers: int, numbers: int, round_: int) -> Run:
    connections = [await psycopg.AsyncConnection.connect(url) for _ in range(issuers)]
    remaining = itertools.count()

    async def issuer(connection: psycopg.AsyncConnection[tuple[int]]) -> None:
        while next(remaining) < numbers:
            async with connection.transaction():
                row = await (await connection.execute(BARE_TAKE)).fetchone()
                if row is None:
                    raise RuntimeError("the bare counter row is missing")
                await connection.execute(BARE_RECORD, (row[0],))

    try:
        started = time.perf_counter()
        await asyncio.gather(*(issuer(connection) for connection in connections))
        seconds = time.perf_counter() - started
        async with connections[0].cursor() as cursor:
            await cursor.execute("SELECT seq FROM bare_numbers")
            seqs = [seq for (seq,) in await cursor.fetchall()]
        await connections[0].commit()
    finally:
        for connection in connections:
            await connection.close()
    return Run("bare SQL", numbers, seconds, check_sequence(seqs, numbers * (round_ + 1)))


if __name__ == "__main__":
    raise SystemExit(main())
