"""Verification throughput against a bare Litestar endpoint measured in the same run.

    python -m bench.verify [--duration 10] [--processes 1 2 4] [--database-url URL] [--skip-sqlite]

1. Baseline: ``bench/bare_app.py`` (one JSON GET endpoint with a path parameter, returning a small
   dict) under uvicorn, one worker.
2. The service: ``satupintu serve`` (one worker) on embedded SQLite, then on a fresh PostgreSQL
   database created for the run and dropped after it. 200 documents are issued straight through the
   registry (DOCX only: conversion is not what is measured), and their tokens written into a wrk
   Lua script that asks for a random one on every request.
3. wrk, 2 threads x 50 connections, ``--duration`` seconds per run, against: the bare endpoint, the
   verify JSON (``/api/v1/verify/{token}``), the verify page (``/v/{token}``) and ``/healthz``.
   Each service run sits between two bare runs (bare, service, bare, service, bare): its ratio is
   against the mean of the bare runs beside it, so drift in the machine's load shows as a spread.
   Before the runs every token is asked once, then 2 s of load: the steady state is measured.
4. Scale-out on PostgreSQL: N service processes on one database, one wrk per process (the
   connections split between them), throughput summed, for each N of ``--processes``.

The rate limit is off (``SATUPINTU_VERIFY_RATE_LIMIT=0``): this measures verification, not the
limiter's refusals. Targets (issue 10): verify JSON and page >= 0.6x the bare req/s, p99 <= 2x the
bare p99, per process.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlalchemy import create_engine, make_url, text

from bench.run import REPO, _free_port, _Service
from registry.adapters.libreoffice import UnavailableConverter
from registry.bootstrap import build_registry, initialize
from registry.domain.actors import Actor
from registry.settings import Settings
from tests.support.drafts import issue_batch_now

DOCUMENTS = 200
TARGETS = {
    "verify JSON": "/api/v1/verify/",
    "verify page": "/v/",
    "/healthz": None,
}
MIN_RATIO = 0.6
MAX_P99_RATIO = 2.0
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


@dataclass(frozen=True)
class Load:
    rate: float  # requests per second
    p50_ms: float
    p99_ms: float
    errors: int


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.verify")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--processes", type=int, nargs="+", default=[1], help="e.g. 1 2 4")
    parser.add_argument(
        "--database-url", default=DEFAULT_POSTGRES, help="a PostgreSQL server to create a db on"
    )
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--skip-postgresql", action="store_true")
    parser.add_argument(
        "--quick", action="store_true", help="3 s per run, one process: proves the bench runs"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.duration, args.processes = 3, [1]
    if shutil.which("wrk") is None:
        print("wrk is needed (apt-get install wrk)", file=sys.stderr)
        return 2
    print(
        f"wrk 2 threads x 50 connections, {args.duration} s per run, {DOCUMENTS} documents, "
        "random tokens; rate limit OFF (SATUPINTU_VERIFY_RATE_LIMIT=0)"
    )
    rows: list[str] = []
    with tempfile.TemporaryDirectory(prefix="satupintu-bench-verify-") as scratch:
        root = Path(scratch)
        bare = _Bare()
        try:
            if not args.skip_sqlite:
                env = _environment(root / "sqlite", None)
                script = _script(root / "sqlite", env)
                rows += _compare("SQLite", bare, env, script, args.duration)
            if not args.skip_postgresql:
                with _fresh_database(args.database_url) as url:
                    env = _environment(root / "postgresql", url)
                    script = _script(root / "postgresql", env)
                    rows += _compare("PostgreSQL", bare, env, script, args.duration)
                    scale = _scale_out(bare, env, script, args.duration, args.processes)
        finally:
            bare.stop()
    print()
    print(f"{'backend':<11} {'endpoint':<12} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} "
          f"{'x bare':>7} {'p99 x':>6}  target met")  # fmt: skip
    for row in rows:
        print(row)
    if not args.skip_postgresql:
        print()
        print("scale-out, verify JSON on PostgreSQL, one wrk per process, summed:")
        for line in scale:
            print(line)
    return 0


def _environment(root: Path, database_url: str | None) -> dict[str, str]:
    env = {
        **os.environ,
        "SATUPINTU_DATA_DIR": str(root / "data"),
        "SATUPINTU_KEYS_DIR": str(root / "keys"),
        "SATUPINTU_CONVERTERS": "1",
        "SATUPINTU_VERIFY_RATE_LIMIT": "0",
        "SATUPINTU_EMBEDDED_WORKER": "0",
    }
    if database_url:
        env["SATUPINTU_DATABASE_URL"] = database_url
    return env


def _script(root: Path, env: dict[str, str]) -> Path:
    """Issue the documents and write the wrk script asking for a random one of their tokens."""
    settings = Settings.from_env(env)
    initialize(settings)
    registry = build_registry(settings, converter=UnavailableConverter())
    actor = Actor(id="bench", role="issuer")
    try:
        view = issue_batch_now(registry, actor, DOCUMENTS)
        tokens = [
            registry.get(ref.id, actor).verify_url.rsplit("/", 1)[1] for ref in view.documents
        ]
    finally:
        registry.db.dispose()
    listed = ",\n".join(f'  "{token}"' for token in tokens)
    script = root / "tokens.lua"
    script.write_text(
        f"tokens = {{\n{listed}\n}}\n"
        'prefix = os.getenv("BENCH_PREFIX")\n'
        "setup = function(thread) thread:set('seed', math.random(1, 1000000)) end\n"
        "init = function(args) math.randomseed(seed or os.time()) end\n"
        "request = function()\n"
        "  if prefix == nil or prefix == '' then return wrk.format('GET', wrk.path) end\n"
        "  return wrk.format('GET', prefix .. tokens[math.random(#tokens)])\n"
        "end\n"
    )
    return script


def _compare(
    backend: str, bare: _Bare, env: dict[str, str], script: Path, duration: int
) -> list[str]:
    service = _Service(env)
    rows = []
    try:
        _check_tokens(service.port, script)
        base_url = f"http://127.0.0.1:{service.port}"
        _warm_up(service.port, script)
        baseline = [_run_bare(bare, script, duration)]
        for name, prefix in TARGETS.items():
            measured = []
            for _ in range(2):
                measured.append(_wrk(base_url, "/healthz", prefix, script, duration))
                baseline.append(_run_bare(bare, script, duration))
            rows.append(_row(backend, name, measured, baseline[-3:]))
            print(f"  {backend} {name}: {[round(m.rate) for m in measured]} req/s", flush=True)
    finally:
        service.stop()
    return rows


def _scale_out(
    bare: _Bare, env: dict[str, str], script: Path, duration: int, counts: Sequence[int]
) -> list[str]:
    lines = []
    for count in counts:
        services = [_Service(env) for _ in range(count)]
        try:
            for service in services:
                _warm_up(service.port, script)
            before = _run_bare(bare, script, duration)
            connections = max(50 // count, 10)
            with ThreadPoolExecutor(count) as pool:
                runs = [
                    pool.submit(
                        _wrk,
                        f"http://127.0.0.1:{service.port}",
                        "/healthz",
                        TARGETS["verify JSON"],
                        script,
                        duration,
                        threads=1,
                        connections=connections,
                    )
                    for service in services
                ]
                loads = [run.result() for run in runs]
            after = _run_bare(bare, script, duration)
        finally:
            for service in services:
                service.stop()
        total = sum(load.rate for load in loads)
        base = statistics.mean([before.rate, after.rate])
        errors = sum(load.errors for load in loads)
        lines.append(
            f"  {count} process(es): {total:8.0f} req/s in all "
            f"({', '.join(f'{load.rate:.0f}' for load in loads)}), "
            f"{total / base:.2f}x one bare process, worst p99 "
            f"{max(load.p99_ms for load in loads):.1f} ms, {connections} connections each"
            + (f", {errors} errors" if errors else "")
        )
        print(lines[-1], flush=True)
    return lines


def _row(backend: str, name: str, measured: list[Load], baseline: list[Load]) -> str:
    rate = statistics.mean(m.rate for m in measured)
    p50 = statistics.mean(m.p50_ms for m in measured)
    p99 = max(m.p99_ms for m in measured)
    base_rate = statistics.mean(b.rate for b in baseline)
    base_p99 = max(b.p99_ms for b in baseline)
    ratio, p99_ratio = rate / base_rate, p99 / base_p99
    if TARGETS[name] is None:
        met = "(no target: must stay cheap)"
    else:
        met = "yes" if ratio >= MIN_RATIO and p99_ratio <= MAX_P99_RATIO else "NO"
    errors = sum(m.errors for m in measured)
    spread = f"bare {min(b.rate for b in baseline):.0f}-{max(b.rate for b in baseline):.0f}"
    return (
        f"{backend:<11} {name:<12} {rate:9.0f} {p50:8.2f} {p99:8.2f} {ratio:7.2f} "
        f"{p99_ratio:6.2f}  {met}   ({spread} req/s, p99 {base_p99:.1f} ms"
        + (f"; {errors} non-2xx/errors" if errors else "")
        + ")"
    )


class _Bare:
    def __init__(self) -> None:
        self.port = _free_port()
        self.process = subprocess.Popen(  # noqa: S603 - uvicorn from this environment
            [
                sys.executable,
                "-m",
                "uvicorn",
                "bench.bare_app:app",
                "--port",
                str(self.port),
                "--workers",
                "1",
            ],
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{self.port}/bare/x", timeout=2).raise_for_status()
                return
            except httpx.TransportError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError("the bare app did not start") from None
                time.sleep(0.2)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def _run_bare(bare: _Bare, script: Path, duration: int) -> Load:
    return _wrk(f"http://127.0.0.1:{bare.port}", "/bare/x", "/bare/", script, duration)


def _warm_up(port: int, script: Path) -> None:
    """Every token asked once, then 2 s of load: the runs measure the steady state (answers kept
    and refreshed in the background), not a new process's first reads of 200 documents."""
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
        for token in re.findall(r'"([^"]{20,})"', script.read_text()):
            client.get(f"/api/v1/verify/{token}").raise_for_status()
    _wrk(f"http://127.0.0.1:{port}", "/healthz", TARGETS["verify JSON"], script, 2)


def _check_tokens(port: int, script: Path) -> None:
    """The tokens really verify: a benchmark of ``unknown`` answers would measure nothing."""
    token = re.findall(r'"([^"]{20,})"', script.read_text())[0]
    answer = httpx.get(f"http://127.0.0.1:{port}/api/v1/verify/{token}", timeout=30).json()
    if answer["status"] != "valid":
        raise RuntimeError(f"an issued token does not verify: {answer}")


_LATENCY = re.compile(r"^\s+(50|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _wrk(
    base_url: str,
    path: str,
    prefix: str | None,
    script: Path,
    duration: int,
    *,
    threads: int = 2,
    connections: int = 50,
) -> Load:
    command = [
        "wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency",
        "-s", str(script), base_url + path,
    ]  # fmt: skip
    env = {**os.environ, "BENCH_PREFIX": prefix or ""}
    out = subprocess.run(  # noqa: S603 - wrk with our arguments
        command, env=env, capture_output=True, text=True, check=True
    ).stdout
    rate_match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    latencies = {m[0]: float(m[1]) * _UNIT_MS[m[2]] for m in _LATENCY.findall(out)}
    if rate_match is None or set(latencies) != {"50", "99"}:
        raise RuntimeError(f"cannot read wrk's output:\n{out}")
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    failed = int(errors[1]) if errors else 0
    if socket_errors:
        failed += sum(int(group) for group in socket_errors.groups())
    return Load(float(rate_match[1]), latencies["50"], latencies["99"], failed)


class _fresh_database:
    """A PostgreSQL database made for this run, dropped after it (the server is shared)."""

    def __init__(self, server_url: str) -> None:
        self._server = make_url(
            Settings.from_env({"SATUPINTU_DATABASE_URL": server_url}).database_url
        )
        self._name = f"satupintu_bench_{uuid.uuid4().hex[:8]}"
        self._admin = create_engine(self._server, isolation_level="AUTOCOMMIT")

    def __enter__(self) -> str:
        with self._admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{self._name}"'))
        return self._server.set(database=self._name).render_as_string(hide_password=False)

    def __exit__(self, *_: object) -> None:
        with self._admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{self._name}" WITH (FORCE)'))
        self._admin.dispose()


if __name__ == "__main__":
    raise SystemExit(main())
