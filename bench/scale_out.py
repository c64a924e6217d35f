"""Scale-out issuance: 1, 2 and 4 ``satupintu serve`` processes on one PostgreSQL.

    python -m bench.scale_out [--processes 1,2,4] [--documents 200] [--converters 2]
                              [--data-dir-per-process]

One throw-away database on the test server (``SATUPINTU_BENCH_POSTGRES_URL``). For each process
count, that many services start (each with its own pool of ``--converters`` LibreOffice
processes, as separate hosts would have), the load of ``--documents`` STTPs is split into one
batch per process, sent to all at once, and timed until every job reports ``done``. Printed:
documents per second per process count and against one process; after each step the numbering
invariant is checked over every document issued so far (1..N, no duplicate, no gap).

The processes share one data dir by default. ``--data-dir-per-process`` gives each its own (the
keys stay shared): that needs files stored in PostgreSQL, which another part of issue 10 brings;
until then a batch whose chunks run on several processes cannot merge its PDFs.
"""

from __future__ import annotations

import argparse
import logging
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from bench.report import SequenceCheck, check_sequence, ratio, table
from bench.run import WARM_UP_DOCUMENTS, _issuer_key, _Service, _sizes, service_env
from bench.scratch_db import scratch_database
from registry.adapters.db.engine import Database
from registry.adapters.db.schema import Document
from registry.bootstrap import initialize
from registry.settings import Settings


@dataclass(frozen=True)
class Step:
    processes: int
    documents: int
    seconds: float
    check: SequenceCheck

    @property
    def rate(self) -> float:
        return self.documents / self.seconds


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scale_out")
    parser.add_argument("--processes", type=_sizes, default=(1, 2, 4), help="e.g. 1,2,4")
    parser.add_argument("--documents", type=int, default=200, help="documents per step")
    parser.add_argument("--converters", type=int, default=2, help="LibreOffice per process")
    parser.add_argument(
        "--data-dir-per-process", action="store_true", help="a data dir of its own per process"
    )
    args = parser.parse_args(argv)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    steps = run(args.processes, args.documents, args.converters, args.data_dir_per_process)
    print(scale_out_report(steps))
    return 0 if all(step.check.holds for step in steps) else 1


def run(counts: Sequence[int], documents: int, converters: int, own_data_dirs: bool) -> list[Step]:
    with (
        tempfile.TemporaryDirectory(prefix="satupintu-scale-") as scratch,
        scratch_database("satupintu_bench_scale") as url,
    ):
        root = Path(scratch)
        base = service_env(root, url, converters)
        settings = Settings.from_env(base)
        initialize(settings)
        secret = _issuer_key(settings)
        issued = 0
        steps = []
        for count in counts:
            envs = [_process_env(base, root, n, own_data_dirs) for n in range(count)]
            for env in envs:
                initialize(Settings.from_env(env))
            services = [_Service(env) for env in envs]
            try:
                seconds = _split_load(services, secret, documents)
            finally:
                for service in services:
                    service.stop()
            issued += documents + WARM_UP_DOCUMENTS * count
            step = Step(count, documents, seconds, _check(url, issued))
            print(f"  {count} process(es): {step.rate:.2f} doc/s, {step.check.describe()}")
            steps.append(step)
        return steps


def scale_out_report(steps: Sequence[Step]) -> str:
    one = next((step.rate for step in steps if step.processes == 1), steps[0].rate)
    rows = [
        (f"{step.processes} x satupintu serve", step.documents, f"{step.seconds:.1f}",
         f"{step.rate:.2f}", f"{ratio(step.rate, one):.2f} x", step.check.describe())
        for step in steps
    ]  # fmt: skip
    headers = ("issuance on one PostgreSQL", "documents", "s", "doc/s", "vs 1", "numbering")
    return table(headers, rows)


def split(total: int, parts: int) -> list[int]:
    """``total`` documents in ``parts`` batches differing by at most one; no empty batch."""
    if parts < 1 or total < parts:
        raise ValueError(f"cannot split {total} documents into {parts} non-empty batches")
    share, extra = divmod(total, parts)
    return [share + (1 if n < extra else 0) for n in range(parts)]


def _process_env(
    base: dict[str, str], root: Path, index: int, own_data_dir: bool
) -> dict[str, str]:
    if not own_data_dir:
        return dict(base)
    return {**base, "SATUPINTU_DATA_DIR": str(root / f"data-{index}")}


def _split_load(services: Sequence[_Service], secret: str, documents: int) -> float:
    for service in services:
        service.warm_up(secret)
    sizes = split(documents, len(services))

    def one(service: _Service, size: int) -> None:
        service.wait_batch(secret, service.submit_batch(secret, size), size)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(services)) as pool:
        for future in [pool.submit(one, s, n) for s, n in zip(services, sizes, strict=True)]:
            future.result()
    return time.perf_counter() - started


def _check(url: str, taken: int) -> SequenceCheck:
    """Every STTP numbered so far (the batches' and each process's warm-up documents)."""
    db = Database.from_url(url)
    try:
        with db.reading() as session:
            seqs = list(session.execute(select(Document.seq).where(Document.type == "sttp")))
    finally:
        db.dispose()
    return check_sequence([seq for (seq,) in seqs], taken)


if __name__ == "__main__":
    raise SystemExit(main())
