"""The schema of the first SQLite store: assessments, their answers, partner answers and plan actions.

An existing ``data/iom.sqlite3`` already has these tables: they are kept as they are, and only the
migration's mark is added, so the file upgrades in place.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    existing = set(sa.inspect(bind).get_table_names())
    if "assessments" not in existing:
        op.create_table(
            "assessments",
            sa.Column("id", sa.Text, primary_key=True),
            sa.Column("area", sa.Text, nullable=False),
            sa.Column("year", sa.Integer, nullable=False),
            sa.Column("bank_version", sa.Text, nullable=False),
            sa.Column("created_at", sa.Text, nullable=False),
            sa.Column("updated_at", sa.Text, nullable=False),
            sa.Column("is_example", sa.Boolean, nullable=False, server_default=sa.false()),
            sa.Column("targets", sa.Text, nullable=False, server_default="{}"),
            sa.Column("previous_id", sa.Text),
        )
        op.create_index("assessments_area_year", "assessments", ["area", "year"])
    if "statement_answers" not in existing:
        op.create_table(
            "statement_answers",
            sa.Column("assessment_id", sa.Text, sa.ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True),
            sa.Column("statement_id", sa.Text, primary_key=True),
            sa.Column("choice", sa.Text),
            sa.Column("evidence", sa.Text, nullable=False, server_default=""),
            sa.Column("na_reason", sa.Text, nullable=False, server_default=""),
        )
    if "plan_actions" not in existing:
        op.create_table(
            "plan_actions",
            sa.Column("assessment_id", sa.Text, sa.ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True),
            sa.Column("action_id", sa.Text, primary_key=True),
            sa.Column("edit", sa.Text, nullable=False),
        )
    if "partner_answers" not in existing:
        op.create_table(
            "partner_answers",
            sa.Column("assessment_id", sa.Text, sa.ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True),
            sa.Column("partner_id", sa.Text, primary_key=True),
            sa.Column("indicator_id", sa.Text, primary_key=True),
            sa.Column("value", sa.Text, nullable=False),
        )
    if bind.dialect.name == "sqlite" and bind.exec_driver_sql("PRAGMA user_version").scalar() == 0:
        # The first store marked its files as version 1; a file made here carries the same mark.
        bind.exec_driver_sql("PRAGMA user_version = 1")


def downgrade() -> None:
    for table in ("partner_answers", "plan_actions", "statement_answers", "assessments"):
        op.drop_table(table)
