from __future__ import annotations

from typing import Any
from urllib.parse import quote

from litestar import Controller, MediaType, Request, Response, get, post
from litestar.concurrency import sync_to_thread
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, MultipartBody, URLEncodedBody
from litestar.response import Redirect
from litestar.status_codes import HTTP_200_OK, HTTP_422_UNPROCESSABLE_ENTITY
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from api.openapi import problems
from api.rate_limit import RateLimited
from api.schemas import FileForm, FileVerificationResult, VerificationResult
from api.uploads import read_upload, takes_uploads
from api.verify_page import VerifyPage
from registry.adapters.keystore import KeyRing
from registry.domain.errors import InvalidInput
from registry.domain.short_codes import normalise_short_code
from registry.domain.views import FileCheck, Verification
from registry.usecases.issuing import Registry

# What the code box accepts: a code, a pasted token or a pasted verification address.
_MAX_TYPED = 200


class NotStoredByDefault:
    """``Cache-Control: no-store`` on every answer whose handler did not choose its own.

    A shared cache that kept a verification answer would go on saying ``valid`` after a
    revocation, and a refusal (422, 413) is no more final. As middleware it also covers the
    problem-details answers, which the exception handlers build outside the route handler. No
    ``Vary``: nothing is stored, and the answer depends on the path alone.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_not_stored(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                if not any(name.lower() == b"cache-control" for name, _ in headers):
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_not_stored)


class VerificationController(Controller):
    """Public: no key needed. Answers 200 with a status for every token, genuine or not."""

    tags = ["verification"]
    middleware = [NotStoredByDefault, RateLimited]

    @get(
        "/api/v1/verify/{token:str}",
        operation_id="verifyToken",
        responses=problems(key=False, rate_limited=True),
    )
    async def verify(
        self, token: FromPath[str], registry: NamedDependency[Registry]
    ) -> VerificationResult:
        """Check a QR token: `valid`, `revoked`, `superseded`, `invalid` or `unknown`."""
        return VerificationResult.from_verification(await verified(registry, token))

    @get(
        "/v/{token:str}",
        operation_id="verifyPage",
        media_type=MediaType.HTML,
        include_in_schema=False,
    )
    async def page(self, token: FromPath[str], state: State) -> Response[str]:
        # From the app state, not two dependencies: Litestar resolves two or more in a task
        # group, two task spawns per request that cost as much as the rest of the answer.
        registry: Registry = state.registry
        verify_page: VerifyPage = state.verify_page
        verification = await verified(registry, token)
        return _page(
            verify_page.render_scanned(verification, token=token, file_check_url=_file_url(token))
        )

    @get(
        "/v",
        operation_id="codeEntryPage",
        media_type=MediaType.HTML,
        include_in_schema=False,
        sync_to_thread=False,
    )
    def code_entry(
        self, verify_page: NamedDependency[VerifyPage], kode: FromQuery[str | None] = None
    ) -> Response[str] | Redirect:
        """The box to type a short code; a typed code goes to its page (/v/{code})."""
        typed = (kode or "").strip()[:_MAX_TYPED].rsplit("/", 1)[-1].strip()
        if not typed:
            return _page(verify_page.render_code_entry())
        code = normalise_short_code(typed) or typed
        return Redirect(path=f"/v/{quote(code, safe='')}", status_code=303)

    @post(
        "/v/{token:str}/file",
        operation_id="checkFileOnPage",
        media_type=MediaType.HTML,
        include_in_schema=False,
        status_code=200,
        sync_to_thread=True,
        opt=takes_uploads(),
    )
    def check_file_on_page(
        self,
        token: FromPath[str],
        registry: NamedDependency[Registry],
        verify_page: NamedDependency[VerifyPage],
        data: MultipartBody[dict[str, Any]],
    ) -> Response[str]:
        try:
            upload = read_upload(data.get("file"), registry.settings.max_upload_bytes)
        except InvalidInput:
            check = FileCheck(outcome="empty")
        else:
            check = registry.verifier.check_file(token, upload)
        page = verify_page.render(
            registry.verify(token), token=token, file_check_url=_file_url(token), file_check=check
        )
        return _page(page)

    @post(
        "/api/v1/verify/file",
        operation_id="verifyFile",
        responses=problems(key=False, uploads=True, rate_limited=True),
        status_code=200,
        sync_to_thread=True,
        opt=takes_uploads(),
    )
    def verify_file(
        self, data: MultipartBody[FileForm], registry: NamedDependency[Registry]
    ) -> FileVerificationResult:
        """Is this exact PDF one the registry issued? Part `file`. `status` is the document's
        status (`valid`, `revoked`, `superseded`) on a byte-for-byte match, else `no_match`."""
        upload = read_upload(data.file, registry.settings.max_upload_bytes)
        return FileVerificationResult.from_match(registry.verify_file(upload))

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
        verify_page: NamedDependency[VerifyPage],
        data: URLEncodedBody[dict[str, Any]],
        request: Request[Any, Any, Any],
    ) -> Response[str]:
        candidate = data.get("nip")
        try:
            result = registry.confirm_nip(
                token,
                candidate if isinstance(candidate, str) else "",
                client=client_address(request),
            )
        except InvalidInput as refused:
            # The page is the form: it comes back with the field's message, as a 422.
            page = verify_page.render(
                registry.verify(token),
                token=token,
                nip_refused=refused.message,
                file_check_url=_file_url(token),
            )
            return _page(page, status_code=HTTP_422_UNPROCESSABLE_ENTITY)
        page = verify_page.render(
            registry.verify(token), token=token, nip_result=result, file_check_url=_file_url(token)
        )
        return _page(page)

    @get(
        "/.well-known/jwks.json",
        operation_id="jwks",
        media_type="application/jwk-set+json",
        sync_to_thread=False,
    )
    def jwks(self, keyring: NamedDependency[KeyRing]) -> Response[dict[str, Any]]:
        """The public keys (OKP, Ed25519) that check every token, record and file attestation."""
        return Response(
            keyring.jwks(),
            media_type="application/jwk-set+json",
            headers={"Cache-Control": "public, max-age=300"},
        )


async def verified(registry: Registry, token: str) -> Verification:
    """From memory on the event loop when a recent answer is kept; else read on a worker thread.

    Most requests under load are for documents asked about seconds before: answering them
    without a thread hop is what lets one process keep up with the framework itself.
    """
    recent = registry.verifier.recent(token)
    if recent is not None:
        return recent
    return await sync_to_thread(registry.verify, token)


def _file_url(token: str) -> str:
    return f"/v/{quote(token, safe='')}/file"


def _page(html: str, status_code: int = HTTP_200_OK) -> Response[str]:
    return Response(
        html,
        status_code=status_code,
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


def client_address(request: Request[Any, Any, Any]) -> str:
    """The peer address from the ASGI scope, never a request header.

    Behind a reverse proxy, ``satupintu serve`` runs uvicorn with ``proxy_headers``: uvicorn
    replaces the peer with the ``X-Forwarded-For`` address only when the connection comes from an
    address in ``FORWARDED_ALLOW_IPS`` (default 127.0.0.1). Reading the header here as well would
    let any client name itself a fresh address and escape the NIP check's limit.
    """
    return request.client.host if request.client is not None else "unknown"
