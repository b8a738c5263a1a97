"""The migrations build exactly the schema the models describe, and 0004 goes down and up again."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from warmline.db.migrate import alembic_config, upgrade
from warmline.db.models import Base

ACCOUNT_TABLES = {"app_user", "api_token", "audit_entry"}


def _differences(url: str) -> list[object]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            return list(compare_metadata(context, Base.metadata))
    finally:
        engine.dispose()


def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_migrated_database_matches_the_models(database_url: str) -> None:
    assert _differences(database_url) == []


def test_accounts_migration_downgrades_and_upgrades(database_url: str) -> None:
    assert ACCOUNT_TABLES <= _tables(database_url)
    command.downgrade(alembic_config(database_url), "0003")
    assert not ACCOUNT_TABLES & _tables(database_url)
    upgrade(database_url)
    assert ACCOUNT_TABLES <= _tables(database_url)
    assert _differences(database_url) == []
