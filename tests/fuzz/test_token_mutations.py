"""Any single change to a token, a signed record or a signature makes it fail, one way.

Pure: the domain's token and signing code, with the test-only golden key; no database, no server.
Base64url of the 81 token bytes has no spare bits, so every changed character changes the bytes
(or is not base64url at all), and every changed byte breaks the Ed25519 signature or the version.
"""

from __future__ import annotations

import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from registry.domain.encoding import b64url_decode, b64url_encode
from registry.domain.errors import VerificationError
from registry.domain.records import file_attestation_bytes
from registry.domain.signing import SigningKey, key_id, verify_signature
from registry.domain.tokens import TOKEN_LENGTH, issue_token, verify_token
from tests.support.golden import golden

KEY = SigningKey.from_private_key(golden().private_key)
PUBLIC = KEY.private_key.public_key()
KEYS = {key_id(PUBLIC): PUBLIC}
EXAMPLES = settings(max_examples=400, derandomize=True, database=None)

document_ids = st.uuids(version=4)
#: Characters a typo, a bad scanner or an attacker would put in: base64url's own, its
#: look-alikes in standard base64, padding, whitespace, and any other code point.
replacements = st.one_of(
    st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/= \n"),
    st.characters(),
)


def _invalid(token: str) -> VerificationError:
    with pytest.raises(VerificationError) as refused:
        verify_token(token, KEYS)
    return refused.value


def test_an_untouched_token_verifies() -> None:
    document_id = uuid.uuid4()
    token = issue_token(document_id, KEY)
    assert len(token) == TOKEN_LENGTH
    assert verify_token(token, KEYS).document_id == document_id


@given(document_ids, st.data())
@EXAMPLES
def test_every_single_character_change_is_invalid(
    document_id: uuid.UUID, data: st.DataObject
) -> None:
    token = issue_token(document_id, KEY)
    position = data.draw(st.integers(0, TOKEN_LENGTH - 1))
    char = data.draw(replacements.filter(lambda c: c != token[position]))
    _invalid(token[:position] + char + token[position + 1 :])


@given(document_ids, st.data())
@EXAMPLES
def test_every_inserted_or_deleted_character_is_invalid(
    document_id: uuid.UUID, data: st.DataObject
) -> None:
    token = issue_token(document_id, KEY)
    position = data.draw(st.integers(0, TOKEN_LENGTH - 1))
    if data.draw(st.booleans()):
        mutated = token[:position] + data.draw(replacements) + token[position:]
    else:
        mutated = token[:position] + token[position + 1 :]
    assert _invalid(mutated).reason == "malformed"


@given(document_ids, st.data())
@EXAMPLES
def test_every_single_byte_change_is_invalid(document_id: uuid.UUID, data: st.DataObject) -> None:
    raw = bytearray(b64url_decode(issue_token(document_id, KEY)))
    position = data.draw(st.integers(0, len(raw) - 1))
    raw[position] ^= data.draw(st.integers(1, 255))
    refused = _invalid(b64url_encode(bytes(raw)))
    assert refused.reason in ("bad_signature", "unsupported_version")


@given(
    st.binary(min_size=1, max_size=300),
    st.data(),
)
@EXAMPLES
def test_every_single_byte_change_to_signed_bytes_or_signature_fails(
    message: bytes, data: st.DataObject
) -> None:
    signature = bytearray(KEY.sign(message).value)
    verify_signature(PUBLIC, message, bytes(signature))
    if data.draw(st.booleans()):
        changed = bytearray(message)
        changed[data.draw(st.integers(0, len(changed) - 1))] ^= data.draw(st.integers(1, 255))
        message = bytes(changed)
    else:
        signature[data.draw(st.integers(0, len(signature) - 1))] ^= data.draw(st.integers(1, 255))
    with pytest.raises(VerificationError):
        verify_signature(PUBLIC, message, bytes(signature))


@given(document_ids, st.binary(min_size=32, max_size=32), st.data())
@EXAMPLES
def test_a_file_attestation_names_one_exact_file(
    document_id: uuid.UUID, digest: bytes, data: st.DataObject
) -> None:
    signed = file_attestation_bytes(document_id, digest.hex(), "application/pdf")
    signature = KEY.sign(signed).value
    other = bytearray(digest)
    other[data.draw(st.integers(0, 31))] ^= data.draw(st.integers(1, 255))
    with pytest.raises(VerificationError):
        verify_signature(
            PUBLIC, file_attestation_bytes(document_id, other.hex(), "application/pdf"), signature
        )
