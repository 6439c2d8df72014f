"""Base class of the tests whose notifications travel through RabbitMQ."""

import nova.conf
from nova import rpc
from nova.tests.functional.api import fixtures as api_fixtures
from nova.tests.functional.bus import broker
from nova.tests.functional.bus import fixtures as bus_fixtures
from nova.tests.functional.notification_sample_tests import (
    notification_sample_base)

CONF = nova.conf.CONF


class BusTestCase(notification_sample_base.NotificationSampleTestBase):
    """The real stack sending with ``messagingv2`` to this process's broker.

    ``self.broker`` is the running broker, ``self.listener`` a listener
    that receives everything sent from the start of the test, and
    ``self.admin_api`` a client of the API served over HTTP on loopback.
    """

    def setUp(self):
        super().setUp()
        self.broker = self.useFixture(broker.RabbitMQFixture()).broker
        self.use_transport(self.broker.transport_url)
        self.listener = self.useFixture(bus_fixtures.NotificationListener(
            CONF, self.broker.transport_url))
        self.api_fixture = self.useFixture(api_fixtures.APIServerFixture())
        self.admin_api = self.api_fixture.admin_api

    def use_transport(self, url):
        """Send the versioned notifications with messagingv2 to ``url``."""
        self.flags(transport_url=url)
        self.flags(driver=['messagingv2'],
                   group='oslo_messaging_notifications')
        # NOTE: the test's NotificationFixture already registered the
        # rpc.cleanup that ends this notifier too.
        rpc.init(CONF)
