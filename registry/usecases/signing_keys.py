"""The Ed25519 keys that sign documents: listing them and rotating to a new one.

Only an admin in the console and the operator at the CLI see or rotate them. Rotation makes a new
pair the active signer; every older public key stays in the key ring (and in the JWKS), so every
document already issued keeps verifying. Nothing here ever reads out a private key: a key is
shown by its id, which is the RFC 7638 thumbprint of its public key (anyone holding the JWKS can
recompute it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from registry.adapters.db import audit
from registry.adapters.db.engine import Database
from registry.adapters.keystore import KeyRing
from registry.domain.actors import Actor
from registry.domain.errors import Conflict, PermissionDenied

__all__ = ["SigningKeyView", "SigningKeys"]

_MANAGERS = ("admin", "operator")


@dataclass(frozen=True)
class SigningKeyView:
    #: The public key's RFC 7638 thumbprint: its id and its fingerprint at once.
    kid: str
    created_at: datetime
    active: bool


class SigningKeys:
    def __init__(self, db: Database, keyring: KeyRing, *, now: Callable[[], datetime]) -> None:
        self.db = db
        self.keyring = keyring
        self._now = now

    def list_keys(self, actor: Actor) -> list[SigningKeyView]:
        """Newest first: the active key is normally the top row."""
        _require_manager(actor)
        infos = self.keyring.list()
        return [SigningKeyView(info.kid, info.created_at, info.active) for info in reversed(infos)]

    def rotate(self, actor: Actor, *, expected_active: str | None = None) -> str:
        """Make a new key the active signer; returns its kid. Old keys keep verifying.

        With ``expected_active`` (the key the confirmation page showed as active), a second
        submit of the same confirmation, or one racing another admin's, rotates nothing.
        """
        _require_manager(actor)
        previous = next((info.kid for info in self.keyring.list() if info.active), None)
        if expected_active is not None and expected_active != previous:
            raise Conflict(
                "Kunci penandatangan sudah diganti sejak halaman ini dibuka; tidak ada yang "
                "diganti lagi. Periksa daftar kunci."
            )
        kid = self.keyring.generate()
        with self.db.writing() as session:
            audit.append(
                session,
                at=self._now(),
                actor=actor.label,
                action="key.create",
                subject=kid,
                details={"previous": previous},
            )
        return kid


def _require_manager(actor: Actor) -> None:
    if actor.role not in _MANAGERS:
        raise PermissionDenied("Hanya admin yang dapat melihat dan mengganti kunci penandatangan")
