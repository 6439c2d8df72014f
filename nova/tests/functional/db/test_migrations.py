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

"""The alembic migrations build exactly the schema the models describe.

oslo.db's ModelsMigrationsSync migrates an empty database (SQLite, and
PostgreSQL and MySQL on the tests' private servers) with
``nova.db.migration.db_sync`` and compares what it built with
``nova.db.main.models``: any column, type, nullability, index or constraint
that one has and the other lacks fails the test, listing the differences.
"""


from oslo_db.sqlalchemy import test_migrations
import sqlalchemy as sa
import testscenarios
import testtools

from nova.db.main import models
from nova.db import migration
from nova import test
from nova.tests import fixtures as nova_fixtures

load_tests = testscenarios.load_tests_apply_scenarios


class TestModelsMigrationsSync(test_migrations.ModelsMigrationsSync,
                               testtools.TestCase):

    scenarios = test.DATABASE_SCENARIOS

    def setUp(self):
        super().setUp()
        self.engine = self.useFixture(
            nova_fixtures.EmptyDatabaseEngine(self.DATABASE)).engine

    def db_sync(self, engine):
        migration.db_sync(engine=engine)

    def get_engine(self):
        return self.engine

    def get_metadata(self):
        return models.BASE.metadata

    def include_object(self, object_, name, type_, reflected, compare_to):
        # NOTE: alembic's own bookkeeping table is not part of the models.
        if type_ == 'table' and name == 'alembic_version':
            return False
        return super().include_object(object_, name, type_, reflected,
                                      compare_to)

    def test_a_model_change_without_migration_is_caught(self):
        changed = sa.MetaData()
        for table in models.BASE.metadata.tables.values():
            table.to_metadata(changed)
        changed.tables['services'].append_column(
            sa.Column('mood', sa.String(36), nullable=True))
        # NOTE: the test instance is this test's own; no need to restore.
        self.get_metadata = lambda: changed

        error = self.assertRaises(self.failureException,
                                  self.test_models_sync)
        self.assertIn("Models and migration scripts aren't in sync",
                      str(error))
        self.assertIn("'mood'", str(error))
