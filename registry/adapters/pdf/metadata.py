"""A document's number, verify URL and key id, written into its PDF (Info dictionary and XMP).

Deterministic: the same input gives the same output bytes, so a re-produced file hashes the same
as the stored one.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re

import pikepdf
from pypdf import PdfReader, PdfWriter
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

NUMBER_KEY = "/SatuPintuNumber"
VERIFY_URL_KEY = "/SatuPintuVerifyUrl"
KEY_ID_KEY = "/SatuPintuKeyId"


def with_metadata(
    pdf: bytes, *, number: str, verify_url: str, kid: str, title: str, issuer: str
) -> bytes:
    """The PDF with its number, verify URL and key id in the information dictionary.

    The XMP packet, if any, gets the matching dc:title, dc:creator, dc:description and
    pdf:Keywords (pikepdf's metadata API): PDF/A requires the two to agree, and LibreOffice's
    PDF/A-2b output has one. The changes are appended as an incremental update, so the
    converter's bytes stay exactly as they were. The second file identifier is derived from the
    content, so the output is reproducible.
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
    reader = PdfReader(io.BytesIO(pdf))
    previous = _classic_xref_offset(pdf)
    if previous is None or reader.is_encrypted:
        return _rewritten(reader, info, xmp, changed)
    return _appended(pdf, reader, previous, info, xmp, changed)


# Why the update is written by hand rather than by pypdf's incremental writer
# (PdfWriter(reader, incremental=True)), measured for issue 7 with `python -m bench.pdf_metadata`
# on an STTP from the templates (132 kB, 258 objects, converted by a warm LibreOffice), 400
# interleaved rounds, 4 runs on 2 cores shared with other work (load 6-9):
#   by hand, XMP by ElementTree (before)  2.5-6.4 ms
#   by hand, XMP by pikepdf (this code)   3.1-7.6 ms   (+0.6 to +1.4 ms)
#   pypdf's incremental writer            22-58 ms     (8.9-14 x)
#   one whole document, in-process        224-509 ms   (number, DOCX, PDF, label, sign, store)
# pypdf parses, copies and hashes every object of the file to find what changed, where this
# writes the Info dictionary and the XMP stream only: it would cost a single document 6-18 %,
# over the 5 % the issue allows (pikepdf's XMP: 0.2-0.6 %), and more with more objects. Nor
# would it serve the inputs left to _rewritten (cross-reference streams): pypdf 7.1 numbers the
# objects it adds after those it read, reusing the number of the file's last cross-reference
# stream, so a new metadata stream can resolve to that stream instead.


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
    """A whole rewrite by pypdf, for inputs the update above does not handle (cross-reference
    streams, encryption); LibreOffice writes neither."""
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
        packet = stream.get_data()
        # pikepdf edits XMP through a document: one holding only the packet spares parsing the
        # whole PDF a second time.
        with pikepdf.new() as scratch:
            scratch.Root.Metadata = scratch.make_stream(packet)
            # Not marked as edited by pikepdf (that adds the current time: the output would no
            # longer be reproducible); strict: a packet that does not parse is kept as it is,
            # not replaced by an empty one that would lose the PDF/A identification.
            with scratch.open_metadata(
                set_pikepdf_as_editor=False, update_docinfo=False, strict=True
            ) as editor:
                editor["dc:title"] = title
                editor["dc:creator"] = [creator]
                editor["dc:description"] = subject
                editor["pdf:Keywords"] = keywords
            return bytes(scratch.Root.Metadata.read_bytes())
    except Exception:  # an unreadable packet is left as it is; the Info entries still change
        return None


def _write(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
