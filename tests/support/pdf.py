"""Reading PDFs back in tests: pages, text and the information dictionary (pypdf)."""

from __future__ import annotations

import io

from pypdf import PdfReader


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
