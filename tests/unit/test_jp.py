from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, TypedDict

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


class Dates(TypedDict):
    start: date
    end: date


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
#
# Variant names start with "stated" (a JP is given in ``activity.jp``) or "no-jp" (none is), so
# that the coverage test below can insist on both for every regulated cell. The default activity
# lasts 3 days (6-8 May 2024); worked examples set their own dates.

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
    start: date = START,
    end: date = END,
) -> None:
    assert variant.startswith(("stated", "no-jp")), variant
    activity = act(path, scope, start=start, end=end, jp=jp, sessions=sessions, semesters=semesters)
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
ONE_DAY: Dates = {"start": START, "end": START}
TWO_DAYS: Dates = {"start": START, "end": START + timedelta(days=1)}


def program(rule_set: str, path: DevelopmentPath, *, intl: bool) -> None:
    """Program JP nasional; x 1.2 internasional when ``intl``, else internasional refused."""
    case(rule_set, path, NAS, "stated", "25", jp="25")
    case(rule_set, path, NAS, "no-jp", JP_)
    if intl:
        case(rule_set, path, INT, "stated", "30", jp="25")
        case(rule_set, path, INT, "stated-decimal", "2.4", jp="2")
        case(rule_set, path, INT, "no-jp", JP_)
    else:
        case(rule_set, path, INT, "stated", SCOPE_, jp="25")
        case(rule_set, path, INT, "no-jp", SCOPE_)


def per_day_literal(rule_set: str, path: DevelopmentPath, nas: int, intl: int) -> None:
    """Figure x days whatever JP the certificate prints (tangsel-2022: Satuan "Hari")."""
    for scope, figure in ((NAS, nas), (INT, intl)):
        case(rule_set, path, scope, "no-jp", str(3 * figure))
        case(rule_set, path, scope, "stated-lower", str(3 * figure), jp="2")
        case(rule_set, path, scope, "stated-higher", str(3 * figure), jp="40")
        case(rule_set, path, scope, "stated-1-day", str(figure), jp="8", **ONE_DAY)


def per_day_evidence_wins(rule_set: str, path: DevelopmentPath, nas: int, intl: int) -> None:
    """The JP printed on the evidence wins; figure x days when it prints none (kubar-2024)."""
    for scope, figure in ((NAS, nas), (INT, intl)):
        case(rule_set, path, scope, "no-jp", str(3 * figure))
        case(rule_set, path, scope, "no-jp-2-days", str(2 * figure), **TWO_DAYS)
        case(rule_set, path, scope, "stated-lower", "2", jp="2")
        case(rule_set, path, scope, "stated-higher", "40", jp="40")
        case(rule_set, path, scope, "stated-1-day", "20", jp="20", **ONE_DAY)


def per_activity_literal(
    rule_set: str, path: DevelopmentPath, nas: str, intl: str | Refused
) -> None:
    """The table's figure for the one activity a document records, whatever JP is printed."""
    for scope, figure in ((NAS, nas), (INT, intl)):
        case(rule_set, path, scope, "no-jp", figure)
        case(rule_set, path, scope, "stated-lower", figure, jp="1")
        case(rule_set, path, scope, "stated-higher", figure, jp="30")


def per_session_literal(rule_set: str, path: DevelopmentPath, nas: int, intl: int) -> None:
    """Figure x sessions; a printed JP neither replaces nor lifts it; sessions are required."""
    for scope, figure in ((NAS, nas), (INT, intl)):
        case(rule_set, path, scope, "no-jp", str(2 * figure), sessions=2)
        case(rule_set, path, scope, "stated", str(2 * figure), jp="10", sessions=2)
        case(rule_set, path, scope, "stated-no-sessions", SESSIONS_, jp="10")
        case(rule_set, path, scope, "no-jp-no-sessions", SESSIONS_)


def hours_capped_per_day(rule_set: str, path: DevelopmentPath, cap: int, *, uplift: bool) -> None:
    """The JP (hours) given, at most ``cap`` a day (nasional); internasional the capped figure
    x 1.2 when ``uplift``; the JP is required."""
    case(rule_set, path, NAS, "stated", "4", jp="4")
    case(rule_set, path, NAS, "stated-capped", str(3 * cap), jp="10")
    case(rule_set, path, NAS, "no-jp", JP_)
    if uplift:
        case(rule_set, path, INT, "stated", "4.8", jp="4")
        case(rule_set, path, INT, "stated-capped", str(Decimal(3 * cap) * Decimal("1.2")), jp="10")
        case(rule_set, path, INT, "no-jp", JP_)


def unregulated(rule_set: str, path: DevelopmentPath) -> None:
    case(rule_set, path, NAS, "stated", PATH_, jp="10")
    case(rule_set, path, NAS, "no-jp", PATH_)
    case(rule_set, path, INT, "stated", PATH_, jp="10")
    case(rule_set, path, INT, "no-jp", PATH_)


# tangsel-2022 (seed 003, Lampiran B): the column "Satuan" decides; no "evidence wins" clause.
# B.1 no 1, Satuan "Semester": 20 JP per semester; read as one cell across both scopes.
for _scope in (NAS, INT):
    case(TANGSEL, P.PENDIDIKAN_TINGGI, _scope, "no-jp", "40", semesters=2)
    case(TANGSEL, P.PENDIDIKAN_TINGGI, _scope, "stated", "40", jp="100", semesters=2)
    case(TANGSEL, P.PENDIDIKAN_TINGGI, _scope, "stated-no-semesters", SEMESTERS_, jp="20")
    case(TANGSEL, P.PENDIDIKAN_TINGGI, _scope, "no-jp-no-semesters", SEMESTERS_)
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
per_day_literal(TANGSEL, P.SEMINAR, 4, 6)
per_day_literal(TANGSEL, P.SOSIALISASI, 4, 6)
per_day_literal(TANGSEL, P.WORKSHOP, 5, 7)
per_day_literal(TANGSEL, P.FGD, 4, 6)
per_activity_literal(TANGSEL, P.PERTUKARAN, "20", "24")
per_activity_literal(TANGSEL, P.MAGANG, "20", "24")
per_activity_literal(TANGSEL, P.PATOK_BANDING, "10", "20")
per_session_literal(TANGSEL, P.COACHING, 2, 4)
per_session_literal(TANGSEL, P.MENTORING, 2, 4)
# B.3 no 7: nasional 20 JP per kegiatan whatever is printed; internasional "ditambahkan 20% dari
# JP Program detaseringnya": the program JP x 1.2, and 20 x 1.2 when no program JP is given.
case(TANGSEL, P.DETASERING, NAS, "no-jp", "20")
case(TANGSEL, P.DETASERING, NAS, "stated-lower", "20", jp="1")
case(TANGSEL, P.DETASERING, NAS, "stated-higher", "20", jp="30")
case(TANGSEL, P.DETASERING, INT, "stated", "36", jp="30")
case(TANGSEL, P.DETASERING, INT, "no-jp", "24")
# B.3 no 8, Satuan "JP": the certificate's JP, "paling tinggi" 3 (4) a day; no +20%.
case(TANGSEL, P.E_LEARNING, NAS, "stated", "5", jp="5")
case(TANGSEL, P.E_LEARNING, NAS, "stated-capped", "9", jp="12")
case(TANGSEL, P.E_LEARNING, NAS, "stated-1-day-20", "3", jp="20", **ONE_DAY)
case(TANGSEL, P.E_LEARNING, NAS, "no-jp", JP_)
case(TANGSEL, P.E_LEARNING, INT, "stated", "12", jp="12")
case(TANGSEL, P.E_LEARNING, INT, "stated-capped", "12", jp="20")
case(TANGSEL, P.E_LEARNING, INT, "stated-1-day-20", "4", jp="20", **ONE_DAY)
case(TANGSEL, P.E_LEARNING, INT, "no-jp", JP_)
hours_capped_per_day(TANGSEL, P.BELAJAR_MANDIRI, 2, uplift=True)
hours_capped_per_day(TANGSEL, P.KOMUNITAS_BELAJAR, 2, uplift=True)
unregulated(TANGSEL, P.BIMBINGAN_TEMPAT_KERJA)

# kubar-2024 (seed 002, chapter IV): "Dalam hal tidak disebutkan pada Bukti Dukung ..., maka" on
# ten rows (evidence wins); every other row literal.
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
program(KUBAR, P.KURSUS, intl=True)  # IV.C.4 has no "dalam hal tidak disebutkan"
for _path in (P.PENATARAN, P.BIMBINGAN_TEKNIS, P.PELATIHAN_JARAK_JAUH):
    # The JP printed on the evidence wins as printed (no +20%); the table ("sesuai JP program",
    # internasional +20%) applies only to a program JP the evidence does not print, which a
    # single ``jp`` field cannot tell apart, so no JP is refused.
    case(KUBAR, _path, NAS, "stated", "25", jp="25")
    case(KUBAR, _path, NAS, "no-jp", JP_)
    case(KUBAR, _path, INT, "stated", "25", jp="25")
    case(KUBAR, _path, INT, "no-jp", JP_)
per_day_evidence_wins(KUBAR, P.SEMINAR, 4, 6)
per_day_evidence_wins(KUBAR, P.WORKSHOP, 5, 7)
per_day_evidence_wins(KUBAR, P.SOSIALISASI, 4, 6)
per_day_evidence_wins(KUBAR, P.E_LEARNING, 3, 4)
per_day_evidence_wins(KUBAR, P.KOMUNITAS_BELAJAR, 2, 3)
per_session_literal(KUBAR, P.COACHING, 2, 4)
per_session_literal(KUBAR, P.MENTORING, 2, 4)
for _path in (P.DETASERING, P.OUTBOND):
    for _scope, _figure in ((NAS, "20"), (INT, "24")):  # "20 JP ditambahkan 20%" = 24
        case(KUBAR, _path, _scope, "no-jp", _figure)
        case(KUBAR, _path, _scope, "stated-lower", "16", jp="16")
        case(KUBAR, _path, _scope, "stated-higher", "30", jp="30")
per_activity_literal(KUBAR, P.PATOK_BANDING, "10", "20")
per_activity_literal(KUBAR, P.PERTUKARAN, "20", "24")
per_activity_literal(KUBAR, P.BIMBINGAN_TEMPAT_KERJA, "1", SCOPE_)
hours_capped_per_day(KUBAR, P.BELAJAR_MANDIRI, 2, uplift=True)
# IV.D.12 "disesuaikan dengan durasi magang ... paling banyak ... 20 (24) JP".
for _scope, _cap in ((NAS, "20"), (INT, "24")):
    case(KUBAR, P.MAGANG, _scope, "stated", "16", jp="16")
    case(KUBAR, P.MAGANG, _scope, "stated-capped", _cap, jp="30")
    case(KUBAR, P.MAGANG, _scope, "no-jp", JP_)


@pytest.mark.parametrize(("rule_set", "activity", "expected"), CASES)
def test_conversion_table(rule_set: str, activity: Activity, expected: Decimal | Refused) -> None:
    if isinstance(expected, Refused):
        assert refusal(rule_set, activity).field == expected.field
    else:
        got = credited_jp(rule_set, activity)
        assert got == expected
        assert str(got) == str(expected)  # normalised: "24", not "24.0" or "2.4E+1"


def test_table_cases_cover_every_path_and_scope_of_both_rule_sets() -> None:
    """Every (rule set, path, scope) has a case with a stated JP and one without."""
    seen: dict[tuple[str, str, str], set[str]] = {}
    for param in CASES:
        rule_set, path, scope, variant = str(param.id).split("/")
        kind = "stated" if variant.startswith("stated") else "no-jp"
        seen.setdefault((rule_set, path, scope), set()).add(kind)
    wanted = {(rs, p.value, s.value) for rs in RULE_SET_NAMES for p in P for s in Scope}
    assert set(seen) == wanted
    assert all(kinds == {"stated", "no-jp"} for kinds in seen.values())


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
    may: Dates = {"start": date(2024, 5, 2), "end": date(2024, 5, 30)}
    assert credited_jp(TANGSEL, act(P.COACHING, sessions=5, **may)) == D("4")  # 2 counted
    assert credited_jp(TANGSEL, act(P.COACHING, INT, sessions=5, **may)) == D("8")
    assert credited_jp(TANGSEL, act(P.MENTORING, sessions=5, **may)) == D("4")
    assert credited_jp(TANGSEL, act(P.MENTORING, INT, sessions=5, **may)) == D("8")
    # two calendar months touched (20 Jan - 10 Feb): at most 4 sessions counted
    two: Dates = {"start": date(2024, 1, 20), "end": date(2024, 2, 10)}
    assert credited_jp(TANGSEL, act(P.COACHING, sessions=5, **two)) == D("8")
    assert credited_jp(TANGSEL, act(P.COACHING, sessions=3, **two)) == D("6")


def test_session_cap_per_month_kubar() -> None:
    may: Dates = {"start": date(2024, 5, 2), "end": date(2024, 5, 30)}
    assert credited_jp(KUBAR, act(P.COACHING, sessions=5, **may)) == D("6")  # 3 counted
    assert credited_jp(KUBAR, act(P.COACHING, INT, sessions=5, **may)) == D("12")
    assert credited_jp(KUBAR, act(P.MENTORING, sessions=5, **may)) == D("10")  # no cap stated


@pytest.mark.parametrize("rule_set", RULE_SET_NAMES)
def test_a_printed_jp_neither_replaces_nor_lifts_the_session_count(rule_set: str) -> None:
    # Both rule sets count coaching per session, with no "dalam hal tidak disebutkan" clause.
    cap = 2 if rule_set == TANGSEL else 3
    assert credited_jp(rule_set, act(P.COACHING, jp="3", sessions=5)) == Decimal(2 * cap)
    assert credited_jp(rule_set, act(P.COACHING, jp="40", sessions=1)) == D("2")
    assert refusal(rule_set, act(P.MENTORING, jp="6")).field == "activity.sessions"


def test_worked_examples_of_domain_md() -> None:
    one_day: Dates = {"start": START, "end": START}
    two_days: Dates = {"start": START, "end": START + timedelta(days=1)}
    # tangsel-2022: "paling tinggi" is a cap a stated JP never lifts.
    assert credited_jp(TANGSEL, act(P.E_LEARNING, jp="20", **one_day)) == D("3")
    # kubar-2024: the JP printed on the evidence wins; the table applies when it prints none.
    assert credited_jp(KUBAR, act(P.E_LEARNING, jp="20", **one_day)) == D("20")
    assert credited_jp(KUBAR, act(P.E_LEARNING, **two_days)) == D("6")
    # +20% is program JP x 1.2, exactly.
    assert str(credited_jp(TANGSEL, act(P.KURSUS, INT, jp="33.3"))) == "39.96"
    # a seminar certificate printing 8 JP for one day credits 4 under tangsel, 8 under kubar
    assert credited_jp(TANGSEL, act(P.SEMINAR, jp="8", **one_day)) == D("4")
    assert credited_jp(KUBAR, act(P.SEMINAR, jp="8", **one_day)) == D("8")


def test_only_the_ten_kubar_rows_let_the_evidence_win() -> None:
    wins = {
        p
        for p in P
        for s in Scope
        if (rule := RULE_SETS[KUBAR].get(p)) is not None
        and (conv := rule.for_scope(s)) is not None
        and conv.evidence_jp_wins
    }
    assert wins == {
        P.SEMINAR,
        P.WORKSHOP,
        P.PENATARAN,
        P.BIMBINGAN_TEKNIS,
        P.SOSIALISASI,
        P.E_LEARNING,
        P.PELATIHAN_JARAK_JAUH,
        P.DETASERING,
        P.OUTBOND,
        P.KOMUNITAS_BELAJAR,
    }
    for rule in RULE_SETS[KUBAR].values():
        cells = [c for c in (rule.nasional, rule.internasional) if c is not None]
        assert len({c.evidence_jp_wins for c in cells}) == 1  # same for both scopes of a row


def test_tangsel_has_no_evidence_wins_clause() -> None:
    for rule in RULE_SETS[TANGSEL].values():
        for conv in (rule.nasional, rule.internasional):
            assert conv is None or not conv.evidence_jp_wins


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
    assert str(credited_jp(TANGSEL, act(P.KURSUS, jp="20.00"))) == "20"
    assert str(credited_jp(TANGSEL, act(P.KURSUS, jp="100"))) == "100"
    assert str(credited_jp(TANGSEL, act(P.KURSUS, jp="2.50"))) == "2.5"
    assert str(credited_jp(TANGSEL, act(P.KURSUS, jp="-0"))) == "0"
    assert str(credited_jp(KUBAR, act(P.SEMINAR, jp="1E+2"))) == "100"


def test_conversion_kinds_per_table() -> None:
    assert conversion_for(TANGSEL, P.DETASERING, NAS).kind is RuleKind.PER_ACTIVITY
    assert conversion_for(TANGSEL, P.DETASERING, INT).kind is RuleKind.PROGRAM
    assert conversion_for(TANGSEL, P.DETASERING, INT).unstated_program_jp == D("20")
    assert conversion_for(KUBAR, P.MAGANG, NAS).kind is RuleKind.CAPPED_PER_ACTIVITY
    assert conversion_for(TANGSEL, P.PENDIDIKAN_TINGGI, NAS).kind is RuleKind.PER_SEMESTER
    assert conversion_for(TANGSEL, P.E_LEARNING, NAS).kind is RuleKind.CAPPED_PER_DAY
    assert conversion_for(KUBAR, P.E_LEARNING, NAS).kind is RuleKind.PER_DAY
    assert conversion_for(KUBAR, P.KOMUNITAS_BELAJAR, INT).kind is RuleKind.PER_DAY


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
    conv = conversion_for(rule_set, path, scope)
    if stated is not None and (conv.evidence_jp_wins or conv.kind in JP_INPUT_KINDS):
        # where the JP given is the input, no rule credits more than it plus 20%
        assert got <= stated * Decimal("1.2")


#: Kinds whose input is the JP given (program JP, hours studied, JP by duration).
JP_INPUT_KINDS = {RuleKind.PROGRAM, RuleKind.CAPPED_PER_DAY, RuleKind.CAPPED_PER_ACTIVITY}


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


def _cells(*, wins: bool) -> list[tuple[str, DevelopmentPath, Scope]]:
    """Regulated cells whose JP is not an input: the evidence wins (``wins``) or it is ignored."""
    found = []
    for rule_set, table in RULE_SETS.items():
        for path, rule in table.items():
            for scope in Scope:
                conv = rule.for_scope(scope)
                if conv is None or (conv.kind in JP_INPUT_KINDS and not conv.evidence_jp_wins):
                    continue
                if conv.evidence_jp_wins is wins:
                    found.append((rule_set, path, scope))
    return found


@given(
    cell=st.sampled_from(_cells(wins=True)),
    stated=jp_values,
    length=st.integers(min_value=0, max_value=60),
)
def test_on_kubars_ten_rows_the_jp_printed_on_the_evidence_wins(
    cell: tuple[str, DevelopmentPath, Scope], stated: Decimal, length: int
) -> None:
    rule_set, path, scope = cell
    assert rule_set == KUBAR
    activity = Activity(path, scope, START, START + timedelta(days=length), stated_jp=stated)
    assert credited_jp(rule_set, activity) == stated


@given(
    cell=st.sampled_from(_cells(wins=False)),
    stated=jp_values,
    length=st.integers(min_value=0, max_value=60),
)
def test_per_day_activity_session_and_semester_rows_ignore_a_printed_jp(
    cell: tuple[str, DevelopmentPath, Scope], stated: Decimal, length: int
) -> None:
    rule_set, path, scope = cell
    end = START + timedelta(days=length)
    printed = Activity(path, scope, START, end, stated_jp=stated, sessions=2, semesters=2)
    plain = Activity(path, scope, START, end, sessions=2, semesters=2)
    assert credited_jp(rule_set, printed) == credited_jp(rule_set, plain)


@given(stated=jp_values)
def test_program_uplift_is_exactly_one_point_two(stated: Decimal) -> None:
    got = credited_jp(TANGSEL, Activity(P.KURSUS, INT, START, END, stated_jp=stated))
    assert got == stated * Decimal("1.2")
    assert credited_jp(TANGSEL, Activity(P.KURSUS, NAS, START, END, stated_jp=stated)) == stated


@given(
    scope=st.sampled_from(list(Scope)),
    stated=jp_values,
    length=st.integers(min_value=0, max_value=60),
)
def test_tangsel_e_learning_never_exceeds_its_cap(
    scope: Scope, stated: Decimal, length: int
) -> None:
    end = START + timedelta(days=length)
    activity = Activity(P.E_LEARNING, scope, START, end, stated_jp=stated)
    cap = Decimal(3 if scope is NAS else 4) * (length + 1)
    assert credited_jp(TANGSEL, activity) == min(stated, cap)
