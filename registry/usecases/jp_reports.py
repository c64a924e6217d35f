"""Yearly JP of an employee, a unit's JP report and the MyASN rows: who may read which, and the
reads behind them.

The JP come from :func:`registry.adapters.db.credits.credited_documents` (valid documents only: a
revoked or superseded document credits nothing) and the people from the roster (``employees``),
so a unit's report lists every rostered employee, including those without a single document.

Issuers and auditors read every unit. A requester reads its own unit only: another unit's report
is refused (403), and an employee who is not rostered in its unit is answered as not found (404),
as every other cross-unit read is, so the answer does not tell whether the NIP exists elsewhere.
Issuers and auditors may also ask about a NIP no roster lists: the identity is then the one on
the holder's latest valid document, and the jabatan type (so the IP ASN points) is unknown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.adapters import exports
from registry.adapters.db import credits
from registry.adapters.db.engine import Database
from registry.adapters.db.schema import Document, Employee, Unit
from registry.domain.actors import Actor
from registry.domain.errors import InvalidInput, NotFound, PermissionDenied
from registry.domain.jp_reports import (
    IP_ASN_CAREER_PATHS,
    EmployeeIdentity,
    UnitReport,
    YearlyJp,
    unit_report,
    unit_report_table,
    yearly_jp,
)
from registry.domain.links import PublicLinks
from registry.domain.myasn import MyAsnRow, myasn_rows, myasn_table
from registry.domain.nip import parse_employee_number
from registry.domain.units import parse_code

__all__ = ["JpReports", "MyAsnExport"]


@dataclass(frozen=True)
class MyAsnExport:
    employee: EmployeeIdentity
    year: int
    rows: tuple[MyAsnRow, ...]


class JpReports:
    def __init__(
        self, db: Database, links: PublicLinks, *, rule_set: str, today: Callable[[], date]
    ) -> None:
        self.db = db
        self.links = links
        self.rule_set = rule_set
        self._today = today

    def employee_year(self, nip: str, year: int, actor: Actor) -> YearlyJp:
        """The employee's JP of ``year``: total, per path, the minimum, IP ASN, the documents."""
        digits = self._nip(nip)
        with self.db.reading() as session:
            employee = _identity(session, digits, actor)
            return self._yearly(session, [employee], year)[0]

    def unit_report(self, unit: str | None, year: int, actor: Actor) -> UnitReport:
        """Every employee rostered in ``unit`` with their JP of ``year``; without a unit, a
        requester's own unit, and for issuers and auditors every unit's roster."""
        code = _unit_code(unit)
        if not actor.sees_every_unit:
            if actor.unit_code is None or (code is not None and code != actor.unit_code):
                # Said to a console user and an API key alike, so it names neither.
                raise PermissionDenied(
                    f"Anda hanya dapat membaca laporan unit {actor.unit_code or '-'}"
                )
            code = actor.unit_code
        with self.db.reading() as session:
            name = None
            query = select(Employee).order_by(Employee.unit_code, Employee.name, Employee.nip)
            if code is not None:
                found = session.get(Unit, code)
                if found is None:
                    raise NotFound(f"Unit {code!r} tidak ditemukan")
                name = found.name
                query = query.where(Employee.unit_code == code)
            roster = [_rostered(row) for row in session.execute(query).scalars()]
            rows = self._yearly(session, roster, year)
        return unit_report(year, self.rule_set, code, name, rows)

    def myasn(self, nip: str, year: int, actor: Actor) -> MyAsnExport:
        """One MyASN "Riwayat Diklat" row per valid document of the employee that ended in
        ``year``."""
        digits = self._nip(nip)
        with self.db.reading() as session:
            employee = _identity(session, digits, actor)
            documents = credits.credited_documents(session, [digits], year, self.links)
        return MyAsnExport(employee, year, myasn_rows(documents.get(digits, []), year))

    @staticmethod
    def unit_report_file(report: UnitReport, format: str) -> exports.ExportFile:
        return exports.render(unit_report_table(report), format)

    @staticmethod
    def myasn_file(export: MyAsnExport, format: str) -> exports.ExportFile:
        return exports.render(myasn_table(export.employee.nip, export.year, export.rows), format)

    def _nip(self, nip: str) -> str:
        return parse_employee_number(nip, None, today=self._today(), field="nip").digits

    def _yearly(
        self, session: Session, employees: Sequence[EmployeeIdentity], year: int
    ) -> list[YearlyJp]:
        nips = [employee.nip for employee in employees]
        documents = credits.credited_documents(session, nips, year, self.links)
        completed = credits.completed_paths(session, nips, date(year, 12, 31), IP_ASN_CAREER_PATHS)
        return [
            yearly_jp(
                employee,
                documents.get(employee.nip, []),
                year,
                rule_set=self.rule_set,
                completed_paths=completed.get(employee.nip, set()),
            )
            for employee in employees
        ]


def _unit_code(unit: str | None) -> str | None:
    if unit is None:
        return None
    try:
        return parse_code(unit)
    except InvalidInput as error:
        error.field = "unit"  # as the query parameter is named
        raise


def _identity(session: Session, nip: str, actor: Actor) -> EmployeeIdentity:
    employee = session.get(Employee, nip)
    if actor.sees_every_unit:
        if employee is not None:
            return _rostered(employee)
        latest = session.execute(
            select(Document)
            .where(Document.nip == nip, Document.status == "issued")
            .order_by(Document.end_date.desc(), Document.issued_at.desc())
            .limit(1)
        ).scalar()
        if latest is None:
            raise NotFound("Tidak ada pegawai terdaftar maupun dokumen sah dengan NIP ini")
        return EmployeeIdentity(
            nip=nip,
            name=latest.holder_name,
            employment=latest.employment,
            jabatan_type=None,
            unit_code=None,
            position=latest.holder_position,
            rostered=False,
        )
    if employee is None or employee.unit_code != actor.unit_code:
        unit = actor.unit_code or "-"
        raise NotFound(f"Pegawai dengan NIP ini tidak terdaftar di daftar pegawai unit {unit}")
    return _rostered(employee)


def _rostered(employee: Employee) -> EmployeeIdentity:
    return EmployeeIdentity(
        nip=employee.nip,
        name=employee.name,
        employment=employee.employment,
        jabatan_type=employee.jabatan_type,
        unit_code=employee.unit_code,
        position=employee.position,
        rank=employee.rank,
    )
