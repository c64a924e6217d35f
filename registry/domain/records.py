"""Canonical records: the exact bytes a document's signature covers, and file attestations.

These bytes are published by the verification endpoint, so they carry no NIP and no birth date:
the holder is bound by a salted SHA-256 commitment whose salt stays on the server (the masked NIP
leaves only the birth date unknown, a space small enough to brute-force if the salt were public).
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from dataclasses import asdict, dataclass

from registry.domain.encoding import canonical_json

RECORD_VERSION = 1
_NIP_DOMAIN = b"satupintu/nip/v1\x00"


@dataclass(frozen=True)
class DocumentRecord:
    id: str
    number: str
    type: str
    holder_name: str
    holder_nip_commitment: str
    title: str
    path: str
    scope: str
    jp: str
    start_date: str
    end_date: str
    issuer: str
    unit_code: str | None
    issued_at: str
    kid: str
    supersedes: str | None = None

    def canonical_bytes(self) -> bytes:
        return canonical_json({"v": RECORD_VERSION, "kind": "document", **asdict(self)})


def nip_commitment(nip_digits: str, salt: bytes) -> str:
    return hashlib.sha256(_NIP_DOMAIN + salt + nip_digits.encode("ascii")).hexdigest()


def nip_matches(candidate_digits: str, salt: bytes, commitment: str) -> bool:
    return hmac.compare_digest(nip_commitment(candidate_digits, salt), commitment)


def file_attestation_bytes(document_id: uuid.UUID, sha256_hex: str, media_type: str) -> bytes:
    """What a rendered file's own signature covers: the file cannot sit inside its own record."""
    return canonical_json(
        {
            "v": RECORD_VERSION,
            "kind": "file",
            "document_id": str(document_id),
            "sha256": sha256_hex,
            "media_type": media_type,
        }
    )
