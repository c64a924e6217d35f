"""Laporan JP and Audit in the console: who sees which unit, the charts, the downloads, an
employee's page, the Kartu Data PDF, and the audit log with its chain status."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from decimal import Decimal
from html import unescape
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import text

from api.app import create_app
from registry.domain.actors import Actor
from registry.usecases.accounts import Accounts
from registry.usecases.audit_log import PAGE_SIZE
from registry.usecases.issuing import Registry
from registry.usecases.units import Units
from tests.console.support import sign_in
from tests.support.drafts import distinct_nips, draft

ISSUER = Actor(id="user:andi", role="issuer")
MET_NIP, SHORT_NIP, OTHER_NIP = distinct_nips(3)


@pytest.fixture
def rosters(registry: Registry, accounts: Accounts) -> None:
    """DPUPR: Ani has met 20 JP (24 JP of pelatihan teknis), Bayu has 0 JP. BAPPEDA: Citra."""
    units = Units(registry.db, now=registry.now, today=registry.local_today)
    dpupr = (
        "NIP,Nama,Jenis Jabatan,Jabatan\n"
        f"{MET_NIP},Ani Lestari,pelaksana,Pengadministrasi Umum\n"
        f"{SHORT_NIP},Bayu <Aji> & Putra,fungsional,Analis Kebijakan\n"
    )
    units.import_roster("DPUPR", dpupr.encode(), ISSUER, filename="dpupr.csv")
    bappeda = f"NIP,Nama,Jenis Jabatan\n{OTHER_NIP},Citra Dewi,struktural\n"
    units.import_roster("BAPPEDA", bappeda.encode(), ISSUER, filename="bappeda.csv")
    year = registry.local_today().year
    registry.issue(
        draft(
            type="sttp",
            path="pelatihan_teknis",
            nip=MET_NIP,
            name="Ani Lestari",
            jp=Decimal(24),
            start=registry.local_today().replace(year=year, month=3, day=2),
            end=registry.local_today().replace(year=year, month=3, day=4),
            title="Pelatihan Teknis Pengadaan Barang/Jasa",
            unit_code="DPUPR",
        ),
        ISSUER,
    )


def rows_of(html: str) -> list[str]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [unescape(re.sub(r"<[^>]+>", " ", row)) for row in body.split("</tr>") if "<td" in row]


def squash(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


# -- who may open the pages --------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/konsol/laporan",
        "/konsol/laporan/unduh.csv",
        f"/konsol/laporan/pegawai/{MET_NIP}",
        f"/konsol/laporan/pegawai/{MET_NIP}/myasn.csv",
        f"/konsol/laporan/pegawai/{MET_NIP}/kartu.pdf",
        "/konsol/audit",
    ],
)
def test_no_session_goes_to_sign_in(console: TestClient[Any], path: str) -> None:
    response = console.get(path, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/konsol/masuk?next=")


@pytest.mark.parametrize(
    "path", ["/konsol/laporan", "/konsol/laporan/unduh.csv", f"/konsol/laporan/pegawai/{MET_NIP}"]
)
def test_an_admin_reads_no_jp_reports(console: TestClient[Any], rosters: None, path: str) -> None:
    sign_in(console, "root")
    refused = console.get(path)
    assert refused.status_code == 403
    assert "Halaman ini hanya untuk peran" in refused.text
    assert "Ani Lestari" not in refused.text


@pytest.mark.parametrize("username", ["andi", "siti"])
def test_issuers_and_requesters_do_not_open_the_audit_log(
    console: TestClient[Any], username: str
) -> None:
    sign_in(console, username)
    refused = console.get("/konsol/audit")
    assert refused.status_code == 403
    assert "Rantai audit" not in refused.text
    assert "user:" not in refused.text


# -- the unit report -----------------------------------------------------------------------------


def test_an_issuer_sees_every_unit_with_those_short_of_20_jp_marked(
    console: TestClient[Any], rosters: None, registry: Registry
) -> None:
    sign_in(console, "andi")
    page = console.get("/konsol/laporan")
    assert page.status_code == 200
    year = registry.local_today().year
    assert f"<h1>Laporan JP tahun {year}</h1>" in page.text
    rows = rows_of(page.text.split('id="pegawai"', 1)[1])
    # By unit, then those short of 20 JP first.
    assert [row.split()[0] for row in rows] == ["Citra", "Bayu", "Ani"]
    ani = next(row for row in rows if "Ani" in row)
    assert "24" in ani and "Sudah 20 JP" in ani and MET_NIP in ani and "Pengadministrasi" in ani
    assert "22,5" in ani  # IP ASN: a pelaksana's Diklat Teknis 20 JP
    bayu = next(row for row in rows if "Bayu" in row)
    assert "Belum 20 JP" in bayu and "kurang 20 JP" in bayu
    # A name is escaped as typed, and links to the employee's page.
    assert "Bayu &lt;Aji&gt; &amp; Putra" in page.text
    assert f'href="/konsol/laporan/pegawai/{MET_NIP}?year={year}"' in page.text
    assert 'class="short"' in page.text
    # Both charts, drawn on the server: compliance per unit and JP per month.
    assert page.text.count('role="img"') == 2
    assert "Pegawai yang mencapai minimal 20 JP per unit" in page.text
    assert "50% (1 dari 2 pegawai)" in page.text  # DPUPR, in the chart's description
    assert f"JP per bulan, semua unit, tahun {year}" in page.text
    assert "<script" not in page.text
    assert '<option value="" selected>Semua unit</option>' in page.text


def test_choosing_a_unit_and_a_year(
    console: TestClient[Any], rosters: None, registry: Registry
) -> None:
    sign_in(console, "rina")
    year = registry.local_today().year
    page = console.get("/konsol/laporan", params={"unit": "DPUPR", "year": str(year - 1)})
    assert page.status_code == 200
    assert f"Laporan JP tahun {year - 1}" in page.text
    assert '<option value="DPUPR" selected>' in page.text
    assert f'<option value="{year - 1}" selected>' in page.text
    rows = rows_of(page.text.split('id="pegawai"', 1)[1])
    assert len(rows) == 2 and not any("Citra" in row for row in rows)
    assert all("Belum 20 JP" in row for row in rows)  # the document counts in its own year
    # Nothing counted that year: no monthly chart, only the compliance chart.
    assert page.text.count('role="img"') == 1
    assert f'href="/konsol/laporan/unduh.csv?year={year - 1}&amp;unit=DPUPR"' in page.text


def test_a_requester_sees_its_own_unit_only(console: TestClient[Any], rosters: None) -> None:
    sign_in(console, "siti")
    page = console.get("/konsol/laporan")
    assert page.status_code == 200
    assert "Ani Lestari" in page.text and "Citra" not in page.text
    assert "Semua unit" not in page.text
    assert "BAPPEDA" not in page.text
    refused = console.get("/konsol/laporan", params={"unit": "BAPPEDA"})
    assert refused.status_code == 403
    assert "Citra" not in refused.text
    message = squash(refused.text)
    # The console's person is told in their own terms, not as if they held an API key.
    assert "Kunci API" not in message
    assert "hanya dapat membaca laporan unit DPUPR" in message
    assert console.get("/konsol/laporan/unduh.csv", params={"unit": "BAPPEDA"}).status_code == 403


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ({"year": "dua ribu"}, 422, "Tahun harus empat digit angka"),
        ({"year": "2999"}, 422, "Tahun harus antara 2000 dan"),
        ({"unit": "X Y!"}, 422, ""),
        ({"unit": "TIDAKADA"}, 404, "tidak ditemukan"),
    ],
)
def test_bad_input_gives_an_indonesian_page(
    console: TestClient[Any], rosters: None, query: dict[str, str], status: int, message: str
) -> None:
    sign_in(console, "andi")
    refused = console.get("/konsol/laporan", params=query)
    assert refused.status_code == status
    assert '<html lang="id">' in refused.text and 'role="alert"' in refused.text
    assert message in refused.text
    assert "Ani Lestari" not in refused.text


def test_the_downloads_carry_the_same_report(
    console: TestClient[Any], rosters: None, registry: Registry
) -> None:
    sign_in(console, "andi")
    year = registry.local_today().year
    response = console.get("/konsol/laporan/unduh.csv", params={"unit": "DPUPR", "year": year})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert f'filename="jp-DPUPR-{year}.csv"' in response.headers["content-disposition"]
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert table[0][:3] == ["No", "NIP", "Nama"]
    by_name = {row[2]: row for row in table[1:]}
    assert set(by_name) == {"Ani Lestari", "Bayu <Aji> & Putra"}
    assert by_name["Ani Lestari"][10] == "Ya" and by_name["Bayu <Aji> & Putra"][10] == "Tidak"
    xlsx = console.get("/konsol/laporan/unduh.xlsx", params={"year": year})
    assert xlsx.status_code == 200
    assert xlsx.content.startswith(b"PK")
    assert f"jp-semua-unit-{year}.xlsx" in xlsx.headers["content-disposition"]
    # A requester downloads its own unit without naming it.
    sign_in(console, "siti")
    own = console.get("/konsol/laporan/unduh.csv").content.decode("utf-8-sig")
    assert "Ani Lestari" in own and "Citra" not in own


def test_an_empty_roster_says_what_to_do(console: TestClient[Any], accounts: Accounts) -> None:
    sign_in(console, "andi")
    page = console.get("/konsol/laporan", params={"unit": "DPUPR"})
    assert page.status_code == 200
    assert "Belum ada pegawai di daftar pegawai unit ini" in page.text
    assert "satupintu roster import" in page.text
    assert "belum ada pegawai" in page.text  # the unit's bar in the chart


# -- an employee's page --------------------------------------------------------------------------


def test_an_employee_page_shows_the_year_the_myasn_rows_and_the_card(
    console: TestClient[Any], rosters: None, registry: Registry
) -> None:
    sign_in(console, "siti")
    year = registry.local_today().year
    page = console.get(f"/konsol/laporan/pegawai/{MET_NIP}")
    assert page.status_code == 200
    text_only = squash(page.text)
    assert "<h1>Ani Lestari</h1>" in page.text
    assert "24 JP dari minimal 20 JP" in text_only
    assert "Sudah 20 JP" in text_only
    assert "Pelatihan Teknis 24" in text_only  # by path
    assert "22,5 poin dari 40" in text_only  # IP ASN
    assert "Pelatihan Teknis Pengadaan Barang/Jasa" in text_only  # a MyASN row
    assert f"02-03-{year}" in text_only and f"04-03-{year}" in text_only
    assert f'href="/konsol/laporan/pegawai/{MET_NIP}/myasn.csv?year={year}"' in page.text
    assert f"JP per bulan, Ani Lestari, tahun {year}" in page.text
    # This registry makes no PDFs: the page says so instead of offering a link that fails.
    assert "keluaran PDF (LibreOffice) tidak tersedia" in page.text
    assert "kartu.pdf" not in page.text
    card = console.get(f"/konsol/laporan/pegawai/{MET_NIP}/kartu.pdf")
    assert card.status_code == 503
    assert "hanya dibuat sebagai PDF" in card.text

    myasn = console.get(f"/konsol/laporan/pegawai/{MET_NIP}/myasn.csv", params={"year": year})
    assert myasn.status_code == 200
    assert myasn.headers["content-type"].startswith("text/csv")
    assert "Pelatihan Teknis Pengadaan Barang/Jasa" in myasn.content.decode("utf-8-sig")


def test_an_employee_short_of_20_jp(console: TestClient[Any], rosters: None) -> None:
    sign_in(console, "andi")
    page = squash(console.get(f"/konsol/laporan/pegawai/{SHORT_NIP}").text)
    assert "Bayu <Aji> & Putra" in page
    assert "Belum 20 JP Masih kurang 20 JP" in page
    assert "Belum ada dokumen sah yang menghitung JP" in page
    assert "belum ada baris untuk MyASN" in page


def test_another_units_employee_is_not_found_and_tells_nothing(
    console: TestClient[Any], rosters: None
) -> None:
    sign_in(console, "budi")  # BAPPEDA
    rostered_elsewhere = console.get(f"/konsol/laporan/pegawai/{MET_NIP}")
    nobody = console.get(f"/konsol/laporan/pegawai/{distinct_nips(9)[8]}")
    assert rostered_elsewhere.status_code == nobody.status_code == 404
    assert squash(rostered_elsewhere.text) == squash(nobody.text)
    assert "Ani" not in rostered_elsewhere.text
    for suffix in ("/myasn.csv", "/kartu.pdf"):
        assert console.get(f"/konsol/laporan/pegawai/{MET_NIP}{suffix}").status_code == 404


def test_a_malformed_nip_is_refused_in_indonesian(console: TestClient[Any], rosters: None) -> None:
    sign_in(console, "andi")
    refused = console.get("/konsol/laporan/pegawai/12345")
    assert refused.status_code == 422
    assert 'role="alert"' in refused.text and "NIP" in refused.text


@pytest.fixture
def pdf_console(pdf_registry: Registry, accounts: Accounts) -> Iterator[TestClient[Any]]:
    """The same database and accounts, served by a registry that makes real PDFs."""
    with TestClient(create_app(registry=pdf_registry), base_url="https://konsol.test") as client:
        yield client


def test_the_kartu_data_pdf(pdf_console: TestClient[Any], rosters: None) -> None:
    sign_in(pdf_console, "siti")
    page = pdf_console.get(f"/konsol/laporan/pegawai/{MET_NIP}")
    assert "Buka Kartu Data (PDF)" in page.text
    card = pdf_console.get(f"/konsol/laporan/pegawai/{MET_NIP}/kartu.pdf")
    assert card.status_code == 200, card.text
    assert card.content.startswith(b"%PDF-")
    assert card.headers["cache-control"] == "no-store"
    assert card.headers["content-disposition"].startswith("inline")


# -- Beranda -------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["andi", "rina"])
def test_beranda_shows_the_compliance_chart(
    console: TestClient[Any], rosters: None, username: str
) -> None:
    sign_in(console, username)
    home = console.get("/konsol").text
    jp = home.split('id="jp"', 1)[1]
    assert 'role="img"' in jp
    assert "Pegawai yang mencapai minimal 20 JP per unit" in jp
    # Both units, lowest share first: BAPPEDA 0 of 1, DPUPR 1 of 2.
    assert "Badan Perencanaan Pembangunan Daerah: 0% (0 dari 1 pegawai); Dinas" in jp
    assert 'href="/konsol/laporan"' in jp


def test_beranda_of_an_admin_has_no_chart(console: TestClient[Any], rosters: None) -> None:
    sign_in(console, "root")
    assert 'role="img"' not in console.get("/konsol").text


# -- the audit log -------------------------------------------------------------------------------


def audit_count(registry: Registry) -> int:
    with registry.db.reading() as session:
        return int(session.execute(text("SELECT count(*) FROM audit_log")).scalar_one())


@pytest.mark.parametrize("username", ["rina", "root"])
def test_the_audit_page_shows_the_chain_and_the_newest_entries(
    console: TestClient[Any], rosters: None, registry: Registry, username: str
) -> None:
    sign_in(console, username)
    entries = audit_count(registry)
    page = console.get("/konsol/audit")
    assert page.status_code == 200
    assert f"Rantai audit utuh: {entries} entri diperiksa." in page.text
    rows = rows_of(page.text.split('id="entri"', 1)[1])
    assert len(rows) == entries
    assert rows[0].split()[0] == str(entries)  # newest first
    assert rows[-1].split()[0] == "1"
    assert "document.issue" in page.text and "user:andi" in page.text
    assert '<option value="document.issue">document.issue</option>' in page.text
    # Reading the log writes nothing to it.
    assert audit_count(registry) == entries


def test_the_audit_filters(console: TestClient[Any], rosters: None, registry: Registry) -> None:
    sign_in(console, "rina")
    today = registry.local_today().isoformat()
    page = console.get("/konsol/audit", params={"action": "document.issue", "actor": "andi"})
    rows = rows_of(page.text.split('id="entri"', 1)[1])
    assert len(rows) == 1 and "document.issue" in rows[0] and "user:andi" in rows[0]
    assert '<option value="document.issue" selected>' in page.text
    assert 'value="andi"' in page.text and "Hapus saringan" in page.text
    dated = console.get("/konsol/audit", params={"since": today, "until": today})
    assert f"{audit_count(registry)} entri cocok" in squash(dated.text)
    none = console.get("/konsol/audit", params={"actor": "tidak-ada-siapa-pun"})
    assert "Tidak ada entri yang cocok dengan saringan ini" in squash(none.text)


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"since": "2026-02-30"}, "since", "Tanggal mulai tidak dikenali"),
        ({"since": "2026-03-05", "until": "2026-03-01"}, "until", "Tanggal akhir lebih awal"),
        ({"page": "dua"}, None, "Nomor halaman harus angka"),
        ({"page": "0"}, None, "Nomor halaman dimulai dari 1"),
    ],
)
def test_bad_audit_filters_are_shown_again_with_the_message(
    console: TestClient[Any], query: dict[str, str], field: str | None, message: str
) -> None:
    sign_in(console, "rina")
    refused = console.get("/konsol/audit", params=query)
    assert refused.status_code == 422
    assert 'role="alert"' in refused.text and message in refused.text
    assert "Rantai audit utuh" in refused.text
    for value in query.values():
        assert f'value="{value}"' in refused.text or value.isalnum()
    if field:
        assert (
            f'id="{field}" name="{field}" type="date" value="{query[field]}" aria-invalid="true"'
            in refused.text
        )
        assert f'aria-describedby="{field}-error"' in refused.text
        assert f'class="field-error" id="{field}-error"' in refused.text
    assert 'id="entri"' not in refused.text


def test_the_audit_log_is_paged(console: TestClient[Any], registry: Registry) -> None:
    units = Units(registry.db, now=registry.now, today=registry.local_today)
    from registry.domain.units import UnitDraft

    for index in range(PAGE_SIZE + 1):
        units.save(UnitDraft("DPUPR", f"Dinas PU {index}"), ISSUER)
    entries = audit_count(registry)
    assert entries > PAGE_SIZE
    sign_in(console, "rina")
    first = console.get("/konsol/audit", params={"action": "unit.update"})
    assert 'rel="next"' in first.text and 'rel="prev"' not in first.text
    assert 'href="/konsol/audit?action=unit.update&amp;page=2"' in first.text
    second = console.get("/konsol/audit", params={"action": "unit.update", "page": "2"})
    assert second.status_code == 200
    assert 'rel="prev"' in second.text
    assert "halaman 2 dari 2" in second.text


def test_a_broken_chain_is_named_at_the_top(
    console: TestClient[Any], rosters: None, registry: Registry
) -> None:
    with registry.db.writing() as session:
        session.execute(text("UPDATE audit_log SET actor = 'user:orang-lain' WHERE seq = 2"))
    sign_in(console, "root")
    page = console.get("/konsol/audit")
    assert page.status_code == 200
    assert "Rantai audit rusak pada entri 2: entri 2 telah diubah." in page.text
    assert "Rantai audit utuh" not in page.text
    assert "1 entri sebelumnya utuh" in page.text


@pytest.mark.parametrize(
    ("username", "laporan", "audit"),
    [("andi", True, False), ("siti", True, False), ("rina", True, True), ("root", False, True)],
)
def test_the_header_offers_each_role_its_pages(
    console: TestClient[Any], username: str, laporan: bool, audit: bool
) -> None:
    sign_in(console, username)
    header = console.get("/konsol").text.split('aria-label="Menu utama"', 1)[1].split("</nav>")[0]
    assert ('href="/konsol/laporan"' in header) is laporan
    assert ('href="/konsol/audit"' in header) is audit
