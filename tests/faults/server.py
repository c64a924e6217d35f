"""A real ``satupintu serve`` in a subprocess, for fault tests to kill, starve and restart."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import httpx

from registry.settings import Settings

REPO = Path(__file__).resolve().parents[2]
SATUPINTU = str(Path(sys.executable).with_name("satupintu"))
#: Seconds anything a fault test waits for may take before the test fails (never hangs).
HANG_GUARD = 90.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_for(
    condition: Callable[[], Any], what: str, *, timeout: float = HANG_GUARD, every: float = 0.1
) -> Any:
    """The first truthy value of ``condition()``; fails the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out after {timeout:g} s waiting for {what}"
        time.sleep(every)


class Server:
    """One service process on a free port; ``start`` again after ``kill`` is the restart."""

    def __init__(
        self,
        settings: Settings,
        log_dir: Path,
        *,
        pdf: bool = False,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.pdf = pdf
        inherited = {k: v for k, v in os.environ.items() if not k.startswith("SATUPINTU_")}
        self.env = inherited | {
            "PYTHONPATH": str(REPO),
            "SATUPINTU_DATA_DIR": str(settings.data_dir),
            "SATUPINTU_KEYS_DIR": str(settings.keys_dir),
            "SATUPINTU_DATABASE_URL": settings.database_url,
            "SATUPINTU_PUBLIC_URL": self.base,
            "SATUPINTU_CONVERTERS": "1",
            # The load here comes from one address far faster than any person scans; the limit
            # has its own tests (tests/api/test_rate_limit.py).
            "SATUPINTU_VERIFY_RATE_LIMIT": "0",
            **(env or {}),
        }
        self.log_dir = log_dir
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None
        self.starts = 0

    @property
    def log_text(self) -> str:
        return "\n".join(
            path.read_text(errors="replace") for path in sorted(self.log_dir.glob("serve-*.log"))
        )

    def start(self) -> None:
        assert self.process is None or self.process.poll() is not None, "already running"
        self.starts += 1
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self._log = (self.log_dir / f"serve-{self.starts}.log").open("wb")
        command = (
            [SATUPINTU, "serve"]
            if self.pdf
            else [sys.executable, "-m", "tests.support.serve_docx_only", "serve"]
        )
        self.process = subprocess.Popen(
            [*command, "--port", str(self.port)],
            env=self.env,
            cwd=REPO,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            # Its own process group: the LibreOffice it starts is killed with it at the end.
            start_new_session=True,
        )
        wait_for(self._answers, "the service to answer /healthz", timeout=HANG_GUARD)

    def _answers(self) -> bool:
        assert self.process is not None
        assert self.process.poll() is None, f"the service exited:\n{self.log_text}"
        try:
            return httpx.get(f"{self.base}/healthz", timeout=5).status_code == 200
        except httpx.TransportError:
            return False

    def kill(self) -> None:
        """SIGKILL the service process alone, as the OOM killer or a power cut would."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)
        assert self.process.returncode == -signal.SIGKILL
        self._close_log()

    def stop(self) -> None:
        """Whatever is left of its process group goes, gently first."""
        if self.process is None:
            return
        for sig, grace in ((signal.SIGTERM, 30), (signal.SIGKILL, 30)):
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                break
            try:
                self.process.wait(timeout=grace)
                break
            except subprocess.TimeoutExpired:
                continue
        self._close_log()

    def _close_log(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None

    def client(self, secret: str | None = None, *, timeout: float = 30) -> httpx.Client:
        headers = {"Authorization": f"Bearer {secret}"} if secret else {}
        return httpx.Client(base_url=self.base, headers=headers, timeout=timeout)


@contextmanager
def serving(
    settings: Settings, log_dir: Path, *, pdf: bool = False, env: Mapping[str, str] | None = None
) -> Iterator[Server]:
    server = Server(settings, log_dir, pdf=pdf, env=env)
    try:
        server.start()
        yield server
    finally:
        server.stop()
