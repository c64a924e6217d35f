"""Permohonan in a browser: an SKPD files coaching with evidence and sees the JP verdicts (issue 9
flow 2), BPSDM approves it and the letter's QR verifies as SAH (flow 3), and another unit's
requester cannot open it (flow 6b)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import (
    WIDTHS,
    Served,
    create_user,
    new_page,
    no_sideways_scroll,
    playwright_api,
    shot,
    sign_in,
)
from tests.support.drafts import outside_pdf

#: One employee per width: coaching caps count across letters, so the two runs stay apart.
NIPS = {"ponsel": "199001012015031001", "desktop": "199202022016032002"}
SESSIONS = [
    ("2026-03-02", "90", "Penyusunan RAB"),
    ("2026-03-09", "90", "Analisis harga satuan"),
    ("2026-03-16", "60", "Evaluasi rencana kerja"),
]


def fits_the_screen(page: Any) -> None:
    # A page whose text is there may still be loading its stylesheets: measure once it has.
    page.wait_for_load_state("load")
    no_sideways_scroll(page)


def qr_urls(pdf: bytes, workdir: Path) -> list[str]:
    """The URLs the first page's QR codes encode (poppler renders, zbar reads)."""
    (workdir / "surat.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", "surat.pdf", "halaman"],
        cwd=workdir,
        check=True,
    )
    images = sorted(str(path) for path in workdir.glob("halaman*.png"))
    read = subprocess.run(
        ["zbarimg", "--raw", "-q", *images], capture_output=True, text=True, check=False
    )
    return [line for line in read.stdout.splitlines() if line.startswith("http")]


@pytest.mark.parametrize("width", list(WIDTHS))
def test_a_request_is_filed_approved_verified_and_hidden_from_other_units(
    served: Served, browser: Any, width: str, tmp_path: Path
) -> None:
    expect = playwright_api.expect
    unit, other_unit = f"PMH{width.upper()}", f"PMHLAIN{width.upper()}"
    for code, name in ((unit, "Dinas Permohonan"), (other_unit, "Badan Lain")):
        added = served.cli("unit", "add", code, "--name", f"{name} {width}")
        assert added.returncode == 0, added.stderr
    employee = f"Rudi Hartono {width.title()}, S.T."

    # 2. The SKPD files a coaching request with three sessions and its evidence.
    requester = f"pemohon-pmh-{width}"
    password = create_user(served, requester, "requester", "--unit", unit, "--name", "Sari SKPD")
    page = new_page(browser, width)
    sign_in(page, served, requester, password)
    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Permohonan").click()
    expect(page.get_by_role("heading", name=f"Permohonan unit {unit}")).to_be_visible()
    page.get_by_role("link", name="Permohonan baru").click()
    expect(page.get_by_role("heading", name="Permohonan baru", level=1)).to_be_visible()
    page.get_by_label("NIP", exact=True).fill(NIPS[width])
    page.get_by_label("Nama lengkap dengan gelar").fill(employee)
    page.get_by_label("Jabatan (boleh kosong)").first.fill("Teknik Jalan dan Jembatan Ahli Muda")
    page.get_by_label("Jenis pengembangan kompetensi").select_option("coaching")
    page.get_by_label("Nama", exact=True).fill("Ir. Bambang Sutrisno, M.T.")
    for index, (day, minutes, topic) in enumerate(SESSIONS):
        row = page.get_by_role("group", name=f"Sesi {index + 1}", exact=True)
        row.get_by_label("Tanggal").fill(day)
        row.get_by_label("Lama (menit)").fill(minutes)
        row.get_by_label("Topik").fill(topic)
    fits_the_screen(page)
    shot(page, "20-permohonan-baru", width)

    page.get_by_role("button", name="Periksa JP").click()
    verdicts = page.locator("section", has=page.get_by_role("heading", name="Putusan JP per sesi"))
    expect(verdicts).to_contain_text("4 JP")
    # Coaching counts at most 2 sessions a month: the third is credited nothing, and says why.
    expect(verdicts.get_by_role("row").nth(3)).to_contain_text("Tidak")
    expect(page.get_by_label("Topik").nth(2)).to_have_value("Evaluasi rencana kerja")
    fits_the_screen(page)
    shot(page, "21-putusan-jp", width)

    # The files are chosen again after the check (the page says so).
    expect(page.get_by_role("status")).to_contain_text("pilih berkasnya lagi")
    pdf = {"mimeType": "application/pdf", "buffer": outside_pdf()}
    page.get_by_label("Surat perintah").set_input_files({"name": "surat-perintah.pdf", **pdf})
    page.get_by_label("Formulir pelaksanaan").set_input_files({"name": "formulir.pdf", **pdf})
    page.get_by_role("button", name="Simpan dan ajukan").click()
    expect(page.get_by_role("status")).to_contain_text("Permohonan diajukan ke BPSDM")
    expect(page.locator(".badge-submitted").first).to_have_text("Diajukan")
    request_url = page.url.split("?")[0]
    assert re.fullmatch(rf"{re.escape(served.base)}/konsol/permohonan/[0-9a-f-]{{36}}", request_url)
    fits_the_screen(page)
    shot(page, "22-diajukan", width)
    page.context.close()

    # 3. BPSDM finds it in the queue, opens the evidence, approves; the letter's QR says SAH.
    issuer = f"penerbit-pmh-{width}"
    password = create_user(served, issuer, "issuer", "--name", "Budi BPSDM")
    page = new_page(browser, width)
    sign_in(page, served, issuer, password)
    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Permohonan").click()
    queue = page.locator("section", has=page.get_by_role("heading", name=re.compile("Antrean")))
    expect(queue).to_contain_text(employee)
    fits_the_screen(page)
    shot(page, "30-antrean", width)

    queue.get_by_role("link", name=f"Periksa permohonan {employee}").click()
    evidence_link = page.get_by_role("link", name="Lihat surat-perintah.pdf")
    expect(evidence_link).to_be_visible()
    served_file = page.request.get(served.base + str(evidence_link.get_attribute("href")))
    assert served_file.headers["content-type"] == "application/pdf"
    assert served_file.headers["content-disposition"].startswith("inline")
    assert served_file.headers["x-content-type-options"] == "nosniff"
    assert served_file.body().startswith(b"%PDF-")
    page.get_by_role("heading", name="Bukti dukung").scroll_into_view_if_needed()
    fits_the_screen(page)
    shot(page, "31-permohonan-bukti", width)

    page.get_by_role("link", name="Setujui…").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Setujui permohonan")
    fits_the_screen(page)
    shot(page, "32-setujui", width)
    page.get_by_role("button", name="Ya, setujui dan terbitkan surat").click()
    # The letter is numbered, rendered and converted to PDF before the page answers.
    expect(page.get_by_role("status")).to_contain_text("disetujui", timeout=180_000)
    letter = page.get_by_role("region", name="Surat keterangan terbit")
    expect(letter).to_contain_text("Nomor")
    fits_the_screen(page)
    shot(page, "33-disetujui", width)

    pdf_href = letter.get_by_role("link", name="Lihat PDF").get_attribute("href")
    letter_pdf = page.request.get(served.base + str(pdf_href))
    assert letter_pdf.status == 200 and letter_pdf.body().startswith(b"%PDF-")
    urls = qr_urls(letter_pdf.body(), tmp_path)
    assert urls, "no QR code found on the letter"
    page.goto(urls[0])
    expect(page.get_by_role("heading", name="SAH", exact=True)).to_be_visible()
    fits_the_screen(page)
    shot(page, "34-verifikasi-sah", width)
    page.context.close()

    # 6b. A requester of another unit cannot open the request, nor its approval page.
    outsider = f"pemohon-lain-pmh-{width}"
    password = create_user(served, outsider, "requester", "--unit", other_unit)
    page = new_page(browser, width)
    sign_in(page, served, outsider, password)
    approval = page.goto(f"{request_url}/setujui")
    assert approval is not None and approval.status == 403
    answer = page.goto(request_url)
    assert answer is not None and answer.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Tidak ditemukan")
    expect(page.get_by_role("alert")).to_contain_text("Permohonan tidak ditemukan")
    expect(page.locator("main")).not_to_contain_text(employee)
    fits_the_screen(page)
    shot(page, "6b-ditolak-unit-lain", width)
    page.context.close()
