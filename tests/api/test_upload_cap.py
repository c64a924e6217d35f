"""The request cap of upload endpoints follows the configured upload limit, not a fixed 100 MB."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import msgspec
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from api.app import create_app
from registry.usecases.issuing import Registry
from tests.api.conftest import bearer, written_state
from tests.conftest import Keys

STAMP = "/api/v1/documents/stamp"
BOUNDARY = "satupintu-test-boundary"
CHUNK = 64 * 1024


@pytest.fixture
def small_limit(registry: Registry, monkeypatch: pytest.MonkeyPatch) -> Registry:
    """A 200 kB upload limit, so a body over the cap stays small in the test."""
    monkeypatch.setattr(registry, "settings", replace(registry.settings, max_upload_bytes=200_000))
    return registry


def multipart_of_size(total: int) -> bytes:
    """A stamping request of exactly ``total`` bytes: a JSON part and a file filling the rest."""
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="document"\r\n\r\n{{}}\r\n'
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()
    return head + b"%" * (total - len(head) - len(tail)) + tail


def post_raw(client: TestClient[Any], body: bytes, keys: Keys) -> Any:
    return client.post(
        STAMP,
        content=body,
        headers={
            **bearer(keys.issuer.secret),
            "content-type": f"multipart/form-data; boundary={BOUNDARY}",
        },
    )


def test_a_body_just_over_the_cap_is_413(small_limit: Registry, api_keys: Keys) -> None:
    cap = small_limit.settings.upload_request_bytes()
    before = written_state(small_limit)
    with TestClient(create_app(registry=small_limit)) as client:
        refused = post_raw(client, multipart_of_size(cap + 1), api_keys)
        # At the cap the transport lets it through, and the handler judges what it holds.
        at_cap = post_raw(client, multipart_of_size(cap), api_keys)
    assert refused.status_code == 413, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    problem = refused.json()
    assert problem["status"] == 413
    assert problem["detail"] == "Isi permintaan melebihi batas ukuran"
    assert at_cap.status_code == 422, at_cap.text
    assert written_state(small_limit) == before


def test_every_upload_handler_has_the_cap_of_its_files(registry: Registry) -> None:
    app = create_app(registry=registry)
    caps = {
        (route.path, method): handler.resolve_request_max_body_size()
        for route in app.routes
        for handler in getattr(route, "route_handlers", ())
        for method in handler.http_methods
        if method == "POST"
    }
    one_file = registry.settings.upload_request_bytes()
    assert caps[(STAMP, "POST")] == one_file
    assert caps[("/api/v1/verify/file", "POST")] == one_file
    # The console's request form has one file input per evidence kind.
    assert caps[("/konsol/permohonan/baru", "POST")] == registry.settings.upload_request_bytes(5)
    assert caps[("/konsol/massal", "POST")] == one_file
    # Forms without files keep the body limit; no handler keeps the old fixed 100 MB.
    assert caps[("/api/v1/documents", "POST")] == registry.settings.max_body_bytes
    five_files = registry.settings.upload_request_bytes(5)
    assert set(caps.values()) == {registry.settings.max_body_bytes, one_file, five_files}


async def _asgi_post(
    app: Litestar, headers: dict[str, str], chunks: Iterator[bytes]
) -> tuple[int, dict[str, Any], int]:
    """POST through the ASGI interface itself: (status, JSON body, request bytes the app read)."""
    pulled = 0
    status = 0
    sent = b""

    async def receive() -> dict[str, Any]:
        nonlocal pulled
        chunk = next(chunks, None)
        if chunk is None:
            return {"type": "http.request", "body": b"", "more_body": False}
        pulled += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status, sent
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            sent += message.get("body", b"")

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": STAMP,
        "raw_path": STAMP.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(name.lower().encode(), value.encode()) for name, value in headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
        "state": {},
    }
    await app(scope, receive, send)  # type: ignore[arg-type]
    return status, msgspec.json.decode(sent) if sent else {}, pulled


def _endless() -> Iterator[bytes]:
    """A body of 100 MB, produced only as far as the app asks for it."""
    for _ in range(100_000_000 // CHUNK + 1):
        yield b"%" * CHUNK


@pytest.mark.parametrize("announced", [True, False], ids=["content-length", "chunked"])
def test_a_100_mb_body_is_refused_without_being_read(
    registry: Registry, api_keys: Keys, announced: bool
) -> None:
    app = create_app(registry=registry)
    headers = {
        **bearer(api_keys.issuer.secret),
        "content-type": f"multipart/form-data; boundary={BOUNDARY}",
    }
    if announced:
        headers["content-length"] = str(100_000_000)
    before = written_state(registry)
    status, problem, pulled = asyncio.run(_asgi_post(app, headers, _endless()))
    assert status == 413, problem
    assert problem["detail"] == "Isi permintaan melebihi batas ukuran", json.dumps(problem)
    # Announced: refused before a byte is read; streamed: given up just past the cap.
    assert pulled <= (0 if announced else registry.settings.upload_request_bytes() + CHUNK)
    assert written_state(registry) == before
