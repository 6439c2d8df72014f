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

"""The database API of the services table, on every supported backend."""

import datetime
import os
import warnings

import fixtures
from oslo_utils import timeutils
from oslo_utils import uuidutils
import sqlalchemy as sa
import testscenarios

from nova.db.main import api as db
from nova.db.main import models
from nova import exception
from nova import test
from nova.tests import fixtures as nova_fixtures

load_tests = testscenarios.load_tests_apply_scenarios


class DbTestCase(test.TestCase):

    scenarios = test.DATABASE_SCENARIOS

    def _create(self, **values):
        values.setdefault('host', 'host1')
        values.setdefault('binary', 'nova-compute')
        values.setdefault('topic', 'compute')
        values.setdefault('uuid', uuidutils.generate_uuid())
        return db.service_create(self.context, values)

    def _rows(self):
        """Every row, deleted ones too, read through another connection."""
        table = models.Service.__table__
        with db.get_engine().connect() as connection:
            return [dict(row._mapping) for row in connection.execute(
                sa.select(table).order_by(table.c.id))]


class TestDatabaseFixture(DbTestCase):
    """Every test starts from what the migrations left, on every backend."""

    LEASES = models.BASE.metadata.tables['notification_relay_leases']

    def _lease_rows(self):
        with db.get_engine().connect() as connection:
            return connection.execute(
                sa.select(sa.func.count()).select_from(self.LEASES)).scalar()

    def test_the_rows_and_ids_of_a_test_do_not_reach_the_next(self):
        seeded = self._lease_rows()
        self.assertGreater(seeded, 0)
        # NOTE: on a server, every test of the process uses one database;
        # this one's too.
        with nova_fixtures.Database(self.DATABASE):
            self._create(host='host1')
            self._create(host='host2')
            with db.get_engine().begin() as connection:
                connection.execute(self.LEASES.delete())
        self.assertEqual([], self._rows())
        self.assertEqual(seeded, self._lease_rows())
        self.assertEqual(1, self._create()['id'])


class TestServiceCreate(DbTestCase):

    def test_create_with_defaults(self):
        service = self._create()
        row, = self._rows()
        self.assertEqual(service['id'], row['id'])
        self.assertEqual(service['uuid'], row['uuid'])
        self.assertEqual(0, row['report_count'])
        self.assertFalse(row['disabled'])
        self.assertFalse(row['forced_down'])
        self.assertEqual(0, row['version'])
        self.assertEqual(0, row['deleted'])
        self.assertIsNone(row['deleted_at'])
        self.assertIsNone(row['updated_at'])
        self.assertIsNotNone(row['created_at'])
        self.assertIsNone(row['last_seen_up'])

    def test_create_stores_the_values(self):
        self._create(report_count=4, disabled=True, disabled_reason='r',
                     forced_down=True, version=7)
        row, = self._rows()
        self.assertEqual((4, True, 'r', True, 7),
                         (row['report_count'], bool(row['disabled']),
                          row['disabled_reason'], bool(row['forced_down']),
                          row['version']))

    def test_duplicate_host_and_binary(self):
        self._create()
        error = self.assertRaises(exception.ServiceBinaryExists,
                                  self._create, topic='other')
        self.assertEqual('Service with host host1 binary nova-compute '
                         'exists.', str(error))
        self.assertEqual(1, len(self._rows()))

    def test_duplicate_host_and_topic(self):
        self._create()
        self.assertRaises(exception.ServiceTopicExists, self._create,
                          binary='nova-other')
        self.assertEqual(1, len(self._rows()))

    def test_duplicate_uuid(self):
        service = self._create()
        error = self.assertRaises(exception.ServiceUUIDExists, self._create,
                                  host='host2', uuid=service['uuid'])
        self.assertIn(service['uuid'], str(error))
        self.assertEqual(1, len(self._rows()))

    def test_duplicates_are_conflicts(self):
        for error in (exception.ServiceBinaryExists,
                      exception.ServiceTopicExists,
                      exception.ServiceUUIDExists):
            self.assertTrue(issubclass(error, exception.ServiceExists))
            self.assertEqual(409, error.code)


class TestServiceGet(DbTestCase):

    def setUp(self):
        super().setUp()
        self.service = self._create()

    def test_get(self):
        service_id = self.service['id']
        self.assertEqual(self.service['uuid'],
                         db.service_get(self.context, service_id)['uuid'])
        self.assertEqual(
            self.service['id'],
            db.service_get_by_uuid(self.context, self.service['uuid'])['id'])
        self.assertEqual(
            self.service['id'],
            db.service_get_by_host_and_binary(self.context, 'host1',
                                              'nova-compute')['id'])

    def test_missing(self):
        error = self.assertRaises(exception.ServiceNotFound, db.service_get,
                                  self.context, 42)
        self.assertEqual('Service 42 could not be found.', str(error))
        self.assertEqual(404, error.code)
        self.assertRaises(exception.ServiceNotFound, db.service_get_by_uuid,
                          self.context, uuidutils.generate_uuid())
        error = self.assertRaises(exception.HostBinaryNotFound,
                                  db.service_get_by_host_and_binary,
                                  self.context, 'host1', 'nova-scheduler')
        self.assertIsInstance(error, exception.ServiceNotFound)
        self.assertEqual('Could not find binary nova-scheduler on host '
                         'host1.', str(error))

    def test_deleted_is_missing(self):
        db.service_destroy(self.context, self.service['id'])
        self.assertRaises(exception.ServiceNotFound, db.service_get,
                          self.context, self.service['id'])
        self.assertRaises(exception.ServiceNotFound, db.service_get_by_uuid,
                          self.context, self.service['uuid'])
        self.assertRaises(exception.HostBinaryNotFound,
                          db.service_get_by_host_and_binary,
                          self.context, 'host1', 'nova-compute')

    def test_get_all(self):
        other = self._create(host='host2', disabled=True)
        conductor = self._create(binary='nova-conductor', topic='conductor')
        gone = self._create(host='host3')
        db.service_destroy(self.context, gone['id'])

        def ids(**filters):
            return [service['id']
                    for service in db.service_get_all(self.context,
                                                      **filters)]

        mine = self.service['id']
        self.assertEqual([mine, other['id'], conductor['id']], ids())
        self.assertEqual([mine, conductor['id']], ids(host='host1'))
        self.assertEqual([self.service['id'], other['id']],
                         ids(binary='nova-compute'))
        self.assertEqual([other['id']], ids(disabled=True))
        self.assertEqual([self.service['id'], conductor['id']],
                         ids(disabled=False))
        self.assertEqual([conductor['id']],
                         ids(host='host1', binary='nova-conductor'))
        self.assertEqual([], ids(host='host3'))


class TestServiceUpdate(DbTestCase):

    def setUp(self):
        super().setUp()
        self.service = self._create()

    def test_update(self):
        updated = db.service_update(self.context, self.service['id'],
                                    {'disabled': True,
                                     'disabled_reason': 'maintenance'})
        self.assertTrue(updated['disabled'])
        row, = self._rows()
        self.assertTrue(row['disabled'])
        self.assertEqual('maintenance', row['disabled_reason'])
        self.assertIsNotNone(row['updated_at'])
        self.assertIsNone(row['last_seen_up'])

    def test_growing_report_count_sets_last_seen_up(self):
        before = timeutils.utcnow()
        db.service_update(self.context, self.service['id'],
                          {'report_count': 1})
        row, = self._rows()
        self.assertEqual(1, row['report_count'])
        self.assertIsNotNone(row['last_seen_up'])
        self.assertGreaterEqual(row['last_seen_up'], before)

    def test_same_report_count_leaves_last_seen_up(self):
        db.service_update(self.context, self.service['id'],
                          {'report_count': 0, 'version': 3})
        self.assertIsNone(self._rows()[0]['last_seen_up'])

    def test_given_last_seen_up_is_kept(self):
        when = datetime.datetime(2012, 10, 29, 13, 42, 5)
        db.service_update(self.context, self.service['id'],
                          {'report_count': 1, 'last_seen_up': when})
        self.assertEqual(when, self._rows()[0]['last_seen_up'])

    def test_times_keep_their_microseconds_on_every_backend(self):
        when = datetime.datetime(2012, 10, 29, 13, 42, 5, 123456)
        timeutils.set_time_override(when)
        self.addCleanup(timeutils.clear_time_override)
        db.service_update(self.context, self.service['id'],
                          {'report_count': 1})
        row, = self._rows()
        self.assertEqual(when, row['last_seen_up'])
        self.assertEqual(when, row['updated_at'])

    def test_missing(self):
        self.assertRaises(exception.ServiceNotFound, db.service_update,
                          self.context, 42, {'disabled': True})

    def test_deleted(self):
        db.service_destroy(self.context, self.service['id'])
        self.assertRaises(exception.ServiceNotFound, db.service_update,
                          self.context, self.service['id'], {'disabled': True})
        self.assertFalse(self._rows()[0]['disabled'])

    def test_collisions(self):
        self._create(host='host2')
        error = self.assertRaises(exception.ServiceBinaryExists,
                                  db.service_update, self.context,
                                  self.service['id'],
                                  {'host': 'host2', 'topic': 'other'})
        self.assertEqual('Service with host host2 binary nova-compute '
                         'exists.', str(error))
        error = self.assertRaises(exception.ServiceTopicExists,
                                  db.service_update, self.context,
                                  self.service['id'],
                                  {'host': 'host2', 'binary': 'nova-other'})
        self.assertEqual('Service with host host2 topic compute exists.',
                         str(error))
        self.assertEqual(['host1', 'host2'],
                         [row['host'] for row in self._rows()])


class TestServiceDestroy(DbTestCase):

    def test_soft_delete(self):
        service = self._create()
        db.service_destroy(self.context, service['id'])
        row, = self._rows()
        self.assertEqual(service['id'], row['deleted'])
        self.assertIsNotNone(row['deleted_at'])
        self.assertEqual(service['uuid'], row['uuid'])

    def test_destroy_twice(self):
        service = self._create()
        db.service_destroy(self.context, service['id'])
        error = self.assertRaises(exception.ServiceNotFound,
                                  db.service_destroy, self.context,
                                  service['id'])
        self.assertEqual('Service %s could not be found.' % service['id'],
                         str(error))
        self.assertEqual(service['id'], self._rows()[0]['deleted'])

    def test_destroy_missing(self):
        self.assertRaises(exception.ServiceNotFound, db.service_destroy,
                          self.context, 42)

    def test_recreate_after_delete(self):
        # NOTE: deleted = id keeps the unique constraints satisfied by
        # any number of deleted rows of the same host and binary.
        first = self._create()
        db.service_destroy(self.context, first['id'])
        second = self._create()
        db.service_destroy(self.context, second['id'])
        third = self._create()
        self.assertEqual([first['id'], second['id'], 0],
                         [row['deleted'] for row in self._rows()])
        self.assertEqual(
            third['id'],
            db.service_get_by_host_and_binary(self.context, 'host1',
                                              'nova-compute')['id'])


class TestTransaction(DbTestCase):

    def test_writes_commit_together(self):
        with db.context_manager.writer.using(self.context):
            service = self._create()
            db.service_update(self.context, service['id'], {'disabled': True})
            self._create(host='host2')
            # NOTE: the writes are visible inside the transaction only.
            self.assertTrue(db.service_get(self.context,
                                           service['id'])['disabled'])
            self.assertEqual([], self._rows())
        self.assertEqual([True, False],
                         [bool(row['disabled']) for row in self._rows()])

    def test_exception_rolls_everything_back(self):
        existing = self._create(host='host0')

        class Boom(Exception):
            pass

        def writes():
            with db.context_manager.writer.using(self.context):
                self._create()
                db.service_update(self.context, existing['id'],
                                  {'disabled': True})
                db.service_destroy(self.context, existing['id'])
                raise Boom()

        self.assertRaises(Boom, writes)
        row, = self._rows()
        self.assertEqual(existing['id'], row['id'])
        self.assertFalse(row['disabled'])
        self.assertEqual(0, row['deleted'])

    def test_duplicate_rolls_back_the_earlier_writes(self):
        def writes():
            with db.context_manager.writer.using(self.context):
                self._create(host='host2')
                self._create()
                self._create()

        self.assertRaises(exception.ServiceBinaryExists, writes)
        self.assertEqual([], self._rows())

    def test_nested_transactions_join(self):
        def writes():
            with db.context_manager.writer.using(self.context):
                with db.context_manager.writer.using(self.context):
                    self._create()
                raise RuntimeError()

        self.assertRaises(RuntimeError, writes)
        self.assertEqual([], self._rows())


class TestConfigure(test.TestCase):

    USES_DB = False

    def test_every_database_option_is_welcome(self):
        manager = db.create_context_manager()
        self.useFixture(fixtures.MonkeyPatch(
            'nova.db.main.api.context_manager', manager))
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            db.configure(self.conf.conf)
        self.assertEqual([], [str(w.message) for w in caught
                              if 'not supported' in str(w.message)])

    def test_configure_uses_the_connection(self):
        manager = db.create_context_manager()
        self.useFixture(fixtures.MonkeyPatch(
            'nova.db.main.api.context_manager', manager))
        path = os.path.join(self.useFixture(fixtures.TempDir()).path,
                            'configured.sqlite')
        self.flags(connection='sqlite:///%s' % path, group='database')
        db.configure(self.conf.conf)
        engine = db.get_engine()
        self.addCleanup(engine.dispose)
        self.assertEqual(path, engine.url.database)
