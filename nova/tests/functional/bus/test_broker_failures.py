"""A broker that fails never fails, rolls back or holds up an API call.

Each way a broker can fail, against the real thing: down before the
request (nothing listens on its port), stopped by pid while nova is
connected, accepting TCP but never answering, and frozen (SIGSTOP) on an
open connection. In each case the ``PUT`` succeeds within the delivery
bound (``[notifications] delivery_timeout`` plus the request's own time),
the change is committed, and the lost notification is logged at ERROR with
its event type and service uuid, without the transport URL's password.
"""

import os
import secrets
import signal
import time

import nova.conf
from nova import objects
from nova.tests.functional.bus import base
from nova.tests.functional.bus import broker
from nova.tests.functional.bus import fixtures as bus_fixtures

CONF = nova.conf.CONF

# NOTE: what the request itself may take beyond the delivery bound: HTTP,
# the database, a busy test machine.
_REQUEST_MARGIN = 1.5


class TestBrokerFailures(base.BusTestCase):

    def setUp(self):
        super().setUp()
        self.service = objects.Service(
            self.context, host='host1', binary='nova-compute',
            topic='compute', report_count=0)
        self.service.create()
        self.listener.wait_for(1)

    @property
    def bound(self):
        return CONF.notifications.delivery_timeout + _REQUEST_MARGIN

    def _put(self, body):
        """PUT ``body``; assert it succeeds in bounded time; return it."""
        started = time.monotonic()
        answer = self.admin_api.put_service(self.service.uuid, body)
        elapsed = time.monotonic() - started
        self.assertLess(elapsed, self.bound,
                        'PUT took %.2fs with a failing broker' % elapsed)
        return answer

    def _assert_committed(self, disabled, reason):
        row = objects.Service.get_by_uuid(self.context, self.service.uuid)
        self.assertEqual((disabled, reason),
                         (row.disabled, row.disabled_reason))

    def _assert_lost_logged(self, event_type='service.update', count=1):
        errors = [line for line in self.stdlog.output.splitlines()
                  if line.startswith('ERROR nova.notifications.delivery')]
        naming = [line for line in errors
                  if event_type in line and self.service.uuid in line]
        self.assertEqual(count, len(naming),
                         'Expected %d ERROR lines naming %s and %s, got:\n%s'
                         % (count, event_type, self.service.uuid,
                            '\n'.join(errors)))

    def _assert_no_secret_logged(self, password):
        self.assertNotIn(password, self.stdlog.output)

    def _use_unreachable_transport(self, port):
        password = secrets.token_hex(12)
        self.use_transport('rabbit://nova:%s@127.0.0.1:%d/'
                           % (password, port))
        return password

    def test_broker_down_before_the_request(self):
        password = self._use_unreachable_transport(broker.free_port())
        self._put({'status': 'disabled', 'disabled_reason': 'first'})
        self._put({'status': 'disabled', 'disabled_reason': 'second'})
        self._assert_committed(True, 'second')
        self._assert_lost_logged(count=2)
        self._assert_no_secret_logged(password)

    def test_broker_stopped_while_connected(self):
        self._put({'status': 'disabled', 'disabled_reason': 'delivered'})
        self.assertEqual('delivered', self.listener.wait_for(2)[1][
            'payload']['nova_object.data']['disabled_reason'])

        self.broker.stop()
        self._put({'status': 'disabled', 'disabled_reason': 'while down'})
        self._put({'status': 'enabled'})
        self._assert_committed(False, None)
        self._assert_lost_logged(count=2)
        self._assert_no_secret_logged(self.broker.password)

        # NOTE: once the broker is back, notifications flow again without
        # restarting anything in nova.
        self.broker.start()
        listener = self.useFixture(bus_fixtures.NotificationListener(
            CONF, self.broker.transport_url))
        self._put({'status': 'disabled', 'disabled_reason': 'back'})
        received = listener.wait_for(1)
        self.assertEqual('back', received[0]['payload'][
            'nova_object.data']['disabled_reason'])

    def test_broker_accepting_tcp_but_silent(self):
        silent = self.useFixture(bus_fixtures.SilentServer())
        password = self._use_unreachable_transport(silent.port)
        self._put({'status': 'disabled', 'disabled_reason': 'first'})
        started = time.monotonic()
        self._put({'status': 'disabled', 'disabled_reason': 'second'})
        # NOTE: the sender is still stuck on the first one: the second is
        # dropped at once, not after another full wait.
        self.assertLess(time.monotonic() - started,
                        CONF.notifications.delivery_timeout)
        self._assert_committed(True, 'second')
        self._assert_lost_logged(count=2)
        self._assert_no_secret_logged(password)
        self.assertTrue(silent.accepted, 'nova never connected')

    def test_broker_frozen_on_an_open_connection(self):
        self._put({'status': 'disabled', 'disabled_reason': 'delivered'})
        self.listener.wait_for(2)
        os.kill(self.broker.pid, signal.SIGSTOP)
        self.addCleanup(os.kill, self.broker.pid, signal.SIGCONT)
        self._put({'status': 'disabled', 'disabled_reason': 'frozen'})
        self._put({'status': 'enabled'})
        self._assert_committed(False, None)
        self._assert_lost_logged(count=2)

        # NOTE: the notification the sender was waiting on leaves when the
        # broker wakes up; nova logs that it got through late.
        os.kill(self.broker.pid, signal.SIGCONT)
        received = self.listener.wait_for(3)
        self.assertEqual('frozen', received[2]['payload'][
            'nova_object.data']['disabled_reason'])
        deadline = time.monotonic() + 10
        while ('delivered late' not in self.stdlog.output and
               time.monotonic() < deadline):
            time.sleep(0.05)
        self.assertIn('delivered late', self.stdlog.output)
        self._assert_no_secret_logged(self.broker.password)
