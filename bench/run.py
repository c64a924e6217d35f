"""End-to-end benchmarks against raw LibreOffice conversion measured in the same run.

    python -m bench.run [--single 30] [--batch 500] [--database-url URL]

1. Baseline: the same DOCX files the service renders, converted through a warm pool of two
   LibreOffice processes. One at a time, alternating with the service's single documents (each raw
   conversion followed by one API call), so both medians see the same machine load; and with two
   threads (documents per second), before and after the service runs, averaged, so drifting load
   shows up as a difference between the two.
2. The service (``satupintu serve`` in a subprocess, embedded SQLite unless ``--database-url``):
   ``--single`` sequential ``POST /api/v1/documents`` (number, render, PDF, QR, sign, store), then
   a batch of 100 and a batch of ``--batch`` STTPs through ``POST /api/v1/documents/batch``, timed
   from the request to the job reporting ``done``. The service's peak RSS (VmHWM) is read after
   each batch: if files stream to disk, the larger batch leaves it where the smaller one did.

Prints absolute figures and the two ratios the issue sets targets for:
single median / warm raw median (target <= 1.25), batch throughput / warm parallel raw throughput
(target >= 0.75).
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
from registry.adapters.db import apikeys
from registry.adapters.libreoffice import LibreOfficePool, UnavailableConverter
from registry.bootstrap import build_registry, initialize
from registry.domain.actors import Actor
from registry.settings import Settings
from tests.support.drafts import batch_body, issue_batch_now

REPO = Path(__file__).resolve().parents[1]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run")
    parser.add_argument("--single", type=int, default=30, help="single documents to time")
    parser.add_argument("--batch", type=int, default=500, help="STTPs in the large batch")
    parser.add_argument("--database-url", help="PostgreSQL URL (default: embedded SQLite)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="satupintu-bench-") as scratch:
        root = Path(scratch)
        env = {
            **os.environ,
            "SATUPINTU_DATA_DIR": str(root / "data"),
            "SATUPINTU_KEYS_DIR": str(root / "keys"),
            "SATUPINTU_CONVERTERS": "2",
        }
        if args.database_url:
            env["SATUPINTU_DATABASE_URL"] = args.database_url
        settings = Settings.from_env(env)
        initialize(settings)
        secret = _issuer_key(settings)
        docx = _render_samples(settings, root / "samples", max(args.batch, args.single))

        print(f"baseline (before): the service's {len(docx)} STTP DOCX files")
        before = _baseline_rate(docx, settings.uno_python)
        service = _Service(env)
        try:
            raw_single, single = _paired_single(
                service, secret, docx[: args.single], settings.uno_python
            )
            small = service.time_batch(secret, 100)
            large = service.time_batch(secret, args.batch)
        finally:
            service.stop()
        print("baseline (after)")
        after = _baseline_rate(docx, settings.uno_python)

    raw_rate = statistics.mean([before, after])
    raw_median, single_median = statistics.median(raw_single), statistics.median(single)
    rows = [
        ("raw warm conversion, one at a time (median)", f"{raw_median * 1000:7.1f} ms",
         f"paired with the API calls, n={len(raw_single)}"),
        ("raw warm conversion, 2 processes", f"{raw_rate:7.2f} doc/s",
         f"before {before:.2f} / after {after:.2f}"),
        ("API single document (median)", f"{single_median * 1000:7.1f} ms",
         f"p90 {statistics.quantiles(single, n=10)[-1] * 1000:.1f} ms, n={len(single)}"),
        (f"API batch of {large.count}", f"{large.rate:7.2f} doc/s",
         f"{large.seconds:.1f} s; batch of 100: {small.rate:.2f} doc/s"),
        ("service peak RSS after batch of 100", f"{small.peak_rss_mb:7.1f} MB", ""),
        (f"service peak RSS after batch of {large.count}", f"{large.peak_rss_mb:7.1f} MB", ""),
    ]  # fmt: skip
    print()
    for name, value, note in rows:
        print(f"{name:<46} {value:>14}   {note}")
    single_ratio = single_median / raw_median
    batch_ratio = large.rate / raw_rate
    print()
    print(f"single document: {single_ratio:.2f} x warm raw conversion   (target <= 1.25)")
    print(f"batch of {large.count}:    {batch_ratio:.2f} x warm parallel raw      (target >= 0.75)")
    return 0


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
        paths = []
        for ref in view.documents:
            (docx,) = registry.get(ref.id, Actor(id="bench", role="issuer")).files
            paths.append(registry.production.store.path(docx.sha256))
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
    def __init__(self, env: dict[str, str]) -> None:
        self.port = _free_port()
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
        for _ in range(4):  # both LibreOffice processes and every code path
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
        headers = {"Authorization": f"Bearer {secret}"}
        payload: dict[str, Any] = batch_body(count)
        started = time.perf_counter()
        response = self.client.post("/api/v1/documents/batch", json=payload, headers=headers)
        if response.status_code != 202:
            raise RuntimeError(f"batch refused: {response.status_code} {response.text[:300]}")
        accepted = time.perf_counter() - started
        job_url = f"/api/v1/jobs/{response.json()['id']}"
        while True:
            job = self.client.get(job_url, headers=headers).json()
            if job["status"] != "rendering":
                break
            time.sleep(0.5)  # a progress bar's pace
        seconds = time.perf_counter() - started
        if job["status"] != "done" or job["issued"] != count:
            raise RuntimeError(f"batch ended badly: {job['status']}, {job['issued']}/{count}")
        result = _BatchResult(count, seconds, _peak_rss_mb(self.process.pid))
        print(
            f"  API batch of {count}: {seconds:.1f} s, {result.rate:.2f} doc/s "
            f"(202 Accepted, numbers taken, after {accepted:.1f} s)"
        )
        return result

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
