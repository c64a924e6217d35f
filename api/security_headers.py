"""Security headers on every response: the JSON API, the schema, the docs, the pages, the files.

A response that already carries one of these headers keeps its own value (the verification page
sets a stricter policy than the one below): the hook adds what is missing and never doubles a
header.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Final

from litestar.datastructures import MutableScopeHeaders
from litestar.types import Message, Scope

#: JSON, problem details, spreadsheets, images: nothing in them is to run or to load anything.
NOTHING_POLICY: Final = "default-src 'none'; frame-ancestors 'none'"

#: The console and the docs page: stylesheets, scripts and images of this service only (the
#: package's own static files), forms posted back to it, never framed.
PAGE_POLICY: Final = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'"
)

#: A PDF opened in the browser: Chrome draws it in a page of its own whose inline styles a
#: ``default-src`` would block (a blank or cut-off viewer), so only framing is refused.
PDF_POLICY: Final = "frame-ancestors 'none'"

#: Two years, the usual minimum for HSTS; no ``includeSubDomains``: other hosts of an agency's
#: domain (an intranet server on plain http) are not this service's to decide.
HSTS: Final = "max-age=63072000"


def content_security_policy(content_type: str) -> str:
    """The policy that fits a response of this media type."""
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type == "text/html":
        return PAGE_POLICY
    if media_type == "application/pdf":
        return PDF_POLICY
    return NOTHING_POLICY


def missing_headers(
    content_type: str, present: Iterable[str], *, https: bool
) -> list[tuple[str, str]]:
    """The security headers a response lacks, given the names of those it has (any case)."""
    wanted = {
        "X-Content-Type-Options": "nosniff",
        # Verification links carry the document's token in the path: never send it onwards.
        "Referrer-Policy": "no-referrer",
        "X-Frame-Options": "DENY",
        "Content-Security-Policy": content_security_policy(content_type),
    }
    if https:
        wanted["Strict-Transport-Security"] = HSTS
    have = {name.lower() for name in present}
    return [(name, value) for name, value in wanted.items() if name.lower() not in have]


def security_headers_hook(*, https: bool) -> Callable[[Message, Scope], Awaitable[None]]:
    """A Litestar ``before_send`` hook adding :func:`missing_headers` to each HTTP response.

    A coroutine function: Litestar runs a plain function hook on a worker thread, which cost two
    thread hops per response (the start message and the body) under verification load.
    """

    async def add_security_headers(message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start":
            return
        headers = MutableScopeHeaders.from_message(message)
        for name, value in missing_headers(
            headers.get("content-type", ""), headers.keys(), https=https
        ):
            headers.add(name, value)

    return add_security_headers
