"""The admin's use cases on both backends: who may manage accounts, units, API keys and signing
keys, what each action leaves in the audit log, and failed e-mails read back from it."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from registry.adapters.db import audit
from registry.adapters.db.apikeys import authenticate
from registry.adapters.db.schema import AuditEntry
from registry.domain.actors import CLI_ACTOR, Actor
from registry.domain.errors import Conflict, InvalidInput, PermissionDenied
from registry.domain.units import HeadDraft, UnitDraft
from registry.usecases.accounts import Accounts, AlreadyDone, SignInRefused, UserDraft
from registry.usecases.api_keys import ApiKeys
from registry.usecases.issuing import Registry
from registry.usecases.mail_failures import MailFailures
from registry.usecases.signing_keys import SigningKeys
from registry.usecases.units import Units
from tests.support.drafts import draft

ADMIN = Actor(id="user:root", role="admin", name="Root")
ISSUER = Actor(id="user:andi", role="issuer")
AUDITOR = Actor(id="user:rina", role="auditor")
REQUESTER = Actor(id="user:siti", role="requester", unit_code="DPUPR")
OTHERS = [ISSUER, AUDITOR, REQUESTER]
PASSWORD = "kopi tubruk di teras"


def entries(registry: Registry, action: str) -> list[AuditEntry]:
    with registry.db.reading() as session:
        query = select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.seq)
        return list(session.execute(query).scalars())


@pytest.fixture
def units(registry: Registry) -> Units:
    found = Units(registry.db, now=registry.now, today=registry.local_today)
    found.save(UnitDraft("DPUPR", "Dinas Pekerjaan Umum"), CLI_ACTOR)
    return found


@pytest.fixture
def accounts(registry: Registry, units: Units) -> Accounts:
    found = Accounts(registry.db, now=registry.now)
    found.create_user(UserDraft("siti", "requester", "DPUPR"), CLI_ACTOR, password=PASSWORD)
    return found


# -- accounts ------------------------------------------------------------------------------------


def test_an_admin_enables_and_resets_and_the_last_sign_in_is_kept(
    accounts: Accounts, registry: Registry
) -> None:
    assert accounts.get_user("siti", ADMIN).last_sign_in_at is None
    accounts.sign_in("siti", PASSWORD)
    assert accounts.get_user("siti", ADMIN).last_sign_in_at is not None
    signed_in = accounts.sign_in("siti", PASSWORD)

    reset = accounts.reset_password("siti", ADMIN)
    assert accounts.session_user(signed_in.token) is None  # its sessions are ended
    with pytest.raises(SignInRefused):
        accounts.sign_in("siti", PASSWORD)
    assert accounts.sign_in("siti", reset.password).user.username == "siti"

    accounts.disable_user("siti", ADMIN)
    with pytest.raises(Conflict, match="aktifkan dulu"):
        accounts.reset_password("siti", ADMIN)
    with pytest.raises(Conflict, match="sudah dinonaktifkan"):
        accounts.disable_user("siti", ADMIN)
    accounts.enable_user("siti", ADMIN)
    with pytest.raises(Conflict, match="sudah aktif"):
        accounts.enable_user("siti", ADMIN)
    assert accounts.sign_in("siti", reset.password).user.disabled_at is None
    assert [(e.actor, e.subject) for e in entries(registry, "user.password_reset")] == [
        ("user:root", "user:siti")
    ]
    assert [e.actor for e in entries(registry, "user.enable")] == ["user:root"]


def test_a_reset_lifts_a_lockout(accounts: Accounts) -> None:
    for _ in range(5):
        with pytest.raises(SignInRefused):
            accounts.sign_in("siti", "salah")
    with pytest.raises(SignInRefused):
        accounts.sign_in("siti", PASSWORD)
    reset = accounts.reset_password("siti", CLI_ACTOR)
    view = accounts.sign_in("siti", reset.password).user
    assert view.locked_until is None


def test_one_form_key_creates_one_account_and_one_reset(
    accounts: Accounts, registry: Registry
) -> None:
    draft = UserDraft("dewi", "auditor")
    accounts.create_user(draft, ADMIN, idempotency_key="form-1")
    with pytest.raises(AlreadyDone):
        accounts.create_user(draft, ADMIN, idempotency_key="form-1")
    accounts.reset_password("dewi", ADMIN, idempotency_key="form-2")
    with pytest.raises(AlreadyDone):
        accounts.reset_password("dewi", ADMIN, idempotency_key="form-2")
    # The same key for another form is refused, not silently replayed.
    with pytest.raises(Conflict):
        accounts.reset_password("siti", ADMIN, idempotency_key="form-2")
    assert len(entries(registry, "user.create")) == 2  # siti (fixture) and dewi
    assert len(entries(registry, "user.password_reset")) == 1


def test_nobody_disables_their_own_account(accounts: Accounts) -> None:
    accounts.create_user(UserDraft("root", "admin"), CLI_ACTOR)
    with pytest.raises(Conflict, match="sendiri"):
        accounts.disable_user("root", ADMIN)


@pytest.mark.parametrize("actor", OTHERS)
def test_only_an_admin_manages_accounts(accounts: Accounts, actor: Actor) -> None:
    for action in (
        lambda: accounts.enable_user("siti", actor),
        lambda: accounts.reset_password("siti", actor),
        lambda: accounts.get_user("siti", actor),
    ):
        with pytest.raises(PermissionDenied):
            action()


# -- units ---------------------------------------------------------------------------------------


def test_an_admin_adds_and_updates_units_and_an_add_form_never_overwrites(
    units: Units, registry: Registry
) -> None:
    head = HeadDraft("dr. Ratna", "197805122003121002", "Pembina (IV/a)", "Kepala Dinas")
    saved = units.save(UnitDraft("DINKES", "Dinas Kesehatan", head), ADMIN, must_be_new=True)
    assert saved.created and saved.unit.head is not None
    with pytest.raises(Conflict, match="sudah terdaftar"):
        units.save(UnitDraft("DINKES", "Nama lain"), ADMIN, must_be_new=True)
    assert units.get("DINKES", ADMIN).name == "Dinas Kesehatan"
    units.save(UnitDraft("DINKES", "Dinas Kesehatan Kota"), ADMIN)
    assert [u.code for u in units.list_units(ADMIN)] == ["DINKES", "DPUPR"]
    assert [(e.actor, e.action) for e in entries(registry, "unit.update")] == [
        ("user:root", "unit.update")
    ]
    with pytest.raises(PermissionDenied):
        units.save(UnitDraft("DISDIK", "Dinas Pendidikan"), AUDITOR)


# -- API keys ------------------------------------------------------------------------------------


def test_an_admin_creates_lists_and_revokes_api_keys(registry: Registry, units: Units) -> None:
    keys = ApiKeys(registry.db, now=registry.now)
    created = keys.create(role="requester", unit_code="DPUPR", name="  SIMPEG  ", actor=ADMIN)
    with registry.db.reading() as session:
        assert authenticate(session, created.secret) == created.actor
    listed = keys.list_keys(ADMIN)
    assert [(k.id, k.name, k.active) for k in listed] == [(created.actor.id, "SIMPEG", True)]
    keys.revoke(created.actor.id, ADMIN)
    with pytest.raises(Conflict):
        keys.revoke(created.actor.id, ADMIN)
    with registry.db.reading() as session:
        assert authenticate(session, created.secret) is None
    assert [(e.action, e.actor) for e in entries(registry, "apikey.create")] == [
        ("apikey.create", "user:root")
    ]
    assert [e.actor for e in entries(registry, "apikey.revoke")] == ["user:root"]
    with pytest.raises(InvalidInput, match="belum terdaftar"):
        keys.create(role="requester", unit_code="DINKES", name=None, actor=ADMIN)


def test_one_form_key_makes_one_api_key(registry: Registry) -> None:
    keys = ApiKeys(registry.db, now=registry.now)
    keys.create(role="auditor", unit_code=None, name="BPK", actor=ADMIN, idempotency_key="f")
    with pytest.raises(AlreadyDone):
        keys.create(role="auditor", unit_code=None, name="BPK", actor=ADMIN, idempotency_key="f")
    assert len(keys.list_keys(ADMIN)) == 1


@pytest.mark.parametrize("actor", OTHERS)
def test_only_an_admin_or_the_cli_manages_api_keys(registry: Registry, actor: Actor) -> None:
    keys = ApiKeys(registry.db, now=registry.now)
    made = keys.create(role="auditor", unit_code=None, name=None, actor=CLI_ACTOR)
    for action in (
        lambda: keys.create(role="issuer", unit_code=None, name=None, actor=actor),
        lambda: keys.list_keys(actor),
        lambda: keys.revoke(made.actor.id, actor),
    ):
        with pytest.raises(PermissionDenied):
            action()
    assert [k.active for k in keys.list_keys(CLI_ACTOR)] == [True]


# -- signing keys --------------------------------------------------------------------------------


def test_an_admin_rotates_the_signing_key_and_old_documents_still_verify(
    registry: Registry,
) -> None:
    before = registry.issue(draft(), Actor(id="t", role="issuer")).document
    keys = SigningKeys(registry.db, registry.keyring, now=registry.now)
    [only] = keys.list_keys(ADMIN)
    assert only.active and only.kid == before.kid
    with pytest.raises(Conflict):
        keys.rotate(ADMIN, expected_active="bukan-kunci-aktif")
    new = keys.rotate(ADMIN, expected_active=before.kid)
    assert [(k.kid, k.active) for k in keys.list_keys(ADMIN)] == [(new, True), (before.kid, False)]
    assert registry.verify(before.token).status == "valid"
    [entry] = [e for e in entries(registry, "key.create") if e.subject == new]
    assert entry.actor == "user:root" and json.loads(entry.details) == {"previous": before.kid}


@pytest.mark.parametrize("actor", OTHERS)
def test_only_an_admin_or_the_cli_sees_or_rotates_signing_keys(
    registry: Registry, actor: Actor
) -> None:
    keys = SigningKeys(registry.db, registry.keyring, now=registry.now)
    active = registry.keyring.active().kid
    with pytest.raises(PermissionDenied):
        keys.list_keys(actor)
    with pytest.raises(PermissionDenied):
        keys.rotate(actor)
    assert registry.keyring.active().kid == active


# -- failed e-mails ------------------------------------------------------------------------------


def test_failed_sends_newest_first_and_counted_for_a_week(registry: Registry) -> None:
    now = registry.now()
    with registry.db.writing() as session:
        for days, subject in ((8, "lama"), (2, "baru")):
            audit.append(
                session,
                at=now - timedelta(days=days),
                actor="system",
                action="notification.failed",
                subject="b-1",
                details={"event": "batch.done", "recipients": 1, "subject": subject, "error": "x"},
            )
        audit.append(
            session,
            at=now,
            actor="system",
            action="notification.sent",
            subject="b-2",
            details={"event": "batch.done", "recipients": 1, "subject": "terkirim"},
        )
    failures = MailFailures(registry.db)
    assert [f.subject for f in failures.latest(ADMIN)] == ["baru", "lama"]
    assert failures.latest(ADMIN)[0].event == "batch.done"
    assert failures.count_last_week(ADMIN, now) == 1
    for actor in OTHERS:
        with pytest.raises(PermissionDenied):
            failures.latest(actor)
