"""agency.toml: the issuing agency's identity, signer and logo."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from registry.adapters.agency_files import PLACEHOLDER_LOGO, checked, load_logo
from registry.domain.agency import DEFAULT_AGENCY_TOML, parse_agency_toml
from registry.domain.errors import ConfigurationError


def parse(text: str, base_dir: Path = Path(".")) -> object:
    return parse_agency_toml(text, base_dir=base_dir)


def refusal(text: str, base_dir: Path = Path(".")) -> str:
    with pytest.raises(ConfigurationError) as info:
        checked(parse_agency_toml(text, base_dir=base_dir))
    return info.value.message


def test_default_file_parses_to_neutral_placeholders() -> None:
    identity = parse_agency_toml(DEFAULT_AGENCY_TOML, base_dir=Path("."))
    assert identity.government_line == "PEMERINTAH PROVINSI CONTOH"
    assert identity.name == "BADAN PENGEMBANGAN SUMBER DAYA MANUSIA"
    assert identity.short_name == "BPSDM"
    assert identity.city == "Kota Contoh"
    assert identity.contact_line == (
        "Telepon (000) 0000000, Pos-el bpsdm@contoh.go.id, Laman bpsdm.contoh.go.id"
    )
    assert identity.signer.nip == "196903091994032001"
    assert identity.signer.employment == "pns"
    assert identity.logo_path is None
    assert identity.bsre_signed is False
    assert dict(identity.legal_basis) == {}
    # The comments tell the administrator, in Indonesian, to replace the sample values.
    assert "CONTOH" in DEFAULT_AGENCY_TOML and "Ganti" in DEFAULT_AGENCY_TOML


def test_missing_key_is_named() -> None:
    text = DEFAULT_AGENCY_TOML.replace('city = "Kota Contoh"\n', "")
    message = refusal(text)
    assert "'city'" in message and "[agency]" in message and "wajib" in message


def test_unknown_key_is_named() -> None:
    message = refusal(DEFAULT_AGENCY_TOML.replace("city =", "kota ="))
    assert "'kota'" in message and "tidak dikenal" in message


def test_unknown_section_is_refused() -> None:
    assert "'kop'" in refusal(DEFAULT_AGENCY_TOML + '\n[kop]\nwarna = "biru"\n')


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ('nip = "196903091994032001"', 'nip = "1969"', "18 digit"),
        ('employment = "pns"', 'employment = "tkk"', "employment"),
        ("bsre_signed = false", 'bsre_signed = "ya"', "true atau false"),
        ('short_name = "BPSDM"', 'short_name = ""', "tidak boleh kosong"),
        ('short_name = "BPSDM"', "short_name = 7", "teks"),
        ("[agency]", "[agency", "bukan TOML"),
    ],
)
def test_bad_values_are_refused(old: str, new: str, words: str) -> None:
    assert old in DEFAULT_AGENCY_TOML
    assert words in refusal(DEFAULT_AGENCY_TOML.replace(old, new, 1))


def test_nip_may_be_written_with_spaces() -> None:
    text = DEFAULT_AGENCY_TOML.replace("196903091994032001", "19690309 199403 2 001")
    assert parse_agency_toml(text, base_dir=Path(".")).signer.nip == "196903091994032001"


def test_bsre_and_legal_basis() -> None:
    text = DEFAULT_AGENCY_TOML.replace("bsre_signed = false", "bsre_signed = true")
    text += '\n[legal_basis]\n"kubar-2024" = ["Peraturan Bupati X"]\n'
    identity = parse_agency_toml(text, base_dir=Path("."))
    assert identity.bsre_signed is True
    assert dict(identity.legal_basis) == {"kubar-2024": ("Peraturan Bupati X",)}
    bad = DEFAULT_AGENCY_TOML + '\n[legal_basis]\n"jakarta-2017" = ["X"]\n'
    assert "jakarta-2017" in refusal(bad)


def _png(path: Path) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (10, 10), "blue").save(out, format="PNG")
    path.write_bytes(out.getvalue())
    return out.getvalue()


def test_logo_is_resolved_against_the_data_dir(tmp_path: Path) -> None:
    (tmp_path / "aset").mkdir()
    data = _png(tmp_path / "aset" / "logo.png")
    text = DEFAULT_AGENCY_TOML.replace('# logo = "logo.png"', 'logo = "aset/logo.png"')
    identity = parse_agency_toml(text, base_dir=tmp_path)
    assert identity.logo_path == tmp_path / "aset" / "logo.png"
    assert load_logo(identity) == data


def test_logo_must_exist_and_be_png_or_jpeg(tmp_path: Path) -> None:
    text = DEFAULT_AGENCY_TOML.replace('# logo = "logo.png"', 'logo = "logo.png"')
    assert "tidak dapat dibaca" in refusal(text, tmp_path)
    (tmp_path / "logo.png").write_bytes(b"<svg/>")
    assert "PNG atau JPEG" in refusal(text, tmp_path)


def test_placeholder_logo_is_shipped() -> None:
    identity = parse_agency_toml(DEFAULT_AGENCY_TOML, base_dir=Path("."))
    data = load_logo(identity)
    assert data == PLACEHOLDER_LOGO.read_bytes()
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    assert image.size == (600, 600)
