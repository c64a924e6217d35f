"""Flow 4 in a browser: an issuer uploads 30 participants with one bad row, sees the row error,
fixes the list, watches the progress page finish by itself and downloads the merged PDF."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

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
from tests.support.drafts import distinct_nips

PARTICIPANTS = 30
BAD_ROW = 12  # data row 12 is spreadsheet row 13: the header is row 1
# Only a guard against a hang: the served test server makes real PDFs with one LibreOffice.
FINISH_TIMEOUT_MS = 600_000


def participant_list(path: Path, nips: list[str], *, bad_row: int | None = None) -> Path:
    lines = ["No;NIP;Nama;Jabatan;Unit Kerja"]
    for n, nip in enumerate(nips, start=1):
        if n == bad_row:
            nip = nip[:4] + "13" + nip[6:]  # month 13: not a birth date
        lines.append(f"{n};{nip};Peserta {n:02d}, S.Kom.;Analis Kebijakan;Dinas PU")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    return path


@pytest.mark.parametrize("width", list(WIDTHS))
def test_an_issuer_issues_a_participant_list_and_downloads_the_merged_pdf(
    served: Served, browser: Any, width: str, tmp_path: Path
) -> None:
    expect = playwright_api.expect
    username = f"massal{width}"
    password = create_user(served, username, "issuer", "--name", f"Penerbit Massal {width}")
    # Each width its own participants, so the two runs never meet in the shared register.
    offset = list(WIDTHS).index(width) * PARTICIPANTS
    nips = distinct_nips(offset + PARTICIPANTS)[offset:]
    page = new_page(browser, width)
    sign_in(page, served, username, password)

    page.get_by_role("navigation", name="Menu utama").get_by_role(
        "link", name="Terbitkan massal"
    ).click()
    expect(page.get_by_role("heading", name="Terbitkan massal", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="templat daftar peserta (XLSX)")).to_be_visible()
    title = f"Pelatihan Teknis Penerbitan Massal {width}"
    page.get_by_label("Jenis dokumen").select_option("sttp")
    page.get_by_label("Nama kegiatan").fill(title)
    page.get_by_label("Jalur pengembangan").select_option("pelatihan_teknis")
    page.get_by_label("Tanggal mulai").fill("2026-03-02")
    page.get_by_label("Tanggal selesai").fill("2026-03-04")
    page.get_by_label("JP kegiatan").fill("24")
    page.get_by_label("Penyelenggara").fill("BPSDM")
    file_field = page.get_by_label("Berkas daftar peserta (XLSX atau CSV)")
    file_field.set_input_files(participant_list(tmp_path / "peserta.csv", nips, bad_row=BAD_ROW))
    no_sideways_scroll(page)
    shot(page, "40-massal-form", width)

    page.get_by_role("button", name="Periksa dan terbitkan").click()
    expect(page.get_by_role("alert")).to_contain_text("Daftar peserta ditolak")
    errors = page.get_by_role("table", name="Kesalahan per baris")
    expect(errors.get_by_role("columnheader")).to_have_text(["Baris", "Kolom", "Pesan"])
    expect(errors.get_by_role("row")).to_have_count(2)
    expect(errors.get_by_role("row").nth(1)).to_contain_text(str(BAD_ROW + 1))
    expect(errors.get_by_role("row").nth(1)).to_contain_text("Tanggal lahir pada NIP tidak valid")
    # The activity is kept; the file has to be chosen again.
    expect(page.get_by_label("Nama kegiatan")).to_have_value(title)
    expect(file_field).to_have_attribute("aria-invalid", "true")
    no_sideways_scroll(page)
    shot(page, "41-galat-baris", width)

    file_field.set_input_files(participant_list(tmp_path / "peserta-benar.csv", nips))
    page.get_by_role("button", name="Periksa dan terbitkan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Batch STTP: {PARTICIPANTS} dokumen")
    assert re.search(r"/konsol/massal/[0-9a-f-]{36}", page.url), page.url
    expect(page.get_by_role("status")).to_contain_text("Penerbitan massal dimulai")
    expect(page.locator("progress")).to_have_attribute("max", str(PARTICIPANTS))
    no_sideways_scroll(page)
    shot(page, "42-progres", width)

    # Nothing is clicked: the page reloads itself until the batch is done.
    expect(page.get_by_role("heading", name="Hasil")).to_be_visible(timeout=FINISH_TIMEOUT_MS)
    expect(page.get_by_text(f"{PARTICIPANTS} dari {PARTICIPANTS} dokumen").first).to_be_visible()
    expect(page.locator('meta[http-equiv="refresh"]')).to_have_count(0)
    documents = page.get_by_role("table", name="Dokumen menurut nomor")
    expect(documents.get_by_role("row")).to_have_count(PARTICIPANTS + 1)
    expect(documents).to_contain_text("Peserta 01, S.Kom.")
    no_sideways_scroll(page)
    shot(page, "43-selesai", width)

    merged_link = page.get_by_role("link", name="Unduh PDF gabungan")
    href = merged_link.get_attribute("href")
    assert href is not None and href.endswith("/gabungan.pdf")
    merged = page.request.get(f"{served.base}{href}")
    assert merged.ok
    assert merged.headers["content-type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(merged.body())).pages) == PARTICIPANTS
    archive = page.request.get(f"{served.base}{href.replace('gabungan.pdf', 'arsip.zip')}")
    assert archive.ok and archive.body().startswith(b"PK")
    page.context.close()
