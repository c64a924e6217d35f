"""Public verification: the JSON answer, the QR page, the NIP check and the published key."""

from __future__ import annotations

import base64
import json
import re
import secrets
import shutil
import subprocess
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar.testing import TestClient

from api.app import create_app
from registry.adapters.db.schema import Document
from registry.domain.tokens import TOKEN_LENGTH, issue_token
from registry.domain.views import DocumentView
from registry.usecases.issuing import Registry
from tests.api.conftest import bearer, written_state
from tests.conftest import Keys
from tests.support.drafts import PNS_NIP, PPPK_NIP, body, draft

BIRTH_DATE = "19850315"
ED25519_SPKI_PREFIX = bytes.fromhex("302a300506032b6570032100")
TOKEN_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def token_of(document: DocumentView | dict[str, Any]) -> str:
    url = document.verify_url if isinstance(document, DocumentView) else document["verify_url"]
    token = url.rsplit("/", 1)[1]
    assert len(token) == TOKEN_LENGTH
    return token


@pytest.fixture
def issued(registry: Registry, api_keys: Keys) -> DocumentView:
    return registry.issue(draft(), api_keys.issuer.actor).document


def verify(client: TestClient[Any], token: str) -> dict[str, Any]:
    response = client.get(f"/api/v1/verify/{token}")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    result: dict[str, Any] = response.json()
    return result


def page(client: TestClient[Any], token: str) -> str:
    response = client.get(f"/v/{token}")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def headline(html: str) -> str:
    """The status word in the page's banner heading."""
    match = re.search(r"<h1[^>]*>\s*([^<]*?)\s*</h1>", html)
    assert match, html
    return match.group(1)


def confirm(client: TestClient[Any], token: str, nip: str) -> httpx.Response:
    response = client.post(f"/v/{token}/nip", data={"nip": nip})
    assert response.status_code == 200, response.text
    return response


# -- a valid document --------------------------------------------------------------------------


def test_valid_document_shows_only_the_masked_nip(
    client: TestClient[Any], issued: DocumentView
) -> None:
    token = token_of(issued)
    response = client.get(f"/api/v1/verify/{token}")
    result = response.json()
    assert result["status"] == "valid"
    assert result["document"]["nip_masked"] == "********2010011012"
    assert result["document"]["number"] == issued.number
    assert result["document"]["jp"] == "8"
    assert result["kid"] == issued.kid

    html = page(client, token)
    assert headline(html) == "SAH"
    assert "********2010011012" in html
    assert issued.number in html

    signed = b64url_decode(result["signed"])
    jwks = client.get("/.well-known/jwks.json")
    for where, text in {
        "verify JSON": response.text,
        "verify page": html,
        "signed record": signed.decode("utf-8"),
        "JWKS": jwks.text,
    }.items():
        assert PNS_NIP not in text, where
        assert BIRTH_DATE not in text, where
        assert "19850315 201001 1 012" not in text, where


def test_signed_record_describes_the_document(
    client: TestClient[Any], issued: DocumentView
) -> None:
    result = verify(client, token_of(issued))
    record = json.loads(b64url_decode(result["signed"]))
    assert record["id"] == str(issued.id)
    assert record["number"] == issued.number
    assert record["kid"] == result["kid"]
    assert record["jp"] == "8"
    assert len(b64url_decode(result["signature"])) == 64


def test_jwks_is_public_and_lists_the_signing_key(
    client: TestClient[Any], registry: Registry, issued: DocumentView
) -> None:
    response = client.get("/.well-known/jwks.json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/jwk-set+json")
    keys = response.json()["keys"]
    assert [key["kid"] for key in keys] == [registry.keyring.active().kid] == [issued.kid]
    (key,) = keys
    assert (key["kty"], key["crv"], key["alg"]) == ("OKP", "Ed25519", "EdDSA")
    assert len(b64url_decode(key["x"])) == 32
    assert "d" not in key  # never the private part


def test_openssl_verifies_the_published_signature(
    client: TestClient[Any], issued: DocumentView, tmp_path: Path
) -> None:
    openssl = shutil.which("openssl")
    assert openssl, "openssl is needed to check signatures with an independent implementation"
    result = verify(client, token_of(issued))
    (jwk,) = [
        key
        for key in client.get("/.well-known/jwks.json").json()["keys"]
        if key["kid"] == result["kid"]
    ]
    der = ED25519_SPKI_PREFIX + b64url_decode(jwk["x"])
    assert len(der) == 44
    pem = (
        "-----BEGIN PUBLIC KEY-----\n"
        + base64.b64encode(der).decode("ascii")
        + "\n-----END PUBLIC KEY-----\n"
    )
    (tmp_path / "pub.pem").write_text(pem)
    signed = b64url_decode(result["signed"])
    (tmp_path / "signed.bin").write_bytes(signed)
    (tmp_path / "sig.bin").write_bytes(b64url_decode(result["signature"]))
    command = [
        openssl,
        "pkeyutl",
        "-verify",
        "-pubin",
        "-inkey",
        "pub.pem",
        "-rawin",
        "-in",
        "signed.bin",
        "-sigfile",
        "sig.bin",
    ]

    good = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Signature Verified Successfully" in good.stdout

    tampered = bytearray(signed)
    tampered[len(tampered) // 2] ^= 0x01
    (tmp_path / "signed.bin").write_bytes(bytes(tampered))
    bad = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert bad.returncode != 0
    assert "Signature Verified Successfully" not in bad.stdout


# -- revoked and superseded ----------------------------------------------------------------------


def test_revoked_document(client: TestClient[Any], api_keys: Keys, issued: DocumentView) -> None:
    token = token_of(issued)
    response = client.post(
        f"/api/v1/documents/{issued.id}/revoke",
        json={"reason": "Peserta tidak memenuhi kehadiran"},
        headers=bearer(api_keys.issuer.secret),
    )
    assert response.status_code == 200, response.text

    result = verify(client, token)
    assert result["status"] == "revoked"
    assert result["revoked"]["reason"] == "Peserta tidak memenuhi kehadiran"
    revoked_at = datetime.fromisoformat(result["revoked"]["at"])
    assert revoked_at.tzinfo is not None
    assert abs(datetime.now(UTC) - revoked_at) < timedelta(minutes=5)
    assert result["document"]["number"] == issued.number

    html = page(client, token)
    assert headline(html) == "DICABUT"
    assert "Peserta tidak memenuhi kehadiran" in html


def test_superseded_and_replacement_say_why_and_link_each_other(
    client: TestClient[Any], api_keys: Keys, issued: DocumentView
) -> None:
    old_token = token_of(issued)
    response = client.post(
        f"/api/v1/documents/{issued.id}/supersede",
        json={**body(**{"recipient.name": "Dra. Siti Aminah, M.Si."}), "reason": "Gelar salah"},
        headers=bearer(api_keys.issuer.secret),
    )
    assert response.status_code == 201, response.text
    replacement = response.json()

    old = verify(client, old_token)
    assert old["superseded_by"]["reason"] == "Gelar salah"
    assert old["replaces"] is None
    new = verify(client, token_of(replacement))
    assert new["superseded_by"] is None
    assert new["replaces"] == {
        "number": issued.number,
        "verify_url": issued.verify_url,
        "reason": "Gelar salah",
    }

    old_page = page(client, old_token)
    assert "Alasan penggantian: <strong>Gelar salah</strong>" in old_page
    assert f'href="{replacement["verify_url"]}"' in old_page
    new_page = page(client, token_of(replacement))
    assert headline(new_page) == "SAH"
    assert (
        f'Dokumen ini menggantikan dokumen nomor <a href="{issued.verify_url}">{issued.number}</a>'
        in new_page
    )


def test_a_document_that_replaces_none_says_nothing_of_it(
    client: TestClient[Any], issued: DocumentView
) -> None:
    assert verify(client, token_of(issued))["replaces"] is None
    assert "menggantikan" not in page(client, token_of(issued))


def test_superseded_document_points_to_its_replacement(
    client: TestClient[Any], api_keys: Keys, issued: DocumentView
) -> None:
    old_token = token_of(issued)
    response = client.post(
        f"/api/v1/documents/{issued.id}/supersede",
        json={**body(**{"recipient.name": "Dra. Siti Aminah, M.Si., M.M."}), "reason": "gelar"},
        headers=bearer(api_keys.issuer.secret),
    )
    assert response.status_code == 201, response.text
    replacement = response.json()
    assert replacement["number"] != issued.number

    old = verify(client, old_token)
    assert old["status"] == "superseded"
    assert old["superseded_by"]["number"] == replacement["number"]
    assert old["superseded_by"]["verify_url"] == replacement["verify_url"]

    new = verify(client, token_of(replacement))
    assert new["status"] == "valid"
    assert new["document"]["holder_name"] == "Dra. Siti Aminah, M.Si., M.M."

    html = page(client, old_token)
    assert headline(html) == "DIGANTI"
    assert replacement["number"] in html
    assert headline(page(client, token_of(replacement))) == "SAH"
    assert f'href="{replacement["verify_url"]}"' in html


# -- tokens that are not genuine -----------------------------------------------------------------


def _changed(token: str, index: int) -> str:
    replacement = next(char for char in TOKEN_ALPHABET if char != token[index])
    return token[:index] + replacement + token[index + 1 :]


@pytest.mark.parametrize("index", [0, 5, 30, 60, 107])
def test_token_with_one_character_changed_is_invalid(
    client: TestClient[Any], issued: DocumentView, index: int
) -> None:
    forged = _changed(token_of(issued), index)
    result = verify(client, forged)
    assert result["status"] == "invalid"
    assert result["document"] is None
    html = page(client, forged)
    assert headline(html) == "TIDAK SAH"
    assert issued.number not in html


@pytest.mark.parametrize(
    "token",
    [
        pytest.param(secrets.token_urlsafe(81), id="random-108-chars"),
        pytest.param(b64url_encode(b"\x01" + secrets.token_bytes(80)), id="random-version-1"),
        pytest.param("A" * 107 + "=", id="padding-char"),
        pytest.param("<script>" + "A" * 100, id="markup-of-token-length"),
    ],
)
def test_garbage_token_is_invalid(
    client: TestClient[Any], issued: DocumentView, token: str
) -> None:
    result = verify(client, token)
    assert result["status"] == "invalid"
    assert result["document"] is None
    html = page(client, token)
    assert headline(html) == "TIDAK SAH"
    assert "<script" not in html.lower()


def test_genuine_signature_for_unknown_document(
    client: TestClient[Any], registry: Registry, issued: DocumentView
) -> None:
    token = issue_token(uuid.uuid4(), registry.keyring.active())
    result = verify(client, token)
    assert result["status"] == "unknown"
    assert result["document"] is None
    html = page(client, token)
    assert headline(html) == "TIDAK DITEMUKAN"


# -- short codes, typed by people -----------------------------------------------------------------


def short_code_of(document: DocumentView) -> str:
    assert document.short_url is not None
    return document.short_url.rsplit("/", 1)[1]


def as_a_person_types_it(code: str) -> str:
    """Upper case, grouped by hyphens, and the look-alike letters for 0 and 1."""
    typed = code.upper().replace("0", "O").replace("1", "l")
    return "-".join(typed[i : i + 4] for i in range(0, len(typed), 4))


@pytest.mark.parametrize(
    "spell",
    [
        pytest.param(str.upper, id="upper"),
        pytest.param(as_a_person_types_it, id="hyphens-and-look-alikes"),
        pytest.param(lambda code: f"{code[:4]} {code[4:8]} {code[8:]}", id="spaces"),
    ],
)
def test_a_typed_short_code_finds_its_document(
    client: TestClient[Any], issued: DocumentView, spell: Any
) -> None:
    typed = spell(short_code_of(issued))
    result = verify(client, typed)
    assert result["status"] == "valid"
    assert result["document"]["number"] == issued.number
    html = page(client, typed)
    assert headline(html) == "SAH"
    assert issued.number in html


def test_look_alikes_are_read_as_digits(
    client: TestClient[Any], registry: Registry, api_keys: Keys
) -> None:
    """The mapping itself, on a code that certainly holds a 0 and a 1."""
    document = registry.issue(draft(), api_keys.issuer.actor).document
    with registry.db.writing() as session:
        session.get_one(Document, document.id).short_code = "0123456789ab"
    assert verify(client, "OI23-4567-89AB")["document"]["number"] == document.number
    assert verify(client, "oL23 4567 89ab")["document"]["number"] == document.number


@pytest.mark.parametrize(
    "typed",
    [
        pytest.param("zzzz-zzzz-zzzz", id="no-such-code"),
        pytest.param("abc", id="too-short"),
        pytest.param("%3Cscript%3E", id="url-encoded-markup"),
        pytest.param("uuuuuuuuuuuu", id="u-is-not-in-the-alphabet"),
    ],
)
def test_a_mistyped_code_is_not_found_rather_than_forged(
    client: TestClient[Any], issued: DocumentView, typed: str
) -> None:
    result = verify(client, typed)
    assert result["status"] == "unknown"
    assert result["reason"] == "code_not_found"
    assert result["document"] is None
    html = page(client, typed)
    assert headline(html) == "TIDAK DITEMUKAN"
    assert "tidak ditemukan" in html and "Periksa kembali kode" in html
    assert "tidak asli" not in html
    assert '<form method="get" action="/v">' in html
    assert "<script" not in html.lower()


def test_a_twelve_character_code_of_no_document_says_nothing_about_signatures(
    client: TestClient[Any], issued: DocumentView
) -> None:
    code = "zzzzzzzzzzzz"
    assert len(code) == len(short_code_of(issued))
    result = verify(client, code)
    assert (result["status"], result["reason"]) == ("unknown", "code_not_found")
    assert result["kid"] is None and result["signed"] is None and result["signature"] is None
    html = page(client, code)
    assert "tidak ditemukan" in html
    assert "Tanda tangan" not in html and "tampak asli" not in html


def test_one_changed_character_of_a_code_is_not_found(
    client: TestClient[Any], issued: DocumentView
) -> None:
    code = short_code_of(issued)
    typo = code[:5] + ("x" if code[5] != "x" else "y") + code[6:]
    assert verify(client, typo)["reason"] == "code_not_found"
    assert "Periksa kembali kode" in page(client, typo)


def test_code_entry_page_and_its_form(client: TestClient[Any], issued: DocumentView) -> None:
    for path in ("/v", "/v?kode=", "/v?kode=%20%20"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith("text/html")
        assert "default-src 'none'" in response.headers["content-security-policy"]
        assert '<form method="get" action="/v">' in response.text
        assert 'name="kode"' in response.text
        assert headline(response.text) == "Periksa dokumen"

    code = short_code_of(issued)
    typed = client.get("/v", params={"kode": as_a_person_types_it(code)}, follow_redirects=False)
    assert typed.status_code == 303
    assert typed.headers["location"] == f"/v/{code}"
    pasted = client.get("/v", params={"kode": issued.short_url}, follow_redirects=False)
    assert pasted.headers["location"] == f"/v/{code}"
    token = client.get("/v", params={"kode": token_of(issued)}, follow_redirects=False)
    assert token.headers["location"] == f"/v/{token_of(issued)}"

    followed = client.get("/v", params={"kode": code.upper()})
    assert followed.status_code == 200 and headline(followed.text) == "SAH"
    mistyped = client.get("/v", params={"kode": "zzzz zzzz zzzz"})
    assert headline(mistyped.text) == "TIDAK DITEMUKAN"
    assert 'value="zzzzzzzzzzzz"' in mistyped.text


# -- "Cek berkas" on the page ----------------------------------------------------------------------


def issued_file(registry: Registry, document: DocumentView) -> bytes:
    """The document's final file (DOCX here: this registry has no LibreOffice)."""
    (attested,) = [f for f in document.files if f.attested]
    return registry.production.store.read(attested.sha256)


def check_on_page(client: TestClient[Any], token: str, data: bytes, name: str) -> str:
    response = client.post(f"/v/{token}/file", files={"file": (name, data, "application/pdf")})
    assert response.status_code == 200, response.text
    assert "default-src 'none'" in response.headers["content-security-policy"]
    return response.text


def banner_headings(html: str) -> list[str]:
    return [
        heading.strip()
        for heading in re.findall(
            r'<section class="banner[^"]*".*?<h[12][^>]*>(.*?)</h[12]>', html, re.S
        )
    ]


def test_altered_file_leads_the_page_in_red_above_the_status(
    client: TestClient[Any], registry: Registry, issued: DocumentView
) -> None:
    altered = b"%PDF-1.7\n" + issued_file(registry, issued)
    html = check_on_page(client, token_of(issued), altered, "a.pdf")
    assert banner_headings(html) == ["BERKAS TIDAK COCOK", "SAH"]
    assert headline(html) == "BERKAS TIDAK COCOK"
    assert 'class="banner bad lead-result"' in html
    assert "isinya mungkin telah diubah" in html


def test_genuine_file_on_its_own_page(
    client: TestClient[Any], registry: Registry, issued: DocumentView
) -> None:
    html = check_on_page(client, token_of(issued), issued_file(registry, issued), "a.docx")
    assert banner_headings(html) == ["BERKAS COCOK", "SAH"]


def test_genuine_file_of_a_revoked_document_is_not_green(
    client: TestClient[Any], registry: Registry, api_keys: Keys, issued: DocumentView
) -> None:
    registry.revoke(issued.id, "Salah peserta", api_keys.issuer.actor)
    html = check_on_page(client, token_of(issued), issued_file(registry, issued), "a.docx")
    assert banner_headings(html) == ["BERKAS TIDAK BERLAKU", "DICABUT"]
    assert "BERKAS COCOK" not in html


def test_file_of_another_document_links_to_it(
    client: TestClient[Any], registry: Registry, api_keys: Keys, issued: DocumentView
) -> None:
    other = registry.issue(draft(name="Budi Santoso"), api_keys.issuer.actor).document
    html = check_on_page(client, token_of(issued), issued_file(registry, other), "b.pdf")
    assert banner_headings(html) == ["BERKAS DOKUMEN LAIN", "SAH"]
    assert f"Berkas ini adalah dokumen lain: nomor {other.number}." in html
    assert (
        f'<a class="onbox" href="{other.verify_url}">Lihat dokumen nomor {other.number}</a>' in html
    )
    # The same file checked from a forged token still names the document it belongs to.
    forged = check_on_page(
        client, _changed(token_of(issued), 60), issued_file(registry, other), "b"
    )
    assert banner_headings(forged) == ["BERKAS DOKUMEN LAIN", "TIDAK SAH"]


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"\x89PNG\r\n\x1a\n" + bytes(200), id="png-named-pdf"),
        pytest.param(b"Surat keterangan, diketik ulang", id="text"),
    ],
)
def test_a_file_that_is_no_pdf_is_told_so(
    client: TestClient[Any], issued: DocumentView, data: bytes
) -> None:
    html = check_on_page(client, token_of(issued), data, "scan.pdf")
    assert banner_headings(html) == ["BUKAN PDF", "SAH"]
    assert "bukan berkas PDF" in html
    assert "tidak sama" not in html


def test_an_empty_upload_is_not_checked(client: TestClient[Any], issued: DocumentView) -> None:
    html = check_on_page(client, token_of(issued), b"", "kosong.pdf")
    assert banner_headings(html)[0] == "BERKAS TIDAK DAPAT DIPERIKSA"


# -- agency and time zone --------------------------------------------------------------------------


def test_page_names_the_agency_of_agency_toml(
    client: TestClient[Any], registry: Registry, issued: DocumentView
) -> None:
    html = page(client, token_of(issued))
    header = re.search(r'<header class="site">(.*?)</header>', html, re.S)
    assert header is not None
    assert f"<strong>{registry.production.identity.name}</strong>" in header.group(1)


def test_page_shows_times_in_the_configured_zone(
    registry: Registry, api_keys: Keys, clock: Any
) -> None:
    clock.current = datetime(2026, 3, 4, 7, 5, tzinfo=UTC)
    document = registry.issue(draft(), api_keys.issuer.actor).document
    makassar = replace(registry.settings, timezone="Asia/Makassar")
    with TestClient(create_app(settings=makassar, registry=registry)) as wita:
        assert "<dd>4 Maret 2026 pukul\u00a015.05\u00a0WITA</dd>" in page(wita, token_of(document))
    with TestClient(create_app(registry=registry)) as wib:
        assert "<dd>4 Maret 2026 pukul\u00a014.05\u00a0WIB</dd>" in page(wib, token_of(document))


# -- NIP confirmation ----------------------------------------------------------------------------


def test_nip_confirmation(client: TestClient[Any], issued: DocumentView) -> None:
    token = token_of(issued)
    match = confirm(client, token, "19850315 201001 1 012")
    assert "NIP cocok dengan dokumen ini" in match.text
    assert "NIP tidak cocok" not in match.text
    assert "19850315" not in match.text  # the typed NIP is not echoed back

    assert "NIP cocok dengan dokumen ini" in confirm(client, token, PNS_NIP).text
    wrong = confirm(client, token, "198503162010011012")
    assert "NIP tidak cocok" in wrong.text
    assert "NIP cocok dengan dokumen ini" not in wrong.text


def test_nip_confirmation_locks_after_five_failures(
    client: TestClient[Any], issued: DocumentView
) -> None:
    token = token_of(issued)
    for day in range(1, 6):
        wrong = confirm(client, token, f"198503{day:02d}2010011012")
        assert "NIP tidak cocok" in wrong.text, day
    locked = confirm(client, token, PNS_NIP)
    assert "Terlalu banyak percobaan" in locked.text
    assert "NIP cocok dengan dokumen ini" not in locked.text


def test_nip_lockout_is_per_holder(
    client: TestClient[Any], registry: Registry, api_keys: Keys, issued: DocumentView
) -> None:
    same_holder = registry.issue(draft(title="Pelatihan Lain"), api_keys.issuer.actor).document
    other_holder = registry.issue(draft(nip=PPPK_NIP, name="Budi"), api_keys.issuer.actor).document
    for _ in range(5):
        confirm(client, token_of(issued), "000000000000000000")
    assert "Terlalu banyak percobaan" in confirm(client, token_of(issued), PNS_NIP).text
    # One person's documents share the budget, or each document would add five guesses.
    assert "Terlalu banyak percobaan" in confirm(client, token_of(same_holder), PNS_NIP).text
    assert "NIP cocok dengan dokumen ini" in confirm(client, token_of(other_holder), PPPK_NIP).text


def test_a_strangers_failures_on_the_page_do_not_lock_the_holder_out(
    registry: Registry, issued: DocumentView
) -> None:
    token = token_of(issued)
    with TestClient(_with_peer(create_app(registry=registry))) as client:

        def post(peer: str, nip: str, **headers: str) -> str:
            response = client.post(
                f"/v/{token}/nip", data={"nip": nip}, headers={"x-test-peer": peer, **headers}
            )
            assert response.status_code == 200, response.text
            return response.text

        for day in range(1, 6):
            # A forwarded-for header from the client itself names no new address.
            spoofed = {"X-Forwarded-For": f"10.0.0.{day}"}
            assert "NIP tidak cocok" in post("203.0.113.7", f"198503{day:02d}2010011012", **spoofed)
        assert "Terlalu banyak percobaan" in post("203.0.113.7", PNS_NIP, **spoofed)
        assert "NIP cocok dengan dokumen ini" in post("198.51.100.20", PNS_NIP)


def _with_peer(app: Any) -> Any:
    """The app as reached from the address in the test-only ``x-test-peer`` header (the ASGI
    scope's client, as uvicorn sets it from the connection)."""

    async def asgi(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            peer = dict(scope["headers"]).get(b"x-test-peer")
            if peer:
                scope = {**scope, "client": (peer.decode(), 50000)}
        await app(scope, receive, send)

    return asgi


@pytest.mark.parametrize(
    "candidate",
    ["", "1", "abc", "１９８５０３１５２０１００１１０１２", "١٩٨٥٠٣١٥٢٠١٠٠١١٠١٢"],
)
def test_a_malformed_nip_on_the_page_is_refused_with_a_field_message(
    client: TestClient[Any], registry: Registry, issued: DocumentView, candidate: str
) -> None:
    token = token_of(issued)
    before = written_state(registry)
    for _ in range(6):
        refused = client.post(f"/v/{token}/nip", data={"nip": candidate})
        assert refused.status_code == 422, refused.text
        assert refused.headers["content-type"].startswith("text/html")
        assert "NIP" in refused.text and ("wajib diisi" in refused.text or "angka" in refused.text)
        assert "NIP tidak cocok" not in refused.text
        assert headline(refused.text) == "SAH"  # the document's own status is still shown
    assert written_state(registry) == before
    assert "NIP cocok dengan dokumen ini" in confirm(client, token, PNS_NIP).text


def test_nip_confirmation_on_a_forged_token_says_not_applicable(
    client: TestClient[Any], issued: DocumentView
) -> None:
    html = confirm(client, _changed(token_of(issued), 60), PNS_NIP).text
    assert headline(html) == "TIDAK SAH"
    assert "NIP cocok dengan dokumen ini" not in html


# -- the page itself -----------------------------------------------------------------------------


def test_page_has_no_script_and_a_content_security_policy(
    client: TestClient[Any], api_keys: Keys, registry: Registry
) -> None:
    hostile = registry.issue(
        draft(name="<script>alert(1)</script>", title='"><script>alert(2)</script>'),
        api_keys.issuer.actor,
    ).document
    token = token_of(hostile)
    refused = client.post(f"/v/{token}/nip", data={"nip": "1"})
    wrong = client.post(f"/v/{token}/nip", data={"nip": "198503162010011012"})
    for response in (client.get(f"/v/{token}"), refused, wrong):
        assert response.status_code == (422 if response is refused else 200)
        assert "<script" not in response.text.lower()
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
        policy = response.headers["content-security-policy"]
        assert "default-src 'none'" in policy
        assert "script-src" not in policy


def test_openapi_lists_the_document_paths(client: TestClient[Any]) -> None:
    response = client.get("/schema/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/v1/documents",
        "/api/v1/documents/{document_id}",
        "/api/v1/documents/{document_id}/revoke",
        "/api/v1/documents/{document_id}/supersede",
        "/api/v1/verify/{token}",
    ):
        assert path in paths
    assert set(paths["/api/v1/documents"]) == {"get", "post"}


def test_healthz(client: TestClient[Any], registry: Registry) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    health = response.json()
    # The test settings have a public URL, but agency.toml is still the example written on init.
    (warning,) = health.pop("warnings")
    assert warning.startswith("agency.toml masih berisi nilai contoh")
    # This registry has no LibreOffice: health says so plainly, and the service still runs.
    assert health == {
        "status": "ok",
        "database": "ok",
        "signing_key": registry.keyring.active().kid,
        "pdf": "unavailable",
        "pdf_detail": "LibreOffice tidak terpasang: hanya DOCX yang diterbitkan",
    }
