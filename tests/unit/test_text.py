"""One rule for typed names and titles: printed as stored, nothing hidden, nothing reversed."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from registry.domain.details import validate_details
from registry.domain.errors import InvalidInput
from registry.domain.text import BIDI_CONTROLS, clean_text, optional_text

INDONESIAN_NAMES = [
    "Dra. Siti Aminah, M.Si.",
    "I Gusti Ngurah Rai",
    "Ni Luh Putu",
    "A'an",
    "A\u2019an",  # the typographic apostrophe a word processor puts in
    "Ir. H. Muh. Yusuf-Kalla",
    "Prof. Dr. dr. Ratna Dewi, Sp.A(K)",
    "Drs. R.M. Soebroto (Alm.)",
    "Muhammad Ja\u2019far Ash-Shiddiq",
    "Ni Made Ayu Kusuma Wardani, S.E., M.Ak.",
    "Théo Müller",  # NFC letters with diacritics
    "Siti\u00a0Aminah",  # a no-break space is a visible gap
    "Analis Kepegawaian Ahli Muda",
    "Pelatihan Teknis Pengadaan Barang/Jasa Pemerintah Angkatan II Tahun 2026",
    "Seminar \u201cASN Berakhlak\u201d & Lokakarya (Hari ke-2)",
    "Dinas Pekerjaan Umum dan Penataan Ruang",
]


@pytest.mark.parametrize("name", INDONESIAN_NAMES)
def test_plain_names_and_titles_pass_as_typed(name: str) -> None:
    assert clean_text(f"  {name} ", "recipient.name", required=True) == name


def test_decomposed_letters_are_stored_composed() -> None:
    assert clean_text("The\u0301o", "recipient.name") == "Théo"


@pytest.mark.parametrize("char", sorted(BIDI_CONTROLS))
def test_every_bidirectional_control_is_refused(char: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        clean_text(f"Siti {char}Aminah", "recipient.name")
    assert refused.value.field == "recipient.name"
    assert "pengatur arah teks" in refused.value.message
    assert refused.value.extra["character"] == f"U+{ord(char):04X}"


def test_the_bidi_set_is_the_unicode_bidi_control_property() -> None:
    # PropList.txt Bidi_Control: U+061C, U+200E..U+200F, U+202A..U+202E, U+2066..U+2069
    expected = {0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}
    assert {ord(c) for c in BIDI_CONTROLS} == expected
    assert {unicodedata.category(c) for c in BIDI_CONTROLS} == {"Cf"}


def test_the_reversed_name_of_the_issue_is_refused() -> None:
    with pytest.raises(InvalidInput, match=r"recipient\.name memuat karakter pengatur arah"):
        clean_text("\u202egnasiB\u202c", "recipient.name", required=True)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("\u200b", id="zwsp"),
        pytest.param("\u200b\u200c\u200d", id="zwsp-zwnj-zwj"),
        pytest.param("\u2060\ufeff", id="word-joiner-bom"),
        pytest.param("\u00ad\u00ad", id="soft-hyphens"),
        pytest.param("\u3164\u3164", id="hangul-filler"),
        pytest.param("\u2800", id="braille-blank"),
        pytest.param("\u0301\u0308", id="combining-marks-alone"),
    ],
)
def test_invisible_only_text_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        clean_text(text, "recipient.name", required=True)
    assert refused.value.field == "recipient.name"
    assert "terlihat" in refused.value.message


@pytest.mark.parametrize(
    "char",
    [
        pytest.param("\u200b", id="zero-width-space"),
        # ZWNJ/ZWJ shape Arabic and Indic scripts; these names are Latin script (module doc).
        pytest.param("\u200c", id="zero-width-non-joiner"),
        pytest.param("\u200d", id="zero-width-joiner"),
        pytest.param("\u2060", id="word-joiner"),
        pytest.param("\ufeff", id="byte-order-mark"),
        pytest.param("\u00ad", id="soft-hyphen"),
        pytest.param("\u2028", id="line-separator"),
        pytest.param("\u2029", id="paragraph-separator"),
        pytest.param("\ue000", id="private-use"),
        pytest.param("\U000e0041", id="tag-letter"),
        pytest.param("\ud800", id="lone-surrogate"),
    ],
)
def test_invisible_characters_inside_a_name_are_refused(char: str) -> None:
    with pytest.raises(InvalidInput, match="tak terlihat") as refused:
        clean_text(f"Siti{char}Aminah", "recipient.name")
    assert refused.value.extra["character"] == f"U+{ord(char):04X}"


@pytest.mark.parametrize("char", ["\x00", "\t", "\n", "\r", "\x1b", "\x7f", "\x85", "\x9b"])
def test_control_characters_are_refused_in_single_line_text(char: str) -> None:
    with pytest.raises(InvalidInput, match="karakter kendali"):
        clean_text(f"Siti{char}Aminah", "recipient.name")


def test_a_newline_passes_only_where_the_field_is_multi_line() -> None:
    assert clean_text("baris satu\nbaris dua", "details.description", multiline=True)
    for char in ("\t", "\r", "\x00", "\u202e", "\u200b"):
        with pytest.raises(InvalidInput):
            clean_text(f"baris satu{char}\nbaris dua", "details.description", multiline=True)


def test_optional_text_is_none_when_blank_and_checked_when_not() -> None:
    assert optional_text("  ", "recipient.position") is None
    with pytest.raises(InvalidInput):
        optional_text("\u200b", "recipient.position")


def test_details_names_and_paragraphs_follow_the_same_rule() -> None:
    coach = {"name": "\u202egnasiB\u202c", "nip": "197805122003121002"}
    with pytest.raises(InvalidInput) as refused:
        validate_details("surat_keterangan", "coaching", {"coach": coach})
    assert refused.value.field == "details.coach.name"


@given(st.text(alphabet=st.characters(categories=["Lu", "Ll", "Nd", "Zs", "Po", "Pd"])))
def test_letters_digits_spaces_and_punctuation_never_trip_the_hidden_check(text: str) -> None:
    cleaned = clean_text(text, "recipient.name", limit=10_000)
    assert cleaned == unicodedata.normalize("NFC", text.strip())


@given(
    st.text(min_size=1, max_size=20, alphabet=st.characters(categories=["Ll"])),
    st.sampled_from(sorted(BIDI_CONTROLS | {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"})),
    st.integers(min_value=0, max_value=20),
)
def test_a_hidden_character_anywhere_is_refused(name: str, hidden: str, at: int) -> None:
    with pytest.raises(InvalidInput):
        clean_text(name[:at] + hidden + name[at:], "recipient.name")
