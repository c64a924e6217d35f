"""Byte encodings shared by tokens, records and the JWKS: strict base64url and canonical JSON."""

from __future__ import annotations

import base64
import json
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

_B64URL_ALPHABET = re.compile(r"\A[A-Za-z0-9_-]*\Z")


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Decode unpadded base64url, refusing every non-canonical spelling.

    Python's decoder ignores the spare low bits of the last character, so two different strings can
    decode to the same bytes; a verifier that accepted both would let a tampered token pass. We
    re-encode and insist on the exact input.
    """
    if not _B64URL_ALPHABET.match(text) or len(text) % 4 == 1:
        raise ValueError("not base64url")
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if b64url_encode(data) != text:
        raise ValueError("non-canonical base64url")
    return data


def canonical_json(value: Mapping[str, Any]) -> bytes:
    """Deterministic JSON: sorted keys, no whitespace, UTF-8, strings in Unicode NFC.

    Only strings, integers, booleans, None, lists and objects are allowed: decimals travel as
    strings so that every implementation produces the same bytes.
    """
    return json.dumps(
        _normalise(value),
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
    ).encode("utf-8")


def _normalise(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, bool) or value is None or isinstance(value, int):
        return value
    if isinstance(value, Mapping):
        return {
            unicodedata.normalize("NFC", str(key)): _normalise(item) for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [_normalise(item) for item in value]
    raise TypeError(f"canonical JSON does not carry {type(value).__name__}")
