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

"""The delivery's policy: on or off, recorded in the caller's transaction,
the relays a program runs."""

from oslo_serialization import jsonutils
import sqlalchemy as sa

from nova import context as nova_context
from nova.db.main import api as db_api
from nova import exception
from nova.notifications import delivery
from nova.notifications.delivery import envelope
from nova import test


def outbox_rows():
    with db_api.get_engine().connect() as connection:
        return [dict(row._mapping) for row in connection.execute(
            sa.text('SELECT * FROM notification_outbox ORDER BY id'))]


def _message(**values):
    message = envelope.new('nova-compute:host1', 'service.update', 'INFO',
                           {'nova_object.data': {'x': 1}})
    message.update(values)
    return message


class TestEnabled(test.TestCase):

    USES_DB = False

    def setUp(self):
        super().setUp()
        self.calls = []

        @delivery.if_enabled
        def send(*args, **kwargs):
            """Send something."""
            self.calls.append((args, kwargs))
            return 'sent'

        self.send = send

    def test_versioned_with_a_driver_is_on(self):
        self.assertTrue(delivery.enabled())
        self.assertEqual('sent', self.send(1, key='value'))
        self.assertEqual([((1,), {'key': 'value'})], self.calls)

    def test_keeps_the_name_and_doc(self):
        self.assertEqual('send', self.send.__name__)
        self.assertEqual('Send something.', self.send.__doc__)

    def _assert_skipped(self):
        self.assertFalse(delivery.enabled())
        self.assertIsNone(self.send(1))
        self.assertEqual([], self.calls)

    def test_unversioned(self):
        self.flags(notification_format='unversioned', group='notifications')
        delivery.init(self.conf.conf)
        self._assert_skipped()

    def test_noop_driver(self):
        self.flags(driver=['noop'], group='oslo_messaging_notifications')
        delivery.init(self.conf.conf)
        self._assert_skipped()

    def test_decided_at_init(self):
        self.flags(notification_format='unversioned', group='notifications')
        self.assertEqual('sent', self.send())
        del self.calls[:]
        delivery.init(self.conf.conf)
        self._assert_skipped()
        self.flags(notification_format='both', group='notifications')
        delivery.init(self.conf.conf)
        self.assertEqual('sent', self.send())


class TestShards(test.TestCase):

    USES_DB = False

    def test_shard_is_stable_and_in_range(self):
        # NOTE: crc32, the same in every process and Python version.
        self.assertEqual(40, delivery.shard_of(
            '4f0d8406-b6fb-4b36-9eac-1a5902a87391'))
        shards = {delivery.shard_of('service-%d' % index)
                  for index in range(2000)}
        self.assertEqual(set(range(delivery.SHARDS)), shards)


class TestRecord(test.TestCase):

    def test_row_holds_the_whole_envelope(self):
        message = _message()
        delivery.record(self.context, message, service_uuid='uuid-1')
        row, = outbox_rows()
        self.assertEqual(envelope.to_row(message),
                         {key: row[key] for key in envelope.KEYS})
        self.assertEqual('uuid-1', row['service_uuid'])
        self.assertEqual(delivery.shard_of('uuid-1'), row['shard'])
        self.assertEqual('pending', row['state'])
        self.assertEqual(0, row['attempts'])

    def test_without_a_service_the_publisher_orders(self):
        delivery.record(self.context, _message())
        row, = outbox_rows()
        self.assertIsNone(row['service_uuid'])
        self.assertEqual(delivery.shard_of('nova-compute:host1'),
                         row['shard'])

    def test_context_is_redacted(self):
        ctxt = nova_context.RequestContext(user_id='u', project_id='p',
                                           auth_token='S3cretToken')
        delivery.record(ctxt, _message())
        row, = outbox_rows()
        self.assertNotIn('S3cretToken', row['context'])
        self.assertEqual('u', jsonutils.loads(row['context'])['user'])


class TestWakeOnCommit(test.TestCase):
    """The process's relay learns of its commits' shards as they commit."""

    def setUp(self):
        super().setUp()
        self.relay = delivery.start(self.conf.conf, 'nova-tests',
                                    delivery.COMMAND)
        self.woken = []
        wake = self.relay.wake
        self.relay.wake = lambda shards: (self.woken.append(set(shards)),
                                          wake(shards))

    def test_the_commit_wakes_the_relay_with_its_shards(self):
        with db_api.context_manager.writer.using(self.context):
            delivery.record(self.context, _message(), service_uuid='a')
            delivery.record(self.context, _message(), service_uuid='b')
            self.assertEqual([], self.woken)
        self.assertEqual({delivery.shard_of('a'), delivery.shard_of('b')},
                         set().union(*self.woken))

    def test_rollback_leaves_no_row_and_wakes_nothing(self):
        class Abort(Exception):
            pass

        def record_then_fail():
            with db_api.context_manager.writer.using(self.context):
                delivery.record(self.context, _message())
                raise Abort()

        self.assertRaises(Abort, record_then_fail)
        self.assertEqual([], outbox_rows())
        self.assertEqual([], self.woken)
        self.assertEqual([], self.notifier.versioned_notifications)

    def test_stop_publishes_what_the_command_committed(self):
        delivery.record(self.context, _message(), service_uuid='a')
        self.assertTrue(delivery.stop())
        self.assertEqual(['delivered'],
                         [row['state'] for row in outbox_rows()])


class TestStart(test.TestCase):

    USES_DB = False

    def tearDown(self):
        delivery.stop(0)
        super().tearDown()

    def test_a_service_runs_a_relay(self):
        relay = delivery.start(self.conf.conf, 'nova-api')
        self.assertEqual(5, len(relay._threads))

    def test_no_relay_in_services_when_turned_off(self):
        self.flags(relay_in_services=False, group='notifications')
        self.assertIsNone(delivery.start(self.conf.conf, 'nova-api'))
        self.assertIsNotNone(delivery.start(self.conf.conf, 'nova-manage',
                                            delivery.COMMAND))
        self.assertIsNotNone(delivery.start(self.conf.conf, 'relay',
                                            delivery.RELAY))

    def test_unknown_driver_refused_even_without_a_relay(self):
        self.flags(relay_in_services=False, group='notifications')
        self.flags(driver=['nosuchdriver'],
                   group='oslo_messaging_notifications')
        delivery.init(self.conf.conf)
        self.assertRaises(exception.NotificationDriverNotFound,
                          delivery.start, self.conf.conf, 'nova-api')

    def test_nothing_runs_when_notifications_are_off(self):
        self.flags(driver=['noop'], group='oslo_messaging_notifications')
        delivery.init(self.conf.conf)
        self.assertIsNone(delivery.start(self.conf.conf, 'nova-api'))
        self.assertIsNone(delivery.start(self.conf.conf, 'nova-manage',
                                         delivery.COMMAND))

    def test_a_relay_refuses_to_run_when_they_are_off(self):
        self.flags(driver=['noop'], group='oslo_messaging_notifications')
        delivery.init(self.conf.conf)
        error = self.assertRaises(exception.NotificationsDisabled,
                                  delivery.start, self.conf.conf, 'relay',
                                  delivery.RELAY)
        self.assertIn('there is nothing to relay', error.format_message())
