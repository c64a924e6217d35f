"""The QR token: compact, versioned, unguessable, and checkable before any database look-up.

Format (version 1)::

    token   = base64url( 0x01 || document_id (16 bytes, UUIDv4) || Ed25519 signature (64 bytes) )
    message = b"satupintu/token/v1\\x00" || 0x01 || document_id

81 bytes encode to exactly 108 base64url characters, with no spare bits, so no two spellings decode
to the same token. The key id is not carried: the verifier tries each published key (a handful
at most), which keeps the QR small. The signature binds the token to the document id, and the
document's canonical record (see ``registry.records``) carries that id under its own signature, so
the token vouches for the record.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from registry.domain.encoding import b64url_decode, b64url_encode
from registry.domain.errors import VerificationError
from registry.domain.signing import SigningKey, verify_signature

TOKEN_VERSION = 1
TOKEN_LENGTH = 108
_DOMAIN = b"satupintu/token/v1\x00"
#: Path of the verification page under the public URL; printed in every QR, so it never changes.
VERIFY_PATH = "/v/"


@dataclass(frozen=True)
class VerifiedToken:
    document_id: uuid.UUID
    kid: str


def token_message(document_id: uuid.UUID) -> bytes:
    return _DOMAIN + bytes([TOKEN_VERSION]) + document_id.bytes


def issue_token(document_id: uuid.UUID, key: SigningKey) -> str:
    signature = key.sign(token_message(document_id))
    return b64url_encode(bytes([TOKEN_VERSION]) + document_id.bytes + signature.value)


def verify_url(public_url: str, token_or_short_code: str) -> str:
    """The address in the QR (with a token) or printed beside it (with a short code)."""
    return f"{public_url.rstrip('/')}{VERIFY_PATH}{token_or_short_code}"


def verify_token(token: str, public_keys: Mapping[str, Ed25519PublicKey]) -> VerifiedToken:
    """Check a token's form and signature. Every failure is one ``VerificationError``."""
    if len(token) != TOKEN_LENGTH:
        raise VerificationError("malformed", "Panjang token tidak sesuai")
    try:
        raw = b64url_decode(token)
    except ValueError as exc:
        raise VerificationError("malformed", "Token bukan base64url yang sah") from exc
    if raw[0] != TOKEN_VERSION:
        raise VerificationError("unsupported_version", "Versi token tidak dikenal")
    document_id = uuid.UUID(bytes=raw[1:17])
    signature = raw[17:]
    message = token_message(document_id)
    for kid, public_key in public_keys.items():
        try:
            verify_signature(public_key, message, signature)
        except VerificationError:
            continue
        return VerifiedToken(document_id=document_id, kid=kid)
    raise VerificationError("bad_signature", "Tanda tangan token tidak sah")
