"""Console accounts on both backends: creation, sign-in, lockout, sessions, e-mail look-ups."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from registry.adapters.db.engine import Database
from registry.adapters.db.schema import AuditEntry, ConsoleSession, User
from registry.domain.actors import CLI_ACTOR, Actor
from registry.domain.errors import Conflict, InvalidInput, PermissionDenied
from registry.domain.units import UnitDraft
from registry.usecases.accounts import (
    LOCKOUT,
    MAX_FAILED_ATTEMPTS,
    SESSION_IDLE,
    SIGN_IN_REFUSED,
    Accounts,
    SignInRefused,
    UserDraft,
)
from registry.usecases.units import Units
from tests.conftest import Clock

PASSWORD = "kopi tubruk di teras"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def accounts(db: Database, clock: Clock) -> Accounts:
    clock.current = START
    units = Units(db, now=clock, today=lambda: clock().date())
    units.save(UnitDraft("DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang"), CLI_ACTOR)
    return Accounts(db, now=clock)


def _create(accounts: Accounts, username: str = "andi", **fields: str) -> None:
    role = fields.pop("role", "issuer")
    draft = UserDraft(username=username, role=role, **fields)  # type: ignore[arg-type]
    accounts.create_user(draft, CLI_ACTOR, password=PASSWORD)


def test_a_created_user_signs_in_as_a_user_actor(accounts: Accounts, db: Database) -> None:
    created = accounts.create_user(
        UserDraft("Siti.Rahma", "requester", "DPUPR", "Siti Rahma", "siti@dpupr.go.id"), CLI_ACTOR
    )
    assert created.user.username == "siti.rahma"
    signed_in = accounts.sign_in("SITI.RAHMA", created.password)
    actor = signed_in.user.actor
    assert actor == Actor(
        id="user:siti.rahma", role="requester", unit_code="DPUPR", name="Siti Rahma"
    )
    assert actor.label == "user:siti.rahma"
    with db.reading() as session:
        stored = session.execute(select(User)).scalar_one()
        entry = (
            session.execute(select(AuditEntry).order_by(AuditEntry.seq.desc())).scalars().first()
        )
    assert stored.password_hash.startswith("$argon2id$")
    assert created.password not in stored.password_hash
    assert entry is not None and entry.action == "user.create" and entry.actor == "cli"
    assert created.password not in entry.details


def test_creation_refuses_what_cannot_work(accounts: Accounts) -> None:
    with pytest.raises(InvalidInput, match="unit") as no_unit:
        accounts.create_user(UserDraft("budi", "requester"), CLI_ACTOR)
    assert no_unit.value.field == "unit"
    with pytest.raises(InvalidInput, match="belum terdaftar"):
        accounts.create_user(UserDraft("budi", "requester", "DINKES"), CLI_ACTOR)
    with pytest.raises(InvalidInput, match="Peran tidak dikenal"):
        accounts.create_user(UserDraft("budi", "operator"), CLI_ACTOR)
    with pytest.raises(InvalidInput, match="paling sering"):
        accounts.create_user(UserDraft("budi", "issuer"), CLI_ACTOR, password="password12345")
    with pytest.raises(InvalidInput, match="e-mail"):
        accounts.create_user(UserDraft("budi", "issuer", email="budi@"), CLI_ACTOR)
    with pytest.raises(InvalidInput, match="Nama pengguna"):
        accounts.create_user(UserDraft("budi pratama", "issuer"), CLI_ACTOR)
    _create(accounts, "budi")
    with pytest.raises(Conflict, match="sudah dipakai"):
        _create(accounts, "BUDI")
    issuer = Actor(id="user:budi", role="issuer")
    with pytest.raises(PermissionDenied):
        accounts.create_user(UserDraft("citra", "issuer"), issuer)
    admin = Actor(id="user:root", role="admin")
    assert accounts.create_user(UserDraft("citra", "auditor"), admin).user.role == "auditor"


@pytest.mark.parametrize(
    "display_name",
    [
        pytest.param("\u202egnasiB\u202c", id="right-to-left-override"),
        pytest.param("\u200b\u200b", id="zero-width-only"),
        pytest.param("Siti\u200dAminah", id="zero-width-joiner-inside"),
    ],
)
def test_a_display_name_that_would_not_show_as_stored_is_refused(
    accounts: Accounts, db: Database, display_name: str
) -> None:
    def written() -> tuple[int, int]:
        with db.reading() as session:
            users = session.execute(select(func.count()).select_from(User)).scalar_one()
            entries = session.execute(select(func.count()).select_from(AuditEntry)).scalar_one()
        return users, entries

    before = written()
    with pytest.raises(InvalidInput, match="Nama tampilan memuat") as refused:
        accounts.create_user(
            UserDraft("siti", "issuer", display_name=display_name), CLI_ACTOR, password=PASSWORD
        )
    assert refused.value.field == "name"
    assert written() == before
    created = accounts.create_user(
        UserDraft("siti", "issuer", display_name="Dra. Siti Aminah, M.Si."),
        CLI_ACTOR,
        password=PASSWORD,
    )
    assert created.user.display_name == "Dra. Siti Aminah, M.Si."


def test_the_fifth_failure_locks_for_fifteen_minutes(
    accounts: Accounts, db: Database, clock: Clock
) -> None:
    _create(accounts)
    for _ in range(MAX_FAILED_ATTEMPTS - 1):
        with pytest.raises(SignInRefused):
            accounts.sign_in("andi", "salah sekali kata sandinya")
    # Four failures lock nothing: the right password still works, and resets the count.
    accounts.sign_in("andi", PASSWORD)
    for _ in range(MAX_FAILED_ATTEMPTS):
        with pytest.raises(SignInRefused):
            accounts.sign_in("andi", "salah sekali kata sandinya")
    with db.reading() as session:
        user = session.execute(select(User)).scalar_one()
        assert user.locked_until is not None
    with pytest.raises(SignInRefused) as locked:
        accounts.sign_in("andi", PASSWORD)
    assert locked.value.message == SIGN_IN_REFUSED
    clock.current = START + LOCKOUT - timedelta(seconds=1)
    with pytest.raises(SignInRefused):
        accounts.sign_in("andi", PASSWORD)
    clock.current = START + LOCKOUT
    assert accounts.sign_in("andi", PASSWORD).user.username == "andi"
    with db.reading() as session:
        actions = session.execute(select(AuditEntry.action)).scalars().all()
    assert actions.count("user.lock") == 1


def test_the_answer_is_the_same_whether_or_not_the_username_exists(accounts: Accounts) -> None:
    _create(accounts)
    answers = set()
    for username in ("andi", "tidakada", "x", ""):
        with pytest.raises(SignInRefused) as refused:
            accounts.sign_in(username, "salah sekali kata sandinya")
        answers.add((type(refused.value), refused.value.message, refused.value.field))
    assert len(answers) == 1


def test_a_disabled_user_cannot_sign_in_and_loses_its_sessions(accounts: Accounts) -> None:
    _create(accounts, email="andi@bpsdm.go.id")
    token = accounts.sign_in("andi", PASSWORD).token
    assert accounts.session_user(token) is not None
    accounts.disable_user("andi", CLI_ACTOR)
    assert accounts.session_user(token) is None
    with pytest.raises(SignInRefused):
        accounts.sign_in("andi", PASSWORD)
    assert accounts.email_of("user:andi") is None
    assert accounts.emails_for_role("issuer") == []


def test_sign_in_rotates_the_session_and_sign_out_ends_it(accounts: Accounts, db: Database) -> None:
    _create(accounts)
    first = accounts.sign_in("andi", PASSWORD)
    second = accounts.sign_in("andi", PASSWORD, previous_token=first.token)
    assert second.token != first.token
    assert accounts.session_user(first.token) is None
    assert accounts.session_user(second.token) is not None
    # Even a refused sign-in ends the session the browser came with.
    with pytest.raises(SignInRefused):
        accounts.sign_in("andi", "salah sekali kata sandinya", previous_token=second.token)
    assert accounts.session_user(second.token) is None
    third = accounts.sign_in("andi", PASSWORD)
    accounts.sign_out(third.token)
    assert accounts.session_user(third.token) is None
    with db.reading() as session:
        stored = session.execute(select(func.count()).select_from(ConsoleSession)).scalar_one()
        ids = session.execute(select(ConsoleSession.id)).scalars().all()
    assert stored == 0
    assert third.token not in ids


def test_a_session_survives_a_new_process_and_ends_when_idle(
    accounts: Accounts, db: Database, clock: Clock
) -> None:
    _create(accounts)
    token = accounts.sign_in("andi", PASSWORD).token
    other_process = Accounts(
        Database.from_url(str(db.engine.url.render_as_string(False))), now=clock
    )
    try:
        clock.current = START + SESSION_IDLE - timedelta(minutes=1)
        seen = other_process.session_user(token)
        assert seen is not None and seen.username == "andi"
        # Each request moves the idle deadline on.
        clock.current = START + SESSION_IDLE + timedelta(minutes=30)
        assert other_process.session_user(token) is not None
        clock.current += SESSION_IDLE
        assert accounts.session_user(token) is None
    finally:
        other_process.db.dispose()


def test_emails_for_role_and_email_of(accounts: Accounts) -> None:
    _create(accounts, "andi", email="andi@bpsdm.go.id")
    _create(accounts, "budi", email="budi@bpsdm.go.id")
    _create(accounts, "citra")
    _create(accounts, "siti", role="requester", unit_code="DPUPR", email="siti@dpupr.go.id")
    assert accounts.emails_for_role("issuer") == ["andi@bpsdm.go.id", "budi@bpsdm.go.id"]
    assert accounts.emails_for_role("requester", "DPUPR") == ["siti@dpupr.go.id"]
    assert accounts.emails_for_role("requester", "DINKES") == []
    assert accounts.email_of("user:siti") == "siti@dpupr.go.id"
    assert accounts.email_of("user:citra") is None
    assert accounts.email_of("user:nobody") is None
    assert accounts.email_of("apikey:1a2b3c4d") is None
    assert accounts.email_of("cli") is None
