"""Work units and their employee rosters: who may change them, and the audit entry of each change.

Issuers, admins (and the operator at the CLI) add and update units. A requester belongs to one
unit: it sees only that unit and may import only that unit's roster. Auditors read everything.

A roster import is all or nothing (see :mod:`registry.domain.roster_rows`) and updates by NIP.
Employees of the unit that the new file no longer lists **stay rostered**: a SIMPEG export is often
filtered (one bidang, only PNS), and an employee who left in the middle of the year must still
appear in that year's JP report with the JP they earned. The import's answer counts them
(``not_in_file``) so the unit can see who they are; removing an employee is not part of this use
case.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from registry.adapters.db import audit
from registry.adapters.db.engine import Database
from registry.adapters.db.schema import Employee, Unit
from registry.adapters.spreadsheets import read_rows
from registry.domain.actors import Actor
from registry.domain.agency import Signer
from registry.domain.errors import Conflict, NotFound, PermissionDenied
from registry.domain.roster_rows import (
    ROSTER_COLUMNS,
    RosterEmployee,
    invalid_rows,
    validate_roster,
)
from registry.domain.units import (
    UnitDraft,
    UnitHead,
    ValidUnit,
    head_signer,
    parse_code,
    validate_unit,
)
from registry.domain.views import as_utc

__all__ = ["EmployeeView", "RosterImport", "UnitView", "Units", "unit_signer"]

# Who may do what; the CLI's operator counts as an issuer. The admin manages units and their
# heads in the console's Pengaturan (the issue: "admin: users, units, keys").
_MANAGERS = ("issuer", "operator", "admin")
_READERS = ("issuer", "operator", "auditor", "admin")
# Rows looked up per query when matching a roster against the stored one (bound-parameter limits).
_LOOKUP_CHUNK = 500


@dataclass(frozen=True)
class UnitView:
    code: str
    name: str
    head: UnitHead | None
    employees: int
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class EmployeeView:
    nip: str
    unit_code: str
    name: str
    employment: str
    jabatan_type: str | None
    position: str | None
    rank: str | None
    updated_at: datetime


@dataclass(frozen=True)
class SavedUnit:
    unit: UnitView
    created: bool


@dataclass(frozen=True)
class RosterImport:
    unit_code: str
    rows: int
    created: int
    updated: int
    unchanged: int
    #: Employees of the unit not listed in this file; they stay rostered (module docstring).
    not_in_file: int


class Units:
    def __init__(
        self, db: Database, *, now: Callable[[], datetime], today: Callable[[], date]
    ) -> None:
        self.db = db
        self._now = now
        self._today = today

    # -- units ---------------------------------------------------------------------------------

    def save(self, draft: UnitDraft, actor: Actor, *, must_be_new: bool = False) -> SavedUnit:
        """Add a unit, or update the one with this code (its name and head, e.g. a new head).

        ``must_be_new`` is an "add" form's: a code already registered is refused rather than
        the existing unit's name and head silently replaced.
        """
        _require(actor, _MANAGERS, "mengelola unit")
        valid = validate_unit(draft, today=self._today())
        with self.db.writing() as session:
            now = self._now()
            unit = session.execute(
                select(Unit).where(Unit.code == valid.code).with_for_update()
            ).scalar()
            created = unit is None
            if must_be_new and unit is not None:
                raise Conflict(
                    f"Unit {valid.code!r} sudah terdaftar ({unit.name}). Ubah unit itu dari "
                    "daftar unit, atau pakai kode lain.",
                    field="code",
                )
            before = None if unit is None else _unit_fields(unit)
            if unit is None:
                unit = Unit(code=valid.code, created_at=now, updated_at=now, name=valid.name)
                session.add(unit)
            _apply(unit, valid)
            after = _unit_fields(unit)
            if created or after != before:
                unit.updated_at = now
                audit.append(
                    session,
                    at=now,
                    actor=actor.label,
                    action="unit.create" if created else "unit.update",
                    subject=valid.code,
                    details={"before": before, "after": after},
                )
            session.flush()
            return SavedUnit(self._view(session, unit), created)

    def list_units(self, actor: Actor) -> list[UnitView]:
        with self.db.reading() as session:
            query = select(Unit).order_by(Unit.code)
            if actor.role not in _READERS:
                query = query.where(Unit.code == _own_unit(actor))
            return [self._view(session, unit) for unit in session.execute(query).scalars()]

    def get(self, code: str, actor: Actor) -> UnitView:
        code = parse_code(code)
        _may_see(actor, code)
        with self.db.reading() as session:
            return self._view(session, _unit(session, code))

    # -- rosters -------------------------------------------------------------------------------

    def import_roster(
        self, code: str, data: bytes, actor: Actor, *, filename: str | None = None
    ) -> RosterImport:
        """Check every row of a CSV/XLSX roster, then create or update its employees by NIP."""
        code = parse_code(code)
        if actor.role not in _MANAGERS:
            _require(actor, ("requester",), "mengimpor daftar pegawai")
            _may_see(actor, code)
        with self.db.reading() as session:
            unit_name = _unit(session, code).name
        rows = read_rows(data, filename=filename, media_type=None, columns=ROSTER_COLUMNS)
        roster = validate_roster(rows, unit_code=code, unit_name=unit_name, today=self._today())
        with self.db.writing() as session:
            now = self._now()
            # The unit's row lock orders two imports of one unit; the second sees the first.
            unit = session.execute(select(Unit).where(Unit.code == code).with_for_update()).scalar()
            if unit is None:
                raise NotFound(f"Unit {code!r} tidak ditemukan")
            stored = _stored(session, [employee.nip for employee in roster])
            _refuse_moves(roster, stored, actor, code)
            created = updated = 0
            for entry in roster:
                employee = stored.get(entry.nip)
                if employee is None:
                    session.add(_new_employee(entry, code, now))
                    created += 1
                elif _update(employee, entry, code):
                    employee.updated_at = now
                    updated += 1
            session.flush()
            listed = {entry.nip for entry in roster}
            rostered = session.execute(
                select(Employee.nip).where(Employee.unit_code == code)
            ).scalars()
            result = RosterImport(
                unit_code=code,
                rows=len(roster),
                created=created,
                updated=updated,
                unchanged=len(roster) - created - updated,
                not_in_file=sum(1 for nip in rostered if nip not in listed),
            )
            audit.append(
                session,
                at=now,
                actor=actor.label,
                action="roster.import",
                subject=code,
                # Counts and the file's hash, not the NIPs: the log is read more widely than the
                # roster, and the file itself identifies what was imported.
                details={
                    "file_sha256": hashlib.sha256(data).hexdigest(),
                    "rows": result.rows,
                    "created": result.created,
                    "updated": result.updated,
                    "not_in_file": result.not_in_file,
                },
            )
            return result

    def employees(self, code: str, actor: Actor) -> list[EmployeeView]:
        code = parse_code(code)
        _may_see(actor, code)
        with self.db.reading() as session:
            _unit(session, code)
            query = select(Employee).where(Employee.unit_code == code).order_by(Employee.name)
            return [_employee_view(employee) for employee in session.execute(query).scalars()]

    def _view(self, session: Session, unit: Unit) -> UnitView:
        count = session.execute(
            select(func.count()).select_from(Employee).where(Employee.unit_code == unit.code)
        ).scalar_one()
        return UnitView(
            code=unit.code,
            name=unit.name,
            head=_head(unit),
            employees=count,
            created_at=as_utc(unit.created_at),
            updated_at=as_utc(unit.updated_at),
        )


def unit_signer(session: Session, unit_code: str | None) -> Signer | None:
    """The head who signs the unit's surat keterangan, or None: then the agency's signer signs."""
    if unit_code is None:
        return None
    unit = session.get(Unit, unit_code)
    head = _head(unit) if unit is not None else None
    return head_signer(head) if head is not None else None


def _require(actor: Actor, roles: Sequence[str], what: str) -> None:
    if actor.role not in roles:
        raise PermissionDenied(f"Peran {actor.role!r} tidak diizinkan {what}")


def _own_unit(actor: Actor) -> str | None:
    return actor.unit_code if actor.role == "requester" else None


def _may_see(actor: Actor, code: str) -> None:
    if actor.role in _READERS:
        return
    if actor.role != "requester" or actor.unit_code != code:
        raise PermissionDenied(f"Kunci API ini hanya untuk unit {actor.unit_code or '-'}")


def _unit(session: Session, code: str) -> Unit:
    unit = session.get(Unit, code)
    if unit is None:
        raise NotFound(f"Unit {code!r} tidak ditemukan; daftarkan dulu dengan POST /api/v1/units")
    return unit


def _head(unit: Unit) -> UnitHead | None:
    if unit.head_name is None or unit.head_nip is None:
        return None
    return UnitHead(
        name=unit.head_name,
        nip=unit.head_nip,
        employment=unit.head_employment or "pns",
        rank=unit.head_rank or "",
        position=unit.head_position or "",
    )


def _apply(unit: Unit, valid: ValidUnit) -> None:
    unit.name = valid.name
    head = valid.head
    unit.head_name = head.name if head else None
    unit.head_nip = head.nip if head else None
    unit.head_employment = head.employment if head else None
    unit.head_rank = head.rank if head else None
    unit.head_position = head.position if head else None


def _unit_fields(unit: Unit) -> dict[str, str | None]:
    return {
        "name": unit.name,
        "head_name": unit.head_name,
        "head_nip": unit.head_nip,
        "head_employment": unit.head_employment,
        "head_rank": unit.head_rank,
        "head_position": unit.head_position,
    }


def _stored(session: Session, nips: Sequence[str]) -> dict[str, Employee]:
    found: dict[str, Employee] = {}
    for start in range(0, len(nips), _LOOKUP_CHUNK):
        chunk = nips[start : start + _LOOKUP_CHUNK]
        query = select(Employee).where(Employee.nip.in_(chunk)).with_for_update()
        found.update((employee.nip, employee) for employee in session.execute(query).scalars())
    return found


def _refuse_moves(
    roster: Sequence[RosterEmployee], stored: dict[str, Employee], actor: Actor, code: str
) -> None:
    """A unit's requester may not take another unit's employee; BPSDM records transfers."""
    if actor.role in _MANAGERS:
        return
    errors = [
        {
            "row": entry.row,
            "column": "nip",
            "detail": f"Pegawai ini terdaftar di unit {stored[entry.nip].unit_code}; "
            "perpindahan unit dicatat oleh BPSDM",
        }
        for entry in roster
        if entry.nip in stored and stored[entry.nip].unit_code != code
    ]
    if errors:
        raise invalid_rows(errors)


def _new_employee(entry: RosterEmployee, code: str, now: datetime) -> Employee:
    return Employee(
        nip=entry.nip,
        unit_code=code,
        name=entry.name,
        employment=entry.employment,
        jabatan_type=entry.jabatan_type,
        position=entry.position,
        rank=entry.rank,
        updated_at=now,
    )


def _update(employee: Employee, entry: RosterEmployee, code: str) -> bool:
    """Bring the stored employee to the file's values; True when anything changed.

    An empty optional cell leaves the stored value alone: an export without the rank column must
    not erase the ranks an earlier, fuller export gave.
    """
    changed = False
    values = {
        "unit_code": code,
        "name": entry.name,
        "employment": entry.employment,
        "jabatan_type": entry.jabatan_type,
        "position": entry.position,
        "rank": entry.rank,
    }
    for column, value in values.items():
        if value is not None and getattr(employee, column) != value:
            setattr(employee, column, value)
            changed = True
    return changed


def _employee_view(employee: Employee) -> EmployeeView:
    return EmployeeView(
        nip=employee.nip,
        unit_code=employee.unit_code,
        name=employee.name,
        employment=employee.employment,
        jabatan_type=employee.jabatan_type,
        position=employee.position,
        rank=employee.rank,
        updated_at=as_utc(employee.updated_at),
    )
