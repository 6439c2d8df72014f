#    Licensed under the Apache License, Version 2.0 (the "License"); you may
#    not use this file except in compliance with the License. You may obtain
#    a copy of the License at
#
#         http://www.apache.org/licenses/LICENSE-2.0
#
#    Unless required by applicable law or agreed to in writing, software
#    distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
#    WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
#    License for the specific language governing permissions and limitations
#    under the License.

"""Create and upgrade nova's database schema with alembic."""

import os

from alembic import command as alembic_command
from alembic import config as alembic_config
from alembic import migration as alembic_migration
from sqlalchemy.engine import url as sa_url

from nova.db.main import api as db_api
from nova.db.main import outage
from nova import exception

_ALEMBIC_INI = os.path.join(os.path.dirname(__file__), 'main', 'alembic.ini')


def _alembic_config(connection):
    config = alembic_config.Config(_ALEMBIC_INI)
    config.attributes['connection'] = connection
    return config


def db_sync(version='heads', engine=None):
    """Upgrade the main database to ``version`` (the newest by default)."""
    engine = engine or db_api.get_engine()
    with engine.begin() as connection:
        alembic_command.upgrade(_alembic_config(connection), version)


def db_version(engine=None):
    """Return the current alembic revision, or None for an empty database."""
    engine = engine or db_api.get_engine()
    with engine.connect() as connection:
        return alembic_migration.MigrationContext.configure(
            connection).get_current_revision()


def location(connection):
    """Return the database URL ``connection`` with its password hidden."""
    try:
        return sa_url.make_url(connection).render_as_string(
            hide_password=True)
    except Exception:
        # NOTE: an unparsable URL is reported as the driver's error; the
        # location itself must still never show a password.
        return '<unparsable database URL>'


# NOTE: how long a console script waits for a database server that does
# not answer, at start.
_START_TIMEOUT = 10


def check_migrated(conf):
    """Refuse to start on a database that is unreachable or has no schema.

    The database is asked once, at most ``_START_TIMEOUT`` seconds, without
    oslo.db's retries at start (``[database] max_retries`` times
    ``retry_interval``: 100 s by default): they are for a running service
    that lost its database, not for an operator starting one.

    :raises DatabaseNotMigrated: naming the database, never its password.
    :raises DatabaseUnavailable: when it cannot be reached (or used).
    """
    url = sa_url.make_url(conf.database.connection)
    if (url.get_backend_name() in ('mysql', 'postgresql') and
            'connect_timeout' not in url.query):
        url = url.update_query_dict({'connect_timeout': str(_START_TIMEOUT)})
    manager = db_api.create_context_manager(**dict(
        conf.database.items(), max_retries=0,
        connection=url.render_as_string(hide_password=False)))
    try:
        engine = manager.writer.get_engine()
        try:
            version = db_version(engine)
        finally:
            engine.dispose()
    except Exception as error:
        condition = outage.reason(error)
        if condition is None:
            raise
        raise exception.DatabaseUnavailable(reason=condition) from error
    if version is None:
        raise exception.DatabaseNotMigrated(
            connection=location(conf.database.connection))
