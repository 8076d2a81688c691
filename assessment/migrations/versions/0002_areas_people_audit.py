"""Areas as records with a stable code, people and their roles, and the audit trail.

Every saved assessment is linked to an area record made from its area's name (names differing only in
case or spacing are one area, as the Start page has always treated them).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _code(name: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", " ".join(name.split()).casefold()).strip("-")[:56] or "area"
    code, number = base, 2
    while code in taken:
        code, number = f"{base}-{number}", number + 1
    return code


def upgrade() -> None:
    op.create_table(
        "areas",
        sa.Column("code", sa.String(60), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("region", sa.Text, nullable=False, server_default=""),
        sa.Column("created_at", sa.Text, nullable=False),
    )
    op.create_table(
        "users",
        sa.Column("email", sa.Text, primary_key=True),
        sa.Column("name", sa.Text, nullable=False, server_default=""),
        sa.Column("first_seen", sa.Text, nullable=False),
        sa.Column("last_seen", sa.Text, nullable=False),
    )
    op.create_table(
        "memberships",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("email", sa.Text, nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("area_code", sa.String(60), sa.ForeignKey("areas.code", ondelete="CASCADE")),
        sa.Column("region", sa.Text),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.Column("created_by", sa.Text, nullable=False, server_default=""),
    )
    op.create_index("ix_memberships_email", "memberships", ["email"])
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("assessment_id", sa.Text, nullable=False),
        sa.Column("at", sa.Text, nullable=False),
        sa.Column("actor", sa.Text, nullable=False, server_default=""),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("target", sa.Text, nullable=False, server_default=""),
        sa.Column("detail", sa.Text, nullable=False, server_default="{}"),
    )
    op.create_index("ix_audit_events_assessment_id", "audit_events", ["assessment_id"])
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        # ALTER TABLE, never a copy of the table: dropping the old copy would cascade to every answer.
        bind.exec_driver_sql("ALTER TABLE assessments ADD COLUMN area_code VARCHAR(60) REFERENCES areas (code)")
    else:
        op.add_column("assessments", sa.Column("area_code", sa.String(60)))
        op.create_foreign_key("assessments_area_code_fkey", "assessments", "areas", ["area_code"], ["code"])
    op.create_index("ix_assessments_area_code", "assessments", ["area_code"])

    # Link every saved assessment to an area record.
    stamp = datetime.now(UTC).isoformat()
    rows = bind.execute(sa.text("SELECT id, area FROM assessments ORDER BY created_at, id")).all()
    codes: dict[str, str] = {}
    for assessment_id, name in rows:
        key = " ".join(name.split()).casefold()
        if key not in codes:
            codes[key] = _code(name, set(codes.values()))
            bind.execute(
                sa.text("INSERT INTO areas (code, name, region, created_at) VALUES (:code, :name, '', :at)"),
                {"code": codes[key], "name": " ".join(name.split()), "at": stamp},
            )
        bind.execute(
            sa.text("UPDATE assessments SET area_code = :code WHERE id = :id"),
            {"code": codes[key], "id": assessment_id},
        )


def downgrade() -> None:
    op.drop_index("ix_assessments_area_code", "assessments")
    with op.batch_alter_table("assessments") as batch:
        batch.drop_column("area_code")
    for table in ("audit_events", "memberships", "users", "areas"):
        op.drop_table(table)
