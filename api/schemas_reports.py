"""Bodies of the yearly JP, unit report and MyASN answers (msgspec Structs). JP and points are
decimal strings (``"22.5"``), as everywhere in the API."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

from registry.domain.decimals import plain_decimal
from registry.domain.jp_reports import (
    MINIMUM_JP,
    IpAsnCompetence,
    UnitReport,
    YearlyDocument,
    YearlyJp,
)
from registry.domain.myasn import MYASN_COLUMNS, MyAsnRow
from registry.usecases.jp_reports import MyAsnExport


class IpAsnPartOut(msgspec.Struct):
    column: str  # kepemimpinan | fungsional | teknis | lainnya
    label: str
    points: str
    max_points: str
    met: bool
    #: The year's technical-training JP (column teknis only).
    jp: str | None


class IpAsnOut(msgspec.Struct):
    """IP ASN competence dimension (seed 001): null points, with the reason, when the jabatan
    type is not known."""

    jabatan_type: str | None
    points: str | None
    max_points: str
    parts: list[IpAsnPartOut]
    reason: str | None

    @classmethod
    def of(cls, score: IpAsnCompetence) -> IpAsnOut:
        return cls(
            jabatan_type=score.jabatan_type,
            points=None if score.points is None else plain_decimal(score.points),
            max_points=plain_decimal(score.max_points),
            parts=[
                IpAsnPartOut(
                    column=part.column.value,
                    label=part.label,
                    points=plain_decimal(part.points),
                    max_points=plain_decimal(part.max_points),
                    met=part.met,
                    jp=None if part.jp is None else plain_decimal(part.jp),
                )
                for part in score.parts
            ],
            reason=score.reason,
        )


class YearDocumentOut(msgspec.Struct):
    id: uuid.UUID
    number: str
    type: str
    title: str
    path: str
    scope: str
    start_date: dt.date
    end_date: dt.date
    #: The JP the document prints.
    jp: str
    #: What it counts in the report's year (after the caps across documents).
    credited_jp: str
    verify_url: str
    pdf_url: str | None

    @classmethod
    def of(cls, item: YearlyDocument) -> YearDocumentOut:
        d = item.document
        return cls(
            id=d.id,
            number=d.number,
            type=d.type,
            title=d.title,
            path=d.path,
            scope=d.scope,
            start_date=d.start_date,
            end_date=d.end_date,
            jp=plain_decimal(d.jp),
            credited_jp=plain_decimal(item.credited),
            verify_url=d.verify_url,
            pdf_url=d.pdf_url,
        )


def _by_path(row: YearlyJp) -> dict[str, str]:
    return {path: plain_decimal(jp) for path, jp in row.by_path.items()}


class EmployeeJp(msgspec.Struct, omit_defaults=True, kw_only=True):
    """An employee's JP of one year. ``ceiling`` appears only where one applies (PPPK under
    tangsel-2022: 24)."""

    nip: str
    name: str
    employment: str
    jabatan_type: str | None
    unit_code: str | None
    #: Listed in a unit's roster (False: the identity is the latest document's).
    rostered: bool
    year: int
    jp_rules: str
    total: str
    by_path: dict[str, str]
    minimum: str
    met: bool
    ceiling: str | None = None
    ip_asn: IpAsnOut
    documents: list[YearDocumentOut]

    @classmethod
    def of(cls, row: YearlyJp) -> EmployeeJp:
        employee = row.employee
        return cls(
            nip=employee.nip,
            name=employee.name,
            employment=employee.employment,
            jabatan_type=employee.jabatan_type,
            unit_code=employee.unit_code,
            rostered=employee.rostered,
            year=row.year,
            jp_rules=row.rule_set,
            total=plain_decimal(row.total),
            by_path=_by_path(row),
            minimum=plain_decimal(row.minimum),
            met=row.met,
            ceiling=None if row.ceiling is None else plain_decimal(row.ceiling),
            ip_asn=IpAsnOut.of(row.ip_asn),
            documents=[YearDocumentOut.of(item) for item in row.documents],
        )


class UnitReportRow(msgspec.Struct, omit_defaults=True, kw_only=True):
    nip: str
    name: str
    unit_code: str | None
    employment: str
    jabatan_type: str | None
    position: str | None
    total: str
    by_path: dict[str, str]
    met: bool
    ceiling: str | None = None
    ip_asn: IpAsnOut

    @classmethod
    def of(cls, row: YearlyJp) -> UnitReportRow:
        employee = row.employee
        return cls(
            nip=employee.nip,
            name=employee.name,
            unit_code=employee.unit_code,
            employment=employee.employment,
            jabatan_type=employee.jabatan_type,
            position=employee.position,
            total=plain_decimal(row.total),
            by_path=_by_path(row),
            met=row.met,
            ceiling=None if row.ceiling is None else plain_decimal(row.ceiling),
            ip_asn=IpAsnOut.of(row.ip_asn),
        )


class UnitJpReport(msgspec.Struct, kw_only=True):
    """Every rostered employee of the unit (of every unit when ``unit`` is null): those who
    have not met the minimum first, then by name."""

    year: int
    unit: str | None
    unit_name: str | None
    jp_rules: str
    minimum: str
    employees: int
    met: int
    not_met: int
    rows: list[UnitReportRow]

    @classmethod
    def of(cls, report: UnitReport) -> UnitJpReport:
        return cls(
            year=report.year,
            unit=report.unit_code,
            unit_name=report.unit_name,
            jp_rules=report.rule_set,
            minimum=plain_decimal(MINIMUM_JP),
            employees=len(report.rows),
            met=report.met,
            not_met=report.not_met,
            rows=[UnitReportRow.of(row) for row in report.rows],
        )


class MyAsnRowOut(msgspec.Struct):
    """One MyASN "Riwayat Diklat" entry. The keys are the form's own fields (seed 002) in
    snake_case, as an integrator maps them; dates ``dd-mm-yyyy``."""

    document_id: str
    jenis_diklat: str
    nama_diklat: str
    institusi_penyelenggara: str
    nomor_sertifikat: str
    tahun_diklat: int
    tanggal_mulai: str
    tanggal_selesai: str
    durasi_jam: str
    #: Not recorded by the registry: the employee picks it in MyASN.
    rumpun_diklat: str | None
    #: SIASN ``jenisDiklatId`` (1-25).
    jenis_diklat_id: int
    pdf_url: str | None
    verify_url: str

    @classmethod
    def of(cls, row: MyAsnRow) -> MyAsnRowOut:
        return cls(
            document_id=row.document_id,
            jenis_diklat=row.jenis_diklat,
            nama_diklat=row.nama_diklat,
            institusi_penyelenggara=row.institusi_penyelenggara,
            nomor_sertifikat=row.nomor_sertifikat,
            tahun_diklat=row.tahun_diklat,
            tanggal_mulai=row.tanggal_mulai,
            tanggal_selesai=row.tanggal_selesai,
            durasi_jam=plain_decimal(row.durasi_jam),
            rumpun_diklat=row.rumpun_diklat,
            jenis_diklat_id=row.jenis_diklat_id,
            pdf_url=row.pdf_url,
            verify_url=row.verify_url,
        )


class MyAsnOut(msgspec.Struct):
    nip: str
    name: str
    year: int
    #: The CSV's column headings, in order: the MyASN form's labels, then jenisDiklatId and links.
    columns: list[str]
    rows: list[MyAsnRowOut]

    @classmethod
    def of(cls, export: MyAsnExport) -> MyAsnOut:
        return cls(
            nip=export.employee.nip,
            name=export.employee.name,
            year=export.year,
            columns=list(MYASN_COLUMNS),
            rows=[MyAsnRowOut.of(row) for row in export.rows],
        )
