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

"""Notifier drivers for relays: they say when a message was not delivered.

oslo.messaging's ``messaging`` and ``messagingv2`` drivers log a failure and
return as if the message had been sent, which suits a caller that cannot
wait, not a relay that must keep the message until the bus has it. These
drivers send the same messages, through the same transport, and raise
instead. They are registered under the ``oslo.messaging.notify.drivers``
entry point as ``nova-messaging`` and ``nova-messagingv2``; relays load them
in place of the stock ones (``relay_driver_name``).
"""

import oslo_messaging as messaging
from oslo_messaging.notify import messaging as messaging_drivers

# NOTE: the stock drivers whose failures are swallowed, and the drivers
# that take their place in a relay.
_REPORTING_DRIVERS = {
    'messaging': 'nova-messaging',
    'messagingv2': 'nova-messagingv2',
}


def relay_driver_name(name):
    """Return the driver a relay loads for the configured driver ``name``."""
    return _REPORTING_DRIVERS.get(name, name)


class ReportingMessagingDriver(messaging_drivers.MessagingDriver):
    """``messaging`` (message format 1.0), raising when not delivered.

    With RabbitMQ, a return means the broker confirmed the message.
    """

    def notify(self, ctxt, message, priority, retry):
        """Send ``message`` to every topic.

        :raises: the transport's exception for the first topic that failed.
        """
        priority = priority.lower()
        for topic in self.topics:
            target = messaging.Target(topic='%s.%s' % (topic, priority))
            # NOTE: the transport's send method is private to oslo.messaging,
            # but it is what its own drivers call; this class is the only
            # place of nova that uses it.
            self.transport._send_notification(target, ctxt, message,
                                              version=self.version,
                                              retry=retry)


class ReportingMessagingV2Driver(ReportingMessagingDriver):
    """``messagingv2`` (message format 2.0), raising when not delivered."""

    def __init__(self, conf, **kwargs):
        super().__init__(conf, version=2.0, **kwargs)
