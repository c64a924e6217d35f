"""The QR token: exact form, tamper evidence, key rotation and the size of the printed QR."""

from __future__ import annotations

import string
import uuid

import pytest
import qrcode
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from hypothesis import given, settings
from hypothesis import strategies as st

from registry.domain.encoding import b64url_decode, b64url_encode
from registry.domain.errors import VerificationError
from registry.domain.signing import SigningKey
from registry.domain.tokens import TOKEN_LENGTH, issue_token, token_message, verify_token

ALPHABET = string.ascii_uppercase + string.ascii_lowercase + string.digits + "-_"
REJECT_REASONS = {"malformed", "unsupported_version", "bad_signature"}

KEY = SigningKey.from_private_key(Ed25519PrivateKey.generate())
OLD_KEY = SigningKey.from_private_key(Ed25519PrivateKey.generate())
DOCUMENT_ID = uuid.UUID("3f2b8c1e-9a4d-4e7f-8b6a-1c2d3e4f5a6b")
TOKEN = issue_token(DOCUMENT_ID, KEY)


def public_keys(*keys: SigningKey) -> dict[str, Ed25519PublicKey]:
    return {key.kid: key.private_key.public_key() for key in keys}


def rejected(token: str, keys: dict[str, Ed25519PublicKey] | None = None) -> str:
    with pytest.raises(VerificationError) as caught:
        verify_token(token, public_keys(KEY) if keys is None else keys)
    assert caught.value.reason in REJECT_REASONS
    return caught.value.reason


def replace_at(token: str, position: int, char: str) -> str:
    return token[:position] + char + token[position + 1 :]


# --- the round trip ---------------------------------------------------------------------------


def test_round_trip_returns_document_id_and_kid() -> None:
    verified = verify_token(TOKEN, public_keys(KEY))
    assert verified.document_id == DOCUMENT_ID
    assert verified.kid == KEY.kid


def test_token_is_108_url_safe_characters() -> None:
    assert TOKEN_LENGTH == 108
    assert len(TOKEN) == 108
    assert set(TOKEN) <= set(ALPHABET)
    assert TOKEN[0] == "A"  # version byte 0x01: its top six bits are zero


def test_token_is_deterministic_for_one_key_and_document() -> None:
    # Ed25519 is deterministic: reissuing the QR for the same document gives the same token.
    assert issue_token(DOCUMENT_ID, KEY) == TOKEN
    assert issue_token(DOCUMENT_ID, OLD_KEY) != TOKEN


def test_token_for_another_document_does_not_verify_as_this_one() -> None:
    other = issue_token(uuid.uuid4(), KEY)
    assert verify_token(other, public_keys(KEY)).document_id != DOCUMENT_ID


def test_signature_is_bound_to_the_domain_separated_message() -> None:
    message = token_message(DOCUMENT_ID)
    assert message.startswith(b"satupintu/token/v1\x00\x01")
    assert message.endswith(DOCUMENT_ID.bytes)


# --- tampering --------------------------------------------------------------------------------


def test_every_single_character_substitution_is_rejected() -> None:
    reasons: set[str] = set()
    checked = 0
    for position, original in enumerate(TOKEN):
        others = [char for char in ALPHABET if char != original]
        # Spread the replacements over the alphabet: neighbours, the far end, and '-'/'_'.
        index = ALPHABET.index(original)
        picks = {
            ALPHABET[(index + 1) % 64],
            ALPHABET[(index + 32) % 64],
            ALPHABET[(index + 63) % 64],
            "-" if original != "-" else "_",
        }
        assert len(picks) >= 3
        for char in sorted(picks):
            assert char in others
            reasons.add(rejected(replace_at(TOKEN, position, char)))
            checked += 1
    assert checked >= 3 * TOKEN_LENGTH
    # Position 0 carries the version, the rest the id and signature.
    assert {"unsupported_version", "bad_signature"} <= reasons


def test_version_character_substitution_is_unsupported_version() -> None:
    for char in "BCZaz09-_":
        assert rejected(replace_at(TOKEN, 0, char)) == "unsupported_version"


@pytest.mark.parametrize("position", [0, 1, 21, 22, 53, 106, 107])
@pytest.mark.parametrize("char", [".", "+", "/", "=", " ", "\n"])
def test_non_alphabet_character_is_malformed(position: int, char: str) -> None:
    assert rejected(replace_at(TOKEN, position, char)) == "malformed"


@settings(max_examples=300)
@given(
    position=st.integers(min_value=0, max_value=TOKEN_LENGTH - 1),
    char=st.one_of(st.sampled_from(ALPHABET), st.characters()),
)
def test_any_substitution_is_rejected(position: int, char: str) -> None:
    if char == TOKEN[position]:
        char = ALPHABET[(ALPHABET.index(char) + 1) % 64]
    rejected(replace_at(TOKEN, position, char))


@pytest.mark.parametrize(
    "token",
    [
        pytest.param("", id="empty"),
        pytest.param(TOKEN[:-1], id="truncated-by-one"),
        pytest.param(TOKEN[:-4], id="truncated-to-whole-quantum"),
        pytest.param(TOKEN[:22], id="header-only"),
        pytest.param(TOKEN + "A", id="extended-by-one"),
        pytest.param(TOKEN + "AAAA", id="extended-by-quantum"),
        pytest.param(TOKEN + "==", id="padded"),
        pytest.param(TOKEN[:-1] + "é", id="non-ascii-latin"),
        pytest.param(TOKEN[:-1] + "٣", id="arabic-indic-digit"),
        pytest.param(TOKEN[:-1] + "Ａ", id="fullwidth-letter"),
        pytest.param("\x00" * TOKEN_LENGTH, id="nul"),
        pytest.param("A" * TOKEN_LENGTH, id="right-length-all-zero"),
        pytest.param(" " + TOKEN[1:], id="leading-space"),
        pytest.param(TOKEN[1:] + "A", id="shifted"),
    ],
)
def test_malformed_tokens_raise_verification_error_only(token: str) -> None:
    # pytest.raises lets ValueError, TypeError, IndexError, binascii.Error propagate: they fail.
    rejected(token)


def test_signature_from_another_document_is_rejected() -> None:
    other = b64url_decode(issue_token(uuid.uuid4(), KEY))
    mine = b64url_decode(TOKEN)
    spliced = b64url_encode(mine[:17] + other[17:])  # keep version + id, swap the signature
    assert len(spliced) == TOKEN_LENGTH
    assert rejected(spliced) == "bad_signature"


# --- keys -------------------------------------------------------------------------------------


def test_token_from_an_unknown_key_is_rejected_until_the_key_is_published() -> None:
    token = issue_token(DOCUMENT_ID, OLD_KEY)
    assert rejected(token, public_keys(KEY)) == "bad_signature"
    assert rejected(token, {}) == "bad_signature"
    verified = verify_token(token, public_keys(KEY, OLD_KEY))
    assert verified.kid == OLD_KEY.kid
    assert verified.document_id == DOCUMENT_ID


def test_rotation_old_tokens_verify_and_report_the_old_kid() -> None:
    third = SigningKey.from_private_key(Ed25519PrivateKey.generate())
    keys = public_keys(third, KEY, OLD_KEY)  # newest first: the old key is tried last
    old_id, new_id = uuid.uuid4(), uuid.uuid4()
    old_token = issue_token(old_id, OLD_KEY)
    new_token = issue_token(new_id, third)
    assert verify_token(old_token, keys).kid == OLD_KEY.kid
    assert verify_token(old_token, keys).document_id == old_id
    assert verify_token(new_token, keys).kid == third.kid
    assert verify_token(new_token, keys).document_id == new_id


# --- unguessability ---------------------------------------------------------------------------


def test_tokens_for_two_documents_share_nothing_but_the_version() -> None:
    first = issue_token(uuid.uuid4(), KEY)
    second = issue_token(uuid.uuid4(), KEY)
    assert first[0] == second[0] == "A"
    differing = sum(a != b for a, b in zip(first[1:], second[1:], strict=True))
    # Independent random characters differ with probability 63/64: ~105 of 107.
    assert differing >= 80
    # No shared prefix after the version character beyond a couple of chance matches.
    shared = next(
        (i for i, (a, b) in enumerate(zip(first[1:], second[1:], strict=True)) if a != b), 107
    )
    assert shared <= 3


# --- QR size ----------------------------------------------------------------------------------


def qr_version(data: str) -> int:
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_Q)
    qr.add_data(data)
    qr.make(fit=True)
    version: int = qr.version
    return version


def test_verification_url_fits_qr_version_10_at_level_q() -> None:
    base = "https://verifikasi.bpsdm.go.id"
    assert len(base) == 30
    url = f"{base}/v/{TOKEN}"
    assert len(url) == 30 + 3 + 108
    assert qr_version(url) <= 10


def test_default_public_url_fits_qr_version_10_at_level_q() -> None:
    url = f"http://127.0.0.1:8000/v/{TOKEN}"
    version = qr_version(url)
    assert version <= 10
    # The measurement is meaningful: a much longer URL does not fit the same version.
    assert qr_version(f"https://{'x' * 60}.go.id/v/{TOKEN}") > version
