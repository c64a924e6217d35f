"""``satupintu unit add|list`` and ``satupintu roster import``."""

from __future__ import annotations

import argparse
from pathlib import Path

from api.cli_documents import print_row_errors
from registry.adapters.db.engine import Database
from registry.bootstrap import initialize
from registry.domain.actors import CLI_ACTOR
from registry.domain.roster_rows import RosterInvalid
from registry.domain.units import HeadDraft, UnitDraft
from registry.settings import Settings
from registry.usecases.issuing import utc_now
from registry.usecases.units import Units


def add_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    unit = commands.add_parser("unit", help="work units (SKPD)").add_subparsers(required=True)
    add = unit.add_parser("add", help="add a unit, or update the unit with this code")
    add.add_argument("code", help="unit code, e.g. DPUPR")
    add.add_argument("--name", required=True, help="the unit's full name")
    add.add_argument("--head-name", help="the head who signs the unit's surat keterangan")
    add.add_argument("--head-nip")
    add.add_argument("--head-rank")
    add.add_argument("--head-position")
    add.set_defaults(handler=unit_add)
    unit.add_parser("list", help="list units").set_defaults(handler=unit_list)

    roster = commands.add_parser("roster", help="employee rosters").add_subparsers(required=True)
    load = roster.add_parser("import", help="import a unit's roster (CSV/XLSX); updates by NIP")
    load.add_argument("file", type=Path, help="CSV or XLSX roster, e.g. a SIMPEG export")
    load.add_argument("--unit", required=True, help="unit code")
    load.set_defaults(handler=roster_import)


def _units(settings: Settings) -> tuple[Units, Database]:
    initialize(settings)
    database = Database.from_url(settings.database_url)
    zone = settings.zone
    return Units(database, now=utc_now, today=lambda: utc_now().astimezone(zone).date()), database


def unit_add(args: argparse.Namespace, settings: Settings) -> int:
    head = HeadDraft(args.head_name, args.head_nip, args.head_rank, args.head_position)
    units, database = _units(settings)
    try:
        saved = units.save(UnitDraft(args.code, args.name, head), CLI_ACTOR)
    finally:
        database.dispose()
    unit = saved.unit
    signer = f"{unit.head.name} ({unit.head.position})" if unit.head else "the agency's signer"
    verb = "added" if saved.created else "updated"
    print(f"{verb} {unit.code}: {unit.name}; surat keterangan signed by {signer}")
    return 0


def unit_list(_: argparse.Namespace, settings: Settings) -> int:
    units, database = _units(settings)
    try:
        views = units.list_units(CLI_ACTOR)
    finally:
        database.dispose()
    for unit in views:
        head = unit.head.name if unit.head else "-"
        print(f"{unit.code:<12}  {unit.employees:>5} employees  head: {head}  {unit.name}")
    return 0


def roster_import(args: argparse.Namespace, settings: Settings) -> int:
    units, database = _units(settings)
    try:
        result = units.import_roster(
            args.unit, args.file.read_bytes(), CLI_ACTOR, filename=args.file.name
        )
    except RosterInvalid as refused:
        print_row_errors(refused)
        return 2
    finally:
        database.dispose()
    print(
        f"{result.unit_code}: {result.rows} rows; {result.created} new, {result.updated} updated, "
        f"{result.unchanged} unchanged; {result.not_in_file} of the unit's employees are not in "
        "the file and stay rostered"
    )
    return 0
