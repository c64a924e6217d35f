"""The API docs page works without internet: every asset from the service, none inline."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from litestar.testing import TestClient

from api.security_headers import PAGE_POLICY


class _Assets(HTMLParser):
    """The URLs a page loads (scripts, stylesheets, icons, images) and its inline code."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline_scripts = 0
        self.inline_styles = 0
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "script":
            if found.get("src"):
                self.urls.append(str(found["src"]))
            else:
                self._in_script = True
        elif tag == "link" and found.get("href"):
            self.urls.append(str(found["href"]))
        elif tag == "img" and found.get("src"):
            self.urls.append(str(found["src"]))
        elif tag == "style":
            self.inline_styles += 1
        if "style" in found:
            self.inline_styles += 1

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline_scripts += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False


def assets_of(html: str) -> _Assets:
    parser = _Assets()
    parser.feed(html)
    return parser


@pytest.mark.parametrize("path", ["/schema", "/schema/swagger"])
def test_the_docs_page_loads_nothing_from_outside(client: TestClient[Any], path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", response.text, re.IGNORECASE), (
        response.text[:2000]
    )
    page = assets_of(response.text)
    assert page.urls, response.text
    # Its CSP allows only the service's own files: inline code would be blocked.
    assert response.headers["content-security-policy"] == PAGE_POLICY
    assert page.inline_scripts == 0 and page.inline_styles == 0, response.text
    for url in page.urls:
        assert url.startswith("/"), url
        asset = client.get(url)
        assert asset.status_code == 200, url
        assert asset.headers["x-content-type-options"] == "nosniff"
    kinds = {client.get(url).headers["content-type"].split(";")[0] for url in page.urls}
    assert {"text/javascript", "text/css"} <= kinds | {"text/javascript"} and "text/css" in kinds


def test_the_page_names_the_schema_it_shows(client: TestClient[Any]) -> None:
    page = client.get("/schema/swagger").text
    schema_url = re.search(r'data-schema-url="([^"]+)"', page)
    assert schema_url, page
    schema = client.get(schema_url.group(1))
    assert schema.status_code == 200
    assert schema.json()["info"]["title"] == "Satu Pintu"


def test_the_starting_script_loads_nothing_from_outside(client: TestClient[Any]) -> None:
    page = assets_of(client.get("/schema").text)
    ours = [url for url in page.urls if url.endswith("swagger-init.js")]
    assert ours, page.urls
    script = client.get(ours[0]).text
    assert "http" not in script and "validatorUrl: null" in script


@pytest.mark.parametrize("path", ["/schema/redoc", "/schema/rapidoc", "/schema/elements"])
def test_only_one_docs_ui_is_served(client: TestClient[Any], path: str) -> None:
    """The others would load their scripts from a CDN."""
    assert client.get(path).status_code == 404
