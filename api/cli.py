"""The ``satupintu`` command."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime

from api import cli_documents, cli_requests, cli_units, cli_users
from registry.adapters.db import audit
from registry.adapters.db.engine import Database
from registry.adapters.keystore import KeyRing
from registry.bootstrap import initialize
from registry.domain.actors import CLI_ACTOR
from registry.domain.errors import RegistryError
from registry.settings import (
    DEFAULT_HOST,
    DEFAULT_PORT,
    Settings,
    configure_logging,
    default_public_url,
    logging_config,
)
from registry.usecases.api_keys import ApiKeys
from registry.usecases.signing_keys import SigningKeys

log = logging.getLogger("satupintu")


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    configure_logging()
    try:
        settings = Settings.from_env()
        result: int = args.handler(args, settings)
        return result
    except RegistryError as exc:
        print(f"satupintu: {exc.message}", file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="satupintu",
        description="Central numbering, signing and verification of ASN competency documents.",
    )
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    init = commands.add_parser("init", help="create the data dir, migrate, create a signing key")
    init.set_defaults(handler=_init)

    serve = commands.add_parser("serve", help="run init, then serve the HTTP API")
    serve.add_argument("--host", default=DEFAULT_HOST)
    serve.add_argument("--port", type=int, default=DEFAULT_PORT)
    serve.add_argument("--workers", type=int, default=1)
    serve.set_defaults(handler=_serve)

    keys = commands.add_parser("keys", help="signing keys").add_subparsers(required=True)
    keys.add_parser("init", help="create a signing key if there is none").set_defaults(
        handler=_keys_init
    )
    keys.add_parser("rotate", help="make a new active key; old keys keep verifying").set_defaults(
        handler=_keys_rotate
    )
    keys.add_parser("list", help="list key ids").set_defaults(handler=_keys_list)

    apikey = commands.add_parser("apikey", help="API keys").add_subparsers(required=True)
    create = apikey.add_parser("create", help="create a key; prints it once, on the last line")
    create.add_argument("--role", required=True, choices=["issuer", "requester", "auditor"])
    create.add_argument("--unit", help="unit code (required for requester; a registered unit)")
    create.add_argument("--name", help="who holds the key")
    create.set_defaults(handler=_apikey_create)
    revoke = apikey.add_parser("revoke", help="revoke a key by id")
    revoke.add_argument("id")
    revoke.set_defaults(handler=_apikey_revoke)
    apikey.add_parser("list", help="list keys (never their secrets)").set_defaults(
        handler=_apikey_list
    )

    audit_cmd = commands.add_parser("audit", help="audit log").add_subparsers(required=True)
    audit_cmd.add_parser("verify", help="check the hash chain").set_defaults(handler=_audit_verify)
    cli_documents.add_commands(commands)
    cli_units.add_commands(commands)
    cli_requests.add_commands(commands)
    cli_users.add_commands(commands)
    return parser


def _init(_: argparse.Namespace, settings: Settings) -> int:
    report = initialize(settings)
    for item in report.created:
        print(f"created {item}")
    print(f"ready: data dir {settings.data_dir}, keys dir {settings.keys_dir}")
    return 0


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    if "SATUPINTU_PUBLIC_URL" not in os.environ:
        # QR URLs point where this server listens. uvicorn's app factory (in every worker
        # process) reads its settings from the environment, so the default travels there.
        os.environ["SATUPINTU_PUBLIC_URL"] = default_public_url(args.host, args.port)
        settings = Settings.from_env()
    initialize(settings)
    uvicorn.run(
        "api.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        proxy_headers=True,
        log_config=logging_config(),
    )
    return 0


def _keys_init(_: argparse.Namespace, settings: Settings) -> int:
    initialize(settings)
    for info in KeyRing(settings.keys_dir, settings.key_passphrase).list():
        print(f"{info.kid}{'  (active)' if info.active else ''}")
    return 0


def _signing_keys(settings: Settings, database: Database) -> SigningKeys:
    keyring = KeyRing(settings.keys_dir, settings.key_passphrase)
    return SigningKeys(database, keyring, now=_now)


def _keys_rotate(_: argparse.Namespace, settings: Settings) -> int:
    initialize(settings)
    database = Database.from_url(settings.database_url)
    try:
        kid = _signing_keys(settings, database).rotate(CLI_ACTOR)
    finally:
        database.dispose()
    print(f"new active key {kid}")
    return 0


def _keys_list(_: argparse.Namespace, settings: Settings) -> int:
    database = Database.from_url(settings.database_url)
    try:
        # Oldest first, as this command always printed them.
        keys = reversed(_signing_keys(settings, database).list_keys(CLI_ACTOR))
        for key in keys:
            created = key.created_at.isoformat(timespec="seconds")
            print(f"{key.kid}  {created}{'  active' if key.active else ''}")
    finally:
        database.dispose()
    return 0


def _apikey_create(args: argparse.Namespace, settings: Settings) -> int:
    initialize(settings)
    database = Database.from_url(settings.database_url)
    try:
        created = ApiKeys(database, now=_now).create(
            role=args.role, unit_code=args.unit, name=args.name, actor=CLI_ACTOR
        )
    finally:
        database.dispose()
    actor = created.actor
    print(f"id: {actor.id}  role: {actor.role}  unit: {actor.unit_code or '-'}")
    print("Store this key now; it is not shown again:")
    print(created.secret)
    return 0


def _apikey_revoke(args: argparse.Namespace, settings: Settings) -> int:
    database = Database.from_url(settings.database_url)
    try:
        ApiKeys(database, now=_now).revoke(args.id, CLI_ACTOR)
    finally:
        database.dispose()
    print(f"revoked {args.id}")
    return 0


def _apikey_list(_: argparse.Namespace, settings: Settings) -> int:
    database = Database.from_url(settings.database_url)
    try:
        for key in ApiKeys(database, now=_now).list_keys(CLI_ACTOR):
            state = f"revoked {key.revoked_at:%Y-%m-%d}" if key.revoked_at else "active"
            unit = key.unit_code or "-"
            print(f"{key.id}  {key.role:<9}  {unit:<12}  {state}  {key.name or ''}")
    finally:
        database.dispose()
    return 0


def _audit_verify(_: argparse.Namespace, settings: Settings) -> int:
    database = Database.from_url(settings.database_url)
    try:
        with database.reading() as session:
            report = audit.verify_chain(session)
    finally:
        database.dispose()
    if report.ok:
        print(f"audit chain intact: {report.entries} entries")
        return 0
    print(
        f"audit chain BROKEN at entry {report.first_broken_seq}: {report.problem} "
        f"({report.entries} entries verified before it)"
    )
    return 1


def _now() -> datetime:
    return datetime.now(UTC)


if __name__ == "__main__":
    raise SystemExit(main())
