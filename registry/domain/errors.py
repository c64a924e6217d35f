"""The one error family of the registry.

Domain code raises these and nothing HTTP-shaped; ``api.errors`` maps each class to a
problem-details response in one place. Messages are in Bahasa Indonesia because a person reads them.
"""

from __future__ import annotations

from typing import Any


class RegistryError(Exception):
    """Base of every error the registry raises on purpose."""

    title = "Kesalahan registri"

    def __init__(self, message: str, *, field: str | None = None, **extra: Any) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.extra = extra

    def voided(self, number: str) -> RegistryError:
        """This error, told to say that it voided ``number`` (which stays in the register)."""
        self.message = voided_message(self.message, number)
        self.extra["number"] = number
        return self


def voided_message(reason: str, number: str) -> str:
    return f"{reason}; nomor {number} dibatalkan dan tercatat batal beserta alasannya"


class InvalidInput(RegistryError):
    """The caller sent something the rules refuse; nothing was written."""

    title = "Masukan tidak valid"


class NotFound(RegistryError):
    title = "Tidak ditemukan"


class Conflict(RegistryError):
    """The request contradicts the current state (e.g. revoking a revoked document)."""

    title = "Konflik dengan keadaan saat ini"


class VerificationError(RegistryError):
    """A token, signature or commitment failed to check. ``reason`` is machine-readable."""

    title = "Verifikasi gagal"

    def __init__(self, reason: str, message: str | None = None) -> None:
        super().__init__(message or reason)
        self.reason = reason


class ConfigurationError(RegistryError):
    """The deployment is misconfigured (missing key, unreadable series file, ...)."""

    title = "Konfigurasi tidak valid"


class PermissionDenied(RegistryError):
    """The caller is known but may not touch this resource (e.g. another unit's document)."""

    title = "Akses ditolak"


class NumberVoided(RegistryError):
    """A numbered document could not be made for an unforeseen reason; its number was voided.

    ``extra["number"]`` names the voided number: it stays in the register, marked void with the
    reason, and a new attempt takes a new number.
    """

    title = "Dokumen gagal dibuat"


class Unavailable(RegistryError):
    """A part the service needs (the database) does not answer; trying later may succeed.

    ``extra["failed"]`` names the part.
    """

    title = "Layanan belum siap"
