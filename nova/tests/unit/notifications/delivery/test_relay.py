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

"""Relays: leases, order, failures, backoff, stop and purge.

On a real SQLite database with oslo.messaging's in-memory ``test`` driver;
a failing bus is that driver made to raise.
"""

import datetime
import threading
import time

import fixtures
from oslo_messaging.notify import _impl_test
from oslo_utils import timeutils
import sqlalchemy as sa

from nova.db.main import api as db_api
from nova import exception
from nova.notifications import delivery
from nova.notifications.delivery import envelope
from nova.notifications.delivery import relay as relay_mod
from nova import test
from nova.tests.unit.notifications.delivery import test_delivery

_WAIT = 10.0


def published():
    return [message for _ctxt, message, _priority, _retry
            in _impl_test.NOTIFICATIONS]


class FailingDriver(fixtures.Fixture):
    """Make the ``test`` driver raise while ``failing`` is set."""

    def __init__(self, error=ConnectionError('bus down')):
        super().__init__()
        self.error = error
        self.failing = True
        self.attempts = 0

    def _setUp(self):
        real_notify = _impl_test.TestDriver.notify

        def notify(driver, ctxt, message, priority, retry):
            self.attempts += 1
            if self.failing:
                raise self.error
            return real_notify(driver, ctxt, message, priority, retry)
        self.useFixture(fixtures.MonkeyPatch(
            'oslo_messaging.notify._impl_test.TestDriver.notify', notify))


class RelayTestCase(test.TestCase):

    def setUp(self):
        super().setUp()
        self.flags(relay_poll_interval=0.05, relay_retry_max_interval=0.2,
                   group='notifications')

    def _relay(self, name='relay'):
        return relay_mod.Relay(self.conf.conf, name)

    def _record(self, service_uuid, reason):
        message = envelope.new('nova-compute:host1', 'service.update',
                               'INFO', {'reason': reason})
        delivery.record(self.context, message, service_uuid=service_uuid)
        return message

    @staticmethod
    def _reasons(messages, service_uuid=None):
        return [m['payload']['reason'] for m in messages]

    def _states(self):
        return [row['state'] for row in test_delivery.outbox_rows()]

    def _wait_for(self, predicate, what):
        deadline = time.monotonic() + _WAIT
        while not predicate():
            if time.monotonic() > deadline:
                self.fail('%s did not happen within %.0fs' % (what, _WAIT))
            time.sleep(0.01)


class TestFlush(RelayTestCase):

    def test_publishes_in_commit_order_and_marks_delivered(self):
        sent = [self._record('uuid-a', 'a%d' % i) for i in range(3)]
        sent += [self._record('uuid-b', 'b%d' % i) for i in range(3)]
        self.assertTrue(self._relay().flush(_WAIT))
        by_service = {}
        for message in published():
            by_service.setdefault(message['payload']['reason'][0],
                                  []).append(message)
        self.assertEqual(['a0', 'a1', 'a2'], self._reasons(by_service['a']))
        self.assertEqual(['b0', 'b1', 'b2'], self._reasons(by_service['b']))
        # NOTE: the recorded envelope travels unchanged.
        self.assertEqual(sorted(sent, key=lambda m: m['message_id']),
                         sorted(published(), key=lambda m: m['message_id']))
        self.assertEqual(['delivered'] * 6, self._states())

    def test_batches(self):
        self.flags(relay_batch_size=2, group='notifications')
        for i in range(5):
            self._record('uuid-a', str(i))
        self.assertTrue(self._relay().flush(_WAIT))
        self.assertEqual(['0', '1', '2', '3', '4'],
                         self._reasons(published()))

    def test_nothing_to_do(self):
        self.assertTrue(self._relay().flush(_WAIT))
        self.assertEqual([], published())

    def test_nothing_is_published_twice(self):
        self._record('uuid-a', 'once')
        relay = self._relay()
        self.assertTrue(relay.flush(_WAIT))
        self.assertTrue(relay.flush(_WAIT))
        self.assertTrue(self._relay('other').flush(_WAIT))
        self.assertEqual(['once'], self._reasons(published()))


class TestLeases(RelayTestCase):

    def _shard(self, service_uuid):
        return delivery.shard_of(service_uuid)

    def _take_lease(self, shard, owner, seconds):
        now = timeutils.utcnow()
        return db_api.notification_lease_acquire(
            self.context, shard, owner,
            now + datetime.timedelta(seconds=seconds), now)

    def test_a_held_shard_is_left_to_its_holder(self):
        self._record('uuid-a', 'a')
        self._record('uuid-b', 'b')
        self.assertTrue(self._take_lease(self._shard('uuid-a'), 'other', 60))
        self.assertTrue(self._relay().flush(_WAIT))
        self.assertEqual(['b'], self._reasons(published()))
        self.assertEqual(1, db_api.notification_outbox_status(
            self.context)['pending'])

    def test_the_lease_of_a_dead_relay_is_taken_over(self):
        self._record('uuid-a', 'a')
        self.assertTrue(self._take_lease(self._shard('uuid-a'), 'dead', -1))
        self.assertTrue(self._relay().flush(_WAIT))
        self.assertEqual(['a'], self._reasons(published()))

    def test_only_one_holder_at_a_time(self):
        shard = self._shard('uuid-a')
        self.assertTrue(self._take_lease(shard, 'first', 60))
        self.assertFalse(self._take_lease(shard, 'second', 60))
        self.assertTrue(self._take_lease(shard, 'first', 60))
        db_api.notification_lease_release(self.context, [shard], 'second')
        self.assertFalse(self._take_lease(shard, 'second', 60))
        db_api.notification_lease_release(self.context, [shard], 'first')
        self.assertTrue(self._take_lease(shard, 'second', 60))

    def test_leases_are_released_after_publishing(self):
        self._record('uuid-a', 'a')
        self._relay().flush(_WAIT)
        self.assertEqual([], db_api.notification_outbox_status(
            self.context)['leases'])

    def test_a_running_relay_keeps_its_lease_until_idle(self):
        self.flags(relay_poll_interval=0.2, group='notifications')
        relay = self._relay()
        relay.start()
        self.addCleanup(relay.stop, 1)
        self._record('uuid-a', 'a')
        self._wait_for(lambda: published(), 'publication')
        leases = db_api.notification_outbox_status(self.context)['leases']
        self.assertEqual([(relay.owner, self._shard('uuid-a'))],
                         [(owner, shard) for owner, shard, _at in leases])
        self._wait_for(lambda: not db_api.notification_outbox_status(
            self.context)['leases'], 'the release of the idle lease')

    def test_concurrent_relays_publish_each_row_once_in_order(self):
        services = ['uuid-%d' % index for index in range(8)]
        for step in range(25):
            for service in services:
                self._record(service, '%s %02d' % (service, step))
        relays = [self._relay('r%d' % index) for index in range(3)]
        threads = [threading.Thread(target=relay.flush, args=(_WAIT,))
                   for relay in relays]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(_WAIT)
        self.assertTrue(self._relay('last').flush(_WAIT))
        reasons = self._reasons(published())
        self.assertEqual(len(services) * 25, len(reasons))
        self.assertEqual(len(reasons), len(set(reasons)))
        for service in services:
            mine = [r for r in reasons if r.startswith(service + ' ')]
            self.assertEqual(sorted(mine), mine)


class TestFailures(RelayTestCase):

    def test_failed_row_stays_pending_with_its_error(self):
        self.flags(transport_url='fake://nova:Pa55w0rd@broker/')
        self.useFixture(FailingDriver(
            ConnectionError('cannot reach fake://nova:Pa55w0rd@broker/')))
        self._record('uuid-a', 'first')
        self._record('uuid-a', 'second')
        self.assertFalse(self._relay().flush(_WAIT))
        first, second = test_delivery.outbox_rows()
        self.assertEqual(('pending', 1), (first['state'], first['attempts']))
        self.assertEqual(
            'ConnectionError: cannot reach fake://nova:***@broker/',
            first['last_error'])
        # NOTE: the rows after a failed one wait for it: order first.
        self.assertEqual(('pending', 0),
                         (second['state'], second['attempts']))
        self.assertNotIn('Pa55w0rd', self.stdlog.output)
        status = db_api.notification_outbox_status(self.context)
        self.assertEqual(2, status['pending'])
        self.assertEqual(first['message_id'], status['failing'].message_id)

    def test_unpublishable_row_is_retried_never_dropped(self):
        self._record('uuid-a', 'fine')
        # NOTE: a row whose payload is not JSON any more.
        with db_api.get_engine().begin() as connection:
            connection.execute(sa.text(
                "UPDATE notification_outbox SET payload = '{broken'"))
        self._record('uuid-b', 'other service')
        relay = self._relay()
        self.assertFalse(relay.flush(_WAIT))
        self.assertFalse(relay.flush(_WAIT))
        self.assertEqual(['other service'], self._reasons(published()))
        broken, other = test_delivery.outbox_rows()
        self.assertEqual(('pending', 2), (broken['state'],
                                          broken['attempts']))
        self.assertIn('JSONDecodeError', broken['last_error'])
        self.assertEqual('delivered', other['state'])

    def test_outage_logged_once_at_error_and_its_end(self):
        failing = self.useFixture(FailingDriver())
        relay = self._relay()
        relay.start()
        self.addCleanup(relay.stop, 1)
        for index in range(3):
            self._record('uuid-a', str(index))
        self._wait_for(lambda: failing.attempts >= 4, 'four attempts')
        errors = [line for line in self.stdlog.output.splitlines()
                  if line.startswith('ERROR')]
        self.assertEqual(1, len(errors), errors)
        self.assertIn('Cannot publish notification service.update for '
                      'service uuid-a', errors[0])

        failing.failing = False
        self._wait_for(lambda: len(published()) == 3, 'delivery')
        self.assertEqual(['0', '1', '2'], self._reasons(published()))
        self._wait_for(lambda: 'Notifications are published again after'
                       in self.stdlog.output, 'the end of the outage logged')

    def test_backoff_doubles_up_to_the_cap(self):
        self.flags(relay_retry_max_interval=3.0, group='notifications')
        relay = self._relay()
        self._record('uuid-a', 'x')
        row, = db_api.notification_outbox_get_pending(
            self.context, delivery.shard_of('uuid-a'), 1)
        delays = []
        for attempt in range(5):
            relay._failed(7, row, 'down', flushing=False)
            delays.append(relay._backoff[7])
        self.assertEqual([0.5, 1.0, 2.0, 3.0, 3.0], delays)
        relay._succeeded(7)
        self.assertNotIn(7, relay._backoff)


class TestRunning(RelayTestCase):

    def test_shards_are_served_first_come_first_served(self):
        # NOTE: a shard woken again and again must not starve the others.
        relay = self._relay()
        relay.wake([40])
        relay.wake([3])
        relay.wake([40, 3])
        self.assertEqual(40, relay._next_shard())
        self.assertEqual(3, relay._next_shard())

    def test_publishes_its_own_commits_at_once(self):
        # NOTE: a poll interval far beyond the wait: only the commit's
        # announcement can wake it.
        self.flags(relay_poll_interval=3600, group='notifications')
        delivery.start(self.conf.conf, 'relay', delivery.RELAY)
        self.addCleanup(delivery.stop, 1)
        self._record('uuid-a', 'mine')
        self._wait_for(lambda: published(), 'publication')
        self.assertEqual(['mine'], self._reasons(published()))

    def test_polls_for_rows_of_other_processes(self):
        # NOTE: a relay of its own, which this process's commits do not
        # wake: it finds the row as a relay of another process would.
        relay = self._relay()
        relay.start()
        self.addCleanup(relay.stop, 1)
        self._record('uuid-a', 'theirs')
        self._wait_for(lambda: published(), 'publication')
        self.assertEqual(['theirs'], self._reasons(published()))

    def test_stop_publishes_what_is_left(self):
        relay = delivery.start(self.conf.conf, 'relay', delivery.COMMAND)
        self._record('uuid-a', 'left')
        self.assertTrue(relay.stop(_WAIT))
        self.assertEqual(['left'], self._reasons(published()))

    def test_stop_is_bounded_when_the_bus_fails(self):
        self.useFixture(FailingDriver())
        relay = delivery.start(self.conf.conf, 'relay', delivery.COMMAND)
        self._record('uuid-a', 'stuck')
        started = time.monotonic()
        self.assertFalse(relay.stop(0.5))
        self.assertLess(time.monotonic() - started, _WAIT)
        self.assertEqual(['pending'], self._states())


class TestPurge(RelayTestCase):

    def test_purges_old_delivered_rows_only(self):
        self._record('uuid-a', 'old')
        self._relay().flush(_WAIT)
        self.useFixture(FailingDriver())
        self._record('uuid-b', 'pending')
        self._relay().flush(_WAIT)
        relay = self._relay()
        later = timeutils.utcnow() + datetime.timedelta(hours=1)
        self.assertEqual(1, relay.purge(before=later))
        self.assertEqual(['pending'], self._states())
        self.assertEqual(0, relay.purge(before=later))

    def test_retention_keeps_recent_rows(self):
        self._record('uuid-a', 'recent')
        relay = self._relay()
        relay.flush(_WAIT)
        self.assertEqual(0, relay.purge())
        self.assertEqual(['delivered'], self._states())


class TestConfiguration(RelayTestCase):

    def test_unknown_driver_is_refused_with_the_known_ones(self):
        self.flags(driver=['test', 'nosuchdriver'],
                   group='oslo_messaging_notifications')
        error = self.assertRaises(exception.NotificationDriverNotFound,
                                  self._relay)
        message = error.format_message()
        self.assertIn('nosuchdriver', message)
        self.assertIn('messagingv2', message)
        self.assertIn('log', message)

    def test_transport_drivers_report_failures(self):
        self.flags(driver=['messagingv2', 'log', 'noop'],
                   group='oslo_messaging_notifications')
        relay = self._relay()
        self.assertEqual(['ReportingMessagingV2Driver', 'LogDriver'],
                         [type(d).__name__ for d in relay._drivers])

    def test_the_drivers_reconnect_a_bounded_number_of_times(self):
        # NOTE: oslo.messaging's -1 would retry for ever: a relay retries
        # on its own, with its backoff.
        self.assertEqual(-1, self.conf.conf.oslo_messaging_notifications.retry)
        self.assertEqual(1, relay_mod.relay_retry(self.conf.conf))
        self.flags(retry=0, group='oslo_messaging_notifications')
        self.assertEqual(0, relay_mod.relay_retry(self.conf.conf))
        self.flags(retry=5, group='oslo_messaging_notifications')
        self.assertEqual(5, relay_mod.relay_retry(self.conf.conf))

    def test_invalid_transport_url_names_no_password(self):
        self.flags(transport_url='rabbit://nova:Pa55w0rd@host:notaport/')
        error = self.assertRaises(exception.InvalidNotificationTransport,
                                  self._relay)
        self.assertNotIn('Pa55w0rd', error.format_message())
