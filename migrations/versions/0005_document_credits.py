"""what each document credited: document_credits, documents.credited_jp, requests.credited

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 10:20:00

Documents issued before this revision are given one credit each, spanning their activity, with
the JP they print: what they counted for until now. Only the evidence of an activity credits (STTP,
sertifikat, surat keterangan; ``registry.domain.drafts.CREDITING_TYPES``): a transkrip, piagam or
SK accompanies a training's STTP and credits 0.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "document_credits",
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("nip", sa.String(length=18), nullable=False),
        sa.Column("path", sa.String(length=40), nullable=False),
        sa.Column("scope", sa.String(length=20), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("jp", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_document_credits_document_id_documents"),
        ),
        sa.PrimaryKeyConstraint("document_id", "position", name=op.f("pk_document_credits")),
    )
    op.create_index("ix_document_credits_nip", "document_credits", ["nip"], unique=False)
    with op.batch_alter_table("requests") as batch:
        batch.add_column(sa.Column("credited", sa.JSON(), nullable=True))
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("credited_jp", sa.String(length=20), nullable=True))
    # The crediting types are written out, not imported: a migration must not change with the code.
    op.execute(
        "UPDATE documents SET credited_jp = CASE WHEN type IN "
        "('sttp', 'sertifikat', 'surat_keterangan') THEN jp ELSE '0' END"
    )
    with op.batch_alter_table("documents") as batch:
        batch.alter_column("credited_jp", existing_type=sa.String(length=20), nullable=False)
    op.execute(
        "INSERT INTO document_credits "
        "(document_id, position, nip, path, scope, start_date, end_date, jp) "
        "SELECT id, 0, nip, path, scope, start_date, end_date, jp FROM documents "
        "WHERE status <> 'void' AND jp <> '0' "
        "AND type IN ('sttp', 'sertifikat', 'surat_keterangan')"
    )


def downgrade() -> None:
    with op.batch_alter_table("requests") as batch:
        batch.drop_column("credited")
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("credited_jp")
    op.drop_index("ix_document_credits_nip", table_name="document_credits")
    op.drop_table("document_credits")
