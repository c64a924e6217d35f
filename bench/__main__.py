"""Every benchmark in sequence, each printing its table and its ratios to a baseline measured in
the same run.

    python -m bench [--quick] [--only NAME ...]

``--quick`` is a smoke run with small sizes (minutes, not the better part of an hour): it proves
the benches run, its figures mean little. Verification (``bench/verify.py``) is another part of
issue 10; when it is missing this says so and runs the rest.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import time
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Bench:
    name: str
    module: str
    full: tuple[str, ...]
    quick: tuple[str, ...]


BENCHES = (
    Bench("verification", "bench.verify", (), ("--quick",)),
    Bench("file-check", "bench.file_check", (), ("--seconds", "3", "--rounds", "1")),
    Bench("numbering", "bench.numbering", (), ("--numbers", "100", "--rounds", "1")),
    Bench("scale-out", "bench.scale_out", (), ("--processes", "1,2", "--documents", "8")),
    Bench(
        "issuance",
        "bench.run",
        (),
        ("--single", "3", "--batches", "20,40", "--baseline-docs", "8"),
    ),
)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    parser.add_argument(
        "--only", action="append", choices=[bench.name for bench in BENCHES], help="repeatable"
    )
    args = parser.parse_args(argv)
    failed = []
    for bench in BENCHES:
        if args.only and bench.name not in args.only:
            continue
        print(f"\n=== {bench.name} (python -m {bench.module}) ===", flush=True)
        if importlib.util.find_spec(bench.module) is None:
            print(f"{bench.module} is not in this checkout: {bench.name} skipped")
            continue
        started = time.monotonic()
        code = importlib.import_module(bench.module).main(
            list(bench.quick if args.quick else bench.full)
        )
        print(f"({bench.name}: {time.monotonic() - started:.0f} s)", flush=True)
        if code:
            failed.append(bench.name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
