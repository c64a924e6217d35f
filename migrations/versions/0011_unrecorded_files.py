"""unrecorded_files: files stored ahead of the record that will point at them

A process killed between storing a file and committing its record left the file behind forever.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 20:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "unrecorded_files",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("owner", sa.String(length=80), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("announced_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unrecorded_files")),
    )
    op.create_index(
        "ix_unrecorded_files_announced_at", "unrecorded_files", ["announced_at"], unique=False
    )
    op.create_index("ix_unrecorded_files_owner", "unrecorded_files", ["owner"], unique=False)
    op.create_index("ix_unrecorded_files_sha256", "unrecorded_files", ["sha256"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_unrecorded_files_sha256", table_name="unrecorded_files")
    op.drop_index("ix_unrecorded_files_owner", table_name="unrecorded_files")
    op.drop_index("ix_unrecorded_files_announced_at", table_name="unrecorded_files")
    op.drop_table("unrecorded_files")
