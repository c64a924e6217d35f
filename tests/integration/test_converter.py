"""The warm LibreOffice pool against a real LibreOffice.

These tests fail, never skip, when LibreOffice or python3-uno is missing: CI installs both, and a
silently skipped converter test would hide a deployment that can only issue DOCX.
"""

from __future__ import annotations

import dataclasses
import io
import logging
import os
import re
import signal
import threading
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from registry.adapters.libreoffice import (
    NO_LIBREOFFICE,
    ConversionError,
    LibreOfficePool,
    Toolchain,
    UnavailableConverter,
    build_converter,
    find_toolchain,
)
from registry.adapters.libreoffice import pool as pool_module
from registry.adapters.libreoffice import toolchain as toolchain_module
from registry.adapters.pdf import with_metadata
from registry.settings import Settings
from tests.support.pdf import extract_text, read_metadata

SENTENCE = "Pegawai tersebut telah menyelesaikan Pelatihan Teknis Pengadaan Barang dan Jasa."


def make_docx(sentence: str = SENTENCE, table_rows: int = 0) -> bytes:
    document = docx.Document()
    document.add_heading("Surat Keterangan", level=1)
    document.add_paragraph(sentence)
    if table_rows:
        # Long tables are what LibreOffice lays out slowest: a reliable way to exceed a timeout.
        table = document.add_table(rows=table_rows, cols=4)
        for row in table.rows:
            for cell in row.cells:
                cell.text = "Lorem ipsum dolor sit amet"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def running_in_groups(groups: set[int]) -> list[tuple[int, str]]:
    """Live processes (not zombies) whose process group is one of ``groups``, read from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            raw = (entry / "stat").read_text()
        except OSError:
            continue
        name = raw[raw.index("(") + 1 : raw.rindex(")")]
        state, _, pgid = raw[raw.rindex(")") + 2 :].split()[:3]
        if int(pgid) in groups and state not in ("Z", "X"):
            found.append((int(entry.name), name))
    return found


def is_running(pid: int) -> bool:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return raw[raw.rindex(")") + 2] not in ("Z", "X")


def pdfa_claim(pdf: bytes) -> tuple[str, str]:
    stream = PdfReader(io.BytesIO(pdf)).root_object["/Metadata"].get_object()
    xmp = stream.get_data().decode()  # type: ignore[union-attr]
    part = re.search(r"pdfaid:part(?:>|=\")(\d)", xmp)
    conformance = re.search(r"pdfaid:conformance(?:>|=\")([ABU])", xmp)
    assert part and conformance, xmp
    return part.group(1), conformance.group(1)


@pytest.fixture(scope="module")
def toolchain() -> Toolchain:
    found = find_toolchain()
    if isinstance(found, str):
        pytest.fail(f"LibreOffice is needed for these tests (CI installs it): {found}")
    return found


@pytest.fixture(scope="module")
def pool(toolchain: Toolchain) -> Iterator[LibreOfficePool]:
    with LibreOfficePool(2, 30, toolchain=toolchain) as started:
        started.wait_ready()
        yield started


def test_converts_docx_to_pdfa_2b(pool: LibreOfficePool) -> None:
    pdf = pool.convert(make_docx())
    assert pdf.startswith(b"%PDF-")
    assert SENTENCE in " ".join(extract_text(pdf).split())
    assert pdfa_claim(pdf) == ("2", "B")
    labelled = with_metadata(
        pdf, number="800/1/BPSDM/2026", verify_url="http://x/v/t", kid="k", title="T", issuer="I"
    )
    assert labelled.startswith(pdf)  # the converter's PDF/A bytes are kept as they are
    assert pdfa_claim(labelled) == ("2", "B")
    assert read_metadata(labelled)["SatuPintuNumber"] == "800/1/BPSDM/2026"


def test_two_conversions_run_at_once_on_a_pool_of_two(pool: LibreOfficePool) -> None:
    before = {slot.index: slot.total for slot in pool.status().slots}
    documents = [make_docx(f"Dokumen nomor {n}.", table_rows=300) for n in range(4)]
    results: dict[int, bytes] = {}
    start = threading.Barrier(4)

    def work(n: int) -> None:
        start.wait()
        results[n] = pool.convert(documents[n])

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [0, 1, 2, 3]
    for n, pdf in results.items():
        assert f"Dokumen nomor {n}." in extract_text(pdf)
    status = pool.status()
    assert status.peak_in_flight == 2  # two at once, and never more than the pool holds
    assert {slot.index: slot.total - before[slot.index] for slot in status.slots} == {0: 2, 1: 2}


def test_killed_soffice_is_replaced_and_the_next_conversion_succeeds(
    pool: LibreOfficePool,
) -> None:
    victim = pool.status().slots[0]
    assert victim.soffice_pid is not None
    os.kill(victim.soffice_pid, signal.SIGKILL)
    # The FIFO pool hands out slot 0 first or second; two conversions are sure to meet it.
    for _ in range(2):
        assert SENTENCE in " ".join(extract_text(pool.convert(make_docx())).split())
    replaced = pool.status().slots[0]
    assert replaced.launches == victim.launches + 1
    assert replaced.soffice_pid not in (None, victim.soffice_pid)
    assert not running_in_groups({victim.pid or -1})


def test_timeout_raises_kills_and_the_pool_recovers(toolchain: Toolchain) -> None:
    with LibreOfficePool(1, 3, toolchain=toolchain) as pool:
        pool.wait_ready()
        hung = pool.status().slots[0]
        assert hung.soffice_pid is not None
        # A stopped LibreOffice never answers, so the conversion outlives the timeout on any
        # machine (a merely long document might convert in time on a fast one).
        os.kill(hung.soffice_pid, signal.SIGSTOP)
        with pytest.raises(ConversionError, match="melebihi batas waktu 3 detik"):
            pool.convert(make_docx())
        assert SENTENCE in " ".join(extract_text(pool.convert(make_docx())).split())
        after = pool.status().slots[0]
        assert after.launches == hung.launches + 1
        assert after.soffice_pid not in (None, hung.soffice_pid)
        assert not is_running(hung.soffice_pid)
        assert not running_in_groups({hung.pid or -1})


def test_recycles_after_n_conversions_and_close_leaves_nothing_running(
    toolchain: Toolchain, tmp_path: Path
) -> None:
    pool = LibreOfficePool(1, 30, restart_after=2, work_dir=tmp_path, toolchain=toolchain)
    pool.start()
    groups: set[int] = set()
    soffices: set[int] = set()
    for _ in range(3):
        pool.convert(make_docx())
        slot = pool.status().slots[0]
        groups.add(slot.pid or -1)
        soffices.add(slot.soffice_pid or -1)
    pool.wait_ready()
    slot = pool.status().slots[0]
    groups.add(slot.pid or -1)
    soffices.add(slot.soffice_pid or -1)
    assert slot.total == 3
    assert slot.launches == 2  # recycled once, after the second conversion
    assert running_in_groups(groups)
    pool.close()
    assert running_in_groups(groups) == []
    assert not any(is_running(pid) for pid in soffices)
    assert list(tmp_path.glob("slot-*/jobs/*")) == []  # no DOCX or PDF left behind
    assert (tmp_path / "slot-0" / "profile").is_dir()  # kept: the next start reuses it
    with pytest.raises(ConversionError, match="ditutup"):
        pool.convert(make_docx())
    pool.close()  # twice is fine


def test_a_server_that_cannot_start_fails_the_conversion_plainly(toolchain: Toolchain) -> None:
    broken = dataclasses.replace(toolchain, python=Path("/bin/false"))
    with LibreOfficePool(1, 5, toolchain=broken) as pool:
        with pytest.raises(ConversionError, match="LibreOffice gagal dijalankan"):
            pool.convert(make_docx())
        launches = pool.status().slots[0].launches
        with pytest.raises(ConversionError, match="unoserver berhenti"):
            pool.convert(make_docx())
        assert pool.status().slots[0].launches == launches + 1  # tried again on the next use


def test_unavailable_converter_explains_in_indonesian() -> None:
    unavailable = UnavailableConverter()
    assert not unavailable.available
    assert unavailable.unavailable_reason == NO_LIBREOFFICE
    with pytest.raises(ConversionError, match="LibreOffice tidak terpasang") as caught:
        unavailable.convert(make_docx())
    assert caught.value.title == "Konversi PDF gagal"
    unavailable.close()


def test_build_converter_without_soffice_warns_once(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.setattr(toolchain_module, "_SOFFICE_FALLBACK", "/nonexistent/soffice")
    monkeypatch.setattr(pool_module, "_warned", threading.Event())
    with caplog.at_level(logging.WARNING, logger="satupintu"):
        first = build_converter(2, 60)
        second = build_converter(2, 60)
    assert isinstance(first, UnavailableConverter)
    assert isinstance(second, UnavailableConverter)
    assert first.unavailable_reason == NO_LIBREOFFICE
    assert [record.levelno for record in caplog.records] == [logging.WARNING]


def test_build_converter_without_uno_python_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(toolchain_module, "_UNO_PYTHONS", ("/bin/false",))
    monkeypatch.setattr(pool_module, "_warned", threading.Event())
    reason = find_toolchain(Path("/nonexistent/python"))
    assert isinstance(reason, str)
    assert "python3-uno" in reason
    converter = build_converter(1, 60, uno_python=Path("/nonexistent/python"))
    assert isinstance(converter, UnavailableConverter)
    assert converter.unavailable_reason == reason


def test_the_configured_uno_python_is_tried_first(
    toolchain: Toolchain, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings.from_env({"SATUPINTU_UNO_PYTHON": str(toolchain.python)})
    assert settings.uno_python == toolchain.python
    assert Settings.from_env({}).uno_python is None
    monkeypatch.setattr(toolchain_module, "_UNO_PYTHONS", ("/bin/false",))
    found = find_toolchain(settings.uno_python)
    assert isinstance(found, Toolchain)
    assert found.python == toolchain.python
