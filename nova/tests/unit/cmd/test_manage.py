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

"""nova-manage: argument parsing, validation, commands and their errors.

Each test parses a command line with nova-manage's real parser, then runs
the command on the test's migrated SQLite database with the real
oslo.messaging notifier (in-memory driver).
"""

import argparse
import datetime
import io
import json
import os
from unittest import mock

import fixtures
from oslo_config import cfg
from oslo_messaging.notify import _impl_test
from oslo_utils import timeutils
from oslo_utils import uuidutils

from nova.cmd import manage
from nova.db.main import api as db_api
from nova.notifications import delivery
from nova import objects
from nova import test

UNKNOWN_UUID = '9b1a4b56-0e6f-4b2e-8c3c-1a2b3c4d5e6f'


class ManageTestCase(test.TestCase):

    def setUp(self):
        super().setUp()
        self.stdout = io.StringIO()
        self.stderr = io.StringIO()
        self.useFixture(fixtures.MonkeyPatch('sys.stdout', self.stdout))
        self.useFixture(fixtures.MonkeyPatch('sys.stderr', self.stderr))

    def manage(self, *argv):
        """Run ``nova-manage argv``; return its exit code.

        A usage error ends in SystemExit with argparse's code, as it does in
        the console script.
        """
        conf = cfg.ConfigOpts()
        manage.register_cli_opts(conf)
        self.stdout.seek(0)
        self.stdout.truncate()
        self.stderr.seek(0)
        self.stderr.truncate()
        try:
            conf(list(argv), project='nova', default_config_files=[],
                 default_config_dirs=[])
        except SystemExit as exit:
            return exit.code
        return manage.run_command(conf.category)

    def create_service(self, host='host1', binary='nova-compute', **values):
        service = objects.Service(self.context, host=host, binary=binary,
                                  topic=binary.rpartition('nova-')[2],
                                  report_count=0, **values)
        service.create()
        self.notifier.reset()
        return service

    def assertNothingHappened(self, service=None):
        self.assertEqual([], self.notifier.versioned_notifications)
        if service is not None:
            stored = objects.Service.get_by_uuid(self.context, service.uuid)
            self.assertEqual(
                (service.disabled, service.disabled_reason,
                 service.forced_down),
                (stored.disabled, stored.disabled_reason, stored.forced_down))

    def assertUsageError(self, expected_message, *argv):
        self.assertEqual(manage.USAGE_ERROR, self.manage(*argv))
        self.assertIn(expected_message, self.stderr.getvalue())
        self.assertEqual('', self.stdout.getvalue())

    def assertFailure(self, expected_message, *argv):
        self.assertEqual(manage.FAILURE, self.manage(*argv))
        stderr = self.stderr.getvalue()
        self.assertTrue(stderr.startswith('ERROR: '), stderr)
        self.assertIn(expected_message, stderr)
        self.assertEqual(1, len(stderr.splitlines()), stderr)
        self.assertEqual('', self.stdout.getvalue())

    def event_types(self):
        return [notification['event_type']
                for notification in self.notifier.versioned_notifications]

    def payload(self, index=0):
        return self.notifier.versioned_notifications[index]['payload'][
            'nova_object.data']


class TestArgumentTypes(test.TestCase):

    USES_DB = False

    def test_service_uuid_is_normalized(self):
        value = uuidutils.generate_uuid()
        self.assertEqual(value, manage.service_uuid(value.upper()))
        self.assertEqual(value,
                         manage.service_uuid(value.replace('-', '')))

    def test_service_uuid_rejects_what_is_not_a_uuid(self):
        for value in ('1', 'host1', UNKNOWN_UUID[:-1], UNKNOWN_UUID + '0'):
            self.assertRaises(argparse.ArgumentTypeError,
                              manage.service_uuid, value)

    def test_reason_bounds(self):
        self.assertEqual('r', manage.disabled_reason('r'))
        self.assertEqual('r' * 255, manage.disabled_reason('r' * 255))
        for value in ('', '   ', 'r' * 256):
            self.assertRaises(argparse.ArgumentTypeError,
                              manage.disabled_reason, value)

    def test_host_name(self):
        self.assertEqual('compute-1.example.org',
                         manage.host_name('compute-1.example.org'))
        self.assertEqual('192.0.2.10', manage.host_name('192.0.2.10'))
        for value in ('', 'two words', 'h' * 256):
            self.assertRaises(argparse.ArgumentTypeError,
                              manage.host_name, value)

    def test_known_binaries_are_the_binaries_of_notification_sources(self):
        self.assertIn('nova-compute', manage.KNOWN_BINARIES)
        self.assertIn('nova-osapi_compute', manage.KNOWN_BINARIES)
        # NOTE: nova-api is the publisher of nova-osapi_compute, no binary.
        self.assertNotIn('nova-api', manage.KNOWN_BINARIES)


class TestUsageErrors(ManageTestCase):
    """Bad command lines exit 2 and change nothing."""

    def test_no_category(self):
        self.assertUsageError('required: category')

    def test_no_action(self):
        self.assertUsageError('required: ACTION', 'service')

    def test_unknown_action(self):
        self.assertUsageError("invalid choice: 'restart'", 'service',
                              'restart', UNKNOWN_UUID)

    def test_bad_uuid(self):
        service = self.create_service()
        for action in ('show', 'disable', 'enable', 'force-down',
                       'unforce-down', 'delete'):
            self.assertUsageError("'host1' is not a service uuid", 'service',
                                  action, 'host1')
        self.assertNothingHappened(service)

    def test_reason_too_long(self):
        service = self.create_service()
        self.assertUsageError('the reason is 256 characters long; at most '
                              '255 are allowed', 'service', 'disable',
                              service.uuid, '--reason', 'r' * 256)
        self.assertNothingHappened(service)

    def test_empty_reason(self):
        service = self.create_service()
        self.assertUsageError('the reason must not be empty', 'service',
                              'disable', service.uuid, '--reason', ' ')
        self.assertNothingHappened(service)

    def test_reason_with_enable(self):
        service = self.create_service(disabled=True, disabled_reason='r')
        self.assertUsageError('unrecognized arguments: --reason x',
                              'service', 'enable', service.uuid,
                              '--reason', 'x')
        self.assertNothingHappened(service)

    def test_create_with_unknown_binary(self):
        self.assertUsageError("invalid choice: 'nova-api'", 'service',
                              'create', '--host', 'host1', '--binary',
                              'nova-api')
        self.assertEqual([], objects.ServiceList.get_all(self.context).objects)
        self.assertNothingHappened()

    def test_create_without_host(self):
        self.assertUsageError('required: --host', 'service', 'create',
                              '--binary', 'nova-compute')

    def test_create_with_bad_host(self):
        self.assertUsageError("'two words' is not a valid host name",
                              'service', 'create', '--host', 'two words',
                              '--binary', 'nova-compute')
        self.assertNothingHappened()

    def test_help_lists_every_action(self):
        self.assertEqual(0, self.manage('service', '--help'))
        for action in ('list', 'show', 'create', 'disable', 'enable',
                       'force-down', 'unforce-down', 'delete'):
            self.assertIn(action, self.stdout.getvalue())

    def test_unknown_format(self):
        self.assertUsageError("invalid choice: 'xml'", 'service', 'list',
                              '--format', 'xml')


class TestDbCommands(ManageTestCase):

    def use_empty_database(self):
        path = os.path.join(self.useFixture(fixtures.TempDir()).path,
                            'empty.sqlite')
        connection = 'sqlite:///%s' % path
        manager = db_api.create_context_manager(connection=connection)
        self.useFixture(fixtures.MonkeyPatch(
            'nova.db.main.api.context_manager', manager))
        self.addCleanup(lambda: manager.writer.get_engine().dispose())
        self.flags(connection=connection, group='database')
        return connection

    def test_version_of_a_migrated_database(self):
        self.assertEqual(manage.SUCCESS, self.manage('db', 'version'))
        self.assertRegex(self.stdout.getvalue(), r'^[0-9a-f]{12}\n$')

    def test_sync_then_version(self):
        connection = self.use_empty_database()
        self.assertFailure('The database at %s has no schema; run '
                           '"nova-manage db sync" first.' % connection,
                           'db', 'version')
        self.assertEqual(manage.SUCCESS, self.manage('db', 'sync'))
        revision = self.stdout.getvalue().split()[-1].rstrip('.')
        self.assertEqual(manage.SUCCESS, self.manage('db', 'version'))
        self.assertEqual(revision + '\n', self.stdout.getvalue())

    def test_service_commands_on_a_database_without_schema(self):
        self.use_empty_database()
        for argv in (('service', 'list'),
                     ('service', 'show', UNKNOWN_UUID),
                     ('service', 'create', '--host', 'host1', '--binary',
                      'nova-compute'),
                     ('service', 'disable', UNKNOWN_UUID)):
            self.assertFailure('has no schema; run "nova-manage db sync" '
                               'first.', *argv)
        self.assertNothingHappened()

    def test_unreachable_database(self):
        connection = 'sqlite:////nonexistent-dir/nova.sqlite'
        manager = db_api.create_context_manager(connection=connection)
        self.useFixture(fixtures.MonkeyPatch(
            'nova.db.main.api.context_manager', manager))
        self.flags(connection=connection, group='database')
        self.assertFailure('Cannot open the database at %s' % connection,
                           'service', 'list')


class TestServiceList(ManageTestCase):

    def test_empty_table(self):
        self.assertEqual(manage.SUCCESS, self.manage('service', 'list'))
        header = self.stdout.getvalue().splitlines()[1]
        self.assertEqual(list(manage.SERVICE_COLUMNS),
                         [cell.strip() for cell in header.split('|')[1:-1]])

    def test_table(self):
        service = self.create_service(disabled=True,
                                      disabled_reason='maintenance')
        self.assertEqual(manage.SUCCESS, self.manage('service', 'list'))
        row = self.stdout.getvalue().splitlines()[3]
        self.assertEqual(
            [service.uuid, 'host1', 'nova-compute', 'compute', 'disabled',
             'False', 'maintenance', '0', '-', '-'],
            [cell.strip() for cell in row.split('|')[1:-1]])

    def test_json_with_filters(self):
        compute = self.create_service()
        self.create_service(host='host2')
        self.create_service(binary='nova-scheduler')
        deleted = self.create_service(host='host3')
        deleted.destroy()
        self.assertEqual(manage.SUCCESS, self.manage(
            'service', 'list', '--host', 'host1', '--binary', 'nova-compute',
            '--format', 'json'))
        self.assertEqual([{
            'uuid': compute.uuid, 'host': 'host1', 'binary': 'nova-compute',
            'topic': 'compute', 'status': 'enabled', 'forced_down': False,
            'disabled_reason': None, 'report_count': 0,
            'last_seen_up': None, 'updated_at': None,
        }], json.loads(self.stdout.getvalue()))
        self.assertEqual(manage.SUCCESS, self.manage('service', 'list',
                                                     '--format', 'json'))
        self.assertEqual(3, len(json.loads(self.stdout.getvalue())))


class TestServiceShow(ManageTestCase):

    def test_table(self):
        service = self.create_service()
        self.assertEqual(manage.SUCCESS,
                         self.manage('service', 'show', service.uuid))
        rows = dict(
            tuple(cell.strip() for cell in line.split('|')[1:-1])
            for line in self.stdout.getvalue().splitlines()
            if line.startswith('|'))
        self.assertEqual(service.uuid, rows['uuid'])
        self.assertEqual('enabled', rows['status'])
        self.assertEqual('1', rows['version'])

    def test_json_and_uuid_in_any_case(self):
        service = self.create_service(forced_down=True)
        self.assertEqual(manage.SUCCESS, self.manage(
            'service', 'show', service.uuid.upper(), '--format', 'json'))
        shown = json.loads(self.stdout.getvalue())
        self.assertEqual(service.uuid, shown['uuid'])
        self.assertTrue(shown['forced_down'])
        self.assertRegex(shown['created_at'],
                         r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$')

    def test_unknown(self):
        self.assertFailure('Service %s could not be found.' % UNKNOWN_UUID,
                           'service', 'show', UNKNOWN_UUID)


class TestServiceCreate(ManageTestCase):

    def test_create(self):
        self.assertEqual(manage.SUCCESS, self.manage(
            'service', 'create', '--host', 'host1', '--binary',
            'nova-compute'))
        service, = objects.ServiceList.get_all(self.context)
        self.assertEqual(('host1', 'nova-compute', 'compute', False),
                         (service.host, service.binary, service.topic,
                          service.disabled))
        self.assertEqual('Created service %s (nova-compute on host1).\n'
                         % service.uuid, self.stdout.getvalue())
        self.assertEqual(['service.create'], self.event_types())
        self.assertEqual(service.uuid, self.payload()['uuid'])

    def test_create_api_service_with_topic(self):
        self.assertEqual(manage.SUCCESS, self.manage(
            'service', 'create', '--host', 'api1', '--binary',
            'nova-osapi_compute', '--topic', 'api'))
        service, = objects.ServiceList.get_all(self.context)
        self.assertEqual('api', service.topic)
        notification, = self.notifier.versioned_notifications
        self.assertEqual('nova-api:api1', notification['publisher_id'])

    def test_duplicate(self):
        self.create_service()
        self.assertFailure('Service with host host1 binary nova-compute '
                           'exists.', 'service', 'create', '--host', 'host1',
                           '--binary', 'nova-compute')
        self.assertEqual(1, len(objects.ServiceList.get_all(self.context)))
        self.assertNothingHappened()


class TestServiceChanges(ManageTestCase):
    """Each change is one save: one service.update with the new state."""

    def assertUpdated(self, service, disabled, disabled_reason, forced_down):
        stored = objects.Service.get_by_uuid(self.context, service.uuid)
        state = (disabled, disabled_reason, forced_down)
        self.assertEqual(state, (stored.disabled, stored.disabled_reason,
                                 stored.forced_down))
        self.assertEqual(['service.update'], self.event_types())
        payload = self.payload()
        self.assertEqual(state, (payload['disabled'],
                                 payload['disabled_reason'],
                                 payload['forced_down']))

    def test_disable_with_reason(self):
        service = self.create_service()
        self.assertEqual(manage.SUCCESS, self.manage(
            'service', 'disable', service.uuid, '--reason', 'maintenance'))
        self.assertUpdated(service, True, 'maintenance', False)
        self.assertEqual('Disabled service %s (nova-compute on host1): '
                         'maintenance.\n' % service.uuid,
                         self.stdout.getvalue())

    def test_disable_without_reason_clears_the_old_one(self):
        service = self.create_service(disabled=True, disabled_reason='old')
        self.assertEqual(manage.SUCCESS,
                         self.manage('service', 'disable', service.uuid))
        self.assertUpdated(service, True, None, False)

    def test_enable_clears_the_reason(self):
        service = self.create_service(disabled=True, disabled_reason='old')
        self.assertEqual(manage.SUCCESS,
                         self.manage('service', 'enable', service.uuid))
        self.assertUpdated(service, False, None, False)

    def test_force_down(self):
        service = self.create_service()
        self.assertEqual(manage.SUCCESS,
                         self.manage('service', 'force-down', service.uuid))
        self.assertUpdated(service, False, None, True)

    def test_unforce_down(self):
        service = self.create_service(forced_down=True)
        self.assertEqual(manage.SUCCESS, self.manage(
            'service', 'unforce-down', service.uuid))
        self.assertUpdated(service, False, None, False)

    def test_delete(self):
        service = self.create_service()
        self.assertEqual(manage.SUCCESS,
                         self.manage('service', 'delete', service.uuid))
        self.assertEqual(['service.delete'], self.event_types())
        self.assertEqual(service.uuid, self.payload()['uuid'])
        self.assertEqual([], objects.ServiceList.get_all(self.context).objects)
        self.notifier.reset()
        self.assertFailure('could not be found', 'service', 'delete',
                           service.uuid)
        self.assertNothingHappened()

    def test_unknown_service(self):
        self.create_service()
        for action in ('disable', 'enable', 'force-down', 'unforce-down',
                       'delete'):
            self.assertFailure('Service %s could not be found.'
                               % UNKNOWN_UUID, 'service', action,
                               UNKNOWN_UUID)
        self.assertNothingHappened()

    def test_unexpected_error_is_one_line(self):
        service = self.create_service()
        self.useFixture(fixtures.MockPatch(
            'nova.objects.Service.save',
            side_effect=RuntimeError('disk on fire')))
        self.assertFailure('Unexpected error (RuntimeError): disk on fire',
                           'service', 'disable', service.uuid)


class TestNotificationCommands(ManageTestCase):

    def _status(self):
        self.assertEqual(manage.SUCCESS, self.manage(
            'notifications', 'status', '--format', 'json'))
        return json.loads(self.stdout.getvalue())

    def test_status_of_an_empty_outbox(self):
        status = self._status()
        self.assertEqual(
            {'pending': 0, 'oldest_pending_at': None,
             'oldest_pending_age': None, 'delivered': 0, 'failing': None,
             'relays': []}, status)

    def test_status_shows_pending_failing_and_relays(self):
        service = self.create_service()
        self.useFixture(fixtures.MockPatchObject(
            _impl_test.TestDriver, 'notify',
            side_effect=ConnectionError('bus down')))
        service.disabled = True
        service.save()
        self.notifier.relay.flush(5)
        now = timeutils.utcnow()
        shard = delivery.shard_of(service.uuid)
        db_api.notification_outbox_claim(
            self.context, shard, 'host9:nova-api:42:abcd', 'token',
            now + datetime.timedelta(seconds=30), now, 1)

        status = self._status()
        self.assertEqual(1, status['pending'])
        self.assertEqual(1, status['delivered'])
        self.assertRegex(status['oldest_pending_age'], r'^\d+ s$')
        self.assertEqual('service.update', status['failing']['event_type'])
        self.assertEqual(service.uuid, status['failing']['service_uuid'])
        self.assertEqual(1, status['failing']['attempts'])
        self.assertEqual('ConnectionError: bus down',
                         status['failing']['last_error'])
        self.assertEqual([{'owner': 'host9:nova-api:42:abcd',
                           'shards': [shard],
                           'lease_expires_at': mock.ANY}],
                         status['relays'])

    def test_status_table(self):
        self.assertEqual(manage.SUCCESS,
                         self.manage('notifications', 'status'))
        output = self.stdout.getvalue()
        self.assertIn('| pending ', output)
        self.assertIn('| relay ', output)

    def test_purge_keeps_pending_and_recent(self):
        self.create_service()
        self.useFixture(fixtures.MockPatchObject(
            _impl_test.TestDriver, 'notify',
            side_effect=ConnectionError('bus down')))
        objects.Service(self.context, host='host2', binary='nova-compute',
                        topic='compute', report_count=0).create()
        self.notifier.relay.flush(5)

        self.assertEqual(manage.SUCCESS,
                         self.manage('notifications', 'purge'))
        self.assertIn('Purged 0 notifications', self.stdout.getvalue())
        self.assertEqual(manage.SUCCESS, self.manage(
            'notifications', 'purge', '--before', '2999-01-01'))
        self.assertIn('Purged 1 notifications delivered before '
                      '2999-01-01T00:00:00Z.', self.stdout.getvalue())
        status = db_api.notification_outbox_status(self.context)
        self.assertEqual((1, 0), (status['pending'], status['delivered']))

    def test_purge_with_a_bad_date(self):
        self.assertUsageError('is not an ISO 8601 date', 'notifications',
                              'purge', '--before', 'yesterday')


class TestPublishingBeforeExit(ManageTestCase):
    """nova-manage publishes what it recorded before it exits."""

    def setUp(self):
        super().setUp()
        delivery.start(self.conf.conf, 'nova-manage', delivery.COMMAND)
        self.addCleanup(delivery.stop, 0)

    def test_publishes_its_notification(self):
        self.assertEqual(manage.SUCCESS, self.manage(
            'service', 'create', '--host', 'h1', '--binary', 'nova-compute'))
        delivery.stop()
        self.assertEqual(['service.create'], [
            message['event_type'] for _c, message, _p, _r
            in _impl_test.NOTIFICATIONS])

    def test_leaves_what_it_cannot_publish_to_relays(self):
        self.flags(relay_flush_timeout=0.5, group='notifications')
        self.useFixture(fixtures.MockPatchObject(
            _impl_test.TestDriver, 'notify',
            side_effect=ConnectionError('bus down')))
        self.assertEqual(manage.SUCCESS, self.manage(
            'service', 'create', '--host', 'h1', '--binary', 'nova-compute'))
        delivery.stop()
        self.assertIn('The notifications of this command wait in the outbox',
                      self.stdlog.output)
        self.assertEqual(1, db_api.notification_outbox_status(
            self.context)['pending'])
