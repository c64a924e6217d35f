"""JP (jam pelajaran) credited for one development activity, under a named rule set.

Two rule sets are known, each transcribed as a data table below so that a reviewer can compare it
line by line with its source (the seeds are the law; DOMAIN.md is a digest of them):

* ``tangsel-2022``: Perwal Tangerang Selatan 74/2022, Lampiran B (seed 003);
* ``kubar-2024``: pedoman DPUPR Kutai Barat (SK 2024), bab IV (seed 002).

How a JP given with the activity (``Activity.stated_jp``, the API's ``activity.jp``: the JP printed
on the evidence or the program's JP) is used depends on the table cell, never on a general rule:

* ``tangsel-2022`` has no "evidence wins" clause anywhere. Its column "Satuan" decides: for a row
  counted in JP the given JP *is* the input (and must be given); for a row counted in Hari, Kegiatan
  (activities, sessions) or Semester the credit is the table's figure times that count, whatever
  JP a certificate prints. "Paling tinggi" / "maksimal" are caps a given JP never lifts (a 1-day
  e-learning certificate of 20 JP credits 3).
* ``kubar-2024`` says "Dalam hal tidak disebutkan pada Bukti Dukung ..., maka" on ten rows only
  (seminar, workshop, penataran, bimbingan teknis, sosialisasi, e-learning, pelatihan jarak jauh,
  detasering, outbond, komunitas belajar; :attr:`Conversion.evidence_jp_wins`). There the JP
  printed on the evidence is credited as printed, and the table applies only when it prints none
  (a 1-day e-learning certificate of 20 JP credits 20; 2 days without a JP credit 6). Every other
  row is read literally, as in tangsel-2022.
* "+20%" for internasional means the program JP (or the capped figure) x 1.2, exactly;
* days are counted inclusively from ``start_date`` to ``end_date``;
* a path, or a path/scope cell, that the regulation does not state is refused; no rule is invented.

Arithmetic is exact :class:`~decimal.Decimal` only (never float), under a local context that traps
inexact results, and every result is normalised so that it prints sensibly (``24``, ``2.4``).

This function sees **one document only**. Within it, a per-month session cap limits the sessions
counted to the cap times the calendar months the document's dates touch (the only bound its dates
allow; the sessions' own dates are not passed in). Caps that span several documents are recorded in
the tables and enforced by :mod:`registry.domain.jp_sessions`, which credits a dated session log
against the employee's earlier credits: the per-month session caps counted by each session's date
across every letter of the same employee and path, kubar-2024 "patok banding paling banyak 1 kali
dalam setahun" and "bimbingan di tempat kerja maksimal 4 kali setahun", and the tangsel-2022 PPPK
limits (only the forms of Pasal 23, at most 24 JP a contract year).

Pure: stdlib and :mod:`registry.domain.errors` only; no I/O and no clock.
"""

from __future__ import annotations

import decimal
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType

from registry.domain.decimals import plain_decimal
from registry.domain.errors import InvalidInput

__all__ = [
    "DEFAULT_RULE_SET",
    "RULE_SETS",
    "RULE_SET_NAMES",
    "Activity",
    "Conversion",
    "DevelopmentPath",
    "Rule",
    "RuleKind",
    "Scope",
    "conversion_for",
    "count_days",
    "count_months",
    "credited_jp",
    "parse_path",
    "parse_rule_set",
    "parse_scope",
]


class Scope(StrEnum):
    NASIONAL = "nasional"  # dalam negeri
    INTERNASIONAL = "internasional"  # luar negeri


class DevelopmentPath(StrEnum):
    """The 25 API identifiers of the development paths (DOMAIN.md, "Path identifiers ...")."""

    PENDIDIKAN_TINGGI = "pendidikan_tinggi"
    PELATIHAN_STRUKTURAL = "pelatihan_struktural"
    PELATIHAN_MANAJERIAL = "pelatihan_manajerial"
    PELATIHAN_TEKNIS = "pelatihan_teknis"
    PELATIHAN_FUNGSIONAL = "pelatihan_fungsional"
    PELATIHAN_SOSIAL_KULTURAL = "pelatihan_sosial_kultural"
    SEMINAR = "seminar"  # also konferensi, sarasehan, webinar
    WORKSHOP = "workshop"  # lokakarya
    KURSUS = "kursus"  # also short course
    PENATARAN = "penataran"
    BIMBINGAN_TEKNIS = "bimbingan_teknis"
    SOSIALISASI = "sosialisasi"
    COACHING = "coaching"
    MENTORING = "mentoring"
    E_LEARNING = "e_learning"
    PELATIHAN_JARAK_JAUH = "pelatihan_jarak_jauh"
    DETASERING = "detasering"
    OUTBOND = "outbond"
    PATOK_BANDING = "patok_banding"
    PERTUKARAN = "pertukaran"
    BELAJAR_MANDIRI = "belajar_mandiri"
    KOMUNITAS_BELAJAR = "komunitas_belajar"
    BIMBINGAN_TEMPAT_KERJA = "bimbingan_tempat_kerja"
    MAGANG = "magang"
    FGD = "fgd"


class RuleKind(StrEnum):
    """How a cell credits JP (and see :attr:`Conversion.evidence_jp_wins` for a JP given).

    Without that flag the kinds are literal: for the first four a given JP is ignored, for the last
    three it is the input and must be given.
    """

    PER_DAY = "per_day"  # figure x days
    PER_ACTIVITY = "per_activity"  # the figure (x 1.2 with uplift) for the one activity
    PER_SESSION = "per_session"  # figure x sessions counted (monthly cap)
    PER_SEMESTER = "per_semester"  # figure x semesters
    PROGRAM = "program"  # the program's JP (x 1.2 with uplift)
    CAPPED_PER_DAY = "capped_per_day"  # min(JP given, figure x days) (x 1.2 with uplift)
    CAPPED_PER_ACTIVITY = "capped_per_activity"  # min(JP given, figure)


#: "+20% (dua puluh persen)" of the internasional column, as an exact factor.
UPLIFT = Decimal("1.2")


@dataclass(frozen=True)
class Conversion:
    """One cell of a conversion table: how one path is credited for one scope."""

    kind: RuleKind
    #: JP per day / per activity / per session / per semester, the per-day cap (CAPPED_PER_DAY)
    #: or the per-activity cap (CAPPED_PER_ACTIVITY); None for PROGRAM.
    jp: Decimal | None = None
    #: "+20%": multiply by :data:`UPLIFT` (PROGRAM: the program JP; CAPPED_PER_DAY: the capped
    #: figure; PER_ACTIVITY: the table figure).
    uplift: bool = False
    #: kubar-2024 "Dalam hal tidak disebutkan pada Bukti Dukung ..., maka": a JP given is
    #: credited as printed (no cap, no uplift) and the rest of the cell applies only without one.
    evidence_jp_wins: bool = False
    #: PROGRAM: the program JP used when none is given (None: one must be given).
    unstated_program_jp: Decimal | None = None
    #: PER_SESSION: at most this many sessions counted per calendar month (None: no cap stated).
    sessions_per_month: int | None = None
    #: At most this many activities counted per year. Spans documents, so NOT enforced by
    #: :func:`credited_jp`; kept here for the later cross-document check.
    activities_per_year: int | None = None


@dataclass(frozen=True)
class Rule:
    """One row of a conversion table; None for a scope the regulation does not state."""

    nasional: Conversion | None
    internasional: Conversion | None

    def for_scope(self, scope: Scope) -> Conversion | None:
        return self.nasional if scope is Scope.NASIONAL else self.internasional


# Short constructors so each table row reads like the regulation's row. ``wins`` marks kubar-2024's
# "dalam hal tidak disebutkan pada Bukti Dukung" rows.
def _per_day(jp: str, *, wins: bool = False) -> Conversion:
    return Conversion(RuleKind.PER_DAY, Decimal(jp), evidence_jp_wins=wins)


def _per_activity(
    jp: str, *, uplift: bool = False, wins: bool = False, per_year: int | None = None
) -> Conversion:
    return Conversion(
        RuleKind.PER_ACTIVITY,
        Decimal(jp),
        uplift=uplift,
        evidence_jp_wins=wins,
        activities_per_year=per_year,
    )


def _per_session(jp: str, *, per_month: int | None = None) -> Conversion:
    return Conversion(RuleKind.PER_SESSION, Decimal(jp), sessions_per_month=per_month)


def _per_semester(jp: str) -> Conversion:
    return Conversion(RuleKind.PER_SEMESTER, Decimal(jp))


def _program(
    *, uplift: bool = False, wins: bool = False, unstated: str | None = None
) -> Conversion:
    return Conversion(
        RuleKind.PROGRAM,
        uplift=uplift,
        evidence_jp_wins=wins,
        unstated_program_jp=None if unstated is None else Decimal(unstated),
    )


def _capped_per_day(cap: str, *, uplift: bool = False) -> Conversion:
    return Conversion(RuleKind.CAPPED_PER_DAY, Decimal(cap), uplift=uplift)


def _capped_per_activity(cap: str) -> Conversion:
    return Conversion(RuleKind.CAPPED_PER_ACTIVITY, Decimal(cap))


_P = DevelopmentPath

# Rule set "tangsel-2022": Perwal Tangerang Selatan Nomor 74 Tahun 2022, Lampiran B "Konversi Jam
# Pelajaran Kegiatan Pengembangan Kompetensi bagi ASN" (seed 003_c16f7fece9e4c417.txt, B.1-B.3).
# No row says what to do with a JP printed on the evidence, so the column "Satuan" decides: "JP"
# rows take the program's (certificate's) JP, "Hari" / "Kegiatan" / "Semester" rows the figure
# times that count. bimbingan_tempat_kerja is absent: Lampiran B (and Pasal 22(3)) do not list it.
_TANGSEL_2022: dict[DevelopmentPath, Rule] = {
    # B.1 no 1, Satuan "Semester": "Satu Semester 20 (dua puluh) JP". Ambiguous cell, read as one
    # cell spanning both columns: the OCR spreads its words over the Nasional column and both
    # halves of the split header "Internasi | onal" ("Satu Semes | ter 20 | (dua"), as a centred
    # merged cell comes out, while a Nasional-only cell would wrap inside its own column like every
    # other row. So internasional is 20 JP per semester too, with no +20% (none is written).
    _P.PENDIDIKAN_TINGGI: Rule(_per_semester("20"), _per_semester("20")),
    # B.2 no 1, Satuan "JP": internasional cell is "-".
    _P.PELATIHAN_STRUKTURAL: Rule(_program(), None),
    # B.2 no 3-6 (the seed skips no 2): "Ditambahkan 20% dari JP program pelatihan".
    _P.PELATIHAN_MANAJERIAL: Rule(_program(), _program(uplift=True)),
    _P.PELATIHAN_TEKNIS: Rule(_program(), _program(uplift=True)),
    _P.PELATIHAN_FUNGSIONAL: Rule(_program(), _program(uplift=True)),
    _P.PELATIHAN_SOSIAL_KULTURAL: Rule(_program(), _program(uplift=True)),
    # B.2 no 7 "Seminar/Konferensi/Sarasehan/Sosialisasi", Satuan "Hari": one row covers
    # sosialisasi too; "Satu hari setara dengan 4 (6) JP" whatever the certificate prints.
    _P.SEMINAR: Rule(_per_day("4"), _per_day("6")),
    _P.SOSIALISASI: Rule(_per_day("4"), _per_day("6")),
    # B.2 no 8, Satuan "Hari" ("Satu hari etara dengan 7": OCR for "setara").
    _P.WORKSHOP: Rule(_per_day("5"), _per_day("7")),
    # B.2 no 9-11, Satuan "JP".
    _P.KURSUS: Rule(_program(), _program(uplift=True)),
    _P.PENATARAN: Rule(_program(), _program(uplift=True)),
    _P.BIMBINGAN_TEKNIS: Rule(_program(), _program(uplift=True)),
    # B.3 no 1-3, Satuan "Kegiatan": "1 (satu) kali kegiatan ... setara dengan" the figure.
    _P.PERTUKARAN: Rule(_per_activity("20"), _per_activity("24")),
    _P.MAGANG: Rule(_per_activity("20"), _per_activity("24")),
    _P.PATOK_BANDING: Rule(_per_activity("10"), _per_activity("20")),
    # B.3 no 4, Satuan "JP".
    _P.PELATIHAN_JARAK_JAUH: Rule(_program(), _program(uplift=True)),
    # B.3 no 5, Satuan "Kegiatan": "Maksimal dihitung 2 kali dalam 1 bulan" in both columns.
    _P.COACHING: Rule(_per_session("2", per_month=2), _per_session("4", per_month=2)),
    # B.3 no 6, Satuan "Kegiatan". Ambiguous cell: the internasional text reads only "kegiatan
    # mentoring setara dengan 4 (empat) JP." and states no cap, but the OCR lost its start (the
    # "1 (satu) kali" every sibling cell opens with) where the table breaks across pages. Read as
    # the same "paling tinggi dihitung 2 kali dalam 1 bulan" as mentoring nasional and coaching in
    # both columns: an administrator would not expect mentoring abroad alone to be uncapped.
    _P.MENTORING: Rule(_per_session("2", per_month=2), _per_session("4", per_month=2)),
    # B.3 no 7, Satuan "Kegiatan": nasional 20 JP per kegiatan. Internasional "1 (satu) kali
    # Kegiatan detasering ditambahkan 20% dari JP Program detaseringnya": the program JP x 1.2.
    # Ambiguous without a program JP (a secondment often has none): read the JP of one detasering
    # kegiatan as the row's own 20 JP, so 20 x 1.2 = 24, which is what kubar-2024 IV.D.5 spells out.
    _P.DETASERING: Rule(_per_activity("20"), _program(uplift=True, unstated="20")),
    # B.3 no 8, Satuan "JP": "Paling tinggi 1 hari 3 (tiga) JP" / "4 (empat) JP" of online access:
    # the certificate's JP, capped per day; no +20% is written.
    _P.E_LEARNING: Rule(_capped_per_day("3"), _capped_per_day("4")),
    # B.3 no 9-10, Satuan "JP": "Sesuai jam belajar, paling tinggi (maksimal) 2 JP sehari" /
    # "Ditambahkan 20% dari JP program ...". Read: the internasional figure is the hours studied,
    # capped at 2 JP per day as for nasional, and +20% is added to that capped figure.
    _P.BELAJAR_MANDIRI: Rule(_capped_per_day("2"), _capped_per_day("2", uplift=True)),
    _P.KOMUNITAS_BELAJAR: Rule(_capped_per_day("2"), _capped_per_day("2", uplift=True)),
    # B.3 no 11, Satuan "JP".
    _P.OUTBOND: Rule(_program(), _program(uplift=True)),
    # B.3 no 12, Satuan "Hari": "4 (empat) JP Per Hari" / "6 (enam) JP Per Hari".
    _P.FGD: Rule(_per_day("4"), _per_day("6")),
}

# Rule set "kubar-2024": Pedoman Pengembangan Kompetensi Aparatur DPUPR Kabupaten Kutai Barat
# (ditetapkan 3 Mei 2024), bab IV, each path's item "Konversi Perhitungan Pemenuhan JP"
# (seed 002_33d34f1497c90268.txt, IV.C and IV.D). Ten items open with "Dalam hal tidak disebutkan
# pada Bukti Dukung Pengembangan Kompetensi, maka :" (wins=True); the others are literal.
# pendidikan_tinggi and fgd are absent: chapter IV lists neither (nor does any other part of the
# guideline give them a conversion).
#
# The "Persyaratan" items "Lama pelaksanaan: Maksimal 2x dalam 1 bulan, dengan durasi kegiatan
# selama 2 JP" (belajar mandiri) and "Maksimal 3x dalam 1 bulan" (komunitas belajar, bimbingan di
# tempat kerja) are read as how the activity is to be organised, not as counting caps: they sit
# under "Persyaratan (Penyelenggaraan)", apart from the conversion item, which states its own
# limits where it has any (coaching "batasan waktu coaching yang dapat dikonversi dalam JP").
# Likewise seminar "Karakteristik: ... maksimal 8 JP per hari" describes the activity.
_KUBAR_2024: dict[DevelopmentPath, Rule] = {
    # IV.C.1 gives no conversion for the five classroom trainings, only that they are run by
    # K/L/Pemda on a call for participants, so the program's JP is credited (DOMAIN.md). Those
    # organisers are domestic and no internasional rule (no +20%) is stated: internasional refused.
    _P.PELATIHAN_STRUKTURAL: Rule(_program(), None),
    _P.PELATIHAN_MANAJERIAL: Rule(_program(), None),
    _P.PELATIHAN_TEKNIS: Rule(_program(), None),
    _P.PELATIHAN_FUNGSIONAL: Rule(_program(), None),
    _P.PELATIHAN_SOSIAL_KULTURAL: Rule(_program(), None),
    # IV.C.2 (wins) "1 hari setara dengan 4 (empat) JP" / "6 (enam) JP".
    _P.SEMINAR: Rule(_per_day("4", wins=True), _per_day("6", wins=True)),
    # IV.C.3 (wins) "1 hari setara dengan 5 (lima) JP" / "7 (tujuh) JP".
    _P.WORKSHOP: Rule(_per_day("5", wins=True), _per_day("7", wins=True)),
    # IV.C.4 (literal) "Sesuai dengan jam pelajaran dalam program kursus" / "... ditambahkan 20%".
    _P.KURSUS: Rule(_program(), _program(uplift=True)),
    # IV.C.5-6 (wins) "Sesuai dengan jam pelajaran dalam program penataran (bimtek)" / "...
    # ditambahkan 20%". A JP printed on the evidence is credited as printed; the program JP (+20%)
    # only applies to a JP the evidence does not print, and one ``jp`` field cannot say which it
    # is, so without a JP the cell is refused (the program JP must be given).
    _P.PENATARAN: Rule(_program(wins=True), _program(uplift=True, wins=True)),
    _P.BIMBINGAN_TEKNIS: Rule(_program(wins=True), _program(uplift=True, wins=True)),
    # IV.C.7 (wins) "1 hari setara dengan 4 (empat) JP" / "6 (enam) JP".
    _P.SOSIALISASI: Rule(_per_day("4", wins=True), _per_day("6", wins=True)),
    # IV.D.1 (literal) "2 (dua)" / "4 (empat) Jam Pelajaran ... maksimal 3 kali pertemuan dalam 1
    # bulan".
    _P.COACHING: Rule(_per_session("2", per_month=3), _per_session("4", per_month=3)),
    # IV.D.2 (literal) "2 (dua)" / "4 (empat) Jam Pelajaran"; no cap stated.
    _P.MENTORING: Rule(_per_session("2"), _per_session("4")),
    # IV.D.3 (wins) "1 (satu) hari maksimal 3 (tiga)" / "4 (empat) JP akses pembelajaran": the
    # printed JP wins uncapped; without one, 3 (4) JP per day of access.
    _P.E_LEARNING: Rule(_per_day("3", wins=True), _per_day("4", wins=True)),
    # IV.D.4 (wins) says "sesuai dengan jam pelajaran dalam program kursus" (copied from the kursus
    # item); read as the program JP of the distance-learning training itself, as for penataran.
    _P.PELATIHAN_JARAK_JAUH: Rule(_program(wins=True), _program(uplift=True, wins=True)),
    # IV.D.5-6 (wins) "1 kali kegiatan ... setara dengan 20 (dua puluh) JP" / "... setara dengan 20
    # JP ditambahkan 20% dari JP Program ...": 20 x 1.2 = 24 when the evidence prints no JP.
    _P.DETASERING: Rule(
        _per_activity("20", wins=True), _per_activity("20", uplift=True, wins=True)
    ),
    _P.OUTBOND: Rule(_per_activity("20", wins=True), _per_activity("20", uplift=True, wins=True)),
    # IV.D.7 (literal) "paling banyak 1 (satu) kali kegiatan dalam setahun setara dengan 10" /
    # "20 JP". The yearly cap spans documents: recorded, enforced later, not here.
    _P.PATOK_BANDING: Rule(
        _per_activity("10", per_year=1),
        _per_activity("20", per_year=1),
    ),
    # IV.D.8 (literal) "1 kali kegiatan setara dengan 20 (duapuluh)" / "24 (dua puluh empat) JP".
    _P.PERTUKARAN: Rule(_per_activity("20"), _per_activity("24")),
    # IV.D.9 (literal) "sesuai jam belajar mandiri, maksimal 2 (dua) JP dalam 1 hari" / "maksimal
    # 2 JP ditambahkan 20% ... dalam 1 hari": +20% applied to the capped figure.
    _P.BELAJAR_MANDIRI: Rule(_capped_per_day("2"), _capped_per_day("2", uplift=True)),
    # IV.D.10 (wins) "1 hari setara dengan 2 (dua)" / "3 (tiga) JP": the printed JP wins
    # uncapped; without one, 2 (3) JP per day.
    _P.KOMUNITAS_BELAJAR: Rule(_per_day("2", wins=True), _per_day("3", wins=True)),
    # IV.D.11 (literal) "1 (satu) kegiatan sebanyak 1 (satu) JP dalam setahun maksimal 4 (empat)
    # kali"; no internasional rule. The yearly cap spans documents: recorded, enforced later.
    _P.BIMBINGAN_TEMPAT_KERJA: Rule(_per_activity("1", per_year=4), None),
    # IV.D.12 (literal) "disesuaikan dengan durasi magang ... paling banyak dalam 1 kali kegiatan
    # magang adalah 20" / "24 JP". Read: the JP by duration must be given (no hours-per-day rate is
    # stated, so it cannot be derived from the dates) and is capped at 20 / 24.
    _P.MAGANG: Rule(_capped_per_activity("20"), _capped_per_activity("24")),
}

RULE_SETS: Mapping[str, Mapping[DevelopmentPath, Rule]] = MappingProxyType(
    {
        "tangsel-2022": MappingProxyType(_TANGSEL_2022),
        "kubar-2024": MappingProxyType(_KUBAR_2024),
    }
)
RULE_SET_NAMES: tuple[str, ...] = tuple(RULE_SETS)
DEFAULT_RULE_SET = "tangsel-2022"


@dataclass(frozen=True)
class Activity:
    """The facts of one activity (as stated on one document) that JP depends on."""

    path: DevelopmentPath
    scope: Scope
    start_date: date
    end_date: date
    #: The JP printed on the evidence, or the program's JP; what it does depends on the cell
    #: (input, winner, or ignored: see the module docstring).
    stated_jp: Decimal | None = None
    sessions: int | None = None  # required by per-session cells (coaching, mentoring)
    semesters: int | None = None  # required by per-semester cells (pendidikan_tinggi)


# --- parsing ----------------------------------------------------------------------------------


def _choices(values: list[str]) -> str:
    return ", ".join(values)


def parse_path(value: str, *, field: str = "activity.path") -> DevelopmentPath:
    """The path for an API identifier such as ``"seminar"``; refuses anything else."""
    valid = [p.value for p in DevelopmentPath]
    key = value.strip().lower() if isinstance(value, str) else value
    if key in valid:
        return DevelopmentPath(key)
    raise InvalidInput(
        f"Jalur pengembangan kompetensi {value!r} tidak dikenal. Pilihan yang sah: "
        f"{_choices(valid)}.",
        field=field,
        allowed=valid,
    )


def parse_scope(value: str, *, field: str = "activity.scope") -> Scope:
    """The scope for ``"nasional"`` or ``"internasional"``; refuses anything else."""
    valid = [s.value for s in Scope]
    key = value.strip().lower() if isinstance(value, str) else value
    if key in valid:
        return Scope(key)
    raise InvalidInput(
        f"Lingkup {value!r} tidak dikenal. Pilihan yang sah: {_choices(valid)}.",
        field=field,
        allowed=valid,
    )


def parse_rule_set(value: str, *, field: str = "rule_set") -> str:
    """The rule-set name for ``"tangsel-2022"`` or ``"kubar-2024"``; refuses anything else."""
    valid = list(RULE_SET_NAMES)
    key = value.strip().lower() if isinstance(value, str) else value
    if key in valid:
        return str(key)
    raise InvalidInput(
        f"Aturan konversi JP {value!r} tidak dikenal. Pilihan yang sah: {_choices(valid)}.",
        field=field,
        allowed=valid,
    )


# --- arithmetic -------------------------------------------------------------------------------


def count_days(start: date, end: date) -> int:
    """Days from ``start`` to ``end`` counted inclusively (same day = 1)."""
    if end < start:
        raise InvalidInput(
            f"Tanggal selesai ({end.isoformat()}) tidak boleh sebelum tanggal mulai "
            f"({start.isoformat()}).",
            field="activity.end_date",
        )
    return (end - start).days + 1


def count_months(start: date, end: date) -> int:
    """Calendar months touched by ``start``..``end``, inclusively (15 Jan-3 Feb = 2)."""
    count_days(start, end)  # same refusal for reversed dates
    return (end.year * 12 + end.month) - (start.year * 12 + start.month) + 1


# Precision large enough for any sensible JP figure; Inexact is trapped so that a result is
# either exact or refused, never silently rounded.
_CONTEXT = decimal.Context(
    prec=50,
    rounding=decimal.ROUND_HALF_EVEN,
    traps=[
        decimal.InvalidOperation,
        decimal.DivisionByZero,
        decimal.Overflow,
        decimal.Inexact,
    ],
)


def _normalise(value: Decimal) -> Decimal:
    """The value as it is written down (30.0 -> 30, 2.40 -> 2.4), within the context's precision."""
    return Decimal(plain_decimal(_CONTEXT.plus(value)))


def _check_stated_jp(value: Decimal | None) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise InvalidInput(
            f"JP harus berupa bilangan desimal yang tepat (Decimal), bukan {type(value).__name__}.",
            field="activity.jp",
        )
    value = Decimal(value)
    if not value.is_finite():
        raise InvalidInput("JP harus berupa bilangan yang terhingga.", field="activity.jp")
    if value < 0:
        raise InvalidInput(f"JP tidak boleh negatif (diberikan {value}).", field="activity.jp")
    return value


def _check_count(value: int | None, field: str, label: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(f"Jumlah {label} harus bilangan bulat.", field=field)
    if value < 0:
        raise InvalidInput(f"Jumlah {label} tidak boleh negatif (diberikan {value}).", field=field)
    return value


def conversion_for(rule_set: str, path: DevelopmentPath, scope: Scope) -> Conversion:
    """The table cell for ``path`` and ``scope`` in ``rule_set``; refuses an unregulated one."""
    name = parse_rule_set(rule_set)
    rule = RULE_SETS[name].get(path)
    if rule is None:
        raise InvalidInput(
            f"Jalur {path.value!r} tidak diatur dalam aturan {name}.",
            field="activity.path",
        )
    conversion = rule.for_scope(scope)
    if conversion is None:
        raise InvalidInput(
            f"Aturan {name} tidak mengatur konversi JP jalur {path.value!r} untuk lingkup "
            f"{scope.value}.",
            field="activity.scope",
        )
    return conversion


def credited_jp(rule_set: str, activity: Activity) -> Decimal:
    """JP credited for ``activity`` under ``rule_set`` (see the module docstring).

    Refuses with :class:`~registry.domain.errors.InvalidInput` when the dates are reversed, a
    figure is negative, the rule set does not regulate the path or scope, or a figure the rule
    needs (the program's JP, the hours studied, the sessions, the semesters) is missing.
    """
    days = count_days(activity.start_date, activity.end_date)
    stated = _check_stated_jp(activity.stated_jp)
    sessions = _check_count(activity.sessions, "activity.sessions", "sesi")
    semesters = _check_count(activity.semesters, "activity.semesters", "semester")
    conversion = conversion_for(rule_set, activity.path, activity.scope)
    try:
        result = _apply(conversion, activity, days, stated, sessions, semesters)
        return _normalise(result)
    except decimal.DecimalException as exc:
        raise InvalidInput(
            "JP tidak dapat dihitung secara tepat dari nilai yang diberikan.",
            field="activity.jp",
        ) from exc


def _apply(
    conv: Conversion,
    activity: Activity,
    days: int,
    stated: Decimal | None,
    sessions: int | None,
    semesters: int | None,
) -> Decimal:
    ctx = _CONTEXT
    label = f"{activity.path.value} ({activity.scope.value})"
    factor = UPLIFT if conv.uplift else Decimal(1)
    kind = conv.kind

    if conv.evidence_jp_wins and stated is not None:
        return stated

    if kind is RuleKind.PROGRAM:
        program_jp = stated if stated is not None else conv.unstated_program_jp
        if program_jp is None:
            raise InvalidInput(
                f"JP program harus diisi untuk jalur {label}: JP dikreditkan sesuai JP program.",
                field="activity.jp",
            )
        return ctx.multiply(program_jp, factor)

    figure = conv.jp
    if figure is None:  # pragma: no cover - every non-program rule in the tables has a figure
        raise AssertionError(f"rule for {label} has no JP figure")

    # From here on a JP given is either the input (the capped kinds) or, for the counted kinds,
    # ignored: the regulation credits the figure times the count whatever JP is printed.
    if kind is RuleKind.PER_DAY:
        return ctx.multiply(ctx.multiply(figure, Decimal(days)), factor)

    if kind is RuleKind.PER_ACTIVITY:
        return ctx.multiply(figure, factor)

    if kind is RuleKind.PER_SESSION:
        if sessions is None:
            raise InvalidInput(
                f"Jumlah sesi harus diisi untuk jalur {label}: JP dihitung {figure} JP per sesi.",
                field="activity.sessions",
            )
        counted = sessions
        if conv.sessions_per_month is not None:
            # The sessions' own dates are not known here: at most the cap times the calendar
            # months the document's dates touch. The exact count per month of each session's
            # date, across letters, is the later cross-document check.
            months = count_months(activity.start_date, activity.end_date)
            counted = min(sessions, conv.sessions_per_month * months)
        return ctx.multiply(figure, Decimal(counted))

    if kind is RuleKind.PER_SEMESTER:
        if semesters is None:
            raise InvalidInput(
                f"Jumlah semester harus diisi untuk jalur {label}: JP dihitung {figure} JP per "
                "semester.",
                field="activity.semesters",
            )
        return ctx.multiply(figure, Decimal(semesters))

    if kind is RuleKind.CAPPED_PER_DAY:
        if stated is None:
            raise InvalidInput(
                f"Jumlah jam/JP belajar harus diisi untuk jalur {label}: JP dikreditkan "
                f"sesuai jam belajar, paling tinggi {figure} JP per hari.",
                field="activity.jp",
            )
        capped = min(stated, ctx.multiply(figure, Decimal(days)))
        return ctx.multiply(capped, factor)

    if kind is RuleKind.CAPPED_PER_ACTIVITY:
        if stated is None:
            raise InvalidInput(
                f"JP sesuai durasi kegiatan harus diisi untuk jalur {label} (paling banyak "
                f"{figure} JP per kegiatan).",
                field="activity.jp",
            )
        return min(stated, figure)

    raise AssertionError(f"unhandled rule kind {kind}")  # pragma: no cover
