"""What an uploaded PDF must be before a number is taken: a PDF from its first byte."""

from __future__ import annotations

import pytest

from registry.adapters import pdf
from registry.domain.errors import InvalidInput
from tests.support import hostile_pdf

MB = 1_000_000
LIMIT = 20 * MB


def test_a_png_with_a_pdf_appended_is_refused() -> None:
    with pytest.raises(InvalidInput, match="Berkas bukan PDF"):
        pdf.check_upload(hostile_pdf.png_with_pdf_appended(), max_bytes=LIMIT)
