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

"""The environment in which the documentation's code examples run.

``sphinx-build -b doctest`` runs the examples of the contributor guide
against the real framework: the global configuration with the in-memory
oslo.messaging ``test`` driver, a migrated SQLite database of its own, and
the versioned notifier built from that configuration.
"""

import json

import nova.conf
from nova import context
from nova.notifications import delivery
from nova import objects
from nova.tests import fixtures as nova_fixtures


class ExampleEnvironment(object):
    """What a nova service has set up before it emits a notification."""

    def __init__(self):
        self._fixtures = [nova_fixtures.ConfFixture(nova.conf.CONF),
                          nova_fixtures.Database(),
                          nova_fixtures.NotificationFixture()]
        for fixture in self._fixtures:
            fixture.setUp()
        self._notifier = self._fixtures[-1]
        objects.register_all()
        self.context = context.get_admin_context()

    def use_messaging_driver(self):
        """Send through a transport, as with RabbitMQ, but in memory.

        The transport is oslo.messaging's ``fake:/``, whose exchanges are
        shared by every transport of the process, so a listener built from
        the same configuration receives what nova sends. A relay runs, as
        in nova-api, and publishes each notification once it is committed.
        """
        self._fixtures[0].config(driver=['messagingv2'],
                                 group='oslo_messaging_notifications')
        delivery.init(nova.conf.CONF)
        relay = nova_fixtures.RelayFixture()
        relay.setUp()
        self._fixtures.append(relay)

    @property
    def notifications(self):
        """The messages the notifier sent, as a consumer receives them."""
        return self._notifier.versioned_notifications

    def reset(self):
        """Forget the notifications sent so far."""
        self._notifier.reset()

    def print_last(self, *keys):
        """Print the last notification sent (only ``keys`` if given).

        ``message_id`` and ``timestamp`` vary with every message, so they
        are left out.
        """
        message = self.notifications[-1]
        shown = {key: value for key, value in message.items()
                 if key not in ('message_id', 'timestamp')
                 and (not keys or key in keys)}
        print(json.dumps(shown, indent=4))

    def cleanup(self):
        for fixture in reversed(self._fixtures):
            fixture.cleanUp()
