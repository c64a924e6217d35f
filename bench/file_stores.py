"""The database file store against the filesystem store, on the same machine in the same run.

    python -m bench.file_stores [--files 200] [--kib 300] [--rounds 3] [--database-url URL]

What a PostgreSQL deployment pays for keeping files in the database: ``--files`` distinct PDFs
of ``--kib`` KiB each are stored (``put``), read whole (``read``, as a stamp answer is), streamed
(``iter_chunks``, as a download is) and copied out for a tool (``local_path``, as a batch merge
is), by both stores, interleaved for ``--rounds`` rounds so both see the same load. Printed: the
median seconds of each operation over all files per store and the ratio database / filesystem.
A database store on SQLite is not what any deployment runs, so PostgreSQL is required.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import create_engine, make_url, text

from registry.adapters.db.engine import Database
from registry.adapters.db.migrate import upgrade_to_head
from registry.adapters.files import FileStore
from registry.adapters.files.database import DatabaseStore
from registry.adapters.files.filesystem import FilesystemStore

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def _timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def _round(store: FileStore, files: list[bytes]) -> dict[str, float]:
    hashes: list[str] = []
    times = {"put": _timed(lambda: hashes.extend(store.put(data).sha256 for data in files))}
    times["read"] = _timed(lambda: [store.read(sha) for sha in hashes])
    times["iter_chunks"] = _timed(lambda: [sum(map(len, store.iter_chunks(s))) for s in hashes])

    def copy_out() -> None:
        for sha in hashes:
            with store.local_path(sha) as path:
                path.stat()

    times["local_path"] = _timed(copy_out)
    for sha in hashes:
        store.remove(sha)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--kib", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    args = parser.parse_args()

    server = make_url(args.database_url)
    name = f"bench_files_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    database = Database.from_url(server.set(database=name).render_as_string(hide_password=False))
    try:
        upgrade_to_head(database.engine)
        with tempfile.TemporaryDirectory() as scratch:
            stores: dict[str, FileStore] = {
                "filesystem": FilesystemStore(Path(scratch) / "files"),
                "database": DatabaseStore(database, Path(scratch) / "scratch"),
            }
            results: dict[str, list[dict[str, float]]] = {kind: [] for kind in stores}
            for round_number in range(args.rounds):
                files = [os.urandom(args.kib * 1024) for _ in range(args.files)]
                order = list(stores) if round_number % 2 == 0 else list(reversed(stores))
                for kind in order:
                    results[kind].append(_round(stores[kind], files))
    finally:
        database.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    print(f"{args.files} files of {args.kib} KiB, {args.rounds} rounds; median seconds per round")
    print(f"{'operation':<12} {'filesystem':>11} {'database':>11} {'ratio':>7}")
    for operation in ("put", "read", "iter_chunks", "local_path"):
        fs = statistics.median(r[operation] for r in results["filesystem"])
        db = statistics.median(r[operation] for r in results["database"])
        print(f"{operation:<12} {fs:>11.3f} {db:>11.3f} {db / fs:>6.2f}x")


if __name__ == "__main__":
    main()
