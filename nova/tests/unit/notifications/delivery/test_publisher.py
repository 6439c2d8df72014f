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

"""The drivers a relay publishes with."""

import collections

from oslo_messaging.notify import _impl_test

from nova import exception
from nova.notifications.delivery import envelope
from nova.notifications.delivery import publisher
from nova import test

Row = collections.namedtuple('Row', envelope.KEYS + ('context', 'id'))


def _row(index, payload='{}'):
    message = envelope.to_row(envelope.new(
        'nova-compute:host1', 'service.update', 'INFO', {'i': index}))
    message['payload'] = payload if payload != '{}' else message['payload']
    return Row(context='{}', id=index, **message)


class TestPublisher(test.TestCase):

    USES_DB = False

    def test_publishes_in_order_while_it_may(self):
        rows = [_row(index) for index in range(3)]
        allowed = iter([True, True, False])
        published, failure = publisher.Publisher(self.conf.conf).publish(
            rows, lambda: next(allowed))
        self.assertEqual(rows[:2], published)
        self.assertIsNone(failure)
        self.assertEqual([0, 1], [message['payload']['i'] for
                                  _c, message, _p, _r in
                                  _impl_test.NOTIFICATIONS])

    def test_a_failure_stops_at_its_row(self):
        rows = [_row(0), _row(1, payload='{broken'), _row(2)]
        published, failure = publisher.Publisher(self.conf.conf).publish(
            rows, lambda: True)
        self.assertEqual(rows[:1], published)
        self.assertEqual(rows[1], failure[0])
        self.assertIn('JSONDecodeError', failure[1])

    def test_unknown_driver_is_refused_with_the_known_ones(self):
        self.flags(driver=['test', 'nosuchdriver'],
                   group='oslo_messaging_notifications')
        error = self.assertRaises(exception.NotificationDriverNotFound,
                                  publisher.Publisher, self.conf.conf)
        message = error.format_message()
        self.assertIn('nosuchdriver', message)
        self.assertIn('messagingv2', message)
        self.assertIn('log', message)

    def test_transport_drivers_report_failures(self):
        self.flags(driver=['messagingv2', 'log', 'noop'],
                   group='oslo_messaging_notifications')
        self.assertEqual(
            ['ReportingMessagingV2Driver', 'LogDriver'],
            [type(d).__name__
             for d in publisher.Publisher(self.conf.conf).drivers])

    def test_the_drivers_reconnect_a_bounded_number_of_times(self):
        # NOTE: oslo.messaging's -1 would retry for ever: a relay retries
        # on its own, with its backoff.
        self.assertEqual(-1, self.conf.conf.oslo_messaging_notifications.retry)
        self.assertEqual(1, publisher.relay_retry(self.conf.conf))
        self.flags(retry=0, group='oslo_messaging_notifications')
        self.assertEqual(0, publisher.relay_retry(self.conf.conf))
        self.flags(retry=5, group='oslo_messaging_notifications')
        self.assertEqual(5, publisher.relay_retry(self.conf.conf))

    def test_invalid_transport_url_names_no_password(self):
        self.flags(transport_url='rabbit://nova:Pa55w0rd@host:notaport/')
        error = self.assertRaises(exception.InvalidNotificationTransport,
                                  publisher.Publisher, self.conf.conf)
        self.assertNotIn('Pa55w0rd', error.format_message())
