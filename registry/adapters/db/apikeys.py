"""API keys: created by the CLI, shown once, stored only as a SHA-256 hash, revocable."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.adapters.db import audit
from registry.adapters.db.schema import ROLES, ApiKey, Unit
from registry.domain.actors import CLI_ACTOR, Actor
from registry.domain.errors import Conflict, InvalidInput, NotFound
from registry.domain.numbering import parse_unit_code

KEY_PREFIX = "sp_"


@dataclass(frozen=True)
class CreatedKey:
    actor: Actor
    secret: str  # shown once, never stored


def hash_secret(secret: str) -> str:
    # The secret is 256 random bits, so a fast hash is enough: there is nothing to brute-force.
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_key(
    session: Session,
    *,
    role: str,
    unit_code: str | None,
    name: str | None,
    now: datetime,
    actor: Actor = CLI_ACTOR,
) -> CreatedKey:
    if role not in ROLES:
        raise InvalidInput(f"Peran tidak dikenal: {role!r} (pilihan: {', '.join(ROLES)})")
    unit_code = parse_unit_code(unit_code)
    if role == "requester" and unit_code is None:
        raise InvalidInput("Kunci peran requester harus terikat pada satu unit (--unit)")
    key_id = secrets.token_hex(4)
    secret = f"{KEY_PREFIX}{key_id}_{secrets.token_urlsafe(32)}"
    session.add(
        ApiKey(
            id=key_id,
            secret_hash=hash_secret(secret),
            role=role,
            unit_code=unit_code,
            name=name,
            created_at=now,
        )
    )
    audit.append(
        session,
        at=now,
        actor=actor.label,
        action="apikey.create",
        subject=key_id,
        details={"role": role, "unit_code": unit_code, "name": name},
    )
    return CreatedKey(Actor(id=key_id, role=role, unit_code=unit_code, name=name), secret)


def create_key_checking_unit(
    session: Session,
    *,
    role: str,
    unit_code: str | None,
    name: str | None,
    now: datetime,
    actor: Actor = CLI_ACTOR,
) -> CreatedKey:
    """:func:`create_key` for an operator: a requester key only for a unit that is registered.

    A requester files and reads in its unit's name, so a key for a code with no ``units`` row (a
    typo, or a unit not yet added) could do nothing but be refused, and would start working for
    whichever unit later took that code. :func:`create_key` itself stays as it was: keys made
    before units existed are still valid data, and the API answers them (``422`` on filing).
    """
    code = parse_unit_code(unit_code)
    if role == "requester" and code is not None and session.get(Unit, code) is None:
        raise InvalidInput(
            f"Unit {code!r} belum terdaftar; kunci requester hanya untuk unit yang terdaftar. "
            f'Daftarkan dulu: satupintu unit add {code} --name "Nama unit"',
            field="unit",
        )
    return create_key(session, role=role, unit_code=code, name=name, now=now, actor=actor)


def revoke_key(session: Session, key_id: str, *, now: datetime, actor: Actor = CLI_ACTOR) -> None:
    key = session.execute(select(ApiKey).where(ApiKey.id == key_id).with_for_update()).scalar()
    if key is None:
        raise NotFound(f"Kunci API {key_id!r} tidak ditemukan")
    if key.revoked_at is not None:
        raise Conflict(f"Kunci API {key_id!r} sudah dicabut")
    key.revoked_at = now
    audit.append(session, at=now, actor=actor.label, action="apikey.revoke", subject=key_id)


def authenticate(session: Session, secret: str) -> Actor | None:
    if not secret.startswith(KEY_PREFIX):
        return None
    key = session.execute(select(ApiKey).where(ApiKey.secret_hash == hash_secret(secret))).scalar()
    if key is None or key.revoked_at is not None:
        return None
    return Actor(id=key.id, role=key.role, unit_code=key.unit_code, name=key.name)


def list_keys(session: Session) -> list[ApiKey]:
    return list(session.execute(select(ApiKey).order_by(ApiKey.created_at)).scalars())
