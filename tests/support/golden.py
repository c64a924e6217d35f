"""The golden vectors of tests/assets/golden: a fixed test key and what it signed."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import load_pem_private_key

GOLDEN_DIR = Path(__file__).resolve().parents[1] / "assets" / "golden"
#: Said by every golden assertion: the fix is almost never to regenerate the vectors.
BREAKS_PAPER = (
    "a signed format changed: documents and QR codes already printed would stop verifying. "
    "Regenerate tests/assets/golden only for an intended, versioned change (see make_vectors.py)"
)


@dataclass(frozen=True)
class Golden:
    vectors: dict[str, Any]
    private_key: Ed25519PrivateKey

    def read(self, name: str) -> bytes:
        return (GOLDEN_DIR / name).read_bytes()


@cache
def golden() -> Golden:
    vectors = json.loads((GOLDEN_DIR / "vectors.json").read_text(encoding="utf-8"))
    pem = (GOLDEN_DIR / vectors["key"]["private_key_file"]).read_bytes()
    private_key = load_pem_private_key(pem, password=None)
    assert isinstance(private_key, Ed25519PrivateKey)
    return Golden(vectors=vectors, private_key=private_key)
