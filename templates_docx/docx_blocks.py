"""Low-level blocks for the DOCX templates (python-docx): page set-up, paragraphs, tables.

Every docxtpl tag is written inside one run: a tag split over runs (which Word does when a person
types into it) would not render. ``{%p ...%}`` and ``{%tr ...%}`` tags sit alone in their
paragraph or table row, as docxtpl requires.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import _Cell

SERIF = "Liberation Serif"
SANS = "Liberation Sans"
NAVY = RGBColor(0x1F, 0x38, 0x64)
CENTER = WD_ALIGN_PARAGRAPH.CENTER
LEFT = WD_ALIGN_PARAGRAPH.LEFT
RIGHT = WD_ALIGN_PARAGRAPH.RIGHT
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY

Run = tuple[str, dict[str, Any]]

# Child order required by the OOXML schema (Word refuses, and LibreOffice ignores, elements out of
# order), for the property elements this module adds to.
_ORDER = {
    "pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr "
    "suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct "
    "topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind "
    "contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
    "textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange",
    "rPr": "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss "
    "imprint noProof snapToGrid vanish webHidden color spacing w kern position sz szCs "
    "highlight u effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath",
    "tcPr": "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection "
    "tcFitText vAlign hideMark",
    "tblPr": "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize "
    "tblW jc tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook",
}


def insert_ordered(parent: Any, child: Any) -> None:
    """Insert ``child`` into a property element at the place the schema requires."""
    order = _ORDER[parent.tag.split("}")[1]].split()
    position = order.index(child.tag.split("}")[1])
    later = {qn(f"w:{name}") for name in order[position + 1 :]}
    for existing in parent:
        if existing.tag in later:
            existing.addprevious(child)
            return
    parent.append(child)


def new_document(
    *,
    landscape: bool = False,
    margins_cm: Sequence[float] = (1.5, 2, 1.75, 2.5),
    footer_cm: float = 0.8,
) -> Any:
    """A4 document with the house style: Liberation Serif 12 pt, Indonesian, single spacing.

    ``margins_cm`` is (top, right, bottom, left).
    """
    doc = Document()
    section = doc.sections[0]
    width, height = Cm(21), Cm(29.7)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        width, height = height, width
    section.page_width, section.page_height = width, height
    top, right, bottom, left = margins_cm
    section.top_margin, section.right_margin = Cm(top), Cm(right)
    section.bottom_margin, section.left_margin = Cm(bottom), Cm(left)
    section.header_distance, section.footer_distance = Cm(1), Cm(footer_cm)

    normal = doc.styles["Normal"]
    normal.font.name = SERIF
    normal.font.size = Pt(12)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), SERIF)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "id-ID")
    insert_ordered(rpr, lang)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0

    props = doc.core_properties
    props.author = "Satu Pintu"
    props.comments = "Templat dokumen Satu Pintu; dibuat oleh templates_docx/build_templates.py"
    props.language = "id-ID"
    return doc


def paragraph(
    container: Any,
    text: str | Sequence[Run] = "",
    *,
    align: Any = None,
    size: float | None = None,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    font: str | None = None,
    color: RGBColor | None = None,
    before: float = 0,
    after: float = 0,
    indent_cm: float | None = None,
    right_cm: float | None = None,
    first_line_cm: float | None = None,
    keep_next: bool = False,
    page_break_before: bool = False,
    spacing: float | None = None,
) -> Any:
    """One paragraph; ``text`` is one run, or several ``(text, run options)`` pairs."""
    cell_paragraphs = container.paragraphs if isinstance(container, _Cell) else []
    if len(cell_paragraphs) == 1 and not cell_paragraphs[0].runs:
        # A new table cell already holds one empty paragraph: use it instead of leaving a gap.
        p = cell_paragraphs[0]
    else:
        p = container.add_paragraph()
    fmt = p.paragraph_format
    if align is not None:
        p.alignment = align
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    if indent_cm is not None:
        fmt.left_indent = Cm(indent_cm)
    if right_cm is not None:
        fmt.right_indent = Cm(right_cm)
    if first_line_cm is not None:
        fmt.first_line_indent = Cm(first_line_cm)
    if keep_next:
        fmt.keep_with_next = True
    if page_break_before:
        fmt.page_break_before = True
    runs = [(text, {})] if isinstance(text, str) else list(text)
    base: dict[str, Any] = {"size": size, "bold": bold, "italic": italic, "underline": underline}
    base |= {"font": font, "color": color, "spacing": spacing}
    for chunk, options in runs:
        run_options = base | options
        add_run(p, chunk, **run_options)
    return p


def add_run(
    p: Any,
    text: str,
    *,
    size: float | None = None,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    font: str | None = None,
    color: RGBColor | None = None,
    spacing: float | None = None,
) -> Any:
    run = p.add_run(text)
    run.bold, run.italic, run.underline = bold or None, italic or None, underline or None
    if size is not None:
        run.font.size = Pt(size)
    if font is not None:
        run.font.name = font
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:cs"), font)
    if color is not None:
        run.font.color.rgb = color
    if spacing is not None:
        character_spacing = OxmlElement("w:spacing")
        character_spacing.set(qn("w:val"), str(int(spacing * 20)))
        insert_ordered(run._element.get_or_add_rPr(), character_spacing)
    return run


def tag(container: Any, text: str) -> Any:
    """A paragraph that holds only a ``{%p ...%}`` tag (docxtpl replaces the whole paragraph)."""
    return paragraph(container, text, size=2)


def bottom_rule(container: Any, *, style: str = "thickThinSmallGap", size: int = 24) -> Any:
    """An empty paragraph ruled underneath: the double line under a kop surat."""
    p = paragraph(container, "", size=2, after=6)
    paragraph_border(p, "bottom", style, size)
    return p


def paragraph_border(
    p: Any, edge: str, style: str, size: int, *, space: int = 1, color: str = "000000"
) -> None:
    """A line along one edge of a paragraph (``w:pBdr``)."""
    border = OxmlElement("w:pBdr")
    line = OxmlElement(f"w:{edge}")
    for key, value in (("val", style), ("sz", str(size)), ("space", str(space)), ("color", color)):
        line.set(qn(f"w:{key}"), value)
    border.append(line)
    insert_ordered(p._p.get_or_add_pPr(), border)


def tab_stops(p: Any, positions_cm: Iterable[float]) -> None:
    for position in positions_cm:
        p.paragraph_format.tab_stops.add_tab_stop(Cm(position), WD_TAB_ALIGNMENT.LEFT)


# --- tables -----------------------------------------------------------------------------------


def table(
    container: Any,
    widths_cm: Sequence[float],
    rows: int = 1,
    *,
    borders: bool = False,
    align: Any = WD_TABLE_ALIGNMENT.CENTER,
) -> Any:
    """A fixed-layout table with exact column widths; borderless unless asked."""
    t = container.add_table(rows=rows, cols=len(widths_cm))
    t.alignment = align
    t.autofit = False
    tbl_pr = t._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), "70")
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    insert_ordered(tbl_pr, margins)
    if borders:
        edges = OxmlElement("w:tblBorders")
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
            element = OxmlElement(f"w:{edge}")
            for key, value in (("val", "single"), ("sz", "4"), ("space", "0"), ("color", "000000")):
                element.set(qn(f"w:{key}"), value)
            edges.append(element)
        insert_ordered(tbl_pr, edges)
    for index, width in enumerate(widths_cm):
        t.columns[index].width = Cm(width)
    for row in t.rows:
        _size_row(row, widths_cm)
    return t


def _size_row(row: Any, widths_cm: Sequence[float]) -> None:
    for cell, width in zip(row.cells, widths_cm, strict=True):
        cell.width = Cm(width)


def add_row(t: Any, widths_cm: Sequence[float]) -> Any:
    row = t.add_row()
    _size_row(row, widths_cm)
    return row


def row_tag(t: Any, widths_cm: Sequence[float], text: str) -> Any:
    """A row holding only a ``{%tr ...%}`` tag in its first cell."""
    row = add_row(t, widths_cm)
    paragraph(row.cells[0], text, size=2)
    return row


def repeat_header(row: Any) -> None:
    """Repeat this row at the top of every page the table runs onto (w:tblHeader)."""
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    tr_pr.append(header)


def no_split(row: Any) -> None:
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def shade(cell: Any, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    insert_ordered(cell._tc.get_or_add_tcPr(), shading)


def label_table(
    container: Any,
    rows: Sequence[tuple[str, str]],
    *,
    widths_cm: Sequence[float] = (5.0, 0.5, 10.5),
    indent_cm: float = 0.0,
    value_bold: Sequence[int] = (),
) -> Any:
    """``Label : value`` rows (Nama / NIP / Jabatan ...), borderless."""
    widths = list(widths_cm)
    if indent_cm:
        widths = [indent_cm, *widths]
    t = table(container, widths, rows=len(rows))
    offset = 1 if indent_cm else 0
    for index, (label, value) in enumerate(rows):
        cells = t.rows[index].cells
        no_split(t.rows[index])
        paragraph(cells[offset], label)
        paragraph(cells[offset + 1], ":", align=CENTER)
        paragraph(cells[offset + 2], value, bold=index in value_bold)
    return t


# --- size ---------------------------------------------------------------------------------------

_UNNEEDED_PARTS = (
    "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml",
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail",
)


def slim(doc: Any) -> None:
    """Drop what python-docx's default document carries and the templates never use.

    Its styles.xml and stylesWithEffects.xml are ~800 kB of unused styles; every render parses
    and re-zips them, which was most of the rendering time.
    """
    for rels in (doc.part.rels, doc.part.package.rels):
        for rel_id, rel in list(rels.items()):
            if rel.reltype in _UNNEEDED_PARTS:
                rels.pop(rel_id)
    styles = doc.styles.element
    latent = styles.find(qn("w:latentStyles"))
    if latent is not None:
        styles.remove(latent)
    used = {"Normal", "DefaultParagraphFont", "TableNormal", "NoList", "Footer", "FooterChar"}
    for part in (doc.part, *(s.footer.part for s in doc.sections)):
        for element in part.element.iter(qn("w:pStyle"), qn("w:rStyle"), qn("w:tblStyle")):
            used.add(element.get(qn("w:val")))
    for style in list(styles.iterchildren(qn("w:style"))):
        if style.get(qn("w:styleId")) not in used:
            styles.remove(style)
