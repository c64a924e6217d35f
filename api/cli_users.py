"""``satupintu user create|list|disable``: console accounts from the command line.

``user create`` is how the first admin of a fresh install is made; an admin manages the rest in
the console. The generated one-time password is printed on the last line and nowhere else.
"""

from __future__ import annotations

import argparse

from registry.adapters.db.engine import Database
from registry.adapters.db.schema import USER_ROLES
from registry.bootstrap import initialize
from registry.domain.actors import CLI_ACTOR
from registry.settings import Settings
from registry.usecases.accounts import Accounts, UserDraft
from registry.usecases.issuing import utc_now


def add_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    user = commands.add_parser("user", help="console accounts").add_subparsers(required=True)
    create = user.add_parser(
        "create", help="create an account; prints a one-time password on the last line"
    )
    create.add_argument("username", help="e.g. andi.pratama (stored lower-case)")
    create.add_argument("--role", required=True, choices=list(USER_ROLES))
    create.add_argument("--unit", help="unit code (required for requester; a registered unit)")
    create.add_argument("--name", help="the person's name as the console shows it")
    create.add_argument("--email", help="where notifications go")
    create.set_defaults(handler=user_create)
    user.add_parser("list", help="list accounts").set_defaults(handler=user_list)
    disable = user.add_parser("disable", help="disable an account and end its sessions")
    disable.add_argument("username")
    disable.set_defaults(handler=user_disable)


def _accounts(settings: Settings) -> tuple[Accounts, Database]:
    initialize(settings)
    database = Database.from_url(settings.database_url)
    return Accounts(database, now=utc_now), database


def user_create(args: argparse.Namespace, settings: Settings) -> int:
    accounts, database = _accounts(settings)
    draft = UserDraft(
        username=args.username,
        role=args.role,
        unit_code=args.unit,
        display_name=args.name,
        email=args.email,
    )
    try:
        created = accounts.create_user(draft, CLI_ACTOR)
    finally:
        database.dispose()
    user = created.user
    print(f"created user {user.username}  role: {user.role}  unit: {user.unit_code or '-'}")
    print("One-time password; store it now, it is not shown again:")
    print(created.password)
    return 0


def user_list(_: argparse.Namespace, settings: Settings) -> int:
    accounts, database = _accounts(settings)
    try:
        users = accounts.list_users(CLI_ACTOR)
    finally:
        database.dispose()
    for user in users:
        state = f"disabled {user.disabled_at:%Y-%m-%d}" if user.disabled_at else "active"
        unit = user.unit_code or "-"
        print(f"{user.username:<20}  {user.role:<9}  {unit:<12}  {state}  {user.display_name}")
    return 0


def user_disable(args: argparse.Namespace, settings: Settings) -> int:
    accounts, database = _accounts(settings)
    try:
        user = accounts.disable_user(args.username, CLI_ACTOR)
    finally:
        database.dispose()
    print(f"disabled {user.username}; its sessions are ended")
    return 0
