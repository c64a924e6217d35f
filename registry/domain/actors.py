"""Who acts on the registry: an API key's identity, a person signed in to the console, the
operator at the CLI, or the system."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    """Who is calling: an API key's identity (``id`` is the key id), a console user (``id`` is
    ``user:<username>``), or the operator at the CLI."""

    id: str
    role: str
    unit_code: str | None = None
    name: str | None = None

    @property
    def sees_every_unit(self) -> bool:
        """Issuers, auditors and the operator read every unit's records; a requester its own."""
        return self.role != "requester"

    @property
    def label(self) -> str:
        """How the audit log and ``created_by`` name the actor: ``user:andi``, ``apikey:1a2b3c4d``,
        ``cli``."""
        if self.id.startswith(("cli", USER_PREFIX)):
            return self.id
        return f"apikey:{self.id}"

    @property
    def is_person(self) -> bool:
        """A person signed in to the console (not an API key, the CLI or the system)."""
        return self.id.startswith(USER_PREFIX)


USER_PREFIX = "user:"


def user_actor_id(username: str) -> str:
    return f"{USER_PREFIX}{username}"


CLI_ACTOR = Actor(id="cli", role="operator")

SYSTEM_ACTOR = Actor(id="system", role="operator")
