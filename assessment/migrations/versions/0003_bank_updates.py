"""The record of an assessment brought up to a newer question bank (the bank_updates table of bank 2026.2).

The SQLite store of that version made this table itself; a file that has it already keeps it as it is.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if "bank_updates" in sa.inspect(op.get_bind()).get_table_names():
        return
    op.create_table(
        "bank_updates",
        sa.Column("assessment_id", sa.Text, sa.ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("from_version", sa.Text, nullable=False),
        sa.Column("to_version", sa.Text, nullable=False),
        sa.Column("changes", sa.Text, nullable=False),
        sa.Column("fresh_look", sa.Text, nullable=False),
        sa.Column("made_at", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("bank_updates")
