"""Warnings about development defaults that would end up signed on paper."""

from __future__ import annotations

from dataclasses import replace

import pytest

from registry.domain.agency import Signer
from registry.domain.deployment import (
    PLACEHOLDER_IDENTITY,
    deployment_warnings,
    is_loopback_url,
    placeholder_fields,
)

CONFIGURED = replace(
    PLACEHOLDER_IDENTITY,
    government_line="PEMERINTAH KABUPATEN KUTAI BARAT",
    address="Jalan Jenderal Sudirman 1, Sendawar",
    city="Sendawar",
    signer=Signer(
        name="Dr. Yohanes Lete, S.H., M.Si.",
        nip="197102121995031003",
        rank="Pembina Utama Muda (IV/c)",
        position="KEPALA BADAN PENGEMBANGAN SUMBER DAYA MANUSIA KABUPATEN KUTAI BARAT",
    ),
)
PUBLIC = "https://verifikasi.bpsdm.kutaibaratkab.go.id"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000",
        "http://127.1.2.3",
        "http://[::1]:9000",
        "http://localhost:8000",
        "http://LOCALHOST",
        "http://satupintu.localhost/",
        "http://0.0.0.0:8000",
        "http://[::ffff:127.0.0.1]:8000",
        "https://127.0.0.1/satupintu",
    ],
)
def test_loopback_urls(url: str) -> None:
    assert is_loopback_url(url)


@pytest.mark.parametrize(
    "url",
    [
        PUBLIC,
        "http://10.0.0.5:8000",  # a LAN address: phones on that network reach it
        "http://128.0.0.1",
        "http://localhost.example.go.id",
        "http://[2001:db8::1]:8000",
    ],
)
def test_addresses_others_can_reach(url: str) -> None:
    assert not is_loopback_url(url)


def test_a_configured_deployment_has_no_warnings() -> None:
    assert deployment_warnings(PUBLIC, CONFIGURED) == ()


def test_a_fresh_install_gets_both_warnings_in_indonesian() -> None:
    loopback, agency = deployment_warnings("http://127.0.0.1:8000", PLACEHOLDER_IDENTITY)
    assert "http://127.0.0.1:8000" in loopback and "Setel SATUPINTU_PUBLIC_URL" in loopback
    assert agency.startswith("agency.toml masih berisi nilai contoh")
    for key in ("[agency].government", "[signer].name", "[signer].nip", "[signer].position"):
        assert key in agency


def test_only_the_loopback_url() -> None:
    (warning,) = deployment_warnings("http://localhost:9000", CONFIGURED)
    assert "http://localhost:9000" in warning


def test_a_half_edited_agency_toml_names_what_is_left() -> None:
    half = replace(CONFIGURED, government_line=PLACEHOLDER_IDENTITY.government_line)
    assert placeholder_fields(half) == ["[agency].government"]
    (warning,) = deployment_warnings(PUBLIC, half)
    assert "[agency].government" in warning and "[signer].name" not in warning


def test_real_names_that_match_the_example_are_not_placeholders() -> None:
    # "BADAN PENGEMBANGAN SUMBER DAYA MANUSIA" / "BPSDM" are what real agencies are called.
    assert CONFIGURED.name == PLACEHOLDER_IDENTITY.name
    assert CONFIGURED.short_name == PLACEHOLDER_IDENTITY.short_name
    assert placeholder_fields(CONFIGURED) == []


def test_the_placeholder_identity_is_the_file_written_on_first_run() -> None:
    assert PLACEHOLDER_IDENTITY.government_line == "PEMERINTAH PROVINSI CONTOH"
    assert PLACEHOLDER_IDENTITY.signer.name.startswith("Nama Kepala Badan")
