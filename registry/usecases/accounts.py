"""Console accounts: people, their passwords and their sign-in sessions.

People sign in with a username and a password (API keys stay for machines). A person acts as
``Actor(id="user:<username>", ...)``, so every change they make goes through the same use cases
and role checks as the API and is audited under ``user:<username>``.

Passwords are hashed with Argon2id (``argon2-cffi``'s defaults, RFC 9106's second recommended
profile) and never logged or audited. Five failed sign-ins in a row lock the account for fifteen
minutes. Every refused sign-in, for a wrong password, a locked or disabled account, or a username
that does not exist, raises the same :class:`SignInRefused` with the same message, and costs one
Argon2 verification (against a dummy hash when there is no account), so neither the answer nor
its timing tells whether the username exists.

Sessions are rows in ``console_sessions`` keyed by the SHA-256 of a random token (the cookie
holds the token), so they work across service processes and survive a restart; signing in always
makes a new token and ends the one the browser came with (the session id is rotated), and signing
out deletes the row.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from registry.adapters.db import audit
from registry.adapters.db.engine import Database
from registry.adapters.db.schema import USER_ROLES, ConsoleSession, Unit, User
from registry.adapters.password_list import common_passwords
from registry.domain.actors import USER_PREFIX, Actor, user_actor_id
from registry.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied, RegistryError
from registry.domain.passwords import check_password, generate_password
from registry.domain.text import refuse_hidden_characters
from registry.domain.units import parse_code
from registry.usecases.idempotency import IdempotencyKeys, Made

__all__ = [
    "LOCKOUT",
    "MAX_FAILED_ATTEMPTS",
    "Accounts",
    "AlreadyDone",
    "CreatedUser",
    "SignInRefused",
    "SignedIn",
    "UserDraft",
    "UserView",
]

MAX_FAILED_ATTEMPTS = 5
LOCKOUT = timedelta(minutes=15)
#: A session ends this long after sign-in whatever happens, or after IDLE without a request.
SESSION_LIFETIME = timedelta(hours=12)
SESSION_IDLE = timedelta(hours=2)
# last_seen_at is written at most this often: not one write per page view.
_TOUCH_EVERY = timedelta(minutes=1)

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Who manages accounts: an admin in the console, the operator at the CLI.
_MANAGERS = ("admin", "operator")

SIGN_IN_REFUSED = (
    "Nama pengguna atau kata sandi salah, atau akun sedang dikunci. Setelah "
    f"{MAX_FAILED_ATTEMPTS} kali gagal berturut-turut akun dikunci "
    f"{int(LOCKOUT.total_seconds() // 60)} menit: tunggu lalu coba lagi, atau minta admin "
    "memeriksa akun Anda."
)


class AlreadyDone(Conflict):
    """A repeated submit of a form whose first submit already acted (and showed its secret)."""


class SignInRefused(RegistryError):
    """One answer for every refused sign-in (see the module docstring)."""

    title = "Gagal masuk"

    def __init__(self) -> None:
        super().__init__(SIGN_IN_REFUSED)


@dataclass(frozen=True)
class UserDraft:
    username: str
    role: str
    unit_code: str | None = None
    display_name: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class UserView:
    id: uuid.UUID
    username: str
    display_name: str
    email: str | None
    role: str
    unit_code: str | None
    created_at: datetime
    disabled_at: datetime | None
    locked_until: datetime | None
    last_sign_in_at: datetime | None = None

    @property
    def actor(self) -> Actor:
        return Actor(
            id=user_actor_id(self.username),
            role=self.role,
            unit_code=self.unit_code,
            name=self.display_name,
        )


@dataclass(frozen=True)
class CreatedUser:
    user: UserView
    password: str  # shown once, never stored


@dataclass(frozen=True)
class SignedIn:
    user: UserView
    token: str  # goes in the cookie; only its SHA-256 is stored
    expires_at: datetime


class Accounts:
    def __init__(
        self,
        db: Database,
        *,
        now: Callable[[], datetime],
        hasher: PasswordHasher | None = None,
        common: Collection[str] | None = None,
    ) -> None:
        self.db = db
        self._now = now
        self._hasher = hasher or PasswordHasher()
        self._common = common if common is not None else common_passwords()
        self._dummy_hash: str | None = None

    # -- people --------------------------------------------------------------------------------

    def create_user(
        self,
        draft: UserDraft,
        actor: Actor,
        *,
        password: str | None = None,
        idempotency_key: str | None = None,
    ) -> CreatedUser:
        """Create an account; without ``password`` one is generated (shown once to the caller).

        A form submitted twice with one ``idempotency_key`` creates one account; the repeat is
        refused (:class:`AlreadyDone`), since the password it made is never shown again.
        """
        _require_manager(actor)
        username = parse_username(draft.username)
        if draft.role not in USER_ROLES:
            raise InvalidInput(
                f"Peran tidak dikenal: {draft.role!r} (pilihan: {', '.join(USER_ROLES)})",
                field="role",
            )
        unit_code = None
        if draft.unit_code is not None and draft.unit_code.strip():
            unit_code = _unit_code(draft.unit_code)
        if draft.role == "requester" and unit_code is None:
            raise InvalidInput(
                "Akun requester harus terikat pada satu unit: pilih unitnya (--unit).",
                field="unit",
            )
        email = _email(draft.email)
        display_name = " ".join((draft.display_name or "").split()) or username
        if len(display_name) > 200:
            raise InvalidInput(
                "Nama tampilan terlalu panjang (maksimal 200 karakter)", field="name"
            )
        refuse_hidden_characters(display_name, "name", label="Nama tampilan")
        payload = {"draft": draft.__dict__, "generated": password is None}
        if password is None:
            secret = generate_password(username=username, common=self._common)
        else:
            check_password(password, username=username, common=self._common)
            secret = password
        password_hash = self._hasher.hash(secret)

        def work(session: Session) -> CreatedUser:
            if unit_code is not None and session.get(Unit, unit_code) is None:
                raise InvalidInput(
                    f"Unit {unit_code!r} belum terdaftar. Daftarkan dulu: "
                    f'satupintu unit add {unit_code} --name "Nama unit"',
                    field="unit",
                )
            if _by_username(session, username) is not None:
                raise Conflict(f"Nama pengguna {username!r} sudah dipakai", field="username")
            now = self._now()
            user = User(
                id=uuid.uuid4(),
                username=username,
                display_name=display_name,
                email=email,
                password_hash=password_hash,
                role=draft.role,
                unit_code=unit_code,
                failed_attempts=0,
                created_at=now,
            )
            session.add(user)
            audit.append(
                session,
                at=now,
                actor=actor.label,
                action="user.create",
                subject=user_actor_id(username),
                details={"role": draft.role, "unit_code": unit_code, "email": email},
            )
            return CreatedUser(_view(user), secret)

        return self._once(actor, idempotency_key, "user.create", payload, work)

    def disable_user(self, username: str, actor: Actor) -> UserView:
        """Disable an account and end its sessions; the row stays (audit entries name it)."""
        _require_manager(actor)
        name = parse_username(username)
        if actor.label == user_actor_id(name):
            # The last admin locking themselves out would leave only the server's CLI.
            raise Conflict("Akun Anda sendiri tidak dapat dinonaktifkan; minta admin lain.")
        with self.db.writing() as session:
            user = session.execute(
                select(User).where(User.username == name).with_for_update()
            ).scalar()
            if user is None:
                raise NotFound(f"Pengguna {name!r} tidak ditemukan")
            if user.disabled_at is not None:
                raise Conflict(f"Pengguna {name!r} sudah dinonaktifkan")
            now = self._now()
            user.disabled_at = now
            session.execute(delete(ConsoleSession).where(ConsoleSession.user_id == user.id))
            audit.append(
                session,
                at=now,
                actor=actor.label,
                action="user.disable",
                subject=user_actor_id(name),
            )
            return _view(user)

    def enable_user(self, username: str, actor: Actor) -> UserView:
        """Let a disabled account sign in again, with the password it had."""
        _require_manager(actor)
        name = parse_username(username)
        with self.db.writing() as session:
            user = _locked_row(session, name)
            if user.disabled_at is None:
                raise Conflict(f"Pengguna {name!r} sudah aktif")
            now = self._now()
            user.disabled_at = None
            user.failed_attempts = 0
            user.locked_until = None
            audit.append(
                session,
                at=now,
                actor=actor.label,
                action="user.enable",
                subject=user_actor_id(name),
            )
            return _view(user)

    def reset_password(
        self, username: str, actor: Actor, *, idempotency_key: str | None = None
    ) -> CreatedUser:
        """Give an account a new generated one-time password, lift a lockout, end its sessions.

        The person who forgot a password, or whose account was locked by someone guessing, gets
        back in through an admin; the old password stops working at once. A repeat of one
        ``idempotency_key`` is refused (:class:`AlreadyDone`), not a second new password.
        """
        _require_manager(actor)
        name = parse_username(username)
        password = generate_password(username=name, common=self._common)
        password_hash = self._hasher.hash(password)

        def work(session: Session) -> CreatedUser:
            user = _locked_row(session, name)
            if user.disabled_at is not None:
                raise Conflict(
                    f"Pengguna {name!r} dinonaktifkan: aktifkan dulu, lalu atur ulang kata sandinya"
                )
            now = self._now()
            user.password_hash = password_hash
            user.failed_attempts = 0
            user.locked_until = None
            session.execute(delete(ConsoleSession).where(ConsoleSession.user_id == user.id))
            audit.append(
                session,
                at=now,
                actor=actor.label,
                action="user.password_reset",
                subject=user_actor_id(name),
            )
            return CreatedUser(_view(user), password)

        return self._once(actor, idempotency_key, "user.password_reset", {"user": name}, work)

    def get_user(self, username: str, actor: Actor) -> UserView:
        _require_manager(actor)
        name = parse_username(username)
        with self.db.reading() as session:
            user = _by_username(session, name)
            if user is None:
                raise NotFound(f"Pengguna {name!r} tidak ditemukan")
            return _view(user)

    def list_users(self, actor: Actor) -> list[UserView]:
        _require_manager(actor)
        with self.db.reading() as session:
            users = session.execute(select(User).order_by(User.username)).scalars()
            return [_view(user) for user in users]

    def emails_for_role(self, role: str, unit_code: str | None = None) -> list[str]:
        """E-mail addresses of the enabled accounts of ``role`` (of ``unit_code`` when given)."""
        query = select(User.email).where(
            User.role == role, User.disabled_at.is_(None), User.email.is_not(None)
        )
        if unit_code is not None:
            query = query.where(User.unit_code == unit_code)
        with self.db.reading() as session:
            return sorted({email for email in session.execute(query).scalars() if email})

    def email_of(self, actor_label: str) -> str | None:
        """The e-mail of the person an audit label names (``user:andi``); None for API keys,
        the CLI, unknown or disabled users and users without an address."""
        if not actor_label.startswith(USER_PREFIX):
            return None
        with self.db.reading() as session:
            user = _by_username(session, actor_label.removeprefix(USER_PREFIX))
            if user is None or user.disabled_at is not None:
                return None
            return user.email

    # -- signing in and out --------------------------------------------------------------------

    def sign_in(
        self, username: str, password: str, *, previous_token: str | None = None
    ) -> SignedIn:
        """Check the password and start a new session (ending ``previous_token``'s, if any)."""
        name = username.strip().lower()
        with self.db.reading() as session:
            found = _by_username(session, name) if _USERNAME.match(name) else None
            stored_hash = found.password_hash if found is not None else None
        # Always one Argon2 verification, whether or not the account exists.
        matches = self._verify(stored_hash or self._dummy(), password[:1024])
        with self.db.writing() as session:
            # Refusals still commit: the failure counters must be kept.
            signed_in = self._record_attempt(
                session,
                found.id if found is not None else None,
                matches=matches and stored_hash is not None,
                verified_hash=stored_hash,
                password=password,
                previous_token=previous_token,
            )
        if signed_in is None:
            raise SignInRefused()
        return signed_in

    def _record_attempt(
        self,
        session: Session,
        user_id: uuid.UUID | None,
        *,
        matches: bool,
        verified_hash: str | None,
        password: str,
        previous_token: str | None,
    ) -> SignedIn | None:
        now = self._now()
        if previous_token:
            session.execute(
                delete(ConsoleSession).where(ConsoleSession.id == _session_id(previous_token))
            )
        user = None
        if user_id is not None:
            user = session.execute(
                select(User).where(User.id == user_id).with_for_update()
            ).scalar()
        if user is None or user.disabled_at is not None:
            return None
        if user.locked_until is not None and _aware(user.locked_until) > now:
            return None
        # The hash checked must still be the account's (not changed since it was read).
        if not matches or verified_hash != user.password_hash:
            user.failed_attempts += 1
            if user.failed_attempts >= MAX_FAILED_ATTEMPTS:
                user.failed_attempts = 0
                user.locked_until = now + LOCKOUT
                audit.append(
                    session,
                    at=now,
                    actor=user_actor_id(user.username),
                    action="user.lock",
                    subject=user_actor_id(user.username),
                    details={"failed_attempts": MAX_FAILED_ATTEMPTS, "until": _iso(now + LOCKOUT)},
                )
            return None
        user.failed_attempts = 0
        user.locked_until = None
        user.last_sign_in_at = now
        if self._hasher.check_needs_rehash(user.password_hash):
            user.password_hash = self._hasher.hash(password)
        session.execute(
            delete(ConsoleSession).where(
                ConsoleSession.user_id == user.id, ConsoleSession.expires_at <= now
            )
        )
        token = secrets.token_urlsafe(32)
        expires_at = now + SESSION_LIFETIME
        session.add(
            ConsoleSession(
                id=_session_id(token),
                user_id=user.id,
                created_at=now,
                last_seen_at=now,
                expires_at=expires_at,
            )
        )
        return SignedIn(_view(user), token, expires_at)

    def session_user(self, token: str) -> UserView | None:
        """The signed-in user of a cookie's token, or None (unknown, expired, idle, disabled)."""
        if not token:
            return None
        key = _session_id(token)
        now = self._now()
        with self.db.reading() as session:
            row = session.get(ConsoleSession, key)
            if row is None:
                return None
            user = session.get(User, row.user_id)
            last_seen = _aware(row.last_seen_at)
            if (
                user is None
                or user.disabled_at is not None
                or _aware(row.expires_at) <= now
                or last_seen + SESSION_IDLE <= now
            ):
                return None
            view = _view(user)
        if now - last_seen >= _TOUCH_EVERY:
            with self.db.writing() as session:
                row = session.get(ConsoleSession, key)
                if row is not None:
                    row.last_seen_at = now
        return view

    def sign_out(self, token: str) -> None:
        """End the session on the server: the token no longer signs anyone in."""
        if not token:
            return
        with self.db.writing() as session:
            session.execute(delete(ConsoleSession).where(ConsoleSession.id == _session_id(token)))

    # -- internals -----------------------------------------------------------------------------

    def _once(
        self,
        actor: Actor,
        key: str | None,
        operation: str,
        payload: object,
        work: Callable[[Session], CreatedUser],
    ) -> CreatedUser:
        """``work`` in one write transaction; with ``key``, only the first submit of a form."""
        if key is None:
            with self.db.writing() as session:
                return work(session)
        made: list[CreatedUser] = []

        def run(session: Session, _: datetime) -> Made:
            made.append(work(session))
            return Made()

        answered = IdempotencyKeys(self.db, self._now).run(
            actor, key, operation, payload, run, lambda _, __: None
        )
        # A replay (also one that lost a race: its own run was rolled back) shows no secret.
        if answered.replayed:
            raise AlreadyDone(
                "Formulir ini sudah dikirim dan sudah dijalankan. Kata sandi sekali pakai hanya "
                "ditampilkan sekali: bila belum tersimpan, atur ulang kata sandinya dari daftar "
                "pengguna."
            )
        return made[-1]

    def _dummy(self) -> str:
        if self._dummy_hash is None:
            self._dummy_hash = self._hasher.hash(secrets.token_urlsafe(16))
        return self._dummy_hash

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False


def parse_username(raw: str) -> str:
    name = raw.strip().lower()
    if not _USERNAME.match(name):
        raise InvalidInput(
            "Nama pengguna 2-32 karakter: huruf kecil, angka, titik, garis bawah atau tanda "
            "hubung, diawali huruf atau angka (misalnya andi.pratama)",
            field="username",
        )
    return name


def _require_manager(actor: Actor) -> None:
    if actor.role not in _MANAGERS:
        raise PermissionDenied("Hanya admin yang dapat mengelola akun pengguna")


def _unit_code(raw: str) -> str:
    try:
        return parse_code(raw)
    except InvalidInput as error:
        error.field = "unit"
        raise


def _email(raw: str | None) -> str | None:
    if raw is None or not raw.strip():
        return None
    email = raw.strip()
    if len(email) > 254 or not _EMAIL.match(email):
        raise InvalidInput(
            f"Alamat e-mail {email!r} tidak valid (contoh: nama@bpsdm.go.id)", field="email"
        )
    return email


def _locked_row(session: Session, username: str) -> User:
    user = session.execute(select(User).where(User.username == username).with_for_update()).scalar()
    if user is None:
        raise NotFound(f"Pengguna {username!r} tidak ditemukan")
    return user


def _by_username(session: Session, username: str) -> User | None:
    return session.execute(select(User).where(User.username == username)).scalar()


def _session_id(token: str) -> str:
    # The token is 256 random bits: a fast hash is enough, there is nothing to brute-force.
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _aware(moment: datetime) -> datetime:
    # SQLite hands timezone-aware columns back naive (in UTC, as they were written).
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _view(user: User) -> UserView:
    return UserView(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        email=user.email,
        role=user.role,
        unit_code=user.unit_code,
        created_at=user.created_at,
        disabled_at=user.disabled_at,
        locked_until=user.locked_until,
        last_sign_in_at=user.last_sign_in_at,
    )
