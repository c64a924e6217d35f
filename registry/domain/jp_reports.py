"""Yearly JP of an employee, a unit's compliance with the 20 JP minimum, and the IP ASN points.

Everything here is computed from plain records: an employee's identity (as the roster holds it)
and the :class:`~registry.domain.credits.CreditedDocument` s of their valid documents. A document
counts in the year its credited activity or session ended (``CreditedDocument.credited_in``): a
coaching letter with sessions on 30 December and 2 January counts 2 JP in each year.

* **Minimum**: PP 11/2017 as amended by PP 17/2020 (seed 001): "paling sedikit 20 (dua puluh) jam
  pelajaran dalam 1 (satu) tahun". The same 20 JP is shown as the target of PPPK: the regional
  performance agreements of seed 001 count "ASN", and no seed sets a different PPPK minimum.
* **PPPK ceiling**: under a rule set with PPPK limits (tangsel-2022, Perwal 74/2022 Pasal 4
  ayat (3): "paling banyak 24 JP") the JP engine already stops crediting at 24 JP a year; the
  report states the ceiling and never shows a total above it (documents credited before a change
  of rule set could sum higher).
* **IP ASN, competence dimension** (seed 001, after PermenPANRB 38/2018 and Peraturan BKN 8/2019):
  :data:`IP_ASN_POINTS`, read as described at :func:`ip_asn_competence`.

Pure: no I/O and no clock.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType

from registry.domain.credits import CreditedDocument
from registry.domain.export_tables import Cell, ExportTable
from registry.domain.jp import DevelopmentPath
from registry.domain.jp_sessions import PPPK_LIMITS

__all__ = [
    "IP_ASN_CAREER_PATHS",
    "IP_ASN_COLUMN_OF_PATH",
    "IP_ASN_LABELS",
    "IP_ASN_MAX",
    "IP_ASN_POINTS",
    "MINIMUM_JP",
    "TECHNICAL_TRAINING_JP",
    "UNIT_REPORT_HEADER",
    "EmployeeIdentity",
    "IpAsnColumn",
    "IpAsnCompetence",
    "IpAsnPart",
    "UnitReport",
    "YearlyDocument",
    "YearlyJp",
    "ip_asn_competence",
    "pppk_ceiling",
    "unit_report",
    "unit_report_table",
    "yearly_jp",
]

#: PP 11/2017 as amended by PP 17/2020 (seed 001): at least 20 JP a year.
MINIMUM_JP = Decimal(20)


@dataclass(frozen=True)
class EmployeeIdentity:
    """Who the report is about: the roster's entry, or (not rostered) their latest document's."""

    nip: str
    name: str
    employment: str  # pns | pppk
    jabatan_type: str | None  # struktural | fungsional | pelaksana, None when not recorded
    unit_code: str | None
    position: str | None = None
    rank: str | None = None
    #: Listed in a unit's roster; False when the identity comes from the documents only.
    rostered: bool = True


# -- IP ASN, competence dimension ------------------------------------------------------------------


class IpAsnColumn(StrEnum):
    """The columns of the seed 001 table, in its order."""

    KEPEMIMPINAN = "kepemimpinan"
    FUNGSIONAL = "fungsional"
    TEKNIS = "teknis"
    LAINNYA = "lainnya"


_C = IpAsnColumn
#: The column headings as seed 001 prints them.
IP_ASN_LABELS: Mapping[IpAsnColumn, str] = MappingProxyType(
    {
        _C.KEPEMIMPINAN: "Diklat Kepemimpinan",
        _C.FUNGSIONAL: "Diklat Fungsional",
        _C.TEKNIS: "Diklat Teknis 20 JP (tahun berjalan)",
        _C.LAINNYA: "Seminar/Workshop/Lainnya (tahun berjalan)",
    }
)

# Seed 001_910ed4eabbc8504b.txt (BPSDM DKI), "PENGHITUNGAN IP ASN DIMENSI KOMPETENSI (40%)":
#
#                 Diklat         Diklat      Diklat Teknis 20 JP   Seminar/Workshop/Lainnya
#                 Kepemimpinan   Fungsional  (tahun berjalan)      (tahun berjalan)          JUMLAH
#   Struktural    15             -           15                    10                        40
#   Fungsional    -              15          15                    10                        40
#   Pelaksana     -              -           22,5                  17,5                      40
#
# A "-" cell is no column of that jabatan type (absent below), not a zero.
IP_ASN_POINTS: Mapping[str, Mapping[IpAsnColumn, Decimal]] = MappingProxyType(
    {
        "struktural": MappingProxyType(
            {_C.KEPEMIMPINAN: Decimal(15), _C.TEKNIS: Decimal(15), _C.LAINNYA: Decimal(10)}
        ),
        "fungsional": MappingProxyType(
            {_C.FUNGSIONAL: Decimal(15), _C.TEKNIS: Decimal(15), _C.LAINNYA: Decimal(10)}
        ),
        "pelaksana": MappingProxyType({_C.TEKNIS: Decimal("22.5"), _C.LAINNYA: Decimal("17.5")}),
    }
)
IP_ASN_MAX = Decimal(40)
#: "Diklat Teknis 20 JP": the technical-training JP a year must reach for the column's points.
TECHNICAL_TRAINING_JP = Decimal(20)

_P = DevelopmentPath
# Which column of the table a path's documents fall in. The seed names four kinds of diklat and
# maps none of today's 25 paths, so this is a reading (paths as in DOMAIN.md "Development paths";
# the seed's last column is the catch-all "Lainnya"):
# * Diklat Kepemimpinan is the pelatihan struktural kepemimpinan (PIM, PKA, PKP);
# * Diklat Fungsional is the pelatihan fungsional;
# * Diklat Teknis is every other classroom *pelatihan* of PP 11/2017 (teknis, manajerial, sosial
#   kultural) and bimbingan teknis, which is technical training by name and counted in JP;
# * everything else, classroom or not (seminar, workshop, kursus, coaching, e-learning, magang,
#   pendidikan tinggi ...), is "Seminar/Workshop/Lainnya".
_BY_KIND = {
    _P.PELATIHAN_STRUKTURAL: _C.KEPEMIMPINAN,
    _P.PELATIHAN_FUNGSIONAL: _C.FUNGSIONAL,
    _P.PELATIHAN_TEKNIS: _C.TEKNIS,
    _P.PELATIHAN_MANAJERIAL: _C.TEKNIS,
    _P.PELATIHAN_SOSIAL_KULTURAL: _C.TEKNIS,
    _P.BIMBINGAN_TEKNIS: _C.TEKNIS,
}
IP_ASN_COLUMN_OF_PATH: Mapping[DevelopmentPath, IpAsnColumn] = MappingProxyType(
    {path: _BY_KIND.get(path, _C.LAINNYA) for path in DevelopmentPath}
)
#: The paths whose column counts a document of any earlier year too (no "tahun berjalan").
IP_ASN_CAREER_PATHS = frozenset(
    path.value
    for path, column in IP_ASN_COLUMN_OF_PATH.items()
    if column in (_C.KEPEMIMPINAN, _C.FUNGSIONAL)
)


@dataclass(frozen=True)
class IpAsnPart:
    column: IpAsnColumn
    label: str
    max_points: Decimal
    points: Decimal
    met: bool
    #: The year's technical-training JP (the Diklat Teknis column only).
    jp: Decimal | None = None


@dataclass(frozen=True)
class IpAsnCompetence:
    jabatan_type: str | None
    #: None when the jabatan type is not known (see ``reason``): the points are not guessed.
    points: Decimal | None
    parts: tuple[IpAsnPart, ...]
    reason: str | None = None
    max_points: Decimal = IP_ASN_MAX


def ip_asn_competence(
    jabatan_type: str | None,
    documents: Sequence[CreditedDocument],
    year: int,
    completed_paths: Collection[str],
    *,
    unknown_reason: str = "jenis jabatan pegawai tidak diketahui",
) -> IpAsnCompetence:
    """The competence points of one employee in ``year`` (seed 001 table, max 40).

    * Diklat Kepemimpinan / Fungsional carry no "(tahun berjalan)" in the seed: the points are
      given when a valid document of that kind ended on or before 31 December of ``year``
      (``completed_paths``: the paths of every such document, of any year).
    * Diklat Teknis 20 JP (tahun berjalan): the technical-training JP counted in ``year`` reach
      20 (summed over the year's documents: the JP counted, as the yearly total counts them).
    * Seminar/Workshop/Lainnya (tahun berjalan): any document of another kind counts JP in
      ``year``.
    * A kind the employee's row has no column for ("-": a pelaksana's pelatihan fungsional, a
      fungsional's pelatihan kepemimpinan) counts as "Lainnya" in the year it is credited.

    ``documents`` are the employee's documents that count in ``year``.
    """
    scored = IP_ASN_POINTS.get(jabatan_type or "")
    if scored is None:
        return IpAsnCompetence(
            jabatan_type=None,
            points=None,
            parts=(),
            reason=f"Poin IP ASN tidak dihitung: {unknown_reason} "
            "(struktural, fungsional atau pelaksana).",
        )

    def column_of(path: str) -> IpAsnColumn:
        column = IP_ASN_COLUMN_OF_PATH.get(DevelopmentPath(path), _C.LAINNYA)
        return column if column in scored else _C.LAINNYA

    parts = []
    for column, max_points in scored.items():
        jp: Decimal | None = None
        if column in (_C.KEPEMIMPINAN, _C.FUNGSIONAL):
            met = any(column_of(path) is column for path in completed_paths)
        elif column is _C.TEKNIS:
            jp = sum(
                (d.credited_in(year) for d in documents if column_of(d.path) is column),
                Decimal(0),
            )
            met = jp >= TECHNICAL_TRAINING_JP
        else:
            met = any(column_of(d.path) is column and d.credited_in(year) > 0 for d in documents)
        points = max_points if met else Decimal(0)
        parts.append(IpAsnPart(column, IP_ASN_LABELS[column], max_points, points, met, jp))
    total = sum((part.points for part in parts), Decimal(0))
    return IpAsnCompetence(jabatan_type=jabatan_type, points=total, parts=tuple(parts))


# -- yearly JP -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearlyDocument:
    document: CreditedDocument
    #: What the document counts in the report's year.
    credited: Decimal


@dataclass(frozen=True)
class YearlyJp:
    employee: EmployeeIdentity
    year: int
    rule_set: str
    total: Decimal
    #: JP counted in the year per development path, in the order of :class:`DevelopmentPath`.
    by_path: Mapping[str, Decimal]
    minimum: Decimal
    met: bool
    #: The PPPK ceiling of the rule set (24 JP under tangsel-2022); None when none applies.
    ceiling: Decimal | None
    ip_asn: IpAsnCompetence
    documents: tuple[YearlyDocument, ...]


def pppk_ceiling(employment: str, rule_set: str) -> Decimal | None:
    limits = PPPK_LIMITS.get(rule_set) if employment == "pppk" else None
    return None if limits is None else limits.jp_per_year


def yearly_jp(
    employee: EmployeeIdentity,
    documents: Sequence[CreditedDocument],
    year: int,
    *,
    rule_set: str,
    completed_paths: Collection[str] = (),
) -> YearlyJp:
    """The employee's JP of ``year`` from their valid documents (those that count in it)."""
    strangers = {d.nip for d in documents} - {employee.nip}
    if strangers:
        raise ValueError(f"documents of other holders: {sorted(strangers)}")
    counted = tuple(YearlyDocument(d, d.credited_in(year)) for d in documents)
    per_path: dict[str, Decimal] = {}
    for item in counted:
        per_path[item.document.path] = per_path.get(item.document.path, Decimal(0)) + item.credited
    order = {path.value: index for index, path in enumerate(DevelopmentPath)}
    by_path = {path: per_path[path] for path in sorted(per_path, key=lambda p: order.get(p, 99))}
    total = sum(per_path.values(), Decimal(0))
    ceiling = pppk_ceiling(employee.employment, rule_set)
    if ceiling is not None:
        total = min(total, ceiling)
    if employee.rostered:
        unknown = "jenis jabatan pegawai belum tercatat di daftar pegawai"
    else:
        unknown = (
            "pegawai tidak terdaftar di daftar pegawai unit, jadi jenis jabatannya tidak diketahui"
        )
    return YearlyJp(
        employee=employee,
        year=year,
        rule_set=rule_set,
        total=total,
        by_path=MappingProxyType(by_path),
        minimum=MINIMUM_JP,
        met=total >= MINIMUM_JP,
        ceiling=ceiling,
        ip_asn=ip_asn_competence(
            employee.jabatan_type,
            documents,
            year,
            completed_paths,
            unknown_reason=unknown,
        ),
        documents=counted,
    )


# -- a unit's report -------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitReport:
    year: int
    rule_set: str
    #: The unit reported on; None for a report over every unit's roster.
    unit_code: str | None
    unit_name: str | None
    rows: tuple[YearlyJp, ...]

    @property
    def met(self) -> int:
        return sum(1 for row in self.rows if row.met)

    @property
    def not_met(self) -> int:
        return len(self.rows) - self.met


def unit_report(
    year: int,
    rule_set: str,
    unit_code: str | None,
    unit_name: str | None,
    rows: Iterable[YearlyJp],
) -> UnitReport:
    """Every rostered employee once, ordered for follow-up: by unit, then those who have not met
    the minimum first, then by name (and NIP, so equal names keep one order)."""

    def order(row: YearlyJp) -> tuple[str, bool, str, str]:
        employee = row.employee
        return (employee.unit_code or "", row.met, employee.name.casefold(), employee.nip)

    ordered = sorted(rows, key=order)
    return UnitReport(year, rule_set, unit_code, unit_name, tuple(ordered))


UNIT_REPORT_HEADER = (
    "No",
    "NIP",
    "Nama",
    "Unit",
    "Status",
    "Jenis Jabatan",
    "Jabatan",
    "Total JP",
    "Minimal JP",
    "Batas JP PPPK",
    "Memenuhi",
    "Poin IP ASN Kompetensi",
    "Maks. Poin IP ASN",
    "Keterangan",
)


def unit_report_table(report: UnitReport) -> ExportTable:
    """The report as the CSV/XLSX a unit's HR officer opens: one row per rostered employee."""
    rows: list[tuple[Cell, ...]] = []
    for number, row in enumerate(report.rows, start=1):
        employee = row.employee
        rows.append(
            (
                number,
                employee.nip,
                employee.name,
                employee.unit_code,
                employee.employment.upper(),
                (employee.jabatan_type or "").capitalize() or None,
                employee.position,
                row.total,
                row.minimum,
                row.ceiling,
                "Ya" if row.met else "Tidak",
                row.ip_asn.points,
                row.ip_asn.max_points,
                row.ip_asn.reason,
            )
        )
    filename = f"jp-{report.unit_code or 'semua-unit'}-{report.year}"
    return ExportTable.of(f"JP {report.year}", filename, UNIT_REPORT_HEADER, rows)
