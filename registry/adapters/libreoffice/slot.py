"""One pool slot: a ``unoserver`` process and its LibreOffice, started, watched and replaced.

Conversions are called over XML-RPC directly rather than through ``unoserver.client.UnoClient``:
that client has no timeout, asks the server for its filter list before every conversion, and on
a refused connection retries five times ten seconds apart, all wrong for a pool that must notice
a hung or dead server at once and replace it.
"""

from __future__ import annotations

import http.client
import logging
import math
import os
import subprocess
import threading
import time
import xmlrpc.client
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from registry.adapters.libreoffice.processes import free_port, group_member, running, stop_group
from registry.adapters.libreoffice.toolchain import Toolchain

log = logging.getLogger("satupintu")

UNOSERVER_API = "3"


class SlotFailed(Exception):
    """The slot's server did not start or does not answer; the message says why."""


@dataclass(frozen=True)
class SlotStatus:
    index: int
    pid: int | None  # the unoserver process, leader of the slot's process group
    soffice_pid: int | None
    ready: bool
    conversions: int  # since the last (re)start
    total: int
    launches: int


Outcome = Literal["ok", "timeout", "refused", "died"]


class Slot:
    """One unoserver process and its LibreOffice; used by one converting thread at a time."""

    def __init__(
        self,
        index: int,
        toolchain: Toolchain,
        *,
        python_path: Path,
        directory: Path,
        timeout: float,
        startup_timeout: float,
    ) -> None:
        self.index = index
        self._toolchain = toolchain
        self._python_path = python_path
        self._dir = directory
        self.jobs = directory / "jobs"  # DOCX in, PDF out: both sides read the same disk
        self.jobs.mkdir(parents=True, exist_ok=True)
        self._timeout = timeout
        self._startup_timeout = startup_timeout
        self._lock = threading.Lock()
        self._ready = threading.Event()
        self._generation = 0
        self._starting = False
        self._stopped = False
        self._failure: str | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._soffice_pid: int | None = None
        self._port = 0
        self._thread: threading.Thread | None = None
        self.conversions = 0
        self.total = 0
        self.launches = 0

    def launch(self, reason: str, *, kill: bool = False) -> None:
        """Replace the process (if any) with a fresh one, in the background."""
        with self._lock:
            if self._stopped:
                return
            self._generation += 1
            generation = self._generation
            old, old_soffice = self._process, self._soffice_pid
            self._process = self._soffice_pid = None
            self._starting, self._failure = True, None
            self._ready.clear()
            self.conversions = 0
            self.launches += 1
            self._thread = threading.Thread(
                target=self._replace,
                args=(old, old_soffice, kill, generation),
                name=f"libreoffice-slot-{self.index}",
                daemon=True,
            )
            self._thread.start()
        verb = "starting" if generation == 1 else "restarting"
        log.info("LibreOffice slot %d: %s (%s)", self.index, verb, reason)

    def is_ready(self) -> bool:
        return self._ready.is_set()

    def wait_until_started(self, timeout: float) -> None:
        """Wait for the start to end, well or badly (a failure surfaces on next use)."""
        self._ready.wait(timeout)

    def wait_ready(self, timeout: float) -> None:
        if not self._ready.wait(timeout):
            raise SlotFailed(f"tidak menjawab setelah {timeout:g} detik")
        with self._lock:
            failure = self._failure
        if failure is not None:
            raise SlotFailed(failure)

    def alive(self) -> bool:
        with self._lock:
            if self._starting or self._stopped:
                return True  # a start under way is waited for, not restarted again
            process, soffice = self._process, self._soffice_pid
        return (
            process is not None and process.poll() is None and (soffice is None or running(soffice))
        )

    def convert(self, source: Path, target: Path, options: tuple[str, ...]) -> Outcome:
        with self._lock:
            port = self._port
        proxy = xmlrpc.client.ServerProxy(
            f"http://127.0.0.1:{port}", transport=_Transport(self._timeout), allow_none=True
        )
        try:
            # unoserver's convert(inpath, indata, outpath, convert_to, filtername, filter_options,
            # update_index, infiltername, password); paths because both ends share a disk.
            proxy.convert(
                str(source), None, str(target), "pdf", "writer_pdf_Export", list(options),
                True, None, None,
            )  # fmt: skip
        except TimeoutError:
            return "timeout"
        except xmlrpc.client.Fault as fault:
            if "TimeoutError" in fault.faultString:
                return "timeout"
            if "Disposed" in fault.faultString or not self.alive():
                return "died"
            log.warning("LibreOffice slot %d refused a document: %s", self.index, fault.faultString)
            return "refused"
        except (OSError, http.client.HTTPException, xmlrpc.client.Error):
            return "died"
        self.conversions += 1
        self.total += 1
        return "ok"

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            self._generation += 1
            process, soffice = self._process, self._soffice_pid
            self._process = None
            self._failure = "pengonversi sudah ditutup"
            self._ready.set()
            thread = self._thread
        if process is not None:
            stop_group(process, soffice, graceful=True)
        # A start under way notices it was superseded and stops what it spawned; wait for that,
        # so nothing is left running once close() returns.
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=15)

    def status(self) -> SlotStatus:
        with self._lock:
            return SlotStatus(
                index=self.index,
                pid=self._process.pid if self._process else None,
                soffice_pid=self._soffice_pid,
                ready=self._ready.is_set() and self._failure is None,
                conversions=self.conversions,
                total=self.total,
                launches=self.launches,
            )

    def _replace(
        self, old: subprocess.Popen[bytes] | None, old_soffice: int | None, kill: bool, gen: int
    ) -> None:
        if old is not None:
            stop_group(old, old_soffice, graceful=not kill)
        try:
            self._spawn(gen)
        except Exception as exc:  # e.g. an unusable work dir: waiters must hear of it
            with self._lock:
                if gen == self._generation:
                    self._failure, self._starting = f"{type(exc).__name__}: {exc}", False
                    self._ready.set()
            log.exception("LibreOffice slot %d could not be started", self.index)

    def _spawn(self, gen: int) -> None:
        profile, scratch = self._dir / "profile", self._dir / "tmp"
        scratch.mkdir(parents=True, exist_ok=True)
        port, uno_port = free_port(), free_port()
        command = [
            str(self._toolchain.python), "-m", "unoserver.server",
            "--interface", "127.0.0.1", "--port", str(port), "--uno-port", str(uno_port),
            "--executable", str(self._toolchain.soffice),
            # A profile per slot: two soffice processes cannot share one. It is kept across
            # restarts, because creating a profile is most of a cold start.
            "--user-installation", str(profile), "--temp-dir", str(scratch),
            # Our own timer (the XML-RPC socket timeout) fires first; this one stops a
            # conversion that outlives us.
            "--conversion-timeout", str(math.ceil(self._timeout) + 5),
        ]  # fmt: skip
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONHOME", "VIRTUAL_ENV")}
        env["PYTHONPATH"] = str(self._python_path)
        with (self._dir / "unoserver.log").open("wb") as output:
            process = subprocess.Popen(  # noqa: S603 - fixed executables, no shell
                command, stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
                env=env, cwd=self._dir, start_new_session=True,
            )  # fmt: skip
        with self._lock:
            current = gen == self._generation and not self._stopped
            if current:
                self._process, self._port = process, port
        if not current:
            stop_group(process, None, graceful=False)
            return
        failure = self._await(process, port, gen)
        soffice = group_member(process.pid, "soffice.bin") if failure is None else None
        with self._lock:
            if gen != self._generation:
                return  # superseded: whoever replaced us stops this process
            self._soffice_pid, self._failure, self._starting = soffice, failure, False
            self._ready.set()
        if failure is None:
            log.info("LibreOffice slot %d ready (pid %d, port %d)", self.index, process.pid, port)
        else:
            log.error("LibreOffice slot %d failed to start: %s", self.index, failure)
            stop_group(process, None, graceful=False)

    def _await(self, process: subprocess.Popen[bytes], port: int, gen: int) -> str | None:
        """Poll info() until the server answers; None when ready, else what went wrong."""
        deadline = time.monotonic() + self._startup_timeout
        proxy = xmlrpc.client.ServerProxy(f"http://127.0.0.1:{port}", transport=_Transport(5))
        while time.monotonic() < deadline:
            if gen != self._generation:
                return "digantikan"
            if process.poll() is not None:
                return f"unoserver berhenti (kode {process.returncode}): {self._log_tail()}"
            try:
                info = proxy.info()
            except (OSError, http.client.HTTPException, xmlrpc.client.Error):
                time.sleep(0.25)
                continue
            api = info.get("api") if isinstance(info, dict) else None
            if api != UNOSERVER_API:
                return f"unoserver API {api!r}, diharapkan {UNOSERVER_API}"
            return None
        return f"tidak menjawab setelah {self._startup_timeout:g} detik"

    def _log_tail(self) -> str:
        try:
            text = (self._dir / "unoserver.log").read_text(errors="replace")
        except OSError:
            return ""
        return " | ".join(text.strip().splitlines()[-3:])


class _Transport(xmlrpc.client.Transport):
    """XML-RPC over HTTP with a socket timeout, which ``ServerProxy`` alone cannot set."""

    def __init__(self, timeout: float) -> None:
        super().__init__()
        self._timeout = timeout

    def make_connection(self, host: tuple[str, dict[str, str]] | str) -> http.client.HTTPConnection:
        connection = super().make_connection(host)
        connection.timeout = self._timeout
        return connection
