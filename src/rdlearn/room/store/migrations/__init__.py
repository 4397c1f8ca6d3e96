"""The room store's alembic migrations (run by :mod:`rdlearn.room.store.schema`, never by hand)."""
