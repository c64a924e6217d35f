"""What a QR PNG encodes about itself, read back from its pixels (ISO/IEC 18004).

The symbol's size gives its version; the 15 format bits beside the top-left finder pattern give
its error-correction level and mask. Reading them from the image checks the PNG the service
prints, not the choice the code meant to make.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image

from registry.adapters.qr import PIXELS_PER_MODULE, QR_PRINT_SIZE_MM, QUIET_ZONE_MODULES

# Format bits are XORed with this mask so that they are never all light (ISO/IEC 18004 §7.9.1).
_FORMAT_MASK = 0b101010000010010
_LEVELS = {0b01: "L", 0b00: "M", 0b11: "Q", 0b10: "H"}


@dataclass(frozen=True)
class QrLayout:
    """How a URL was encoded: the error-correction level, mask and resulting symbol size."""

    error_correction: str
    mask: int
    version: int
    modules: int  # symbol width in modules, quiet zone included

    @property
    def module_mm(self) -> float:
        return QR_PRINT_SIZE_MM / self.modules

    @property
    def pixels(self) -> int:
        return self.modules * PIXELS_PER_MODULE


def qr_layout(png: bytes) -> QrLayout:
    with Image.open(io.BytesIO(png)) as image:
        grey = image.convert("L")
    modules = grey.width // PIXELS_PER_MODULE
    symbol = modules - 2 * QUIET_ZONE_MODULES

    def dark(row: int, column: int) -> bool:
        centre = PIXELS_PER_MODULE // 2
        x = (QUIET_ZONE_MODULES + column) * PIXELS_PER_MODULE + centre
        y = (QUIET_ZONE_MODULES + row) * PIXELS_PER_MODULE + centre
        value = grey.getpixel((x, y))
        assert isinstance(value, int)
        return value < 128

    # The first copy of the format bits, bit 14 first, around the top-left finder pattern.
    positions = [(8, column) for column in (0, 1, 2, 3, 4, 5, 7, 8)] + [
        (row, 8) for row in (7, 5, 4, 3, 2, 1, 0)
    ]
    bits = 0
    for row, column in positions:
        bits = bits << 1 | dark(row, column)
    data = (bits ^ _FORMAT_MASK) >> 10
    return QrLayout(
        error_correction=_LEVELS[data >> 3],
        mask=data & 0b111,
        version=(symbol - 17) // 4,
        modules=modules,
    )
