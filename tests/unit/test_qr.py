"""The verification QR: it decodes to the exact URL and prints crisply at 28 mm."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from registry.adapters.qr import MASK_PATTERN, MIN_MODULE_MM, QR_PRINT_SIZE_MM, qr_png
from registry.domain.encoding import b64url_encode
from registry.domain.tokens import TOKEN_LENGTH
from tests.support.qr import qr_layout

TOKEN = b64url_encode(bytes(range(81)))
LOCAL_URL = f"http://127.0.0.1:8000/v/{TOKEN}"
PUBLIC_URL = f"https://verifikasi.bpsdm.tangerangselatankota.go.id/v/{TOKEN}"


def zbar(png: bytes, tmp_path: Path) -> str:
    path = tmp_path / "qr.png"
    path.write_bytes(png)
    done = subprocess.run(
        ["zbarimg", "--raw", "-q", str(path)], capture_output=True, text=True, check=False
    )
    return done.stdout.strip()


def test_token_fixture_has_the_real_length() -> None:
    assert len(TOKEN) == TOKEN_LENGTH


@pytest.mark.parametrize("url", [LOCAL_URL, PUBLIC_URL])
def test_png_decodes_to_the_exact_url(url: str, tmp_path: Path) -> None:
    assert zbar(qr_png(url), tmp_path) == url


def test_same_url_same_bytes_and_other_url_other_bytes() -> None:
    assert qr_png(LOCAL_URL) == qr_png(LOCAL_URL)
    assert qr_png(LOCAL_URL) != qr_png(LOCAL_URL[:-1] + "A")


@pytest.mark.parametrize("url", [LOCAL_URL, PUBLIC_URL])
def test_token_urls_get_level_q_with_printable_modules(url: str) -> None:
    layout = qr_layout(qr_png(url))
    assert layout.error_correction == "Q"
    assert layout.mask == MASK_PATTERN
    assert layout.module_mm >= MIN_MODULE_MM


def test_an_overlong_url_falls_back_to_level_m_to_keep_modules_large() -> None:
    url = "https://" + "a" * 60 + ".example/v/" + TOKEN
    layout = qr_layout(qr_png(url))
    assert layout.error_correction == "M"
    assert layout.module_mm >= MIN_MODULE_MM


def test_png_has_quiet_zone_enough_pixels_and_the_print_size_dpi() -> None:
    png = qr_png(LOCAL_URL)
    layout = qr_layout(png)
    image = Image.open(io.BytesIO(png))
    assert image.width == image.height == layout.pixels
    assert image.width / layout.modules >= 8
    # The first four modules (40 px) are the white quiet zone on every side.
    grey = image.convert("L")
    assert grey.crop((0, 0, image.width, 40)).getextrema() == (255, 255)
    assert grey.crop((0, 0, 40, image.height)).getextrema() == (255, 255)
    dpi_x, _ = image.info["dpi"]
    assert image.width / dpi_x * 25.4 == pytest.approx(QR_PRINT_SIZE_MM, abs=0.01)


def test_empty_payload_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="empty"):
        qr_png("")
