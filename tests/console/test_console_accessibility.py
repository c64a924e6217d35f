"""Every console page a role can reach by following links answers, and keeps the basic rules of an
accessible page: Indonesian, one h1 and no skipped heading level, a label for every field, headed
table columns, text alternatives for images and charts, unique ids.

The crawl starts at Beranda and follows console links (pages only, not files), so pages added
later are checked without touching this test."""

from __future__ import annotations

from collections import deque
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urldefrag

import pytest
from litestar.testing import TestClient

from tests.api.conftest import bearer
from tests.conftest import Keys
from tests.console.support import sign_in
from tests.support.drafts import body

FILE_SUFFIXES = (".pdf", ".docx", ".csv", ".xlsx", ".zip", ".png", ".svg", ".css")
FIELDS = {"input", "select", "textarea"}
UNLABELLED_INPUTS = {"hidden", "submit", "button", "reset", "image"}
MAX_PAGES = 60


class PageAudit(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lang: str | None = None
        self.headings: list[int] = []
        self.ids: list[str] = []
        self.label_targets: set[str] = set()
        self.fields: list[dict[str, str | None]] = []
        self.open_labels = 0
        self.unscoped_headers = 0
        self.images_without_text: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.append(str(attributes["id"]))
        if tag == "html":
            self.lang = attributes.get("lang")
        elif len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
            self.headings.append(int(tag[1]))
        elif tag == "label":
            self.open_labels += 1
            if attributes.get("for"):
                self.label_targets.add(str(attributes["for"]))
        elif tag in FIELDS:
            kind = (attributes.get("type") or "text").lower()
            if tag != "input" or kind not in UNLABELLED_INPUTS:
                self.fields.append(attributes | {"_wrapped": "1" if self.open_labels else None})
        elif tag == "th" and "scope" not in attributes:
            self.unscoped_headers += 1
        elif tag == "img" and attributes.get("alt") is None:
            self.images_without_text.append(str(attributes.get("src")))
        elif tag == "svg" and not (
            attributes.get("aria-hidden") == "true"
            or (attributes.get("role") == "img" and attributes.get("aria-label"))
            or attributes.get("aria-labelledby")
        ):
            self.images_without_text.append("<svg>")
        elif tag == "a" and attributes.get("href"):
            self.links.append(str(attributes["href"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self.open_labels -= 1

    def problems(self) -> list[str]:
        found = []
        if self.lang != "id":
            found.append(f"lang={self.lang!r}")
        if self.headings.count(1) != 1:
            found.append(f"{self.headings.count(1)} h1")
        for before, after in zip(self.headings, self.headings[1:], strict=False):
            if after > before + 1:
                found.append(f"heading h{before} then h{after}")
        for field in self.fields:
            named = (
                field.get("_wrapped")
                or field.get("aria-label")
                or field.get("aria-labelledby")
                or (field.get("id") and field["id"] in self.label_targets)
            )
            if not named:
                found.append(f"field without a label: {field.get('name')!r}")
        if self.unscoped_headers:
            found.append(f"{self.unscoped_headers} th without scope")
        found += [f"image without text: {source}" for source in self.images_without_text]
        duplicates = {name for name in self.ids if self.ids.count(name) > 1}
        if duplicates:
            found.append(f"duplicate ids {sorted(duplicates)}")
        return found


def crawl(client: TestClient[Any]) -> dict[str, list[str]]:
    """Problems per page reached from Beranda; every page reached must answer 200."""
    seen = {"/konsol"}
    queue = deque(["/konsol"])
    report: dict[str, list[str]] = {}
    while queue and len(report) < MAX_PAGES:
        path = queue.popleft()
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        if not response.headers["content-type"].startswith("text/html"):
            continue
        audit = PageAudit()
        audit.feed(response.text)
        report[path] = audit.problems()
        for link in audit.links:
            target = urldefrag(link).url
            if (
                target.startswith("/konsol")
                and not target.startswith("/konsol/static")
                and not target.split("?")[0].endswith(FILE_SUFFIXES)
                and target not in seen
            ):
                seen.add(target)
                queue.append(target)
    return report


@pytest.mark.parametrize("username", ["andi", "siti", "rina", "root"])
def test_every_reachable_page_keeps_the_basic_rules(
    console: TestClient[Any], api_keys: Keys, username: str
) -> None:
    # Something to show: an issued document of the unit DPUPR.
    issued = console.post(
        "/api/v1/documents",
        json=body(unit_code="DPUPR"),
        headers=bearer(api_keys.issuer.secret),
    )
    assert issued.status_code == 201, issued.text
    sign_in(console, username)
    report = crawl(console)
    assert "/konsol" in report
    assert {path: problems for path, problems in report.items() if problems} == {}


def test_the_audit_finds_what_it_looks_for() -> None:
    broken = PageAudit()
    broken.feed(
        '<html lang="en"><h1>a</h1><h3>b</h3><input name="q"><table><th>x</th></table>'
        '<img src="x.png"><svg></svg><p id="a"></p><p id="a"></p>'
    )
    assert broken.problems() == [
        "lang='en'",
        "heading h1 then h3",
        "field without a label: 'q'",
        "1 th without scope",
        "image without text: x.png",
        "image without text: <svg>",
        "duplicate ids ['a']",
    ]
    fine = PageAudit()
    fine.feed(
        '<html lang="id"><h1>a</h1><h2>b</h2><label for="q">Cari</label><input id="q" name="q">'
        '<label>Tahun <select name="y"></select></label><input type="hidden" name="t">'
        '<svg role="img" aria-label="grafik"></svg>'
    )
    assert fine.problems() == []
