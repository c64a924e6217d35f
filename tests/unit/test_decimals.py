"""The one spelling of a decimal as text, and that every caller writes decimals with it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from registry.domain.agency import DEFAULT_AGENCY_TOML, parse_agency_toml
from registry.domain.batch_rows import draft_for, recipients_from_json
from registry.domain.content import build_context, sample_content
from registry.domain.decimals import plain_decimal
from registry.domain.details import validate_details
from registry.domain.drafts import ActivityDraft
from registry.domain.formatting import number_id, terbilang
from registry.domain.jp import Activity, DevelopmentPath, Scope, credited_jp


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", "0"),
        ("-0", "0"),
        ("-0.00", "0"),
        ("0E+3", "0"),
        ("20", "20"),
        ("20.0", "20"),
        ("2E+1", "20"),
        ("2.4E+1", "24"),
        ("1E+2", "100"),
        ("85.50", "85.5"),
        ("8.550E+1", "85.5"),
        ("0.0000001", "0.0000001"),  # str() would say 1E-7
        ("1E-7", "0.0000001"),
        ("-2.50", "-2.5"),
        ("12345678901234567890.123456789", "12345678901234567890.123456789"),
    ],
)
def test_plain_decimal(value: str, expected: str) -> None:
    assert plain_decimal(Decimal(value)) == expected


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "sNaN"])
def test_plain_decimal_refuses_what_has_no_digits(value: str) -> None:
    with pytest.raises(ValueError, match="finite"):
        plain_decimal(Decimal(value))


@given(st.decimals(allow_nan=False, allow_infinity=False))
def test_plain_decimal_is_exact_positional_and_minimal(value: Decimal) -> None:
    text = plain_decimal(value)
    assert Decimal(text) == value
    assert "E" not in text and "e" not in text
    assert not ("." in text and text.endswith("0"))
    assert not text.endswith(".")
    assert text != "-0"


# --- the callers: one spelling wherever a decimal becomes text ---------------------------------

IDENTITY = parse_agency_toml(DEFAULT_AGENCY_TOML, base_dir=Path("."))
SUBJECTS = {"subjects": [{"name": "Etika", "jp": "4", "score": "88"}]}
ACTIVITY = ActivityDraft(
    title="Pelatihan Teknis",
    path="pelatihan_teknis",
    scope="nasional",
    start_date=date(2026, 11, 23),
    end_date=date(2026, 11, 27),
    jp=Decimal(40),
)


@pytest.mark.parametrize(("typed", "stored"), [("8.550E+1", "85.5"), ("-0", "0"), ("90.00", "90")])
def test_batch_score_is_stored_in_the_one_spelling(typed: str, stored: str) -> None:
    (recipient,) = recipients_from_json(
        [{"nip": "198503152010011012", "name": "A", "score": typed}]
    )
    draft = draft_for(
        recipient,
        type="transkrip",
        activity=ACTIVITY,
        unit_code=None,
        series=None,
        details=SUBJECTS,
    )
    assert draft.details is not None
    assert draft.details["final_score"] == stored


def test_details_store_scores_and_jp_in_the_one_spelling() -> None:
    details = validate_details(
        "transkrip",
        "pelatihan_teknis",
        {
            "subjects": [
                {"name": "A", "jp": "2.50", "score": "-0.0"},
                {"name": "B", "jp": "1E+1", "score": "8.55E+1"},
            ],
            "final_score": "86.550",
        },
    )
    assert [(s["jp"], s["score"]) for s in details["subjects"]] == [("2.5", "0"), ("10", "85.5")]
    assert details["final_score"] == "86.55"


def test_a_negative_zero_score_prints_as_zero() -> None:
    """A score typed "-0" was stored as "-0" and printed "-0,00" on the transkrip."""
    content = sample_content("transkrip")
    details = validate_details(
        "transkrip",
        content.path,
        {"subjects": [{"name": "A", "jp": "2", "score": "-0"}], "final_score": "-0.0"},
    )
    context = build_context(replace(content, details=details), IDENTITY)
    assert context["subjects"][0]["score_text"] == "0,00"
    assert context["final_score_text"] == "0,00"


def test_credited_jp_and_the_printed_forms_share_the_spelling() -> None:
    activity = Activity(
        DevelopmentPath.PELATIHAN_TEKNIS,
        Scope.INTERNASIONAL,
        date(2026, 11, 23),
        date(2026, 11, 27),
        Decimal("24.0"),
    )
    jp = credited_jp("tangsel-2022", activity)  # 24.0 x 1.2 = 28.80
    assert str(jp) == plain_decimal(jp) == "28.8"
    assert number_id(Decimal("28.80")) == "28,8"
    assert number_id(Decimal("-0.001"), 2) == number_id(Decimal("-0"), 2) == "0,00"
    assert terbilang(Decimal("2.8E+1")) == "dua puluh delapan"
    content = replace(sample_content("sttp"), jp=Decimal("28.80"))
    assert build_context(content, IDENTITY)["jp"] == "28.8"
