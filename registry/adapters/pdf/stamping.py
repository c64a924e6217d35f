"""The QR stamp on page 1 of an outside PDF: QR code, number and caption, drawn as vectors.

Deterministic: the same input gives the same output bytes, so a re-produced file hashes the same
as the stored one.
"""

from __future__ import annotations

import functools
import io

from PIL import Image
from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from registry.settings import STAMP_CORNERS

STAMP_MARGIN_MM = 10.0

_FONT = "SatuPintuSans"
_FONT_BOLD = "SatuPintuSans-Bold"
_NUMBER_PT = 7.0
_CAPTION_PT = 5.5
_PAD = 1.5 * mm


@functools.cache
def _fonts() -> None:
    # Vera ships inside reportlab, so the stamp never depends on system fonts, and an embedded
    # TrueType subset keeps the stamped page printable everywhere.
    pdfmetrics.registerFont(TTFont(_FONT, "Vera.ttf"))
    pdfmetrics.registerFont(TTFont(_FONT_BOLD, "VeraBd.ttf"))


def stamp(
    pdf: bytes,
    *,
    qr_png: bytes,
    number: str,
    caption: str,
    corner: str,
    size_mm: float = 28,
) -> bytes:
    """Overlay the QR code, the number and ``caption`` in a corner of page 1 (vector, not raster).

    The corner is the corner the reader sees: /Rotate and a cropbox offset are taken into account.
    Other pages are copied unchanged.
    """
    if corner not in STAMP_CORNERS:
        raise ValueError(f"unknown stamp corner {corner!r}")
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)), keep_initial_header=True)
    page = writer.pages[0]
    box = page.cropbox
    width, height = float(box.width), float(box.height)
    left, bottom = float(box.left), float(box.bottom)
    rotation = page.rotation % 360 if page.rotation % 90 == 0 else 0
    visible = (height, width) if rotation in (90, 270) else (width, height)
    overlay = _overlay(visible, qr_png, number, caption, corner, size_mm * mm)
    # Maps the overlay's upright coordinates into the page's user space (clockwise /Rotate).
    matrix = {
        0: (1, 0, 0, 1, left, bottom),
        90: (0, 1, -1, 0, left + width, bottom),
        180: (-1, 0, 0, -1, left + width, bottom + height),
        270: (0, -1, 1, 0, left, bottom + height),
    }[rotation]
    page.merge_transformed_page(overlay, Transformation(matrix), over=True, expand=False)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _overlay(
    size: tuple[float, float], qr_png: bytes, number: str, caption: str, corner: str, qr: float
) -> PageObject:
    _fonts()
    page_width, page_height = size
    number_width = pdfmetrics.stringWidth(number, _FONT_BOLD, _NUMBER_PT)
    inner = max(qr, number_width)
    lines = _wrap(caption, inner, _CAPTION_PT)
    box_width = inner + 2 * _PAD
    text_height = (_NUMBER_PT + 1) + len(lines) * (_CAPTION_PT + 1)
    box_height = qr + text_height + 2 * _PAD
    margin = STAMP_MARGIN_MM * mm
    x = margin if corner.endswith("left") else page_width - margin - box_width
    y = page_height - margin - box_height if corner.startswith("top") else margin

    buffer = io.BytesIO()
    # invariant=True: no creation date or random document id, so stamping is reproducible.
    canvas = Canvas(buffer, pagesize=size, invariant=True, initialFontName=_FONT)
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(x, y, box_width, box_height, stroke=0, fill=1)
    # Greyscale: reportlab would store a 1-bit PNG as RGB, three times the bytes.
    with Image.open(io.BytesIO(qr_png)) as picture:
        image = ImageReader(picture.convert("L"))
    canvas.drawImage(image, x + (box_width - qr) / 2, y + box_height - _PAD - qr, qr, qr)
    canvas.setFillColorRGB(0, 0, 0)
    centre = x + box_width / 2
    baseline = y + box_height - _PAD - qr - _NUMBER_PT
    canvas.setFont(_FONT_BOLD, _NUMBER_PT)
    canvas.drawCentredString(centre, baseline, number)
    canvas.setFont(_FONT, _CAPTION_PT)
    for line in lines:
        baseline -= _CAPTION_PT + 1
        canvas.drawCentredString(centre, baseline, line)
    canvas.showPage()
    canvas.save()
    return PdfReader(buffer).pages[0]


def _wrap(text: str, width: float, size: float) -> list[str]:
    """Break at spaces where possible, else anywhere: a URL has no spaces to break at."""

    def fits(line: str) -> bool:
        return bool(pdfmetrics.stringWidth(line, _FONT, size) <= width)

    lines = [""]
    for word in text.split():
        joined = f"{lines[-1]} {word}".strip()
        if fits(joined):
            lines[-1] = joined
            continue
        if lines[-1]:
            lines.append("")
        for char in word:
            if lines[-1] and not fits(lines[-1] + char):
                lines.append("")
            lines[-1] += char
    return [line for line in lines if line]
