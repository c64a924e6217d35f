from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from registry.domain.errors import InvalidInput
from registry.domain.nip import (
    EmployeeNumber,
    Employment,
    format_nip,
    mask_nip,
    parse_employee_number,
    typed_nip_digits,
)

TODAY = date(2025, 6, 30)
PNS_EXAMPLE = "198503152010011012"
PPPK_EXAMPLE = "199009132025242014"


def refusal(value: str, employment: Employment | None = None, *, today: date = TODAY) -> str:
    with pytest.raises(InvalidInput) as caught:
        parse_employee_number(value, employment, today=today)
    assert caught.value.field == "recipient.nip"
    return caught.value.message


# --- the two examples -------------------------------------------------------------------------


def test_pns_example_parses() -> None:
    assert parse_employee_number(PNS_EXAMPLE, today=TODAY) == EmployeeNumber(
        digits=PNS_EXAMPLE,
        employment=Employment.PNS,
        birth_date=date(1985, 3, 15),
        appointment_year=2010,
        appointment_month=1,
        gender=1,
        sequence=12,
    )


def test_pppk_example_parses() -> None:
    assert parse_employee_number(PPPK_EXAMPLE, today=TODAY) == EmployeeNumber(
        digits=PPPK_EXAMPLE,
        employment=Employment.PPPK,
        birth_date=date(1990, 9, 13),
        appointment_year=2025,
        appointment_month=None,
        gender=2,
        sequence=14,
    )


def test_explicit_employment_matches_structure() -> None:
    pns = parse_employee_number(PNS_EXAMPLE, Employment.PNS, today=TODAY)
    pppk = parse_employee_number(PPPK_EXAMPLE, Employment.PPPK, today=TODAY)
    assert pns.employment is Employment.PNS
    assert pppk.employment is Employment.PPPK


def test_spaces_as_printed_are_accepted() -> None:
    pns = parse_employee_number("19850315 201001 1 012", today=TODAY)
    pppk = parse_employee_number(" 19900913 2025 24 2 014 ", today=TODAY)
    assert pns.digits == PNS_EXAMPLE
    assert pppk.digits == PPPK_EXAMPLE


def test_custom_field_is_reported() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_employee_number("123", today=TODAY, field="signer.nip")
    assert caught.value.field == "signer.nip"


# --- refusals ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "received"),
    [("19850315201001101", 17), ("1985031520100110120", 19), ("", 0)],
)
def test_wrong_length_refused(value: str, received: int) -> None:
    assert refusal(value) == f"NIP harus 18 digit angka (diterima {received} digit)"


def test_wrong_length_refused_for_explicit_pppk() -> None:
    message = refusal("1990091320252420", Employment.PPPK)
    assert message == "NI PPPK harus 18 digit angka (diterima 16 digit)"


@pytest.mark.parametrize(
    ("value", "char", "position"),
    [
        ("19850315-201001-1-012", "-", 9),
        ("1985031520100110I2", "I", 17),
        ("19850315\t201001 1 012", "\t", 9),
        ("١٩٨٥٠٣١٥٢٠١٠٠١١٠١٢", "١", 1),  # Arabic-Indic digits are not ASCII digits
    ],
)
def test_non_digit_refused(value: str, char: str, position: int) -> None:
    assert refusal(value) == (
        f"NIP hanya boleh berisi angka 0-9 dan spasi "
        f"(ditemukan karakter {char!r} pada posisi {position})"
    )


def test_impossible_birth_date_refused() -> None:
    assert refusal("198502302010011012") == "Tanggal lahir pada NIP tidak valid: 1985-02-30"


def test_impossible_birth_date_refused_for_pppk() -> None:
    message = refusal("199013012025242014", Employment.PPPK)
    assert message == "Tanggal lahir pada NI PPPK tidak valid: 1990-13-01"


def test_birth_year_before_1940_refused() -> None:
    assert refusal("193912312000011001") == (
        "Tahun lahir pada NIP tidak boleh sebelum 1940 (diterima 1939)"
    )


def test_future_birth_date_refused() -> None:
    assert refusal("202601012010011012") == (
        "Tanggal lahir pada NIP berada di masa depan: 2026-01-01"
    )


def test_too_young_refused() -> None:
    # Turns 17 on 2025-07-01, one day after TODAY.
    assert refusal("200807012025011001") == (
        "Tanggal lahir pada NIP (2008-07-01) berarti usia 16 tahun pada 2025-06-30; "
        "usia minimal 17 tahun"
    )


def test_seventeenth_birthday_today_accepted() -> None:
    number = parse_employee_number("200806302025061001", today=TODAY)
    assert number.birth_date == date(2008, 6, 30)


def test_leap_day_birth_date_accepted() -> None:
    number = parse_employee_number("198402292010011012", today=TODAY)
    assert number.birth_date == date(1984, 2, 29)


@pytest.mark.parametrize("month", ["13", "00"])
def test_tmt_month_out_of_range_refused_for_explicit_pns(month: str) -> None:
    message = refusal(f"198503152010{month}1012", Employment.PNS)
    assert message == f"Bulan TMT CPNS pada NIP harus 01-12 (diterima {month})"


def test_tmt_before_birth_year_plus_17_refused() -> None:
    assert refusal("198503152001011012") == (
        "Tahun TMT CPNS pada NIP (2001) harus paling cepat 17 tahun setelah tahun lahir (1985)"
    )


def test_tmt_in_future_refused() -> None:
    assert refusal("198503152025071012", Employment.PNS) == (
        "TMT CPNS pada NIP (2025-07) berada di masa depan"
    )


def test_tmt_this_month_accepted() -> None:
    number = parse_employee_number("198503152025061012", Employment.PNS, today=TODAY)
    assert (number.appointment_year, number.appointment_month) == (2025, 6)


def test_gender_digit_refused() -> None:
    message = refusal("198503152010013012")
    assert message == "Digit jenis kelamin pada NIP harus 1 atau 2 (diterima 3)"


def test_gender_digit_refused_for_pppk() -> None:
    assert refusal("199009132025240014", Employment.PPPK) == (
        "Digit jenis kelamin pada NI PPPK harus 1 atau 2 (diterima 0)"
    )


def test_sequence_000_refused() -> None:
    assert refusal("198503152010011000") == "Nomor urut pada NIP harus 001-999 (diterima 000)"


def test_pppk_year_before_2019_refused() -> None:
    assert refusal("199009132015242014", Employment.PPPK) == (
        "Tahun pengangkatan pada NI PPPK harus 2019 atau sesudahnya, karena PPPK baru diangkat "
        "sejak 2019 (diterima 2015)"
    )


def test_pppk_year_in_future_refused() -> None:
    assert refusal("199009132026242014", Employment.PPPK) == (
        "Tahun pengangkatan pada NI PPPK (2026) berada di masa depan"
    )


def test_pppk_year_before_birth_year_plus_17_refused() -> None:
    assert refusal("200501012020242014", Employment.PPPK) == (
        "Tahun pengangkatan pada NI PPPK (2020) harus paling cepat 17 tahun setelah tahun lahir "
        "(2005)"
    )


def test_pppk_code_is_not_validated_as_a_month() -> None:
    for code in ("00", "13", "24", "99"):
        number = parse_employee_number(f"199009132025{code}2014", Employment.PPPK, today=TODAY)
        assert number.appointment_month is None


def test_explicit_pppk_does_not_fall_back_to_pns() -> None:
    # A valid PNS NIP (TMT 2010) is not a valid NI PPPK (no PPPK before 2019).
    message = refusal(PNS_EXAMPLE, Employment.PPPK)
    assert message.startswith("Tahun pengangkatan pada NI PPPK harus 2019")


def test_explicit_pns_does_not_fall_back_to_pppk() -> None:
    assert refusal(PPPK_EXAMPLE, Employment.PNS) == (
        "Bulan TMT CPNS pada NIP harus 01-12 (diterima 24)"
    )


# --- inference --------------------------------------------------------------------------------


def test_inference_prefers_pns_when_both_structures_fit() -> None:
    # TMT 2020-05 is also "appointed 2020, code 05" as a PPPK number.
    assert parse_employee_number("199009132020052014", today=TODAY).employment is Employment.PNS


def test_inference_bad_tmt_month_but_valid_pppk_is_pppk() -> None:
    assert parse_employee_number(PPPK_EXAMPLE, today=TODAY).employment is Employment.PPPK


def test_inference_failing_both_raises_the_pns_error() -> None:
    # Month 24 fails PNS; year 2015 fails PPPK: the PNS message wins.
    assert refusal("199009132015242014") == "Bulan TMT CPNS pada NIP harus 01-12 (diterima 24)"


def test_inference_common_failure_reports_pns_wording() -> None:
    # Gender 3 fails PNS; TMT 2010 is also before any PPPK appointment.
    message = refusal("198503152010013012")
    assert message == "Digit jenis kelamin pada NIP harus 1 atau 2 (diterima 3)"


def test_inference_pppk_shaped_with_other_error_still_reports_pns() -> None:
    # Code 24 fails PNS, gender 3 fails PPPK: per the rule, the PNS error is raised.
    assert refusal("199009132025243014") == "Bulan TMT CPNS pada NIP harus 01-12 (diterima 24)"


# --- mask and format --------------------------------------------------------------------------


def test_mask_hides_birth_date() -> None:
    assert mask_nip(PNS_EXAMPLE) == "********2010011012"
    assert mask_nip("19850315 201001 1 012") == "********2010011012"


def test_mask_refuses_what_is_not_a_number() -> None:
    with pytest.raises(InvalidInput, match="harus 18 digit"):
        mask_nip("1985031520")


def test_format_pns() -> None:
    number = parse_employee_number(PNS_EXAMPLE, today=TODAY)
    assert format_nip(number.digits, number.employment) == "19850315 201001 1 012"


def test_format_pppk() -> None:
    number = parse_employee_number(PPPK_EXAMPLE, today=TODAY)
    assert format_nip(number.digits, number.employment) == "19900913 2025 24 2 014"


def test_format_takes_digits_as_stored_and_never_mis_groups() -> None:
    assert format_nip(PNS_EXAMPLE) == "19850315 201001 1 012"  # PNS unless told otherwise
    assert format_nip(PPPK_EXAMPLE, "pppk") == "19900913 2025 24 2 014"
    assert format_nip(PPPK_EXAMPLE, Employment.PPPK) == "19900913 2025 24 2 014"
    assert format_nip("19850315 201001 1 012") == "19850315 201001 1 012"
    # Not 18 ASCII digits: shown as given rather than grouped wrongly.
    assert format_nip("12345") == "12345"
    assert format_nip("19850315201001101X") == "19850315201001101X"
    assert format_nip("١٩٨٥٠٣١٥٢٠١٠٠١١٠١٢") == "١٩٨٥٠٣١٥٢٠١٠٠١١٠١٢"


def test_formatted_pppk_round_trips() -> None:
    number = parse_employee_number(PPPK_EXAMPLE, today=TODAY)
    printed = format_nip(number.digits, number.employment)
    assert parse_employee_number(printed, today=TODAY) == number


# --- properties -------------------------------------------------------------------------------


@st.composite
def valid_pns_digits(draw: st.DrawFn, today: date = TODAY) -> str:
    latest_birth = date(today.year - 17, today.month, today.day)
    birth = draw(st.dates(min_value=date(1940, 1, 1), max_value=latest_birth))
    year = draw(st.integers(min_value=birth.year + 17, max_value=today.year))
    last_month = today.month if year == today.year else 12
    month = draw(st.integers(min_value=1, max_value=last_month))
    gender = draw(st.sampled_from([1, 2]))
    sequence = draw(st.integers(min_value=1, max_value=999))
    return f"{birth:%Y%m%d}{year:04d}{month:02d}{gender}{sequence:03d}"


@given(valid_pns_digits())
def test_valid_pns_format_parse_round_trips(digits: str) -> None:
    number = parse_employee_number(digits, today=TODAY)
    assert number.employment is Employment.PNS
    printed = format_nip(number.digits, number.employment)
    assert parse_employee_number(printed, Employment.PNS, today=TODAY) == number
    assert parse_employee_number(printed, today=TODAY).digits == digits


@given(st.text(alphabet="0123456789", min_size=18, max_size=18))
def test_mask_hides_first_eight_and_keeps_last_ten(digits: str) -> None:
    masked = mask_nip(digits)
    assert len(masked) == 18
    assert masked[:8] == "********"
    assert masked[8:] == digits[8:]


# -- a NIP typed to be compared (the verification page) -----------------------------------------


def test_typed_nip_digits_keeps_only_the_digits() -> None:
    assert typed_nip_digits(" 19850315 201001 1 012 \n") == "198503152010011012"


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("", "wajib diisi"),
        ("   ", "wajib diisi"),
        ("1", "18 digit"),
        ("1985031520100110129", "18 digit"),
        ("abc", "hanya boleh berisi angka 0-9"),
        ("１９８５０３１５２０１００１１０１２", "hanya boleh berisi angka 0-9"),  # full-width
        ("١٩٨٥٠٣١٥٢٠١٠٠١١٠١٢", "hanya boleh berisi angka 0-9"),  # Arabic-Indic
        ("198503152010011012\x00", "hanya boleh berisi angka 0-9"),
    ],
)
def test_typed_nip_digits_refuses_what_is_no_nip(value: str, fragment: str) -> None:
    with pytest.raises(InvalidInput, match=fragment) as refused:
        typed_nip_digits(value)
    assert refused.value.field == "nip"
