"""The session-log JP engine: figures per path, each cap at its edge, caps across letters, PPPK."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from registry.domain.errors import InvalidInput
from registry.domain.jp import DevelopmentPath, Scope
from registry.domain.jp_sessions import (
    LogEntry,
    PriorCredit,
    credit_log,
    jp_from_minutes,
)
from registry.domain.nip import Employment

P = DevelopmentPath
NAS, INT = Scope.NASIONAL, Scope.INTERNASIONAL
TANGSEL, KUBAR = "tangsel-2022", "kubar-2024"
PNS, PPPK = Employment.PNS, Employment.PPPK


def d(text: str) -> date:
    return date.fromisoformat(text)


def on(*days: str, **fields: object) -> list[LogEntry]:
    return [LogEntry(d(day), **fields) for day in days]  # type: ignore[arg-type]


def jps(result_entries: object) -> list[str]:
    return [str(v.jp) for v in result_entries]  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Case:
    name: str
    rule_set: str
    path: DevelopmentPath
    scope: Scope
    entries: list[LogEntry]
    expected: list[str]  # JP per entry, in the order given
    reasons: list[str | None] | None = None  # None: not checked
    employment: Employment | None = None
    prior: tuple[PriorCredit, ...] = ()


def prior(path: DevelopmentPath, day: str, jp: str, scope: Scope = NAS) -> PriorCredit:
    return PriorCredit(path=path, scope=scope, date=d(day), jp=Decimal(jp))


MONTH_CAP_2 = "melebihi batas 2 sesi per bulan"
MONTH_CAP_3 = "melebihi batas 3 sesi per bulan"
DAY_CAP_2 = "maksimal 2 JP per hari"

CASES = [
    # --- session paths, every row of both rule sets --------------------------------------------
    # tangsel coaching: 2 (4) JP per session, "maksimal dihitung 2 kali dalam 1 bulan"
    Case("tangsel coaching at cap", TANGSEL, P.COACHING, NAS,
         on("2026-03-02", "2026-03-30"), ["2", "2"], [None, None]),
    Case("tangsel coaching one over", TANGSEL, P.COACHING, NAS,
         on("2026-03-02", "2026-03-09", "2026-03-16"), ["2", "2", "0"], [None, None, MONTH_CAP_2]),
    Case("tangsel coaching internasional one over", TANGSEL, P.COACHING, INT,
         on("2026-03-02", "2026-03-09", "2026-03-16"), ["4", "4", "0"], [None, None, MONTH_CAP_2]),
    Case("tangsel coaching month boundary: 31 Jan and 1 Feb are different months", TANGSEL,
         P.COACHING, NAS, on("2026-01-30", "2026-01-31", "2026-02-01", "2026-02-02"),
         ["2", "2", "2", "2"]),
    Case("tangsel coaching year boundary", TANGSEL, P.COACHING, NAS,
         on("2025-12-30", "2025-12-31", "2026-01-01"), ["2", "2", "2"]),
    Case("log given out of order is counted in date order", TANGSEL, P.COACHING, NAS,
         on("2026-03-20", "2026-03-02", "2026-03-09"), ["0", "2", "2"],
         [MONTH_CAP_2, None, None]),
    Case("minutes do not change a session's figure", TANGSEL, P.COACHING, NAS,
         [LogEntry(d("2026-03-02"), minutes=30), LogEntry(d("2026-03-03"), minutes=240)],
         ["2", "2"]),
    Case("tangsel mentoring one over", TANGSEL, P.MENTORING, NAS,
         on("2026-03-02", "2026-03-09", "2026-03-16"), ["2", "2", "0"], [None, None, MONTH_CAP_2]),
    Case("tangsel mentoring internasional read with the same cap", TANGSEL, P.MENTORING, INT,
         on("2026-03-02", "2026-03-09", "2026-03-16"), ["4", "4", "0"]),
    # kubar coaching: "maksimal 3 kali pertemuan dalam 1 bulan"
    Case("kubar coaching at cap", KUBAR, P.COACHING, NAS,
         on("2026-03-02", "2026-03-09", "2026-03-16"), ["2", "2", "2"]),
    Case("kubar coaching one over", KUBAR, P.COACHING, INT,
         on("2026-03-02", "2026-03-09", "2026-03-16", "2026-03-23"), ["4", "4", "4", "0"],
         [None, None, None, MONTH_CAP_3]),
    Case("kubar mentoring has no cap", KUBAR, P.MENTORING, NAS,
         on("2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06"),
         ["2", "2", "2", "2", "2"]),
    Case("kubar mentoring internasional", KUBAR, P.MENTORING, INT, on("2026-03-02"), ["4"]),
    # belajar mandiri: hours studied (45-minute JP), at most 2 JP a day
    Case("tangsel belajar mandiri at the day cap", TANGSEL, P.BELAJAR_MANDIRI, NAS,
         [LogEntry(d("2026-03-02"), minutes=90)], ["2"], [None]),
    Case("tangsel belajar mandiri one over the day cap", TANGSEL, P.BELAJAR_MANDIRI, NAS,
         [LogEntry(d("2026-03-02"), minutes=135)], ["2"], [DAY_CAP_2]),
    Case("stated JP never lifts the day cap", TANGSEL, P.BELAJAR_MANDIRI, NAS,
         [LogEntry(d("2026-03-02"), jp=Decimal(8))], ["2"], [DAY_CAP_2]),
    Case("two sessions on one day share the day cap", TANGSEL, P.BELAJAR_MANDIRI, NAS,
         [LogEntry(d("2026-03-02"), minutes=45), LogEntry(d("2026-03-02"), minutes=90),
          LogEntry(d("2026-03-02"), minutes=45), LogEntry(d("2026-03-03"), minutes=90)],
         ["1", "1", "0", "2"], [None, DAY_CAP_2, DAY_CAP_2, None]),
    Case("an unfinished lesson hour is not credited", TANGSEL, P.BELAJAR_MANDIRI, NAS,
         [LogEntry(d("2026-03-02"), minutes=60), LogEntry(d("2026-03-03"), minutes=44)],
         ["1", "0"], [None, "durasi 44 menit kurang dari 1 JP (45 menit)"]),
    Case("tangsel belajar mandiri internasional: capped hours +20%", TANGSEL,
         P.BELAJAR_MANDIRI, INT, [LogEntry(d("2026-03-02"), minutes=180)], ["2.4"], [DAY_CAP_2]),
    Case("kubar belajar mandiri: day cap, no 2x-a-month cap (Persyaratan)", KUBAR,
         P.BELAJAR_MANDIRI, NAS, on("2026-03-02", "2026-03-03", "2026-03-04", minutes=90),
         ["2", "2", "2"], [None, None, None]),
    Case("kubar belajar mandiri internasional", KUBAR, P.BELAJAR_MANDIRI, INT,
         [LogEntry(d("2026-03-02"), jp=Decimal(1))], ["1.2"]),
    # komunitas belajar
    Case("tangsel komunitas belajar day cap", TANGSEL, P.KOMUNITAS_BELAJAR, NAS,
         [LogEntry(d("2026-03-02"), minutes=90), LogEntry(d("2026-03-02"), minutes=45)],
         ["2", "0"], [None, DAY_CAP_2]),
    Case("tangsel komunitas belajar internasional", TANGSEL, P.KOMUNITAS_BELAJAR, INT,
         [LogEntry(d("2026-03-02"), jp=Decimal(2))], ["2.4"]),
    Case("kubar komunitas belajar: 2 JP a day, each day once, no 3x-a-month cap", KUBAR,
         P.KOMUNITAS_BELAJAR, NAS,
         on("2026-03-02", "2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05", minutes=60),
         ["2", "0", "2", "2", "2"],
         [None, "hari 2026-03-02 sudah dihitung untuk jalur ini", None, None, None]),
    Case("kubar komunitas belajar: a JP on the evidence wins", KUBAR, P.KOMUNITAS_BELAJAR, INT,
         [LogEntry(d("2026-03-02"), jp=Decimal(5)), LogEntry(d("2026-03-03"))], ["5", "3"]),
    # bimbingan di tempat kerja: kubar only, 1 JP, at most 4 a year
    Case("kubar bimbingan di tempat kerja at cap", KUBAR, P.BIMBINGAN_TEMPAT_KERJA, NAS,
         on("2026-01-05", "2026-02-05", "2026-03-05", "2026-12-31"), ["1", "1", "1", "1"]),
    Case("kubar bimbingan di tempat kerja one over, year boundary frees it", KUBAR,
         P.BIMBINGAN_TEMPAT_KERJA, NAS,
         on("2026-01-05", "2026-01-06", "2026-01-07", "2026-01-08", "2026-12-31", "2027-01-01"),
         ["1", "1", "1", "1", "0", "1"],
         [None, None, None, None, "bimbingan di tempat kerja hanya diakui 4 kali setahun", None]),
    # --- activity paths: dates and stated JP as jp.py takes them -------------------------------
    Case("kubar patok banding once a year", KUBAR, P.PATOK_BANDING, NAS,
         on("2026-03-02", "2026-11-02", "2027-01-04"), ["10", "0", "10"],
         [None, "patok banding hanya diakui 1 kali setahun", None]),
    Case("kubar patok banding internasional", KUBAR, P.PATOK_BANDING, INT, on("2026-03-02"),
         ["20"]),
    Case("tangsel patok banding has no yearly cap", TANGSEL, P.PATOK_BANDING, NAS,
         on("2026-03-02", "2026-11-02"), ["10", "10"]),
    Case("tangsel e-learning: certificate JP capped per day of access", TANGSEL, P.E_LEARNING,
         NAS, [LogEntry(d("2026-03-02"), jp=Decimal(20)),
               LogEntry(d("2026-03-09"), end_date=d("2026-03-10"), jp=Decimal(5))],
         ["3", "5"], ["maksimal 3 JP per hari", None]),
    Case("kubar e-learning: certificate JP wins, else 3 a day", KUBAR, P.E_LEARNING, NAS,
         [LogEntry(d("2026-03-02"), jp=Decimal(20)),
          LogEntry(d("2026-03-09"), end_date=d("2026-03-10"))], ["20", "6"]),
    Case("tangsel seminar per day, the certificate's JP ignored", TANGSEL, P.SEMINAR, NAS,
         [LogEntry(d("2026-03-02"), end_date=d("2026-03-03"), jp=Decimal(16))], ["8"]),
    Case("a day already credited for the path credits nothing again", TANGSEL, P.FGD, INT,
         [LogEntry(d("2026-03-02"), end_date=d("2026-03-03")), LogEntry(d("2026-03-03"))],
         ["12", "0"], [None, "hari 2026-03-03 sudah dihitung untuk jalur ini"]),
    Case("program JP rows as jp.py", TANGSEL, P.PELATIHAN_TEKNIS, INT,
         [LogEntry(d("2026-03-02"), end_date=d("2026-03-06"), jp=Decimal(40))], ["48"]),
    Case("pendidikan tinggi per semester", TANGSEL, P.PENDIDIKAN_TINGGI, NAS,
         [LogEntry(d("2026-06-30"), semesters=2)], ["40"]),
    Case("kubar magang capped per activity", KUBAR, P.MAGANG, NAS,
         [LogEntry(d("2026-03-02"), end_date=d("2026-05-29"), jp=Decimal(60))], ["20"]),
    # --- caps across letters ----------------------------------------------------------------
    Case("two letters in one month: the earlier letter's session takes a slot", TANGSEL,
         P.COACHING, NAS, on("2026-03-16", "2026-03-23"), ["2", "0"], [None, MONTH_CAP_2],
         prior=(prior(P.COACHING, "2026-03-02", "2"),)),
    Case("back-dated session in a month the earlier letters filled gets 0", TANGSEL,
         P.COACHING, NAS, on("2026-03-01"), ["0"], [MONTH_CAP_2],
         prior=(prior(P.COACHING, "2026-03-10", "2"), prior(P.COACHING, "2026-03-20", "4", INT))),
    Case("revoked letter absent from prior credits frees its sessions", TANGSEL, P.COACHING, NAS,
         on("2026-03-01", "2026-03-02"), ["2", "2"],
         prior=(prior(P.COACHING, "2026-04-10", "2"),)),
    Case("mentoring credits do not fill the coaching cap", TANGSEL, P.COACHING, NAS,
         on("2026-03-16", "2026-03-23"), ["2", "2"],
         prior=(prior(P.MENTORING, "2026-03-02", "2"), prior(P.MENTORING, "2026-03-03", "2"))),
    Case("prior credits of 0 JP take no slot", TANGSEL, P.COACHING, NAS,
         on("2026-03-16", "2026-03-23"), ["2", "2"],
         prior=(prior(P.COACHING, "2026-03-02", "0"), prior(P.COACHING, "2026-03-03", "0"))),
    Case("patok banding: another letter this year took it", KUBAR, P.PATOK_BANDING, NAS,
         on("2026-11-02"), ["0"], ["patok banding hanya diakui 1 kali setahun"],
         prior=(prior(P.PATOK_BANDING, "2026-02-01", "10"),)),
    Case("patok banding: a letter of last year does not", KUBAR, P.PATOK_BANDING, NAS,
         on("2026-01-02"), ["10"], prior=(prior(P.PATOK_BANDING, "2025-12-31", "10"),)),
    Case("bimbingan di tempat kerja: three earlier this year leave one", KUBAR,
         P.BIMBINGAN_TEMPAT_KERJA, NAS, on("2026-06-01", "2026-06-02"), ["1", "0"],
         prior=tuple(prior(P.BIMBINGAN_TEMPAT_KERJA, f"2026-0{m}-01", "1") for m in (1, 2, 3))),
    Case("belajar mandiri: another letter's hours on that day count", TANGSEL,
         P.BELAJAR_MANDIRI, NAS,
         [LogEntry(d("2026-03-02"), minutes=90), LogEntry(d("2026-03-03"), minutes=90)],
         ["1", "2"], [DAY_CAP_2, None], prior=(prior(P.BELAJAR_MANDIRI, "2026-03-02", "1"),)),
    Case("belajar mandiri internasional prior counted back into hours", TANGSEL,
         P.BELAJAR_MANDIRI, NAS, [LogEntry(d("2026-03-02"), minutes=90)], ["0"], [DAY_CAP_2],
         prior=(prior(P.BELAJAR_MANDIRI, "2026-03-02", "2.4", INT),)),
    # --- PPPK under tangsel-2022 --------------------------------------------------------------
    Case("PPPK coaching is a Pasal 23 form", TANGSEL, P.COACHING, NAS, on("2026-03-02"), ["2"],
         [None], employment=PPPK),
    Case("PPPK patok banding is not a Pasal 23 form", TANGSEL, P.PATOK_BANDING, NAS,
         on("2026-03-02"), ["0"], ["bukan bentuk pengembangan kompetensi PPPK"],
         employment=PPPK),
    Case("PPPK pelatihan manajerial is not a Pasal 23 form", TANGSEL, P.PELATIHAN_MANAJERIAL,
         NAS, [LogEntry(d("2026-03-02"), jp=Decimal(20))], ["0"],
         ["bukan bentuk pengembangan kompetensi PPPK"], employment=PPPK),
    Case("PNS patok banding counts", TANGSEL, P.PATOK_BANDING, NAS, on("2026-03-02"), ["10"],
         employment=PNS),
    Case("kubar has no PPPK limits", KUBAR, P.PATOK_BANDING, NAS, on("2026-03-02"), ["10"],
         employment=PPPK),
    Case("PPPK exactly at 24 JP a year", TANGSEL, P.PELATIHAN_TEKNIS, NAS,
         [LogEntry(d("2026-03-02"), jp=Decimal(20)), LogEntry(d("2026-04-02"), jp=Decimal(4))],
         ["20", "4"], [None, None], employment=PPPK),
    Case("PPPK one over 24 JP is cut to what remains", TANGSEL, P.PELATIHAN_TEKNIS, NAS,
         [LogEntry(d("2026-03-02"), jp=Decimal(20)), LogEntry(d("2026-04-02"), jp=Decimal(5)),
          LogEntry(d("2026-05-02"), jp=Decimal(5)), LogEntry(d("2027-01-02"), jp=Decimal(5))],
         ["20", "4", "0", "5"],
         [None,
          "dipotong menjadi 4 JP: sisa batas 24 JP per tahun bagi PPPK (2026, Pasal 4 ayat (3))",
          "batas 24 JP per tahun bagi PPPK (2026) sudah tercapai (Pasal 4 ayat (3))", None],
         employment=PPPK),
    Case("PPPK ceiling counts other paths' earlier letters", TANGSEL, P.COACHING, NAS,
         on("2026-09-01", "2026-09-02"), ["1", "0"], employment=PPPK,
         prior=(prior(P.SEMINAR, "2026-02-10", "20"), prior(P.E_LEARNING, "2026-03-01", "3"))),
    Case("PNS has no 24 JP ceiling", TANGSEL, P.PELATIHAN_TEKNIS, NAS,
         [LogEntry(d("2026-03-02"), jp=Decimal(20)), LogEntry(d("2026-04-02"), jp=Decimal(20))],
         ["20", "20"], employment=PNS),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_session_log(case: Case) -> None:
    result = credit_log(
        case.rule_set,
        case.path,
        case.scope,
        case.entries,
        employment=case.employment,
        prior=case.prior,
    )
    assert jps(result.entries) == case.expected
    assert [v.date for v in result.entries] == [e.date for e in case.entries]
    assert result.jp == sum(Decimal(x) for x in case.expected)
    assert [v.counted for v in result.entries] == [Decimal(x) > 0 for x in case.expected]
    if case.reasons is not None:
        assert [v.reason for v in result.entries] == case.reasons


def test_every_session_path_of_both_rule_sets_is_covered() -> None:
    session_paths = {
        P.COACHING,
        P.MENTORING,
        P.BELAJAR_MANDIRI,
        P.KOMUNITAS_BELAJAR,
        P.BIMBINGAN_TEMPAT_KERJA,
    }
    covered = {(c.rule_set, c.path, c.scope) for c in CASES}
    for rule_set in (TANGSEL, KUBAR):
        for path in session_paths:
            for scope in (NAS, INT):
                if (rule_set, path) == (TANGSEL, P.BIMBINGAN_TEMPAT_KERJA) or (
                    path is P.BIMBINGAN_TEMPAT_KERJA and scope is INT
                ):
                    continue  # not regulated: refused (below)
                assert (rule_set, path, scope) in covered, (rule_set, path, scope)


@pytest.mark.parametrize(
    ("rule_set", "path", "scope", "entries", "field"),
    [
        (TANGSEL, P.BIMBINGAN_TEMPAT_KERJA, NAS, on("2026-03-02"), "activity.path"),
        (KUBAR, P.BIMBINGAN_TEMPAT_KERJA, INT, on("2026-03-02"), "activity.scope"),
        (TANGSEL, P.COACHING, NAS, [], "sessions"),
        (TANGSEL, P.COACHING, NAS, on("2026-03-02") * 401, "sessions"),
        (TANGSEL, P.COACHING, NAS, [LogEntry(d("2026-03-02"), end_date=d("2026-03-03"))],
         "sessions[0].end_date"),
        (TANGSEL, P.SEMINAR, NAS, [LogEntry(d("2026-03-03"), end_date=d("2026-03-02"))],
         "sessions[0].end_date"),
        (TANGSEL, P.BELAJAR_MANDIRI, NAS, on("2026-03-02"), "sessions[0].minutes"),
        (TANGSEL, P.BELAJAR_MANDIRI, NAS,
         [LogEntry(d("2026-03-02"), minutes=90, jp=Decimal(2))], "sessions[0].jp"),
        (TANGSEL, P.BELAJAR_MANDIRI, NAS, [LogEntry(d("2026-03-02"), minutes=-1)],
         "sessions[0].minutes"),
        (TANGSEL, P.BELAJAR_MANDIRI, NAS, [LogEntry(d("2026-03-02"), jp=Decimal(-1))],
         "sessions[0].jp"),
        (TANGSEL, P.KURSUS, NAS, on("2026-03-02", "2026-03-03"), "sessions[0].jp"),
    ],
)  # fmt: skip
def test_bad_logs_are_refused_naming_the_field(
    rule_set: str, path: DevelopmentPath, scope: Scope, entries: list[LogEntry], field: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        credit_log(rule_set, path, scope, entries)
    assert caught.value.field == field


def test_minutes_are_whole_45_minute_lesson_hours() -> None:
    assert [jp_from_minutes(m) for m in (0, 44, 45, 89, 90, 135)] == [
        Decimal(n) for n in (0, 0, 1, 1, 2, 3)
    ]


# --- properties -------------------------------------------------------------------------------

DAY0 = date(2025, 11, 1)
days = st.integers(min_value=0, max_value=120).map(lambda n: DAY0 + timedelta(days=n))


@given(
    st.lists(days, min_size=1, max_size=30),
    st.lists(days, max_size=10),
    st.sampled_from([(TANGSEL, 2), (KUBAR, 3)]),
)
def test_sessions_never_pass_the_monthly_cap(
    dates: list[date], earlier: list[date], rules: tuple[str, int]
) -> None:
    rule_set, cap = rules
    prior_credits = [PriorCredit(P.COACHING, NAS, day, Decimal(2)) for day in earlier]
    result = credit_log(
        rule_set, P.COACHING, NAS, [LogEntry(x) for x in dates], prior=prior_credits
    )
    assert result.jp == sum(v.jp for v in result.entries)
    earlier_by_month = Counter((x.year, x.month) for x in earlier)
    counted_by_month = Counter((v.date.year, v.date.month) for v in result.entries if v.counted)
    for month in {(x.year, x.month) for x in dates}:
        room = max(cap - earlier_by_month[month], 0)
        # Never above the cap, and never a session refused while the month had room.
        assert counted_by_month[month] == min(
            room, sum(1 for x in dates if (x.year, x.month) == month)
        )
    for verdict in result.entries:
        assert verdict.jp == (2 if verdict.counted else 0)
        if not verdict.counted:
            assert verdict.reason == f"melebihi batas {cap} sesi per bulan"


@given(
    st.lists(st.tuples(days, st.integers(min_value=0, max_value=300)), min_size=1, max_size=30),
    st.sampled_from([NAS, INT]),
    st.sampled_from([PNS, PPPK]),
)
def test_hours_never_pass_the_day_cap_nor_the_pppk_ceiling(
    log: list[tuple[date, int]], scope: Scope, employment: Employment
) -> None:
    entries = [LogEntry(day, minutes=minutes) for day, minutes in log]
    result = credit_log(TANGSEL, P.BELAJAR_MANDIRI, scope, entries, employment=employment)
    assert result.jp == sum(v.jp for v in result.entries)
    factor = Decimal("1.2") if scope is INT else Decimal(1)
    per_day: defaultdict[date, Decimal] = defaultdict(Decimal)
    per_year: defaultdict[int, Decimal] = defaultdict(Decimal)
    for verdict, entry in zip(result.entries, entries, strict=True):
        assert Decimal(0) <= verdict.jp <= jp_from_minutes(entry.minutes or 0) * factor
        per_day[verdict.date] += verdict.jp
        per_year[verdict.date.year] += verdict.jp
    assert all(total <= 2 * factor for total in per_day.values())
    if employment is PPPK:
        assert all(total <= 24 for total in per_year.values())
