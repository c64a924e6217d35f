"""The verification QR code as a PNG, sized for a 28 mm print.

The payload is the verify URL with its 108-character token, ~130-170 characters, so the symbol is
dense: version 8 to 11. Error correction Q (25 % of the symbol may be lost to a stamp, a signature
or a fold) is used whenever it still leaves modules of at least 0.4 mm at the print size, the size
a phone camera reads reliably from a printed page; otherwise M (15 %) keeps the modules larger.
"""

from __future__ import annotations

import io

import qrcode
from PIL import Image
from qrcode.constants import ERROR_CORRECT_M, ERROR_CORRECT_Q

# The printed size of the whole image, quiet zone included.
QR_PRINT_SIZE_MM = 28
QUIET_ZONE_MODULES = 4
MIN_MODULE_MM = 0.4
# 10 px a module prints a 28 mm symbol at ~600 dpi: crisp on any office printer.
PIXELS_PER_MODULE = 10

# qrcode otherwise scores all eight mask patterns in pure Python, two thirds of the time of a
# QR (~13 of 19 ms, once per document); the standard allows any of them and scanners read each.
MASK_PATTERN = 0


def _symbol(url: str, level: int) -> qrcode.QRCode:
    code = qrcode.QRCode(
        error_correction=level,
        box_size=PIXELS_PER_MODULE,
        border=QUIET_ZONE_MODULES,
        mask_pattern=MASK_PATTERN,
    )
    code.add_data(url)
    code.make(fit=True)
    return code


def _choose(url: str) -> tuple[qrcode.QRCode, str]:
    code = _symbol(url, ERROR_CORRECT_Q)
    if QR_PRINT_SIZE_MM / (code.modules_count + 2 * QUIET_ZONE_MODULES) >= MIN_MODULE_MM:
        return code, "Q"
    return _symbol(url, ERROR_CORRECT_M), "M"


def qr_png(url: str) -> bytes:
    """A black-and-white PNG of ``url``; the same URL always gives the same bytes.

    The PNG carries the DPI that makes it exactly ``QR_PRINT_SIZE_MM`` wide, so a template that
    inserts it at its natural size prints it at the intended size.
    """
    if not url:
        raise ValueError("empty QR payload")
    code, _ = _choose(url)
    # One pixel a module, scaled up without smoothing: the same picture as qrcode's own image
    # factory, which draws every module as a rectangle in Python (~10 ms a document).
    matrix = code.get_matrix()  # quiet zone included
    side = len(matrix)
    image = Image.new("1", (side, side), 1)
    image.putdata([0 if dark else 1 for row in matrix for dark in row])
    pixels = side * PIXELS_PER_MODULE
    image = image.resize((pixels, pixels), Image.Resampling.NEAREST)
    dpi = pixels / (QR_PRINT_SIZE_MM / 25.4)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(dpi, dpi))
    return buffer.getvalue()
