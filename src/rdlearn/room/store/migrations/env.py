"""Alembic's entry point for the room store: migrate the connection rdlearn hands over.

rdlearn runs migrations itself (:func:`rdlearn.room.store.schema.migrate`) inside the
transaction that holds the store's write lock, so no ``alembic.ini`` and no URL live here.
"""

from alembic import context


def _run() -> None:
    connection = context.config.attributes["connection"]
    context.configure(connection=connection, target_metadata=None,
                      transaction_per_migration=False)
    with context.begin_transaction():
        context.run_migrations()


if getattr(context, "_proxy", None) is not None:  # only when alembic runs this file
    _run()
