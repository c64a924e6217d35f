"""Hostile PDFs, built in the test from a plain one: active content, decompression bombs,
polyglots. Nothing here is committed as a binary."""

from __future__ import annotations

import functools
import io
import zlib
from collections.abc import Callable

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

from tests.support.drafts import outside_pdf

PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


def _name(value: str) -> NameObject:
    return NameObject(value)


def _writer(base: bytes | None = None) -> PdfWriter:
    return PdfWriter(clone_from=PdfReader(io.BytesIO(base or outside_pdf(2))))


def _saved(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _action(kind: str, **entries: object) -> DictionaryObject:
    action = DictionaryObject({_name("/Type"): _name("/Action"), _name("/S"): _name(kind)})
    for key, value in entries.items():
        action[_name(f"/{key}")] = value  # type: ignore[assignment]
    return action


def _annotation(writer: PdfWriter, subtype: str, **entries: object) -> None:
    annotation = DictionaryObject(
        {
            _name("/Type"): _name("/Annot"),
            _name("/Subtype"): _name(subtype),
            _name("/Rect"): ArrayObject([FloatObject(v) for v in (72, 72, 144, 144)]),
        }
    )
    for key, value in entries.items():
        annotation[_name(f"/{key}")] = value  # type: ignore[assignment]
    page = writer.pages[0]
    annots = page.get("/Annots")
    if annots is None:
        annots = ArrayObject()
        page[_name("/Annots")] = annots
    annots.append(writer._add_object(annotation))


def _script() -> TextStringObject:
    return TextStringObject("app.alert('Sertifikat palsu');")


def open_action_script() -> bytes:
    writer = _writer()
    writer.root_object[_name("/OpenAction")] = writer._add_object(
        _action("/JavaScript", JS=_script())
    )
    return _saved(writer)


def document_script() -> bytes:
    """A script in the document-level name tree (/Names /JavaScript)."""
    writer = _writer()
    tree = DictionaryObject(
        {
            _name("/Names"): ArrayObject(
                [
                    TextStringObject("salam"),
                    writer._add_object(_action("/JavaScript", JS=_script())),
                ]
            )
        }
    )
    writer.root_object[_name("/Names")] = DictionaryObject({_name("/JavaScript"): tree})
    return _saved(writer)


def page_action_script() -> bytes:
    """A script run when page 1 opens (/AA /O)."""
    writer = _writer()
    writer.pages[0][_name("/AA")] = DictionaryObject(
        {_name("/O"): _action("/JavaScript", JS=_script())}
    )
    return _saved(writer)


def link_script() -> bytes:
    """A link annotation whose action is a script (no /OpenAction, no names tree)."""
    writer = _writer()
    _annotation(writer, "/Link", A=_action("/JavaScript", JS=_script()))
    return _saved(writer)


def uri_script() -> bytes:
    """A link whose address is a script: a viewer that follows it runs it."""
    writer = _writer()
    uri = DictionaryObject(
        {_name("/S"): _name("/URI"), _name("/URI"): TextStringObject(" JavaScript:alert(1)")}
    )
    _annotation(writer, "/Link", A=uri)
    return _saved(writer)


def launch_action() -> bytes:
    writer = _writer()
    _annotation(writer, "/Link", A=_action("/Launch", F=TextStringObject("cmd.exe")))
    return _saved(writer)


def submit_form() -> bytes:
    writer = _writer()
    url = DictionaryObject(
        {_name("/FS"): _name("/URL"), _name("/F"): TextStringObject("https://contoh.invalid/")}
    )
    _annotation(writer, "/Link", A=_action("/SubmitForm", F=url))
    return _saved(writer)


def import_data() -> bytes:
    writer = _writer()
    _annotation(writer, "/Link", A=_action("/ImportData", F=TextStringObject("data.fdf")))
    return _saved(writer)


def rich_media() -> bytes:
    writer = _writer()
    _annotation(writer, "/RichMedia", RichMediaContent=DictionaryObject())
    return _saved(writer)


def embedded_file() -> bytes:
    writer = _writer()
    writer.add_attachment("lampiran.exe", b"MZ\x90\x00")
    return _saved(writer)


def file_attachment_annotation() -> bytes:
    writer = _writer()
    spec = DictionaryObject(
        {_name("/Type"): _name("/Filespec"), _name("/F"): TextStringObject("lampiran.txt")}
    )
    _annotation(writer, "/FileAttachment", FS=spec)
    return _saved(writer)


def xfa_form() -> bytes:
    writer = _writer()
    xfa = DecodedStreamObject()
    xfa.set_data(b"<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'/>")
    writer.root_object[_name("/AcroForm")] = DictionaryObject(
        {_name("/Fields"): ArrayObject(), _name("/XFA"): writer._add_object(xfa)}
    )
    return _saved(writer)


#: Each builder and the kind the refusal must name (``active_content``, ``found_in``).
ACTIVE_CONTENT: dict[str, tuple[Callable[[], bytes], str, str]] = {
    "open-action-javascript": (open_action_script, "JavaScript", "OpenAction"),
    "document-javascript": (document_script, "JavaScript", "Names/JavaScript"),
    "page-action-javascript": (page_action_script, "JavaScript", "AA"),
    "link-javascript": (link_script, "JavaScript", "Annots"),
    "uri-javascript": (uri_script, "JavaScript", "Annots"),
    "launch": (launch_action, "Launch", "Annots"),
    "submit-form": (submit_form, "SubmitForm", "Annots"),
    "import-data": (import_data, "ImportData", "Annots"),
    "rich-media": (rich_media, "RichMedia", "RichMedia"),
    "embedded-files": (embedded_file, "EmbeddedFiles", "EmbeddedFiles"),
    "file-attachment": (file_attachment_annotation, "FileAttachment", "FileAttachment"),
    "xfa": (xfa_form, "XFA", "XFA"),
}


def links_and_form_fields() -> bytes:
    """What ordinary PDFs hold and must keep being accepted: a web link, an internal link and a
    fillable text field."""
    writer = _writer()
    uri = DictionaryObject(
        {_name("/S"): _name("/URI"), _name("/URI"): TextStringObject("https://bpsdm.example.id/")}
    )
    _annotation(writer, "/Link", A=uri)
    _annotation(
        writer, "/Link", Dest=ArrayObject([writer.pages[1].indirect_reference, _name("/Fit")])
    )
    field = DictionaryObject(
        {
            _name("/Type"): _name("/Annot"),
            _name("/Subtype"): _name("/Widget"),
            _name("/FT"): _name("/Tx"),
            _name("/T"): TextStringObject("nama"),
            _name("/V"): TextStringObject("Siti"),
            _name("/Rect"): ArrayObject([FloatObject(v) for v in (72, 200, 300, 220)]),
        }
    )
    reference = writer._add_object(field)
    writer.pages[0][_name("/Annots")].append(reference)  # type: ignore[union-attr]
    writer.root_object[_name("/AcroForm")] = DictionaryObject(
        {_name("/Fields"): ArrayObject([reference])}
    )
    return _saved(writer)


@functools.cache
def _deflated_zeros(megabytes: int) -> bytes:
    compressor = zlib.compressobj(9)
    chunk = bytes(1 << 20)
    return b"".join(compressor.compress(chunk) for _ in range(megabytes)) + compressor.flush()


def _flate_stream(megabytes: int) -> StreamObject:
    stream = StreamObject()
    stream._data = _deflated_zeros(megabytes)
    stream[_name("/Filter")] = _name("/FlateDecode")
    stream[_name("/Length")] = NumberObject(len(stream._data))
    return stream


def content_bomb(megabytes: int = 256) -> bytes:
    """Page 1's content stream inflates to ``megabytes`` of zeros (a few hundred KB on disk)."""
    writer = _writer()
    writer.pages[0][_name("/Contents")] = writer._add_object(_flate_stream(megabytes))
    return _saved(writer)


def many_small_bombs(streams: int, megabytes: int) -> bytes:
    """``streams`` form XObjects on page 1, each within pypdf's own per-stream limit, together
    inflating to ``streams * megabytes``."""
    writer = _writer()
    page = writer.pages[0]
    resources = page.setdefault(_name("/Resources"), DictionaryObject())
    xobjects = DictionaryObject()
    for index in range(streams):
        form = _flate_stream(megabytes)
        form[_name("/Type")] = _name("/XObject")
        form[_name("/Subtype")] = _name("/Form")
        form[_name("/BBox")] = ArrayObject([NumberObject(0)] * 4)
        xobjects[_name(f"/Bomb{index}")] = writer._add_object(form)
    resources[_name("/XObject")] = xobjects  # type: ignore[index]
    return _saved(writer)


def png_with_pdf_appended() -> bytes:
    """A polyglot: an image viewer sees a PNG, a lenient PDF reader finds the PDF behind it."""
    return PNG_1X1 + b"\n" + outside_pdf(1)
