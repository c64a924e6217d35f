"""document files, batches, template provenance, short codes

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 04:51:53.884565
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "batches",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("type", sa.String(length=30), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("first_number", sa.String(length=120), nullable=False),
        sa.Column("last_number", sa.String(length=120), nullable=False),
        sa.Column("created_by", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("merged_sha256", sa.String(length=64), nullable=True),
        sa.Column("zip_sha256", sa.String(length=64), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "status IN ('rendering', 'done', 'failed')", name=op.f("ck_batches_status")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_batches")),
    )
    op.create_table(
        "document_files",
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("kid", sa.String(length=64), nullable=True),
        sa.Column("signature", sa.LargeBinary(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('pdf', 'docx', 'upload')", name=op.f("ck_document_files_kind")
        ),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name=op.f("fk_document_files_document_id_documents")
        ),
        sa.PrimaryKeyConstraint("document_id", "kind", name=op.f("pk_document_files")),
    )
    with op.batch_alter_table("document_files", schema=None) as batch_op:
        batch_op.create_index("ix_document_files_sha256", ["sha256"], unique=False)

    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("short_code", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("template_name", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("template_sha256", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("render_context", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("batch_id", sa.Uuid(), nullable=True))
        batch_op.create_index(batch_op.f("ix_documents_batch_id"), ["batch_id"], unique=False)
        batch_op.create_unique_constraint(batch_op.f("uq_documents_short_code"), ["short_code"])
        batch_op.create_foreign_key(
            batch_op.f("fk_documents_batch_id_batches"), "batches", ["batch_id"], ["id"]
        )

    with op.batch_alter_table("idempotency_keys", schema=None) as batch_op:
        batch_op.add_column(sa.Column("batch_id", sa.Uuid(), nullable=True))
        batch_op.alter_column("document_id", existing_type=sa.Uuid(), nullable=True)
        batch_op.create_foreign_key(
            batch_op.f("fk_idempotency_keys_batch_id_batches"), "batches", ["batch_id"], ["id"]
        )


def downgrade() -> None:

    with op.batch_alter_table("idempotency_keys", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_idempotency_keys_batch_id_batches"), type_="foreignkey"
        )
        batch_op.alter_column("document_id", existing_type=sa.Uuid(), nullable=False)
        batch_op.drop_column("batch_id")

    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_documents_batch_id_batches"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("uq_documents_short_code"), type_="unique")
        batch_op.drop_index(batch_op.f("ix_documents_batch_id"))
        batch_op.drop_column("batch_id")
        batch_op.drop_column("render_context")
        batch_op.drop_column("template_sha256")
        batch_op.drop_column("template_name")
        batch_op.drop_column("short_code")

    with op.batch_alter_table("document_files", schema=None) as batch_op:
        batch_op.drop_index("ix_document_files_sha256")

    op.drop_table("document_files")
    op.drop_table("batches")
