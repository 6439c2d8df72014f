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

"""Many relays on one database never publish a service's stream backwards.

Several relays share the outbox, with short leases and quick looks at it,
while several writers change a few services: leases are taken, given back
and taken again all the time. A consumer on a queue of its own receives
each service's notifications; the order of their changes is the order of
their rows in the outbox. A service's stream may repeat its newest message
(delivery is at least once) but never go back to an older one, which a
consumer that does not drop repeats by ``message_id`` (OpenStack Watcher)
would apply as the service's state.
"""

import threading

import testscenarios

from nova.db.main import api as db_api
from nova.notifications.delivery import relay as relay_mod
from nova import objects
from nova import test
from nova.tests.functional.bus import broker
from nova.tests.functional.bus import fixtures as bus_fixtures

load_tests = testscenarios.load_tests_apply_scenarios

_WRITERS = 3
_SERVICES = 2
_CHANGES = 40
_RELAYS = 4


class TestRelaysFenced(test.TestCase):

    scenarios = test.DATABASE_SCENARIOS
    TIMEOUT = 120

    def setUp(self):
        super().setUp()
        rabbit = self.useFixture(broker.RabbitMQFixture()).broker
        self.flags(transport_url=rabbit.transport_url)
        self.flags(driver=['messagingv2'],
                   group='oslo_messaging_notifications')
        self.flags(relay_lease_time=2, relay_poll_interval=0.05,
                   relay_batch_size=3, relay_publishers=2,
                   group='notifications')
        self.flags(amqp_durable_queues=True, group='oslo_messaging_rabbit')
        self.listener = self.useFixture(bus_fixtures.NotificationListener(
            self.conf.conf, rabbit.transport_url))
        self.services = []
        for index in range(_SERVICES):
            service = objects.Service(self.context, host='host%d' % index,
                                      binary='nova-compute', topic='compute',
                                      report_count=0)
            service.create()
            self.services.append(service)

    def _write(self, writer):
        for change in range(_CHANGES):
            for service in self.services:
                same = objects.Service.get_by_uuid(self.context, service.uuid)
                same.disabled_reason = 'w%d-%d' % (writer, change)
                same.disabled = True
                same.save()

    def _order(self):
        """message_id -> (service uuid, rank of its change in the outbox)."""
        with db_api.get_engine().connect() as connection:
            rows = connection.exec_driver_sql(
                'SELECT message_id, service_uuid FROM notification_outbox '
                'ORDER BY id').all()
        return {message_id: (uuid, rank)
                for rank, (message_id, uuid) in enumerate(rows)}

    def test_no_stream_goes_back(self):
        relays = [relay_mod.Relay(self.conf.conf, 'relay-%d' % index)
                  for index in range(_RELAYS)]
        for relay in relays:
            relay.start()
            self.addCleanup(relay.stop, 5)
        writers = [threading.Thread(target=self._write, args=(index,))
                   for index in range(_WRITERS)]
        for thread in writers:
            thread.start()
        for thread in writers:
            thread.join(self.TIMEOUT)
        total = _SERVICES * (1 + _WRITERS * _CHANGES)
        order = self._order()
        self.assertEqual(total, len(order))
        received = self.listener.wait_until(
            lambda messages: set(order) <= {m['message_id']
                                            for m in messages},
            60, 'every notification')
        newest = {}
        back = []
        for message in received:
            uuid, rank = order[message['message_id']]
            if rank < newest.get(uuid, -1):
                back.append('%s went back from %d to %d'
                            % (uuid, newest[uuid], rank))
            newest[uuid] = max(rank, newest.get(uuid, -1))
        self.assertEqual([], back)
