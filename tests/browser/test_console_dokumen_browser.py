"""Flow 5 in a browser: an issuer issues a document through the form (JP preview first), sees its
number, PDF and QR, finds it with a filter, revokes it with a reason after confirming, and opens
its public verification page, which says DICABUT."""

from __future__ import annotations

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
from tests.support.drafts import distinct_nips


@pytest.mark.parametrize("width", list(WIDTHS))
def test_an_issuer_issues_finds_revokes_and_verifies(
    served: Served, browser: Any, width: str
) -> None:
    expect = playwright_api.expect
    username = f"penerbit5{width}"
    password = create_user(served, username, "issuer", "--name", "Penerbit BPSDM")
    holder = f"Dra. Wulan Lima {width.title()}, M.Si."
    nip = distinct_nips(len(WIDTHS))[list(WIDTHS).index(width)]
    page = new_page(browser, width)
    sign_in(page, served, username, password)

    page.get_by_role("navigation", name="Menu utama").get_by_role(
        "link", name="Terbitkan dokumen"
    ).click()
    expect(page.get_by_role("heading", name="Terbitkan dokumen", level=1)).to_be_visible()
    page.get_by_role("link", name="Sertifikat", exact=True).click()
    expect(page.get_by_role("heading", name="Terbitkan Sertifikat")).to_be_visible()
    page.get_by_label("NIP / NI PPPK").fill(nip)
    page.get_by_label("Nama lengkap dengan gelar").fill(holder)
    page.get_by_label("Jabatan", exact=True).fill("Analis Kepegawaian Ahli Muda")
    page.get_by_label("Nama kegiatan").fill("Seminar Nasional Manajemen Talenta ASN")
    page.get_by_label("Jalur pengembangan kompetensi").select_option("seminar")
    page.get_by_label("Tanggal mulai").fill("2026-03-02")
    page.get_by_label("Tanggal selesai").fill("2026-03-03")
    page.get_by_label("Penyelenggara").fill("BPSDM")
    no_sideways_scroll(page)
    shot(page, "50-terbitkan", width)

    page.get_by_role("button", name="Hitung JP").click()
    expect(page.get_by_role("heading", name="Hasil hitung JP: 8 JP")).to_be_visible()
    expect(page.get_by_label("Nama lengkap dengan gelar")).to_have_value(holder)
    no_sideways_scroll(page)
    shot(page, "51-pratinjau-jp", width)

    page.get_by_role("button", name="Terbitkan", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Dokumen terbit")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("/SERT/BPSDM/")
    number = heading.inner_text().removeprefix("Sertifikat ").strip()
    qr = page.get_by_role("img", name=f"Kode QR verifikasi dokumen {number}")
    expect(qr).to_be_visible()
    assert qr.evaluate("image => image.naturalWidth") > 0
    pdf_link = page.get_by_role("link", name="Buka PDF")
    expect(pdf_link).to_be_visible()
    pdf = page.request.get(served.base + str(pdf_link.get_attribute("href")))
    assert pdf.ok and pdf.body().startswith(b"%PDF-")
    no_sideways_scroll(page)
    shot(page, "52-hasil", width)

    page.get_by_role("navigation", name="Menu utama").get_by_role(
        "link", name="Dokumen", exact=True
    ).click()
    expect(page.get_by_role("heading", name="Dokumen", level=1)).to_be_visible()
    page.get_by_label("Nama pemegang").fill(f"wulan lima {width}")
    page.get_by_role("button", name="Cari").click()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(holder)
    no_sideways_scroll(page)
    shot(page, "53-daftar", width)

    page.get_by_role("link", name=number).click()
    page.get_by_role("link", name="Cabut dokumen").click()
    expect(page.get_by_role("heading", name=f"Cabut dokumen {number}?")).to_be_visible()
    page.get_by_label("Alasan pencabutan").fill("Peserta tidak mengikuti seluruh sesi seminar")
    no_sideways_scroll(page)
    shot(page, "54-cabut", width)
    page.get_by_role("button", name="Ya, cabut dokumen").click()
    expect(page.get_by_role("status")).to_contain_text("Dokumen dicabut")
    expect(page.get_by_text("Status: DICABUT")).to_be_visible()

    page.get_by_role("link", name="Buka halaman verifikasi").click()
    expect(page.locator("body")).to_contain_text("DICABUT")
    expect(page.locator("body")).to_contain_text("Peserta tidak mengikuti seluruh sesi seminar")
    no_sideways_scroll(page)
    shot(page, "55-verifikasi-dicabut", width)
    page.context.close()
