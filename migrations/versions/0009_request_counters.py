"""request_counters: the public verification endpoints' requests per client and minute

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "request_counters",
        sa.Column("client", sa.String(length=64), nullable=False),
        sa.Column("window_start", sa.Integer(), nullable=False),
        sa.Column("requests", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("client", "window_start", name=op.f("pk_request_counters")),
    )
    with op.batch_alter_table("request_counters") as batch:
        batch.create_index("ix_request_counters_window_start", ["window_start"], unique=False)


def downgrade() -> None:
    op.drop_table("request_counters")
