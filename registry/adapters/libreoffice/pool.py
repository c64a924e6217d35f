"""DOCX to PDF/A-2b through a pool of warm LibreOffice processes (unoserver).

Starting LibreOffice costs seconds; a warm instance converts a one-page document in a tenth of
a second. The pool keeps ``size`` slots (:mod:`.slot`), each one ``unoserver.server`` process that
owns one ``soffice``, hands each conversion to an idle slot and replaces slots that hang or die.
"""

from __future__ import annotations

import atexit
import logging
import queue
import shutil
import tempfile
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from registry.adapters.libreoffice.slot import Slot, SlotFailed, SlotStatus
from registry.adapters.libreoffice.toolchain import NO_LIBREOFFICE, Toolchain, find_toolchain
from registry.domain.errors import RegistryError

log = logging.getLogger("satupintu")

# Options of LibreOffice's writer_pdf_Export filter: SelectPdfVersion=2 is PDF/A-2b.
PDF_FILTER_OPTIONS = ("SelectPdfVersion=2",)


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
        uno_python: Path | None = None,
        startup_timeout: float = 120.0,
    ) -> None:
        """``toolchain`` if given, else :func:`find_toolchain` (trying ``uno_python`` first)."""
        if size < 1:
            raise ValueError("pool size must be at least 1")
        found = toolchain or find_toolchain(uno_python)
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
        self._slots: list[Slot] = []
        self._idle: queue.Queue[Slot] = queue.Queue()  # FIFO: work spreads over every slot
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
                slot = Slot(
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

    def _release(self, slot: Slot) -> None:
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

    def _checkout(self) -> Slot:
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

    def _ready(self, slot: Slot, timeout: float | None = None) -> None:
        try:
            slot.wait_ready(self._startup_timeout if timeout is None else timeout)
        except SlotFailed as exc:
            raise ConversionError(f"LibreOffice gagal dijalankan: {exc}") from exc

    def _convert_on(self, slot: Slot, docx: bytes) -> bytes:
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


_warned = threading.Event()


def build_converter(size: int, timeout: float, *, uno_python: Path | None = None) -> Converter:
    """A started pool if LibreOffice can run here, else a converter that says why not."""
    found = find_toolchain(uno_python)
    if isinstance(found, str):
        if not _warned.is_set():
            _warned.set()
            log.warning("PDF conversion unavailable, documents are issued as DOCX: %s", found)
        return UnavailableConverter(found)
    pool = LibreOfficePool(size, timeout, toolchain=found)
    pool.start()
    return pool
