"""Helpers for console page tests: the CSRF token of a page, signing in, reading a form."""

from __future__ import annotations

import re
from typing import Any

from litestar.testing import TestClient
from sqlalchemy import func, select

from registry.adapters.db.engine import Database
from registry.adapters.db.schema import Base

PASSWORD = "kopi tubruk di teras"
CSRF_INPUT = re.compile(r'name="_csrf_token" value="([^"]+)"')

#: The accounts the ``console`` fixture creates: username -> (role, unit).
USERS = {
    "andi": ("issuer", None),
    "siti": ("requester", "DPUPR"),
    "budi": ("requester", "BAPPEDA"),
    "rina": ("auditor", None),
    "root": ("admin", None),
}


def csrf_token(client: TestClient[Any], path: str = "/konsol/masuk") -> str:
    """The token of the form on ``path`` (fetching it also sets the CSRF cookie)."""
    page = client.get(path)
    assert page.status_code == 200, page.text
    found = CSRF_INPUT.search(page.text)
    assert found is not None, page.text
    return found.group(1)


def sign_in(client: TestClient[Any], username: str, password: str = PASSWORD, **extra: str) -> Any:
    token = csrf_token(client)
    form = {"username": username, "password": password, "_csrf_token": token, **extra}
    return client.post("/konsol/masuk", data=form, follow_redirects=False)


def post_form(
    client: TestClient[Any],
    path: str,
    data: dict[str, Any],
    *,
    form_page: str | None = None,
    files: Any = None,
) -> Any:
    """Submit a console form as a browser would: with the token from the page that shows it."""
    token = csrf_token(client, form_page or path)
    return client.post(
        path, data={**data, "_csrf_token": token}, files=files, follow_redirects=False
    )


def written_rows(db: Database) -> dict[str, int]:
    """Rows per table: unchanged after a refused form means the form wrote nothing."""
    with db.reading() as session:
        return {
            table.name: session.execute(select(func.count()).select_from(table)).scalar_one()
            for table in Base.metadata.sorted_tables
        }
