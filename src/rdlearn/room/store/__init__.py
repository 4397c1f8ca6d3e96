"""The room's shared store: a SQLite file by default, or a PostgreSQL database by URL.

:mod:`~rdlearn.room.store.core` holds :class:`Store`; :mod:`~rdlearn.room.store.engine`
the two engines; :mod:`~rdlearn.room.store.schema` and ``migrations/`` the alembic schema.
"""

from rdlearn.room.store.core import (
    DEFAULT_EXPIRY,
    SCHEMA_VERSION,
    QuestionClosedError,
    Store,
    StoreError,
    StoreUnavailableError,
    UnknownWorkshopError,
    default_path,
    default_target,
)
from rdlearn.room.store.schema import LEGACY as MIGRATIONS

__all__ = [
    "DEFAULT_EXPIRY",
    "SCHEMA_VERSION",
    "MIGRATIONS",
    "StoreError",
    "StoreUnavailableError",
    "QuestionClosedError",
    "UnknownWorkshopError",
    "Store",
    "default_path",
    "default_target",
]
