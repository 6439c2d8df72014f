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

"""The service notifications a consumer receives from RabbitMQ.

The scenarios of the notification sample tests, sent with ``messagingv2``
to a real broker and received by a real oslo.messaging listener on exchange
``nova``, topic ``versioned_notifications``: the service is created by the
service runner, updated by ``PUT`` and deleted by ``DELETE
/os-services/{service_id}`` over HTTP. Each received message, envelope
included, must match its sample.
"""

import threading

from nova import objects
from nova.tests.functional.bus import base
from nova.tests.functional.notification_sample_tests import test_service


class TestServiceNotificationsOnTheBus(
        test_service.ServiceNotificationScenarios, base.BusTestCase):
    """The sample scenarios, received from RabbitMQ by a real listener."""

    def setUp(self):
        super().setUp()
        self._set_up_compute()
        self._seen = 0

    def _forget(self, sent):
        self._seen = len(self.listener.wait_for(self._seen + sent))

    def _received(self, count):
        return self.listener.wait_for(self._seen + count)[self._seen:]

    def _assert_nothing_more(self):
        self.listener.assert_nothing_more(self._seen)


class TestOrderOnTheBus(base.BusTestCase):
    """Consumers receive each service's notifications in commit order."""

    BURST = 40

    @staticmethod
    def _data(message):
        return message['payload']['nova_object.data']

    def _per_service(self, messages):
        by_uuid = {}
        for message in messages:
            by_uuid.setdefault(self._data(message)['uuid'], []).append(
                message)
        return by_uuid

    def test_burst_of_updates_arrives_in_order(self):
        services = self.create_services(3)
        for step in range(self.BURST):
            for service in services:
                self.admin_api.put_service(
                    service.uuid, {'status': 'disabled',
                                   'disabled_reason': 'step %d' % step})
        received = self.listener.wait_for(3 + 3 * self.BURST)
        by_uuid = self._per_service(received)
        expected = ['service.create'] + ['service.update'] * self.BURST
        for service in services:
            messages = by_uuid[service.uuid]
            self.assertEqual(expected, [m['event_type'] for m in messages])
            self.assertEqual(
                ['step %d' % step for step in range(self.BURST)],
                [self._data(m)['disabled_reason'] for m in messages[1:]])

    def test_concurrent_updates_end_in_the_committed_state(self):
        service, = self.create_services(1)
        threads = 4
        per_thread = 10

        def client(index):
            for step in range(per_thread):
                body = ({'status': 'disabled',
                         'disabled_reason': 'client %d step %d' % (index,
                                                                   step)}
                        if step % 2 == 0 else {'status': 'enabled'})
                self.admin_api.put_service(service.uuid, body)

        workers = [threading.Thread(target=client, args=(index,))
                   for index in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(60)
        received = self.listener.wait_for(1 + threads * per_thread)
        self.listener.assert_nothing_more(1 + threads * per_thread)
        final = objects.Service.get_by_uuid(self.context, service.uuid)
        last = self._data(received[-1])
        # NOTE: the notifications leave in commit order, so the last one a
        # consumer receives carries the state the database kept.
        self.assertEqual(
            (final.disabled, final.disabled_reason, final.forced_down),
            (last['disabled'], last['disabled_reason'],
             last['forced_down']))
