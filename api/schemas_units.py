"""Request and response bodies of the units and rosters API (msgspec Structs)."""

from __future__ import annotations

from datetime import datetime

import msgspec

from registry.domain.units import HeadDraft, UnitDraft, UnitHead
from registry.usecases.units import EmployeeView, RosterImport, UnitView


class HeadIn(msgspec.Struct, forbid_unknown_fields=True):
    name: str | None = None
    nip: str | None = None
    rank: str | None = None
    position: str | None = None


class UnitIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    code: str
    name: str
    head: HeadIn | None = None

    def to_draft(self) -> UnitDraft:
        head = self.head
        return UnitDraft(
            code=self.code,
            name=self.name,
            head=HeadDraft(head.name, head.nip, head.rank, head.position) if head else None,
        )


class HeadOut(msgspec.Struct):
    name: str
    nip: str
    employment: str
    rank: str
    position: str

    @classmethod
    def of(cls, head: UnitHead | None) -> HeadOut | None:
        if head is None:
            return None
        return cls(head.name, head.nip, head.employment, head.rank, head.position)


class UnitOut(msgspec.Struct):
    code: str
    name: str
    head: HeadOut | None
    employees: int
    employees_url: str
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_view(cls, view: UnitView) -> UnitOut:
        return cls(
            code=view.code,
            name=view.name,
            head=HeadOut.of(view.head),
            employees=view.employees,
            employees_url=f"/api/v1/units/{view.code}/employees",
            created_at=view.created_at,
            updated_at=view.updated_at,
        )


class UnitList(msgspec.Struct):
    units: list[UnitOut]


class EmployeeOut(msgspec.Struct):
    nip: str
    unit_code: str
    name: str
    employment: str
    jabatan_type: str | None
    position: str | None
    rank: str | None
    updated_at: datetime

    @classmethod
    def from_view(cls, view: EmployeeView) -> EmployeeOut:
        return cls(
            nip=view.nip,
            unit_code=view.unit_code,
            name=view.name,
            employment=view.employment,
            jabatan_type=view.jabatan_type,
            position=view.position,
            rank=view.rank,
            updated_at=view.updated_at,
        )


class EmployeeList(msgspec.Struct):
    unit_code: str
    employees: list[EmployeeOut]


class RosterImported(msgspec.Struct):
    unit_code: str
    rows: int
    created: int
    updated: int
    unchanged: int
    #: Employees of the unit the file did not list; they stay rostered.
    not_in_file: int

    @classmethod
    def from_result(cls, result: RosterImport) -> RosterImported:
        return cls(
            unit_code=result.unit_code,
            rows=result.rows,
            created=result.created,
            updated=result.updated,
            unchanged=result.unchanged,
            not_in_file=result.not_in_file,
        )
