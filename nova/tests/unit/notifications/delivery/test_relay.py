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
import os
import subprocess
import threading
import time

import fixtures
from oslo_messaging.notify import _impl_test
from oslo_utils import timeutils
import sqlalchemy as sa

from nova.db.main import api as db_api
from nova.notifications import delivery
from nova.notifications.delivery import envelope
from nova.notifications.delivery import leases
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

    def _take_lease(self, shard, owner, seconds, token='their-token'):
        now = timeutils.utcnow()
        return db_api.notification_outbox_claim(
            self.context, shard, owner, token,
            now + datetime.timedelta(seconds=seconds), now, 1)

    def test_a_held_shard_is_left_to_its_holder(self):
        self._record('uuid-a', 'a')
        self._record('uuid-b', 'b')
        self.assertTrue(self._take_lease(self._shard('uuid-a'), 'other', 60))
        self.assertTrue(self._relay().flush(_WAIT))
        self.assertEqual(['b'], self._reasons(published()))
        self.assertEqual(1, db_api.notification_outbox_status(
            self.context)['pending'])

    def test_the_lease_of_a_dead_relay_is_taken_over_once_expired(self):
        self._record('uuid-a', 'a')
        self.assertTrue(self._take_lease(self._shard('uuid-a'), 'dead', -1))
        self.assertTrue(self._relay().flush(_WAIT))
        self.assertEqual(['a'], self._reasons(published()))

    def test_a_lease_of_another_machine_is_taken_over_when_it_expires(self):
        self._record('uuid-a', 'a')
        self.assertTrue(self._take_lease(self._shard('uuid-a'),
                                         'host9:nova-api:1:0badb007.1', 1))
        relay = self._relay()
        relay.start()
        self.addCleanup(relay.stop, 1)
        started = time.monotonic()
        self._wait_for(lambda: published(), 'the take-over')
        self.assertGreater(time.monotonic() - started, 0.5)
        self.assertEqual(['a'], self._reasons(published()))

    def test_the_lease_of_a_dead_process_of_this_machine_at_once(self):
        # NOTE: a process that existed, and is gone: a child reaped.
        child = subprocess.Popen(['true'])
        child.wait()
        dead = 'host1:nova-api:%d:%s' % (
            child.pid, leases.process_key(os.getpid()))
        self._record('uuid-a', 'a')
        self.assertTrue(self._take_lease(self._shard('uuid-a'), dead, 60))
        relay = self._relay()
        relay.start()
        self.addCleanup(relay.stop, 1)
        self._wait_for(lambda: published(), 'the take-over')
        self.assertEqual(['a'], self._reasons(published()))

    def test_leases_are_given_back_after_publishing(self):
        self._record('uuid-a', 'a')
        self._relay().flush(_WAIT)
        self.assertEqual([], db_api.notification_outbox_status(
            self.context)['leases'])

    def test_a_relay_that_lost_its_lease_stops_and_says_why(self):
        self.flags(relay_batch_size=2, group='notifications')
        for index in range(5):
            self._record('uuid-a', str(index))
        relay = self._relay()
        shard = self._shard('uuid-a')
        real_publish = relay._publisher.publish

        def publish_then_lose_the_lease(rows, may_go_on):
            published = real_publish(rows, may_go_on)
            # NOTE: another relay took the lease meanwhile.
            with db_api.get_engine().begin() as connection:
                connection.execute(sa.text(
                    "UPDATE notification_relay_leases SET owner = 'other', "
                    "token = 'other' WHERE shard = :shard"), {'shard': shard})
            return published

        relay._publisher.publish = publish_then_lose_the_lease
        self.assertFalse(relay.flush(_WAIT))
        # NOTE: the first batch only: marked, since it was published.
        self.assertEqual(['0', '1'], self._reasons(published()))
        self.assertEqual(['delivered'] * 2 + ['pending'] * 3, self._states())
        self.assertIn('no longer holds shard %d: another relay took its '
                      'lease, which was to expire in' % shard,
                      self.stdlog.output)
        leases_now = db_api.notification_outbox_status(self.context)['leases']
        self.assertEqual([('other', shard)],
                         [(owner, s) for owner, s, _at in leases_now])

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


class TestRunning(RelayTestCase):

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
