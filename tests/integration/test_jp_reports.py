"""The JP report use cases on both backends: which documents count, in which year, for whom."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

import pytest

from registry.domain.actors import Actor
from registry.domain.errors import NotFound, PermissionDenied
from registry.domain.units import UnitDraft
from registry.usecases.issuing import Registry
from registry.usecases.jp_reports import JpReports
from registry.usecases.units import Units
from tests.support.drafts import PNS_NIP, distinct_nips, draft

ISSUER = Actor(id="test-issuer", role="issuer")
DPUPR = Actor(id="req-dpupr", role="requester", unit_code="DPUPR")
DINKES = Actor(id="req-dinkes", role="requester", unit_code="DINKES")


def reports_of(registry: Registry) -> JpReports:
    return JpReports(
        registry.db, registry.links, rule_set=registry.settings.jp_rules, today=registry.local_today
    )


def roster(registry: Registry, unit: str, *lines: str) -> None:
    units = Units(registry.db, now=registry.now, today=registry.local_today)
    units.save(UnitDraft(unit, f"Unit {unit}"), ISSUER)
    if not lines:
        return
    data = ("\n".join(["NIP,Nama,Jenis Jabatan", *lines]) + "\n").encode()
    units.import_roster(unit, data, ISSUER, filename="pegawai.csv")


def pim(registry: Registry, start: date, end: date, jp: str = "40") -> uuid.UUID:
    document = registry.issue(
        draft(type="sttp", path="pelatihan_struktural", start=start, end=end, jp=Decimal(jp),
              title="Pelatihan Kepemimpinan Pengawas"),
        ISSUER,
    ).document  # fmt: skip
    return document.id


def test_a_leadership_training_of_an_earlier_year_keeps_its_ip_asn_points(
    registry: Registry,
) -> None:
    roster(registry, "DPUPR", f"{PNS_NIP},Siti,struktural")
    pim(registry, date(2024, 9, 2), date(2024, 10, 4))
    reports = reports_of(registry)
    for year, expected in ((2023, 0), (2024, 15), (2026, 15)):
        score = reports.employee_year(PNS_NIP, year, ISSUER).ip_asn
        kepemimpinan = score.parts[0]
        assert (kepemimpinan.column, kepemimpinan.points) == ("kepemimpinan", expected), year
    # Its JP count in 2024 only.
    assert reports.employee_year(PNS_NIP, 2024, ISSUER).total == 40
    assert reports.employee_year(PNS_NIP, 2026, ISSUER).total == 0


def test_revoked_and_superseded_documents_count_nothing_their_replacement_counts(
    registry: Registry,
) -> None:
    roster(registry, "DPUPR", f"{PNS_NIP},Siti,struktural")
    revoked = pim(registry, date(2025, 3, 3), date(2025, 3, 7))
    registry.revoke(revoked, "Peserta tidak hadir", ISSUER)
    replaced = pim(registry, date(2025, 5, 5), date(2025, 5, 9), jp="30")
    registry.supersede(
        replaced,
        draft(type="sttp", path="pelatihan_struktural", start=date(2025, 5, 5),
              end=date(2025, 5, 9), jp=Decimal("32"), title="Pelatihan Kepemimpinan Pengawas"),
        "JP salah tulis",
        ISSUER,
    )  # fmt: skip
    year = reports_of(registry).employee_year(PNS_NIP, 2025, ISSUER)
    assert (year.total, dict(year.by_path)) == (Decimal(32), {"pelatihan_struktural": 32})
    assert len(year.documents) == 1
    assert year.ip_asn.parts[0].met  # the replacement is a valid leadership training


def test_a_revoked_leadership_training_gives_no_ip_asn_points(registry: Registry) -> None:
    roster(registry, "DPUPR", f"{PNS_NIP},Siti,struktural")
    registry.revoke(pim(registry, date(2024, 3, 4), date(2024, 3, 8)), "Salah", ISSUER)
    score = reports_of(registry).employee_year(PNS_NIP, 2026, ISSUER).ip_asn
    assert (score.points, score.parts[0].met) == (Decimal(0), False)


def test_a_unit_report_covers_a_roster_larger_than_one_query_chunk(registry: Registry) -> None:
    nips = distinct_nips(1201)
    roster(registry, "DPUPR", *(f"{nip},Pegawai {n:04d},pelaksana" for n, nip in enumerate(nips)))
    registry.issue(draft(nip=nips[-1], name="Pegawai 1200"), ISSUER)
    report = reports_of(registry).unit_report("DPUPR", 2026, DPUPR)
    assert len(report.rows) == 1201
    assert (report.met, report.not_met) == (0, 1201)
    # Not met by anyone, so by name; the one with a seminar has its 8 JP.
    assert report.rows[-1].employee.nip == nips[-1]
    assert report.rows[-1].total == 8
    assert {row.total for row in report.rows[:-1]} == {Decimal(0)}


def test_requesters_are_kept_to_their_unit(registry: Registry) -> None:
    roster(registry, "DPUPR", f"{PNS_NIP},Siti,fungsional")
    roster(registry, "DINKES")
    reports = reports_of(registry)
    with pytest.raises(PermissionDenied):
        reports.unit_report("DPUPR", 2026, DINKES)
    assert reports.unit_report(None, 2026, DINKES).rows == ()
    with pytest.raises(NotFound):
        reports.employee_year(PNS_NIP, 2026, DINKES)
    with pytest.raises(NotFound):
        reports.myasn(PNS_NIP, 2026, DINKES)
    assert reports.employee_year(PNS_NIP, 2026, DPUPR).employee.unit_code == "DPUPR"
