"""Canonical record bytes, NIP commitments, Ed25519 primitives and the strict encodings."""

from __future__ import annotations

import base64
import hashlib
import unicodedata
import uuid
from dataclasses import replace

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from registry.domain.encoding import b64url_decode, b64url_encode, canonical_json
from registry.domain.errors import VerificationError
from registry.domain.records import (
    DocumentRecord,
    file_attestation_bytes,
    nip_commitment,
    nip_matches,
)
from registry.domain.signing import SigningKey, key_id, public_jwk, verify_signature
from tests.support.golden import golden

NIP = "198503152010011012"
BIRTH_DATE = "19850315"
SALT = bytes.fromhex("5a" * 32)
NAME_NFC = unicodedata.normalize("NFC", "Siti Ṛahmawati Nurhayatí Gökçe")
NAME_NFD = unicodedata.normalize("NFD", NAME_NFC)
# The golden test key: a fixed kid, so the expected record bytes below can be written out.
PRIVATE_KEY = golden().private_key
KEY = SigningKey.from_private_key(PRIVATE_KEY)


def make_record(**changes: object) -> DocumentRecord:
    record = DocumentRecord(
        id="3f2b8c1e-9a4d-4e7f-8b6a-1c2d3e4f5a6b",
        number="00007/STTP/BPSDM/2026",
        type="sttp",
        holder_name=NAME_NFC,
        holder_nip_commitment=nip_commitment(NIP, SALT),
        title="Pelatihan Teknis Pengelolaan Arsip",
        path="pelatihan_teknis",
        scope="nasional",
        jp="8",
        start_date="2026-03-02",
        end_date="2026-03-03",
        issuer="BPSDM Provinsi DKI Jakarta",
        unit_code=None,
        issued_at="2026-03-04T09:30:00+07:00",
        kid=KEY.kid,
    )
    return replace(record, **changes)  # type: ignore[arg-type]


# --- canonical record bytes -------------------------------------------------------------------


def test_canonical_bytes_are_deterministic() -> None:
    assert make_record().canonical_bytes() == make_record().canonical_bytes()
    assert make_record().canonical_bytes() != make_record(jp="9").canonical_bytes()


def test_canonical_bytes_are_sorted_compact_utf8_json() -> None:
    # Keys sorted, no whitespace, UTF-8 (no \\u escapes), nulls kept, the NIP only as a commitment.
    assert (
        make_record().canonical_bytes()
        == (
            '{"end_date":"2026-03-03","holder_name":"Siti Ṛahmawati Nurhayatí Gökçe",'
            '"holder_nip_commitment":"d7c369f56c5f9e69ad9791dc9a32354ae664146df7c4cf4928f3a3964ce7ff2a",'
            '"id":"3f2b8c1e-9a4d-4e7f-8b6a-1c2d3e4f5a6b","issued_at":"2026-03-04T09:30:00+07:00",'
            '"issuer":"BPSDM Provinsi DKI Jakarta","jp":"8",'
            '"kid":"WFalc3eedH0dZx4IGbV36nvVFKPkqKF4v_21rhEoCyE","kind":"document",'
            '"number":"00007/STTP/BPSDM/2026","path":"pelatihan_teknis","scope":"nasional",'
            '"start_date":"2026-03-02","supersedes":null,'
            '"title":"Pelatihan Teknis Pengelolaan Arsip","type":"sttp","unit_code":null,"v":1}'
        ).encode()
    )
    assert NAME_NFC.encode("utf-8") in make_record().canonical_bytes()


def test_canonical_bytes_normalise_names_to_nfc() -> None:
    assert NAME_NFD != NAME_NFC
    nfd = make_record(holder_name=NAME_NFD).canonical_bytes()
    assert nfd == make_record().canonical_bytes()
    assert NAME_NFD.encode("utf-8") not in nfd


def test_canonical_bytes_carry_no_nip_and_no_birth_date() -> None:
    data = make_record().canonical_bytes()
    assert NIP.encode() not in data
    assert BIRTH_DATE.encode() not in data
    assert NIP[8:].encode() not in data  # the part the masked NIP shows
    assert nip_commitment(NIP, SALT).encode() in data


def test_file_attestation_bytes_are_canonical() -> None:
    document_id = uuid.UUID("3f2b8c1e-9a4d-4e7f-8b6a-1c2d3e4f5a6b")
    assert file_attestation_bytes(document_id, "ab" * 32, "application/pdf") == (
        b'{"document_id":"3f2b8c1e-9a4d-4e7f-8b6a-1c2d3e4f5a6b","kind":"file",'
        b'"media_type":"application/pdf","sha256":"' + b"ab" * 32 + b'","v":1}'
    )


# --- NIP commitment ---------------------------------------------------------------------------


def test_nip_commitment_depends_on_salt_and_nip() -> None:
    commitment = nip_commitment(NIP, SALT)
    assert len(commitment) == 64
    int(commitment, 16)
    assert commitment == nip_commitment(NIP, SALT)
    assert commitment != nip_commitment(NIP, bytes(32))
    assert commitment != nip_commitment(NIP, SALT[:-1] + b"\x5b")
    assert commitment != nip_commitment("198503152010011013", SALT)
    # Not a bare hash of the NIP: the salt and a domain separator are in it.
    assert commitment != hashlib.sha256(NIP.encode()).hexdigest()
    assert commitment != hashlib.sha256(SALT + NIP.encode()).hexdigest()


def test_nip_matches() -> None:
    commitment = nip_commitment(NIP, SALT)
    assert nip_matches(NIP, SALT, commitment)
    assert not nip_matches("198503152010011013", SALT, commitment)
    assert not nip_matches(NIP, bytes(32), commitment)
    assert not nip_matches(NIP[:-1], SALT, commitment)


# --- signing ----------------------------------------------------------------------------------


def flip_bit(data: bytes, index: int) -> bytes:
    return (
        data[: index // 8] + bytes([data[index // 8] ^ (1 << (index % 8))]) + data[index // 8 + 1 :]
    )


def test_sign_verify_round_trip() -> None:
    message = make_record().canonical_bytes()
    signature = KEY.sign(message)
    assert signature.kid == KEY.kid
    assert len(signature.value) == 64
    verify_signature(PRIVATE_KEY.public_key(), message, signature.value)


@pytest.mark.parametrize("bit", [0, 7, 8, 100, 255, 511])
def test_flipped_signature_bit_is_rejected(bit: int) -> None:
    message = b"satupintu"
    signature = KEY.sign(message).value
    with pytest.raises(VerificationError) as caught:
        verify_signature(PRIVATE_KEY.public_key(), message, flip_bit(signature, bit))
    assert caught.value.reason == "bad_signature"


@pytest.mark.parametrize("bit", [0, 9, 71])
def test_flipped_message_bit_is_rejected(bit: int) -> None:
    message = b"satupintu"
    signature = KEY.sign(message).value
    with pytest.raises(VerificationError) as caught:
        verify_signature(PRIVATE_KEY.public_key(), flip_bit(message, bit), signature)
    assert caught.value.reason == "bad_signature"


@pytest.mark.parametrize("signature", [b"", b"\x00" * 63, b"\x00" * 65, b"\x00" * 64])
def test_malformed_signature_is_a_verification_error(signature: bytes) -> None:
    with pytest.raises(VerificationError):
        verify_signature(PRIVATE_KEY.public_key(), b"satupintu", signature)


def test_signature_by_another_key_is_rejected() -> None:
    other = Ed25519PrivateKey.generate()
    with pytest.raises(VerificationError):
        verify_signature(other.public_key(), b"satupintu", KEY.sign(b"satupintu").value)


def test_key_id_is_the_rfc7638_thumbprint() -> None:
    raw = PRIVATE_KEY.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    x = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    members = '{"crv":"Ed25519","kty":"OKP","x":"' + x + '"}'
    expected = base64.urlsafe_b64encode(hashlib.sha256(members.encode()).digest())
    assert key_id(PRIVATE_KEY.public_key()) == expected.decode().rstrip("=")
    assert KEY.kid == expected.decode().rstrip("=")
    assert len(KEY.kid) == 43


def test_public_jwk() -> None:
    jwk = public_jwk(PRIVATE_KEY.public_key())
    assert jwk["kty"] == "OKP"
    assert jwk["crv"] == "Ed25519"
    assert jwk["kid"] == KEY.kid
    assert jwk["alg"] == "EdDSA"
    assert jwk["use"] == "sig"
    x = b64url_decode(jwk["x"])
    assert len(x) == 32
    assert x == PRIVATE_KEY.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    assert "d" not in jwk


def test_signing_key_repr_has_no_private_material() -> None:
    raw = PRIVATE_KEY.private_bytes_raw()
    text = repr(KEY)
    assert KEY.kid in text
    for spelling in (raw.hex(), b64url_encode(raw), base64.b64encode(raw).decode(), str(raw)):
        assert spelling not in text
    assert "private" not in text.lower()
    assert str(KEY) == text


# --- encodings --------------------------------------------------------------------------------


def test_b64url_round_trip() -> None:
    for length in range(0, 40):
        data = bytes(range(256))[length : length * 2]
        assert b64url_decode(b64url_encode(data)) == data


def test_b64url_refuses_non_canonical_spellings() -> None:
    assert b64url_decode("AA") == b"\x00"
    refused = 0
    for char in "ABCDEFGHIJKLMNOP":  # the 2nd char of a 1-byte value keeps only 2 bits
        if char == "A":
            continue
        with pytest.raises(ValueError, match="non-canonical"):
            b64url_decode("A" + char)
        refused += 1
    assert refused == 15
    assert b64url_decode("AAA") == b"\x00\x00"
    with pytest.raises(ValueError, match="non-canonical"):
        b64url_decode("AAB")  # 2-byte value: 2 spare bits


@pytest.mark.parametrize(
    "text",
    ["A", "AAAAA", "AA==", "AA=", "+/8", "a/b", "a+b", "AA AA", "AA\n", "é", "٣٣", "ＡＡ", "A.A"],
)
def test_b64url_refuses_bad_alphabet_and_lengths(text: str) -> None:
    with pytest.raises(ValueError, match="base64url"):
        b64url_decode(text)


def test_canonical_json_refuses_floats() -> None:
    with pytest.raises(TypeError):
        canonical_json({"jp": 1.5})
    with pytest.raises(TypeError):
        canonical_json({"nested": [1, {"x": float("nan")}]})
    assert canonical_json({"jp": "1.5", "n": 2, "ok": True, "none": None}) == (
        b'{"jp":"1.5","n":2,"none":null,"ok":true}'
    )


def test_canonical_json_normalises_keys_too() -> None:
    key_nfc = unicodedata.normalize("NFC", "é")
    key_nfd = unicodedata.normalize("NFD", "é")
    assert canonical_json({key_nfd: 1}) == canonical_json({key_nfc: 1})
