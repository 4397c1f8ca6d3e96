"""The session the room is in now: the facilitator's "we are now in session 3".

Kept with the workshop, so that every ``rdlearn serve`` process on one database tells the
day pages the same (see :mod:`rdlearn.room.follow`).
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add ``workshops.room_session``: the session the facilitator said the room is in."""
    op.add_column("workshops", sa.Column("room_session", sa.Integer, nullable=True))


def downgrade() -> None:
    """Not supported: a room store is never taken back to an older rdlearn."""
    raise NotImplementedError
