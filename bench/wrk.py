"""Running wrk and reading its summary (requests per second, latency percentiles)."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60_000.0}
_RATE = re.compile(r"^Requests/sec:\s+([\d.]+)", re.MULTILINE)
_PERCENTILE = re.compile(r"^\s+(50|75|90|99)(?:\.000)?%\s+([\d.]+)(us|ms|s|m)\s*$", re.MULTILINE)
_NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
_REQUESTS = re.compile(r"^\s+(\d+) requests in", re.MULTILINE)
_ERRORS = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")


@dataclass(frozen=True)
class WrkResult:
    requests_per_second: float
    requests: int
    p50_ms: float
    p99_ms: float
    failed: int  # non-2xx answers and socket errors


def parse_wrk(output: str) -> WrkResult:
    """Read ``wrk --latency`` output; raises ``ValueError`` when it holds no summary."""
    rate = _RATE.search(output)
    requests = _REQUESTS.search(output)
    percentiles = {p: float(v) * _UNITS[u] for p, v, u in _PERCENTILE.findall(output)}
    if rate is None or requests is None or not {"50", "99"} <= percentiles.keys():
        raise ValueError(f"not a wrk --latency summary: {output[:200]!r}")
    non_2xx = _NON_2XX.search(output)
    errors = _ERRORS.search(output)
    failed = (int(non_2xx.group(1)) if non_2xx else 0) + (
        sum(int(n) for n in errors.groups()) if errors else 0
    )
    return WrkResult(
        requests_per_second=float(rate.group(1)),
        requests=int(requests.group(1)),
        p50_ms=percentiles["50"],
        p99_ms=percentiles["99"],
        failed=failed,
    )


def run_wrk(
    url: str, *, seconds: int, connections: int, threads: int = 2, script: Path | None = None
) -> WrkResult:
    wrk = shutil.which("wrk")
    if wrk is None:
        raise RuntimeError("wrk is not installed (apt-get install wrk)")
    command = [wrk, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if script is not None:
        command += ["-s", str(script)]
    finished = subprocess.run(  # noqa: S603 - a fixed program with our own arguments
        [*command, url], capture_output=True, text=True, check=True, timeout=seconds + 60
    )
    return parse_wrk(finished.stdout)
