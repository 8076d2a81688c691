"""Each agency's own answers, the partnership's agreed answers and the inspector's moderation (issue 10).

Respondents (a person answering for one agency), their statement and partner answers, the agreed answer to
each statement (with the reason, who and when) and the inspector's moderated levels (per principle, or per
statement). An existing assessment has no respondents, so it reads exactly as before.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "respondents",
        sa.Column("assessment_id", sa.Text, sa.ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("name", sa.Text, nullable=False, server_default=""),
        sa.Column("agency", sa.Text, nullable=False),
        sa.Column("agency_name", sa.Text, nullable=False, server_default=""),
        sa.Column("role", sa.Text, nullable=False, server_default=""),
        sa.Column("user_email", sa.Text, nullable=False, server_default=""),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.Column("updated_at", sa.Text, nullable=False),
    )
    op.create_table(
        "respondent_answers",
        sa.Column("assessment_id", sa.Text, primary_key=True),
        sa.Column("respondent_id", sa.Text, primary_key=True),
        sa.Column("statement_id", sa.Text, primary_key=True),
        sa.Column("choice", sa.Text),
        sa.Column("evidence", sa.Text, nullable=False, server_default=""),
        sa.Column("na_reason", sa.Text, nullable=False, server_default=""),
        sa.ForeignKeyConstraint(
            ["assessment_id", "respondent_id"], ["respondents.assessment_id", "respondents.id"], ondelete="CASCADE"
        ),
    )
    op.create_table(
        "respondent_partner_answers",
        sa.Column("assessment_id", sa.Text, primary_key=True),
        sa.Column("respondent_id", sa.Text, primary_key=True),
        sa.Column("partner_id", sa.Text, primary_key=True),
        sa.Column("indicator_id", sa.Text, primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id", "respondent_id"], ["respondents.assessment_id", "respondents.id"], ondelete="CASCADE"
        ),
    )
    op.create_table(
        "agreements",
        sa.Column("assessment_id", sa.Text, sa.ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("statement_id", sa.Text, primary_key=True),
        sa.Column("choice", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False, server_default=""),
        sa.Column("proposed", sa.Text),
        sa.Column("agreed_by", sa.Text, nullable=False, server_default=""),
        sa.Column("agreed_at", sa.Text, nullable=False),
    )
    op.create_table(
        "moderations",
        sa.Column("assessment_id", sa.Text, sa.ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("principle", sa.Integer, primary_key=True),
        sa.Column("statement_id", sa.Text, primary_key=True, server_default=""),
        sa.Column("level", sa.Integer, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("moderated_by", sa.Text, nullable=False, server_default=""),
        sa.Column("moderated_at", sa.Text, nullable=False),
    )


def downgrade() -> None:
    for table in ("moderations", "agreements", "respondent_partner_answers", "respondent_answers", "respondents"):
        op.drop_table(table)
