"""Flow 7 of issue 9 in a browser: a unit's JP report shows who has not met 20 JP, an employee's
page, the CSV download; and the Audit page with its chain status, as an auditor."""

from __future__ import annotations

import json
import urllib.request
from datetime import date
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


def _issue(served: Served, secret: str, body: dict[str, Any]) -> None:
    request = urllib.request.Request(  # noqa: S310 - the local test server
        f"{served.base}/api/v1/documents",
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {secret}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
        assert response.status == 201


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_unit_report_the_employee_the_csv_and_the_audit_log(
    served: Served, browser: Any, width: str, tmp_path: Path
) -> None:
    expect = playwright_api.expect
    year = date.today().year
    unit = f"LAP{width.upper()}"
    # NIPs of this module and width only: the server is shared by every browser module.
    birth = {"ponsel": "19910203", "desktop": "19910204"}[width]
    met_nip, short_nip, other_nip = (
        f"{birth}201503{sex}00{n}" for sex, n in ((1, 1), (2, 2), (1, 3))
    )
    assert served.cli("unit", "add", unit, "--name", f"Dinas Uji Laporan {width}").returncode == 0
    roster = tmp_path / "pegawai.csv"
    roster.write_text(
        "NIP,Nama,Jenis Jabatan,Jabatan\n"
        f"{met_nip},Ani Lestari {width},pelaksana,Pengadministrasi Umum\n"
        f"{short_nip},Bayu Saputra {width},fungsional,Analis Kebijakan Ahli Muda\n"
        f"{other_nip},Citra Dewi Kusumawardani {width},struktural,Kepala Subbagian Umum\n",
        encoding="utf-8",
    )
    imported = served.cli("roster", "import", str(roster), "--unit", unit)
    assert imported.returncode == 0, imported.stderr
    key = served.cli("apikey", "create", "--role", "issuer", "--name", f"laporan {width}")
    assert key.returncode == 0, key.stderr
    _issue(
        served,
        key.stdout.strip().splitlines()[-1],
        {
            "type": "sttp",
            "unit_code": unit,
            "recipient": {"nip": met_nip, "name": f"Ani Lestari {width}", "unit": unit},
            "activity": {
                "title": "Pelatihan Teknis Pengadaan Barang/Jasa",
                "path": "pelatihan_teknis",
                "scope": "nasional",
                "start_date": f"{year}-03-02",
                "end_date": f"{year}-03-04",
                "jp": "24",
                "organizer": "BPSDM",
            },
        },
    )

    # A unit's HR officer: its own unit's report, those short of 20 JP first and marked.
    requester = f"lapsdm{width}"
    password = create_user(served, requester, "requester", "--unit", unit, "--name", "Sri Rahayu")
    page = new_page(browser, width)
    sign_in(page, served, requester, password)
    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Laporan JP").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Laporan JP tahun {year}")
    table = page.get_by_role("table", name=f"JP per pegawai tahun {year}")
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("Belum 20 JP")
    expect(rows.nth(1)).to_contain_text("Belum 20 JP")
    expect(rows.nth(2)).to_contain_text(f"Ani Lestari {width}")
    expect(rows.nth(2)).to_contain_text("Sudah 20 JP")
    expect(page.get_by_role("img", name="Pegawai yang mencapai minimal 20 JP")).to_be_visible()
    expect(page.get_by_role("img", name="JP per bulan")).to_be_visible()
    no_sideways_scroll(page)
    shot(page, "70-laporan-unit", width)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Unduh CSV").click()
    download = download_info.value
    assert download.suggested_filename == f"jp-{unit}-{year}.csv"
    content = Path(download.path()).read_text(encoding="utf-8-sig")
    assert f"Ani Lestari {width}" in content and f"Bayu Saputra {width}" in content

    page.get_by_role("link", name=f"Ani Lestari {width}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Ani Lestari {width}")
    expect(page.get_by_text("24 JP dari minimal 20 JP")).to_be_visible()
    myasn = page.get_by_role("region", name=f"Baris MyASN (Riwayat Diklat) tahun {year}")
    expect(myasn).to_contain_text("Pelatihan Teknis Pengadaan Barang/Jasa")
    expect(page.get_by_role("link", name="Buka Kartu Data (PDF)")).to_be_visible()
    no_sideways_scroll(page)
    shot(page, "71-pegawai", width)

    # Beranda shows the same compliance as a chart, beside the units short of 20 JP.
    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Beranda").click()
    jp = page.get_by_role("region", name=f"Unit dengan pegawai di bawah 20 JP tahun {year}")
    expect(jp.get_by_role("img", name="Pegawai yang mencapai minimal 20 JP")).to_be_visible()
    no_sideways_scroll(page)
    shot(page, "72-beranda-jp", width)
    page.context.close()

    # The auditor: the log with its chain status, and this flow's document in it.
    auditor = f"lapaudit{width}"
    password = create_user(served, auditor, "auditor", "--name", "Auditor Inspektorat")
    page = new_page(browser, width)
    sign_in(page, served, auditor, password)
    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Audit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log audit")
    expect(page.get_by_role("status")).to_contain_text("Rantai audit utuh")
    page.get_by_label("Aksi").select_option("document.issue")
    page.get_by_role("button", name="Saring").click()
    entries = page.get_by_role("table", name="Entri log audit, terbaru lebih dulu")
    expect(entries.locator("tbody tr").first).to_contain_text("document.issue")
    no_sideways_scroll(page)
    shot(page, "80-audit", width)
    page.context.close()
