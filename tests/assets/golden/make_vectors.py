"""Write the golden vectors of the signed formats: key, record, token, QR URL, file attestation.

    python tests/assets/golden/make_vectors.py

Run it ONLY when a change to a signed format is intended. Every QR code and every record already
printed on paper carries the old format, so regenerating is a breaking change: bump the format's
version, keep the verifier accepting the old one, and say so in CHANGELOG.md. If
``tests/unit/test_golden_vectors.py`` fails and you did not mean to change a format, the code is
wrong, not these files.

The key is derived from a fixed, published seed so that anyone can rebuild it; it is a TEST key
that signs nothing real and must never sit in a keys directory of a deployment.
"""

from __future__ import annotations

import hashlib
import json
import sys
import uuid
from dataclasses import asdict
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from registry.domain.records import (  # noqa: E402
    DocumentRecord,
    file_attestation_bytes,
    nip_commitment,
)
from registry.domain.signing import SigningKey, public_jwk  # noqa: E402
from registry.domain.tokens import issue_token, verify_url  # noqa: E402

SEED_PHRASE = "satupintu golden vectors: TEST ONLY, never a real signing key"
KEY_FILE = "test-only-ed25519.pem"
NIP = "198503152010011012"
SALT = bytes.fromhex("a1" * 8 + "5e" * 8)  # 16 bytes, as issuing draws them
DOCUMENT_ID = uuid.UUID("3f2b8c1e-9a4d-4e7f-8b6a-1c2d3e4f5a6b")
SUPERSEDED_ID = "0c9e4d2a-7b1f-4a3e-9d8c-6f5e4d3c2b1a"
PUBLIC_URL = "https://verifikasi.bpsdm.example/"  # as typed in SATUPINTU_PUBLIC_URL
FILE_SHA256 = hashlib.sha256(b"golden vector: stands for the bytes of an issued PDF").hexdigest()


def test_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(hashlib.sha256(SEED_PHRASE.encode()).digest())


def record(kid: str) -> DocumentRecord:
    """A record as ``Registry`` builds one: every field set, a non-ASCII name, a superseded id."""
    return DocumentRecord(
        id=str(DOCUMENT_ID),
        number="00007/STTP/BPSDM/2026",
        type="sttp",
        holder_name="Dr. Siti Rahmawati Nurhayatí, S.Kom., M.T.",
        holder_nip_commitment=nip_commitment(NIP, SALT),
        title="Pelatihan Teknis Pengelolaan Arsip",
        path="pelatihan_teknis",
        scope="nasional",
        jp="28.8",
        start_date="2026-11-23",
        end_date="2026-11-27",
        issuer="BPSDM Provinsi Contoh",
        unit_code="DPUPR",
        issued_at="2026-11-30T02:30:00Z",
        kid=kid,
        supersedes=SUPERSEDED_ID,
    )


def main() -> None:
    private_key = test_key()
    key = SigningKey.from_private_key(private_key)
    (HERE / KEY_FILE).write_bytes(
        private_key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    )
    the_record = record(key.kid)
    record_bytes = the_record.canonical_bytes()
    (HERE / "record.bin").write_bytes(record_bytes)
    (HERE / "record.sig").write_bytes(key.sign(record_bytes).value)
    token = issue_token(DOCUMENT_ID, key)
    attestation = file_attestation_bytes(DOCUMENT_ID, FILE_SHA256, "application/pdf")
    (HERE / "file-attestation.bin").write_bytes(attestation)
    (HERE / "file-attestation.sig").write_bytes(key.sign(attestation).value)
    vectors = {
        "about": "Golden vectors of the signed formats; see make_vectors.py before changing.",
        "key": {
            "private_key_file": KEY_FILE,
            "seed_phrase": SEED_PHRASE,
            "kid": key.kid,
            "jwk": public_jwk(private_key.public_key()),
        },
        "nip_commitment": {
            "nip": NIP,
            "salt_hex": SALT.hex(),
            "commitment": nip_commitment(NIP, SALT),
        },
        "record": {
            "fields": asdict(the_record),
            "canonical_file": "record.bin",
            "signature_file": "record.sig",
        },
        "token": {"document_id": str(DOCUMENT_ID), "token": token},
        "verify_url": {"public_url": PUBLIC_URL, "url": verify_url(PUBLIC_URL, token)},
        "file_attestation": {
            "document_id": str(DOCUMENT_ID),
            "sha256": FILE_SHA256,
            "media_type": "application/pdf",
            "canonical_file": "file-attestation.bin",
            "signature_file": "file-attestation.sig",
        },
    }
    text = json.dumps(vectors, indent=2, ensure_ascii=False) + "\n"
    (HERE / "vectors.json").write_text(text, encoding="utf-8")
    print(f"ditulis: {HERE}")


if __name__ == "__main__":
    main()
