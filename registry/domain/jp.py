"""JP (jam pelajaran) credited for one development activity, under a named rule set.

Two rule sets are known, each transcribed as a data table below so that a reviewer can compare it
line by line with its source:

* ``tangsel-2022``: Perwal Tangerang Selatan 74/2022, Lampiran B (seed 003);
* ``kubar-2024``: pedoman DPUPR Kutai Barat (SK 2024), bab IV (seed 002).

General rules (from the issue):

* days are counted inclusively from ``start_date`` to ``end_date``;
* for per-day and per-activity paths the JP written on the evidence wins; the table's conversion
  applies only when the evidence states none ("dalam hal tidak disebutkan pada bukti dukung");
* for "program JP" paths the stated JP *is* the program's JP and must be given; "+20%" for
  internasional means program JP x 1.2 exactly;
* a path, or a path/scope cell, that the regulation does not state is refused; no rule is invented.

Arithmetic is exact :class:`~decimal.Decimal` only (never float), under a local context that traps
inexact results, and every result is normalised so that it prints sensibly (``24``, ``2.4``).

This function sees **one document only**. Caps that span several documents (kubar-2024 "patok
banding paling banyak 1 kali dalam setahun", "bimbingan di tempat kerja maksimal 4 kali setahun",
per-month session caps across several letters) are recorded in the tables for the later
cross-document check but are not enforced here.

Pure: stdlib and :mod:`registry.errors` only; no I/O and no clock.
"""

from __future__ import annotations

import decimal
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType

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
    PER_DAY = "per_day"  # figure x days; stated JP wins
    PER_ACTIVITY = "per_activity"  # the figure; stated JP wins
    PER_SESSION = "per_session"  # figure x sessions (monthly cap); stated JP wins
    PROGRAM = "program"  # the program's JP, which must be stated (x 1.2 with uplift)
    CAPPED_PER_DAY = "capped_per_day"  # min(stated, figure x days) (x 1.2 with uplift)
    PER_SEMESTER = "per_semester"  # figure x semesters; stated JP wins
    CAPPED_PER_ACTIVITY = "capped_per_activity"  # min(stated, figure); stated JP required


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
    #: PER_SESSION: at most this many sessions counted per calendar month (None: no cap stated).
    sessions_per_month: int | None = None
    #: CAPPED_PER_DAY: flat JP per day used when the evidence states no JP (None: refuse).
    flat_jp_per_day: Decimal | None = None
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


# Short constructors so each table row reads like the regulation's row.
def _per_day(jp: str) -> Conversion:
    return Conversion(RuleKind.PER_DAY, Decimal(jp))


def _per_activity(jp: str, *, uplift: bool = False, per_year: int | None = None) -> Conversion:
    return Conversion(
        RuleKind.PER_ACTIVITY, Decimal(jp), uplift=uplift, activities_per_year=per_year
    )


def _per_session(jp: str, *, per_month: int | None = None) -> Conversion:
    return Conversion(RuleKind.PER_SESSION, Decimal(jp), sessions_per_month=per_month)


def _program(*, uplift: bool = False) -> Conversion:
    return Conversion(RuleKind.PROGRAM, uplift=uplift)


def _capped_per_day(cap: str, *, uplift: bool = False, flat: str | None = None) -> Conversion:
    return Conversion(
        RuleKind.CAPPED_PER_DAY,
        Decimal(cap),
        uplift=uplift,
        flat_jp_per_day=None if flat is None else Decimal(flat),
    )


def _per_semester(jp: str) -> Conversion:
    return Conversion(RuleKind.PER_SEMESTER, Decimal(jp))


def _capped_per_activity(cap: str) -> Conversion:
    return Conversion(RuleKind.CAPPED_PER_ACTIVITY, Decimal(cap))


_P = DevelopmentPath

# Rule set "tangsel-2022": Perwal Tangerang Selatan Nomor 74 Tahun 2022, Lampiran B "Konversi Jam
# Pelajaran Kegiatan Pengembangan Kompetensi bagi ASN" (seed 003_c16f7fece9e4c417.txt, B.1-B.3).
# bimbingan_tempat_kerja is absent: Lampiran B (and Pasal 22(3)) do not list it.
_TANGSEL_2022: dict[DevelopmentPath, Rule] = {
    # B.1 no 1 "Satu Semester 20 (dua puluh) JP". The OCR spreads the words over both columns
    # ("Satu Semes | ter 20 | (dua"), just as it splits the header "Internasi | onal", so the cell
    # cannot be read as covering internasional; treated as not stated (as in DOMAIN.md).
    _P.PENDIDIKAN_TINGGI: Rule(_per_semester("20"), None),
    # B.2 no 1: internasional cell is "-".
    _P.PELATIHAN_STRUKTURAL: Rule(_program(), None),
    # B.2 no 3-6 (the seed skips no 2): "Ditambahkan 20% dari JP program pelatihan".
    _P.PELATIHAN_MANAJERIAL: Rule(_program(), _program(uplift=True)),
    _P.PELATIHAN_TEKNIS: Rule(_program(), _program(uplift=True)),
    _P.PELATIHAN_FUNGSIONAL: Rule(_program(), _program(uplift=True)),
    _P.PELATIHAN_SOSIAL_KULTURAL: Rule(_program(), _program(uplift=True)),
    # B.2 no 7 "Seminar/Konferensi/Sarasehan/Sosialisasi": one row covers sosialisasi too.
    _P.SEMINAR: Rule(_per_day("4"), _per_day("6")),
    _P.SOSIALISASI: Rule(_per_day("4"), _per_day("6")),
    # B.2 no 8 ("Satu hari etara dengan 7": OCR for "setara").
    _P.WORKSHOP: Rule(_per_day("5"), _per_day("7")),
    # B.2 no 9-11.
    _P.KURSUS: Rule(_program(), _program(uplift=True)),
    _P.PENATARAN: Rule(_program(), _program(uplift=True)),
    _P.BIMBINGAN_TEKNIS: Rule(_program(), _program(uplift=True)),
    # B.3 no 1-3: per kegiatan.
    _P.PERTUKARAN: Rule(_per_activity("20"), _per_activity("24")),
    _P.MAGANG: Rule(_per_activity("20"), _per_activity("24")),
    _P.PATOK_BANDING: Rule(_per_activity("10"), _per_activity("20")),
    # B.3 no 4.
    _P.PELATIHAN_JARAK_JAUH: Rule(_program(), _program(uplift=True)),
    # B.3 no 5 "Maksimal dihitung 2 kali dalam 1 bulan" in both columns.
    _P.COACHING: Rule(_per_session("2", per_month=2), _per_session("4", per_month=2)),
    # B.3 no 6: the internasional cell is truncated in the seed ("kegiatan mentoring setara dengan
    # 4 (empat) JP." without its leading "1 (satu) kali" and without a cap sentence). Read as the
    # same 2-per-month cap as mentoring nasional and coaching internasional, which is what an
    # administrator would expect of the lost text.
    _P.MENTORING: Rule(_per_session("2", per_month=2), _per_session("4", per_month=2)),
    # B.3 no 7: nasional 20 JP per kegiatan; internasional "ditambahkan 20% dari JP Program
    # detaseringnya", i.e. program JP x 1.2 (so the program's JP must be stated).
    _P.DETASERING: Rule(_per_activity("20"), _program(uplift=True)),
    # B.3 no 8 "Paling tinggi 1 hari 3 (tiga) JP" / "4 (empat) JP" of online access; no +20%.
    _P.E_LEARNING: Rule(_capped_per_day("3"), _capped_per_day("4")),
    # B.3 no 9-10: "Sesuai jam belajar, paling tinggi 2 JP sehari" / "Ditambahkan 20% dari JP
    # program ...". Read: the internasional figure is the hours studied, capped at 2 JP per day as
    # for nasional, and +20% is added to that capped figure.
    _P.BELAJAR_MANDIRI: Rule(_capped_per_day("2"), _capped_per_day("2", uplift=True)),
    _P.KOMUNITAS_BELAJAR: Rule(_capped_per_day("2"), _capped_per_day("2", uplift=True)),
    # B.3 no 11.
    _P.OUTBOND: Rule(_program(), _program(uplift=True)),
    # B.3 no 12 "4 (empat) JP Per Hari" / "6 (enam) JP Per Hari".
    _P.FGD: Rule(_per_day("4"), _per_day("6")),
}

# Rule set "kubar-2024": Pedoman Pengembangan Kompetensi Aparatur DPUPR Kabupaten Kutai Barat
# (ditetapkan 3 Mei 2024), bab IV, each path's item "Konversi Perhitungan Pemenuhan JP"
# (seed 002_33d34f1497c90268.txt, IV.C and IV.D). pendidikan_tinggi and fgd are absent: chapter IV
# lists neither (nor does any other part of the guideline give them a conversion).
_KUBAR_2024: dict[DevelopmentPath, Rule] = {
    # IV.C.1 gives no conversion for the five classroom trainings, only that they are run by
    # K/L/Pemda on a call for participants, so the program's JP is credited (DOMAIN.md). Those
    # organisers are domestic and no internasional rule (no +20%) is stated: internasional refused.
    _P.PELATIHAN_STRUKTURAL: Rule(_program(), None),
    _P.PELATIHAN_MANAJERIAL: Rule(_program(), None),
    _P.PELATIHAN_TEKNIS: Rule(_program(), None),
    _P.PELATIHAN_FUNGSIONAL: Rule(_program(), None),
    _P.PELATIHAN_SOSIAL_KULTURAL: Rule(_program(), None),
    # IV.C.2 "1 hari setara dengan 4 (empat) JP" / "6 (enam) JP".
    _P.SEMINAR: Rule(_per_day("4"), _per_day("6")),
    # IV.C.3 "1 hari setara dengan 5 (lima) JP" / "7 (tujuh) JP".
    _P.WORKSHOP: Rule(_per_day("5"), _per_day("7")),
    # IV.C.4-6 "Sesuai dengan jam pelajaran dalam program ..." / "... ditambahkan 20%".
    _P.KURSUS: Rule(_program(), _program(uplift=True)),
    _P.PENATARAN: Rule(_program(), _program(uplift=True)),
    _P.BIMBINGAN_TEKNIS: Rule(_program(), _program(uplift=True)),
    # IV.C.7 "1 hari setara dengan 4 (empat) JP" / "6 (enam) JP".
    _P.SOSIALISASI: Rule(_per_day("4"), _per_day("6")),
    # IV.D.1 "2 (dua)" / "4 (empat) Jam Pelajaran ... maksimal 3 kali pertemuan dalam 1 bulan".
    _P.COACHING: Rule(_per_session("2", per_month=3), _per_session("4", per_month=3)),
    # IV.D.2 "2 (dua)" / "4 (empat) Jam Pelajaran"; no cap stated.
    _P.MENTORING: Rule(_per_session("2"), _per_session("4")),
    # IV.D.3 "1 (satu) hari maksimal 3 (tiga)" / "4 (empat) JP akses pembelajaran".
    _P.E_LEARNING: Rule(_capped_per_day("3"), _capped_per_day("4")),
    # IV.D.4 says "sesuai dengan jam pelajaran dalam program kursus" (copied from the kursus
    # item); read as the program JP of the distance-learning training itself.
    _P.PELATIHAN_JARAK_JAUH: Rule(_program(), _program(uplift=True)),
    # IV.D.5-6 "1 kali kegiatan ... setara dengan 20 (dua puluh) JP" / "... setara dengan 20 JP
    # ditambahkan 20% dari JP Program ...". Read: 20 x 1.2 = 24 JP when the evidence states no JP
    # (the item opens "Dalam hal tidak disebutkan pada Bukti Dukung"), so a stated JP wins.
    _P.DETASERING: Rule(_per_activity("20"), _per_activity("20", uplift=True)),
    _P.OUTBOND: Rule(_per_activity("20"), _per_activity("20", uplift=True)),
    # IV.D.7 "paling banyak 1 (satu) kali kegiatan dalam setahun setara dengan 10" / "20 JP".
    # The yearly cap spans documents: recorded, enforced later, not here.
    _P.PATOK_BANDING: Rule(
        _per_activity("10", per_year=1),
        _per_activity("20", per_year=1),
    ),
    # IV.D.8 "1 kali kegiatan setara dengan 20 (duapuluh)" / "24 (dua puluh empat) JP".
    _P.PERTUKARAN: Rule(_per_activity("20"), _per_activity("24")),
    # IV.D.9 "sesuai jam belajar mandiri, maksimal 2 (dua) JP dalam 1 hari" / "maksimal 2 JP
    # ditambahkan 20% ... dalam 1 hari": +20% applied to the capped figure. "Maksimal 2x dalam 1
    # bulan" sits under "Persyaratan Penyelenggaraan" (how it is organised), not under the
    # conversion, so it is not applied here.
    _P.BELAJAR_MANDIRI: Rule(_capped_per_day("2"), _capped_per_day("2", uplift=True)),
    # IV.D.10 "Dalam hal tidak disebutkan ...: 1 hari setara dengan 2 (dua)" / "3 (tiga) JP".
    # Per the issue: a stated JP is capped at that figure per day, and the figure per day is used
    # when none is stated. (The seed's wording alone would also allow reading it as a plain
    # per-day rule where a stated JP wins uncapped.) "Maksimal 3x dalam 1 bulan" is a
    # Persyaratan, not part of the conversion: not applied.
    _P.KOMUNITAS_BELAJAR: Rule(
        _capped_per_day("2", flat="2"),
        _capped_per_day("3", flat="3"),
    ),
    # IV.D.11 "1 (satu) kegiatan sebanyak 1 (satu) JP dalam setahun maksimal 4 (empat) kali";
    # no internasional rule. The yearly cap spans documents: recorded, enforced later.
    _P.BIMBINGAN_TEMPAT_KERJA: Rule(_per_activity("1", per_year=4), None),
    # IV.D.12 "disesuaikan dengan durasi magang ... paling banyak dalam 1 kali kegiatan magang
    # adalah 20" / "24 JP". Read: the JP by duration must be stated (no hours-per-day rate is
    # given, so it cannot be derived from the dates) and is capped at 20 / 24.
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
    stated_jp: Decimal | None = None  # JP written on the evidence, or the program's JP
    sessions: int | None = None  # for per-session paths (coaching, mentoring) if known
    semesters: int | None = None  # for pendidikan_tinggi if known


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
    """Drop trailing zeros without switching to exponent notation: 30.0 -> 30, 2.40 -> 2.4."""
    reduced = value.normalize(_CONTEXT)
    if reduced == 0:
        return Decimal(0)  # also turns -0 into 0
    if reduced == reduced.to_integral_value(context=_CONTEXT):
        return reduced.quantize(Decimal(1), context=_CONTEXT)
    return reduced


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

    if kind is RuleKind.PROGRAM:
        if stated is None:
            raise InvalidInput(
                f"JP program harus diisi untuk jalur {label}: JP dikreditkan sesuai JP program.",
                field="activity.jp",
            )
        return ctx.multiply(stated, factor)

    figure = conv.jp
    if figure is None:  # pragma: no cover - every non-program rule in the tables has a figure
        raise AssertionError(f"rule for {label} has no JP figure")

    if kind in (RuleKind.PER_DAY, RuleKind.PER_ACTIVITY):
        # The JP written on the evidence wins; the table applies only when it states none.
        if stated is not None:
            return stated
        if kind is RuleKind.PER_DAY:
            return ctx.multiply(figure, Decimal(days))
        return ctx.multiply(figure, factor)

    if kind is RuleKind.PER_SESSION:
        # A stated JP wins, as for per-day paths. The monthly cap limits the sessions counted
        # within this one document (months touched by its dates); caps across several letters
        # for the same month are a later, cross-document check.
        if stated is not None:
            return stated
        if sessions is None:
            raise InvalidInput(
                f"Jumlah sesi atau JP harus diisi untuk jalur {label}.",
                field="activity.sessions",
            )
        counted = sessions
        if conv.sessions_per_month is not None:
            months = count_months(activity.start_date, activity.end_date)
            counted = min(sessions, conv.sessions_per_month * months)
        return ctx.multiply(figure, Decimal(counted))

    if kind is RuleKind.CAPPED_PER_DAY:
        if stated is None:
            if conv.flat_jp_per_day is None:
                raise InvalidInput(
                    f"Jumlah jam/JP belajar harus diisi untuk jalur {label}: JP dikreditkan "
                    f"sesuai jam belajar, paling tinggi {figure} JP per hari.",
                    field="activity.jp",
                )
            return ctx.multiply(conv.flat_jp_per_day, Decimal(days))
        capped = min(stated, ctx.multiply(figure, Decimal(days)))
        return ctx.multiply(capped, factor)

    if kind is RuleKind.PER_SEMESTER:
        if stated is not None:
            return stated
        if semesters is None:
            raise InvalidInput(
                f"Jumlah semester atau JP harus diisi untuk jalur {label}.",
                field="activity.semesters",
            )
        return ctx.multiply(figure, Decimal(semesters))

    if kind is RuleKind.CAPPED_PER_ACTIVITY:
        if stated is None:
            raise InvalidInput(
                f"JP sesuai durasi kegiatan harus diisi untuk jalur {label} (paling banyak "
                f"{figure} JP per kegiatan).",
                field="activity.jp",
            )
        return min(stated, figure)

    raise AssertionError(f"unhandled rule kind {kind}")  # pragma: no cover
