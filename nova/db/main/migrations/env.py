"""Alembic environment of nova's main database."""

from alembic import context

from nova.db.main import models

config = context.config
target_metadata = models.BASE.metadata


def run_migrations_online():
    """Run the migrations on the connection nova handed to alembic.

    nova.db.migration passes its own connection in the config's attributes,
    so migrations always run on the database nova is configured with.
    """
    connection = config.attributes['connection']
    context.configure(connection=connection,
                      target_metadata=target_metadata,
                      render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit('Offline (SQL script) migrations are not supported.')
run_migrations_online()
