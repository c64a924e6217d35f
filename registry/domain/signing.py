"""Ed25519 primitives over bytes: key ids, JWKs, signing and verification.

Every failure to verify surfaces as one ``VerificationError``; no ``InvalidSignature`` or
``ValueError`` leaks to callers.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from registry.domain.encoding import b64url_encode, canonical_json
from registry.domain.errors import VerificationError


def raw_public_bytes(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def key_id(public_key: Ed25519PublicKey) -> str:
    """RFC 7638 JWK thumbprint: anyone holding the JWKS can recompute it."""
    members = {"crv": "Ed25519", "kty": "OKP", "x": b64url_encode(raw_public_bytes(public_key))}
    return b64url_encode(hashlib.sha256(canonical_json(members)).digest())


def public_jwk(public_key: Ed25519PublicKey) -> dict[str, str]:
    return {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": b64url_encode(raw_public_bytes(public_key)),
        "kid": key_id(public_key),
        "use": "sig",
        "alg": "EdDSA",
    }


@dataclass(frozen=True)
class Signature:
    kid: str
    value: bytes


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_key: Ed25519PrivateKey

    @classmethod
    def from_private_key(cls, private_key: Ed25519PrivateKey) -> SigningKey:
        return cls(kid=key_id(private_key.public_key()), private_key=private_key)

    def sign(self, message: bytes) -> Signature:
        return Signature(kid=self.kid, value=self.private_key.sign(message))

    def __repr__(self) -> str:  # never let a traceback or log line print key material
        return f"SigningKey(kid={self.kid!r})"


def verify_signature(public_key: Ed25519PublicKey, message: bytes, signature: bytes) -> None:
    try:
        public_key.verify(signature, message)
    except (InvalidSignature, ValueError) as exc:
        raise VerificationError("bad_signature", "Tanda tangan tidak cocok") from exc
