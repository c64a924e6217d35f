from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from registry.domain.errors import InvalidInput
from registry.domain.jp import (
    DEFAULT_RULE_SET,
    RULE_SET_NAMES,
    RULE_SETS,
    Activity,
    DevelopmentPath,
    RuleKind,
    Scope,
    conversion_for,
    count_days,
    count_months,
    credited_jp,
    parse_path,
    parse_rule_set,
    parse_scope,
)

P = DevelopmentPath
NAS = Scope.NASIONAL
INT = Scope.INTERNASIONAL
TANGSEL = "tangsel-2022"
KUBAR = "kubar-2024"

# A three-day activity inside one calendar month (6-8 May 2024).
START = date(2024, 5, 6)
END = date(2024, 5, 8)


@dataclass(frozen=True)
class Refused:
    field: str


def D(value: str) -> Decimal:
    return Decimal(value)


def act(
    path: DevelopmentPath,
    scope: Scope = NAS,
    *,
    start: date = START,
    end: date = END,
    jp: str | None = None,
    sessions: int | None = None,
    semesters: int | None = None,
) -> Activity:
    return Activity(
        path=path,
        scope=scope,
        start_date=start,
        end_date=end,
        stated_jp=None if jp is None else Decimal(jp),
        sessions=sessions,
        semesters=semesters,
    )


def refusal(rule_set: str, activity: Activity) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        credited_jp(rule_set, activity)
    return caught.value


# --- one case for every row of both tables, both scopes ----------------------------------------

CASES: list[Any] = []


def case(
    rule_set: str,
    path: DevelopmentPath,
    scope: Scope,
    variant: str,
    expected: str | Refused,
    *,
    jp: str | None = None,
    sessions: int | None = None,
    semesters: int | None = None,
) -> None:
    activity = act(path, scope, jp=jp, sessions=sessions, semesters=semesters)
    want = expected if isinstance(expected, Refused) else Decimal(expected)
    CASES.append(
        pytest.param(
            rule_set, activity, want, id=f"{rule_set}/{path.value}/{scope.value}/{variant}"
        )
    )


JP_ = Refused("activity.jp")
SCOPE_ = Refused("activity.scope")
PATH_ = Refused("activity.path")
SESSIONS_ = Refused("activity.sessions")
SEMESTERS_ = Refused("activity.semesters")


def program(rule_set: str, path: DevelopmentPath, *, intl: bool) -> None:
    """Program JP nasional; +20% internasional when ``intl``, else internasional refused."""
    case(rule_set, path, NAS, "stated-jp", "25", jp="25")
    case(rule_set, path, NAS, "null-jp", JP_)
    if intl:
        case(rule_set, path, INT, "stated-jp", "30", jp="25")
        case(rule_set, path, INT, "null-jp", JP_)
    else:
        case(rule_set, path, INT, "stated-jp", SCOPE_, jp="25")


def per_day(rule_set: str, path: DevelopmentPath, nas: int, intl: int) -> None:
    """3 days x figure when no JP is stated; a stated JP wins."""
    case(rule_set, path, NAS, "null-jp", str(3 * nas))
    case(rule_set, path, NAS, "stated-jp", "8", jp="8")
    case(rule_set, path, INT, "null-jp", str(3 * intl))
    case(rule_set, path, INT, "stated-jp", "8", jp="8")


def per_activity(rule_set: str, path: DevelopmentPath, nas: str, intl: str | Refused) -> None:
    case(rule_set, path, NAS, "null-jp", nas)
    case(rule_set, path, NAS, "stated-jp", "16", jp="16")
    case(rule_set, path, INT, "null-jp", intl)
    case(rule_set, path, INT, "stated-jp", intl if isinstance(intl, Refused) else "30", jp="30")


def unregulated(rule_set: str, path: DevelopmentPath) -> None:
    case(rule_set, path, NAS, "stated-jp", PATH_, jp="10")
    case(rule_set, path, INT, "stated-jp", PATH_, jp="10")


# tangsel-2022 (seed 003, Lampiran B)
case(TANGSEL, P.PENDIDIKAN_TINGGI, NAS, "semesters", "40", semesters=2)
case(TANGSEL, P.PENDIDIKAN_TINGGI, NAS, "stated-jp", "20", jp="20")
case(TANGSEL, P.PENDIDIKAN_TINGGI, NAS, "null-jp", SEMESTERS_)
case(TANGSEL, P.PENDIDIKAN_TINGGI, INT, "semesters", SCOPE_, semesters=2)
program(TANGSEL, P.PELATIHAN_STRUKTURAL, intl=False)
for _path in (
    P.PELATIHAN_MANAJERIAL,
    P.PELATIHAN_TEKNIS,
    P.PELATIHAN_FUNGSIONAL,
    P.PELATIHAN_SOSIAL_KULTURAL,
    P.KURSUS,
    P.PENATARAN,
    P.BIMBINGAN_TEKNIS,
    P.PELATIHAN_JARAK_JAUH,
    P.OUTBOND,
):
    program(TANGSEL, _path, intl=True)
per_day(TANGSEL, P.SEMINAR, 4, 6)
per_day(TANGSEL, P.SOSIALISASI, 4, 6)
per_day(TANGSEL, P.WORKSHOP, 5, 7)
per_day(TANGSEL, P.FGD, 4, 6)
per_activity(TANGSEL, P.PERTUKARAN, "20", "24")
per_activity(TANGSEL, P.MAGANG, "20", "24")
per_activity(TANGSEL, P.PATOK_BANDING, "10", "20")
for _path in (P.COACHING, P.MENTORING):
    case(TANGSEL, _path, NAS, "sessions", "4", sessions=2)
    case(TANGSEL, _path, NAS, "stated-jp", "6", jp="6")
    case(TANGSEL, _path, NAS, "null-jp", SESSIONS_)
    case(TANGSEL, _path, INT, "sessions", "8", sessions=2)
    case(TANGSEL, _path, INT, "stated-jp", "6", jp="6")
    case(TANGSEL, _path, INT, "null-jp", SESSIONS_)
case(TANGSEL, P.DETASERING, NAS, "null-jp", "20")
case(TANGSEL, P.DETASERING, NAS, "stated-jp", "30", jp="30")
case(TANGSEL, P.DETASERING, INT, "stated-jp", "24", jp="20")
case(TANGSEL, P.DETASERING, INT, "null-jp", JP_)
case(TANGSEL, P.E_LEARNING, NAS, "stated-jp", "5", jp="5")
case(TANGSEL, P.E_LEARNING, NAS, "stated-jp-capped", "9", jp="12")
case(TANGSEL, P.E_LEARNING, NAS, "null-jp", JP_)
case(TANGSEL, P.E_LEARNING, INT, "stated-jp", "12", jp="12")
case(TANGSEL, P.E_LEARNING, INT, "stated-jp-capped", "12", jp="20")
case(TANGSEL, P.E_LEARNING, INT, "null-jp", JP_)
for _path in (P.BELAJAR_MANDIRI, P.KOMUNITAS_BELAJAR):
    case(TANGSEL, _path, NAS, "stated-jp", "4", jp="4")
    case(TANGSEL, _path, NAS, "stated-jp-capped", "6", jp="10")
    case(TANGSEL, _path, NAS, "null-jp", JP_)
    case(TANGSEL, _path, INT, "stated-jp", "4.8", jp="4")
    case(TANGSEL, _path, INT, "stated-jp-capped", "7.2", jp="10")
    case(TANGSEL, _path, INT, "null-jp", JP_)
unregulated(TANGSEL, P.BIMBINGAN_TEMPAT_KERJA)

# kubar-2024 (seed 002, chapter IV)
unregulated(KUBAR, P.PENDIDIKAN_TINGGI)
unregulated(KUBAR, P.FGD)
for _path in (
    P.PELATIHAN_STRUKTURAL,
    P.PELATIHAN_MANAJERIAL,
    P.PELATIHAN_TEKNIS,
    P.PELATIHAN_FUNGSIONAL,
    P.PELATIHAN_SOSIAL_KULTURAL,
):
    program(KUBAR, _path, intl=False)
for _path in (P.KURSUS, P.PENATARAN, P.BIMBINGAN_TEKNIS, P.PELATIHAN_JARAK_JAUH):
    program(KUBAR, _path, intl=True)
per_day(KUBAR, P.SEMINAR, 4, 6)
per_day(KUBAR, P.WORKSHOP, 5, 7)
per_day(KUBAR, P.SOSIALISASI, 4, 6)
case(KUBAR, P.COACHING, NAS, "sessions", "6", sessions=3)
case(KUBAR, P.COACHING, NAS, "stated-jp", "6", jp="6")
case(KUBAR, P.COACHING, NAS, "null-jp", SESSIONS_)
case(KUBAR, P.COACHING, INT, "sessions", "12", sessions=3)
case(KUBAR, P.COACHING, INT, "null-jp", SESSIONS_)
case(KUBAR, P.MENTORING, NAS, "sessions", "10", sessions=5)  # no monthly cap in kubar
case(KUBAR, P.MENTORING, NAS, "stated-jp", "6", jp="6")
case(KUBAR, P.MENTORING, NAS, "null-jp", SESSIONS_)
case(KUBAR, P.MENTORING, INT, "sessions", "20", sessions=5)
case(KUBAR, P.MENTORING, INT, "null-jp", SESSIONS_)
case(KUBAR, P.E_LEARNING, NAS, "stated-jp", "5", jp="5")
case(KUBAR, P.E_LEARNING, NAS, "stated-jp-capped", "9", jp="12")
case(KUBAR, P.E_LEARNING, NAS, "null-jp", JP_)
case(KUBAR, P.E_LEARNING, INT, "stated-jp-capped", "12", jp="20")
case(KUBAR, P.E_LEARNING, INT, "null-jp", JP_)
per_activity(KUBAR, P.DETASERING, "20", "24")
per_activity(KUBAR, P.OUTBOND, "20", "24")
per_activity(KUBAR, P.PATOK_BANDING, "10", "20")
per_activity(KUBAR, P.PERTUKARAN, "20", "24")
per_activity(KUBAR, P.BIMBINGAN_TEMPAT_KERJA, "1", SCOPE_)
case(KUBAR, P.BELAJAR_MANDIRI, NAS, "stated-jp", "4", jp="4")
case(KUBAR, P.BELAJAR_MANDIRI, NAS, "stated-jp-capped", "6", jp="10")
case(KUBAR, P.BELAJAR_MANDIRI, NAS, "null-jp", JP_)
case(KUBAR, P.BELAJAR_MANDIRI, INT, "stated-jp", "4.8", jp="4")
case(KUBAR, P.BELAJAR_MANDIRI, INT, "stated-jp-capped", "7.2", jp="10")
case(KUBAR, P.BELAJAR_MANDIRI, INT, "null-jp", JP_)
case(KUBAR, P.KOMUNITAS_BELAJAR, NAS, "null-jp", "6")
case(KUBAR, P.KOMUNITAS_BELAJAR, NAS, "stated-jp", "4", jp="4")
case(KUBAR, P.KOMUNITAS_BELAJAR, NAS, "stated-jp-capped", "6", jp="10")
case(KUBAR, P.KOMUNITAS_BELAJAR, INT, "null-jp", "9")
case(KUBAR, P.KOMUNITAS_BELAJAR, INT, "stated-jp", "4", jp="4")
case(KUBAR, P.KOMUNITAS_BELAJAR, INT, "stated-jp-capped", "9", jp="10")
case(KUBAR, P.MAGANG, NAS, "stated-jp", "16", jp="16")
case(KUBAR, P.MAGANG, NAS, "stated-jp-capped", "20", jp="30")
case(KUBAR, P.MAGANG, NAS, "null-jp", JP_)
case(KUBAR, P.MAGANG, INT, "stated-jp", "16", jp="16")
case(KUBAR, P.MAGANG, INT, "stated-jp-capped", "24", jp="30")
case(KUBAR, P.MAGANG, INT, "null-jp", JP_)


@pytest.mark.parametrize(("rule_set", "activity", "expected"), CASES)
def test_conversion_table(rule_set: str, activity: Activity, expected: Decimal | Refused) -> None:
    if isinstance(expected, Refused):
        assert refusal(rule_set, activity).field == expected.field
    else:
        got = credited_jp(rule_set, activity)
        assert got == expected
        assert str(got) == str(expected)  # normalised: "24", not "24.0" or "2.4E+1"


def test_table_cases_cover_every_path_and_scope_of_both_rule_sets() -> None:
    covered = {tuple(p.id.split("/")[:3]) for p in CASES}
    wanted = {(rs, p.value, s.value) for rs in RULE_SET_NAMES for p in P for s in Scope}
    assert covered == wanted


# --- identifiers and parsing -----------------------------------------------------------------


def test_the_25_path_identifiers() -> None:
    assert [p.value for p in P] == [
        "pendidikan_tinggi",
        "pelatihan_struktural",
        "pelatihan_manajerial",
        "pelatihan_teknis",
        "pelatihan_fungsional",
        "pelatihan_sosial_kultural",
        "seminar",
        "workshop",
        "kursus",
        "penataran",
        "bimbingan_teknis",
        "sosialisasi",
        "coaching",
        "mentoring",
        "e_learning",
        "pelatihan_jarak_jauh",
        "detasering",
        "outbond",
        "patok_banding",
        "pertukaran",
        "belajar_mandiri",
        "komunitas_belajar",
        "bimbingan_tempat_kerja",
        "magang",
        "fgd",
    ]


def test_rule_set_names() -> None:
    assert RULE_SET_NAMES == ("tangsel-2022", "kubar-2024")
    assert DEFAULT_RULE_SET == "tangsel-2022"
    assert set(RULE_SETS) == set(RULE_SET_NAMES)


def test_parse_accepts_identifiers() -> None:
    assert parse_path("seminar") is P.SEMINAR
    assert parse_path(" E_Learning ") is P.E_LEARNING
    assert parse_scope("internasional") is INT
    assert parse_scope("NASIONAL") is NAS
    assert parse_rule_set("kubar-2024") == KUBAR


def test_unknown_path_refused_with_the_valid_identifiers() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_path("webinar")
    err = caught.value
    assert err.field == "activity.path"
    assert "webinar" in err.message
    for path in P:
        assert path.value in err.message
    assert err.extra["allowed"] == [p.value for p in P]


def test_unknown_scope_refused_with_the_valid_options() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_scope("regional")
    assert caught.value.field == "activity.scope"
    assert "nasional" in caught.value.message
    assert "internasional" in caught.value.message


def test_unknown_rule_set_refused_with_the_valid_options() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_rule_set("jakarta-2017")
    assert caught.value.field == "rule_set"
    assert "tangsel-2022" in caught.value.message
    assert "kubar-2024" in caught.value.message
    with pytest.raises(InvalidInput) as caught:
        credited_jp("jakarta-2017", act(P.SEMINAR))
    assert caught.value.field == "rule_set"


# --- dates ------------------------------------------------------------------------------------


def test_days_counted_inclusively_across_a_month_boundary() -> None:
    start, end = date(2024, 1, 30), date(2024, 2, 2)  # 30, 31 Jan, 1, 2 Feb
    assert count_days(start, end) == 4
    assert credited_jp(TANGSEL, act(P.SEMINAR, start=start, end=end)) == D("16")
    assert credited_jp(KUBAR, act(P.WORKSHOP, INT, start=start, end=end)) == D("28")


def test_single_day_and_leap_day() -> None:
    assert count_days(date(2024, 5, 6), date(2024, 5, 6)) == 1
    assert count_days(date(2024, 2, 28), date(2024, 3, 1)) == 3  # 29 Feb 2024 exists
    assert credited_jp(TANGSEL, act(P.FGD, start=START, end=START)) == D("4")


def test_end_before_start_refused() -> None:
    err = refusal(TANGSEL, act(P.SEMINAR, start=date(2024, 5, 8), end=date(2024, 5, 6)))
    assert err.field == "activity.end_date"
    assert "sebelum" in err.message
    # even where the dates do not enter the conversion
    assert refusal(KUBAR, act(P.KURSUS, start=END, end=START, jp="20")).field == (
        "activity.end_date"
    )


def test_months_touched() -> None:
    assert count_months(date(2024, 5, 1), date(2024, 5, 31)) == 1
    assert count_months(date(2024, 1, 31), date(2024, 2, 1)) == 2
    assert count_months(date(2023, 12, 15), date(2024, 2, 3)) == 3


# --- refusals ---------------------------------------------------------------------------------


def test_negative_jp_refused() -> None:
    err = refusal(TANGSEL, act(P.SEMINAR, jp="-1"))
    assert err.field == "activity.jp"
    assert "negatif" in err.message


def test_negative_sessions_and_semesters_refused() -> None:
    assert refusal(TANGSEL, act(P.COACHING, sessions=-1)).field == "activity.sessions"
    assert refusal(TANGSEL, act(P.PENDIDIKAN_TINGGI, semesters=-2)).field == "activity.semesters"


def test_float_and_non_finite_jp_refused() -> None:
    floaty = Activity(P.SEMINAR, NAS, START, END, stated_jp=2.4)  # type: ignore[arg-type]
    assert refusal(TANGSEL, floaty).field == "activity.jp"
    assert refusal(TANGSEL, act(P.SEMINAR, jp="NaN")).field == "activity.jp"
    assert refusal(TANGSEL, act(P.SEMINAR, jp="Infinity")).field == "activity.jp"


def test_program_path_without_jp_refused() -> None:
    err = refusal(TANGSEL, act(P.PELATIHAN_TEKNIS))
    assert err.field == "activity.jp"
    assert "JP program harus diisi" in err.message


def test_unregulated_path_refused() -> None:
    err = refusal(TANGSEL, act(P.BIMBINGAN_TEMPAT_KERJA, jp="1"))
    assert err.field == "activity.path"
    assert "tidak diatur dalam aturan tangsel-2022" in err.message
    err = refusal(KUBAR, act(P.FGD))
    assert "tidak diatur dalam aturan kubar-2024" in err.message


def test_unregulated_scope_refused() -> None:
    err = refusal(TANGSEL, act(P.PELATIHAN_STRUKTURAL, INT, jp="40"))
    assert err.field == "activity.scope"
    assert "tangsel-2022 tidak mengatur" in err.message
    assert "internasional" in err.message
    err = refusal(KUBAR, act(P.BIMBINGAN_TEMPAT_KERJA, INT))
    assert err.field == "activity.scope"


def test_capped_paths_need_the_hours_studied() -> None:
    err = refusal(TANGSEL, act(P.BELAJAR_MANDIRI))
    assert err.field == "activity.jp"
    assert "jam" in err.message


def test_magang_kubar_needs_the_jp_by_duration() -> None:
    err = refusal(KUBAR, act(P.MAGANG))
    assert err.field == "activity.jp"
    assert "durasi" in err.message


# --- session caps -----------------------------------------------------------------------------


def test_session_cap_per_month_tangsel() -> None:
    may = {"start": date(2024, 5, 2), "end": date(2024, 5, 30)}
    assert credited_jp(TANGSEL, act(P.COACHING, sessions=5, **may)) == D("4")  # 2 counted
    assert credited_jp(TANGSEL, act(P.COACHING, INT, sessions=5, **may)) == D("8")
    assert credited_jp(TANGSEL, act(P.MENTORING, sessions=5, **may)) == D("4")
    assert credited_jp(TANGSEL, act(P.MENTORING, INT, sessions=5, **may)) == D("8")
    # two calendar months touched (20 Jan - 10 Feb): at most 4 sessions counted
    two = {"start": date(2024, 1, 20), "end": date(2024, 2, 10)}
    assert credited_jp(TANGSEL, act(P.COACHING, sessions=5, **two)) == D("8")
    assert credited_jp(TANGSEL, act(P.COACHING, sessions=3, **two)) == D("6")


def test_session_cap_per_month_kubar() -> None:
    may = {"start": date(2024, 5, 2), "end": date(2024, 5, 30)}
    assert credited_jp(KUBAR, act(P.COACHING, sessions=5, **may)) == D("6")  # 3 counted
    assert credited_jp(KUBAR, act(P.COACHING, INT, sessions=5, **may)) == D("12")
    assert credited_jp(KUBAR, act(P.MENTORING, sessions=5, **may)) == D("10")  # no cap stated


def test_stated_jp_wins_for_sessions() -> None:
    assert credited_jp(TANGSEL, act(P.COACHING, jp="3", sessions=5)) == D("3")


def test_yearly_caps_are_recorded_not_enforced_per_document() -> None:
    conv = conversion_for(KUBAR, P.PATOK_BANDING, NAS)
    assert conv.activities_per_year == 1
    assert conversion_for(KUBAR, P.BIMBINGAN_TEMPAT_KERJA, NAS).activities_per_year == 4
    assert credited_jp(KUBAR, act(P.PATOK_BANDING)) == D("10")


# --- exact decimals ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stated", "expected"),
    [("25", "30"), ("20", "24"), ("2", "2.4"), ("0.5", "0.6"), ("33.3", "39.96"), ("0", "0")],
)
def test_plus_20_percent_is_exact(stated: str, expected: str) -> None:
    got = credited_jp(TANGSEL, act(P.PELATIHAN_TEKNIS, INT, jp=stated))
    assert got == Decimal(expected)
    assert str(got) == expected


def test_twenty_five_international_is_thirty() -> None:
    got = credited_jp(KUBAR, act(P.KURSUS, INT, jp="25"))
    assert got == Decimal("30.0") == Decimal("30")
    assert str(got) == "30"
    assert isinstance(got, Decimal)


def test_results_print_without_exponent_or_trailing_zeros() -> None:
    assert str(credited_jp(TANGSEL, act(P.SEMINAR, jp="20.00"))) == "20"
    assert str(credited_jp(TANGSEL, act(P.SEMINAR, jp="100"))) == "100"
    assert str(credited_jp(TANGSEL, act(P.SEMINAR, jp="2.50"))) == "2.5"
    assert str(credited_jp(TANGSEL, act(P.SEMINAR, jp="-0"))) == "0"


def test_conversion_kinds_per_table() -> None:
    assert conversion_for(TANGSEL, P.DETASERING, NAS).kind is RuleKind.PER_ACTIVITY
    assert conversion_for(TANGSEL, P.DETASERING, INT).kind is RuleKind.PROGRAM
    assert conversion_for(KUBAR, P.MAGANG, NAS).kind is RuleKind.CAPPED_PER_ACTIVITY
    assert conversion_for(TANGSEL, P.PENDIDIKAN_TINGGI, NAS).kind is RuleKind.PER_SEMESTER


# --- properties -------------------------------------------------------------------------------

jp_values = st.decimals(min_value=0, max_value=1000, places=2, allow_nan=False)
dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))


@given(
    rule_set=st.sampled_from(RULE_SET_NAMES),
    path=st.sampled_from(list(P)),
    scope=st.sampled_from(list(Scope)),
    start=dates,
    length=st.integers(min_value=0, max_value=400),
    stated=st.none() | jp_values,
    sessions=st.none() | st.integers(min_value=0, max_value=50),
    semesters=st.none() | st.integers(min_value=0, max_value=14),
)
def test_credited_jp_is_never_negative_and_always_normalised(
    rule_set: str,
    path: DevelopmentPath,
    scope: Scope,
    start: date,
    length: int,
    stated: Decimal | None,
    sessions: int | None,
    semesters: int | None,
) -> None:
    activity = Activity(
        path, scope, start, start + timedelta(days=length), stated, sessions, semesters
    )
    try:
        got = credited_jp(rule_set, activity)
    except InvalidInput:
        return
    assert isinstance(got, Decimal)
    assert got >= 0
    text = str(got)
    assert "E" not in text
    assert not ("." in text and text.endswith("0"))  # no trailing zeros: 2.4, not 2.40
    if stated is not None:
        # no rule credits more than the stated JP plus 20%
        assert got <= stated * Decimal("1.2")


@given(
    rule_set=st.sampled_from(RULE_SET_NAMES),
    path=st.sampled_from([P.SEMINAR, P.WORKSHOP, P.SOSIALISASI]),
    scope=st.sampled_from(list(Scope)),
    start=dates,
    a=st.integers(min_value=0, max_value=365),
    b=st.integers(min_value=0, max_value=365),
)
def test_per_day_conversion_is_monotone_and_linear_in_days(
    rule_set: str, path: DevelopmentPath, scope: Scope, start: date, a: int, b: int
) -> None:
    short, long_ = sorted((a, b))
    jp_short = credited_jp(rule_set, act(path, scope, start=start, end=start + timedelta(short)))
    jp_long = credited_jp(rule_set, act(path, scope, start=start, end=start + timedelta(long_)))
    assert jp_short <= jp_long
    assert jp_short * (long_ + 1) == jp_long * (short + 1)


@given(
    rule_set=st.sampled_from(RULE_SET_NAMES),
    path=st.sampled_from([P.SEMINAR, P.WORKSHOP, P.SOSIALISASI, P.PERTUKARAN, P.PATOK_BANDING]),
    scope=st.sampled_from(list(Scope)),
    stated=jp_values,
)
def test_stated_jp_wins_on_per_day_and_per_activity_paths(
    rule_set: str, path: DevelopmentPath, scope: Scope, stated: Decimal
) -> None:
    activity = Activity(path, scope, START, END, stated_jp=stated)
    assert credited_jp(rule_set, activity) == stated


@given(stated=jp_values)
def test_program_uplift_is_exactly_one_point_two(stated: Decimal) -> None:
    got = credited_jp(TANGSEL, Activity(P.KURSUS, INT, START, END, stated_jp=stated))
    assert got == stated * Decimal("1.2")
    assert credited_jp(TANGSEL, Activity(P.KURSUS, NAS, START, END, stated_jp=stated)) == stated


@given(
    rule_set=st.sampled_from(RULE_SET_NAMES),
    scope=st.sampled_from(list(Scope)),
    stated=jp_values,
    length=st.integers(min_value=0, max_value=60),
)
def test_capped_per_day_never_exceeds_the_cap(
    rule_set: str, scope: Scope, stated: Decimal, length: int
) -> None:
    end = START + timedelta(days=length)
    activity = Activity(P.E_LEARNING, scope, START, end, stated_jp=stated)
    cap = Decimal(3 if scope is NAS else 4) * (length + 1)
    assert credited_jp(rule_set, activity) == min(stated, cap)
