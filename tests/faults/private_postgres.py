"""A PostgreSQL cluster of the test's own, to stop and start (never the shared server on 5432)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.faults.server import free_port


def _server_binaries() -> Path:
    """The newest Debian PostgreSQL server binaries (package postgresql, .ci/system-packages)."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda initdb: (
            int(initdb.parent.parent.name) if initdb.parent.parent.name.isdigit() else 0
        ),
    )
    return found[-1].parent if found else Path("/usr/lib/postgresql/15/bin")


BIN = _server_binaries()
#: The cluster runs as this user (initdb refuses root).
OWNER = "postgres"


class PrivateCluster:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.data = root / "data"
        self.port = free_port()
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/satupintu"

    def _run(self, *command: str, timeout: float = 60) -> None:
        done = subprocess.run(
            ["runuser", "-u", OWNER, "--", *command],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        assert done.returncode == 0, f"{' '.join(command)} failed: {done.stdout}{done.stderr}"

    def create(self) -> None:
        self._run(
            str(BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync"
        )
        self.start()
        self._run(
            str(BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
            "satupintu",
        )  # fmt: skip

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c max_connections=100"
        )
        self._run(
            str(BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "server.log"),
            "-o", options, "-w", "-t", "60", "start",
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        self._run(str(BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")

    def is_running(self) -> bool:
        done = subprocess.run(
            ["runuser", "-u", OWNER, "--", str(BIN / "pg_ctl"), "-D", str(self.data), "status"],
            capture_output=True,
            timeout=30,
            check=False,
        )
        return done.returncode == 0


@contextmanager
def private_cluster() -> Iterator[PrivateCluster]:
    # CI runs as root; a run that cannot start a cluster as another user must say so, not skip.
    assert os.geteuid() == 0, "the outage test runs PostgreSQL as user postgres: run it as root"
    assert (BIN / "initdb").exists(), f"PostgreSQL server binaries are needed (not in {BIN})"
    root = Path(tempfile.mkdtemp(prefix="satupintu-pg-"))
    shutil.chown(root, OWNER, OWNER)
    root.chmod(0o700)
    cluster = PrivateCluster(root)
    try:
        cluster.create()
        yield cluster
    finally:
        if cluster.data.exists() and cluster.is_running():
            cluster.stop("immediate")
        shutil.rmtree(root, ignore_errors=True)
