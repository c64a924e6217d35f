"""The public addresses of a document: the one in its QR code and the short one printed beside it.

Both are on paper, so their form must never change for documents already issued.
"""

from __future__ import annotations

from dataclasses import dataclass

from registry.domain.tokens import verify_url


@dataclass(frozen=True)
class PublicLinks:
    base_url: str  # e.g. https://verifikasi.bpsdm.example, without a trailing slash

    def verify_url(self, token: str) -> str:
        return verify_url(self.base_url, token)

    def short_url(self, short_code: str) -> str:
        return verify_url(self.base_url, short_code)

    def pdf_url(self, document_id: object) -> str:
        """The API address of a document's PDF (needs a key; integrators fetch it with theirs)."""
        return f"{self.base_url}/api/v1/documents/{document_id}/pdf"
