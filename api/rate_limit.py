"""429 on the public verification endpoints past ``SATUPINTU_VERIFY_RATE_LIMIT`` a minute.

Pure ASGI, before any routing work: a refused request costs a dictionary look-up. The API
answers problem-details JSON, the pages (``/v/...``) an Indonesian HTML page; both carry
``Retry-After``. The client is the socket peer (behind a proxy, uvicorn's ``proxy_headers`` has
already put the forwarded address there for the proxies in ``FORWARDED_ALLOW_IPS``; see
``api.controllers.verification.client_address``).
"""

from __future__ import annotations

import html

import msgspec
from litestar.enums import ScopeType
from litestar.types import (
    ASGIApp,
    HTTPResponseBodyEvent,
    HTTPResponseStartEvent,
    Receive,
    Scope,
    Send,
)

from registry.usecases.rate_limits import RateLimiter

_TITLE = "Terlalu banyak permintaan"
_PAGE_POLICY = (
    b"default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'"
)


def _detail(seconds: int) -> str:
    return (
        f"Terlalu banyak permintaan pemeriksaan dari alamat jaringan Anda. "
        f"Coba lagi dalam {seconds} detik."
    )


def _page(seconds: int) -> bytes:
    detail = html.escape(_detail(seconds))
    return (
        '<!doctype html><html lang="id"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_TITLE}</title></head>"
        '<body style="font-family:sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem">'
        f"<h1>{_TITLE}</h1><p>{detail}</p>"
        "<p>Dokumen Anda tidak berubah; halaman ini hanya membatasi pemeriksaan yang terlalu "
        "sering dari satu alamat.</p></body></html>"
    ).encode()


class RateLimited:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        limiter: RateLimiter | None = scope["app"].state.rate_limiter
        path = scope.get("path", "")
        if limiter is None or scope["type"] != ScopeType.HTTP or path.startswith("/.well-known/"):
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        retry_after = limiter.admit(client[0] if client else "unknown")
        if retry_after is None:
            await self.app(scope, receive, send)
            return
        if path.startswith("/api/"):
            body = msgspec.json.encode(
                {
                    "type": "about:blank",
                    "title": _TITLE,
                    "status": 429,
                    "detail": _detail(retry_after),
                    "retry_after": retry_after,
                }
            )
            headers: list[tuple[bytes, bytes]] = [(b"content-type", b"application/problem+json")]
        else:
            body = _page(retry_after)
            headers = [
                (b"content-type", b"text/html; charset=utf-8"),
                (b"content-security-policy", _PAGE_POLICY),
            ]
        headers += [
            (b"retry-after", str(retry_after).encode()),
            (b"content-length", str(len(body)).encode()),
        ]
        start: HTTPResponseStartEvent = {
            "type": "http.response.start",
            "status": 429,
            "headers": headers,
        }
        end: HTTPResponseBodyEvent = {
            "type": "http.response.body",
            "body": body,
            "more_body": False,
        }
        await send(start)
        await send(end)
