"""End-to-end issuance benchmarks against raw LibreOffice conversion measured in the same run.

    python -m bench.run [--single 30] [--batches 500,2000] [--baseline-docs 300]
                        [--database-url URL]

1. Baseline: the same DOCX files the service renders, converted through a warm pool of two
   LibreOffice processes. One at a time, alternating with the service's single documents (each raw
   conversion followed by one API call), so both medians see the same machine load; and with two
   threads (documents per second, over ``--baseline-docs`` files), before and after the service
   runs, averaged, so drifting load shows up as a difference between the two.
2. The service (``satupintu serve`` in a subprocess, embedded SQLite unless ``--database-url``):
   ``--single`` sequential ``POST /api/v1/documents`` (number, render, PDF, QR, sign, store), then
   one batch of each size in ``--batches`` through ``POST /api/v1/documents/batch``, timed from
   the request to the job reporting ``done``. The service's peak RSS (VmHWM, a high-water mark) is
   read after each batch: if nothing is held per document, a larger batch leaves it where the
   smaller one did.

Prints the figures and the ratios the issue sets goals for: single median / warm raw median
(goal <= 1.25), each batch's throughput / warm parallel raw throughput (goal >= 0.75).
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from bench.baselines import warm_parallel
from bench.report import Goal, ratio, rss_growth, table, verdict
from registry.adapters.db import apikeys
from registry.adapters.files.filesystem import FilesystemStore
from registry.adapters.libreoffice import LibreOfficePool, UnavailableConverter
from registry.bootstrap import build_registry, initialize
from registry.domain.actors import Actor
from registry.settings import Settings
from tests.support.drafts import batch_body, issue_batch_now

REPO = Path(__file__).resolve().parents[1]
SINGLE_GOAL = Goal(1.25, at_least=False)
BATCH_GOAL = Goal(0.75, at_least=True)
#: Single documents a service issues before it is timed: both LibreOffice processes and every
#: code path warm.
WARM_UP_DOCUMENTS = 4
#: Peak RSS differences below this are the allocator's, not documents held in memory.
RSS_TOLERANCE_MB = 25.0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run")
    parser.add_argument("--single", type=int, default=30, help="single documents to time")
    parser.add_argument(
        "--batches", type=_sizes, default=(500, 2000), help="batch sizes, e.g. 500,2000"
    )
    parser.add_argument(
        "--baseline-docs", type=int, default=300, help="DOCX files per parallel raw baseline"
    )
    parser.add_argument("--database-url", help="PostgreSQL URL (default: embedded SQLite)")
    args = parser.parse_args(argv)
    print(run(args.single, args.batches, args.baseline_docs, args.database_url))
    return 0


def run(single_count: int, sizes: Sequence[int], baseline_docs: int, url: str | None) -> str:
    with tempfile.TemporaryDirectory(prefix="satupintu-bench-") as scratch:
        root = Path(scratch)
        env = service_env(root, url)
        settings = Settings.from_env(env)
        initialize(settings)
        secret = _issuer_key(settings)
        docx = _render_samples(settings, root / "samples", max(baseline_docs, single_count))

        print(f"baseline (before): {len(docx)} of the service's STTP DOCX files")
        before = _baseline_rate(docx, settings.uno_python)
        service = _Service(env)
        try:
            raw_single, single = _paired_single(
                service, secret, docx[:single_count], settings.uno_python
            )
            batches = [service.time_batch(secret, size) for size in sizes]
        finally:
            service.stop()
        print("baseline (after)")
        after = _baseline_rate(docx, settings.uno_python)
    return issuance_report(raw_single, single, before, after, batches)


def issuance_report(
    raw_single: Sequence[float],
    single: Sequence[float],
    raw_before: float,
    raw_after: float,
    batches: Sequence[_BatchResult],
) -> str:
    raw_rate = statistics.mean([raw_before, raw_after])
    raw_median, single_median = statistics.median(raw_single), statistics.median(single)
    rows: list[tuple[str, str, str]] = [
        ("raw warm conversion, one at a time (median)", f"{raw_median * 1000:.1f} ms",
         f"paired with the API calls, n={len(raw_single)}"),
        ("raw warm conversion, 2 processes", f"{raw_rate:.2f} doc/s",
         f"before {raw_before:.2f} / after {raw_after:.2f}"),
        ("API single document (median)", f"{single_median * 1000:.1f} ms",
         f"max {max(single) * 1000:.1f} ms, n={len(single)}"),
    ]  # fmt: skip
    for batch in batches:
        rows.append(
            (f"API batch of {batch.count}", f"{batch.rate:.2f} doc/s",
             f"{batch.seconds:.1f} s, peak RSS {batch.peak_rss_mb:.1f} MB")
        )  # fmt: skip
    lines = [
        table(("issuance", "figure", "note"), rows),
        "",
        f"single document / warm raw conversion: "
        f"{verdict(ratio(single_median, raw_median), SINGLE_GOAL)}",
    ]
    for batch in batches:
        lines.append(
            f"batch of {batch.count} / warm parallel raw: "
            f"{verdict(ratio(batch.rate, raw_rate), BATCH_GOAL)}"
        )
    peaks = [(batch.count, batch.peak_rss_mb) for batch in batches]
    lines.append(f"service peak RSS over batch sizes: {rss_growth(peaks, RSS_TOLERANCE_MB)}")
    return "\n".join(lines)


def service_env(root: Path, database_url: str | None, converters: int = 2) -> dict[str, str]:
    """The environment of a service on the scratch directory ``root``."""
    env = {
        **os.environ,
        "SATUPINTU_DATA_DIR": str(root / "data"),
        "SATUPINTU_KEYS_DIR": str(root / "keys"),
        "SATUPINTU_CONVERTERS": str(converters),
    }
    if database_url:
        env["SATUPINTU_DATABASE_URL"] = database_url
    return env


def _sizes(text: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of sizes: {text!r}") from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"not a list of sizes: {text!r}")
    return sizes


def _paired_single(
    service: _Service, secret: str, docx: list[Path], uno_python: Path | None
) -> tuple[list[float], list[float]]:
    """One raw conversion, then one API document, in turn: both see the same machine load.

    The raw side has its own warm pool of two; while one side works the other's LibreOffice
    processes sit idle, so they do not compete.
    """
    pool = LibreOfficePool(size=2, timeout=120, uno_python=uno_python)
    pool.start()
    try:
        pool.wait_ready(120)
        for path in docx[:4]:
            pool.convert(path.read_bytes())
        service.warm_up(secret)
        raw, api = [], []
        for path in docx:
            data = path.read_bytes()
            started = time.perf_counter()
            pool.convert(data)
            raw.append(time.perf_counter() - started)
            api.append(service.time_one(secret))
    finally:
        pool.close()
    print(
        f"  single, paired: raw median {statistics.median(raw) * 1000:.1f} ms, "
        f"API median {statistics.median(api) * 1000:.1f} ms"
    )
    return raw, api


def _issuer_key(settings: Settings) -> str:
    registry = build_registry(settings, converter=UnavailableConverter())
    try:
        with registry.db.writing() as session:
            created = apikeys.create_key(
                session, role="issuer", unit_code=None, name="bench", now=datetime.now(UTC)
            )
        return created.secret
    finally:
        registry.db.dispose()


def _render_samples(settings: Settings, directory: Path, count: int) -> list[Path]:
    """The DOCX files the service makes for this very batch, rendered by the same code path.

    A DOCX-only registry on a scratch data dir issues the same requests; its stored DOCX files are
    what the service converts (only numbers and tokens differ).
    """
    scratch = replace(
        settings,
        data_dir=directory / "data",
        database_url=f"sqlite:///{directory / 'samples.db'}",
    )
    initialize(scratch)
    registry = build_registry(scratch, converter=UnavailableConverter())
    try:
        view = issue_batch_now(registry, Actor(id="bench", role="issuer"), count)
        store = FilesystemStore(scratch.files_dir)  # an SQLite registry keeps files on disk
        paths = []
        for ref in view.documents:
            (docx,) = registry.get(ref.id, Actor(id="bench", role="issuer")).files
            paths.append(store.path(docx.sha256))
        return paths
    finally:
        registry.db.dispose()


def _single_body() -> dict[str, Any]:
    """An STTP like each one of the batch: the baseline converts exactly that kind of file."""
    batch = batch_body(1)
    return {
        "type": batch["type"],
        "unit_code": batch["unit_code"],
        "activity": batch["activity"],
        "recipient": batch["recipients"][0],
    }


def _baseline_rate(docx: list[Path], uno_python: Path | None) -> float:
    """Documents per second converting every file with two warm processes and two threads."""
    pool = LibreOfficePool(size=2, timeout=120, uno_python=uno_python)
    pool.start()
    try:
        pool.wait_ready(120)
        for path in docx[:4]:  # warm both processes
            pool.convert(path.read_bytes())
        rate = warm_parallel(pool, docx, workers=2)
    finally:
        pool.close()
    print(f"  2 processes: {rate:.2f} doc/s")
    return rate


class _BatchResult:
    def __init__(self, count: int, seconds: float, peak_rss_mb: float) -> None:
        self.count = count
        self.seconds = seconds
        self.rate = count / seconds
        self.peak_rss_mb = peak_rss_mb


class _Service:
    """``satupintu serve`` in a subprocess on a free port (or ``port``), ready to make PDFs."""

    def __init__(self, env: dict[str, str], port: int | None = None) -> None:
        self.port = port or _free_port()
        self.process = subprocess.Popen(  # noqa: S603 - our own console script
            [sys.executable, "-m", "api.cli", "serve", "--port", str(self.port)],
            env=env,
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.client = httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=600)
        deadline = time.monotonic() + 180
        while True:
            try:
                health = self.client.get("/healthz").json()
                if health["pdf"] == "ok":
                    break
                raise RuntimeError(f"the service cannot make PDFs: {health}")
            except httpx.TransportError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError("the service did not start") from None
                time.sleep(0.5)

    def warm_up(self, secret: str) -> None:
        for _ in range(WARM_UP_DOCUMENTS):
            self.time_one(secret)

    def time_one(self, secret: str) -> float:
        started = time.perf_counter()
        self._post_document({"Authorization": f"Bearer {secret}"})
        return time.perf_counter() - started

    def _post_document(self, headers: dict[str, str]) -> None:
        response = self.client.post("/api/v1/documents", json=_single_body(), headers=headers)
        if response.status_code != 201 or response.json()["files"][-1]["kind"] != "pdf":
            raise RuntimeError(f"issuing failed: {response.status_code} {response.text[:300]}")

    def time_batch(self, secret: str, count: int) -> _BatchResult:
        started = time.perf_counter()
        job_url = self.submit_batch(secret, count)
        accepted = time.perf_counter() - started
        self.wait_batch(secret, job_url, count)
        seconds = time.perf_counter() - started
        result = _BatchResult(count, seconds, _peak_rss_mb(self.process.pid))
        print(
            f"  API batch of {count}: {seconds:.1f} s, {result.rate:.2f} doc/s "
            f"(202 Accepted, numbers taken, after {accepted:.1f} s; "
            f"peak RSS {result.peak_rss_mb:.1f} MB)"
        )
        return result

    def submit_batch(self, secret: str, count: int) -> str:
        """Send a batch of ``count`` STTPs; returns its job's URL once numbers are taken."""
        headers = {"Authorization": f"Bearer {secret}"}
        payload: dict[str, Any] = batch_body(count)
        response = self.client.post("/api/v1/documents/batch", json=payload, headers=headers)
        if response.status_code != 202:
            raise RuntimeError(f"batch refused: {response.status_code} {response.text[:300]}")
        return f"/api/v1/jobs/{response.json()['id']}"

    def wait_batch(self, secret: str, job_url: str, count: int) -> None:
        headers = {"Authorization": f"Bearer {secret}"}
        while True:
            job = self.client.get(job_url, headers=headers).json()
            if job["status"] != "rendering":
                break
            time.sleep(0.5)  # a progress bar's pace
        if job["status"] != "done" or job["issued"] != count:
            raise RuntimeError(f"batch ended badly: {job['status']}, {job['issued']}/{count}")

    def peak_rss_mb(self) -> float:
        return _peak_rss_mb(self.process.pid)

    def stop(self) -> None:
        self.client.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


if __name__ == "__main__":
    raise SystemExit(main())
