"""The agency's identity from its files: ``agency.toml`` in the data dir and the logo it names."""

from __future__ import annotations

from pathlib import Path

from registry.domain.agency import DEFAULT_AGENCY_TOML, AgencyIdentity, parse_agency_toml
from registry.domain.errors import ConfigurationError
from registry.domain.media import is_image
from registry.settings import BUNDLED_TEMPLATES_DIR

PLACEHOLDER_LOGO = BUNDLED_TEMPLATES_DIR / "assets" / "logo-placeholder.png"


def read_agency(path: Path, *, base_dir: Path) -> AgencyIdentity:
    """``agency.toml`` at ``path`` (the placeholder defaults if it does not exist), logo checked."""
    text = path.read_text(encoding="utf-8") if path.exists() else DEFAULT_AGENCY_TOML
    return checked(parse_agency_toml(text, base_dir=base_dir))


def checked(identity: AgencyIdentity) -> AgencyIdentity:
    """Refuse an identity whose logo file is unreadable or not a PNG or JPEG, at start-up."""
    if identity.logo_path is not None:
        _image_bytes(identity.logo_path)
    return identity


def load_logo(identity: AgencyIdentity) -> bytes:
    """The logo's bytes: the configured file, or the shipped neutral placeholder."""
    return _image_bytes(identity.logo_path or PLACEHOLDER_LOGO)


def _image_bytes(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigurationError(
            f"Berkas logo tidak dapat dibaca: {path} ({exc.strerror})"
        ) from exc
    if not is_image(data):
        raise ConfigurationError(f"Berkas logo harus PNG atau JPEG: {path}")
    return data
