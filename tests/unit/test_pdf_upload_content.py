"""What an uploaded PDF may hold: active content and decompression bombs are refused before a
number is taken; ordinary links, form fields and polyglots' disguises are told apart."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from registry.adapters import pdf
from registry.adapters.pdf import inspection
from registry.domain.errors import InvalidInput
from tests.support import hostile_pdf
from tests.support.drafts import outside_pdf

MB = 1_000_000
LIMIT = 20 * MB


@pytest.mark.parametrize(
    ("build", "kind", "found_in"),
    list(hostile_pdf.ACTIVE_CONTENT.values()),
    ids=list(hostile_pdf.ACTIVE_CONTENT),
)
def test_active_content_is_refused_naming_its_kind(
    build: Callable[[], bytes], kind: str, found_in: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        pdf.check_upload(build(), max_bytes=LIMIT)
    refusal = caught.value
    assert refusal.field == "file"
    assert refusal.extra["active_content"] == kind
    assert refusal.extra["found_in"] == found_in
    assert refusal.message.startswith("PDF berisi ")
    assert f"({found_in})" in refusal.message
    assert "unggah kembali" in refusal.message


def test_the_open_action_script_is_named_as_the_issue_asks() -> None:
    with pytest.raises(InvalidInput, match=r"^PDF berisi JavaScript \(OpenAction\); simpan ulang"):
        pdf.check_upload(hostile_pdf.open_action_script(), max_bytes=LIMIT)


def test_links_and_form_fields_without_scripts_are_accepted() -> None:
    pdf.check_upload(hostile_pdf.links_and_form_fields(), max_bytes=LIMIT)
    pdf.check_upload(outside_pdf(3), max_bytes=LIMIT)


def test_a_content_stream_inflating_far_past_the_budget_is_refused() -> None:
    bomb = hostile_pdf.content_bomb(256)
    assert len(bomb) < MB  # small on disk ...
    with pytest.raises(InvalidInput, match="bom dekompresi") as caught:
        pdf.check_upload(bomb, max_bytes=LIMIT)  # ... 256 MB once inflated
    assert caught.value.field == "file"
    assert caught.value.extra["max_inflated_bytes"] == inspection.MAX_INFLATED_BYTES


def test_streams_each_within_pypdfs_limit_are_bounded_together() -> None:
    # 3 x 70 MB: no single stream reaches pypdf's own 75 MB limit, together they pass 200 MB.
    bombs = hostile_pdf.many_small_bombs(3, 70)
    with pytest.raises(InvalidInput, match="bom dekompresi"):
        pdf.check_upload(bombs, max_bytes=LIMIT)


def test_streams_inflating_within_the_budget_are_accepted() -> None:
    pdf.check_upload(hostile_pdf.many_small_bombs(2, 60), max_bytes=LIMIT)


def test_the_budget_grows_with_a_large_honest_upload() -> None:
    assert inspection.inflation_budget(MB) == inspection.MAX_INFLATED_BYTES
    assert inspection.inflation_budget(LIMIT) == inspection.MAX_INFLATION_RATIO * LIMIT


def test_a_png_with_a_pdf_appended_is_refused() -> None:
    with pytest.raises(InvalidInput, match="Berkas bukan PDF"):
        pdf.check_upload(hostile_pdf.png_with_pdf_appended(), max_bytes=LIMIT)
