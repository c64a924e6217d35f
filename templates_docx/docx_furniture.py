"""Page furniture shared by the templates: kop, signature, QR block, footer, page border."""

from __future__ import annotations

from typing import Any

from docx.enum.table import WD_ALIGN_VERTICAL
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx_blocks import (
    CENTER,
    LEFT,
    RIGHT,
    SANS,
    add_run,
    bottom_rule,
    new_document,
    no_split,
    paragraph,
    paragraph_border,
    tab_stops,
    table,
    tag,
)

#: A4 portrait less the 2.5 cm left and 2 cm right margins.
WIDTH = 16.5
HOLDER_ROWS = [
    ("Nama", "{{ holder.name }}"),
    ("{{ holder.nip_label }}", "{{ holder.nip_text }}"),
    ("Tempat, Tanggal Lahir", "{{ holder.birth_text }}"),
    ("{{ holder.rank_label }}", "{{ holder.rank }}"),
    ("Jabatan", "{{ holder.position }}"),
    ("Unit Kerja", "{{ holder.unit }}"),
    ("Instansi", "{{ holder.agency }}"),
]


def document(kind: str, **options: Any) -> Any:
    """A new template document; its title is rendered too ("SERTIFIKAT 00456/SERT/...")."""
    doc = new_document(**options)
    doc.core_properties.title = "{{ type_label }} {{ number }}"
    doc.core_properties.subject = f"Templat {kind}"
    return doc


def heading(doc: Any, title: str) -> None:
    paragraph(doc, title, align=CENTER, size=14, bold=True, before=6, spacing=1)
    paragraph(doc, "Nomor: {{ number }}", align=CENTER, after=12)


def kop(doc: Any, *, width_cm: float = 16.5) -> None:
    """The letterhead: logo left, agency lines centred beside it, a thick-thin double rule."""
    logo_w = 2.5
    t = table(doc, [logo_w, width_cm - logo_w])
    logo_cell, text_cell = t.rows[0].cells
    logo_cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
    text_cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
    paragraph(logo_cell, "{{ logo }}", align=CENTER)
    paragraph(text_cell, "{{ agency.government_line }}", align=CENTER, size=13, bold=True)
    paragraph(text_cell, "{{ agency.name }}", align=CENTER, size=14, bold=True)
    paragraph(text_cell, "{{ agency.address }}", align=CENTER, size=9.5, before=2)
    paragraph(text_cell, "{{ agency.contact_line }}", align=CENTER, size=9.5)
    bottom_rule(doc)


def footer(doc: Any, *, page_numbers: bool = False) -> None:
    """How to check the document, and the BSrE sentence only when the agency signs with BSrE."""
    section = doc.sections[0]
    foot = section.footer
    foot.is_linked_to_previous = False
    first = foot.paragraphs[0]
    first.alignment = CENTER
    paragraph_border(first, "top", "single", 4, space=4, color="808080")
    add_run(first, "{{ verification_sentence }}", size=8, italic=True, font=SANS)
    tag(foot, "{%p if bsre_sentence %}")
    paragraph(foot, "{{ bsre_sentence }}", align=CENTER, size=7.5, italic=True, font=SANS)
    tag(foot, "{%p endif %}")
    if page_numbers:
        p = paragraph(foot, "Halaman ", align=RIGHT, size=8, font=SANS)
        _field(p, "PAGE", size=8)


def page_number_fields(p: Any, *, size: float) -> None:
    """``Halaman 2 dari 5`` at the end of ``p``: for reports whose rows run over many pages.

    Complex fields (begin, instruction, separate, result, end), each run sized, so the numbers
    print at the size of the words around them.
    """
    add_run(p, "Halaman ", size=size, font=SANS)
    _sized_field(p, "PAGE", size=size)
    add_run(p, " dari ", size=size, font=SANS)
    _sized_field(p, "NUMPAGES", size=size)


def _sized_field(p: Any, instruction: str, *, size: float) -> None:
    def run_with(element: Any) -> None:
        add_run(p, "", size=size, font=SANS)._element.append(element)

    def char(kind: str) -> Any:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return element

    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    run_with(char("begin"))
    run_with(code)
    run_with(char("separate"))
    add_run(p, "1", size=size, font=SANS)  # shown until the field is updated
    run_with(char("end"))


def _field(p: Any, instruction: str, *, size: float) -> None:
    run = add_run(p, "", size=size, font=SANS)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    inner = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    inner.append(text)
    field.append(inner)
    run._element.addnext(field)


def page_border(doc: Any, *, color: str = "1F3864") -> None:
    """A triple-line page border for the ceremonial certificates (sertifikat, piagam)."""
    sect_pr = doc.sections[0]._sectPr
    borders = OxmlElement("w:pgBorders")
    borders.set(qn("w:offsetFrom"), "page")
    for edge in ("top", "left", "bottom", "right"):
        element = OxmlElement(f"w:{edge}")
        for key, value in (
            ("val", "thinThickThinMediumGap"),
            ("sz", "24"),
            ("space", "20"),
            ("color", color),
        ):
            element.set(qn(f"w:{key}"), value)
        borders.append(element)
    sect_pr.find(qn("w:pgMar")).addnext(borders)


def signature(cell: Any, *, decree: bool = False, dated: bool = True) -> None:
    """Place and date, the signer's position, room for signature and stamp, name, rank, NIP.

    ``decree``: the keputusan form, "Ditetapkan di : ..." / "pada tanggal : ..." over a rule.
    """
    if decree:
        for label, value, last in (
            ("Ditetapkan di", "{{ city }}", False),
            ("pada tanggal", "{{ issued_on_text }}", True),
        ):
            p = paragraph(cell, [(f"{label}\t: ", {}), (value, {})], indent_cm=0.6)
            tab_stops(p, [3.6])
            if last:
                paragraph_border(p, "bottom", "single", 6)
        paragraph(cell, "", size=6)
    elif dated:
        paragraph(cell, "{{ city }}, {{ issued_on_text }}", align=CENTER)
    paragraph(cell, "{{ signer.position }},", align=CENTER, bold=True, after=54, keep_next=True)
    paragraph(cell, "{{ signer.name }}", align=CENTER, bold=True, underline=True, keep_next=True)
    paragraph(cell, "{{ signer.rank }}", align=CENTER, keep_next=True)
    paragraph(cell, "{{ signer.nip_label }}. {{ signer.nip_text }}", align=CENTER)


def qr_cells(qr_cell: Any, text_cell: Any) -> None:
    """The QR code (at least 2.5 cm, set by render_docx) and, beside it, number and address."""
    for cell in (qr_cell, text_cell):
        cell.vertical_alignment = WD_ALIGN_VERTICAL.BOTTOM
    paragraph(qr_cell, "{{ qr }}", align=LEFT)
    small: dict[str, Any] = {"size": 8, "font": SANS}
    paragraph(text_cell, "Nomor dokumen:", **small)
    paragraph(text_cell, "{{ number }}", bold=True, after=4, **small)
    paragraph(
        text_cell, "Periksa keaslian dokumen ini dengan memindai kode QR atau membuka:", **small
    )
    paragraph(text_cell, "{{ short_url }}", size=7, font=SANS, after=2)


def closing(doc: Any, *, width_cm: float = 16.5, decree: bool = False) -> None:
    """The bottom of the last page: QR block at the left, signature block at the right."""
    qr_w, text_w = 3.1, 5.0
    t = table(doc, [qr_w, text_w, width_cm - qr_w - text_w])
    no_split(t.rows[0])
    qr_cell, text_cell, sign_cell = t.rows[0].cells
    qr_cells(qr_cell, text_cell)
    signature(sign_cell, decree=decree)
