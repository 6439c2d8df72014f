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

"""How a relay hands the notifications of the outbox to the bus.

Through the notifier drivers ``[oslo_messaging_notifications] driver``
names, loaded by oslo.messaging's entry points, with ``messaging`` and
``messagingv2`` replaced by their twins that raise when a message is not
delivered (``nova.notifications.delivery.drivers``): a row is published once
every driver returned.
"""

from oslo_serialization import jsonutils
import stevedore

from nova import exception
from nova.notifications.delivery import drivers
from nova.notifications.delivery import envelope
from nova import rpc

DRIVER_NAMESPACE = 'oslo.messaging.notify.drivers'

_ERROR_LENGTH = 1000


def driver_names(conf):
    """Return the notifier drivers a relay publishes with, by name.

    ``[oslo_messaging_notifications] driver`` names them; ``messaging`` and
    ``messagingv2`` become their failure-reporting twins, ``noop`` is left
    out.

    :raises NotificationDriverNotFound: naming the unknown drivers and the
        known ones.
    """
    names = [drivers.relay_driver_name(name)
             for name in conf.oslo_messaging_notifications.driver
             if name != 'noop']
    known = set(stevedore.ExtensionManager(DRIVER_NAMESPACE).names())
    unknown = [name for name in names if name not in known]
    if unknown:
        raise exception.NotificationDriverNotFound(
            names=', '.join(unknown), known=', '.join(sorted(known)))
    return names


def relay_retry(conf):
    """The reconnections a relay's drivers may try per attempt to publish.

    ``[oslo_messaging_notifications] retry``, bounded: oslo.messaging's
    default, -1, would hold a relay's publisher until the bus is back,
    beyond any stop timeout, where the relay retries on its own, with a
    backoff and an outage report. With -1 a relay tries one reconnection,
    so that a message sent on a connection the broker closed when it
    restarted still gets through at once.
    """
    retry = conf.oslo_messaging_notifications.retry
    return retry if retry is not None and retry >= 0 else 1


def _load_failure(manager, entrypoint, error):
    raise error


class Publisher(object):
    """Publishes rows of the outbox, in order, through the drivers.

    :raises NotificationDriverNotFound: for an unknown notifier driver;
        InvalidNotificationTransport for a transport URL that cannot be
        used.
    """

    def __init__(self, conf):
        self._secrets = rpc.transport_secrets(conf)
        manager = stevedore.NamedExtensionManager(
            DRIVER_NAMESPACE, driver_names(conf), invoke_on_load=True,
            invoke_args=(conf,),
            invoke_kwds={
                'topics': conf.notifications.versioned_notifications_topics,
                'transport': rpc.get_notification_transport(conf)},
            name_order=True, on_load_failure_callback=_load_failure)
        self.drivers = [extension.obj for extension in manager]
        self._retry = relay_retry(conf)

    def publish(self, rows, may_go_on):
        """Publish ``rows`` in order, while ``may_go_on()`` says so.

        ``may_go_on()`` is asked before each row (the lease still holds).
        Returns ``(published, failure)``: the rows published, and
        ``(row, reason)`` for the one that failed, or None.
        """
        published = []
        for row in rows:
            if not may_go_on():
                break
            try:
                message = envelope.from_row(row)
                ctxt = jsonutils.loads(row.context)
                for driver in self.drivers:
                    driver.notify(ctxt, message, row.priority, self._retry)
            except Exception as error:
                return published, (row, self.reason(error))
            published.append(row)
        return published, None

    def reason(self, error):
        """Why ``error`` happened, for the log and the outbox: no secret."""
        text = rpc.redact('%s: %s' % (type(error).__name__, error),
                          self._secrets)
        return text[:_ERROR_LENGTH]
