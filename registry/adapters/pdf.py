"""PDF operations: metadata, upload checks, QR stamping and merging (pypdf + reportlab).

Every function takes and returns bytes (or paths for merging) and is deterministic: the same input
gives the same output bytes, so a re-produced file hashes the same as the stored one.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path

import pikepdf
from PIL import Image
from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.errors import PdfReadError
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    PdfObject,
    StreamObject,
    TextStringObject,
    create_string_object,
)
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from registry.domain.errors import InvalidInput
from registry.settings import STAMP_CORNERS

NUMBER_KEY = "/SatuPintuNumber"
VERIFY_URL_KEY = "/SatuPintuVerifyUrl"
KEY_ID_KEY = "/SatuPintuKeyId"
STAMP_MARGIN_MM = 10.0
_MAGIC_WINDOW = 1024

# XMP namespaces; registering the usual prefixes keeps a rewritten packet readable (ns0: otherwise).
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_DC = "http://purl.org/dc/elements/1.1/"
_PDF = "http://ns.adobe.com/pdf/1.3/"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
for _prefix, _uri in {
    "x": "adobe:ns:meta/",
    "rdf": _RDF,
    "dc": _DC,
    "pdf": _PDF,
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "xmpMM": "http://ns.adobe.com/xap/1.0/mm/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
}.items():
    ET.register_namespace(_prefix, _uri)
_XPACKET_BEGIN = '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
# Padding lets a later editor grow the packet in place, as the XMP specification recommends.
_XPACKET_END = ("\n" + " " * 99) * 20 + '\n<?xpacket end="w"?>'


# --- reading -------------------------------------------------------------------------------


def _reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def page_count(pdf: bytes) -> int:
    return len(_reader(pdf).pages)


def extract_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in _reader(pdf).pages)


def read_metadata(pdf: bytes) -> dict[str, str]:
    """The document information dictionary, keys without their leading slash."""
    info = _reader(pdf).metadata
    if info is None:
        return {}
    return {str(key).lstrip("/"): str(value) for key, value in info.items()}


def check_upload(data: bytes, *, max_bytes: int) -> None:
    """Refuse an uploaded file that cannot be stamped; judge it by content, never by name."""
    if not data:
        raise InvalidInput("Berkas kosong", field="file")
    if len(data) > max_bytes:
        raise InvalidInput(
            f"Berkas terlalu besar: {_megabytes(len(data))} MB (batas {_megabytes(max_bytes)} MB)",
            field="file",
            size=len(data),
            max_bytes=max_bytes,
        )
    if b"%PDF-" not in data[:_MAGIC_WINDOW]:
        raise InvalidInput("Berkas bukan PDF", field="file")
    try:
        reader = _reader(data)
        encrypted = reader.is_encrypted
        pages = -1 if encrypted else len(reader.pages)
    except Exception as exc:  # pypdf raises many types on hostile input; all mean the same here
        raise InvalidInput("Berkas PDF rusak atau tidak dapat dibaca", field="file") from exc
    if encrypted:
        raise InvalidInput("PDF terenkripsi tidak dapat dicap", field="file")
    if pages == 0:
        raise InvalidInput("PDF tidak memiliki halaman", field="file")


def _megabytes(size: int) -> str:
    value = f"{size / 1_000_000:.1f}".removesuffix(".0")
    return value.replace(".", ",")  # Indonesian decimal comma


# --- metadata --------------------------------------------------------------------------------


def with_metadata(
    pdf: bytes, *, number: str, verify_url: str, kid: str, title: str, issuer: str
) -> bytes:
    """The PDF with its number, verify URL and key id in the information dictionary.

    The XMP packet, if any, gets the matching dc:title, dc:creator, dc:description and
    pdf:Keywords: PDF/A requires the two to agree, and LibreOffice's PDF/A-2b output has one.
    The changes are appended as an incremental update, so the converter's bytes stay exactly as
    they were (and it takes a millisecond, not a full rewrite). The second file identifier is
    derived from the content, so the output is reproducible.
    """
    keywords = f"{number}; {verify_url}"
    info = {
        "/Title": title,
        "/Author": issuer,
        "/Subject": number,
        "/Keywords": keywords,
        NUMBER_KEY: number,
        VERIFY_URL_KEY: verify_url,
        KEY_ID_KEY: kid,
    }
    xmp = {"title": title, "creator": issuer, "subject": number, "keywords": keywords}
    seed = "\x00".join((number, verify_url, kid, title, issuer)).encode()
    changed = ByteStringObject(hashlib.sha256(pdf + b"\x00" + seed).digest()[:16])
    reader = _reader(pdf)
    previous = _classic_xref_offset(pdf)
    if previous is None or reader.is_encrypted:
        return _rewritten(reader, info, xmp, changed)
    return _appended(pdf, reader, previous, info, xmp, changed)


def _appended(
    pdf: bytes,
    reader: PdfReader,
    previous: int,
    info: dict[str, str],
    xmp: dict[str, str],
    changed: ByteStringObject,
) -> bytes:
    trailer = reader.trailer
    size = int(trailer["/Size"])  # type: ignore[call-overload]
    old_info = trailer.raw_get("/Info") if "/Info" in trailer else None
    if isinstance(old_info, IndirectObject):
        info_ref, old_info = old_info, old_info.get_object()
    else:
        info_ref, size = IndirectObject(size, 0, reader), size + 1
    new_info = DictionaryObject(old_info if isinstance(old_info, DictionaryObject) else {})
    new_info.update({NameObject(key): create_string_object(text) for key, text in info.items()})
    updates: list[tuple[IndirectObject, PdfObject]] = [(info_ref, new_info)]
    root = trailer["/Root"].get_object()
    has_xmp = isinstance(root, DictionaryObject) and "/Metadata" in root
    ref = root.raw_get("/Metadata") if has_xmp else None  # type: ignore[union-attr]
    stream = ref.get_object() if isinstance(ref, IndirectObject) else None
    if (
        isinstance(ref, IndirectObject)
        and isinstance(stream, StreamObject)
        and (packet := _updated_xmp(stream, **xmp)) is not None
    ):
        # Written unfiltered: PDF/A forbids a /Filter on the metadata stream.
        fresh = DecodedStreamObject()
        fresh.update({k: v for k, v in stream.items() if k not in _STREAM_ENCODING})
        fresh.set_data(packet)
        updates.append((ref, fresh))
    ids = trailer.get("/ID")
    first = (_id_bytes(ids[0]) if isinstance(ids, ArrayObject) and ids else None) or changed
    new_trailer = DictionaryObject(
        {
            NameObject("/Size"): NumberObject(size),
            NameObject("/Root"): trailer.raw_get("/Root"),
            NameObject("/Info"): info_ref,
            NameObject("/Prev"): NumberObject(previous),
            NameObject("/ID"): ArrayObject([first, changed]),
        }
    )
    return _append_update(pdf, updates, new_trailer)


_STREAM_ENCODING = {"/Length", "/Filter", "/DecodeParms", "/DL"}


def _append_update(
    pdf: bytes, updates: list[tuple[IndirectObject, PdfObject]], trailer: DictionaryObject
) -> bytes:
    """``pdf`` plus an incremental update section (ISO 32000 §7.5.6) replacing ``updates``."""
    out = io.BytesIO()
    out.write(pdf if pdf.endswith(b"\n") else pdf + b"\n")
    offsets = []
    for ref, value in updates:
        offsets.append((ref.idnum, ref.generation, out.tell()))
        out.write(f"{ref.idnum} {ref.generation} obj\n".encode())
        value.write_to_stream(out)
        out.write(b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n")
    for idnum, generation, offset in sorted(offsets):
        out.write(f"{idnum} 1\n{offset:010d} {generation:05d} n\r\n".encode())
    out.write(b"trailer\n")
    trailer.write_to_stream(out)
    out.write(f"\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def _classic_xref_offset(pdf: bytes) -> int | None:
    """Where the last cross-reference table starts, if it is a classic table (not a stream)."""
    tail = pdf[-1024:]
    found = re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", tail)
    if found is None:
        return None
    offset = int(found.group(1))
    return offset if pdf[offset : offset + 4] == b"xref" else None


def _id_bytes(value: PdfObject) -> ByteStringObject | None:
    # pypdf reads an identifier as text when its bytes happen to decode; keep the bytes.
    if isinstance(value, TextStringObject):
        return ByteStringObject(value.original_bytes)
    return ByteStringObject(value) if isinstance(value, bytes) else None


def _rewritten(
    reader: PdfReader, info: dict[str, str], xmp: dict[str, str], changed: ByteStringObject
) -> bytes:
    """The slow path for inputs an update cannot be appended to (cross-reference streams)."""
    writer = PdfWriter(clone_from=reader, keep_initial_header=True)
    writer.add_metadata(info)
    metadata = writer.root_object.get("/Metadata")
    stream = metadata.get_object() if metadata is not None else None
    if isinstance(stream, StreamObject):
        packet = _updated_xmp(stream, **xmp)
        # Only unfiltered and Flate streams can be rewritten; any other keeps its old packet.
        if packet is not None:
            with contextlib.suppress(PdfReadError):
                stream.set_data(packet)
    # pypdf keeps the input's /ID pair (or writes none) and offers only a random generator; the
    # first half names the document, the second this version of it (ISO 32000 §14.4).
    writer._ID = ArrayObject([writer._ID[0] if writer._ID else changed, changed])
    return _write(writer)


def _updated_xmp(
    stream: StreamObject, *, title: str, creator: str, subject: str, keywords: str
) -> bytes | None:
    """The XMP packet with the four properties the Info dictionary shares, or None to keep it."""
    try:
        raw = stream.get_data()
    except Exception:  # an undecodable packet is left as it is; the Info entries still change
        return None
    # A packet with a DTD is not XMP; declining it also rules out entity-expansion tricks.
    if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
        return None
    try:
        root = ET.fromstring(raw)  # noqa: S314 - DTDs refused above; expat fetches nothing
    except ET.ParseError:
        return None
    rdf = root if root.tag == f"{{{_RDF}}}RDF" else root.find(f"{{{_RDF}}}RDF")
    if rdf is None:
        return None
    replaced = {f"{{{_DC}}}title", f"{{{_DC}}}creator", f"{{{_DC}}}description"}
    replaced.add(f"{{{_PDF}}}Keywords")
    for description in list(rdf.findall(f"{{{_RDF}}}Description")):
        for child in list(description):
            if child.tag in replaced:
                description.remove(child)
        for attribute in replaced & set(description.attrib):
            del description.attrib[attribute]
        if len(description) == 0 and set(description.attrib) <= {f"{{{_RDF}}}about"}:
            rdf.remove(description)
    description = ET.SubElement(rdf, f"{{{_RDF}}}Description", {f"{{{_RDF}}}about": ""})
    _xmp_alt(description, f"{{{_DC}}}title", title)
    creators = ET.SubElement(ET.SubElement(description, f"{{{_DC}}}creator"), f"{{{_RDF}}}Seq")
    ET.SubElement(creators, f"{{{_RDF}}}li").text = creator
    _xmp_alt(description, f"{{{_DC}}}description", subject)
    ET.SubElement(description, f"{{{_PDF}}}Keywords").text = keywords
    ET.indent(description, space=" ", level=2)
    return (_XPACKET_BEGIN + ET.tostring(root, encoding="unicode") + _XPACKET_END).encode()


def _xmp_alt(parent: ET.Element, tag: str, text: str) -> None:
    alternatives = ET.SubElement(ET.SubElement(parent, tag), f"{{{_RDF}}}Alt")
    ET.SubElement(alternatives, f"{{{_RDF}}}li", {_XML_LANG: "x-default"}).text = text


def _write(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# --- stamping --------------------------------------------------------------------------------

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
    writer = PdfWriter(clone_from=_reader(pdf), keep_initial_header=True)
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
    return _write(writer)


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


# --- merging ---------------------------------------------------------------------------------


#: Inputs merged into one intermediate file at a time: qpdf copies stream data lazily from its
#: sources, so each must stay open until the output is written; groups bound the open files.
MERGE_GROUP = 200


def merge_files(paths: Iterable[Path], out: Path) -> int:
    """Concatenate PDFs in the given order into ``out``; returns the page count.

    Uses qpdf (through pikepdf): it copies pages without parsing their content and streams the
    data from the inputs while writing, so hundreds of files take a second or two where pypdf
    needed ~25 ms a file. qpdf still keeps every copied object until the output is written, so
    the merge runs in a short-lived child process: the service's memory stays the same whatever
    the batch size. ``out`` appears complete or not at all.
    """
    files = [str(path) for path in paths]
    with tempfile.NamedTemporaryFile("w", dir=out.parent, suffix=".list", delete=False) as listing:
        listing.write("\n".join(files))
    try:
        result = subprocess.run(  # noqa: S603 - this interpreter, this module, our own paths
            [sys.executable, "-m", "registry.adapters.pdf", listing.name, str(out)],
            capture_output=True,
            text=True,
            check=False,
            cwd=Path(__file__).resolve().parents[2],
        )
    finally:
        Path(listing.name).unlink(missing_ok=True)
    if result.returncode != 0:
        raise RuntimeError(f"merging {len(files)} PDFs failed: {result.stderr.strip()[-500:]}")
    return int(result.stdout.strip())


def merge_in_process(paths: list[Path], out: Path) -> int:
    """The merge itself: groups of :data:`MERGE_GROUP` into intermediates, then one output."""
    files = list(paths)
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".merge-") as scratch:
        level = 0
        while len(files) > MERGE_GROUP:
            groups = [files[i : i + MERGE_GROUP] for i in range(0, len(files), MERGE_GROUP)]
            files = []
            for index, group in enumerate(groups):
                target = Path(scratch) / f"{level}-{index}.pdf"
                _merge_group(group, target)
                files.append(target)
            level += 1
        partial = out.with_name(f".{out.name}.partial")
        try:
            pages = _merge_group(files, partial)
            os.replace(partial, out)
        finally:
            partial.unlink(missing_ok=True)
    return pages


def _merge_group(paths: list[Path], out: Path) -> int:
    with contextlib.ExitStack() as stack, pikepdf.new() as merged:
        for path in paths:
            source = stack.enter_context(pikepdf.open(path))
            merged.pages.extend(source.pages)
        merged.save(out, linearize=False)
        return len(merged.pages)


if __name__ == "__main__":  # the child process of merge_files
    listed = Path(sys.argv[1]).read_text(encoding="utf-8").splitlines()
    print(merge_in_process([Path(line) for line in listed if line], Path(sys.argv[2])))
