"""Build the shipped DOCX templates and the placeholder logo.

Run ``python templates_docx/build_templates.py [target dir]``.

The .docx files are generated so that they can be reviewed as code and regenerated; an agency may
still open them in Word or LibreOffice and adjust wording or layout (keep every ``{{ ... }}`` tag
in one piece, then run ``satupintu templates check``). The placeholders they use are the keys of
``registry.domain.content.build_context``.

Modules: ``docx_blocks`` (paragraphs, tables, OOXML details), ``docx_furniture`` (kop, signature,
QR block, footer), ``build_letters`` (SK and surat keterangan), ``build_reports`` (the Kartu Data
Pengembangan Kompetensi, a report); this file holds STTP, transkrip, sertifikat, piagam, the
placeholder logo and ``main``.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from build_letters import build_letter, build_sk
from build_reports import build_kartu
from docx_blocks import (
    CENTER,
    JUSTIFY,
    NAVY,
    Run,
    add_row,
    label_table,
    no_split,
    paragraph,
    repeat_header,
    row_tag,
    shade,
    slim,
    table,
    tag,
)
from docx_furniture import (
    HOLDER_ROWS,
    closing,
    document,
    footer,
    heading,
    kop,
    page_border,
    qr_cells,
    signature,
)
from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent


def subjects_table(doc: Any, *, scores: bool) -> None:
    """No / Mata Pelatihan / JP (/ Nilai / Predikat), a row per subject, then the total."""
    widths = [1.0, 8.4, 1.5, 1.9, 3.7] if scores else [1.0, 12.5, 3.0]
    headers = ["No", "Mata Pelatihan", "JP", "Nilai", "Predikat"][: len(widths)]
    t = table(doc, widths, borders=True)
    repeat_header(t.rows[0])
    for cell, text in zip(t.rows[0].cells, headers, strict=True):
        shade(cell, "D9E2F3")
        paragraph(cell, text, align=CENTER, bold=True, size=11, before=2, after=2)
    row_tag(t, widths, "{%tr for s in subjects %}")
    row = add_row(t, widths)
    values = ["{{ s.no }}", "{{ s.name }}", "{{ s.jp_text }}", "{{ s.score_text }}"]
    values = [*values, "{{ s.predikat }}"][: len(widths)]
    for index, (cell, text) in enumerate(zip(row.cells, values, strict=True)):
        paragraph(cell, text, align=None if index == 1 else CENTER, size=11, before=2, after=2)
    row_tag(t, widths, "{%tr endfor %}")
    total = add_row(t, widths)
    merged = total.cells[0].merge(total.cells[1])
    paragraph(merged, "Jumlah", align=CENTER, bold=True, size=11, before=2, after=2)
    paragraph(
        total.cells[2], "{{ subjects_total_jp_text }}", align=CENTER, bold=True, size=11, before=2
    )
    if scores:
        row_tag(t, widths, "{%tr if final_score_text %}")
        final = add_row(t, widths)
        label = final.cells[0].merge(final.cells[2])
        paragraph(label, "Nilai Akhir", align=CENTER, bold=True, size=11, before=2, after=2)
        for cell, text in (
            (final.cells[3], "{{ final_score_text }}"),
            (final.cells[4], "{{ final_predikat }}"),
        ):
            paragraph(cell, text, align=CENTER, bold=True, size=11, before=2)
        row_tag(t, widths, "{%tr endif %}")


# --- STTP and transkrip -------------------------------------------------------------------------


def build_sttp() -> Any:
    doc = document("STTP")
    kop(doc)
    heading(doc, "SURAT TANDA TAMAT PELATIHAN")
    paragraph(
        doc,
        "{{ signer.position_title }}, berdasarkan Undang-Undang Nomor 20 Tahun 2023 tentang "
        "Aparatur Sipil Negara, dengan ini menyatakan bahwa:",
        align=JUSTIFY,
        after=6,
    )
    label_table(doc, HOLDER_ROWS, value_bold=(0,))
    paragraph(doc, "TELAH MENGIKUTI", align=CENTER, bold=True, before=10, spacing=3)
    paragraph(doc, "{{ activity.title_upper }}", align=CENTER, bold=True, before=4, after=6)
    paragraph(
        doc,
        "yang diselenggarakan oleh {{ activity.organizer or agency.name }}"
        "{% if activity.place %} di {{ activity.place }}{% endif %} pada tanggal "
        "{{ activity.date_span_text }}, meliputi {{ jp_text_long }}"
        "{% if final_score_text %} dengan nilai akhir {{ final_score_text }}"
        "{% if predikat %} dan predikat {{ predikat }}{% endif %}"
        "{% elif predikat %} dengan predikat {{ predikat }}{% endif %}.",
        align=JUSTIFY,
        after=12,
        keep_next=True,
    )
    closing(doc)
    tag(doc, "{%p if subjects %}")
    paragraph(
        doc, "DAFTAR MATA PELATIHAN", align=CENTER, size=13, bold=True, page_break_before=True
    )
    paragraph(doc, "{{ activity.title }}", align=CENTER, bold=True)
    paragraph(doc, "Nomor STTP: {{ number }}", align=CENTER, size=11, after=10)
    label_table(doc, HOLDER_ROWS[:2], value_bold=(0,))
    paragraph(doc, "", size=6)
    subjects_table(doc, scores=False)
    tag(doc, "{%p endif %}")
    footer(doc)
    return doc


def build_transkrip() -> Any:
    doc = document("transkrip")
    kop(doc)
    heading(doc, "TRANSKRIP NILAI")
    rows = [
        *HOLDER_ROWS[:2],
        ("Jabatan", "{{ holder.position }}"),
        ("Unit Kerja", "{{ holder.unit }}"),
        ("Pelatihan", "{{ activity.title }}"),
        ("Tanggal", "{{ activity.date_span_text }}"),
    ]
    label_table(doc, rows, value_bold=(0,))
    paragraph(doc, "", size=6)
    subjects_table(doc, scores=True)
    paragraph(
        doc,
        "Jumlah jam pelajaran yang diakui: {{ jp_text_long }}.",
        before=8,
        after=12,
        keep_next=True,
    )
    closing(doc)
    footer(doc)
    return doc


# --- the ceremonial certificates ----------------------------------------------------------------


def ceremonial(kind: str, title: str, body: list[Run]) -> Any:
    """Landscape, logo on top, centred lines, a page border: sertifikat and piagam."""
    doc = document(kind, landscape=True, margins_cm=(1.5, 2.2, 2.0, 2.2), footer_cm=1.2)
    page_border(doc)
    width = 29.7 - 4.4
    paragraph(doc, "{{ logo }}", align=CENTER)
    paragraph(doc, "{{ agency.government_line }}", align=CENTER, size=13, bold=True, before=2)
    paragraph(doc, "{{ agency.name }}", align=CENTER, size=14, bold=True)
    paragraph(doc, title, align=CENTER, size=28, bold=True, color=NAVY, spacing=4, before=6)
    paragraph(doc, "Nomor: {{ number }}", align=CENTER, after=8)
    paragraph(doc, "diberikan kepada:", align=CENTER, italic=True, after=2)
    paragraph(doc, "{{ holder.name }}", align=CENTER, size=22, bold=True, color=NAVY)
    paragraph(doc, "{{ holder.nip_label }}. {{ holder.nip_text }}", align=CENTER, after=8)
    centred: dict[str, Any] = {"align": CENTER, "indent_cm": 2.0, "right_cm": 2.0}
    for text, options in body:
        paragraph(doc, text, **(centred | options))
    widths = [3.1, 5.5, width - 3.1 - 5.5 - 9.5, 9.5]
    t = table(doc, widths)
    no_split(t.rows[0])
    qr_cells(t.rows[0].cells[0], t.rows[0].cells[1])
    signature(t.rows[0].cells[3])
    footer(doc)
    return doc


_ACTIVITY_DETAILS = (
    "yang diselenggarakan oleh {{ activity.organizer or agency.name }} pada tanggal "
    "{{ activity.date_span_text }}{% if activity.place %} di {{ activity.place }}{% endif %}, "
    "dengan jumlah {{ jp_text_long }}."
)
_TITLE: Run = ("{{ activity.title }}", {"size": 15, "bold": True, "before": 2, "after": 2})


def build_sertifikat() -> Any:
    body: list[Run] = [
        ("atas partisipasinya sebagai peserta", {"italic": True}),
        _TITLE,
        (_ACTIVITY_DETAILS, {"after": 6}),
    ]
    return ceremonial("sertifikat", "SERTIFIKAT", body)


def build_piagam() -> Any:
    body: list[Run] = [
        ("sebagai", {"italic": True}),
        ("{{ achievement }}", {"size": 18, "bold": True, "color": NAVY}),
        _TITLE,
        (_ACTIVITY_DETAILS, {"after": 6}),
    ]
    return ceremonial("piagam", "PIAGAM PENGHARGAAN", body)


# --- the placeholder logo -----------------------------------------------------------------------


def draw_placeholder_logo(size: int = 600) -> Image.Image:
    """A neutral shield with "LOGO": no emblem of any real government or agency."""
    image = Image.new("RGBA", (size, size), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    cx = size / 2

    def shield(margin: float) -> list[tuple[float, float]]:
        left, right, top, bottom = margin, size - margin, margin, size - margin
        shoulder = top + (bottom - top) * 0.45
        # Right flank: a quadratic curve from the shoulder down to the point at the bottom centre.
        flank = []
        for step in range(1, 25):
            t = step / 24
            control = (right, shoulder + (bottom - shoulder) * 0.62)
            x = (1 - t) ** 2 * right + 2 * (1 - t) * t * control[0] + t**2 * cx
            y = (1 - t) ** 2 * shoulder + 2 * (1 - t) * t * control[1] + t**2 * bottom
            flank.append((x, y))
        mirrored = [(size - x, y) for x, y in reversed(flank[:-1])]
        return [(left, top), (right, top), (right, shoulder), *flank, *mirrored, (left, shoulder)]

    blue, pale, white = (47, 85, 151, 255), (214, 224, 240, 255), (255, 255, 255, 255)
    draw.polygon(shield(24), fill=blue)
    draw.polygon(shield(44), fill=white)
    draw.polygon(shield(56), fill=blue)
    # An open book under a star: learning, without borrowing any real symbol.
    star = [
        (cx + r * math.sin(i * math.pi / 5), 150 - r * math.cos(i * math.pi / 5))
        for i, r in enumerate([56, 22] * 5)
    ]
    draw.polygon(star, fill=(242, 196, 60, 255))
    draw.polygon([(cx, 250), (170, 222), (170, 300), (cx, 328)], fill=white)
    draw.polygon([(cx, 250), (size - 170, 222), (size - 170, 300), (cx, 328)], fill=pale)
    font_path = "/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf"
    try:
        font: Any = ImageFont.truetype(font_path, 84)
        small: Any = ImageFont.truetype(font_path, 30)
    except OSError:
        font = ImageFont.load_default(84)
        small = ImageFont.load_default(30)
    draw.text((cx, 392), "LOGO", font=font, fill=white, anchor="mm")
    draw.text((cx, 452), "CONTOH", font=small, fill=pale, anchor="mm")
    return image


BUILDERS: dict[str, Callable[[], Any]] = {
    "sttp.docx": build_sttp,
    "sertifikat.docx": build_sertifikat,
    "transkrip.docx": build_transkrip,
    "piagam.docx": build_piagam,
    "sk.docx": build_sk,
    "surat_keterangan_coaching.docx": lambda: build_letter("coaching"),
    "surat_keterangan_mentoring.docx": lambda: build_letter("mentoring"),
    "surat_keterangan_belajar_mandiri.docx": lambda: build_letter("belajar_mandiri"),
    "surat_keterangan_komunitas_belajar.docx": lambda: build_letter("komunitas_belajar"),
    "surat_keterangan_bimbingan_tempat_kerja.docx": lambda: build_letter("bimbingan_tempat_kerja"),
    "surat_keterangan.docx": lambda: build_letter(""),
    "kartu_data.docx": build_kartu,
}


def main(target: Path = HERE) -> None:
    (target / "assets").mkdir(parents=True, exist_ok=True)
    draw_placeholder_logo().save(target / "assets" / "logo-placeholder.png", optimize=True)
    for name, build in BUILDERS.items():
        doc = build()
        slim(doc)
        doc.save(target / name)
        print(f"ditulis: {target / name}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
