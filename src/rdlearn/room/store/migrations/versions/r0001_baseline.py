"""Baseline: the schema rdlearn 0.1 kept in its SQLite files (schema_version 3).

On SQLite the tables are made by the same statements as before alembic (so an old file
and a new one are alike); on PostgreSQL with double precision for times (``REAL`` would
lose the seconds of a Unix time) and an identity column standing for SQLite's ``rowid``.
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Make the workshops, questions, answers and pairs tables."""
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        from rdlearn.room.store.schema import LEGACY

        for step in LEGACY:
            for statement in step.split(";"):
                if statement.strip():
                    op.execute(statement)
        return
    time = sa.Double()
    op.create_table(
        "workshops",
        sa.Column("code", sa.Text, primary_key=True),
        sa.Column("created", time, nullable=False),
        sa.Column("expires", time))
    op.create_table(
        "answers",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False, unique=True),
        sa.Column("workshop", sa.Text, primary_key=True),
        sa.Column("question_id", sa.Text, primary_key=True),
        sa.Column("voter", sa.Text, primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("updated", time, nullable=False),
        sa.Column("moderation", sa.Text, nullable=False, server_default="none"))
    op.create_index("answers_by_question", "answers", ["workshop", "question_id", "moderation"])
    op.create_table(
        "questions",
        sa.Column("id", sa.BigInteger, sa.Identity(), nullable=False, unique=True),
        sa.Column("workshop", sa.Text, primary_key=True),
        sa.Column("question_id", sa.Text, primary_key=True),
        sa.Column("is_open", sa.Integer, nullable=False, server_default="0"),
        sa.Column("revealed", sa.Integer, nullable=False, server_default="0"),
        sa.Column("opened", time))
    op.create_table(
        "pairs",
        sa.Column("code", sa.Text, primary_key=True),
        sa.Column("minutes", sa.Integer, nullable=False),
        sa.Column("seconds_per_minute", time, nullable=False),
        sa.Column("created", time, nullable=False),
        sa.Column("started", time),
        sa.Column("workshop", sa.Text),
        sa.Column("shared", sa.Integer, nullable=False, server_default="0"))
    op.create_table(
        "pair_partners",
        sa.Column("pair", sa.Text, primary_key=True),
        sa.Column("role", sa.Text, primary_key=True),
        sa.Column("token_hash", sa.Text, nullable=False),
        sa.Column("last_seen", time, nullable=False),
        sa.Column("finished", sa.Integer, nullable=False, server_default="0"),
        sa.Column("consent", sa.Integer, nullable=False, server_default="0"),
        sa.Column("collected", sa.Integer, nullable=False, server_default="0"))
    op.create_table(
        "pair_ratings",
        sa.Column("pair", sa.Text, primary_key=True),
        sa.Column("role", sa.Text, primary_key=True),
        sa.Column("minute", sa.Integer, primary_key=True),
        sa.Column("rating", sa.Integer, nullable=False))


def downgrade() -> None:
    """Not supported: a room store is never taken back to an older rdlearn."""
    raise NotImplementedError
