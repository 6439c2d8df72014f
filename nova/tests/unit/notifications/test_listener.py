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

"""A listener endpoint puts each notification back together as sent."""

import oslo_messaging as messaging
import testtools

from nova.notifications import listener

METADATA = {'message_id': 'm1', 'timestamp': '2026-01-01 00:00:01.000000'}


class TestEnvelopeEndpoint(testtools.TestCase):

    def test_every_priority(self):
        received = []
        endpoint = listener.EnvelopeEndpoint(received.append)
        priorities = ('audit', 'debug', 'info', 'warn', 'error', 'critical',
                      'sample')
        for priority in priorities:
            getattr(endpoint, priority)({}, 'p', 'e', {}, METADATA)
        self.assertEqual([priority.upper() for priority in priorities],
                         [envelope['priority'] for envelope in received])

    def test_a_message_not_taken_goes_back_to_the_queue(self):
        taken = listener.EnvelopeEndpoint(lambda envelope: None)
        left = listener.EnvelopeEndpoint(lambda envelope: False)
        self.assertEqual(messaging.NotificationResult.HANDLED,
                         taken.info({}, 'p', 'e', {}, METADATA))
        self.assertEqual(messaging.NotificationResult.REQUEUE,
                         left.info({}, 'p', 'e', {}, METADATA))


class TestBatchEnvelopeEndpoint(testtools.TestCase):

    @staticmethod
    def _message(message_id):
        return {'ctxt': {}, 'publisher_id': 'p', 'event_type': 'e',
                'payload': {}, 'metadata': dict(METADATA,
                                                message_id=message_id)}

    def test_a_batch_of_envelopes_in_order(self):
        received = []
        endpoint = listener.BatchEnvelopeEndpoint(received.append)
        self.assertEqual(messaging.NotificationResult.HANDLED,
                         endpoint.info([self._message('m1'),
                                        self._message('m2')]))
        self.assertEqual([['m1', 'm2']],
                         [[envelope['message_id'] for envelope in batch]
                          for batch in received])
        self.assertEqual('INFO', received[0][0]['priority'])

    def test_every_priority(self):
        for priority in listener.PRIORITIES:
            received = []
            endpoint = listener.BatchEnvelopeEndpoint(received.append)
            getattr(endpoint, priority)([self._message('m1')])
            self.assertEqual(priority.upper(), received[0][0]['priority'])

    def test_a_batch_not_taken_goes_back_whole(self):
        left = listener.BatchEnvelopeEndpoint(lambda envelopes: False)
        self.assertEqual(messaging.NotificationResult.REQUEUE,
                         left.info([self._message('m1'),
                                    self._message('m2')]))
