"""DOCX to PDF/A-2b through a pool of warm LibreOffice processes (unoserver).

Starting LibreOffice costs seconds; a warm instance converts a one-page document in a tenth of
a second. Each pool slot is one ``unoserver.server`` process (which owns one ``soffice``), run by a
Python that can ``import uno`` (Debian's ``/usr/bin/python3`` with python3-uno), not the venv's.
The slot is a process-group leader, so killing the group takes LibreOffice's children with it.

Conversions are called over XML-RPC directly rather than through ``unoserver.client.UnoClient``:
that client has no timeout, asks the server for its filter list before every conversion, and on
a refused connection retries five times ten seconds apart, all wrong for a pool that must notice
a hung or dead server at once and replace it.
"""

from __future__ import annotations

import atexit
import contextlib
import http.client
import logging
import math
import os
import queue
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import uuid
import xmlrpc.client
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

from registry.domain.errors import RegistryError

log = logging.getLogger("satupintu")

UNO_PYTHON_ENV = "SATUPINTU_UNO_PYTHON"
_UNO_PYTHONS = ("/usr/bin/python3", "/usr/lib/libreoffice/program/python")
_SOFFICE_FALLBACK = "/usr/lib/libreoffice/program/soffice"
# Options of LibreOffice's writer_pdf_Export filter: SelectPdfVersion=2 is PDF/A-2b.
PDF_FILTER_OPTIONS = ("SelectPdfVersion=2",)
NO_LIBREOFFICE = "LibreOffice tidak terpasang: hanya DOCX yang diterbitkan"
UNOSERVER_API = "3"


class ConversionError(RegistryError):
    """A DOCX could not be turned into a PDF (LibreOffice missing, hung, crashed or refused)."""

    title = "Konversi PDF gagal"


class Converter(Protocol):
    @property
    def available(self) -> bool: ...

    @property
    def unavailable_reason(self) -> str | None: ...

    def convert(self, docx: bytes) -> bytes:
        """PDF/A-2b bytes of ``docx``; raises :class:`ConversionError`."""
        ...

    def close(self) -> None: ...


class UnavailableConverter:
    """Stands in when LibreOffice is missing: documents are then published as DOCX only."""

    def __init__(self, reason: str = NO_LIBREOFFICE) -> None:
        self._reason = reason

    @property
    def available(self) -> bool:
        return False

    @property
    def unavailable_reason(self) -> str | None:
        return self._reason

    def convert(self, docx: bytes) -> bytes:
        raise ConversionError(self._reason)

    def close(self) -> None:
        return None


@dataclass(frozen=True)
class Toolchain:
    """What a slot runs: a uno-capable Python, soffice, and the venv's unoserver package."""

    python: Path
    soffice: Path
    unoserver: Path  # the package directory
    unoserver_dist: Path | None  # its .dist-info: unoserver reads its own version at start

    @classmethod
    def create(cls, *, python: Path, soffice: Path) -> Toolchain:
        import unoserver

        package = Path(unoserver.__file__).resolve().parent
        dist = next(iter(sorted(package.parent.glob("unoserver-*.dist-info"))), None)
        return cls(python=python, soffice=soffice, unoserver=package, unoserver_dist=dist)

    @staticmethod
    def imports_uno(python: str) -> bool:
        try:
            done = subprocess.run(  # noqa: S603 - a fixed interpreter path, no shell
                [python, "-c", "import uno"], capture_output=True, timeout=30, check=False
            )
        except (OSError, subprocess.SubprocessError):
            return False
        return done.returncode == 0

    def python_path(self, directory: Path) -> Path:
        """A directory holding only unoserver: the system Python must not see the venv."""
        directory.mkdir(parents=True, exist_ok=True)
        for target in (self.unoserver, self.unoserver_dist):
            if target is not None:
                link = directory / target.name
                link.unlink(missing_ok=True)
                link.symlink_to(target, target_is_directory=True)
        return directory


class _SlotFailed(Exception):
    pass


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


class _Slot:
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
            raise _SlotFailed(f"tidak menjawab setelah {timeout:g} detik")
        with self._lock:
            failure = self._failure
        if failure is not None:
            raise _SlotFailed(failure)

    def alive(self) -> bool:
        with self._lock:
            if self._starting or self._stopped:
                return True  # a start under way is waited for, not restarted again
            process, soffice = self._process, self._soffice_pid
        return (
            process is not None
            and process.poll() is None
            and (soffice is None or _running(soffice))
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
            _stop_group(process, soffice, graceful=True)
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
            _stop_group(old, old_soffice, graceful=not kill)
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
        port, uno_port = _free_port(), _free_port()
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
            _stop_group(process, None, graceful=False)
            return
        failure = self._await(process, port, gen)
        soffice = _group_member(process.pid, "soffice.bin") if failure is None else None
        with self._lock:
            if gen != self._generation:
                return  # superseded: whoever replaced us stops this process
            self._soffice_pid, self._failure, self._starting = soffice, failure, False
            self._ready.set()
        if failure is None:
            log.info("LibreOffice slot %d ready (pid %d, port %d)", self.index, process.pid, port)
        else:
            log.error("LibreOffice slot %d failed to start: %s", self.index, failure)
            _stop_group(process, None, graceful=False)

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


def _free_port() -> int:
    # The kernel picks an unused port; the tiny race until unoserver binds it is caught at
    # start-up (the server exits) and the slot is relaunched on the next use.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _proc_stat(pid: int) -> tuple[str, str, int] | None:
    """(command name, state, process group) from /proc, or None if the process is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    name = raw[raw.index("(") + 1 : raw.rindex(")")]
    fields = raw[raw.rindex(")") + 2 :].split()
    return name, fields[0], int(fields[2])


def _running(pid: int) -> bool:
    stat = _proc_stat(pid)
    return stat is not None and stat[1] not in ("Z", "X")  # a zombie no longer runs


def _group_members(pgid: int) -> list[int]:
    """Running processes of a process group (Linux /proc; empty elsewhere)."""
    members = []
    with contextlib.suppress(OSError):
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                stat = _proc_stat(int(entry.name))
                if stat is not None and stat[2] == pgid and stat[1] not in ("Z", "X"):
                    members.append(int(entry.name))
    return members


def _group_member(pgid: int, name: str) -> int | None:
    for pid in _group_members(pgid):
        stat = _proc_stat(pid)
        if stat is not None and stat[0] == name:
            return pid
    return None


def _stop_group(process: subprocess.Popen[bytes], soffice: int | None, *, graceful: bool) -> None:
    """Stop unoserver and every process it started (oosplash, soffice.bin)."""
    if graceful:
        # SIGTERM lets soffice close its profile cleanly; oosplash ignores it, hence the SIGKILL.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 3
        while soffice is not None and _running(soffice) and time.monotonic() < deadline:
            time.sleep(0.05)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(5)


@dataclass(frozen=True)
class PoolStatus:
    size: int
    peak_in_flight: int  # the most conversions that ever ran at once
    slots: tuple[SlotStatus, ...]


class LibreOfficePool:
    """``size`` warm unoserver processes; ``convert`` is safe to call from many threads.

    Each call checks out one idle slot, so at most ``size`` conversions run at once and the
    other callers wait their turn. A slot that hangs past ``timeout`` is killed and restarted, one
    found dead is restarted before use, and one that has converted ``restart_after`` documents
    is recycled (unoserver slows down after some hundreds of conversions).
    """

    def __init__(
        self,
        size: int,
        timeout: float,
        *,
        restart_after: int = 300,
        work_dir: Path | None = None,
        toolchain: Toolchain | None = None,
        startup_timeout: float = 120.0,
    ) -> None:
        if size < 1:
            raise ValueError("pool size must be at least 1")
        found = toolchain or find_toolchain()
        if isinstance(found, str):
            raise ConversionError(found)
        self._toolchain = found
        self._size, self._timeout, self._restart_after = size, timeout, restart_after
        # Slots would all wear out together and restart at once (~5 s each, no capacity left);
        # the first recycling is staggered, later ones follow each slot's own count.
        self._recycle_at = [restart_after + index * restart_after // size for index in range(size)]
        self._startup_timeout = startup_timeout
        self._given_work_dir = work_dir
        self._work_dir: Path | None = None  # made at start()
        self._slots: list[_Slot] = []
        self._idle: queue.Queue[_Slot] = queue.Queue()  # FIFO: work spreads over every slot
        self._lock = threading.Lock()
        self._started = self._closed = False
        self._in_flight = self._peak_in_flight = 0

    @property
    def available(self) -> bool:
        return True

    @property
    def unavailable_reason(self) -> str | None:
        return None

    def start(self) -> None:
        """Launch every slot in the background; ``convert`` waits for the slot it gets."""
        with self._lock:
            if self._closed:
                raise ConversionError("Pengonversi PDF sudah ditutup")
            if self._started:
                return
            work_dir = self._given_work_dir or Path(tempfile.mkdtemp(prefix="satupintu-lo-"))
            self._work_dir = work_dir
            python_path = self._toolchain.python_path(work_dir / "pythonpath")
            for index in range(self._size):
                slot = _Slot(
                    index,
                    self._toolchain,
                    python_path=python_path,
                    directory=work_dir / f"slot-{index}",
                    timeout=self._timeout,
                    startup_timeout=self._startup_timeout,
                )
                slot.launch("pool start")
                self._slots.append(slot)
                self._idle.put(slot)
            self._started = True
            atexit.register(self.close)

    def wait_ready(self, timeout: float | None = None) -> None:
        """Block until every slot answers (start-up checks, benchmarks)."""
        self.start()
        for slot in self._slots:
            self._ready(slot, timeout)

    def convert(self, docx: bytes) -> bytes:
        self.start()
        slot = self._checkout()
        try:
            return self._convert_on(slot, docx)
        finally:
            with self._lock:
                self._in_flight -= 1
            self._release(slot)

    def _release(self, slot: _Slot) -> None:
        """Back to the idle queue; a slot that is restarting only once it answers again, so no
        caller waits on it while another slot is free."""
        if slot.is_ready():
            self._idle.put(slot)
            return

        def when_ready() -> None:
            slot.wait_until_started(self._startup_timeout)
            self._idle.put(slot)

        threading.Thread(
            target=when_ready, name=f"libreoffice-return-{slot.index}", daemon=True
        ).start()

    def status(self) -> PoolStatus:
        with self._lock:
            peak, slots = self._peak_in_flight, list(self._slots)
        return PoolStatus(self._size, peak, tuple(slot.status() for slot in slots))

    def close(self) -> None:
        """Stop every slot and its LibreOffice; safe to call twice."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            slots = list(self._slots)
        atexit.unregister(self.close)
        for slot in slots:
            slot.stop()
        if self._given_work_dir is None and self._work_dir is not None:
            shutil.rmtree(self._work_dir, ignore_errors=True)
        # A given work dir keeps its LibreOffice profiles, so the next start is faster.
        for slot in slots:
            shutil.rmtree(slot.jobs, ignore_errors=True)

    def __enter__(self) -> LibreOfficePool:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _checkout(self) -> _Slot:
        while not self._closed:
            try:
                slot = self._idle.get(timeout=0.5)
            except queue.Empty:
                continue
            with self._lock:
                self._in_flight += 1
                self._peak_in_flight = max(self._peak_in_flight, self._in_flight)
            return slot
        raise ConversionError("Pengonversi PDF sudah ditutup")

    def _ready(self, slot: _Slot, timeout: float | None = None) -> None:
        try:
            slot.wait_ready(self._startup_timeout if timeout is None else timeout)
        except _SlotFailed as exc:
            raise ConversionError(f"LibreOffice gagal dijalankan: {exc}") from exc

    def _convert_on(self, slot: _Slot, docx: bytes) -> bytes:
        job = uuid.uuid4().hex
        source, target = slot.jobs / f"{job}.docx", slot.jobs / f"{job}.pdf"
        try:
            source.write_bytes(docx)
            # One retry: a LibreOffice that died under an earlier document or was killed from
            # outside must not fail the next caller; a document that kills it twice fails.
            for attempt in (1, 2):
                if not slot.alive():
                    slot.launch("found dead")
                self._ready(slot)
                outcome = slot.convert(source, target, PDF_FILTER_OPTIONS)
                if outcome == "ok":
                    break
                if outcome == "timeout":
                    slot.launch(f"conversion exceeded {self._timeout:g} s", kill=True)
                    raise ConversionError(
                        f"Konversi PDF melebihi batas waktu {self._timeout:g} detik"
                    )
                if outcome == "refused":
                    raise ConversionError("LibreOffice tidak dapat membuka atau mengonversi DOCX")
                slot.launch(f"died during a conversion (attempt {attempt})", kill=True)
            else:
                raise ConversionError("LibreOffice berhenti saat konversi, dua kali berturut-turut")
            if slot.conversions >= self._recycle_at[slot.index]:
                self._recycle_at[slot.index] = self._restart_after
                slot.launch(f"recycled after {slot.conversions} conversions")
            pdf = target.read_bytes()
        except OSError as exc:
            raise ConversionError("Berkas konversi PDF tidak dapat ditulis atau dibaca") from exc
        finally:
            source.unlink(missing_ok=True)
            target.unlink(missing_ok=True)
        if not pdf.startswith(b"%PDF-"):
            raise ConversionError("LibreOffice menghasilkan berkas yang bukan PDF")
        return pdf


def find_toolchain() -> Toolchain | str:
    """The uno-capable Python and soffice, or (in Indonesian) why PDF conversion is off."""
    soffice = shutil.which("soffice") or (
        _SOFFICE_FALLBACK if os.access(_SOFFICE_FALLBACK, os.X_OK) else None
    )
    if soffice is None:
        return NO_LIBREOFFICE
    override = os.environ.get(UNO_PYTHON_ENV)
    for python in ([override] if override else []) + list(_UNO_PYTHONS):
        if os.access(python, os.X_OK) and Toolchain.imports_uno(python):
            return Toolchain.create(python=Path(python), soffice=Path(soffice))
    return (
        "LibreOffice terpasang tetapi modul Python 'uno' tidak ada (pasang python3-uno): "
        "hanya DOCX yang diterbitkan"
    )


_warned = threading.Event()


def build_converter(size: int, timeout: float) -> Converter:
    """A started pool if LibreOffice can run here, else a converter that says why not."""
    found = find_toolchain()
    if isinstance(found, str):
        if not _warned.is_set():
            _warned.set()
            log.warning("PDF conversion unavailable, documents are issued as DOCX: %s", found)
        return UnavailableConverter(found)
    pool = LibreOfficePool(size, timeout, toolchain=found)
    pool.start()
    return pool
