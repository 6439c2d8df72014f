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

"""A failing broker never holds up, fails or loses a change.

Each way a broker can fail, against the real thing: down before the
request, accepting TCP but never answering, and frozen (SIGSTOP) on an open
connection. (Stopped while nova is connected, gracefully and by SIGKILL, is
test_delivery's TestBrokerRestartMidStream, in the middle of a stream of
changes.) In each case the ``PUT`` answers at once (the request path does
not talk to the bus), the change is committed with its notification in the
outbox, the relay logs the outage once at ERROR without the transport
URL's password, and once the broker is back every notification reaches the
listener, in order.
"""

import os
import secrets
import signal
import time

import nova.conf
from nova.db.main import api as db_api
from nova import objects
from nova.tests import fixtures as nova_fixtures
from nova.tests.functional.bus import base
from nova.tests.functional.bus import fixtures as bus_fixtures

CONF = nova.conf.CONF

# NOTE: what a PUT may take on a busy test machine; it never includes a
# wait for the bus.
_REQUEST_BOUND = 1.0


class TestBrokerFailures(base.BusTestCase):

    def setUp(self):
        super().setUp()
        self.service = objects.Service(
            self.context, host='host1', binary='nova-compute',
            topic='compute', report_count=0)
        self.service.create()
        self.listener.wait_for(1)
        # NOTE: the tests count what is pending from an empty outbox.
        self.wait_for_empty_outbox()

    def _put(self, body):
        """PUT ``body``; assert it answers at once; return the answer."""
        started = time.monotonic()
        answer = self.admin_api.put_service(self.service.uuid, body)
        elapsed = time.monotonic() - started
        self.assertLess(elapsed, _REQUEST_BOUND,
                        'PUT took %.2fs with a failing broker' % elapsed)
        return answer

    def _put_reasons(self, *reasons):
        for reason in reasons:
            self._put({'status': 'disabled', 'disabled_reason': reason})

    def _assert_committed(self, reason):
        row = objects.Service.get_by_uuid(self.context, self.service.uuid)
        self.assertEqual(reason, row.disabled_reason)

    def _pending(self):
        return db_api.notification_outbox_status(self.context)['pending']

    def _outage_errors(self):
        # NOTE: about this test's service only: a publisher that an earlier
        # test of this process left stuck on its silent bus (relays leave
        # such daemon threads behind) may fail, and log, during this test.
        relay_error = 'ERROR nova.notifications.delivery.backoff'
        return [line for line in self.stdlog.output.splitlines()
                if line.startswith(relay_error) and
                self.service.uuid in line]

    def _assert_outage_logged_once(self, password):
        self.wait_for_log('Cannot publish notification service.update '
                          'for service %s' % self.service.uuid)
        errors = self._outage_errors()
        self.assertEqual(1, len(errors), '\n'.join(errors))
        self.assertNotIn(password, self.stdlog.output)

    def _assert_delivered_in_order(self, reasons, listener=None):
        listener = listener or self.listener

        def distinct(messages):
            # NOTE: at least once: a message the broker had delivered but
            # not seen acknowledged when it died comes again, same id.
            return list({message['message_id']: message
                         for message in messages}.values())

        received = distinct(listener.wait_until(
            lambda messages: len(distinct(messages)) >= 1 + len(reasons),
            30, 'delivery of %d notifications' % (1 + len(reasons))))
        self.assertEqual(
            list(reasons),
            [message['payload']['nova_object.data']['disabled_reason']
             for message in received[1:]])
        self.wait_for_empty_outbox()

    def _assert_bus_back_logged(self):
        self.wait_for_log('Notifications are published again after')

    def test_broker_down_before_the_request(self):
        self.broker.stop_application()
        reasons = ('first', 'second', 'third')
        self._put_reasons(*reasons)
        self._assert_committed('third')
        self.assertEqual(3, self._pending())
        self._assert_outage_logged_once(self.broker.password)

        self.broker.start()
        self._assert_delivered_in_order(reasons)
        self._assert_bus_back_logged()

    def test_broker_accepting_tcp_but_silent(self):
        silent = self.useFixture(bus_fixtures.SilentServer())
        password = secrets.token_hex(12)
        self.relay.stop(0)
        self.use_transport('rabbit://nova:%s@127.0.0.1:%d/'
                           % (password, silent.port))
        self.useFixture(nova_fixtures.RelayFixture(stop_timeout=0))
        self._put_reasons('first', 'second')
        self._assert_committed('second')
        deadline = time.monotonic() + 10
        while not silent.accepted and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertTrue(silent.accepted, 'the relay never connected')
        # NOTE: the relay waits on the silent bus; the changes stand and
        # their notifications wait in the outbox.
        self.assertEqual(2, self._pending())
        self.assertNotIn(password, self.stdlog.output)

    def test_broker_frozen_on_an_open_connection(self):
        self._put_reasons('delivered')
        self.listener.wait_for(2)
        os.kill(self.broker.pid, signal.SIGSTOP)
        self.addCleanup(os.kill, self.broker.pid, signal.SIGCONT)
        self._put_reasons('frozen', 'still frozen')
        self._assert_committed('still frozen')

        os.kill(self.broker.pid, signal.SIGCONT)
        self._assert_delivered_in_order(('delivered', 'frozen',
                                         'still frozen'))
