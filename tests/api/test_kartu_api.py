"""GET /api/v1/employees/{nip}/kartu: the Kartu Data Pengembangan Kompetensi as a PDF.

The PDFs are real (the shared warm LibreOffice pool); the documents behind them are issued as
DOCX only, through a second registry on the same database, because only the card is under test.
"""

from __future__ import annotations

import io
import subprocess
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from litestar.testing import TestClient
from pypdf import PdfReader

from api.app import create_app
from registry.adapters.db.engine import Database
from registry.adapters.keystore import KeyRing
from registry.adapters.libreoffice import UnavailableConverter
from registry.bootstrap import build_registry
from registry.domain.drafts import ActivityDraft, DocumentDraft, RecipientDraft
from registry.domain.jp_sessions import LogEntry
from registry.domain.units import HeadDraft, UnitDraft
from registry.domain.views import DocumentView
from registry.settings import Settings
from registry.usecases.issuing import Registry
from registry.usecases.units import Units
from tests.api.conftest import bearer, written_state
from tests.conftest import Clock, Keys
from tests.support.drafts import PNS_NIP, PPPK_NIP, draft
from tests.support.pdf import extract_text

HEAD = HeadDraft(
    name="Ir. Bambang Sutrisno, M.T.",
    nip="197805122003121002",
    rank="Pembina Utama Muda (IV/c)",
    position="Kepala Dinas Pekerjaan Umum dan Penataan Ruang",
)
ROSTER_NAME = "Dra. Siti Aminah, M.Si."
AGENCY_SIGNER = "Nama Kepala Badan, S.H., M.Si."


@pytest.fixture
def registry(pdf_registry: Registry) -> Registry:
    """The service under test converts through LibreOffice: the card exists only as a PDF."""
    return pdf_registry


@pytest.fixture
def issuing(db: Database, keyring: KeyRing, settings: Settings, clock: Clock) -> Registry:
    """Issues the documents the cards are made of, as DOCX only (faster; not under test)."""
    return build_registry(
        settings, db=db, keyring=keyring, converter=UnavailableConverter(), clock=clock
    )


@pytest.fixture
def units(registry: Registry, api_keys: Keys) -> Units:
    """DPUPR with a head and one rostered employee (PNS_NIP); DINKES without a head."""
    units = Units(registry.db, now=registry.now, today=registry.local_today)
    issuer = api_keys.issuer.actor
    units.save(UnitDraft("DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", HEAD), issuer)
    units.save(UnitDraft("DINKES", "Dinas Kesehatan"), issuer)
    csv = (
        "NIP;Nama;Jabatan;Pangkat\r\n"
        f"{PNS_NIP};{ROSTER_NAME};Analis Kepegawaian Ahli Muda;Penata Tingkat I (III/d)\r\n"
    )
    units.import_roster("DPUPR", csv.encode(), issuer, filename="pegawai.csv")
    return units


def issue(registry: Registry, keys: Keys, **changes: Any) -> DocumentView:
    return registry.issue(draft(**changes), keys.issuer.actor).document


def kartu(
    client: TestClient[Any], keys: Keys, nip: str, query: str = "", key: str = "issuer"
) -> Any:
    secret = getattr(keys, key).secret
    return client.get(f"/api/v1/employees/{nip}/kartu{query}", headers=bearer(secret))


def layout_lines(pdf: bytes) -> list[str]:
    """The pages' lines as ``pdftotext -layout`` reads them, runs of spaces made one."""
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode("utf-8")
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def card_text(response: Any) -> str:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    return " ".join(extract_text(response.content).split())


def row_of(lines: list[str], number: str) -> tuple[str, str]:
    """The first two lines of the document's row. A long number wraps after a slash, so its
    first twelve characters (series code and sequence) find the row."""
    (index,) = [index for index, line in enumerate(lines) if number[:12] in line]
    return lines[index], lines[index + 1]


def test_the_card_prints_identity_every_valid_document_and_the_total(
    client: TestClient[Any], registry: Registry, issuing: Registry, api_keys: Keys, units: Units
) -> None:
    seminar = issue(issuing, api_keys, title="Seminar Nasional Manajemen ASN")  # 2 days: 8 JP
    training = issue(
        issuing,
        api_keys,
        type="sttp",
        path="pelatihan_teknis",
        jp=Decimal("24"),
        start=date(2026, 5, 4),
        end=date(2026, 5, 8),
        title="Pelatihan Teknis Pengadaan Barang/Jasa",
    )
    revoked = issue(issuing, api_keys, start=date(2026, 4, 6), end=date(2026, 4, 6))
    issuing.revoke(revoked.id, "salah tanggal", api_keys.issuer.actor)
    last_year = issue(issuing, api_keys, start=date(2025, 9, 1), end=date(2025, 9, 2))
    before = written_state(registry)

    response = kartu(client, api_keys, PNS_NIP, "?year=2026")
    text = card_text(response)

    assert "KARTU DATA PENGEMBANGAN KOMPETENSI" in text and "TAHUN 2026" in text
    for value in (
        ROSTER_NAME,  # the roster's name, not the documents'
        "19850315 201001 1 012",
        "Penata Tingkat I (III/d)",
        "Analis Kepegawaian Ahli Muda",
        "Dinas Pekerjaan Umum dan Penataan Ruang",
        "15 Maret 1985",
        "Laki-laki",
    ):
        assert value in text, value
    lines = layout_lines(response.content)
    assert " 8 " in f" {row_of(lines, seminar.number)[0]} "
    assert " 24 " in f" {row_of(lines, training.number)[0]} "
    assert "Jumlah JP Tahun 2026 32" in " ".join(lines)
    assert "32 (tiga puluh dua) JP" in text
    assert revoked.number not in text
    assert last_year.number not in text
    # Signed under "Mengetahui" by the head of the unit the employee is rostered in.
    assert "Mengetahui" in text and HEAD.name in text and AGENCY_SIGNER not in text
    assert "Pegawai yang melaporkan" in text
    assert "dipertanggung-jawabkan dan telah di upload sebagai bukti dukung e-kinerja" in text
    assert response.headers["content-disposition"] == (
        f'inline; filename="kartu-data-{PNS_NIP}-2026.pdf"'
    )
    assert response.headers["cache-control"] == "no-store"
    assert written_state(registry) == before  # a report: no number, no record, no audit entry


def test_a_letter_across_new_year_counts_its_sessions_in_their_own_years(
    client: TestClient[Any], issuing: Registry, api_keys: Keys, units: Units
) -> None:
    letter = issuing.issue(
        DocumentDraft(
            type="surat_keterangan",
            recipient=RecipientDraft(nip=PNS_NIP, name=ROSTER_NAME),
            activity=ActivityDraft(
                title="Penyusunan RAB",
                path="coaching",
                scope="nasional",
                start_date=date(2025, 12, 15),
                end_date=date(2026, 1, 12),
                sessions=(LogEntry(date=date(2025, 12, 15)), LogEntry(date=date(2026, 1, 12))),
            ),
            unit_code="DPUPR",
            details={"coach": {"name": "Ir. Bambang Sutrisno, M.T."}},
        ),
        api_keys.issuer.actor,
    ).document
    assert letter.jp == "4"
    for year in (2025, 2026):
        response = kartu(client, api_keys, PNS_NIP, f"?year={year}")
        # 2 JP in each year, the letter's 4 in brackets under it, and the year's total is 2.
        first, second = row_of(layout_lines(response.content), letter.number)
        assert " 2 " in f" {first} " and "(4)" in second
        assert "2 (dua) JP" in card_text(response)


def test_an_employee_with_nothing_that_year_gets_an_empty_card(
    client: TestClient[Any], issuing: Registry, api_keys: Keys, units: Units
) -> None:
    issue(issuing, api_keys)  # 2026: not on the 2024 card
    text = card_text(kartu(client, api_keys, PNS_NIP, "?year=2024"))
    assert ROSTER_NAME in text and "TAHUN 2024" in text
    assert "Tidak ada kegiatan pengembangan kompetensi yang tercatat pada tahun 2024" in text
    assert "0 (nol) JP" in text


def test_hostile_names_print_literally_and_an_unrostered_holder_is_named_by_the_document(
    client: TestClient[Any], issuing: Registry, api_keys: Keys, units: Units
) -> None:
    name = 'Dr. <Andi> & "Budi" {{ 7*7 }} {% raw %}'
    title = "Kursus {{ holder.name }} & <b>Tata Naskah</b>"
    document = issue(issuing, api_keys, nip=PPPK_NIP, name=name, title=title, unit_code=None)
    text = card_text(kartu(client, api_keys, PPPK_NIP, "?year=2026"))
    assert name in text
    assert title in text
    assert "49" not in text
    assert document.number in text
    # Not rostered: identity from the document (a PPPK number), signed by the agency's signer.
    assert "NI PPPK" in text and "19900913 2025 24 2 014" in text
    assert AGENCY_SIGNER in text and HEAD.name not in text


def test_the_year_defaults_to_the_current_local_year(
    client: TestClient[Any], issuing: Registry, api_keys: Keys, units: Units, clock: Clock
) -> None:
    issue(issuing, api_keys)
    # 18:00 UTC on 31 December is already 1 January in Jakarta.
    clock.current = datetime(2026, 12, 31, 18, 0, tzinfo=UTC)
    text = card_text(kartu(client, api_keys, PNS_NIP))
    assert "TAHUN 2027" in text and "0 (nol) JP" in text
    clock.current = datetime(2026, 12, 31, 16, 0, tzinfo=UTC)
    text = card_text(kartu(client, api_keys, PNS_NIP))
    assert "TAHUN 2026" in text and "8 (delapan) JP" in text


@pytest.mark.parametrize("year", ["abc", "1999", "2027", "20266", "-2026", "٢٠٢٦"])
def test_a_bad_year_is_refused_in_indonesian(
    client: TestClient[Any], api_keys: Keys, units: Units, clock: Clock, year: str
) -> None:
    clock.current = datetime(2026, 6, 1, tzinfo=UTC)
    response = kartu(client, api_keys, PNS_NIP, f"?year={year}")
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["field"] == "year"
    assert "Tahun" in response.json()["detail"]


def test_a_malformed_nip_is_422_and_an_unknown_one_404(
    client: TestClient[Any], api_keys: Keys, units: Units
) -> None:
    malformed = kartu(client, api_keys, "19850315")
    assert (malformed.status_code, malformed.json()["field"]) == (422, "nip")
    unknown = kartu(client, api_keys, "199001012015031001")
    assert unknown.status_code == 404
    assert "tidak terdaftar dan belum memiliki dokumen" in unknown.json()["detail"]


def test_a_requester_prints_only_cards_of_its_own_rostered_employees(
    client: TestClient[Any], issuing: Registry, api_keys: Keys, units: Units
) -> None:
    issue(issuing, api_keys)
    # Documents of DPUPR, but the holder is on no roster: not the unit's to print.
    issue(issuing, api_keys, nip=PPPK_NIP, name="Rina Kartika, A.Md.Kom.")
    assert ROSTER_NAME in card_text(kartu(client, api_keys, PNS_NIP, key="requester"))
    assert ROSTER_NAME in card_text(kartu(client, api_keys, PNS_NIP, key="auditor"))
    for nip, key in ((PPPK_NIP, "requester"), (PNS_NIP, "other_requester")):
        refused = kartu(client, api_keys, nip, key=key)
        assert refused.status_code == 404, refused.text
        assert "tidak terdaftar di unit" in refused.json()["detail"]
    assert client.get(f"/api/v1/employees/{PNS_NIP}/kartu").status_code == 401


@pytest.fixture
def docx_only_client(issuing: Registry) -> Iterator[TestClient[Any]]:
    with TestClient(create_app(registry=issuing)) as test_client:
        yield test_client


def test_without_libreoffice_the_card_is_503_in_indonesian(
    docx_only_client: TestClient[Any], issuing: Registry, api_keys: Keys, units: Units
) -> None:
    issue(issuing, api_keys)
    response = kartu(docx_only_client, api_keys, PNS_NIP)
    assert response.status_code == 503, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["pdf"] == "unavailable"
    assert "hanya dibuat sebagai PDF" in problem["detail"]
    assert "LibreOffice tidak terpasang" in problem["detail"]


def test_many_documents_run_over_pages_with_the_header_repeated(
    client: TestClient[Any], issuing: Registry, api_keys: Keys, units: Units
) -> None:
    numbers = [
        issue(
            issuing, api_keys, start=date(2026, 1, 1 + n), end=date(2026, 1, 1 + n), title=f"S{n}"
        ).number
        for n in range(25)
    ]
    response = kartu(client, api_keys, PNS_NIP, "?year=2026")
    text = card_text(response)
    assert all(number in text for number in numbers)
    assert "100 (seratus) JP" in text  # 25 one-day seminars, 4 JP each
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages]
    assert len(pages) >= 2
    for page in pages:
        if any(number in page for number in numbers):
            assert "Nama Pengembangan Kompetensi" in page  # the header row, on every page
    assert f"Halaman {len(pages)} dari {len(pages)}" in text
