"""The console shell in a browser: sign-in, a refused password, Beranda, keyboard, sign-out."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import (
    WIDTHS,
    Served,
    create_user,
    new_page,
    no_sideways_scroll,
    playwright_api,
    shot,
)


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_first_admin_signs_in_and_out(served: Served, browser: Any, width: str) -> None:
    username = f"admin{width}"
    password = create_user(served, username, "admin", "--name", "Admin BPSDM")
    page = new_page(browser, width)
    expect = playwright_api.expect
    page.goto(f"{served.base}/konsol")
    assert page.url.startswith(f"{served.base}/konsol/masuk")
    expect(page.get_by_role("heading", name="Masuk ke konsol")).to_be_visible()
    shot(page, "01-masuk", width)

    # The sign-in page puts the cursor in the username field.
    expect(page.get_by_label("Nama pengguna")).to_be_focused()

    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill("bukan kata sandinya")
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("alert")).to_contain_text("dikunci 15 menit")
    shot(page, "02-gagal-masuk", width)

    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", name="Beranda", exact=True)).to_be_visible()
    nav = page.get_by_role("navigation", name="Menu utama")
    expect(nav).to_contain_text("Beranda")
    expect(nav).to_contain_text("Pengaturan")
    expect(page.get_by_text("Admin BPSDM", exact=True)).to_be_visible()
    no_sideways_scroll(page)
    shot(page, "03-beranda-admin", width)

    # Keyboard first: the skip link is the first stop, visible when focused, and leads to main.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Langsung ke isi halaman")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    shot(page, "04-fokus-lewati", width)
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    page.get_by_role("button", name="Keluar").click()
    expect(page.get_by_role("status")).to_contain_text("Anda sudah keluar")
    page.goto(f"{served.base}/konsol")
    assert page.url.startswith(f"{served.base}/konsol/masuk")
    page.context.close()
