"""The console's shell through Litestar's test client: sign-in, sessions, CSRF, roles, Beranda."""

from __future__ import annotations

import re
from typing import Any

import pytest
from litestar.testing import TestClient

from api.console.session import SESSION_COOKIE, safe_next
from registry.usecases.accounts import SIGN_IN_REFUSED, Accounts
from registry.usecases.dashboard import Dashboard
from registry.usecases.issuing import Registry
from tests.api.conftest import bearer
from tests.conftest import Keys
from tests.console.support import PASSWORD, csrf_token, sign_in
from tests.support.drafts import body


def error_text(html: str) -> str:
    found = re.search(r'role="alert"[^>]*>\s*<h2>Gagal masuk</h2>\s*<p>([^<]+)</p>', html)
    assert found is not None, html
    return found.group(1)


def test_a_page_without_a_session_redirects_to_sign_in_keeping_the_path(
    console: TestClient[Any],
) -> None:
    response = console.get("/konsol?tab=menunggu", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/konsol/masuk?next=/konsol%3Ftab%3Dmenunggu"
    page = console.get(response.headers["location"])
    assert page.status_code == 200
    assert 'name="next" value="/konsol?tab=menunggu"' in page.text
    assert '<html lang="id">' in page.text
    assert 'href="#isi"' in page.text and '<main id="isi"' in page.text


@pytest.mark.parametrize(
    ("raw", "kept"),
    [
        ("/konsol/dokumen?q=1", "/konsol/dokumen?q=1"),
        ("/konsol", "/konsol"),
        ("https://jahat.example/konsol", "/konsol"),
        ("//jahat.example/konsol", "/konsol"),
        ("/\\jahat.example", "/konsol"),
        ("/api/v1/documents", "/konsol"),
        ("/konsolx", "/konsol"),
        ("/konsol/masuk?next=/konsol", "/konsol"),
        ("javascript:alert(1)", "/konsol"),
        (None, "/konsol"),
    ],
)
def test_next_is_only_ever_a_console_path(raw: str | None, kept: str) -> None:
    assert safe_next(raw) == kept


def test_sign_in_sets_a_strict_session_cookie_and_opens_beranda(console: TestClient[Any]) -> None:
    response = sign_in(console, "ANDI", next="/konsol?tab=1")
    assert response.status_code == 303
    assert response.headers["location"] == "/konsol?tab=1"
    cookie = next(
        value
        for name, value in response.headers.multi_items()
        if name == "set-cookie" and value.startswith(f"{SESSION_COOKIE}=")
    )
    attributes = {part.strip().lower() for part in cookie.split(";")}
    assert {"httponly", "secure", "samesite=lax", "path=/konsol"} <= attributes
    home = console.get("/konsol")
    assert home.status_code == 200
    assert "Nama Andi" in home.text
    assert "Penerbit (BPSDM)" in home.text
    assert "Permohonan menunggu keputusan" in home.text
    assert 'action="/konsol/keluar"' in home.text
    assert 'href="/konsol" aria-current="page"' in home.text


def test_signing_in_again_rotates_the_session(console: TestClient[Any], accounts: Accounts) -> None:
    sign_in(console, "andi")
    first = console.cookies[SESSION_COOKIE]
    sign_in(console, "andi")
    second = console.cookies[SESSION_COOKIE]
    assert first != second
    assert accounts.session_user(first) is None
    assert accounts.session_user(second) is not None


def test_forms_without_the_csrf_token_are_refused(
    console: TestClient[Any], accounts: Accounts
) -> None:
    csrf_token(console)  # the CSRF cookie is set, but the form does not carry the token
    refused = console.post(
        "/konsol/masuk",
        data={"username": "andi", "password": PASSWORD},
        follow_redirects=False,
    )
    assert refused.status_code == 403
    assert "token keamanannya" in refused.text
    assert SESSION_COOKIE not in console.cookies
    sign_in(console, "andi")
    session = console.cookies[SESSION_COOKIE]
    out = console.post("/konsol/keluar", data={}, follow_redirects=False)
    assert out.status_code == 403
    assert accounts.session_user(session) is not None
    forged = console.post("/konsol/keluar", data={"_csrf_token": "0" * 128}, follow_redirects=False)
    assert forged.status_code == 403
    assert accounts.session_user(session) is not None


def test_sign_out_ends_the_session_on_the_server(
    console: TestClient[Any], accounts: Accounts
) -> None:
    sign_in(console, "siti")
    session = console.cookies[SESSION_COOKIE]
    token = csrf_token(console, "/konsol")
    out = console.post("/konsol/keluar", data={"_csrf_token": token}, follow_redirects=False)
    assert out.status_code == 303
    assert out.headers["location"] == "/konsol/masuk?keluar=1"
    assert accounts.session_user(session) is None
    # A copy of the old cookie is worth nothing now.
    console.cookies.set(SESSION_COOKIE, session, domain="konsol.test", path="/konsol")
    assert console.get("/konsol", follow_redirects=False).status_code == 303
    assert "Anda sudah keluar" in console.get("/konsol/masuk?keluar=1").text


def test_five_failures_lock_the_account_with_one_message_for_everyone(
    console: TestClient[Any],
) -> None:
    for _ in range(5):
        refused = sign_in(console, "andi", "bukan kata sandinya")
        assert refused.status_code == 400
        assert error_text(refused.text) == SIGN_IN_REFUSED
    locked = sign_in(console, "andi")
    assert locked.status_code == 400
    assert SESSION_COOKIE not in console.cookies
    unknown = sign_in(console, "tidakada", "bukan kata sandinya")
    assert error_text(locked.text) == error_text(unknown.text) == SIGN_IN_REFUSED
    assert "dikunci" in SIGN_IN_REFUSED
    # Another account is not affected.
    assert sign_in(console, "siti").status_code == 303


def test_beranda_differs_by_role(
    console: TestClient[Any], registry: Registry, api_keys: Keys
) -> None:
    issued = console.post("/api/v1/documents", json=body(), headers=bearer(api_keys.issuer.secret))
    assert issued.status_code in (200, 201), issued.text

    sign_in(console, "andi")
    issuer = console.get("/konsol").text
    assert re.search(r'figure-value">1</span> dokumen', issuer)
    assert "Tidak ada penerbitan massal yang sedang berjalan" in issuer
    assert "di bawah 20 JP" in issuer

    sign_in(console, "siti")
    requester = console.get("/konsol").text
    assert "Permohonan unit DPUPR" in requester
    assert "Permohonan menunggu keputusan" not in requester
    assert "Terbit bulan ini" not in requester

    sign_in(console, "root")
    admin = console.get("/konsol").text
    assert 'href="/konsol/pengaturan/pengguna"' in admin and "E-mail gagal terkirim" in admin
    assert "Permohonan menunggu keputusan" not in admin
    assert "di bawah 20 JP" not in admin

    sign_in(console, "rina")
    auditor = console.get("/konsol").text
    assert "di bawah 20 JP" in auditor
    assert "Permohonan menunggu keputusan" not in auditor


def test_the_json_api_needs_no_csrf_token_and_sets_no_cookie(
    console: TestClient[Any], api_keys: Keys
) -> None:
    response = console.post(
        "/api/v1/jp/calculate",
        json={
            "path": "coaching",
            "scope": "nasional",
            "sessions": [{"date": "2026-03-02", "minutes": 90, "topic": "RAB"}],
        },
        headers=bearer(api_keys.issuer.secret),
    )
    assert response.status_code == 200, response.text
    assert "set-cookie" not in response.headers


def test_the_stylesheet_is_served_from_the_package(console: TestClient[Any]) -> None:
    css = console.get("/konsol/static/console.css")
    assert css.status_code == 200
    assert css.headers["content-type"].startswith("text/css")
    assert ":focus-visible" in css.text


@pytest.mark.parametrize("username", ["andi", "siti", "rina", "root"])
def test_every_console_link_a_role_sees_opens_a_page(
    console: TestClient[Any], username: str
) -> None:
    """The header must not offer pages that are not there yet: each link answers 200."""
    sign_in(console, username)
    links = set(re.findall(r'href="(/konsol[^"#?]*)"', console.get("/konsol").text))
    assert "/konsol" in links
    for link in sorted(links):
        assert console.get(link).status_code == 200, link


def test_an_unexpected_failure_is_an_indonesian_page_and_is_logged(
    console: TestClient[Any], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    sign_in(console, "andi")

    def broken(*_: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(Dashboard, "home", broken)
    page = console.get("/konsol")
    assert page.status_code == 500
    assert page.headers["content-type"].startswith("text/html")
    assert '<html lang="id">' in page.text
    assert "Terjadi kesalahan di server" in page.text
    assert "disk on fire" not in page.text
    logged = [record.exc_info[1] for record in caplog.records if record.exc_info]
    assert any("disk on fire" in str(error) for error in logged)
