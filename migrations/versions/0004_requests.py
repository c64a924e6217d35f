"""surat keterangan requests and their evidence

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 08:47:15.780874
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "requests",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("unit_code", sa.String(length=30), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("scope", sa.String(length=20), nullable=False),
        sa.Column("nip", sa.String(length=18), nullable=False),
        sa.Column("employee", sa.JSON(), nullable=False),
        sa.Column("guide", sa.JSON(), nullable=True),
        sa.Column("sessions", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("document_id", sa.Uuid(), nullable=True),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.String(length=80), nullable=True),
        sa.CheckConstraint(
            "kind IN ('coaching', 'mentoring', 'belajar_mandiri', 'komunitas_belajar', "
            "'bimbingan_tempat_kerja')",
            name=op.f("ck_requests_kind"),
        ),
        sa.CheckConstraint(
            "status <> 'approved' OR document_id IS NOT NULL",
            name=op.f("ck_requests_approved_has_document"),
        ),
        sa.CheckConstraint(
            "status <> 'rejected' OR reason IS NOT NULL",
            name=op.f("ck_requests_rejected_has_reason"),
        ),
        sa.CheckConstraint(
            "status IN ('draft', 'submitted', 'approved', 'rejected', 'withdrawn')",
            name=op.f("ck_requests_status"),
        ),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name=op.f("fk_requests_document_id_documents")
        ),
        sa.ForeignKeyConstraint(
            ["unit_code"], ["units.code"], name=op.f("fk_requests_unit_code_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_requests")),
    )
    with op.batch_alter_table("requests", schema=None) as batch_op:
        batch_op.create_index("ix_requests_nip", ["nip"], unique=False)
        batch_op.create_index("ix_requests_unit_status", ["unit_code", "status"], unique=False)

    op.create_table(
        "request_evidence",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("request_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('surat_perintah', 'formulir', 'bahan', 'daftar_anggota', 'lainnya')",
            name=op.f("ck_request_evidence_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["request_id"], ["requests.id"], name=op.f("fk_request_evidence_request_id_requests")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_request_evidence")),
    )
    with op.batch_alter_table("request_evidence", schema=None) as batch_op:
        batch_op.create_index("ix_request_evidence_request_id", ["request_id"], unique=False)
        batch_op.create_index("ix_request_evidence_sha256", ["sha256"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("request_evidence", schema=None) as batch_op:
        batch_op.drop_index("ix_request_evidence_sha256")
        batch_op.drop_index("ix_request_evidence_request_id")

    op.drop_table("request_evidence")
    with op.batch_alter_table("requests", schema=None) as batch_op:
        batch_op.drop_index("ix_requests_unit_status")
        batch_op.drop_index("ix_requests_nip")

    op.drop_table("requests")
