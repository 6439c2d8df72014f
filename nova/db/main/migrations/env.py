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
