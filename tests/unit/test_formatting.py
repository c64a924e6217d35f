"""Indonesian formatting: long dates, spans, terbilang, JP with words, NIP, predikat."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from registry.domain.errors import InvalidInput
from registry.domain.formatting import (
    date_span,
    jp_with_words,
    keep_on_one_line,
    long_date,
    long_datetime,
    number_id,
    predikat,
    terbilang,
    without_lone_last_word,
)

MONTHS = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]


@pytest.mark.parametrize("month", range(1, 13))
def test_long_date_uses_indonesian_month_names(month: int) -> None:
    assert long_date(date(2024, month, 3)) == f"3 {MONTHS[month - 1]} 2024"


def test_long_date_has_no_leading_zero() -> None:
    assert long_date(date(2025, 12, 31)) == "31 Desember 2025"
    assert long_date(date(2024, 5, 3)) == "3 Mei 2024"


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2024, 5, 3), date(2024, 5, 3), "3 Mei 2024"),
        (date(2024, 5, 1), date(2024, 5, 3), "1–3 Mei 2024"),
        (date(2024, 5, 28), date(2024, 6, 2), "28 Mei – 2 Juni 2024"),
        (date(2024, 12, 30), date(2025, 1, 2), "30 Desember 2024 – 2 Januari 2025"),
    ],
)
def test_date_span(start: date, end: date, expected: str) -> None:
    assert date_span(start, end) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2026, 11, 23), date(2026, 11, 27), "23–\u206027\u00a0November\u00a02026"),
        (
            date(2024, 5, 28),
            date(2024, 6, 2),
            "28\u00a0Mei\u00a0–\u2060\u00a02\u00a0Juni\u00a02024",
        ),
        (date(2024, 5, 3), date(2024, 5, 3), "3\u00a0Mei\u00a02024"),
    ],
)
def test_a_printed_date_span_has_no_break_opportunity(
    start: date, end: date, expected: str
) -> None:
    printed = keep_on_one_line(date_span(start, end))
    assert printed == expected
    # What a reader (and PDF text extraction) sees is the plain span.
    assert printed.replace("\u2060", "").replace("\u00a0", " ") == date_span(start, end)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("KEPALA BADAN PROVINSI CONTOH", "KEPALA BADAN PROVINSI\u00a0CONTOH"),
        ("KEPALA DINAS", "KEPALA\u00a0DINAS"),
        ("BUPATI", "BUPATI"),
        ("BUPATI ", "BUPATI "),
        ("", ""),
    ],
)
def test_without_lone_last_word(text: str, expected: str) -> None:
    assert without_lone_last_word(text) == expected


def test_date_span_refuses_reversed_dates() -> None:
    with pytest.raises(InvalidInput) as info:
        date_span(date(2024, 5, 3), date(2024, 5, 2))
    assert info.value.field == "activity.end_date"


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (0, "nol"),
        (1, "satu"),
        (10, "sepuluh"),
        (11, "sebelas"),
        (12, "dua belas"),
        (20, "dua puluh"),
        (24, "dua puluh empat"),
        (45, "empat puluh lima"),
        (100, "seratus"),
        (101, "seratus satu"),
        (111, "seratus sebelas"),
        (1000, "seribu"),
        (1500, "seribu lima ratus"),
        (2000, "dua ribu"),
        (1_000_000, "satu juta"),
    ],
)
def test_terbilang_whole_numbers(value: int, words: str) -> None:
    assert terbilang(value) == words
    assert terbilang(Decimal(value)) == words


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("2.4", "dua koma empat"),
        ("2.5", "dua koma lima"),
        ("0.5", "nol koma lima"),
        ("7.2", "tujuh koma dua"),
        # The fraction is read digit by digit, as Indonesian documents read decimals.
        ("20.25", "dua puluh koma dua lima"),
        ("2.05", "dua koma nol lima"),
        # Trailing zeros are dropped before reading (num2words would say "koma nol").
        ("24.0", "dua puluh empat"),
        ("2.40", "dua koma empat"),
        ("2E+1", "dua puluh"),
    ],
)
def test_terbilang_decimals(value: str, words: str) -> None:
    assert terbilang(Decimal(value)) == words


@pytest.mark.parametrize("value", [Decimal(-1), Decimal("NaN"), Decimal("Infinity"), True, "abc"])
def test_terbilang_refuses_what_is_not_a_count(value: object) -> None:
    with pytest.raises(InvalidInput):
        terbilang(value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("jp", "text"),
    [
        (Decimal(20), "20 (dua puluh) JP"),
        (Decimal("20.0"), "20 (dua puluh) JP"),
        (Decimal("2.4"), "2,4 (dua koma empat) JP"),
        (Decimal("7.20"), "7,2 (tujuh koma dua) JP"),
        (Decimal("1.5"), "1,5 (satu koma lima) JP"),
        (Decimal(1500), "1.500 (seribu lima ratus) JP"),
        (6, "6 (enam) JP"),
    ],
)
def test_jp_with_words(jp: Decimal, text: str) -> None:
    assert jp_with_words(jp) == text


def test_jp_with_words_long_unit() -> None:
    assert jp_with_words(Decimal(40), "jam pelajaran") == "40 (empat puluh) jam pelajaran"


@pytest.mark.parametrize(
    ("value", "places", "text"),
    [
        (Decimal("2.4"), None, "2,4"),
        (Decimal("20.00"), None, "20"),
        (Decimal("1234567.5"), None, "1.234.567,5"),
        (Decimal("-1234.5"), None, "-1.234,5"),
        (Decimal("85.5"), 2, "85,50"),
        (Decimal("84.255"), 2, "84,26"),
        (Decimal(90), 2, "90,00"),
        (Decimal(0), None, "0"),
    ],
)
def test_number_id(value: Decimal, places: int | None, text: str) -> None:
    assert number_id(value, places) == text


@given(st.decimals(min_value=0, max_value=100_000, places=2, allow_nan=False))
def test_jp_text_numbers_and_words_agree(value: Decimal) -> None:
    text = jp_with_words(value)
    number, _, rest = text.partition(" (")
    assert number == number_id(value)
    words = rest.removesuffix(") JP")
    fraction = number.partition(",")[2]
    assert words.count(" koma ") == (1 if fraction else 0)
    if fraction:
        assert len(words.split(" koma ")[1].split()) == len(fraction)


@pytest.mark.parametrize(
    ("score", "label"),
    [
        ("100", "Sangat Memuaskan"),
        ("90", "Sangat Memuaskan"),
        ("89.99", "Memuaskan"),
        ("80", "Memuaskan"),
        ("79.99", "Baik"),
        ("70", "Baik"),
        ("69.99", "Cukup"),
        ("60", "Cukup"),
        ("59.99", "Kurang"),
        ("0", "Kurang"),
    ],
)
def test_predikat_boundaries(score: str, label: str) -> None:
    assert predikat(Decimal(score)) == label


@pytest.mark.parametrize("score", ["100.01", "-0.01", "NaN"])
def test_predikat_refuses_scores_outside_0_to_100(score: str) -> None:
    with pytest.raises(InvalidInput):
        predikat(Decimal(score))


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("Asia/Jakarta", "31 Desember 2026 pukul\u00a023.30\u00a0WIB"),
        ("Asia/Pontianak", "31 Desember 2026 pukul\u00a023.30\u00a0WIB"),
        ("Asia/Makassar", "1 Januari 2027 pukul\u00a000.30\u00a0WITA"),
        ("Asia/Jayapura", "1 Januari 2027 pukul\u00a001.30\u00a0WIT"),
    ],
)
def test_long_datetime_in_each_indonesian_zone(zone: str, expected: str) -> None:
    moment = datetime(2026, 12, 31, 16, 30, tzinfo=UTC)
    assert long_datetime(moment, ZoneInfo(zone)) == expected


def test_long_datetime_reads_a_naive_moment_as_utc() -> None:
    naive = datetime(2026, 3, 4, 7, 5)
    assert (
        long_datetime(naive, ZoneInfo("Asia/Jakarta")) == "4 Maret 2026 pukul\u00a014.05\u00a0WIB"
    )
