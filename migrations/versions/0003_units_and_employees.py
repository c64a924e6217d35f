"""work units with their heads, and the employee roster

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 08:26:59.724942
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "units",
        sa.Column("code", sa.String(length=30), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("head_name", sa.String(length=200), nullable=True),
        sa.Column("head_nip", sa.String(length=18), nullable=True),
        sa.Column("head_employment", sa.String(length=10), nullable=True),
        sa.Column("head_rank", sa.String(length=200), nullable=True),
        sa.Column("head_position", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(head_name IS NULL AND head_nip IS NULL AND head_rank IS NULL "
            "AND head_position IS NULL) OR (head_name IS NOT NULL AND head_nip IS NOT NULL "
            "AND head_rank IS NOT NULL AND head_position IS NOT NULL)",
            name=op.f("ck_units_head_complete"),
        ),
        sa.CheckConstraint(
            "head_employment IS NULL OR head_employment IN ('pns', 'pppk')",
            name=op.f("ck_units_head_employment"),
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_units")),
    )
    op.create_table(
        "employees",
        sa.Column("nip", sa.String(length=18), nullable=False),
        sa.Column("unit_code", sa.String(length=30), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("employment", sa.String(length=10), nullable=False),
        sa.Column("jabatan_type", sa.String(length=20), nullable=True),
        sa.Column("position", sa.String(length=200), nullable=True),
        sa.Column("rank", sa.String(length=200), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("employment IN ('pns', 'pppk')", name=op.f("ck_employees_employment")),
        sa.CheckConstraint(
            "jabatan_type IS NULL OR jabatan_type IN ('struktural', 'fungsional', 'pelaksana')",
            name=op.f("ck_employees_jabatan_type"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_code"], ["units.code"], name=op.f("fk_employees_unit_code_units")
        ),
        sa.PrimaryKeyConstraint("nip", name=op.f("pk_employees")),
    )
    with op.batch_alter_table("employees", schema=None) as batch_op:
        batch_op.create_index("ix_employees_unit_code", ["unit_code"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("employees", schema=None) as batch_op:
        batch_op.drop_index("ix_employees_unit_code")

    op.drop_table("employees")
    op.drop_table("units")
