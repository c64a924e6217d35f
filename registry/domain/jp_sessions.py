"""JP credited for a session log, with a verdict per session and caps that span letters.

:func:`registry.domain.jp.credited_jp` credits one activity as one document states it. This module
credits a *log*: the sessions of a coaching, mentoring, belajar mandiri, komunitas belajar or
bimbingan di tempat kerja, or the dated activities of any other path, each with its own date, and
says of every entry whether it counted, how much, and why not (in Indonesian, for the SKPD and
BPSDM to read). The figures come from the same tables (``jp.RULE_SETS``), so a letter issued
directly and one issued from a request agree; only the caps are added here, because only here are
the entries' own dates and the employee's earlier credits known.

How the caps are counted:

* **Prior credits first.** ``prior`` holds what valid letters (issued, neither revoked nor
  superseded) already credited to the same employee. They were issued earlier, so they take the
  cap first, whatever their dates; then this log in date order (ties in the order given). A
  back-dated session in a month already full therefore gets 0. A revoked letter is simply absent
  from ``prior`` and frees what it held. Only prior entries that credited more than 0 JP count.
* **Per calendar period of each entry's date.** Per-month session caps count sessions per calendar
  month of the session's date (never months "touched" by a span); per-day caps per date; per-year
  caps per calendar year of the date an entry ended (the year its JP is counted in). Dates are
  calendar dates as written on the log (already local to the agency), so no timezone applies.
* **Per path, both scopes together.** A cap limits the path ("2 kali dalam 1 bulan" of coaching),
  not one column of it: nasional and internasional sessions of one path share it.
* **Caps:** coaching (both rule sets) and tangsel-2022 mentoring sessions per month; kubar-2024
  patok banding 1 and bimbingan di tempat kerja 4 activities per year; the "paling tinggi 2 JP
  sehari" of belajar mandiri (both) and komunitas belajar (tangsel-2022), and tangsel-2022
  e-learning's 3 (4) JP per day of access, as a daily JP budget; rows credited "per hari" credit
  each day once per path (kubar-2024 komunitas belajar "1 hari setara dengan 2 JP", seminar,
  workshop, FGD ...): a day another letter already credited credits nothing again.
* **A stated JP never lifts a cap.** On kubar-2024's "dalam hal tidak disebutkan pada Bukti Dukung"
  rows a JP given with the entry is credited as printed (jp.py), but still only on a day not yet
  credited; minutes are not a printed JP, so with minutes only the table's figure applies.
* **PPPK under tangsel-2022** (:data:`PPPK_LIMITS`): only the forms of Pasal 23 ayat (4)-(5) count
  (others 0, "bukan bentuk pengembangan kompetensi PPPK"), and at most 24 JP a year (Pasal 4
  ayat (3), verification criterion Pasal 14 ayat (3) huruf c) over every path: an entry that would
  pass it is cut to what remains. "1 (satu) tahun masa perjanjian kerja" is read as the calendar
  year, because the contract's start is not known here (the yearly report counts calendar years).
  kubar-2024 says nothing particular about PPPK.
* **Kubar "Persyaratan" limits** (belajar mandiri "Maksimal 2x dalam 1 bulan", komunitas belajar
  and bimbingan di tempat kerja "Maksimal 3x dalam 1 bulan") are NOT counting caps, as in jp.py:
  they sit under "Persyaratan (Penyelenggaraan)", apart from each path's "Konversi Perhitungan
  Pemenuhan JP", which states the counting limits where it has any.

Minutes: LAN's jam pelajaran is 45 minutes (DOMAIN.md), and the seeds measure durations in JP
(kubar-2024 belajar mandiri "durasi kegiatan selama 2 JP"). So "sesuai jam belajar" reads minutes
studied as whole lesson hours: ``minutes // 45`` JP (90 minutes = 2 JP; 60 minutes = 1 JP; the
rest of an unfinished lesson hour is not credited). Minutes matter only where the table credits the
hours studied (belajar mandiri, tangsel komunitas belajar, tangsel e-learning); coaching, mentoring
and the other counted rows credit their figure per session, day or activity whatever its length.

Pure: stdlib and the domain only; no I/O and no clock.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from types import MappingProxyType

from registry.domain import jp as rules
from registry.domain.decimals import plain_decimal
from registry.domain.errors import InvalidInput
from registry.domain.jp import Conversion, DevelopmentPath, RuleKind, Scope
from registry.domain.nip import Employment

__all__ = [
    "MAX_ENTRIES",
    "MINUTES_PER_JP",
    "PPPK_LIMITS",
    "EntryVerdict",
    "LogCredit",
    "LogEntry",
    "PppkLimits",
    "PriorCredit",
    "credit_log",
    "jp_from_minutes",
]

#: One jam pelajaran (LAN).
MINUTES_PER_JP = 45
#: More entries than a year has days is not a session log but a mistake (or an attack).
MAX_ENTRIES = 400
#: A span longer than this is refused: no single entry of a log is a multi-year activity.
MAX_SPAN_DAYS = 366 * 6


@dataclass(frozen=True)
class LogEntry:
    """One session (or, on an activity path, one activity) of the log."""

    date: dt.date
    #: Last day of an activity spanning days; None (or ``date``) for a one-day session.
    end_date: dt.date | None = None
    minutes: int | None = None
    #: JP stated for the entry: the hours studied in JP, or the JP printed on its evidence.
    jp: Decimal | None = None
    topic: str | None = None
    #: pendidikan_tinggi only: semesters this entry reports (default 1).
    semesters: int | None = None

    @property
    def last_date(self) -> dt.date:
        return self.end_date or self.date


@dataclass(frozen=True)
class PriorCredit:
    """A session or activity a valid letter already credited to the same employee."""

    path: DevelopmentPath
    scope: Scope
    date: dt.date
    jp: Decimal
    end_date: dt.date | None = None

    @property
    def last_date(self) -> dt.date:
        return self.end_date or self.date


@dataclass(frozen=True)
class EntryVerdict:
    date: dt.date
    end_date: dt.date
    jp: Decimal
    #: True when the entry credits more than 0 JP (it may still be cut: see ``reason``).
    counted: bool
    #: Why the entry credits nothing or less than it would alone; None when fully counted.
    reason: str | None


@dataclass(frozen=True)
class LogCredit:
    jp: Decimal
    #: One verdict per entry, in the order the entries were given.
    entries: tuple[EntryVerdict, ...]


@dataclass(frozen=True)
class PppkLimits:
    forms: frozenset[DevelopmentPath]
    jp_per_year: Decimal


_P = DevelopmentPath

PPPK_LIMITS: Mapping[str, PppkLimits] = MappingProxyType(
    {
        # Perwal 74/2022 Pasal 23 ayat (4) klasikal "pelatihan/seminar/konferensi/sarasehan;
        # workshop atau lokakarya; kursus; penataran; bimbingan teknis; sosialisasi" and ayat (5)
        # nonklasikal "coaching; mentoring; e-learning; pelatihan jarak jauh; belajar mandiri;
        # komunitas belajar; diskusi kelompok terarah". The "pelatihan" of ayat (4) huruf a is read
        # as pelatihan teknis only: ayat (1) limits PPPK development to "lingkup Kompetensi
        # Teknis", so struktural, manajerial, fungsional and sosial kultural trainings are not
        # PPPK forms (DOMAIN.md reads it the same way). Pasal 4 ayat (3): "paling banyak 24 JP".
        "tangsel-2022": PppkLimits(
            forms=frozenset(
                {
                    _P.PELATIHAN_TEKNIS,
                    _P.SEMINAR,
                    _P.WORKSHOP,
                    _P.KURSUS,
                    _P.PENATARAN,
                    _P.BIMBINGAN_TEKNIS,
                    _P.SOSIALISASI,
                    _P.COACHING,
                    _P.MENTORING,
                    _P.E_LEARNING,
                    _P.PELATIHAN_JARAK_JAUH,
                    _P.BELAJAR_MANDIRI,
                    _P.KOMUNITAS_BELAJAR,
                    _P.FGD,
                }
            ),
            jp_per_year=Decimal(24),
        ),
    }
)

#: How a yearly activity cap names its path in a reason.
_YEARLY_LABELS = {
    _P.PATOK_BANDING: "patok banding",
    _P.BIMBINGAN_TEMPAT_KERJA: "bimbingan di tempat kerja",
}

_EXACT = decimal.Context(
    prec=50,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow, decimal.Inexact],
)
# Only for bookkeeping a cut internasional credit back into hours (x / 1.2 may not terminate):
# rounded up, so the budget left is never overstated.
_BOOKKEEPING = decimal.Context(prec=50, rounding=decimal.ROUND_CEILING)


def _plain(value: Decimal) -> Decimal:
    return Decimal(plain_decimal(_EXACT.plus(value)))


def jp_from_minutes(minutes: int) -> Decimal:
    """Whole jam pelajaran in ``minutes`` (45 minutes each; an unfinished one is not credited)."""
    return Decimal(minutes // MINUTES_PER_JP)


def _days(start: date, end: date) -> Iterator[date]:
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


def _factor(conversion: Conversion | None) -> Decimal:
    return rules.UPLIFT if conversion is not None and conversion.uplift else Decimal(1)


def _conversion_or_none(rule_set: str, path: DevelopmentPath, scope: Scope) -> Conversion | None:
    rule = rules.RULE_SETS[rule_set].get(path)
    return None if rule is None else rule.for_scope(scope)


# --- validation -------------------------------------------------------------------------------


def _check_entry(entry: LogEntry, index: int, kind: RuleKind) -> None:
    field = f"sessions[{index}]"
    if entry.end_date is not None and entry.end_date < entry.date:
        raise InvalidInput(
            f"Tanggal selesai ({entry.end_date.isoformat()}) tidak boleh sebelum tanggal "
            f"({entry.date.isoformat()}).",
            field=f"{field}.end_date",
        )
    if (entry.last_date - entry.date).days >= MAX_SPAN_DAYS:
        raise InvalidInput("Rentang tanggal satu entri terlalu panjang.", field=f"{field}.end_date")
    if kind is RuleKind.PER_SESSION and entry.last_date != entry.date:
        raise InvalidInput(
            "Satu sesi berlangsung pada satu tanggal: catat setiap sesi sebagai entri tersendiri.",
            field=f"{field}.end_date",
        )
    if entry.minutes is not None and entry.jp is not None:
        raise InvalidInput(
            "Isi salah satu saja: minutes (durasi dalam menit) atau jp.", field=f"{field}.jp"
        )
    if entry.minutes is not None and (
        isinstance(entry.minutes, bool) or not isinstance(entry.minutes, int) or entry.minutes < 0
    ):
        raise InvalidInput(
            "Durasi (minutes) harus bilangan bulat tidak negatif.", field=f"{field}.minutes"
        )
    if entry.jp is not None and (
        not isinstance(entry.jp, Decimal) or not entry.jp.is_finite() or entry.jp < 0
    ):
        raise InvalidInput(
            "JP harus bilangan desimal yang tepat dan tidak negatif.", field=f"{field}.jp"
        )


# --- the ledger of what is already credited ---------------------------------------------------


class _Ledger:
    """What the caps have already taken, for one employee, path and rule set."""

    def __init__(self, rule_set: str, path: DevelopmentPath) -> None:
        self.rule_set = rule_set
        self.path = path
        self.sessions_by_month: Counter[tuple[int, int]] = Counter()
        self.activities_by_year: Counter[int] = Counter()
        self.days_credited: set[date] = set()
        self.hours_by_day: defaultdict[date, Decimal] = defaultdict(Decimal)
        self.jp_by_year: defaultdict[int, Decimal] = defaultdict(Decimal)  # every path

    def record(
        self,
        path: DevelopmentPath,
        scope: Scope,
        start: date,
        end: date,
        jp: Decimal,
        *,
        cap_per_day: Decimal | None = None,
    ) -> None:
        if jp <= 0:
            return
        self.jp_by_year[end.year] += jp
        if path is not self.path:
            return
        self.sessions_by_month[(start.year, start.month)] += 1
        self.activities_by_year[end.year] += 1
        self.days_credited.update(_days(start, end))
        # The hours behind the credit (without +20%), spread over its days as far as each day's
        # budget allows, the rest on its last day.
        hours = _BOOKKEEPING.divide(jp, _factor(_conversion_or_none(self.rule_set, path, scope)))
        for day in _days(start, end):
            if cap_per_day is None or day == end:
                self.hours_by_day[day] += hours
                break
            take = min(hours, max(cap_per_day - self.hours_by_day[day], Decimal(0)))
            self.hours_by_day[day] += take
            hours -= take
            if hours <= 0:
                break

    def hours_left(self, start: date, end: date, cap_per_day: Decimal) -> Decimal:
        return sum(
            (max(cap_per_day - self.hours_by_day[day], Decimal(0)) for day in _days(start, end)),
            Decimal(0),
        )


# --- crediting --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Offer:
    """What one entry credits under the path's own caps, before the PPPK ceiling."""

    jp: Decimal
    reason: str | None = None


def credit_log(
    rule_set: str,
    path: DevelopmentPath,
    scope: Scope,
    entries: Sequence[LogEntry],
    *,
    employment: Employment | None = None,
    prior: Sequence[PriorCredit] = (),
) -> LogCredit:
    """Credit ``entries`` of ``path`` / ``scope`` under ``rule_set`` (see the module docstring).

    ``employment`` None is read as PNS (no PPPK limits). Refuses with
    :class:`~registry.domain.errors.InvalidInput` an unregulated path or scope, an empty or
    oversized log, a malformed entry, or an entry missing what its row needs (the hours studied,
    the program's JP).
    """
    name = rules.parse_rule_set(rule_set)
    conversion = rules.conversion_for(name, path, scope)
    if not entries:
        raise InvalidInput("Daftar sesi tidak boleh kosong.", field="sessions")
    if len(entries) > MAX_ENTRIES:
        raise InvalidInput(
            f"Daftar sesi terlalu panjang ({len(entries)} entri, maks. {MAX_ENTRIES}).",
            field="sessions",
        )
    for index, entry in enumerate(entries):
        _check_entry(entry, index, conversion.kind)

    ledger = _Ledger(name, path)
    for credit in prior:
        prior_conversion = _conversion_or_none(name, credit.path, credit.scope)
        ledger.record(
            credit.path,
            credit.scope,
            credit.date,
            credit.last_date,
            credit.jp,
            cap_per_day=_daily_cap(prior_conversion),
        )

    pppk = PPPK_LIMITS.get(name) if employment is Employment.PPPK else None
    verdicts: list[EntryVerdict | None] = [None] * len(entries)
    order = sorted(range(len(entries)), key=lambda i: (entries[i].date, i))
    try:
        for index in order:
            entry = entries[index]
            verdicts[index] = _credit_entry(
                name, path, scope, conversion, entry, index, ledger, pppk
            )
    except decimal.DecimalException as exc:
        raise InvalidInput(
            "JP tidak dapat dihitung secara tepat dari nilai yang diberikan.", field="sessions"
        ) from exc
    done = tuple(v for v in verdicts if v is not None)
    total = sum((v.jp for v in done), Decimal(0))
    return LogCredit(jp=_plain(total), entries=done)


def _daily_cap(conversion: Conversion | None) -> Decimal | None:
    if conversion is not None and conversion.kind is RuleKind.CAPPED_PER_DAY:
        return conversion.jp
    return None


def _credit_entry(
    rule_set: str,
    path: DevelopmentPath,
    scope: Scope,
    conversion: Conversion,
    entry: LogEntry,
    index: int,
    ledger: _Ledger,
    pppk: PppkLimits | None,
) -> EntryVerdict:
    start, end = entry.date, entry.last_date

    def verdict(jp: Decimal, *reasons: str | None) -> EntryVerdict:
        said = "; ".join(r for r in reasons if r)
        return EntryVerdict(start, end, _plain(jp), jp > 0, said or None)

    if pppk is not None and path not in pppk.forms:
        return verdict(Decimal(0), "bukan bentuk pengembangan kompetensi PPPK")

    offer = _offer(rule_set, path, scope, conversion, entry, index, ledger)
    jp, pppk_reason = offer.jp, None
    if pppk is not None and jp > 0:
        remaining = max(pppk.jp_per_year - ledger.jp_by_year[end.year], Decimal(0))
        ceiling = plain_decimal(pppk.jp_per_year)
        if remaining <= 0:
            jp = Decimal(0)
            pppk_reason = (
                f"batas {ceiling} JP per tahun bagi PPPK ({end.year}) sudah tercapai "
                "(Pasal 4 ayat (3))"
            )
        elif jp > remaining:
            jp = remaining
            pppk_reason = (
                f"dipotong menjadi {plain_decimal(remaining)} JP: sisa batas {ceiling} JP per "
                f"tahun bagi PPPK ({end.year}, Pasal 4 ayat (3))"
            )
    ledger.record(path, scope, start, end, jp, cap_per_day=_daily_cap(conversion))
    return verdict(jp, offer.reason, pppk_reason)


def _offer(
    rule_set: str,
    path: DevelopmentPath,
    scope: Scope,
    conversion: Conversion,
    entry: LogEntry,
    index: int,
    ledger: _Ledger,
) -> _Offer:
    start, end = entry.date, entry.last_date
    kind = conversion.kind
    factor = _factor(conversion)

    if kind is RuleKind.PER_SESSION:
        figure = _figure(conversion)
        cap = conversion.sessions_per_month
        if cap is not None and ledger.sessions_by_month[(start.year, start.month)] >= cap:
            return _Offer(Decimal(0), f"melebihi batas {cap} sesi per bulan")
        return _Offer(figure)

    if kind is RuleKind.PER_ACTIVITY and conversion.activities_per_year is not None:
        cap = conversion.activities_per_year
        if ledger.activities_by_year[end.year] >= cap:
            label = _YEARLY_LABELS.get(path, path.value.replace("_", " "))
            times = "1 kali" if cap == 1 else f"{cap} kali"
            return _Offer(Decimal(0), f"{label} hanya diakui {times} setahun")
        return _Offer(_single(rule_set, path, scope, entry, index))

    if kind is RuleKind.PER_DAY:
        days = list(_days(start, end))
        free = [day for day in days if day not in ledger.days_credited]
        if not free:
            return _Offer(Decimal(0), _days_taken_reason(days))
        reason = (
            _days_taken_reason([d for d in days if d not in free])
            if len(free) < len(days)
            else None
        )
        if conversion.evidence_jp_wins and entry.jp is not None:
            return _Offer(entry.jp, reason)
        figure = _figure(conversion)
        return _Offer(_EXACT.multiply(_EXACT.multiply(figure, Decimal(len(free))), factor), reason)

    if kind is RuleKind.CAPPED_PER_DAY:
        daily = _figure(conversion)
        if entry.jp is not None:
            hours = entry.jp
        elif entry.minutes is not None:
            hours = jp_from_minutes(entry.minutes)
        else:
            raise InvalidInput(
                f"Isi durasi (minutes) atau jp untuk setiap sesi {path.value}: JP dikreditkan "
                f"sesuai jam belajar, paling tinggi {plain_decimal(daily)} JP per hari.",
                field=f"sessions[{index}].minutes",
            )
        if hours == 0 and entry.minutes is not None:
            return _Offer(
                Decimal(0),
                f"durasi {entry.minutes} menit kurang dari 1 JP ({MINUTES_PER_JP} menit)",
            )
        left = ledger.hours_left(start, end, daily)
        if hours <= left:
            return _Offer(_EXACT.multiply(hours, factor))
        return _Offer(_EXACT.multiply(left, factor), f"maksimal {plain_decimal(daily)} JP per hari")

    # Rows with no cap of their own (program JP, per activity, per semester, capped per
    # activity): exactly what jp.py credits for the entry as one activity.
    return _Offer(_single(rule_set, path, scope, entry, index))


def _single(
    rule_set: str, path: DevelopmentPath, scope: Scope, entry: LogEntry, index: int
) -> Decimal:
    activity = rules.Activity(
        path=path,
        scope=scope,
        start_date=entry.date,
        end_date=entry.last_date,
        stated_jp=entry.jp,
        sessions=1,
        semesters=1 if entry.semesters is None else entry.semesters,
    )
    try:
        return rules.credited_jp(rule_set, activity)
    except InvalidInput as exc:
        # Name the entry, not the single-activity field jp.py names.
        leaf = (exc.field or "jp").rsplit(".", 1)[-1]
        raise InvalidInput(exc.message, field=f"sessions[{index}].{leaf}", **exc.extra) from None


def _figure(conversion: Conversion) -> Decimal:
    if conversion.jp is None:  # pragma: no cover - every counted row in the tables has a figure
        raise AssertionError("rule has no JP figure")
    return conversion.jp


def _days_taken_reason(days: list[date]) -> str:
    if len(days) == 1:
        return f"hari {days[0].isoformat()} sudah dihitung untuk jalur ini"
    return f"{len(days)} hari sudah dihitung untuk jalur ini ({days[0].isoformat()} dst.)"
