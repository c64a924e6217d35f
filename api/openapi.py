"""What the OpenAPI schema says about errors: every problem-details answer a route can give.

Litestar documents only the success answer and its own 400 shape (``status_code``/``extra``),
which is not what :mod:`api.errors` sends. Each route states its facts in one line, e.g.
``responses=problems(lookup=True, body=True)``, and gets the RFC 9457 answers those facts lead
to, all with the one ``Problem`` schema and the ``application/problem+json`` media type.
"""

from __future__ import annotations

from typing import Any, Final

import msgspec
from litestar.openapi import ResponseSpec
from litestar.openapi.spec import (
    Components,
    OpenAPIFormat,
    OpenAPIMediaType,
    OpenAPIResponse,
    OpenAPIType,
    Operation,
    Schema,
    SecurityRequirement,
    SecurityScheme,
)

from api.errors import PROBLEM_JSON

#: The security scheme guarded routes name (``Authorization: Bearer <key>``).
API_KEY_SCHEME: Final = "apiKey"
KEYED: Final[list[SecurityRequirement]] = [{API_KEY_SCHEME: []}]


class Problem(msgspec.Struct, kw_only=True):
    """A problem-details answer (RFC 9457). Members beyond these say more about one kind of
    refusal (``errors`` per field or row, ``max_bytes``, the voided ``number``)."""

    type: str
    title: str
    status: int
    detail: str
    field: str | None = None
    errors: list[dict[str, Any]] | None = None
    reason: str | None = None


def _spec(description: str) -> ResponseSpec:
    return ResponseSpec(
        data_container=Problem,
        description=description,
        media_type=PROBLEM_JSON,
        generate_examples=False,
    )


_MALFORMED = _spec("Malformed request: JSON that does not parse, a parameter of the wrong type")
_NO_KEY = _spec("No API key, or an unknown or revoked one")
_ROLE = _spec("The key's role (or unit) may not do this")
_NOT_FOUND = _spec("No such resource, or not one this key may see")
_CONFLICT = _spec("The resource's state does not allow this, or the Idempotency-Key was reused")
_TOO_LARGE = _spec("The request or an uploaded file is over the size limit")
_INVALID = _spec("Input that parses but is refused, with the field (or row and column) named")
_RATE_LIMITED = _spec("Too many requests from this client address; see Retry-After")
_UNAVAILABLE = _spec("PDF output unavailable or failed; the number taken is voided with a reason")


def problems(
    *,
    key: bool = True,
    inputs: bool = True,
    lookup: bool = False,
    body: bool = False,
    uploads: bool = False,
    conflict: bool = False,
    renders: bool = False,
    rate_limited: bool = False,
) -> dict[int, ResponseSpec]:
    """The problem-details answers of a route.

    ``key``: needs an API key (401, 403). ``inputs``: takes parameters or a body, which may not
    parse (400) or be refused by the use case (422). ``lookup``: names a resource in its path (404).
    ``body``: reads a request body (413, 422). ``uploads``: takes files (413, 422).
    ``conflict``: can meet a state that refuses it (409). ``renders``: makes a PDF (503).
    ``rate_limited``: a public endpoint under the verification rate limit (429).
    """
    responses: dict[int, ResponseSpec] = {400: _MALFORMED, 422: _INVALID} if inputs else {}
    if key:
        responses |= {401: _NO_KEY, 403: _ROLE}
    if lookup:
        responses[404] = _NOT_FOUND
    if conflict:
        responses[409] = _CONFLICT
    if body or uploads:
        responses[413] = _TOO_LARGE
    if rate_limited:
        responses[429] = _RATE_LIMITED
    if renders:
        responses[503] = _UNAVAILABLE
    return dict(sorted(responses.items()))


def also_as_files(*media_types: str) -> type[Operation]:
    """The operation class of an export whose 200 answer is JSON or, with ``format=``, a file
    of one of ``media_types`` (``ResponseSpec`` documents a single media type per status)."""

    class ExportOperation(Operation):
        def __post_init__(self) -> None:
            ok = (self.responses or {}).get("200")
            if isinstance(ok, OpenAPIResponse) and ok.content is not None:
                file = Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY)
                for media_type in media_types:
                    ok.content[media_type] = OpenAPIMediaType(schema=file)

    return ExportOperation


def security_components() -> Components:
    return Components(
        security_schemes={
            API_KEY_SCHEME: SecurityScheme(
                type="http",
                scheme="bearer",
                description="An API key from `satupintu apikey create` or the console "
                "(role issuer, requester of a unit, or auditor).",
            )
        }
    )
