"""A person at the console during a database outage gets a page in Indonesian, not JSON."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy.exc import OperationalError

from registry.usecases.issuing import Registry
from tests.console.support import sign_in


@contextmanager
def _unreachable() -> Iterator[Any]:
    raise OperationalError("SELECT 1", {}, sqlite3.OperationalError("connection refused"))
    yield  # pragma: no cover - never reached


def test_a_database_outage_shows_a_503_page_saying_to_try_again(
    console: TestClient[Any], registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert sign_in(console, "andi").status_code == 303
    monkeypatch.setattr(registry.db, "reading", _unreachable)
    monkeypatch.setattr(registry.db, "writing", _unreachable)
    answer = console.get("/konsol/dokumen")
    assert answer.status_code == 503
    assert answer.headers["content-type"].startswith("text/html")
    assert answer.headers["retry-after"] == "5"
    assert "Basis data tidak dapat dihubungi" in answer.text
