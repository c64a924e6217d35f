"""PDF operations on small PDFs built with reportlab: upload checks, stamping, metadata, merging."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    NameObject,
    RectangleObject,
    StreamObject,
    TextStringObject,
)
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen.canvas import Canvas

from registry.adapters import pdf
from registry.adapters.pdf import merging
from registry.adapters.qr import qr_png
from registry.domain.errors import InvalidInput
from registry.settings import STAMP_CORNERS
from tests.support.pdf import extract_text, page_count, read_metadata

NUMBER = "800.2.1/0042/BPSDM/XI/2026"
URL = "http://127.0.0.1:8000/v/" + "Ab-_" * 27
CAPTION = "Verifikasi: 127.0.0.1:8000/v/Ab-_Ab-_…"
MB = 1_000_000


def make_pdf(pages: int = 2, size: tuple[float, float] = A4, prefix: str = "Halaman") -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=size, invariant=True)
    for number in range(1, pages + 1):
        canvas.setFont("Helvetica", 14)
        canvas.drawString(72, size[1] / 2, f"{prefix} {number}")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def rewrite(data: bytes, *, rotate: int = 0, crop: tuple[float, ...] | None = None) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    page = writer.pages[0]
    if rotate:
        page.rotate(rotate)
    if crop:
        page.cropbox = RectangleObject(crop)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def page_image(data: bytes, tmp_path: Path) -> Image.Image:
    source = tmp_path / "in.pdf"
    source.write_bytes(data)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", str(source), str(tmp_path / "p")],
        check=True,
    )
    (rendered,) = tmp_path.glob("p*.png")
    with Image.open(rendered) as image:
        image.load()
        return image


def zbar(image: Image.Image, tmp_path: Path) -> str:
    path = tmp_path / "crop.png"
    image.save(path)
    done = subprocess.run(
        ["zbarimg", "--raw", "-q", str(path)], capture_output=True, text=True, check=False
    )
    return done.stdout.strip()


def quadrant(image: Image.Image, corner: str) -> Image.Image:
    width, height = image.size
    left = 0 if corner.endswith("left") else width // 2
    top = 0 if corner.startswith("top") else height // 2
    return image.crop((left, top, left + width // 2, top + height // 2))


OPPOSITE = {
    "bottom-right": "top-left",
    "top-left": "bottom-right",
    "bottom-left": "top-right",
    "top-right": "bottom-left",
}


# --- upload checks ----------------------------------------------------------------------------


def test_a_plain_pdf_is_accepted() -> None:
    pdf.check_upload(make_pdf(), max_bytes=MB)


def test_a_pdf_behind_whitespace_is_accepted() -> None:
    pdf.check_upload(b"\r\n\x00 \t" + make_pdf(), max_bytes=MB)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Berkas kosong"),
        (b"Surat keterangan, bukan PDF", "Berkas bukan PDF"),
        (qr_png(URL), "Berkas bukan PDF"),  # a PNG renamed to .pdf
        (b"x" * 2000 + make_pdf(), "Berkas bukan PDF"),  # magic outside the first 1024 bytes
        # Anything but whitespace before the header is how a polyglot hides a PDF behind an image.
        (b"\r\n\x00junk" + make_pdf(), "Berkas bukan PDF"),
        (b"%PDF-1.7\nhanya teks", "rusak"),
        (make_pdf()[:900], "rusak"),
    ],
)
def test_refusals_by_content(data: bytes, message: str) -> None:
    with pytest.raises(InvalidInput, match=message) as caught:
        pdf.check_upload(data, max_bytes=MB)
    assert caught.value.field == "file"


def test_oversize_is_refused_with_both_sizes_in_megabytes() -> None:
    data = make_pdf()
    with pytest.raises(InvalidInput, match="Berkas terlalu besar") as caught:
        pdf.check_upload(data + b" " * 1_500_000, max_bytes=MB)
    assert "(batas 1 MB)" in caught.value.message
    assert caught.value.extra["max_bytes"] == MB


def test_encrypted_pdf_is_refused() -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf())))
    writer.encrypt(user_password="", owner_password="rahasia", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(InvalidInput, match="PDF terenkripsi tidak dapat dicap"):
        pdf.check_upload(buffer.getvalue(), max_bytes=MB)


def test_zero_page_pdf_is_refused() -> None:
    buffer = io.BytesIO()
    PdfWriter().write(buffer)
    with pytest.raises(InvalidInput, match="tidak memiliki halaman"):
        pdf.check_upload(buffer.getvalue(), max_bytes=MB)


# --- stamping ---------------------------------------------------------------------------------


def stamped(data: bytes, corner: str) -> bytes:
    return pdf.stamp(data, qr_png=qr_png(URL), number=NUMBER, caption=CAPTION, corner=corner)


@pytest.mark.parametrize("corner", STAMP_CORNERS)
def test_stamp_lands_in_the_corner_and_decodes(corner: str, tmp_path: Path) -> None:
    original = make_pdf(pages=3)
    result = stamped(original, corner)
    assert page_count(result) == 3
    image = page_image(result, tmp_path)
    assert zbar(quadrant(image, corner), tmp_path) == URL
    assert zbar(quadrant(image, OPPOSITE[corner]), tmp_path) == ""


@pytest.mark.parametrize(
    ("rotate", "crop", "corner"),
    [
        (90, None, "bottom-right"),
        (180, None, "top-left"),
        (270, None, "top-right"),
        (0, (100, 150, 450, 700), "bottom-left"),
        (90, (50, 80, 500, 760), "bottom-right"),
    ],
)
def test_stamp_follows_rotation_and_cropbox(
    rotate: int, crop: tuple[float, ...] | None, corner: str, tmp_path: Path
) -> None:
    result = stamped(rewrite(make_pdf(), rotate=rotate, crop=crop), corner)
    image = page_image(result, tmp_path)
    assert zbar(quadrant(image, corner), tmp_path) == URL


def test_stamp_on_a_landscape_page(tmp_path: Path) -> None:
    result = stamped(make_pdf(size=landscape(A4)), "top-right")
    assert zbar(quadrant(page_image(result, tmp_path), "top-right"), tmp_path) == URL


def test_stamp_puts_text_on_page_one_only_and_leaves_other_pages_alone() -> None:
    original = make_pdf(pages=3)
    result = stamped(original, "bottom-right")
    before, after = PdfReader(io.BytesIO(original)), PdfReader(io.BytesIO(result))
    first = after.pages[0].extract_text()
    assert NUMBER in first
    assert "Halaman 1" in first
    assert "127.0.0.1:8000/v/" in first
    for index in (1, 2):
        assert NUMBER not in after.pages[index].extract_text()
        assert after.pages[index].get_contents().get_data() == (  # type: ignore[union-attr]
            before.pages[index].get_contents().get_data()  # type: ignore[union-attr]
        )


def test_stamp_is_vector_not_a_rasterised_page() -> None:
    result = stamped(make_pdf(pages=1), "bottom-right")
    page = PdfReader(io.BytesIO(result)).pages[0]
    images = list(page.images)
    assert len(images) == 1  # the QR code; the page text stays text
    assert "Halaman 1" in page.extract_text()


def test_stamp_is_deterministic_and_rejects_unknown_corners() -> None:
    original = make_pdf()
    assert stamped(original, "top-left") == stamped(original, "top-left")
    with pytest.raises(ValueError, match="corner"):
        stamped(original, "middle")


# --- metadata ---------------------------------------------------------------------------------

XMP = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
   <pdfaid:part>2</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
   <dc:creator><rdf:Seq><rdf:li>python-docx</rdf:li></rdf:Seq></dc:creator>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""


def with_xmp(data: bytes, *, compressed: bool = False) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    stream = DecodedStreamObject()
    stream.set_data(XMP.encode())
    stream[NameObject("/Type")] = NameObject("/Metadata")
    stream[NameObject("/Subtype")] = NameObject("/XML")
    packet = stream.flate_encode() if compressed else stream
    writer.root_object[NameObject("/Metadata")] = writer._add_object(packet)
    writer.add_metadata({"/Author": "python-docx"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def labelled(data: bytes) -> bytes:
    return pdf.with_metadata(
        data,
        number=NUMBER,
        verify_url=URL,
        kid="k-2026-01",
        title="Sertifikat Pelatihan Teknis",
        issuer="BPSDM Kota Contoh",
    )


def test_metadata_round_trip() -> None:
    metadata = read_metadata(labelled(make_pdf()))
    assert metadata["Title"] == "Sertifikat Pelatihan Teknis"
    assert metadata["Author"] == "BPSDM Kota Contoh"
    assert metadata["Subject"] == NUMBER
    assert NUMBER in metadata["Keywords"]
    assert metadata["SatuPintuNumber"] == NUMBER
    assert metadata["SatuPintuVerifyUrl"] == URL
    assert metadata["SatuPintuKeyId"] == "k-2026-01"


def test_metadata_is_deterministic_and_keeps_header_pages_and_text() -> None:
    original = make_pdf(pages=2)
    result = labelled(original)
    assert result == labelled(original)
    assert result[:8] == original[:8]
    assert page_count(result) == 2
    assert "Halaman 2" in extract_text(result)


def test_metadata_is_appended_leaving_the_original_bytes_intact(tmp_path: Path) -> None:
    original = with_xmp(make_pdf())
    result = labelled(original)
    assert result.startswith(original)
    assert result.count(b"%%EOF") == original.count(b"%%EOF") + 1
    PdfReader(io.BytesIO(result), strict=True).metadata  # noqa: B018 - parses the new xref
    path = tmp_path / "out.pdf"
    path.write_bytes(result)
    checked = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    assert "Error" not in checked.stderr
    assert "Title:           Sertifikat Pelatihan Teknis" in checked.stdout


def with_xref_stream(data: bytes) -> bytes:
    writer = PdfWriter(PdfReader(io.BytesIO(data)), incremental=True)
    writer.add_metadata({"/Title": "lama"})
    buffer = io.BytesIO()
    writer.write(buffer)  # pypdf writes its incremental update with a cross-reference stream
    return buffer.getvalue()


def test_metadata_on_a_cross_reference_stream_file_is_rewritten() -> None:
    original = with_xref_stream(with_xmp(make_pdf()))
    result = labelled(original)
    assert not result.startswith(original)  # rewritten whole, not appended to
    assert result == labelled(original)
    metadata = PdfReader(io.BytesIO(result)).root_object["/Metadata"].get_object()
    assert isinstance(metadata, StreamObject)
    xmp = metadata.get_data().decode()
    assert "<pdfaid:part>2</pdfaid:part>" in xmp
    assert "Sertifikat Pelatihan Teknis" in xmp
    assert read_metadata(result)["Title"] == "Sertifikat Pelatihan Teknis"
    assert file_id(result)[1] != file_id(original)[1]


def test_labelling_twice_keeps_the_latest_values() -> None:
    once = labelled(make_pdf())
    twice = pdf.with_metadata(
        once, number="B", verify_url=URL, kid="k2", title="Baru", issuer="BPSDM"
    )
    assert read_metadata(twice)["SatuPintuNumber"] == "B"
    assert read_metadata(twice)["Title"] == "Baru"
    assert page_count(twice) == 2


def test_file_identifier_keeps_its_first_half_and_derives_the_second() -> None:
    original = rewrite(make_pdf())  # pypdf gives the file an /ID
    first = file_id(original)
    result = file_id(labelled(original))
    assert result[0] == first[0]
    assert result[1] != first[1]
    other = pdf.with_metadata(original, number="X", verify_url=URL, kid="k", title="t", issuer="i")
    assert file_id(other)[1] != result[1]


def file_id(data: bytes) -> list[bytes]:
    pair = PdfReader(io.BytesIO(data)).trailer["/ID"]
    assert isinstance(pair, ArrayObject)
    # pypdf reads an identifier as text when its bytes happen to decode.
    return [i.original_bytes if isinstance(i, TextStringObject) else bytes(i) for i in pair]


def test_xmp_agrees_with_the_info_dictionary_and_keeps_pdfa_identification() -> None:
    result = labelled(with_xmp(make_pdf()))
    metadata = PdfReader(io.BytesIO(result)).root_object["/Metadata"].get_object()
    assert isinstance(metadata, StreamObject)
    assert "/Filter" not in metadata  # PDF/A: the metadata stream stays unfiltered
    xmp = metadata.get_data().decode()
    assert "<pdfaid:part>2</pdfaid:part>" in xmp
    assert "<pdfaid:conformance>B</pdfaid:conformance>" in xmp
    # Elements may carry their own namespace declarations: <dc:title xmlns:dc="...">.
    assert re.search(r"<dc:title\b[^>]*>.*Sertifikat Pelatihan Teknis.*</dc:title>", xmp, re.S)
    assert re.search(r"<dc:creator\b[^>]*>.*BPSDM Kota Contoh.*</dc:creator>", xmp, re.S)
    assert "python-docx" not in xmp  # the old creator is replaced, not duplicated
    assert re.search(rf"<dc:description\b[^>]*>.*{re.escape(NUMBER)}.*</dc:description>", xmp, re.S)
    assert re.search(rf"<pdf:Keywords\b[^>]*>{re.escape(f'{NUMBER}; {URL}')}</pdf:Keywords>", xmp)
    assert xmp.startswith("<?xpacket begin=")
    assert xmp.rstrip().endswith('<?xpacket end="w"?>')


def test_a_compressed_xmp_packet_is_replaced_by_an_unfiltered_one() -> None:
    original = with_xmp(make_pdf(), compressed=True)
    before = PdfReader(io.BytesIO(original)).root_object["/Metadata"].get_object()
    assert isinstance(before, StreamObject)
    assert before["/Filter"] == "/FlateDecode"
    result = labelled(original)
    assert result.startswith(original)
    metadata = PdfReader(io.BytesIO(result)).root_object["/Metadata"].get_object()
    assert isinstance(metadata, StreamObject)
    assert "/Filter" not in metadata
    xmp = metadata.get_data().decode()
    assert "<pdfaid:part>2</pdfaid:part>" in xmp
    assert "Sertifikat Pelatihan Teknis" in xmp
    assert "python-docx" not in xmp


# --- merging ----------------------------------------------------------------------------------


def test_merge_files_keeps_order_and_counts_pages(tmp_path: Path) -> None:
    paths = []
    for index, pages in enumerate((1, 2, 3)):
        path = tmp_path / f"in{index}.pdf"
        path.write_bytes(make_pdf(pages=pages, prefix=f"Berkas{index}"))
        paths.append(path)
    out = tmp_path / "gabungan.pdf"
    assert pdf.merge_files(iter(paths), out) == 6
    text = extract_text(out.read_bytes())
    positions = [text.index(f"Berkas{index} 1") for index in range(3)]
    assert positions == sorted(positions)
    assert page_count(out.read_bytes()) == 6
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "gabungan.pdf",
        "in0.pdf",
        "in1.pdf",
        "in2.pdf",
    ]


def test_merge_files_in_groups_keeps_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Large batches merge through intermediate files, so open inputs stay bounded."""
    monkeypatch.setattr(merging, "MERGE_GROUP", 2)
    paths = []
    for index in range(7):
        path = tmp_path / f"in{index}.pdf"
        path.write_bytes(make_pdf(pages=1, prefix=f"Berkas{index}"))
        paths.append(path)
    out = tmp_path / "gabungan.pdf"
    assert pdf.merge_in_process(paths, out) == 7
    text = extract_text(out.read_bytes())
    positions = [text.index(f"Berkas{index} 1") for index in range(7)]
    assert positions == sorted(positions)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["gabungan.pdf", *(p.name for p in paths)]
    )
