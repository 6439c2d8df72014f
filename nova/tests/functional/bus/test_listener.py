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

"""A listener that does not take a message leaves it on the queue."""

import json
import threading

from oslo_utils import uuidutils

import nova.conf
from nova.notifications import listener as bus_listener
from nova.tests.functional.bus import base
from nova.tests.functional.bus import fixtures as bus_fixtures

CONF = nova.conf.CONF


class TestMessagesNotTaken(base.BusTestCase):

    def test_stay_on_the_queue_for_the_next_listener(self):
        pool = 'nova-test-%s' % uuidutils.generate_uuid(dashed=False)
        taken = []
        took_one = threading.Event()

        def take_one(envelope):
            if took_one.is_set():
                return False
            taken.append(envelope)
            took_one.set()

        first = bus_listener.start_listener(
            CONF, take_one, url=self.broker.transport_url, pool=pool)
        try:
            self.create_services(3)
            self.listener.wait_for(3)
            self.assertTrue(took_one.wait(10))
        finally:
            bus_listener.stop_listener(*first)

        second = bus_fixtures.NotificationListener(
            CONF, self.broker.transport_url)
        second.pool = pool
        self.useFixture(second)
        rest = second.wait_for(2)
        second.assert_nothing_more(2)
        self.assertEqual(
            ['host0', 'host1', 'host2'],
            sorted(envelope['payload']['nova_object.data']['host']
                   for envelope in taken + rest))


class TestServicesTableInBatches(base.BusTestCase):
    """``listen --services`` reads batches, and takes no more than asked."""

    def test_a_batch_over_the_count_goes_back_and_smaller_ones_follow(self):
        pool = self.declare_pool()
        self.create_services(120)
        self.listener.wait_for(120, timeout=60)

        # NOTE: batches of 100: the second one holds more than the 10 left
        # to print, goes back whole, and a batch of 10 follows.
        code, lines, _err = self.run_listen(
            pool, format='json', services=True, max_messages=110)
        self.assertEqual(0, code)
        # NOTE: one notification per service; the relay publishes
        # different services' notifications in any order.
        printed = [json.loads(line)['service']['host'] for line in lines]
        self.assertEqual(110, len(printed))
        self.assertEqual(110, len(set(printed)))

        rest = bus_fixtures.NotificationListener(
            CONF, self.broker.transport_url)
        rest.pool = pool
        self.useFixture(rest)
        left = {envelope['payload']['nova_object.data']['host']
                for envelope in rest.wait_for(10)}
        rest.assert_nothing_more(10)
        self.assertEqual({'host%d' % index for index in range(120)},
                         left | set(printed))
