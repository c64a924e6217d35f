"""Number series: the default catalog, template validation, series choice and unit codes."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from registry.domain.errors import ConfigurationError, InvalidInput
from registry.domain.numbering import (
    DEFAULT_SERIES_TOML,
    DOCUMENT_TYPES,
    Series,
    parse_series_toml,
    parse_unit_code,
    roman_month,
    template_fields,
    validate_template,
)

CATALOG = parse_series_toml(DEFAULT_SERIES_TOML)


# --- the default series -----------------------------------------------------------------------


def test_default_catalog_serves_every_document_type_once() -> None:
    assert set(CATALOG.series) == set(DOCUMENT_TYPES)
    for document_type in DOCUMENT_TYPES:
        series = CATALOG.for_type(document_type)
        assert series.id == document_type
        assert series.types == (document_type,)


def test_sttp_number() -> None:
    series = CATALOG.for_type("sttp")
    assert series.render(7, date(2026, 1, 15), None) == "00007/STTP/BPSDM/2026"
    assert series.render(99999, date(2026, 12, 31), None) == "99999/STTP/BPSDM/2026"
    assert not series.needs_unit


@pytest.mark.parametrize(
    ("document_type", "expected"),
    [
        ("sertifikat", "00003/SERT/BPSDM/2027"),
        ("transkrip", "00003/TRANS/BPSDM/2027"),
        ("piagam", "00003/PGM/BPSDM/2027"),
    ],
)
def test_other_default_numbers(document_type: str, expected: str) -> None:
    assert CATALOG.for_type(document_type).render(3, date(2027, 2, 1), None) == expected


def test_sk_number() -> None:
    series = CATALOG.for_type("sk")
    assert series.code == "800.2.1"
    assert series.render(12, date(2026, 5, 3), None) == "800.2.1/0012/BPSDM/V/2026"


def test_surat_keterangan_number_carries_the_unit() -> None:
    series = CATALOG.for_type("surat_keterangan")
    assert series.needs_unit
    assert series.render(1, date(2026, 12, 1), "DPUPR-KB") == "800.2.3/0001/DPUPR-KB/XII/2026"


@pytest.mark.parametrize("unit_code", [None, ""])
def test_surat_keterangan_without_unit_is_refused(unit_code: str | None) -> None:
    series = CATALOG.for_type("surat_keterangan")
    with pytest.raises(InvalidInput) as caught:
        series.render(1, date(2026, 12, 1), unit_code)
    assert caught.value.field == "unit_code"


def test_roman_months() -> None:
    assert [roman_month(month) for month in range(1, 13)] == [
        "I",
        "II",
        "III",
        "IV",
        "V",
        "VI",
        "VII",
        "VIII",
        "IX",
        "X",
        "XI",
        "XII",
    ]


def test_month_tokens() -> None:
    series = Series(id="bulanan", types=("sttp",), format="{seq}/{month}/{month:02}/{year}")
    assert series.render(5, date(2026, 3, 9), None) == "5/3/03/2026"


# --- template validation ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("template", "code"),
    [
        pytest.param("{seq.__class__}/{year}", None, id="attribute"),
        pytest.param("{seq[0]}/{year}", None, id="index"),
        pytest.param("{foo}/{seq}/{year}", None, id="unknown-token"),
        pytest.param("{seq!r}/{year}", None, id="conversion"),
        pytest.param("{seq!s}/{year}", None, id="conversion-s"),
        pytest.param("{unit:>10}/{seq}/{year}", None, id="spec-on-text-token"),
        pytest.param("{month_roman:5}/{seq}/{year}", None, id="width-on-roman"),
        pytest.param("{seq:>5}/{year}", None, id="alignment-on-number"),
        pytest.param("{seq:,}/{year}", None, id="grouping-on-number"),
        pytest.param("{seq:{year}}/{year}", None, id="nested-spec"),
        pytest.param("{seq:0100}/{year}", None, id="huge-width"),
        pytest.param("{}/{seq}/{year}", None, id="positional"),
        pytest.param("{0}/{seq}/{year}", None, id="numbered"),
        pytest.param("STTP/{year}", None, id="missing-seq"),
        pytest.param("{{seq}}/{year}", None, id="escaped-seq"),
        pytest.param("{seq:05}/STTP", None, id="missing-year"),
        pytest.param("{code}/{seq}/{year}", None, id="code-without-code"),
        pytest.param("{code}/{seq}/{year}", "", id="code-empty"),
        pytest.param("{seq/{year}", None, id="unbalanced"),
        pytest.param("{seq}}/{year}", None, id="stray-brace"),
    ],
)
def test_validate_template_refuses(template: str, code: str | None) -> None:
    with pytest.raises(ConfigurationError):
        validate_template("uji", template, code)


@pytest.mark.parametrize(
    ("template", "code"),
    [
        ("{seq}/{year}", None),
        ("{seq:05}/STTP/BPSDM/{year}", None),
        ("{code}/{seq:04}/{unit}/{month_roman}/{month:02}/{year}", "800.2.3"),
        ("{{literal}}/{seq}/{year}", None),
    ],
)
def test_validate_template_accepts(template: str, code: str | None) -> None:
    validate_template("uji", template, code)


def test_template_fields() -> None:
    assert template_fields("{code}/{seq:04}/{unit}/{year}") == {"code", "seq", "unit", "year"}


# --- choosing a series ------------------------------------------------------------------------

EXTRA_TOML = (
    DEFAULT_SERIES_TOML
    + """
[series.sttp_kolaborasi]
types = ["sttp", "sertifikat"]
format = "{seq:05}/KOLAB/{year}"
"""
)


def test_for_type_default_and_explicit() -> None:
    catalog = parse_series_toml(EXTRA_TOML)
    assert catalog.for_type("sttp").id == "sttp"
    assert catalog.for_type("sttp", "sttp_kolaborasi").id == "sttp_kolaborasi"
    assert catalog.for_type("sertifikat", "sttp_kolaborasi").id == "sttp_kolaborasi"


def test_for_type_unknown_series() -> None:
    with pytest.raises(InvalidInput) as caught:
        CATALOG.for_type("sttp", "tidak_ada")
    assert caught.value.field == "series"


def test_for_type_series_not_serving_the_type() -> None:
    with pytest.raises(InvalidInput) as caught:
        CATALOG.for_type("sttp", "sk")
    assert caught.value.field == "series"


def test_for_type_without_any_series() -> None:
    catalog = parse_series_toml('[series.sk]\ntypes = ["sk"]\nformat = "{seq}/{year}"\n')
    with pytest.raises(InvalidInput) as caught:
        catalog.for_type("sttp")
    assert caught.value.field == "type"


# --- parsing series TOML ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("[series.sttp\ntypes = [", id="broken-toml"),
        pytest.param("", id="empty"),
        pytest.param("[series]\n", id="empty-series-table"),
        pytest.param('series = "sttp"\n', id="series-not-a-table"),
        pytest.param('[series]\nsttp = "x"\n', id="entry-not-a-table"),
        pytest.param(
            '[series.x]\ntypes = ["ijazah"]\nformat = "{seq}/{year}"\n', id="unknown-type"
        ),
        pytest.param('[series.x]\ntypes = []\nformat = "{seq}/{year}"\n', id="no-types"),
        pytest.param('[series.x]\ntypes = "sttp"\nformat = "{seq}/{year}"\n', id="types-string"),
        pytest.param('[series.x]\ntypes = ["sttp"]\n', id="no-format"),
        pytest.param('[series.x]\ntypes = ["sttp"]\nformat = 5\n', id="format-not-text"),
        pytest.param(
            '[series.x]\ntypes = ["sttp"]\nformat = "{code}/{seq}/{year}"\ncode = 800\n',
            id="code-not-text",
        ),
        pytest.param(
            '[series.x]\ntypes = ["sttp"]\nformat = "{seq.real}/{year}"\n', id="bad-template"
        ),
    ],
)
def test_parse_series_toml_refuses(text: str) -> None:
    with pytest.raises(ConfigurationError):
        parse_series_toml(text)


# --- unit codes -------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["DPUPR-KB", "BPSDM", "A", "DINKES.2", "X" * 30])
def test_parse_unit_code_accepts(value: str) -> None:
    assert parse_unit_code(value) == value


def test_parse_unit_code_passes_none() -> None:
    assert parse_unit_code(None) is None


@pytest.mark.parametrize(
    "value",
    [
        "dpupr-kb",
        "Dpupr",
        "DPUPR KB",
        " DPUPR",
        "DPUPR\n",
        "DPUPR/KB",
        "X" * 31,
        "",
        "-DPUPR",
        ".DPUPR",
        "DPUPR_KB",
        "DİNKES",
        "ＤＰＵＰＲ",
    ],
)
def test_parse_unit_code_refuses(value: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_unit_code(value)
    assert caught.value.field == "unit_code"


# --- format <-> parse -------------------------------------------------------------------------


@settings(max_examples=200)
@given(seq=st.integers(min_value=1, max_value=99999), issued_on=st.dates())
def test_sttp_number_round_trips(seq: int, issued_on: date) -> None:
    number = CATALOG.for_type("sttp").render(seq, issued_on, None)
    head, *middle, year = number.split("/")
    assert middle == ["STTP", "BPSDM"]
    assert len(head) == 5
    assert int(head) == seq
    assert int(year) == issued_on.year
