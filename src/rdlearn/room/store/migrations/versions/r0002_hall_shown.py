"""The question last shown to a hall lives in the store, not in one process's memory.

With several ``rdlearn serve`` processes on one database, any of them must show the hall
the same question after it closes (its results stay up).
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add ``workshops.shown``: the id of the question the hall was last shown."""
    op.add_column("workshops", sa.Column("shown", sa.Text, nullable=True))


def downgrade() -> None:
    """Not supported: a room store is never taken back to an older rdlearn."""
    raise NotImplementedError
