"""Reading wrk's summary (a captured ``wrk --latency`` run)."""

from __future__ import annotations

import pytest

from bench.wrk import parse_wrk

SAMPLE = """Running 1s test @ http://127.0.0.1:38111/upload
  1 threads and 2 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     6.76ms    7.99ms  48.49ms   88.31%
    Req/Sec   425.80    566.92     1.96k    90.00%
  Latency Distribution
     50%    4.81ms
     75%   10.28ms
     90%   16.14ms
     99%    1.02s
  431 requests in 1.03s, 89.23KB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 431
Requests/sec:    420.30
Transfer/sec:     87.02KB
"""


def test_rate_percentiles_in_milliseconds_and_failures() -> None:
    result = parse_wrk(SAMPLE)
    assert result.requests_per_second == 420.30
    assert result.requests == 431
    assert result.p50_ms == pytest.approx(4.81)
    assert result.p99_ms == pytest.approx(1020.0)
    assert result.failed == 431 + 3


def test_microseconds_and_a_clean_run() -> None:
    clean = SAMPLE.replace("4.81ms", "812.00us").replace(
        "  Socket errors: connect 0, read 2, write 0, timeout 1\n  Non-2xx or 3xx responses: 431\n",
        "",
    )
    result = parse_wrk(clean)
    assert result.p50_ms == pytest.approx(0.812)
    assert result.failed == 0


def test_output_without_a_summary_is_refused() -> None:
    with pytest.raises(ValueError, match="wrk --latency"):
        parse_wrk("unable to connect to 127.0.0.1:1 Connection refused")
