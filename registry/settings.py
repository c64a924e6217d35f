"""Deployment settings, read from the environment once and passed around as one frozen object."""

from __future__ import annotations

import logging
import logging.config
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from registry.domain.errors import ConfigurationError
from registry.domain.jp import DEFAULT_RULE_SET, RULE_SETS

FILE_STORES = ("database", "filesystem")
STAMP_CORNERS = ("bottom-right", "bottom-left", "top-right", "top-left")
# Where `satupintu serve` listens unless told otherwise.
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
# The templates shipped as data of the ``templates_docx`` package, found where it is installed (a
# checkout or site-packages; both unpack it on disk); SATUPINTU_TEMPLATES_DIR may name a copy.
BUNDLED_TEMPLATES_DIR = Path(str(resources.files("templates_docx")))
# Room in an upload request for multipart boundaries and part headers, beyond its files and its
# text or JSON parts (those are bounded by max_body_bytes).
MULTIPART_ALLOWANCE = 64 * 1024


@dataclass(frozen=True)
class SmtpSettings:
    """Where notification e-mail goes out; the password is never part of a repr or a log line."""

    host: str
    port: int
    sender: str
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    starttls: bool = True
    timeout: float = 30.0

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> SmtpSettings | None:
        """None (notifications off) unless SATUPINTU_SMTP_HOST is set."""
        host = env.get("SATUPINTU_SMTP_HOST", "").strip()
        if not host:
            return None
        sender = env.get("SATUPINTU_SMTP_FROM", "").strip()
        if not sender or "@" not in sender or any(c in sender for c in "\r\n"):
            raise ConfigurationError(
                "SATUPINTU_SMTP_FROM wajib berisi alamat pengirim (mis. satupintu@bpsdm.example) "
                "bila SATUPINTU_SMTP_HOST diisi"
            )
        username = env.get("SATUPINTU_SMTP_USERNAME", "").strip() or None
        password = env.get("SATUPINTU_SMTP_PASSWORD") or None
        if (username is None) != (password is None):
            raise ConfigurationError(
                "SATUPINTU_SMTP_USERNAME dan SATUPINTU_SMTP_PASSWORD diisi keduanya atau "
                "tidak sama sekali"
            )
        return cls(
            host=host,
            port=_positive_int(env, "SATUPINTU_SMTP_PORT", 587),
            sender=sender,
            username=username,
            password=password,
            starttls=_flag(env, "SATUPINTU_SMTP_STARTTLS", default=True),
        )


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    public_url: str
    keys_dir: Path
    timezone: str
    jp_rules: str
    key_passphrase: bytes | None
    max_body_bytes: int = 1_000_000
    templates_dir: Path = BUNDLED_TEMPLATES_DIR
    # LibreOffice processes kept warm; one per core is what a 2-core machine can use.
    converters: int = 2
    conversion_timeout: float = 60.0
    # A Python that can `import uno`, tried before /usr/bin/python3 and LibreOffice's own.
    uno_python: Path | None = None
    max_upload_bytes: int = 20_000_000
    stamp_corner: str = "bottom-right"
    # On PostgreSQL each service process also works the batch queue unless this is off.
    embedded_worker: bool = True
    # Notification e-mail; None when SATUPINTU_SMTP_HOST is unset (notifications off).
    smtp: SmtpSettings | None = None
    # How long a verification answer's status is trusted before it is read again: a revocation
    # made on another process shows within this many seconds (one made here, at once).
    verify_cache_seconds: float = 2.0
    # Requests per minute per client address on the public verification endpoints; 0 = off.
    # 600 (10 a second): a whole office behind one NAT address scanning at once stays under it.
    verify_rate_limit: int = 600
    # Where stored files live: "database" or "filesystem"; None follows the database (PostgreSQL
    # keeps them in the database, so hosts sharing only it serve each other's files).
    file_store: str | None = None

    def upload_request_bytes(self, files: int = 1) -> int:
        """The largest request a form taking ``files`` uploads may send: each file at the upload
        limit, its other parts at the body limit, and the multipart framing around them."""
        return files * self.max_upload_bytes + self.max_body_bytes + MULTIPART_ALLOWANCE

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def series_file(self) -> Path:
        return self.data_dir / "series.toml"

    @property
    def agency_file(self) -> Path:
        return self.data_dir / "agency.toml"

    @property
    def files_dir(self) -> Path:
        return self.data_dir / "files"

    @property
    def scratch_dir(self) -> Path:
        """Temporary copies of stored files while a tool works on them."""
        return self.data_dir / "scratch"

    @property
    def console_secret_file(self) -> Path:
        """Signs the console's CSRF tokens; the same in every service process."""
        return self.data_dir / "console.secret"

    @property
    def secure_cookies(self) -> bool:
        """Cookies are marked ``Secure`` when the service is reached over https."""
        return self.public_url.startswith("https://")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        data_dir = Path(env.get("SATUPINTU_DATA_DIR", "./data")).resolve()
        database_url = env.get("SATUPINTU_DATABASE_URL") or f"sqlite:///{data_dir / 'satupintu.db'}"
        public_url = env.get("SATUPINTU_PUBLIC_URL", default_public_url()).rstrip("/")
        if not public_url.startswith(("https://", "http://")):
            raise ConfigurationError("SATUPINTU_PUBLIC_URL harus diawali http:// atau https://")
        timezone = env.get("SATUPINTU_TIMEZONE", "Asia/Jakarta")
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ConfigurationError(f"Zona waktu tidak dikenal: {timezone!r}") from exc
        jp_rules = env.get("SATUPINTU_JP_RULES", DEFAULT_RULE_SET)
        if jp_rules not in RULE_SETS:
            raise ConfigurationError(
                f"SATUPINTU_JP_RULES tidak dikenal: {jp_rules!r} (pilihan: {', '.join(RULE_SETS)})"
            )
        if "SATUPINTU_ISSUER_NAME" in env:
            # Silently ignoring it would change the issuer inside new signed records unnoticed.
            raise ConfigurationError(
                "SATUPINTU_ISSUER_NAME tidak dipakai lagi: penerbit pada dokumen diambil dari "
                "[agency].short_name di agency.toml. Hapus variabel ini dan, bila perlu, "
                "sesuaikan short_name."
            )
        passphrase = env.get("SATUPINTU_KEY_PASSPHRASE")
        uno_python = env.get("SATUPINTU_UNO_PYTHON", "").strip()
        stamp_corner = env.get("SATUPINTU_STAMP_CORNER", "bottom-right")
        if stamp_corner not in STAMP_CORNERS:
            raise ConfigurationError(
                f"SATUPINTU_STAMP_CORNER tidak dikenal: {stamp_corner!r} "
                f"(pilihan: {', '.join(STAMP_CORNERS)})"
            )
        file_store = env.get("SATUPINTU_FILE_STORE", "").strip().lower() or None
        if file_store not in (None, *FILE_STORES):
            raise ConfigurationError(
                f"SATUPINTU_FILE_STORE tidak dikenal: {file_store!r} "
                f"(pilihan: {', '.join(FILE_STORES)})"
            )
        return cls(
            data_dir=data_dir,
            database_url=_normalise_database_url(database_url),
            public_url=public_url,
            keys_dir=Path(env.get("SATUPINTU_KEYS_DIR", "./keys")).resolve(),
            timezone=timezone,
            jp_rules=jp_rules,
            key_passphrase=passphrase.encode() if passphrase else None,
            templates_dir=Path(
                env.get("SATUPINTU_TEMPLATES_DIR", str(BUNDLED_TEMPLATES_DIR))
            ).resolve(),
            converters=_positive_int(env, "SATUPINTU_CONVERTERS", min(2, os.cpu_count() or 1)),
            conversion_timeout=float(_positive_int(env, "SATUPINTU_CONVERSION_TIMEOUT", 60)),
            uno_python=Path(uno_python) if uno_python else None,
            max_upload_bytes=_positive_int(env, "SATUPINTU_MAX_UPLOAD_BYTES", 20_000_000),
            stamp_corner=stamp_corner,
            embedded_worker=env.get("SATUPINTU_EMBEDDED_WORKER", "1").strip() not in ("0", "false"),
            smtp=SmtpSettings.from_env(env),
            verify_cache_seconds=_cache_seconds(env, "SATUPINTU_VERIFY_CACHE_SECONDS", 2.0),
            verify_rate_limit=_non_negative_int(env, "SATUPINTU_VERIFY_RATE_LIMIT", 600),
            file_store=file_store,
        )


def default_public_url(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> str:
    """The base of QR URLs when SATUPINTU_PUBLIC_URL is unset: where the service listens."""
    if host in ("", "0.0.0.0", "::"):  # noqa: S104 - recognising a wildcard bind, not binding
        # Every interface: the one address surely among them is loopback (and warned about).
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


#: The one log line: the service, uvicorn's loggers, the ``satupintu`` command and ``alembic``.
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def logging_config(*, alembic_level: str = "WARNING") -> dict[str, Any]:
    """A :func:`logging.config.dictConfig` schema: one stderr handler on the root logger.

    Also passed to uvicorn as ``log_config``: its loggers lose their own handlers and formats and
    propagate to the root, so access and error lines look like every other line.
    """
    through_root = {"handlers": [], "propagate": True}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"plain": {"format": LOG_FORMAT}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "plain",
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"level": "INFO", "handlers": ["stderr"]},
        "loggers": {
            "uvicorn": {"level": "INFO", **through_root},
            "uvicorn.error": {"level": "INFO", **through_root},
            "uvicorn.access": {"level": "INFO", **through_root},
            "alembic": {"level": alembic_level, **through_root},
        },
    }


def configure_logging(*, alembic_level: str = "WARNING") -> None:
    """Log in :data:`LOG_FORMAT`, unless something already set up logging (a test runner, say)."""
    if logging.getLogger().handlers:
        return
    logging.config.dictConfig(logging_config(alembic_level=alembic_level))


def _positive_int(env: Mapping[str, str], name: str, default: int) -> int:
    return _int_at_least(env, name, default, 1, f"{name} harus minimal 1")


def _non_negative_int(env: Mapping[str, str], name: str, default: int) -> int:
    return _int_at_least(env, name, default, 0, f"{name} tidak boleh negatif (0 = mati)")


def _int_at_least(
    env: Mapping[str, str], name: str, default: int, minimum: int, too_small: str
) -> int:
    raw = env.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigurationError(f"{name} harus bilangan bulat, bukan {raw!r}") from None
    if value < minimum:
        raise ConfigurationError(too_small)
    return value


#: The promise is a revocation seen everywhere within 5 s; a longer cache would break it.
MAX_VERIFY_CACHE_SECONDS = 4.0


def _cache_seconds(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigurationError(f"{name} harus angka detik, bukan {raw!r}") from None
    if not 0 <= value <= MAX_VERIFY_CACHE_SECONDS:
        raise ConfigurationError(
            f"{name} harus antara 0 dan {MAX_VERIFY_CACHE_SECONDS:g} detik, agar pencabutan "
            "terlihat di semua proses dalam 5 detik"
        )
    return value


def _flag(env: Mapping[str, str], name: str, *, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "ya"):
        return True
    if raw in ("0", "false", "no", "tidak"):
        return False
    raise ConfigurationError(f"{name} harus 1 atau 0, bukan {raw!r}")


def _normalise_database_url(url: str) -> str:
    """Accept ``postgres://`` and ``postgresql://`` URLs as pasted; drive them with psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
