"""The signing keys on disk: one PEM pair per key id, and a pointer to the active one.

Layout of the keys dir::

    <kid>.key   PKCS#8 private key, mode 0600, encrypted when a passphrase is configured
    <kid>.pub   SubjectPublicKeyInfo public key
    ACTIVE      the kid that signs new documents

Rotation writes a new pair and moves ``ACTIVE``; old public keys stay and keep verifying what they
signed. Each process compares the directory listing and ``ACTIVE`` with what it loaded, so several
workers notice a rotation without a restart, even within one mtime tick. It does so at most once
per ``recheck_after`` seconds (one second by default), not on every call: under verification load
the listing and the read of ``ACTIVE`` were a quarter of the time. The process that rotates sees
its new key at once; another process signs with the previous key for up to that second, which
stays valid, and verifies with the keys it had, which only ever grow.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    BestAvailableEncryption,
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
    load_pem_private_key,
    load_pem_public_key,
)

from registry.adapters.private_files import private_dir, private_file
from registry.domain.errors import ConfigurationError
from registry.domain.signing import SigningKey, key_id, public_jwk

ACTIVE_FILE = "ACTIVE"


@dataclass(frozen=True)
class KeyInfo:
    kid: str
    created_at: datetime
    active: bool


class KeyRing:
    """Thread-safe view of the keys dir; reloads itself when the directory changes."""

    def __init__(
        self,
        keys_dir: Path,
        passphrase: bytes | None = None,
        *,
        recheck_after: float = 1.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.keys_dir = keys_dir
        self._passphrase = passphrase
        self._recheck_after = recheck_after
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._loaded_fingerprint: tuple[tuple[str, ...], str] | None = None
        self._checked_at: float | None = None
        self._public: dict[str, Ed25519PublicKey] = {}
        self._active: SigningKey | None = None
        self._generation = 0

    # -- reading -------------------------------------------------------------------------------

    def has_keys(self) -> bool:
        return self.keys_dir.is_dir() and any(self.keys_dir.glob("*.pub"))

    def active(self) -> SigningKey:
        self._refresh()
        if self._active is None:
            raise ConfigurationError(
                f"Tidak ada kunci penandatangan aktif di {self.keys_dir}; "
                "jalankan `satupintu keys init`"
            )
        return self._active

    def public_keys(self) -> Mapping[str, Ed25519PublicKey]:
        """The loaded keys; a reload replaces the mapping, never changes one handed out."""
        self._refresh()
        return self._public

    @property
    def generation(self) -> int:
        """Counts the reloads: an answer computed with generation ``n`` used the keys of ``n``."""
        self._refresh()
        return self._generation

    def jwks(self) -> dict[str, list[dict[str, str]]]:
        return {"keys": [public_jwk(key) for key in self.public_keys().values()]}

    def list(self) -> list[KeyInfo]:
        self._refresh()
        active_kid = self._active.kid if self._active else None
        infos = [
            KeyInfo(
                kid=kid,
                created_at=datetime.fromtimestamp(
                    (self.keys_dir / f"{kid}.pub").stat().st_mtime, tz=UTC
                ),
                active=kid == active_kid,
            )
            for kid in self._public
        ]
        return sorted(infos, key=lambda info: info.created_at)

    def _fingerprint(self) -> tuple[tuple[str, ...], str] | None:
        try:
            names = tuple(sorted(os.listdir(self.keys_dir)))
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise _unreadable(self.keys_dir, exc) from exc
        if ACTIVE_FILE not in names:
            return names, ""
        return names, _read_text(self.keys_dir / ACTIVE_FILE)

    def _refresh(self) -> None:
        checked_at = self._checked_at
        now = self._monotonic()
        if checked_at is not None and now - checked_at < self._recheck_after:
            return
        fingerprint = self._fingerprint()
        with self._lock:
            if fingerprint is None or fingerprint != self._loaded_fingerprint:
                self._public, self._active = self._load()
                self._loaded_fingerprint = fingerprint
                self._generation += 1
            # Only a successful check counts: a damaged key keeps failing on every call.
            self._checked_at = now

    def _load(self) -> tuple[dict[str, Ed25519PublicKey], SigningKey | None]:
        public: dict[str, Ed25519PublicKey] = {}
        if not self.keys_dir.is_dir():
            return public, None
        for path in sorted(self.keys_dir.glob("*.pub")):
            data = _read_bytes(path)
            try:
                key = load_pem_public_key(data)
            except (ValueError, UnsupportedAlgorithm) as exc:
                raise _corrupt(path) from exc
            if not isinstance(key, Ed25519PublicKey):
                raise ConfigurationError(f"{path.name} bukan kunci publik Ed25519")
            if key_id(key) != path.stem:
                raise ConfigurationError(f"{path.name}: nama berkas tidak sama dengan key id")
            public[path.stem] = key
        active_path = self.keys_dir / ACTIVE_FILE
        if not active_path.exists():
            return public, None
        kid = _read_text(active_path).strip()
        private_path = self.keys_dir / f"{kid}.key"
        if not private_path.exists():
            raise ConfigurationError(f"Kunci privat aktif {kid} tidak ada di {self.keys_dir}")
        data = _read_bytes(private_path)
        try:
            private = load_pem_private_key(data, password=self._passphrase)
        except TypeError as exc:  # encrypted without passphrase, or passphrase on a plain key
            raise ConfigurationError(
                f"Kunci privat terenkripsi ({private_path}): setel SATUPINTU_KEY_PASSPHRASE"
                if self._passphrase is None
                else f"Kunci privat {private_path} tidak terenkripsi, tetapi "
                "SATUPINTU_KEY_PASSPHRASE disetel"
            ) from exc
        except (ValueError, UnsupportedAlgorithm) as exc:
            # A whole encrypted PEM that does not open: the passphrase is the likely cause.
            if self._passphrase is not None and _complete_pem(data, b"ENCRYPTED PRIVATE KEY"):
                raise ConfigurationError(
                    f"SATUPINTU_KEY_PASSPHRASE salah untuk kunci aktif {private_path} "
                    "(atau berkas itu rusak)"
                ) from exc
            raise _corrupt(private_path) from exc
        if not isinstance(private, Ed25519PrivateKey):
            raise ConfigurationError(f"{private_path.name} bukan kunci privat Ed25519")
        signing = SigningKey.from_private_key(private)
        if signing.kid != kid:
            raise ConfigurationError(f"{private_path.name} tidak cocok dengan key id-nya")
        return public, signing

    # -- writing -------------------------------------------------------------------------------

    def make_private(self) -> None:
        """Tighten the keys dir and the private keys, as a restore from a backup may leave them."""
        if not self.keys_dir.is_dir():
            return
        private_dir(self.keys_dir, create=False)
        for private_path in self.keys_dir.glob("*.key"):
            private_file(private_path)

    def generate(self) -> str:
        """Create a new key pair and make it active. Returns its kid."""
        private_dir(self.keys_dir)
        private = Ed25519PrivateKey.generate()
        kid = key_id(private.public_key())
        encryption = (
            BestAvailableEncryption(self._passphrase) if self._passphrase else NoEncryption()
        )
        private_pem = private.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, encryption)
        public_pem = private.public_key().public_bytes(
            Encoding.PEM, PublicFormat.SubjectPublicKeyInfo
        )
        private_path = self.keys_dir / f"{kid}.key"
        # Created 0600 from the first byte: never a moment where the key is world-readable.
        fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(private_pem)
        _atomic_write(self.keys_dir / f"{kid}.pub", public_pem)
        _atomic_write(self.keys_dir / ACTIVE_FILE, f"{kid}\n".encode())
        with self._lock:
            self._loaded_fingerprint = None
            self._checked_at = None
        return kid


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise _unreadable(path, exc) from exc


def _read_text(path: Path) -> str:
    try:
        return _read_bytes(path).decode("ascii")
    except UnicodeDecodeError as exc:
        raise _corrupt(path) from exc


def _complete_pem(data: bytes, label: bytes) -> bool:
    return data.lstrip().startswith(b"-----BEGIN " + label + b"-----") and (
        b"-----END " + label + b"-----" in data
    )


def _unreadable(path: Path, exc: OSError) -> ConfigurationError:
    return ConfigurationError(
        f"Berkas kunci tidak dapat dibaca: {path} ({exc.strerror or exc}). "
        "Periksa pemilik dan izin berkas di SATUPINTU_KEYS_DIR."
    )


def _corrupt(path: Path) -> ConfigurationError:
    return ConfigurationError(
        f"Berkas kunci rusak atau bukan kunci PEM: {path}. Pulihkan berkas itu dari cadangan; "
        "jangan membuat kunci baru untuk dokumen yang sudah terbit."
    )


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    with contextlib.suppress(OSError):
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
