"""Rules every console route keeps, checked over the app's route table (so new pages are covered):
without a session a page redirects to sign-in, and a form posted without its CSRF token is refused
before anything is done."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from api.console.session import CONSOLE_PATH, SESSION_COOKIE
from tests.console.support import sign_in, written_rows

#: Reachable without a session: the sign-in form itself and the stylesheet.
PUBLIC = {f"{CONSOLE_PATH}/masuk"}
STATIC = f"{CONSOLE_PATH}/static"


def console_routes(app: Litestar) -> list[tuple[str, str]]:
    """(method, path with sample parameters) of every console handler."""
    found = []
    for route in app.routes:
        if not route.path.startswith(CONSOLE_PATH) or route.path.startswith(STATIC):
            continue
        for method in sorted(getattr(route, "methods", set()) - {"HEAD", "OPTIONS"}):
            found.append((method, _sample(route.path)))
    return sorted(set(found))


def _sample(path: str) -> str:
    def value(match: re.Match[str]) -> str:
        kind = match.group(2)
        if kind == "uuid":
            return str(uuid.UUID(int=1))
        if kind == "int":
            return "1"
        return "contoh"

    return re.sub(r"\{(\w+):(\w+)\}", value, path)


def test_the_table_sees_the_console(console: TestClient[Any]) -> None:
    routes = console_routes(console.app)
    assert ("GET", CONSOLE_PATH) in routes
    assert ("POST", f"{CONSOLE_PATH}/masuk") in routes
    assert ("POST", f"{CONSOLE_PATH}/keluar") in routes


def test_every_page_without_a_session_leads_to_sign_in(console: TestClient[Any]) -> None:
    for method, path in console_routes(console.app):
        if method != "GET" or path in PUBLIC:
            continue
        response = console.get(path, follow_redirects=False)
        assert response.status_code == 303, (path, response.status_code)
        assert response.headers["location"].startswith(f"{CONSOLE_PATH}/masuk"), path


@pytest.mark.parametrize("username", ["andi", "siti", "rina", "root"])
def test_every_form_without_its_csrf_token_is_refused_and_writes_nothing(
    console: TestClient[Any], username: str
) -> None:
    sign_in(console, username)
    assert SESSION_COOKIE in console.cookies
    before = written_rows(console.app.state.registry.db)
    for method, path in console_routes(console.app):
        if method == "GET":
            continue
        response = console.request(method, path, data={"reason": "x"}, follow_redirects=False)
        assert response.status_code == 403, (method, path, response.status_code)
        assert "token keamanannya" in response.text, path
    assert written_rows(console.app.state.registry.db) == before
