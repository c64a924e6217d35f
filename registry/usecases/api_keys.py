"""API keys for machines (SIMPEG, a unit's application): who may create, list and revoke them.

An admin in the console and the operator at the CLI manage keys; nobody else, whatever key or
account they hold. The secret is returned once by :meth:`ApiKeys.create` and only its SHA-256 is
stored (see :mod:`registry.adapters.db.apikeys`); a list never carries it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from registry.adapters.db import apikeys
from registry.adapters.db.apikeys import CreatedKey
from registry.adapters.db.engine import Database
from registry.domain.actors import Actor
from registry.domain.errors import PermissionDenied
from registry.usecases.accounts import AlreadyDone
from registry.usecases.idempotency import IdempotencyKeys, Made

__all__ = ["ApiKeyView", "ApiKeys", "CreatedKey"]

_MANAGERS = ("admin", "operator")


@dataclass(frozen=True)
class ApiKeyView:
    id: str
    role: str
    unit_code: str | None
    name: str | None
    created_at: datetime
    revoked_at: datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class ApiKeys:
    def __init__(self, db: Database, *, now: Callable[[], datetime]) -> None:
        self.db = db
        self._now = now

    def create(
        self,
        *,
        role: str,
        unit_code: str | None,
        name: str | None,
        actor: Actor,
        idempotency_key: str | None = None,
    ) -> CreatedKey:
        """A new key; a requester key only for a registered unit. The secret is shown once.

        A form submitted twice with one ``idempotency_key`` makes one key; the repeat is refused
        (:class:`AlreadyDone`): its secret cannot be shown again.
        """
        _require_manager(actor)
        holder = " ".join((name or "").split())[:200] or None
        made: list[CreatedKey] = []

        def work(session: Session, now: datetime) -> Made:
            made.append(
                apikeys.create_key_checking_unit(
                    session, role=role, unit_code=unit_code, name=holder, now=now, actor=actor
                )
            )
            return Made()

        if idempotency_key is None:
            with self.db.writing() as session:
                work(session, self._now())
            return made[-1]
        payload = {"role": role, "unit_code": unit_code, "name": holder}
        answered = IdempotencyKeys(self.db, self._now).run(
            actor, idempotency_key, "apikey.create", payload, work, lambda _, __: None
        )
        if answered.replayed:
            raise AlreadyDone(
                "Formulir ini sudah dikirim dan kuncinya sudah dibuat. Rahasia kunci hanya "
                "ditampilkan sekali: bila belum tersimpan, cabut kunci itu dan buat yang baru."
            )
        return made[-1]

    def list_keys(self, actor: Actor) -> list[ApiKeyView]:
        _require_manager(actor)
        with self.db.reading() as session:
            return [
                ApiKeyView(
                    id=key.id,
                    role=key.role,
                    unit_code=key.unit_code,
                    name=key.name,
                    created_at=key.created_at,
                    revoked_at=key.revoked_at,
                )
                for key in apikeys.list_keys(session)
            ]

    def revoke(self, key_id: str, actor: Actor) -> None:
        _require_manager(actor)
        with self.db.writing() as session:
            apikeys.revoke_key(session, key_id, now=self._now(), actor=actor)


def _require_manager(actor: Actor) -> None:
    if actor.role not in _MANAGERS:
        raise PermissionDenied("Hanya admin yang dapat mengelola kunci API")
