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

"""The envelope: what oslo.messaging writes, the same on every side."""

import collections

from oslo_serialization import jsonutils
import testtools

from nova.notifications.delivery import envelope

KEYS = ['message_id', 'publisher_id', 'event_type', 'priority', 'payload',
        'timestamp']


class TestEnvelope(testtools.TestCase):

    def test_new_is_what_oslo_messaging_writes(self):
        message = envelope.new('nova-compute:host1', 'service.update',
                               'INFO', {'a': 1})
        self.assertEqual(KEYS, list(message))
        self.assertEqual(36, len(message['message_id']))
        self.assertRegex(message['timestamp'],
                         r'^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?$')

    def test_a_row_holds_it_whole(self):
        message = envelope.new('nova-compute:host1', 'service.update',
                               'INFO', {'nova_object.data': {'x': 1}})
        row = envelope.to_row(message)
        self.assertEqual(KEYS, list(row))
        self.assertEqual(message['payload'], jsonutils.loads(row['payload']))
        Row = collections.namedtuple('Row', KEYS)
        self.assertEqual(message, envelope.from_row(Row(**row)))
        self.assertEqual(KEYS, list(envelope.from_row(Row(**row))))

    def test_from_listener_is_as_sent(self):
        self.assertEqual(
            {'message_id': 'm1', 'publisher_id': 'nova-compute:host1',
             'event_type': 'service.update', 'priority': 'INFO',
             'payload': {'a': 1},
             'timestamp': '2026-01-01 00:00:01.000000'},
            envelope.from_listener(
                'info', 'nova-compute:host1', 'service.update', {'a': 1},
                {'message_id': 'm1',
                 'timestamp': '2026-01-01 00:00:01.000000'}))
        self.assertEqual(KEYS, list(envelope.from_listener(
            'info', 'p', 'e', {}, {})))
