"""The keys directory: file layout and modes, rotation across instances, passphrases."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from registry.adapters.keystore import ACTIVE_FILE, KeyRing
from registry.domain.errors import ConfigurationError
from registry.domain.signing import key_id, verify_signature


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


class Ticks:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def age_directory(path: Path) -> None:
    """Push the dir's mtime into the past so the next change is visible even on coarse clocks."""
    os.utime(path, ns=(0, 1_000_000_000))


def test_generate_writes_the_layout(tmp_path: Path) -> None:
    keys_dir = tmp_path / "keys"
    ring = KeyRing(keys_dir)
    assert not ring.has_keys()
    kid = ring.generate()
    assert ring.has_keys()
    assert mode(keys_dir) == 0o700
    assert mode(keys_dir / f"{kid}.key") == 0o600
    assert (keys_dir / f"{kid}.pub").read_bytes().startswith(b"-----BEGIN PUBLIC KEY-----")
    assert b"PRIVATE KEY" in (keys_dir / f"{kid}.key").read_bytes()
    assert b"ENCRYPTED" not in (keys_dir / f"{kid}.key").read_bytes()
    assert (keys_dir / ACTIVE_FILE).read_text().strip() == kid
    assert sorted(p.name for p in keys_dir.iterdir()) == sorted(
        [f"{kid}.key", f"{kid}.pub", ACTIVE_FILE]
    )  # no temporary file left behind
    active = ring.active()
    assert active.kid == kid
    assert key_id(active.private_key.public_key()) == kid
    jwks = ring.jwks()
    assert [jwk["kid"] for jwk in jwks["keys"]] == [kid]
    assert all("d" not in jwk for jwk in jwks["keys"])


def test_active_key_signs_what_the_public_key_verifies(tmp_path: Path) -> None:
    ring = KeyRing(tmp_path / "keys")
    kid = ring.generate()
    signature = ring.active().sign(b"satupintu")
    assert signature.kid == kid
    verify_signature(ring.public_keys()[kid], b"satupintu", signature.value)


def test_rotation_keeps_old_keys_and_moves_active(tmp_path: Path) -> None:
    keys_dir = tmp_path / "keys"
    ring = KeyRing(keys_dir)
    first = ring.generate()
    assert ring.active().kid == first
    second = ring.generate()
    assert first != second
    assert ring.active().kid == second
    assert set(ring.public_keys()) == {first, second}
    assert {jwk["kid"] for jwk in ring.jwks()["keys"]} == {first, second}
    assert (keys_dir / ACTIVE_FILE).read_text().strip() == second
    infos = {info.kid: info.active for info in ring.list()}
    assert infos == {first: False, second: True}


def test_another_instance_sees_the_rotation(tmp_path: Path) -> None:
    keys_dir = tmp_path / "keys"
    writer = KeyRing(keys_dir)
    first = writer.generate()
    age_directory(keys_dir)
    ticks = Ticks()
    reader = KeyRing(keys_dir, recheck_after=1.0, monotonic=ticks)  # another worker process
    assert reader.active().kid == first
    assert set(reader.public_keys()) == {first}
    generation = reader.generation

    second = writer.generate()
    assert writer.active().kid == second  # the rotating process: at once

    # The others look again within a second, not on every call (that cost a quarter of the
    # time under verification load); meanwhile they sign with the previous key, still valid.
    ticks.now += 0.5
    assert reader.active().kid == first
    ticks.now += 0.5
    assert reader.active().kid == second
    assert set(reader.public_keys()) == {first, second}
    assert reader.generation == generation + 1
    assert KeyRing(keys_dir).active().kid == second


def test_an_unchanged_directory_is_not_reloaded(tmp_path: Path) -> None:
    keys_dir = tmp_path / "keys"
    KeyRing(keys_dir).generate()
    ticks = Ticks()
    ring = KeyRing(keys_dir, monotonic=ticks)
    keys = ring.public_keys()
    generation = ring.generation
    for _ in range(3):
        ticks.now += 5
        assert ring.public_keys() is keys
    assert ring.generation == generation


def test_rotation_within_one_timestamp_tick_is_noticed(tmp_path: Path) -> None:
    keys_dir = tmp_path / "keys"
    writer = KeyRing(keys_dir)
    first = writer.generate()
    ticks = Ticks()
    reader = KeyRing(keys_dir, monotonic=ticks)
    assert reader.active().kid == first
    ticks.now += 1
    loaded = keys_dir.stat()
    second = writer.generate()
    # Simulate a coarse-grained clock (older kernels, NFS): the rotation lands in the same tick.
    os.utime(keys_dir, ns=(loaded.st_atime_ns, loaded.st_mtime_ns))
    assert second in reader.public_keys()


def test_encrypted_key_needs_the_right_passphrase(tmp_path: Path) -> None:
    keys_dir = tmp_path / "keys"
    kid = KeyRing(keys_dir, b"rahasia").generate()
    assert b"ENCRYPTED" in (keys_dir / f"{kid}.key").read_bytes()
    assert mode(keys_dir / f"{kid}.key") == 0o600

    with pytest.raises(ConfigurationError, match="SATUPINTU_KEY_PASSPHRASE"):
        KeyRing(keys_dir).active()
    with pytest.raises(ConfigurationError, match="salah"):
        KeyRing(keys_dir, b"salah-sandi").active()
    assert KeyRing(keys_dir, b"rahasia").active().kid == kid


def test_passphrase_on_a_plain_key_is_a_configuration_error(tmp_path: Path) -> None:
    keys_dir = tmp_path / "keys"
    KeyRing(keys_dir).generate()
    with pytest.raises(ConfigurationError):
        KeyRing(keys_dir, b"rahasia").active()


@pytest.mark.parametrize("create", [True, False], ids=["empty-dir", "missing-dir"])
def test_no_active_key_is_a_configuration_error(tmp_path: Path, create: bool) -> None:
    keys_dir = tmp_path / "keys"
    if create:
        keys_dir.mkdir()
    ring = KeyRing(keys_dir)
    with pytest.raises(ConfigurationError, match="satupintu keys init"):
        ring.active()
    assert ring.public_keys() == {}
    assert ring.jwks() == {"keys": []}


def test_public_key_file_named_after_another_kid_is_refused(tmp_path: Path) -> None:
    keys_dir = tmp_path / "keys"
    kid = KeyRing(keys_dir).generate()
    (keys_dir / f"{kid}.pub").rename(keys_dir / "bukan-kid-ini.pub")
    with pytest.raises(ConfigurationError, match="key id"):
        KeyRing(keys_dir).public_keys()


def test_foreign_public_key_under_a_kid_name_is_refused(tmp_path: Path) -> None:
    keys_dir = tmp_path / "keys"
    kid = KeyRing(keys_dir).generate()
    stranger = Ed25519PrivateKey.generate().public_key()
    (keys_dir / f"{kid}.pub").write_bytes(
        stranger.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    )
    with pytest.raises(ConfigurationError):
        KeyRing(keys_dir).active()


def test_active_pointing_to_a_missing_private_key_is_refused(tmp_path: Path) -> None:
    keys_dir = tmp_path / "keys"
    kid = KeyRing(keys_dir).generate()
    (keys_dir / f"{kid}.key").unlink()
    with pytest.raises(ConfigurationError, match=kid):
        KeyRing(keys_dir).active()


# -- key files that cannot be used: a ConfigurationError naming the file, never a ValueError ----


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _garbage(path: Path) -> None:
    path.write_bytes(b"\x00\xff\xfe not a key \x80" * 8)


def _unreadable(path: Path) -> None:
    # Tests run as root in CI, and chmod does not stop root; a directory cannot be read as a file
    # by anyone, which takes the same OSError path as a permission error.
    path.unlink()
    path.mkdir()


DAMAGE = {"truncated": _truncate, "garbage": _garbage, "unreadable": _unreadable}


@pytest.mark.parametrize("damage", list(DAMAGE))
@pytest.mark.parametrize("which", ["private", "public", "active"])
@pytest.mark.parametrize("passphrase", [None, b"rahasia"], ids=["plain", "encrypted"])
def test_a_damaged_key_file_is_a_configuration_error_naming_it(
    tmp_path: Path, damage: str, which: str, passphrase: bytes | None
) -> None:
    keys_dir = tmp_path / "keys"
    kid = KeyRing(keys_dir, passphrase).generate()
    names = {"private": f"{kid}.key", "public": f"{kid}.pub", "active": ACTIVE_FILE}
    path = keys_dir / names[which]
    DAMAGE[damage](path)
    with pytest.raises(ConfigurationError) as caught:
        KeyRing(keys_dir, passphrase).active()
    message = caught.value.message
    if which == "active" and damage == "truncated":
        # Half a kid names a key that does not exist; that message names the keys dir and kid.
        assert str(keys_dir) in message and kid[: len(kid) // 2] in message
    else:
        assert str(path) in message, message
    assert "SATUPINTU_KEY_PASSPHRASE salah" not in message  # not blamed on the passphrase


def test_a_damaged_key_rotated_out_still_fails_verification_plainly(tmp_path: Path) -> None:
    keys_dir = tmp_path / "keys"
    old = KeyRing(keys_dir).generate()
    ring = KeyRing(keys_dir, recheck_after=0)
    ring.generate()
    assert set(ring.public_keys()) >= {old}
    age_directory(keys_dir)
    _garbage(keys_dir / f"{old}.pub")
    (keys_dir / "touch").write_text("")  # a change in the listing makes the ring reload
    with pytest.raises(ConfigurationError, match=f"{old}.pub"):
        ring.public_keys()
