"""Yearly JP, the PPPK ceiling, the year boundary and the IP ASN competence table (pure)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from registry.domain.credits import CreditedDocument
from registry.domain.jp import DevelopmentPath
from registry.domain.jp_reports import (
    IP_ASN_CAREER_PATHS,
    IP_ASN_COLUMN_OF_PATH,
    IP_ASN_MAX,
    IP_ASN_POINTS,
    UNIT_REPORT_HEADER,
    EmployeeIdentity,
    IpAsnColumn,
    ip_asn_competence,
    unit_report,
    unit_report_table,
    yearly_jp,
)
from tests.support.credited import credit, document
from tests.support.drafts import PNS_NIP, PPPK_NIP

P = DevelopmentPath
C = IpAsnColumn
TANGSEL, KUBAR = "tangsel-2022", "kubar-2024"


def person(
    jabatan: str | None = "fungsional",
    *,
    nip: str = PNS_NIP,
    employment: str = "pns",
    name: str = "Siti",
    unit: str | None = "DPUPR",
    rostered: bool = True,
) -> EmployeeIdentity:
    return EmployeeIdentity(
        nip=nip,
        name=name,
        employment=employment,
        jabatan_type=jabatan,
        unit_code=unit,
        rostered=rostered,
    )


# -- yearly total ----------------------------------------------------------------------------------


def test_total_and_by_path_sum_what_each_document_credits_in_the_year() -> None:
    seminar = document(P.SEMINAR, credit(P.SEMINAR, "2026-03-02", "8", end="2026-03-03"))
    coaching = document(
        P.COACHING, credit(P.COACHING, "2026-04-06", "2"), credit(P.COACHING, "2026-04-20", "2")
    )
    teknis = document(P.PELATIHAN_TEKNIS, credit(P.PELATIHAN_TEKNIS, "2026-05-04", "10"))
    result = yearly_jp(person(), [coaching, seminar, teknis], 2026, rule_set=TANGSEL)
    assert result.total == Decimal(22)
    # In the order of the path list, not of the documents.
    assert dict(result.by_path) == {"pelatihan_teknis": 10, "seminar": 8, "coaching": 4}
    assert list(result.by_path) == ["pelatihan_teknis", "seminar", "coaching"]
    assert (result.minimum, result.met, result.ceiling) == (Decimal(20), True, None)
    assert [item.credited for item in result.documents] == [4, 8, 10]


@pytest.mark.parametrize(("jp", "met"), [("19.5", False), ("20", True), ("20.5", True)])
def test_the_minimum_is_met_at_20_jp(jp: str, met: bool) -> None:
    doc = document(P.PELATIHAN_TEKNIS, credit(P.PELATIHAN_TEKNIS, "2026-05-04", jp))
    result = yearly_jp(person(), [doc], 2026, rule_set=TANGSEL)
    assert (result.total, result.met) == (Decimal(jp), met)


def test_nothing_credited_is_zero_and_not_met() -> None:
    result = yearly_jp(person(), [], 2026, rule_set=TANGSEL)
    assert (result.total, dict(result.by_path), result.met) == (Decimal(0), {}, False)


def test_a_credit_counts_in_the_year_it_ended() -> None:
    """31 December counts in that year, 1 January in the next; a span counts where it ends."""
    letter = document(
        P.COACHING, credit(P.COACHING, "2025-12-31", "2"), credit(P.COACHING, "2026-01-01", "2")
    )
    spanning = document(
        P.SEMINAR, credit(P.SEMINAR, "2025-12-30", "12", end="2026-01-01"), number="2"
    )
    before = yearly_jp(person(), [letter, spanning], 2025, rule_set=TANGSEL)
    after = yearly_jp(person(), [letter, spanning], 2026, rule_set=TANGSEL)
    assert (before.total, dict(before.by_path)) == (Decimal(2), {"seminar": 0, "coaching": 2})
    assert (after.total, dict(after.by_path)) == (Decimal(14), {"seminar": 12, "coaching": 2})


def test_pppk_under_tangsel_states_the_24_jp_ceiling_and_never_exceeds_it() -> None:
    # Documents credited under another rule set may sum above what tangsel-2022 allows.
    docs = [
        document(P.PELATIHAN_TEKNIS, credit(P.PELATIHAN_TEKNIS, "2026-02-02", "20"), nip=PPPK_NIP),
        document(P.KURSUS, credit(P.KURSUS, "2026-06-01", "10"), nip=PPPK_NIP, number="2"),
    ]
    pppk = person(nip=PPPK_NIP, employment="pppk")
    result = yearly_jp(pppk, docs, 2026, rule_set=TANGSEL)
    assert (result.ceiling, result.total, result.met) == (Decimal(24), Decimal(24), True)
    assert dict(result.by_path) == {"pelatihan_teknis": 20, "kursus": 10}  # what each credited
    at_ceiling = yearly_jp(pppk, docs[:1], 2026, rule_set=TANGSEL)
    assert (at_ceiling.ceiling, at_ceiling.total) == (Decimal(24), Decimal(20))


@pytest.mark.parametrize(
    ("employment", "rule_set"), [("pns", TANGSEL), ("pppk", KUBAR), ("pns", KUBAR)]
)
def test_no_ceiling_where_the_rule_set_sets_none(employment: str, rule_set: str) -> None:
    doc = document(P.PELATIHAN_TEKNIS, credit(P.PELATIHAN_TEKNIS, "2026-02-02", "30"))
    result = yearly_jp(person(employment=employment), [doc], 2026, rule_set=rule_set)
    assert (result.ceiling, result.total) == (None, Decimal(30))


def test_documents_of_someone_else_are_a_programming_error() -> None:
    doc = document(P.SEMINAR, credit(P.SEMINAR, "2026-03-02", "4"), nip=PPPK_NIP)
    with pytest.raises(ValueError, match="other holders"):
        yearly_jp(person(), [doc], 2026, rule_set=TANGSEL)


# -- IP ASN ----------------------------------------------------------------------------------------


def test_the_seed_001_table_gives_40_points_to_every_jabatan_type() -> None:
    assert set(IP_ASN_POINTS) == {"struktural", "fungsional", "pelaksana"}
    for row in IP_ASN_POINTS.values():
        assert sum(row.values()) == IP_ASN_MAX == 40
    assert dict(IP_ASN_POINTS["struktural"]) == {C.KEPEMIMPINAN: 15, C.TEKNIS: 15, C.LAINNYA: 10}
    assert dict(IP_ASN_POINTS["fungsional"]) == {C.FUNGSIONAL: 15, C.TEKNIS: 15, C.LAINNYA: 10}
    assert dict(IP_ASN_POINTS["pelaksana"]) == {
        C.TEKNIS: Decimal("22.5"),
        C.LAINNYA: Decimal("17.5"),
    }


def test_every_path_falls_in_one_column() -> None:
    assert set(IP_ASN_COLUMN_OF_PATH) == set(DevelopmentPath)
    career = {path for path, column in IP_ASN_COLUMN_OF_PATH.items()
              if column in (C.KEPEMIMPINAN, C.FUNGSIONAL)}  # fmt: skip
    assert career == {P.PELATIHAN_STRUKTURAL, P.PELATIHAN_FUNGSIONAL} == IP_ASN_CAREER_PATHS


def teknis(jp: str, day: str = "2026-05-04") -> CreditedDocument:
    return document(P.PELATIHAN_TEKNIS, credit(P.PELATIHAN_TEKNIS, day, jp), number="T")


def seminar(day: str = "2026-03-02") -> CreditedDocument:
    return document(P.SEMINAR, credit(P.SEMINAR, day, "4"), number="S")


def points(jabatan: str | None, docs: list[CreditedDocument], done: set[str]) -> Decimal | None:
    return ip_asn_competence(jabatan, docs, 2026, done).points


@pytest.mark.parametrize(
    ("jabatan", "docs", "done", "expected"),
    [
        # Struktural: kepemimpinan (any year) 15 + teknis 20 JP this year 15 + lainnya 10.
        pytest.param("struktural", [], set(), "0", id="struktural-nothing"),
        pytest.param("struktural", [teknis("20"), seminar()], {"pelatihan_struktural"}, "40",
                     id="struktural-all"),
        pytest.param("struktural", [teknis("19.5"), seminar()], {"pelatihan_struktural"}, "25",
                     id="struktural-teknis-just-under-20"),
        pytest.param("struktural", [teknis("20")], {"pelatihan_fungsional"}, "15",
                     id="struktural-fungsional-training-is-not-kepemimpinan"),
        # Fungsional: fungsional (any year) 15 + teknis 15 + lainnya 10.
        pytest.param("fungsional", [teknis("12"), teknis("8")], {"pelatihan_fungsional"}, "30",
                     id="fungsional-teknis-summed-over-documents"),
        pytest.param("fungsional", [seminar()], set(), "10", id="fungsional-lainnya-only"),
        # Pelaksana: teknis 22.5 + lainnya 17.5.
        pytest.param("pelaksana", [teknis("20"), seminar()], set(), "40", id="pelaksana-all"),
        pytest.param("pelaksana", [teknis("20")], set(), "22.5", id="pelaksana-teknis"),
        pytest.param("pelaksana", [seminar()], {"pelatihan_struktural"}, "17.5",
                     id="pelaksana-has-no-kepemimpinan-column"),
    ],
)  # fmt: skip
def test_ip_asn_points_at_the_edges(
    jabatan: str, docs: list[CreditedDocument], done: set[str], expected: str
) -> None:
    assert points(jabatan, docs, done) == Decimal(expected)


def test_the_current_year_columns_count_only_what_is_credited_that_year() -> None:
    last_year = [teknis("20", day="2025-12-31"), seminar(day="2025-12-31")]
    assert points("pelaksana", last_year, set()) == 0
    score = ip_asn_competence("pelaksana", last_year, 2025, set())
    assert score.points == 40


def test_a_training_of_a_column_the_row_lacks_counts_as_lainnya_in_its_year() -> None:
    pim = document(P.PELATIHAN_STRUKTURAL, credit(P.PELATIHAN_STRUKTURAL, "2026-02-02", "40"))
    score = ip_asn_competence("pelaksana", [pim], 2026, {"pelatihan_struktural"})
    assert score.points == Decimal("17.5")
    assert [(p.column, p.met) for p in score.parts] == [(C.TEKNIS, False), (C.LAINNYA, True)]
    # For a struktural the same training is its kepemimpinan column, not lainnya.
    struktural = ip_asn_competence("struktural", [pim], 2026, {"pelatihan_struktural"})
    assert [(p.column, p.points) for p in struktural.parts] == [
        (C.KEPEMIMPINAN, 15),
        (C.TEKNIS, 0),
        (C.LAINNYA, 0),
    ]


def test_parts_name_the_seed_columns_and_the_teknis_jp() -> None:
    score = ip_asn_competence("fungsional", [teknis("12")], 2026, set())
    assert [(p.label, p.max_points, p.points, p.jp) for p in score.parts] == [
        ("Diklat Fungsional", 15, 0, None),
        ("Diklat Teknis 20 JP (tahun berjalan)", 15, 0, Decimal(12)),
        ("Seminar/Workshop/Lainnya (tahun berjalan)", 10, 0, None),
    ]


def test_an_unknown_jabatan_type_is_not_guessed() -> None:
    rostered = yearly_jp(person(None), [teknis("30")], 2026, rule_set=TANGSEL)
    assert (rostered.ip_asn.points, rostered.ip_asn.parts) == (None, ())
    assert rostered.ip_asn.reason is not None
    assert "belum tercatat di daftar pegawai" in rostered.ip_asn.reason
    stranger = yearly_jp(person(None, rostered=False), [], 2026, rule_set=TANGSEL)
    assert stranger.ip_asn.reason is not None
    assert "tidak terdaftar" in stranger.ip_asn.reason
    assert ip_asn_competence("kepala", [], 2026, set()).points is None


# -- unit report -----------------------------------------------------------------------------------


def test_the_unit_report_lists_those_short_of_the_minimum_first_then_by_name() -> None:
    nips = [f"19850315201001100{n}" for n in range(1, 5)]
    rows = [
        yearly_jp(person(nip=nips[0], name="budi"), [], 2026, rule_set=TANGSEL),
        yearly_jp(
            person(nip=nips[1], name="Ani"),
            [document(P.PELATIHAN_TEKNIS, credit(P.PELATIHAN_TEKNIS, "2026-05-04", "20"),
                      nip=nips[1])],
            2026,
            rule_set=TANGSEL,
        ),
        yearly_jp(person(nip=nips[2], name="Andi"), [], 2026, rule_set=TANGSEL),
        yearly_jp(person(nip=nips[3], name="Cici", jabatan=None), [], 2026, rule_set=TANGSEL),
    ]  # fmt: skip
    report = unit_report(2026, TANGSEL, "DPUPR", "Dinas PU", rows)
    assert [row.employee.name for row in report.rows] == ["Andi", "budi", "Cici", "Ani"]
    assert (report.met, report.not_met) == (1, 3)

    table = unit_report_table(report)
    assert table.filename == "jp-DPUPR-2026"
    assert table.header == UNIT_REPORT_HEADER
    first, last = table.rows[0], table.rows[-1]
    assert first[:3] == (1, nips[2], "Andi")
    assert last[UNIT_REPORT_HEADER.index("Total JP")] == Decimal(20)
    assert last[UNIT_REPORT_HEADER.index("Memenuhi")] == "Ya"
    assert last[UNIT_REPORT_HEADER.index("Jenis Jabatan")] == "Fungsional"
    cici = table.rows[2]
    assert cici[UNIT_REPORT_HEADER.index("Poin IP ASN Kompetensi")] is None
    assert "Poin IP ASN tidak dihitung" in str(cici[UNIT_REPORT_HEADER.index("Keterangan")])


def test_a_report_over_every_unit_groups_by_unit() -> None:
    rows = [
        yearly_jp(person(nip=PNS_NIP, name="Ani", unit="DPUPR"), [], 2026, rule_set=TANGSEL),
        yearly_jp(person(nip=PPPK_NIP, name="Zaki", unit="DINKES", employment="pppk"), [],
                  2026, rule_set=TANGSEL),
    ]  # fmt: skip
    report = unit_report(2026, TANGSEL, None, None, rows)
    assert [row.employee.unit_code for row in report.rows] == ["DINKES", "DPUPR"]
    table = unit_report_table(report)
    assert table.filename == "jp-semua-unit-2026"
    assert table.rows[0][UNIT_REPORT_HEADER.index("Batas JP PPPK")] == Decimal(24)
    assert table.rows[0][UNIT_REPORT_HEADER.index("Status")] == "PPPK"
