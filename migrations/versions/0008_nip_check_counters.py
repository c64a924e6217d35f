"""nip_check_counters: NIP-check failures per holder, per client address and per both

The per-document hourly count (nip_check_windows) let anyone lock a holder out and let a holder's
several documents multiply the guesses. Its rows are only rate-limiting state of the last hour or
two, so they are dropped, not carried over.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "nip_check_counters",
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "scope", "subject", "window_start", name=op.f("pk_nip_check_counters")
        ),
    )
    with op.batch_alter_table("nip_check_counters") as batch:
        batch.create_index("ix_nip_check_counters_window_start", ["window_start"], unique=False)
    op.drop_table("nip_check_windows")


def downgrade() -> None:
    op.create_table(
        "nip_check_windows",
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_nip_check_windows_document_id_documents"),
        ),
        sa.PrimaryKeyConstraint("document_id", "window_start", name=op.f("pk_nip_check_windows")),
    )
    with op.batch_alter_table("nip_check_counters") as batch:
        batch.drop_index("ix_nip_check_counters_window_start")
    op.drop_table("nip_check_counters")
