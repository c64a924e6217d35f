"""A unit's employee roster, as a SIMPEG export gives it: checked row by row, all or nothing.

The file is read like a batch participant list (:mod:`registry.adapters.spreadsheets`, same header
rules, same CSV/XLSX handling, same refusal of a NIP Excel stored as a number); its columns are:

| column | Indonesian aliases | required | goes to |
| --- | --- | --- | --- |
| ``nip`` | ``ni_pppk`` | yes | NIP (PNS) or NI PPPK, 18 digits, spaces allowed |
| ``name`` | ``nama`` | yes | name with titles as printed |
| ``unit`` | ``unit_kerja`` | no | must name the unit the roster is uploaded for (code or name) |
| ``employment`` | ``status``, ``status_kepegawaian`` | no | ``PNS`` (or ``CPNS``) or ``PPPK``; read from the NIP when absent |
| ``jabatan_type`` | ``jenis_jabatan`` | no | ``struktural``, ``fungsional`` or ``pelaksana`` |
| ``position`` | ``jabatan`` | no | position |
| ``rank`` | ``pangkat``, ``pangkat_golongan`` | no | rank/grade, e.g. "Penata (III/c)" |
| ``no`` | ``nomor``, ``no_urut`` | no | ignored |

One bad row refuses the whole file: :class:`RosterInvalid` lists every ``{row, column, detail}``
and nothing is imported. Pure: rows in, frozen dataclasses out.
"""  # noqa: E501

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from registry.domain.errors import InvalidInput
from registry.domain.nip import Employment, parse_employee_number
from registry.domain.table_columns import ROW, ColumnSet
from registry.domain.text import clean_text, optional_text

__all__ = [
    "JABATAN_TYPES",
    "MAX_ROWS",
    "ROSTER_COLUMNS",
    "RosterEmployee",
    "RosterInvalid",
    "validate_roster",
]

T = TypeVar("T")

MAX_ROWS = 20000
MAX_ERRORS = 100
JABATAN_TYPES = ("struktural", "fungsional", "pelaksana")
_ALIASES: dict[str, tuple[str, ...]] = {
    "nip": ("ni_pppk",),
    "name": ("nama",),
    "unit": ("unit_kerja",),
    "employment": ("status", "status_kepegawaian"),
    "jabatan_type": ("jenis_jabatan",),
    "position": ("jabatan",),
    "rank": ("pangkat", "pangkat_golongan"),
}
# A CPNS already holds a NIP of the PNS structure and is counted as PNS by the JP rules.
_EMPLOYMENTS = {"pns": Employment.PNS, "cpns": Employment.PNS, "pppk": Employment.PPPK}


class RosterInvalid(InvalidInput):
    """Some rows are refused; ``extra["errors"]`` lists ``{"row", "column", "detail"}``."""


def invalid_rows(errors: list[dict[str, Any]]) -> RosterInvalid:
    rows = len({error["row"] for error in errors})
    return RosterInvalid(
        f"{rows} baris daftar pegawai tidak valid; tidak ada pegawai yang diimpor. "
        "Perbaiki baris yang disebut lalu unggah ulang seluruh daftar.",
        field="file",
        errors=errors[:MAX_ERRORS],
        error_count=len(errors),
        invalid_rows=rows,
    )


ROSTER_COLUMNS = ColumnSet(
    aliases=_ALIASES,
    required=("nip", "name"),
    max_rows=MAX_ROWS,
    label="Daftar pegawai",
    invalid_rows=invalid_rows,
)


@dataclass(frozen=True)
class RosterEmployee:
    row: int
    nip: str  # 18 digits
    name: str
    employment: str  # pns | pppk
    jabatan_type: str | None
    position: str | None
    rank: str | None


def validate_roster(
    rows: Iterable[Mapping[str, str]], *, unit_code: str, unit_name: str, today: date
) -> list[RosterEmployee]:
    """Every row checked; any refusal raises one :class:`RosterInvalid` naming all of them."""
    errors: list[dict[str, Any]] = []
    employees: list[RosterEmployee] = []
    first_row_of: dict[str, int] = {}
    for row in rows:
        number = int(row[ROW])
        try:
            employee = _employee(number, row, unit_code=unit_code, unit_name=unit_name, today=today)
        except InvalidInput as error:
            errors.append({"row": number, "column": error.field, "detail": error.message})
            continue
        if employee.nip in first_row_of:
            detail = f"NIP sama dengan baris {first_row_of[employee.nip]}"
            errors.append({"row": number, "column": "nip", "detail": detail})
            continue
        first_row_of[employee.nip] = number
        employees.append(employee)
    if errors:
        raise invalid_rows(errors)
    if not employees:
        raise InvalidInput("Daftar pegawai kosong", field="file")
    return employees


def _employee(
    row: int, values: Mapping[str, str], *, unit_code: str, unit_name: str, today: date
) -> RosterEmployee:
    def cell(column: str) -> str | None:
        return (values.get(column) or "").strip() or None

    unit = cell("unit")
    if unit is not None and _folded(unit) not in {_folded(unit_code), _folded(unit_name)}:
        raise InvalidInput(
            f"Unit kerja {unit!r} bukan unit {unit_code} ({unit_name}); "
            "unggah daftar pegawai tiap unit ke unitnya sendiri",
            field="unit",
        )
    employment = _employment(cell("employment"))
    nip = cell("nip")
    if nip is None:
        raise InvalidInput("NIP wajib diisi", field="nip")
    number = parse_employee_number(nip, employment, today=today, field="nip")
    return RosterEmployee(
        row=row,
        nip=number.digits,
        name=_cell_error(lambda: clean_text(cell("name"), "name", required=True), "name"),
        employment=number.employment.value,
        jabatan_type=_jabatan_type(cell("jabatan_type")),
        position=_cell_error(lambda: optional_text(cell("position"), "position"), "position"),
        rank=_cell_error(lambda: optional_text(cell("rank"), "rank"), "rank"),
    )


def _cell_error(check: Callable[[], T], column: str) -> T:
    """Run a field check whose error must name the roster column, whatever field it named."""
    try:
        return check()
    except InvalidInput as error:
        raise InvalidInput(error.message, field=column) from None


def _employment(value: str | None) -> Employment | None:
    if value is None:
        return None
    try:
        return _EMPLOYMENTS[value.strip().lower()]
    except KeyError:
        raise InvalidInput(
            f"Status kepegawaian harus PNS atau PPPK (diterima {value!r})", field="employment"
        ) from None


def _jabatan_type(value: str | None) -> str | None:
    if value is None:
        return None
    # SIMPEG exports write "Jabatan Fungsional" as often as "Fungsional".
    folded = _folded(value).removeprefix("jabatan ")
    if folded not in JABATAN_TYPES:
        raise InvalidInput(
            f"Jenis jabatan harus salah satu dari: {', '.join(JABATAN_TYPES)} (diterima {value!r})",
            field="jabatan_type",
        )
    return folded


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()
