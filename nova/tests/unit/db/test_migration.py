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

"""nova.db.migration: the schema comes from the alembic migrations."""

import os
import socket
import time

import fixtures
import sqlalchemy as sa
import testscenarios
import testtools

from nova.db.main import models
from nova.db import migration
from nova import exception
from nova import test
from nova.tests import fixtures as nova_fixtures

load_tests = testscenarios.load_tests_apply_scenarios

HEAD = '20f497abfaa2'


class TestMigration(testtools.TestCase):

    scenarios = test.DATABASE_SCENARIOS

    def setUp(self):
        super().setUp()
        self.engine = self.useFixture(
            nova_fixtures.EmptyDatabaseEngine(self.DATABASE)).engine

    def _tables(self):
        return set(sa.inspect(self.engine).get_table_names())

    def test_empty_database_has_no_version(self):
        self.assertIsNone(migration.db_version(engine=self.engine))
        self.assertEqual(set(), self._tables())

    def test_db_sync(self):
        migration.db_sync(engine=self.engine)
        self.assertEqual(HEAD, migration.db_version(engine=self.engine))
        self.assertEqual({'alembic_version', 'services',
                          'notification_outbox',
                          'notification_relay_leases'}, self._tables())

    def test_a_lease_row_for_every_shard(self):
        migration.db_sync(engine=self.engine)
        with self.engine.connect() as connection:
            shards = [shard for shard, in connection.execute(sa.text(
                'SELECT shard FROM notification_relay_leases '
                'ORDER BY shard'))]
        self.assertEqual(list(range(models.OUTBOX_SHARDS)), shards)

    def test_outbox_indexes(self):
        migration.db_sync(engine=self.engine)
        indexes = {index['name']: index['column_names'] for index in
                   sa.inspect(self.engine).get_indexes('notification_outbox')}
        self.assertEqual(['shard', 'state', 'id'],
                         indexes['notification_outbox_shard_state_idx'])

    def test_db_sync_twice_changes_nothing(self):
        migration.db_sync(engine=self.engine)
        migration.db_sync(engine=self.engine)
        self.assertEqual(HEAD, migration.db_version(engine=self.engine))

    def test_unique_constraints(self):
        migration.db_sync(engine=self.engine)
        inspector = sa.inspect(self.engine)
        unique = {tuple(constraint['column_names']) for constraint in
                  inspector.get_unique_constraints('services')}
        self.assertIn(('host', 'topic', 'deleted'), unique)
        self.assertIn(('host', 'binary', 'deleted'), unique)
        indexes = {index['name']: index
                   for index in inspector.get_indexes('services')}
        self.assertEqual(['uuid'],
                         indexes['services_uuid_idx']['column_names'])
        self.assertTrue(indexes['services_uuid_idx']['unique'])


class TestCheckMigrated(test.TestCase):

    def test_migrated_database_passes(self):
        self.assertIsNone(migration.check_migrated(self.conf.conf))

    def test_empty_database_is_refused(self):
        path = os.path.join(self.useFixture(fixtures.TempDir()).path,
                            'empty.sqlite')
        self.flags(connection='sqlite:///%s' % path, group='database')
        e = self.assertRaises(exception.DatabaseNotMigrated,
                              migration.check_migrated, self.conf.conf)
        self.assertIn('nova-manage db sync', e.format_message())
        self.assertIn(path, e.format_message())

    def test_the_location_hides_the_password(self):
        self.assertEqual(
            'mysql+pymysql://nova:***@db/nova',
            migration.location('mysql+pymysql://nova:S3cret@db/nova'))
        self.assertEqual('<unparsable database URL>',
                         migration.location('nova:S3cret@'))

    def test_an_unreachable_server_is_said_at_once(self):
        # NOTE: oslo.db's retries at start would take 100 s by default.
        port = _closed_port()
        for url in ('mysql+pymysql://nova:S3cret@127.0.0.1:%d/nova',
                    'postgresql+psycopg2://nova:S3cret@127.0.0.1:%d/nova'):
            self.flags(connection=url % port, group='database')
            started = time.monotonic()
            error = self.assertRaises(exception.DatabaseUnavailable,
                                      migration.check_migrated,
                                      self.conf.conf)
            self.assertEqual('the database cannot be reached',
                             error.kwargs['reason'])
            self.assertLess(time.monotonic() - started, 15)


def _closed_port():
    """A port of 127.0.0.1 that nothing listens on."""
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]
