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

"""Leases of the outbox's shards, fenced by a token per lease."""

import datetime
import os
import subprocess
import time

from oslo_utils import timeutils
import testscenarios

from nova.db.main import api as db_api
from nova.notifications import delivery
from nova.notifications.delivery import envelope
from nova.notifications.delivery import leases
from nova import test

load_tests = testscenarios.load_tests_apply_scenarios

SHARD = delivery.shard_of('uuid-a')


class LeaseTestCase(test.TestCase):

    def _record(self, reason='x'):
        delivery.record(self.context, envelope.new(
            'nova-compute:host1', 'service.update', 'INFO',
            {'reason': reason}), service_uuid='uuid-a')

    def _claim(self, owner, token, seconds=60, dead=()):
        now = timeutils.utcnow()
        return db_api.notification_outbox_claim(
            self.context, SHARD, owner, token,
            now + datetime.timedelta(seconds=seconds), now, 10,
            dead_owners=dead)

    def _checkpoint(self, token, rows=(), limit=10):
        now = timeutils.utcnow()
        return db_api.notification_outbox_checkpoint(
            self.context, SHARD, token, [row.id for row in rows], now,
            now + datetime.timedelta(seconds=60), limit)

    def _holder(self):
        return [(owner, shard) for owner, shard, _at in
                db_api.notification_outbox_status(self.context)['leases']]


class TestFencing(LeaseTestCase):
    """Every use of a lease checks the token it was taken with."""

    scenarios = test.DATABASE_SCENARIOS

    def test_one_holder_at_a_time(self):
        self._record()
        self.assertEqual(1, len(self._claim('first', 't1')))
        self.assertIsNone(self._claim('second', 't2'))
        # NOTE: not even the same relay takes a lease it holds again.
        self.assertIsNone(self._claim('first', 't3'))
        self.assertEqual([('first', SHARD)], self._holder())

    def test_nothing_pending_leaves_the_lease_free(self):
        self.assertEqual([], self._claim('first', 't1'))
        self.assertEqual([], self._holder())

    def test_an_expired_lease_is_taken_with_a_new_token(self):
        self._record()
        self.assertTrue(self._claim('first', 't1', seconds=-1))
        self.assertTrue(self._claim('second', 't2'))
        self.assertEqual([('second', SHARD)], self._holder())

    def test_a_stale_token_changes_nothing_of_the_new_holder(self):
        # NOTE: the race of two relays publishing one shard: the first
        # gave its lease back late, after it had expired and another relay
        # had taken it; the give-back must not free the new lease.
        self._record('one')
        self._record('two')
        rows = self._claim('first', 't1', seconds=-1)
        self.assertTrue(self._claim('second', 't2'))
        db_api.notification_lease_release(self.context, SHARD, 't1')
        held, next_rows = self._checkpoint('t1', rows[:1])
        self.assertFalse(held)
        self.assertEqual([], next_rows)
        self.assertEqual([('second', SHARD)], self._holder())
        self.assertIsNone(self._claim('third', 't3'))

    def test_a_checkpoint_renews_and_reads_on_or_gives_back(self):
        for reason in ('one', 'two', 'three'):
            self._record(reason)
        first = self._claim('first', 't1')
        held, rows = self._checkpoint('t1', first[:1])
        self.assertTrue(held)
        self.assertEqual(2, len(rows))
        self.assertEqual([('first', SHARD)], self._holder())
        held, rows = self._checkpoint('t1', rows, limit=0)
        self.assertTrue(held)
        self.assertEqual([], rows)
        self.assertEqual([], self._holder())
        self.assertEqual(0, db_api.notification_outbox_status(
            self.context)['pending'])

    def test_the_lease_of_a_dead_owner_is_taken_at_once(self):
        self._record()
        self.assertTrue(self._claim('gone', 't1'))
        self.assertIsNone(self._claim('second', 't2', dead=['other']))
        self.assertTrue(self._claim('second', 't2', dead=['gone']))
        self.assertEqual([('second', SHARD)], self._holder())


class TestLeases(LeaseTestCase):

    def test_a_lease_publishes_for_half_its_time(self):
        self._record()
        relay_leases = leases.Leases(self.context, 'me', 2)
        lease, rows = relay_leases.claim(SHARD, 10)
        self.assertTrue(lease.may_go_on())
        lease._go_on_until = time.monotonic() - 0.01
        self.assertFalse(lease.may_go_on())
        self.assertTrue(relay_leases.checkpoint(lease, [], 10)[0])
        self.assertTrue(lease.may_go_on())

    def test_claims_of_nothing_and_of_a_held_shard(self):
        relay_leases = leases.Leases(self.context, 'me', 60)
        self.assertEqual((None, []), relay_leases.claim(SHARD, 10))
        self._record()
        self.assertTrue(self._claim('other', 't1'))
        self.assertEqual((None, None), relay_leases.claim(SHARD, 10))


class TestOwners(test.TestCase):
    """An owner names its process, so that its machine knows it died."""

    USES_DB = False

    def test_a_live_process_is_not_dead(self):
        owner = leases.owner_name('host1', 'nova-api')
        self.assertTrue(owner.startswith('host1:nova-api:%d:' % os.getpid()))
        self.assertFalse(leases.is_dead(owner))

    def test_a_process_that_is_gone_is_dead(self):
        child = subprocess.Popen(['true'])
        child.wait()
        key = leases.process_key(os.getpid())
        self.assertTrue(leases.is_dead('host1:nova-api:%d:%s'
                                       % (child.pid, key)))

    def test_a_reused_process_id_is_dead(self):
        # NOTE: this process's id with another start time.
        boot, _start = leases.process_key(os.getpid()).split('.')
        self.assertTrue(leases.is_dead('host1:nova-api:%d:%s.1'
                                       % (os.getpid(), boot)))

    def test_owners_of_other_machines_are_left_to_their_leases(self):
        for owner in ('host9:nova-api:%d:0badb007.1' % os.getpid(),
                      'old-style:nova-api:1:abcdef12', 'nonsense'):
            self.assertFalse(leases.is_dead(owner))
