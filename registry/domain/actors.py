"""Who acts on the registry: an API key's identity, the operator at the CLI, or the system."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    """Who is calling: an API key's identity, or the operator at the CLI."""

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
        return self.id if self.id.startswith("cli") else f"apikey:{self.id}"


CLI_ACTOR = Actor(id="cli", role="operator")

SYSTEM_ACTOR = Actor(id="system", role="operator")
