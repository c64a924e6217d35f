"""A document printed long ago, signed by the golden test key, still verifies over HTTP.

The golden vectors (tests/assets/golden) stand for paper in circulation: their token is in a QR,
their record and file attestation were signed under a key the registry still publishes. This
drives the whole public path (route, token check, record signature, file attestation, NIP check)
with those exact bytes, so a change anywhere on it that would strand printed QR codes fails here.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlsplit

import pytest
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from litestar.testing import TestClient

from registry.adapters.db.schema import Document, DocumentFile
from registry.domain.encoding import b64url_decode
from registry.domain.signing import public_jwk
from registry.settings import Settings
from registry.usecases.issuing import Registry
from tests.support.golden import BREAKS_PAPER, golden

GOLDEN = golden()
VECTORS = GOLDEN.vectors
TOKEN = VECTORS["token"]["token"]
FIELDS = VECTORS["record"]["fields"]
CLIENT = "192.0.2.1"


@pytest.fixture
def printed(registry: Registry) -> Registry:
    """The registry publishes the golden key and holds the document it signed."""
    public_key = GOLDEN.private_key.public_key()
    kid = VECTORS["key"]["kid"]
    (registry.keyring.keys_dir / f"{kid}.pub").write_bytes(
        public_key.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    )
    attestation = VECTORS["file_attestation"]
    issued_at = datetime(2026, 11, 30, 2, 30, tzinfo=UTC)
    with registry.db.writing() as session:
        session.add(
            Document(
                id=uuid.UUID(FIELDS["id"]),
                series_id="sttp",
                year=2026,
                seq=7,
                number=FIELDS["number"],
                type=FIELDS["type"],
                status="issued",
                unit_code=FIELDS["unit_code"],
                nip=VECTORS["nip_commitment"]["nip"],
                employment="pns",
                nip_salt=bytes.fromhex(VECTORS["nip_commitment"]["salt_hex"]),
                holder_name=FIELDS["holder_name"],
                title=FIELDS["title"],
                path=FIELDS["path"],
                scope=FIELDS["scope"],
                start_date=date.fromisoformat(FIELDS["start_date"]),
                end_date=date.fromisoformat(FIELDS["end_date"]),
                jp=FIELDS["jp"],
                credited_jp=FIELDS["jp"],
                jp_rules="tangsel-2022",
                issuer=FIELDS["issuer"],
                issued_at=issued_at,
                created_by="arsip",
                kid=kid,
                record=GOLDEN.read(VECTORS["record"]["canonical_file"]),
                signature=GOLDEN.read(VECTORS["record"]["signature_file"]),
                token=TOKEN,
            )
        )
        session.flush()
        session.add(
            DocumentFile(
                document_id=uuid.UUID(attestation["document_id"]),
                kind="pdf",
                sha256=attestation["sha256"],
                size=1000,
                media_type=attestation["media_type"],
                kid=kid,
                signature=GOLDEN.read(attestation["signature_file"]),
                created_at=issued_at,
            )
        )
    return registry


def test_a_printed_qr_code_still_verifies(client: TestClient[Any], printed: Registry) -> None:
    result = client.get(f"/api/v1/verify/{TOKEN}").json()
    assert result["status"] == "valid", BREAKS_PAPER
    assert result["kid"] == VECTORS["key"]["kid"]
    assert b64url_decode(result["signed"]) == GOLDEN.read(VECTORS["record"]["canonical_file"])
    assert b64url_decode(result["signature"]) == GOLDEN.read(VECTORS["record"]["signature_file"])
    attestation = VECTORS["file_attestation"]
    assert b64url_decode(result["file_signed"]) == GOLDEN.read(attestation["canonical_file"]), (
        BREAKS_PAPER
    )
    assert b64url_decode(result["file_signature"]) == GOLDEN.read(attestation["signature_file"])
    jwks = client.get("/.well-known/jwks.json").json()["keys"]
    assert public_jwk(GOLDEN.private_key.public_key()) in jwks


def test_the_printed_url_opens_the_verification_page(
    client: TestClient[Any], printed: Registry
) -> None:
    url = urlsplit(VECTORS["verify_url"]["url"])
    page = client.get(url.path)
    assert page.status_code == 200, BREAKS_PAPER
    assert "SAH" in page.text and FIELDS["number"] in page.text
    confirm = client.post(f"{url.path}/nip", data={"nip": VECTORS["nip_commitment"]["nip"]})
    assert confirm.status_code == 200
    # The NIP typed from paper matches the commitment signed into the golden record.
    assert printed.confirm_nip(TOKEN, VECTORS["nip_commitment"]["nip"], client=CLIENT) == "match", (
        BREAKS_PAPER
    )
    assert printed.confirm_nip(TOKEN, "198503152010011013", client=CLIENT) == "no_match"


def test_the_registry_prints_the_golden_url_for_the_golden_setting(
    printed: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    public_url = Settings.from_env({"SATUPINTU_PUBLIC_URL": VECTORS["verify_url"]["public_url"]})
    monkeypatch.setattr(
        printed, "settings", replace(printed.settings, public_url=public_url.public_url)
    )
    assert printed.verify_url(TOKEN) == VECTORS["verify_url"]["url"], BREAKS_PAPER
