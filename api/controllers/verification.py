from __future__ import annotations

from typing import Any

from litestar import Controller, MediaType, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, URLEncodedBody

from api.schemas import VerificationResult
from api.verify_page import render_verify_page
from registry.keystore import KeyRing
from registry.service import Registry


class VerificationController(Controller):
    """Public: no key needed. Answers 200 with a status for every token, genuine or not."""

    tags = ["verification"]

    @get("/api/v1/verify/{token:str}", operation_id="verifyToken", sync_to_thread=True)
    def verify(
        self, token: FromPath[str], registry: NamedDependency[Registry]
    ) -> VerificationResult:
        """Check a QR token: `valid`, `revoked`, `superseded`, `invalid` or `unknown`."""
        return VerificationResult.from_verification(registry.verify(token))

    @get(
        "/v/{token:str}",
        operation_id="verifyPage",
        media_type=MediaType.HTML,
        include_in_schema=False,
        sync_to_thread=True,
    )
    def page(self, token: FromPath[str], registry: NamedDependency[Registry]) -> Response[str]:
        return _page(render_verify_page(registry.verify(token), token=token))

    @post(
        "/v/{token:str}/nip",
        operation_id="confirmNip",
        media_type=MediaType.HTML,
        include_in_schema=False,
        status_code=200,
        sync_to_thread=True,
    )
    def confirm_nip(
        self,
        token: FromPath[str],
        registry: NamedDependency[Registry],
        data: URLEncodedBody[dict[str, Any]],
    ) -> Response[str]:
        candidate = data.get("nip")
        result = registry.confirm_nip(token, candidate if isinstance(candidate, str) else "")
        page = render_verify_page(registry.verify(token), token=token, nip_result=result)
        return _page(page)

    @get("/.well-known/jwks.json", operation_id="jwks", sync_to_thread=False)
    def jwks(self, keyring: NamedDependency[KeyRing]) -> Response[dict[str, Any]]:
        """The public keys (OKP, Ed25519) that check every token, record and file attestation."""
        return Response(
            keyring.jwks(),
            media_type="application/jwk-set+json",
            headers={"Cache-Control": "public, max-age=300"},
        )


def _page(html: str) -> Response[str]:
    return Response(
        html,
        media_type=MediaType.HTML,
        headers={
            # The page has no script and no outside asset; say so to the browser as well.
            "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
            "img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
            "Referrer-Policy": "no-referrer",
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "no-store",
        },
    )
