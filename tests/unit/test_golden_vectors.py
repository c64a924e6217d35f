"""Golden vectors: the signed formats recomputed from a fixed key and fixed inputs, byte for byte.

Each QR code printed on paper carries a token and each record carries a signature over its exact
bytes. If a refactor changes either by one byte, documents already handed out stop verifying, and
a test that generates its key at import would not notice. These tests compare with files written
once by ``tests/assets/golden/make_vectors.py``.
"""

from __future__ import annotations

import unicodedata
import uuid
from dataclasses import fields, replace
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from registry.adapters.keystore import KeyRing
from registry.domain.errors import VerificationError
from registry.domain.records import DocumentRecord, file_attestation_bytes, nip_commitment
from registry.domain.signing import SigningKey, key_id, public_jwk, verify_signature
from registry.domain.tokens import issue_token, verify_token, verify_url
from registry.settings import Settings
from tests.support.golden import BREAKS_PAPER, golden

GOLDEN = golden()
VECTORS = GOLDEN.vectors
KEY = SigningKey.from_private_key(GOLDEN.private_key)
PUBLIC_KEY = GOLDEN.private_key.public_key()
DOCUMENT_ID = uuid.UUID(VECTORS["token"]["document_id"])


def golden_record() -> DocumentRecord:
    return DocumentRecord(**VECTORS["record"]["fields"])


# --- the key ----------------------------------------------------------------------------------


def test_the_key_id_is_the_stored_rfc7638_thumbprint() -> None:
    assert key_id(PUBLIC_KEY) == VECTORS["key"]["kid"], BREAKS_PAPER
    assert KEY.kid == "WFalc3eedH0dZx4IGbV36nvVFKPkqKF4v_21rhEoCyE", BREAKS_PAPER
    assert public_jwk(PUBLIC_KEY) == VECTORS["key"]["jwk"], BREAKS_PAPER


def test_the_key_ring_loads_the_test_key_under_its_stored_kid(tmp_path: Path) -> None:
    """Key files are named by kid: a changed thumbprint would make every keys dir unreadable."""
    kid = VECTORS["key"]["kid"]
    (tmp_path / f"{kid}.pub").write_bytes(
        PUBLIC_KEY.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    )
    public_keys = KeyRing(tmp_path).public_keys()
    assert list(public_keys) == [kid]
    verified = verify_token(VECTORS["token"]["token"], public_keys)
    assert (verified.document_id, verified.kid) == (DOCUMENT_ID, kid)


# --- the canonical record ---------------------------------------------------------------------


def test_record_fields_are_exactly_the_stored_ones() -> None:
    """A new, renamed or dropped field changes the signed bytes of every new record."""
    assert [f.name for f in fields(DocumentRecord)] == list(VECTORS["record"]["fields"])


def test_nip_commitment_is_the_stored_one() -> None:
    vector = VECTORS["nip_commitment"]
    commitment = nip_commitment(vector["nip"], bytes.fromhex(vector["salt_hex"]))
    assert commitment == vector["commitment"], BREAKS_PAPER
    assert golden_record().holder_nip_commitment == commitment


def test_canonical_record_bytes_are_the_stored_ones() -> None:
    expected = GOLDEN.read(VECTORS["record"]["canonical_file"])
    assert golden_record().canonical_bytes() == expected, BREAKS_PAPER
    assert golden_record().kid == KEY.kid


def test_canonical_record_bytes_do_not_depend_on_unicode_spelling() -> None:
    record = golden_record()
    decomposed = replace(record, holder_name=unicodedata.normalize("NFD", record.holder_name))
    assert decomposed.holder_name != record.holder_name
    assert decomposed.canonical_bytes() == GOLDEN.read(VECTORS["record"]["canonical_file"])


def test_record_signature_is_the_stored_one_and_verifies() -> None:
    record_bytes = GOLDEN.read(VECTORS["record"]["canonical_file"])
    signature = GOLDEN.read(VECTORS["record"]["signature_file"])
    verify_signature(PUBLIC_KEY, record_bytes, signature)
    # Ed25519 is deterministic (RFC 8032): the same key and bytes give the same signature.
    assert KEY.sign(golden_record().canonical_bytes()).value == signature, BREAKS_PAPER


# --- the QR token and URL ---------------------------------------------------------------------


def test_token_is_the_stored_one() -> None:
    assert issue_token(DOCUMENT_ID, KEY) == VECTORS["token"]["token"], BREAKS_PAPER


def test_stored_token_verifies_with_the_public_key() -> None:
    verified = verify_token(VECTORS["token"]["token"], {KEY.kid: PUBLIC_KEY})
    assert verified.document_id == DOCUMENT_ID
    assert verified.kid == VECTORS["key"]["kid"]


def test_stored_token_is_refused_by_another_key() -> None:
    other = Ed25519PrivateKey.generate().public_key()
    with pytest.raises(VerificationError):
        verify_token(VECTORS["token"]["token"], {key_id(other): other})


def test_qr_url_for_the_configured_public_url_is_the_stored_one() -> None:
    vector = VECTORS["verify_url"]
    settings = Settings.from_env({"SATUPINTU_PUBLIC_URL": vector["public_url"]})
    assert verify_url(settings.public_url, VECTORS["token"]["token"]) == vector["url"], BREAKS_PAPER
    assert vector["url"] == (
        "https://verifikasi.bpsdm.example/v/AT8rjB6aTU5_i2ocLT5PWmvLekZaeKGqmy_HqphSJB5YZwThFto28"
        "rH4JkGCt8zNchjcIwshYZNZfOTLsay24Wkwci3I2TawjltdXgAzfe8E"
    )


# --- the file attestation ---------------------------------------------------------------------


def test_file_attestation_bytes_and_signature_are_the_stored_ones() -> None:
    vector = VECTORS["file_attestation"]
    data = file_attestation_bytes(
        uuid.UUID(vector["document_id"]), vector["sha256"], vector["media_type"]
    )
    assert data == GOLDEN.read(vector["canonical_file"]), BREAKS_PAPER
    signature = GOLDEN.read(vector["signature_file"])
    verify_signature(PUBLIC_KEY, data, signature)
    assert KEY.sign(data).value == signature, BREAKS_PAPER


def test_stored_signatures_do_not_verify_other_bytes() -> None:
    record_bytes = GOLDEN.read(VECTORS["record"]["canonical_file"])
    signature = GOLDEN.read(VECTORS["record"]["signature_file"])
    with pytest.raises(VerificationError):
        verify_signature(
            PUBLIC_KEY, record_bytes.replace(b'"jp":"28.8"', b'"jp":"28.9"'), signature
        )
    attestation_signature = GOLDEN.read(VECTORS["file_attestation"]["signature_file"])
    with pytest.raises(VerificationError):
        verify_signature(PUBLIC_KEY, record_bytes, attestation_signature)
