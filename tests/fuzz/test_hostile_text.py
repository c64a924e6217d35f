"""Names and titles with template syntax, HTML and any Unicode: printed as typed, or refused.

Accepted text must come out literally in the DOCX (nothing evaluated by docxtpl's Jinja, the XML
still valid) and escaped on the verification page; text the rules of ``registry.domain.text``
refuse must be refused with 422 over HTTP, with nothing written. Issuance renders the DOCX only
(no LibreOffice: the per-test ``registry`` fixture), so each example costs one DOCX rendering.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterator
from typing import Any

import pytest
from docx import Document as DocxDocument
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from litestar.testing import TestClient
from markupsafe import escape
from sqlalchemy import func, select

from api.app import create_app
from registry.adapters.db.schema import AuditEntry, Document, NumberCounter
from registry.domain.errors import InvalidInput
from registry.domain.text import MAX_TEXT, clean_text
from registry.usecases.issuing import Registry
from tests.conftest import Keys
from tests.console.support import sign_in
from tests.support.drafts import body, draft

#: Syntax that means something to docxtpl, Jinja, Word's XML or a browser.
HOSTILE = (
    "{{ 7*7 }}",
    "{{ config }}",
    "{% for x in range(3) %}x{% endfor %}",
    "{%p if true %}",
    "{%tr for r in rows %}",
    "{# comment #}",
    "{{ ''.__class__.__mro__ }}",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "</w:t></w:r><w:r><w:t>",
    "]]>",
    "&amp; & &lt;",
    "\"' `",
    "\\",
    "Dra. Siti Aminah, M.Si.",
)
fragments = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(st.characters(codec="utf-8"), max_size=20),
)
texts = st.lists(fragments, min_size=1, max_size=6).map("".join)
#: Mostly what the rules accept (letters, marks, digits, punctuation, symbols, spaces, in any
#: script), so that most examples reach the DOCX and the page.
printable = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(st.characters(categories=["L", "M", "N", "P", "S", "Zs"]), min_size=1, max_size=20),
)
printable_texts = st.lists(printable, min_size=1, max_size=6).map("".join)
long_texts = st.integers(MAX_TEXT - 5, MAX_TEXT + 5).map(lambda n: ("{{ x }}<b>" * 30)[:n])

EXAMPLES = settings(
    max_examples=25,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def _accepted(text: str) -> str | None:
    try:
        return clean_text(text, "name", required=True)
    except InvalidInput:
        return None


def _docx_text(data: bytes) -> str:
    document = DocxDocument(io.BytesIO(data))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


@given(text=st.one_of(texts, long_texts))
@settings(max_examples=300, derandomize=True, database=None)
def test_the_text_rules_accept_or_refuse_never_crash(text: str) -> None:
    refused: InvalidInput | None = None
    try:
        cleaned = clean_text(text, "name", required=True)
    except InvalidInput as exc:
        refused = exc
    if refused is not None:
        assert refused.field == "name"
    else:
        assert cleaned == unicodedata.normalize("NFC", text.strip())
        assert 0 < len(cleaned) <= MAX_TEXT


@pytest.fixture
def client(registry: Registry) -> Iterator[TestClient[Any]]:
    with TestClient(create_app(registry=registry)) as test_client:
        yield test_client


def test_accepted_names_and_titles_print_literally_and_are_escaped_on_the_pages(
    registry: Registry, console: TestClient[Any], api_keys: Keys
) -> None:
    assert sign_in(console, "andi").status_code == 303
    issued = with_syntax = 0

    @given(name=printable_texts, title=printable_texts)
    @EXAMPLES
    def issue(name: str, title: str) -> None:
        nonlocal issued, with_syntax
        clean_name, clean_title = _accepted(name), _accepted(title)
        if clean_name is None or clean_title is None:
            return  # refused text: the next test
        issued += 1
        with_syntax += any(mark in clean_name + clean_title for mark in ("{{", "{%", "<"))
        _issue_and_read(registry, console, api_keys, name, title, clean_name, clean_title)

    issue()
    assert issued >= 10
    assert with_syntax >= 5


def _issue_and_read(
    registry: Registry,
    client: TestClient[Any],
    api_keys: Keys,
    name: str,
    title: str,
    clean_name: str,
    clean_title: str,
) -> None:
    outcome = registry.issue(draft(name=name, title=title), api_keys.issuer.actor, None)
    view = outcome.document

    docx = next(f for f in view.files if f.kind == "docx")
    printed = _docx_text(registry.production.store.read(docx.sha256))
    assert clean_name in printed
    assert clean_title in printed

    # The public verification page, and the console's page of the document (signed in).
    for path in (f"/v/{view.token}", f"/konsol/dokumen/{view.id}"):
        page = client.get(path)
        assert page.status_code == 200, path
        assert str(escape(clean_name)) in page.text, path
        assert str(escape(clean_title)) in page.text, path
        if "<script>" in clean_name + clean_title:
            assert "<script>" not in page.text, path


def _written(registry: Registry) -> tuple[int, int, int]:
    with registry.db.reading() as session:
        return (
            session.execute(select(func.count()).select_from(Document)).scalar_one(),
            session.execute(
                select(func.coalesce(func.max(NumberCounter.last_seq), 0))
            ).scalar_one(),
            session.execute(select(func.count()).select_from(AuditEntry)).scalar_one(),
        )


def test_refused_names_answer_422_and_write_nothing(
    registry: Registry, client: TestClient[Any], api_keys: Keys
) -> None:
    refused = 0

    @given(name=st.one_of(texts, long_texts))
    @EXAMPLES
    def send(name: str) -> None:
        nonlocal refused
        if _accepted(name) is not None:
            return
        refused += 1
        _refused_over_http(registry, client, api_keys, name)

    send()
    assert refused >= 10


def _refused_over_http(
    registry: Registry, client: TestClient[Any], api_keys: Keys, name: str
) -> None:
    before = _written(registry)

    response = client.post(
        "/api/v1/documents",
        json=body(**{"recipient.name": name}),
        headers={"Authorization": f"Bearer {api_keys.issuer.secret}"},
    )

    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert _written(registry) == before
