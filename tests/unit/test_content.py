"""Document details validation, the template context, ordinal labels and template names."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from registry.domain.agency import DEFAULT_AGENCY_TOML, AgencyIdentity, parse_agency_toml
from registry.domain.content import (
    DEFAULT_LEGAL_BASIS,
    build_context,
    display_url,
    letter_label,
    ordinal_label,
    sample_content,
    template_name_for,
    validate_details,
)
from registry.domain.errors import InvalidInput

IDENTITY = parse_agency_toml(DEFAULT_AGENCY_TOML, base_dir=Path("."))
SAMPLES = [
    ("sttp", None),
    ("sertifikat", None),
    ("transkrip", None),
    ("piagam", None),
    ("sk", None),
    ("surat_keterangan", "coaching"),
    ("surat_keterangan", "mentoring"),
    ("surat_keterangan", "belajar_mandiri"),
    ("surat_keterangan", "komunitas_belajar"),
    ("surat_keterangan", "bimbingan_tempat_kerja"),
    ("surat_keterangan", "e_learning"),
]
SUBJECT = {"name": "Etika & Integritas", "jp": "4", "score": "88"}
SK = {
    "about": "Penetapan Peserta",
    "considering": ["bahwa ...;"],
    "legal_basis": ["Undang-Undang Nomor 20 Tahun 2023;"],
    "decisions": ["Menetapkan peserta."],
}


def refusal(type: str, path: str, details: dict[str, Any]) -> InvalidInput:
    with pytest.raises(InvalidInput) as info:
        validate_details(type, path, details)
    return info.value


# --- validate_details -------------------------------------------------------------------------


def test_transkrip_normalises_decimals_and_computes_predikat() -> None:
    details = validate_details(
        "transkrip",
        "pelatihan_teknis",
        {
            "subjects": [
                {"name": "  Statistik (n < 30)  ", "jp": 2.5, "score": "84.250"},
                {"name": "Etika", "jp": "4", "predikat": "Istimewa"},
            ],
            "final_score": 86,
        },
    )
    assert details == {
        "subjects": [
            {"name": "Statistik (n < 30)", "jp": "2.5", "score": "84.25", "predikat": "Memuaskan"},
            {"name": "Etika", "jp": "4", "predikat": "Istimewa"},
        ],
        "final_score": "86",
    }
    json.dumps(details)


@pytest.mark.parametrize(
    ("type", "path", "details", "field"),
    [
        ("transkrip", "pelatihan_teknis", {}, "details.subjects"),
        ("transkrip", "pelatihan_teknis", {"subjects": []}, "details.subjects"),
        (
            "transkrip",
            "pelatihan_teknis",
            {"subjects": [SUBJECT, SUBJECT, {"name": "X", "jp": "-1"}]},
            "details.subjects[2].jp",
        ),
        (
            "transkrip",
            "pelatihan_teknis",
            {"subjects": [{"name": "X", "jp": "2", "score": "101"}]},
            "details.subjects[0].score",
        ),
        (
            "transkrip",
            "pelatihan_teknis",
            {"subjects": [{"name": "X", "jp": "dua"}]},
            "details.subjects[0].jp",
        ),
        (
            "transkrip",
            "pelatihan_teknis",
            {"subjects": [{"jp": "2"}]},
            "details.subjects[0].name",
        ),
        ("sttp", "pelatihan_teknis", {"subjects": [{"name": "X", "jp": True}]}, None),
        ("sttp", "pelatihan_teknis", {"subjekt": []}, "details.subjekt"),
        ("sttp", "pelatihan_teknis", {"place": "Aula\x07"}, "details.place"),
        ("sttp", "pelatihan_teknis", {"place": "x" * 501}, "details.place"),
        ("sttp", "pelatihan_teknis", {"place": 12}, "details.place"),
        ("piagam", "pelatihan_teknis", {}, "details.achievement"),
        ("sk", "pelatihan_teknis", {k: v for k, v in SK.items() if k != "about"}, "details.about"),
        ("sk", "seminar", {**SK, "considering": "bahwa"}, "details.considering"),
        ("sk", "seminar", {**SK, "legal_basis": []}, "details.legal_basis"),
        ("sk", "seminar", {**SK, "decisions": None}, "details.decisions"),
        (
            "sk",
            "seminar",
            {**SK, "appendix": [{"name": "A"}, {"name": "B", "nip": "123"}]},
            "details.appendix[1].nip",
        ),
        (
            "sk",
            "seminar",
            {**SK, "appendix": [{"name": "A", "employment": "tkk"}]},
            "details.appendix[0].employment",
        ),
        ("sk", "seminar", {**SK, "appendix": [{"name": "A"}] * 5001}, "details.appendix"),
        ("sk", "seminar", {**SK, "about": "Baris\nbaru"}, "details.about"),
        ("surat_keterangan", "pelatihan_teknis", {}, "activity.path"),
        ("surat_keterangan", "coaching", {"sessions": [{"date": "6 Mei"}]}, None),
        ("surat_keterangan", "coaching", {"coach": {"nip": "198503152010011012"}}, None),
        ("surat_keterangan", "coaching", {"legal_basis": "Perwal"}, "details.legal_basis"),
        ("surat_keterangan", "kursus_ajaib", {}, "activity.path"),
        ("ijazah", "pelatihan_teknis", {}, "type"),
    ],
)
def test_validate_details_refusals_name_the_field(
    type: str, path: str, details: dict[str, Any], field: str | None
) -> None:
    error = refusal(type, path, details)
    if field is not None:
        assert error.field == field
    assert error.message  # a sentence for a person, in Indonesian


def test_nested_refusals_name_the_nested_field() -> None:
    assert (
        refusal("surat_keterangan", "coaching", {"sessions": [{"date": "6 Mei"}]}).field
        == "details.sessions[0].date"
    )
    assert (
        refusal("surat_keterangan", "coaching", {"coach": {"nip": "198503152010011012"}}).field
        == "details.coach.name"
    )
    assert refusal("sttp", "seminar", {"subjects": [{"name": "X", "jp": True}]}).field == (
        "details.subjects[0].jp"
    )


def test_description_may_hold_line_breaks_but_not_other_control_characters() -> None:
    details = validate_details("surat_keterangan", "belajar_mandiri", {"description": "a\nb"})
    assert details == {"description": "a\nb"}
    error = refusal("surat_keterangan", "belajar_mandiri", {"description": "a\tb"})
    assert error.field == "details.description"


def test_empty_optional_values_are_dropped() -> None:
    details: dict[str, Any] = {"place": "  ", "subjects": [], "rank": None, "agency": "Pemprov"}
    assert validate_details("sttp", "seminar", details) == {"agency": "Pemprov"}
    assert validate_details("sertifikat", "seminar", None) == {}


def test_appendix_of_5000_rows_is_accepted() -> None:
    details = validate_details("sk", "seminar", {**SK, "appendix": [{"name": "A"}] * 5000})
    assert len(details["appendix"]) == 5000


@pytest.mark.parametrize(("type", "path"), SAMPLES)
def test_samples_are_valid_details(type: str, path: str | None) -> None:
    content = sample_content(type, path)
    assert validate_details(type, content.path, dict(content.details)) == content.details


# --- build_context ----------------------------------------------------------------------------


@pytest.mark.parametrize(("type", "path"), SAMPLES)
def test_context_is_plain_json_with_the_same_keys_for_every_type(
    type: str, path: str | None
) -> None:
    context = build_context(sample_content(type, path), IDENTITY)
    assert json.loads(json.dumps(context)) == context
    reference = build_context(sample_content("sttp"), IDENTITY)
    assert set(context) == set(reference)
    assert set(context["holder"]) == set(reference["holder"])
    assert set(context["sk"]) == set(reference["sk"])


def test_sttp_context() -> None:
    context = build_context(sample_content("sttp"), IDENTITY)
    assert context["number"] == "00123/STTP/BPSDM/2024"
    assert context["issued_on_text"] == "3 Mei 2024"
    assert context["jp_text"] == "40 (empat puluh) JP"
    assert context["jp_text_long"] == "40 (empat puluh) jam pelajaran"
    assert context["holder"]["name"] == "Dr. Siti Rahmawati, S.Kom., M.T."
    assert context["holder"]["nip_text"] == "19850315 201001 2 012"
    assert context["holder"]["nip_label"] == "NIP"
    assert context["holder"]["birth_text"] == "Bandung, 15 Maret 1985"
    assert context["holder"]["agency"] == "Pemerintah Provinsi Contoh"
    # One unbreakable unit: no-break spaces, and a word joiner after the en dash.
    assert context["activity"]["date_span_text"] == "22–\u206026\u00a0April\u00a02024"
    assert context["activity"]["path_label"] == "Pelatihan Teknis"
    assert context["activity"]["title_upper"] == (
        "PELATIHAN TEKNIS ANALISIS DATA & STATISTIK SEKTORAL"
    )
    assert context["signer"]["nip_text"] == "19690309 199403 2 001"
    assert context["signer"]["position_title"] == (
        "Kepala Badan Pengembangan Sumber Daya Manusia Provinsi Contoh"
    )
    # A heading and the line over the signature: the last two words never part.
    assert context["signer"]["position"] == (
        "KEPALA BADAN PENGEMBANGAN SUMBER DAYA MANUSIA PROVINSI\u00a0CONTOH"
    )
    assert (context["final_score_text"], context["predikat"]) == ("92,40", "Sangat Memuaskan")
    assert context["subjects_total_jp_text"] == "40"
    assert context["place_and_date"] == "Kota Contoh, 3 Mei 2024"


def test_pppk_holder_and_absent_fields() -> None:
    content = replace(
        sample_content("surat_keterangan", "coaching"),
        holder_position=None,
        holder_unit=None,
        details={},
    )
    holder = build_context(content, IDENTITY)["holder"]
    assert holder["nip_label"] == "NI PPPK"
    assert holder["nip_text"] == "19900913 2025 24 2 014"
    assert holder["rank_label"] == "Golongan"
    assert holder["birth_text"] == "13 September 1990"  # no birth place given: the date alone
    assert (holder["position"], holder["unit"], holder["rank"]) == ("-", "-", "-")


def test_transkrip_context_prints_scores_with_two_decimals() -> None:
    context = build_context(sample_content("transkrip"), IDENTITY)
    first = context["subjects"][0]
    assert first == {
        "no": "1",
        "name": "Kebijakan Satu Data Indonesia",
        "jp_text": "6",
        "score_text": "91,50",
        "predikat": "Sangat Memuaskan",
    }
    assert context["final_score_text"] == "86,55"
    assert context["final_predikat"] == "Memuaskan"


@pytest.mark.parametrize("type_", ["sttp", "transkrip"])
def test_a_typed_predikat_wins_over_the_one_of_the_final_score(type_: str) -> None:
    content = sample_content(type_)
    for details, expected in (
        ({**content.details, "final_score": "86.55"}, "Memuaskan"),
        ({**content.details, "final_score": "86.55", "predikat": "Lulus"}, "Lulus"),
    ):
        context = build_context(replace(content, details=details), IDENTITY)
        assert context["final_score_text"] == "86,55"
        assert context["final_predikat"] == context["predikat"] == expected


def test_sk_decisions_get_ordinal_labels_and_the_in_force_clause_once() -> None:
    context = build_context(sample_content("sk"), IDENTITY)
    decisions = context["sk"]["decisions"]
    assert [d["label"] for d in decisions] == ["KESATU", "KEDUA", "KETIGA", "KEEMPAT"]
    assert decisions[-1]["text"] == "Keputusan ini mulai berlaku pada tanggal ditetapkan."
    assert [c["label"] for c in context["sk"]["considering"]] == ["a.", "b.", "c."]
    assert context["sk"]["legal_basis"][0]["label"] == "1."
    assert context["sk"]["decree_title"] == (
        "KEPUTUSAN KEPALA BADAN PENGEMBANGAN SUMBER DAYA MANUSIA PROVINSI\u00a0CONTOH"
    )

    own = dict(sample_content("sk").details)
    own["decisions"] = ["Menetapkan.", "Keputusan ini Mulai Berlaku sejak tanggal ditetapkan."]
    content = replace(sample_content("sk"), details=own)
    labels = [d["label"] for d in build_context(content, IDENTITY)["sk"]["decisions"]]
    assert labels == ["KESATU", "KEDUA"]


def test_sk_appendix_rows() -> None:
    rows = build_context(sample_content("sk"), IDENTITY)["sk"]["appendix"]
    assert rows[0]["no"] == "1"
    assert rows[0]["nip_text"] == "19850315 201001 2 012"
    assert rows[-1]["nip_text"] == "19900913 2025 24 2 014"  # a PPPK participant


def test_legal_basis_of_a_letter_from_details_then_agency_then_rule_set() -> None:
    content = sample_content("surat_keterangan", "coaching")
    tangsel = build_context(content, IDENTITY)["legal_basis_text"]
    assert tangsel == DEFAULT_LEGAL_BASIS["tangsel-2022"][0]
    assert tangsel.startswith("Peraturan Wali Kota Tangerang Selatan Nomor 74 Tahun 2022")

    kubar = build_context(replace(content, jp_rules="kubar-2024"), IDENTITY)["legal_basis_text"]
    assert "SK. 800.2.1/1683/DPUPR-KB/V/2024" in kubar

    agency = replace(IDENTITY, legal_basis={"tangsel-2022": ("Perwal A", "Perbup B", "SK C")})
    assert build_context(content, agency)["legal_basis_text"] == "Perwal A, Perbup B, dan SK C"

    details = {**content.details, "legal_basis": ["Peraturan X;", "Peraturan Y."]}
    context = build_context(replace(content, details=details), agency)
    assert context["legal_basis_text"] == "Peraturan X dan Peraturan Y"


def test_bsre_sentence_only_when_the_agency_signs_with_bsre() -> None:
    content = sample_content("sttp")
    assert build_context(content, IDENTITY)["bsre_sentence"] == ""
    signed: AgencyIdentity = replace(IDENTITY, bsre_signed=True)
    assert "BSrE" in build_context(content, signed)["bsre_sentence"]


def test_verification_sentence_names_a_short_address_only() -> None:
    content = sample_content("sttp")
    short = build_context(content, IDENTITY)["verification_sentence"]
    assert content.short_url in short
    long_url = content.verify_url
    sentence = build_context(replace(content, short_url=long_url), IDENTITY)[
        "verification_sentence"
    ]
    assert long_url not in sentence
    assert "tercetak di samping kode QR" in sentence


def test_sessions_context() -> None:
    context = build_context(sample_content("surat_keterangan", "belajar_mandiri"), IDENTITY)
    assert context["sessions"][0] == {
        "no": "1",
        "date_text": "12 Mei 2025",
        "topic": "Modul 1: Pembersihan data",
        "jp_text": "2,4",
    }
    assert context["sessions_count_text"] == "3 (tiga) kali"
    assert context["jp_text"] == "7,2 (tujuh koma dua) JP"
    assert context["activity"]["scope_label"] == "Internasional"


# --- labels and names -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "label"),
    [
        (1, "KESATU"),
        (2, "KEDUA"),
        (3, "KETIGA"),
        (4, "KEEMPAT"),
        (10, "KESEPULUH"),
        (11, "KESEBELAS"),
        (12, "KEDUA BELAS"),
        (20, "KEDUA PULUH"),
        (21, "KEDUA PULUH SATU"),
        (100, "KESERATUS"),
    ],
)
def test_ordinal_label(n: int, label: str) -> None:
    assert ordinal_label(n) == label


@pytest.mark.parametrize(("n", "label"), [(1, "a"), (3, "c"), (26, "z"), (27, "aa"), (28, "ab")])
def test_letter_label(n: int, label: str) -> None:
    assert letter_label(n) == label


def test_labels_start_at_one() -> None:
    with pytest.raises(ValueError, match="start at 1"):
        ordinal_label(0)
    with pytest.raises(ValueError, match="start at 1"):
        letter_label(0)


@pytest.mark.parametrize(
    ("type", "path", "name"),
    [
        ("sttp", "pelatihan_teknis", "sttp.docx"),
        ("sertifikat", "seminar", "sertifikat.docx"),
        ("transkrip", "pelatihan_teknis", "transkrip.docx"),
        ("piagam", "pelatihan_teknis", "piagam.docx"),
        ("sk", "seminar", "sk.docx"),
        ("surat_keterangan", "coaching", "surat_keterangan_coaching.docx"),
        ("surat_keterangan", "mentoring", "surat_keterangan_mentoring.docx"),
        ("surat_keterangan", "belajar_mandiri", "surat_keterangan_belajar_mandiri.docx"),
        ("surat_keterangan", "komunitas_belajar", "surat_keterangan_komunitas_belajar.docx"),
        (
            "surat_keterangan",
            "bimbingan_tempat_kerja",
            "surat_keterangan_bimbingan_tempat_kerja.docx",
        ),
        ("surat_keterangan", "e_learning", "surat_keterangan.docx"),
        ("surat_keterangan", "magang", "surat_keterangan.docx"),
    ],
)
def test_template_name_for(type: str, path: str, name: str) -> None:
    assert template_name_for(type, path) == name


def test_template_name_for_unknown_type() -> None:
    with pytest.raises(InvalidInput) as info:
        template_name_for("ijazah", "seminar")
    assert info.value.field == "type"


def test_display_url_drops_only_the_scheme() -> None:
    assert display_url("https://bpsdm.contoh.go.id/v/ABC") == "bpsdm.contoh.go.id/v/ABC"
    assert display_url("bpsdm.contoh.go.id/v/ABC") == "bpsdm.contoh.go.id/v/ABC"
