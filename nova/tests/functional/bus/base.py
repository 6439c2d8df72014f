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

"""Base class of the tests whose notifications travel through RabbitMQ."""

import io
import signal
import time
import types

import fixtures
from oslo_utils import uuidutils

from nova.cmd import notifications
import nova.conf
from nova.db.main import api as db_api
from nova.notifications import delivery
from nova.notifications import listener as bus_listener
from nova import objects
from nova.tests import fixtures as nova_fixtures
from nova.tests.functional.api import fixtures as api_fixtures
from nova.tests.functional.bus import broker
from nova.tests.functional.bus import fixtures as bus_fixtures
from nova.tests.functional.notification_sample_tests import (
    notification_sample_base)

CONF = nova.conf.CONF


class BusTestCase(notification_sample_base.NotificationSampleTestBase):
    """The real stack publishing with ``messagingv2`` to this process's broker.

    Changes record their notifications in the outbox and ``self.relay``, a
    relay running in this process as nova-api runs one, publishes them.
    ``self.broker`` is the running broker, ``self.listener`` a listener
    that receives everything sent from the start of the test, and
    ``self.admin_api`` a client of the API served over HTTP on loopback.
    Queues and exchanges are durable on both sides, as the admin guide
    recommends for a single broker: they survive a restart of the broker
    with the (persistent) messages they hold.
    """

    # NOTE: short, so that the tests of relays taking over stay quick.
    RELAY_LEASE_TIME = 2
    RELAY_POLL_INTERVAL = 0.1

    def setUp(self):
        super().setUp()
        self.broker = self.useFixture(broker.RabbitMQFixture()).broker
        self.flags(relay_lease_time=self.RELAY_LEASE_TIME,
                   relay_poll_interval=self.RELAY_POLL_INTERVAL,
                   relay_retry_max_interval=1.0,
                   group='notifications')
        # NOTE: a relay finds a broker down after one reconnection attempt
        # a second later, not two or three.
        self.flags(amqp_durable_queues=True, rabbit_retry_backoff=0,
                   kombu_reconnect_delay=0, group='oslo_messaging_rabbit')
        self.use_transport(self.broker.transport_url)
        self.listener = self.useFixture(bus_fixtures.NotificationListener(
            CONF, self.broker.transport_url))
        self.relay = self.useFixture(nova_fixtures.RelayFixture()).relay
        self.api_fixture = self.useFixture(api_fixtures.APIServerFixture())
        self.admin_api = self.api_fixture.admin_api

    def create_services(self, count):
        """Create ``count`` compute services, on host0, host1..."""
        services = []
        for index in range(count):
            service = objects.Service(
                self.context, host='host%d' % index, binary='nova-compute',
                topic='compute', report_count=0)
            service.create()
            services.append(service)
        return services

    def wait_for_empty_outbox(self, timeout=10.0):
        """Wait until no notification is pending in the outbox.

        A relay marks a notification delivered once the broker took it,
        which can be after a listener received it.
        """
        deadline = time.monotonic() + timeout
        while True:
            pending = db_api.notification_outbox_status(
                self.context)['pending']
            if not pending:
                return
            if time.monotonic() > deadline:
                self.fail('%d notifications still pending after %.0fs'
                          % (pending, timeout))
            time.sleep(0.05)

    def wait_for_log(self, text, timeout=15.0):
        """Wait until ``text`` is in what this test logged."""
        deadline = time.monotonic() + timeout
        while text not in self.stdlog.output:
            if time.monotonic() > deadline:
                self.fail('%r was not logged within %.0fs:\n%s'
                          % (text, timeout, self.stdlog.output))
            time.sleep(0.05)

    def declare_pool(self):
        """Return the name of a new pool whose queue gets what is sent next.

        The queue is durable: it keeps the notifications for a listener
        that starts later.
        """
        pool = 'nova-test-%s' % uuidutils.generate_uuid(dashed=False)
        bus_listener.stop_listener(*bus_listener.start_listener(
            CONF, lambda envelope: False, url=self.broker.transport_url,
            pool=pool))
        return pool

    def run_listen(self, pool, **options):
        """Run ``nova-notifications listen`` in this process, on ``pool``.

        ``options`` are its arguments by their names (``max_messages``...).
        Returns (exit code, lines printed on stdout, stderr).
        """
        args = dict(transport_url=self.broker.transport_url, format=None,
                    event_type=[], publisher=[], services=False,
                    seed_from_api=None, token=None, max_messages=None,
                    timeout=30, pool=pool)
        args.update(options)
        out = self.useFixture(fixtures.MonkeyPatch(
            'sys.stdout', io.StringIO())).new_value
        err = self.useFixture(fixtures.MonkeyPatch(
            'sys.stderr', io.StringIO())).new_value
        # NOTE: the command handles SIGTERM; the test process gets its own
        # handler back.
        self.addCleanup(signal.signal, signal.SIGTERM,
                        signal.getsignal(signal.SIGTERM))
        code = notifications.listen(types.SimpleNamespace(**args))
        return code, out.getvalue().splitlines(), err.getvalue()

    def use_transport(self, url):
        """Publish the versioned notifications with messagingv2 to ``url``.

        A relay started after this call uses it.
        """
        self.flags(transport_url=url)
        self.flags(driver=['messagingv2'],
                   group='oslo_messaging_notifications')
        # NOTE: the test's NotificationFixture already registered the
        # delivery.stop that ends this transport too.
        delivery.init(CONF)
