from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from registry.adapters.db.engine import create_db_engine
from registry.adapters.db.schema import Base
from registry.settings import Settings, configure_logging

config = context.config
target_metadata = Base.metadata
if config.config_file_name is not None:
    # Run by the `alembic` command (the service migrates without an ini file): say what it does,
    # in the service's log format.
    configure_logging(alembic_level="INFO")


def _ours(name: str | None, type_: str, _parent: object) -> bool:
    # The job queue (Procrastinate) keeps its own tables in the same PostgreSQL database and
    # manages them itself; autogenerate must neither drop nor describe them.
    return not (type_ == "table" and name is not None and name.startswith("procrastinate_"))


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=_ours,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url") or Settings.from_env().database_url
    engine = create_db_engine(url)
    try:
        with engine.connect() as new_connection:
            _run(new_connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run against a database")
run_migrations_online()
