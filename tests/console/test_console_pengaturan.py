"""Pengaturan (admin) through the test client: people, units and rosters, API keys, signing
keys, failed e-mails, and the admin's Beranda; each action checked in the database and the
audit log under ``user:root``."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import func, select

from api.console.session import SESSION_COOKIE
from registry.adapters.db import audit
from registry.adapters.db.schema import ApiKey, AuditEntry, Employee, Unit, User
from registry.usecases.accounts import MAX_FAILED_ATTEMPTS, Accounts
from registry.usecases.issuing import Registry
from tests.api.conftest import bearer
from tests.console.support import csrf_token, post_form, sign_in
from tests.support.drafts import PNS_NIP, distinct_nips

HEAD_NIP = "197805122003121002"
PAGES = [
    "/konsol/pengaturan",
    "/konsol/pengaturan/pengguna",
    "/konsol/pengaturan/pengguna/siti/nonaktifkan",
    "/konsol/pengaturan/pengguna/siti/atur-ulang",
    "/konsol/pengaturan/unit",
    "/konsol/pengaturan/unit/DPUPR",
    "/konsol/pengaturan/unit/DPUPR/pegawai",
    "/konsol/pengaturan/kunci-api",
    "/konsol/pengaturan/kunci",
    "/konsol/pengaturan/kunci/ganti",
    "/konsol/pengaturan/notifikasi",
]
FORMS = [
    "/konsol/pengaturan/pengguna",
    "/konsol/pengaturan/pengguna/siti/nonaktifkan",
    "/konsol/pengaturan/pengguna/siti/aktifkan",
    "/konsol/pengaturan/pengguna/siti/atur-ulang",
    "/konsol/pengaturan/unit",
    "/konsol/pengaturan/unit/DPUPR",
    "/konsol/pengaturan/unit/DPUPR/pegawai",
    "/konsol/pengaturan/kunci-api",
    "/konsol/pengaturan/kunci/ganti",
]
PASSWORD_SHOWN = re.compile(r'<code id="kata-sandi">([^<]+)</code>')
SECRET_SHOWN = re.compile(r'<code id="rahasia-kunci">([^<]+)</code>')
FORM_KEY = re.compile(r'name="idempotency_key" value="([^"]+)"')


def actions_by(registry: Registry, actor: str) -> list[tuple[str, str | None]]:
    with registry.db.reading() as session:
        rows = session.execute(
            select(AuditEntry.action, AuditEntry.subject)
            .where(AuditEntry.actor == actor)
            .order_by(AuditEntry.seq)
        ).all()
    return [(action, subject) for action, subject in rows]


def audit_count(registry: Registry) -> int:
    with registry.db.reading() as session:
        return int(session.execute(select(func.count()).select_from(AuditEntry)).scalar_one())


def user_row(registry: Registry, username: str) -> User | None:
    with registry.db.reading() as session:
        return session.execute(select(User).where(User.username == username)).scalar()


def alert(html: str) -> str:
    found = re.search(r'role="alert"[^>]*>\s*<h2>[^<]+</h2>\s*<p>([^<]+)</p>', html)
    assert found is not None, html
    return found.group(1)


def form_key(client: TestClient[Any], path: str) -> str:
    found = FORM_KEY.search(client.get(path).text)
    assert found is not None
    return found.group(1)


# -- who may open what -------------------------------------------------------------------------


@pytest.mark.parametrize("path", PAGES)
def test_every_page_is_the_admins_and_refuses_other_roles(
    console: TestClient[Any], path: str
) -> None:
    assert (
        console.get(path, follow_redirects=False)
        .headers["location"]
        .startswith("/konsol/masuk?next=")
    )
    for username in ("andi", "siti", "rina"):
        sign_in(console, username)
        refused = console.get(path)
        assert refused.status_code == 403, (username, path)
        assert "hanya untuk peran Admin" in refused.text
        assert 'name="idempotency_key"' not in refused.text
    sign_in(console, "root")
    shown = console.get(path)
    assert shown.status_code == 200, shown.text
    assert shown.text.count("<h1") == 1
    assert 'href="/konsol/pengaturan" aria-current' in shown.text


@pytest.mark.parametrize("path", FORMS)
def test_every_form_is_refused_without_its_csrf_token_and_writes_nothing(
    console: TestClient[Any], registry: Registry, path: str
) -> None:
    sign_in(console, "root")
    before = audit_count(registry)
    refused = console.post(
        path,
        data={"username": "baru", "role": "issuer", "code": "DINKES", "name": "Dinas Kesehatan"},
        follow_redirects=False,
    )
    assert refused.status_code == 403
    assert "Formulir kedaluwarsa" in refused.text
    assert audit_count(registry) == before
    assert user_row(registry, "baru") is None


@pytest.mark.parametrize("username", ["andi", "siti", "rina"])
def test_other_roles_cannot_post_the_forms_either(
    console: TestClient[Any], registry: Registry, username: str
) -> None:
    sign_in(console, username)
    token = csrf_token(console, "/konsol")
    before = audit_count(registry)
    for path in FORMS:
        data = {"_csrf_token": token, "username": "baru", "role": "issuer", "code": "DINKES"}
        assert console.post(path, data=data).status_code == 403, path
    assert audit_count(registry) == before


# -- people --------------------------------------------------------------------------------------


def test_the_admin_creates_an_account_whose_one_time_password_signs_in(
    console: TestClient[Any], registry: Registry
) -> None:
    sign_in(console, "root")
    created = post_form(
        console,
        "/konsol/pengaturan/pengguna",
        {
            "username": "Dewi.Lestari",
            "name": "Dewi  Lestari",
            "role": "requester",
            "unit": "BAPPEDA",
            "email": "dewi@bappeda.example",
            "idempotency_key": "k1",
        },
    )
    assert created.status_code == 200, created.text
    assert created.headers["cache-control"] == "no-store"
    found = PASSWORD_SHOWN.search(created.text)
    assert found is not None
    password = found.group(1)
    assert "satu-satunya tempat" in created.text
    row = user_row(registry, "dewi.lestari")
    assert row is not None
    assert (row.role, row.unit_code, row.display_name, row.email) == (
        "requester",
        "BAPPEDA",
        "Dewi Lestari",
        "dewi@bappeda.example",
    )
    assert password not in row.password_hash
    assert ("user.create", "user:dewi.lestari") in actions_by(registry, "user:root")
    # The list shows it, never the password again.
    listed = console.get("/konsol/pengaturan/pengguna").text
    assert "dewi.lestari" in listed and password not in listed
    assert "Belum pernah" in listed

    assert sign_in(console, "dewi.lestari", password).status_code == 303
    assert "Permohonan unit BAPPEDA" in console.get("/konsol").text
    sign_in(console, "root")
    assert "Belum pernah" not in re.search(
        r"dewi\.lestari.*?</tr>", console.get("/konsol/pengaturan/pengguna").text, re.S
    ).group(0)  # type: ignore[union-attr]


def test_a_unit_chosen_for_another_role_is_dropped(
    console: TestClient[Any], registry: Registry
) -> None:
    sign_in(console, "root")
    data = {"username": "penerbit2", "role": "issuer", "unit": "DPUPR"}
    assert post_form(console, "/konsol/pengaturan/pengguna", data).status_code == 200
    row = user_row(registry, "penerbit2")
    assert row is not None and row.role == "issuer" and row.unit_code is None


@pytest.mark.parametrize(
    ("data", "status", "field", "message"),
    [
        ({"username": "dewi", "role": "requester"}, 422, "unit", "harus terikat pada satu unit"),
        ({"username": "D", "role": "issuer"}, 422, "username", "Nama pengguna 2-32 karakter"),
        ({"username": "dewi", "role": "raja"}, 422, "role", "Peran tidak dikenal"),
        (
            {"username": "dewi", "role": "auditor", "email": "bukan-email"},
            422,
            "email",
            "tidak valid",
        ),
        ({"username": "siti", "role": "auditor"}, 409, "username", "sudah dipakai"),
    ],
)
def test_a_refused_account_shows_the_form_again_and_creates_nothing(
    console: TestClient[Any],
    registry: Registry,
    data: dict[str, str],
    status: int,
    field: str,
    message: str,
) -> None:
    sign_in(console, "root")
    before = audit_count(registry)
    refused = post_form(console, "/konsol/pengaturan/pengguna", {"name": "Dewi Baru", **data})
    assert refused.status_code == status
    assert message in alert(refused.text)
    assert f'id="f-{field}"' in refused.text
    field_tag = re.search(rf'<(?:input|select)[^>]*id="f-{field}"[^>]*>', refused.text)
    assert field_tag is not None
    assert 'aria-invalid="true"' in field_tag.group(0)
    assert f"f-{field}-error" in field_tag.group(0)
    assert f'id="f-{field}-error"' in refused.text
    assert 'value="Dewi Baru"' in refused.text  # what was typed is kept
    assert audit_count(registry) == before
    assert user_row(registry, "dewi") is None


def test_submitting_the_same_account_form_twice_creates_one_account(
    console: TestClient[Any], registry: Registry
) -> None:
    sign_in(console, "root")
    key = form_key(console, "/konsol/pengaturan/pengguna")
    data = {"username": "dewi", "role": "auditor", "idempotency_key": key}
    assert post_form(console, "/konsol/pengaturan/pengguna", data).status_code == 200
    again = post_form(console, "/konsol/pengaturan/pengguna", data)
    assert again.status_code == 409
    assert "sudah dikirim" in alert(again.text)
    assert PASSWORD_SHOWN.search(again.text) is None
    assert actions_by(registry, "user:root").count(("user.create", "user:dewi")) == 1


def test_disabling_asks_first_ends_the_sessions_and_can_be_undone(
    console: TestClient[Any], registry: Registry, accounts: Accounts
) -> None:
    sign_in(console, "siti")
    session_of_siti = console.cookies[SESSION_COOKIE]
    console.cookies.clear()  # another browser: signing in here must not end Siti's session
    sign_in(console, "root")
    confirm = console.get("/konsol/pengaturan/pengguna/siti/nonaktifkan")
    assert "Nonaktifkan akun siti?" in confirm.text
    assert accounts.session_user(session_of_siti) is not None
    done = post_form(console, "/konsol/pengaturan/pengguna/siti/nonaktifkan", {})
    assert done.status_code == 303
    assert done.headers["location"] == "/konsol/pengaturan/pengguna?selesai=dinonaktifkan"
    listed = console.get(done.headers["location"]).text
    assert "Akun dinonaktifkan" in listed and "Nonaktif</span>" in listed
    assert accounts.session_user(session_of_siti) is None
    # A second submit does not act again.
    again = post_form(console, "/konsol/pengaturan/pengguna/siti/nonaktifkan", {})
    assert again.status_code == 409
    assert "sudah dinonaktifkan" in again.text
    assert sign_in(console, "siti").status_code == 400

    sign_in(console, "root")
    enabled = post_form(
        console, "/konsol/pengaturan/pengguna/siti/aktifkan", {}, form_page="/konsol"
    )
    assert enabled.status_code == 303
    assert "Akun diaktifkan lagi" in console.get(enabled.headers["location"]).text
    assert sign_in(console, "siti").status_code == 303
    assert [a for a in actions_by(registry, "user:root") if a[1] == "user:siti"] == [
        ("user.disable", "user:siti"),
        ("user.enable", "user:siti"),
    ]


def test_the_admin_cannot_disable_their_own_account(
    console: TestClient[Any], registry: Registry
) -> None:
    sign_in(console, "root")
    refused = post_form(
        console, "/konsol/pengaturan/pengguna/root/nonaktifkan", {}, form_page="/konsol"
    )
    assert refused.status_code == 409
    assert "sendiri" in refused.text
    assert user_row(registry, "root").disabled_at is None  # type: ignore[union-attr]


def test_a_reset_password_unlocks_the_account_and_the_old_password_stops(
    console: TestClient[Any], registry: Registry
) -> None:
    for _ in range(MAX_FAILED_ATTEMPTS):
        sign_in(console, "siti", "salah sekali")
    assert sign_in(console, "siti").status_code == 400  # locked
    sign_in(console, "root")
    assert "Terkunci sementara" in console.get("/konsol/pengaturan/pengguna").text
    page = "/konsol/pengaturan/pengguna/siti/atur-ulang"
    key = form_key(console, page)
    done = post_form(console, page, {"idempotency_key": key})
    assert done.status_code == 200
    assert done.headers["cache-control"] == "no-store"
    password = PASSWORD_SHOWN.search(done.text).group(1)  # type: ignore[union-attr]
    # The same confirmation again makes no second password.
    again = post_form(console, page, {"idempotency_key": key})
    assert again.status_code == 409 and PASSWORD_SHOWN.search(again.text) is None
    assert actions_by(registry, "user:root").count(("user.password_reset", "user:siti")) == 1
    assert sign_in(console, "siti").status_code == 400
    assert sign_in(console, "siti", password).status_code == 303


# -- units and rosters ---------------------------------------------------------------------------


def unit_form(**overrides: str) -> dict[str, str]:
    return {
        "code": "dinkes",
        "name": "Dinas Kesehatan",
        "head.name": "dr. Ratna Sari, M.Kes.",
        "head.nip": HEAD_NIP,
        "head.rank": "Pembina Utama Muda (IV/c)",
        "head.position": "Kepala Dinas",
        **overrides,
    }


def test_the_admin_adds_a_unit_with_its_head_and_edits_it(
    console: TestClient[Any], registry: Registry
) -> None:
    sign_in(console, "root")
    added = post_form(console, "/konsol/pengaturan/unit", unit_form())
    assert added.status_code == 303
    assert added.headers["location"].startswith("/konsol/pengaturan/unit?selesai=ditambahkan")
    listed = console.get(added.headers["location"]).text
    assert "Unit ditambahkan." in listed and "dr. Ratna Sari, M.Kes." in listed
    with registry.db.reading() as session:
        unit = session.get(Unit, "DINKES")
        assert unit is not None
        assert (unit.name, unit.head_nip, unit.head_position) == (
            "Dinas Kesehatan",
            HEAD_NIP,
            "Kepala Dinas",
        )

    edited = post_form(
        console,
        "/konsol/pengaturan/unit/DINKES",
        unit_form(code="LAIN", **{"head.position": "Plt. Kepala Dinas"}),
    )
    assert edited.status_code == 303
    assert "Perubahan unit disimpan." in console.get(edited.headers["location"]).text
    with registry.db.reading() as session:
        assert session.get(Unit, "LAIN") is None  # the code is the page's, not the form's
        assert session.get(Unit, "DINKES").head_position == "Plt. Kepala Dinas"  # type: ignore[union-attr]
    assert [a for a in actions_by(registry, "user:root") if a[1] == "DINKES"] == [
        ("unit.create", "DINKES"),
        ("unit.update", "DINKES"),
    ]


@pytest.mark.parametrize(
    ("overrides", "status", "field", "message"),
    [
        ({"code": "DPUPR"}, 409, "code", "sudah terdaftar"),
        ({"code": ""}, 422, "code", "Kode unit wajib diisi"),
        ({"head.nip": "12345"}, 422, "head.nip", "NIP"),
        ({"head.rank": ""}, 422, "head.rank", "Kepala unit harus lengkap"),
    ],
)
def test_a_refused_unit_shows_the_form_again_and_saves_nothing(
    console: TestClient[Any],
    registry: Registry,
    overrides: dict[str, str],
    status: int,
    field: str,
    message: str,
) -> None:
    sign_in(console, "root")
    before = audit_count(registry)
    refused = post_form(console, "/konsol/pengaturan/unit", unit_form(**overrides))
    assert refused.status_code == status
    assert message in alert(refused.text)
    fid = "f-" + field.replace(".", "-")
    tag = re.search(rf'<input[^>]*id="{fid}"[^>]*>', refused.text)
    assert tag is not None and 'aria-invalid="true"' in tag.group(0)
    assert 'value="dr. Ratna Sari, M.Kes."' in refused.text
    assert audit_count(registry) == before
    with registry.db.reading() as session:
        assert session.get(Unit, "DINKES") is None
        assert session.get(Unit, "DPUPR").name.startswith("Dinas Pekerjaan")  # type: ignore[union-attr]


def roster(*lines: str) -> bytes:
    return ("\n".join(["NIP,Nama,Status,Jenis Jabatan,Jabatan,Pangkat", *lines]) + "\n").encode()


def test_the_admin_imports_a_roster_and_sees_the_counts(
    console: TestClient[Any], registry: Registry
) -> None:
    sign_in(console, "root")
    a, b = distinct_nips(2)
    page = "/konsol/pengaturan/unit/DPUPR/pegawai"
    files = {"file": ("pegawai.csv", roster(f"{a},Andi Saputra,PNS,,,", f"{b},Budi,PNS,,,"))}
    done = post_form(console, page, {}, files=files)
    assert done.status_code == 303, done.text
    shown = console.get(done.headers["location"]).text
    assert "2 baris; 2 pegawai baru, 0 diperbarui, 0 tidak berubah" in shown
    assert "Andi Saputra" in shown and a in shown
    with registry.db.reading() as session:
        codes = session.execute(select(Employee.unit_code).where(Employee.nip.in_([a, b])))
        assert sorted(codes.scalars()) == ["DPUPR", "DPUPR"]
    assert ("roster.import", "DPUPR") in actions_by(registry, "user:root")


def test_a_roster_with_a_bad_row_lists_the_rows_and_imports_nothing(
    console: TestClient[Any], registry: Registry
) -> None:
    sign_in(console, "root")
    page = "/konsol/pengaturan/unit/DPUPR/pegawai"
    files = {"file": ("pegawai.csv", roster(f"{PNS_NIP},Andi,PNS,,,", "123,Budi,PNS,,,"))}
    refused = post_form(console, page, {}, files=files)
    assert refused.status_code == 422
    assert "tidak ada pegawai yang diimpor" in alert(refused.text)
    assert re.search(r'<td class="num">3</td><td><code>nip</code></td>', refused.text)
    assert 'aria-invalid="true"' in refused.text
    with registry.db.reading() as session:
        assert session.execute(select(func.count()).select_from(Employee)).scalar_one() == 0
    assert ("roster.import", "DPUPR") not in actions_by(registry, "user:root")

    empty = post_form(console, page, {}, files={"file": ("", b"")})
    assert empty.status_code == 422
    assert "Pilih berkas" in alert(empty.text)


def test_an_unknown_unit_or_user_is_a_404_page(console: TestClient[Any]) -> None:
    sign_in(console, "root")
    for path in (
        "/konsol/pengaturan/unit/DINKES",
        "/konsol/pengaturan/unit/DINKES/pegawai",
        "/konsol/pengaturan/pengguna/tidakada/nonaktifkan",
        "/konsol/pengaturan/pengguna/tidakada/atur-ulang",
    ):
        missing = console.get(path)
        assert missing.status_code == 404
        assert "tidak ditemukan" in missing.text


# -- API keys ------------------------------------------------------------------------------------


def test_an_api_key_is_shown_once_works_and_is_revoked_after_confirmation(
    console: TestClient[Any], registry: Registry
) -> None:
    sign_in(console, "root")
    page = "/konsol/pengaturan/kunci-api"
    key = form_key(console, page)
    data = {"role": "requester", "unit": "DPUPR", "name": "SIMPEG DPUPR", "idempotency_key": key}
    created = post_form(console, page, data)
    assert created.status_code == 200, created.text
    assert created.headers["cache-control"] == "no-store"
    secret = SECRET_SHOWN.search(created.text).group(1)  # type: ignore[union-attr]
    assert secret.startswith("sp_")
    again = post_form(console, page, data)
    assert again.status_code == 409 and SECRET_SHOWN.search(again.text) is None
    with registry.db.reading() as session:
        keys = list(session.execute(select(ApiKey)).scalars())
    assert len(keys) == 1
    key_id = keys[0].id
    assert (keys[0].role, keys[0].unit_code, keys[0].name) == ("requester", "DPUPR", "SIMPEG DPUPR")
    assert ("apikey.create", key_id) in actions_by(registry, "user:root")
    listed = console.get(page).text
    assert key_id in listed and secret not in listed

    assert console.get("/api/v1/units/DPUPR", headers=bearer(secret)).status_code == 200
    confirm = console.get(f"{page}/{key_id}/cabut")
    assert f"Cabut kunci {key_id}?" in confirm.text
    assert console.get("/api/v1/units/DPUPR", headers=bearer(secret)).status_code == 200
    no_token = console.post(f"{page}/{key_id}/cabut", data={})
    assert no_token.status_code == 403
    assert console.get("/api/v1/units/DPUPR", headers=bearer(secret)).status_code == 200
    revoked = post_form(console, f"{page}/{key_id}/cabut", {})
    assert revoked.status_code == 303
    assert "Kunci API dicabut" in console.get(revoked.headers["location"]).text
    assert console.get("/api/v1/units/DPUPR", headers=bearer(secret)).status_code == 401
    assert ("apikey.revoke", key_id) in actions_by(registry, "user:root")
    assert post_form(console, f"{page}/{key_id}/cabut", {}).status_code == 409


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"role": "requester"}, None, "harus terikat pada satu unit"),
        ({"role": "requester", "unit": "DINKES"}, "unit", "belum terdaftar"),
        ({"role": "admin"}, None, "Peran tidak dikenal"),
    ],
)
def test_a_refused_api_key_creates_nothing(
    console: TestClient[Any],
    registry: Registry,
    data: dict[str, str],
    field: str | None,
    message: str,
) -> None:
    sign_in(console, "root")
    refused = post_form(console, "/konsol/pengaturan/kunci-api", {"name": "Aplikasi X", **data})
    assert refused.status_code == 422
    assert message in alert(refused.text)
    assert 'value="Aplikasi X"' in refused.text
    if field:
        assert f'id="f-{field}-error"' in refused.text
    with registry.db.reading() as session:
        assert session.execute(select(func.count()).select_from(ApiKey)).scalar_one() == 0


def test_an_unknown_api_key_is_a_404_page(console: TestClient[Any]) -> None:
    sign_in(console, "root")
    assert console.get("/konsol/pengaturan/kunci-api/tidakada/cabut").status_code == 404


# -- signing keys --------------------------------------------------------------------------------


def test_rotating_the_signing_key_asks_first_and_keeps_the_old_key(
    console: TestClient[Any], registry: Registry
) -> None:
    old = registry.keyring.active().kid
    sign_in(console, "root")
    listed = console.get("/konsol/pengaturan/kunci").text
    assert old in listed and "PRIVATE" not in listed
    confirm = console.get("/konsol/pengaturan/kunci/ganti").text
    assert "tetap sah dan dapat diperiksa" in confirm and f'name="active" value="{old}"' in confirm
    done = post_form(
        console, "/konsol/pengaturan/kunci/ganti", {"active": old}, form_page="/konsol"
    )
    assert done.status_code == 303
    new = registry.keyring.active().kid
    assert new != old
    assert set(registry.keyring.public_keys()) == {old, new}
    shown = console.get(done.headers["location"]).text
    assert "Kunci penandatangan diganti" in shown
    assert shown.index(new) < shown.index(old)  # newest first
    with registry.db.reading() as session:
        entry = session.execute(
            select(AuditEntry).where(AuditEntry.action == "key.create", AuditEntry.subject == new)
        ).scalar_one()
    assert entry.actor == "user:root" and json.loads(entry.details) == {"previous": old}

    # The same confirmation submitted again rotates nothing.
    again = post_form(console, "/konsol/pengaturan/kunci/ganti", {"active": old})
    assert again.status_code == 409
    assert registry.keyring.active().kid == new
    assert len(registry.keyring.public_keys()) == 2


# -- failed e-mails and Beranda ------------------------------------------------------------------


def record_failure(registry: Registry, *, days_ago: int, subject: str) -> None:
    with registry.db.writing() as session:
        audit.append(
            session,
            at=registry.now() - timedelta(days=days_ago),
            actor="system",
            action="notification.failed",
            subject="0b9d1c1e-8c7a-4e0e-9f5e-1d2c3b4a5f60",
            details={
                "event": "request.submitted",
                "recipients": 2,
                "subject": subject,
                "error": "SMTPConnectError: connection refused",
            },
        )


def test_failed_sends_are_listed_newest_first_and_counted_on_beranda(
    console: TestClient[Any], registry: Registry
) -> None:
    record_failure(registry, days_ago=10, subject="Permohonan lama")
    record_failure(registry, days_ago=1, subject="Permohonan baru <b>")
    sign_in(console, "root")
    listed = console.get("/konsol/pengaturan/notifikasi").text
    assert listed.index("Permohonan baru &lt;b&gt;") < listed.index("Permohonan lama")
    assert "SMTPConnectError: connection refused" in listed
    assert "2 alamat" in listed
    assert 'href="/konsol/permohonan/0b9d1c1e-8c7a-4e0e-9f5e-1d2c3b4a5f60"' in listed
    assert "Permohonan diajukan (kepada penerbit)" in listed

    home = console.get("/konsol").text
    card = home[home.index('id="email-gagal"') :]
    assert re.search(r'figure-value">1</span> dalam 7 hari terakhir', card)
    assert 'href="/konsol/pengaturan/notifikasi"' in card
    assert "belum tersedia" not in home
    for link in ("pengguna", "unit", "kunci-api", "kunci"):
        assert f'href="/konsol/pengaturan/{link}"' in home
    overview = console.get("/konsol/pengaturan").text
    assert "1 e-mail pemberitahuan gagal terkirim dalam 7 hari terakhir" in overview


def test_no_failed_sends(console: TestClient[Any]) -> None:
    sign_in(console, "root")
    assert (
        "Tidak ada e-mail yang gagal terkirim." in console.get("/konsol/pengaturan/notifikasi").text
    )
    assert re.search(r'figure-value">0</span> dalam 7 hari', console.get("/konsol").text)
