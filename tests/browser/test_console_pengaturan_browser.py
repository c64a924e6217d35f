"""Pengaturan in a browser. Flow 1: the first admin sets up a unit with its head, an SKPD account
and an issuer account, and the issuer signs in with the one-time password shown. Flow 6a: five
wrong passwords lock an account, and then the right one is refused too."""

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
    sign_in,
)

HEAD_NIP = "197805122003121002"


def create_account(page: Any, username: str, name: str, role: str, unit: str | None) -> str:
    """Fill the Tambah pengguna form; returns the one-time password the answer shows."""
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Nama lengkap").fill(name)
    page.get_by_label("Peran").select_option(label=role)
    if unit is not None:
        page.get_by_label("Unit (untuk pemohon)").select_option(label=unit)
    page.get_by_label("E-mail").fill(f"{username}@bpsdm.example")
    page.get_by_role("button", name="Buat akun").click()
    playwright_api.expect(page.get_by_role("heading", name="Akun dibuat")).to_be_visible()
    password: str = page.locator("#kata-sandi").inner_text()
    return password


@pytest.mark.parametrize("width", list(WIDTHS))
def test_flow_1_the_first_admin_sets_up_a_unit_and_its_accounts(
    served: Served, browser: Any, width: str
) -> None:
    expect = playwright_api.expect
    admin = f"pengaturan.{width}"
    code = f"UJI-{width.upper()}"
    unit_name = f"Dinas Uji Coba {width.title()}"
    requester, issuer = f"skpd.{width}", f"penerbit.{width}"
    admin_password = create_user(served, admin, "admin", "--name", "Admin BPSDM")
    page = new_page(browser, width)
    sign_in(page, served, admin, admin_password)

    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Pengaturan").click()
    expect(page.get_by_role("heading", name="Pengaturan", level=1)).to_be_visible()
    no_sideways_scroll(page)
    shot(page, "10-pengaturan", width)

    page.get_by_role("link", name="Unit kerja").click()
    page.get_by_label("Kode unit").fill(code)
    page.get_by_label("Nama unit").fill(unit_name)
    page.get_by_label("Nama kepala unit").fill("Ir. Bambang Sutrisno, M.T.")
    page.get_by_label("NIP kepala unit").fill(HEAD_NIP)
    page.get_by_label("Pangkat/golongan").fill("Pembina Utama Muda (IV/c)")
    page.get_by_label("Jabatan").fill("Kepala Dinas")
    page.get_by_role("button", name="Tambah unit").click()
    expect(page.get_by_role("status")).to_contain_text("Unit ditambahkan")
    row = page.get_by_role("row").filter(has_text=code)
    expect(row).to_contain_text("Ir. Bambang Sutrisno, M.T.")
    no_sideways_scroll(page)
    shot(page, "11-unit-baru", width)

    page.goto(f"{served.base}/konsol/pengaturan/pengguna")
    page.get_by_label("Nama pengguna").fill(requester)
    page.get_by_label("Nama lengkap").fill("Siti Rahma")
    page.get_by_label("Peran").select_option(label="Pemohon (SKPD)")
    page.get_by_label("Unit (untuk pemohon)").select_option(label=f"{unit_name} ({code})")
    no_sideways_scroll(page)
    shot(page, "12-pengguna-baru", width)
    page.get_by_label("E-mail").fill(f"{requester}@bpsdm.example")
    page.get_by_role("button", name="Buat akun").click()
    expect(page.get_by_role("heading", name="Akun dibuat")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text(code)

    page.get_by_role("link", name="Kembali ke daftar pengguna").click()
    issuer_password = create_account(page, issuer, "Andi Pratama", "Penerbit (BPSDM)", None)
    expect(page.get_by_text("satu-satunya tempat")).to_be_visible()
    no_sideways_scroll(page)
    shot(page, "13-kata-sandi-sekali", width)

    page.get_by_role("link", name="Kembali ke daftar pengguna").click()
    expect(page.get_by_role("row").filter(has_text=requester)).to_contain_text(code)
    expect(page.get_by_role("row").filter(has_text=issuer)).to_contain_text("Belum pernah")
    no_sideways_scroll(page)
    shot(page, "14-daftar-pengguna", width)
    page.context.close()

    # The new issuer, in another browser, signs in with the password that was shown once.
    other = new_page(browser, width)
    sign_in(other, served, issuer, issuer_password)
    expect(other.get_by_text("Penerbit (BPSDM)", exact=True)).to_be_visible()
    expect(other.get_by_role("heading", name="Permohonan menunggu keputusan")).to_be_visible()
    other.context.close()


@pytest.mark.parametrize("width", list(WIDTHS))
def test_flow_6a_five_wrong_passwords_lock_the_account(
    served: Served, browser: Any, width: str
) -> None:
    expect = playwright_api.expect
    username = f"terkunci.{width}"
    password = create_user(served, username, "auditor", "--name", "Rina Auditor")
    page = new_page(browser, width)
    page.goto(f"{served.base}/konsol/masuk")
    for attempt in range(5):
        page.get_by_label("Nama pengguna").fill(username)
        page.get_by_label("Kata sandi").fill(f"salah {attempt}")
        page.get_by_role("button", name="Masuk").click()
        expect(page.get_by_role("alert")).to_contain_text("dikunci 15 menit")

    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("akun sedang dikunci")
    expect(alert).to_contain_text("minta admin")
    assert page.url.startswith(f"{served.base}/konsol/masuk")
    expect(page.get_by_role("heading", name="Beranda", exact=True)).to_have_count(0)
    no_sideways_scroll(page)
    shot(page, "6a-akun-terkunci", width)
    page.context.close()
