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

"""Receive versioned notifications from the message bus, as sent.

A consumer of nova's versioned notifications listens on the control
exchange (``nova``) to the ``[notifications] versioned_notifications_topics``.
oslo.messaging hands each notification to an endpoint method named after its
priority, split into (context, publisher_id, event_type, payload, metadata);
``EnvelopeEndpoint`` puts the message back together as it travelled: the
envelope ``message_id``, ``publisher_id``, ``event_type``, ``priority``,
``payload`` and ``timestamp``, the shape of the notification samples.
"""

import oslo_messaging as messaging


def envelope(priority, publisher_id, event_type, payload, metadata):
    """Return the notification as it was sent.

    The arguments are what oslo.messaging hands to a listener endpoint.
    """
    return {
        'message_id': metadata.get('message_id'),
        'publisher_id': publisher_id,
        'event_type': event_type,
        'priority': priority.upper(),
        'payload': payload,
        'timestamp': metadata.get('timestamp'),
    }


class EnvelopeEndpoint(object):
    """An endpoint of every priority, calling ``callback(envelope)``.

    A callback that returns ``False`` did not take the message: it goes
    back to the queue, for another consumer or a later start.
    """

    def __init__(self, callback):
        self.callback = callback

    def _receive(self, priority, publisher_id, event_type, payload,
                 metadata):
        taken = self.callback(envelope(priority, publisher_id, event_type,
                                       payload, metadata))
        if taken is False:
            return messaging.NotificationResult.REQUEUE
        return messaging.NotificationResult.HANDLED

    def audit(self, ctxt, publisher_id, event_type, payload, metadata):
        return self._receive('audit', publisher_id, event_type, payload,
                             metadata)

    def debug(self, ctxt, publisher_id, event_type, payload, metadata):
        return self._receive('debug', publisher_id, event_type, payload,
                             metadata)

    def info(self, ctxt, publisher_id, event_type, payload, metadata):
        return self._receive('info', publisher_id, event_type, payload,
                             metadata)

    def warn(self, ctxt, publisher_id, event_type, payload, metadata):
        return self._receive('warn', publisher_id, event_type, payload,
                             metadata)

    def error(self, ctxt, publisher_id, event_type, payload, metadata):
        return self._receive('error', publisher_id, event_type, payload,
                             metadata)

    def critical(self, ctxt, publisher_id, event_type, payload, metadata):
        return self._receive('critical', publisher_id, event_type, payload,
                             metadata)

    def sample(self, ctxt, publisher_id, event_type, payload, metadata):
        return self._receive('sample', publisher_id, event_type, payload,
                             metadata)


def transport_url(conf, override=None):
    """Return the URL notifications travel on.

    ``override`` first, then ``[oslo_messaging_notifications]
    transport_url``, then ``[DEFAULT] transport_url``, as oslo.messaging
    chooses.
    """
    return (override or conf.oslo_messaging_notifications.transport_url or
            conf.transport_url)


# NOTE: the messages a listener takes from the queue ahead of its callback
# (unless [oslo_messaging_rabbit] rabbit_qos_prefetch_count says otherwise).
# Without a limit the broker sends the whole backlog at once, and a listener
# that stops early (--max-messages) has to hand all of it back first.
PREFETCH = 100


def start_listener(conf, callback, url=None, pool=None):
    """Start delivering the versioned notifications to ``callback``.

    Messages are handed over one at a time, in the order the queue holds
    them. Without ``pool`` the listener shares the topics' default queues
    (``versioned_notifications.info``...) with every other consumer that
    uses them, each message going to one of them; a ``pool`` names a queue
    of its own that receives a copy of every notification (it stays on the
    broker after the listener stops).

    The queue exists when this returns: what is sent from then on is
    received. Returns ``(listener, transport)``; stop with ``stop_listener``.
    """
    conf.set_default('rabbit_qos_prefetch_count', PREFETCH,
                     group='oslo_messaging_rabbit')
    transport = messaging.get_notification_transport(conf, url=url)
    exchange = conf.control_exchange
    targets = [messaging.Target(exchange=exchange, topic=topic)
               for topic in conf.notifications.versioned_notifications_topics]
    listener = messaging.get_notification_listener(
        transport, targets, [EnvelopeEndpoint(callback)],
        executor='threading', pool=pool, allow_requeue=True)
    try:
        # NOTE: one worker, or the executor's thread pool would hand over
        # messages out of order.
        listener.start(override_pool_size=1)
    except Exception:
        transport.cleanup()
        raise
    return listener, transport


def stop_listener(listener, transport):
    """Stop ``listener`` and close ``transport``.

    Returns after the last callback returned.
    """
    listener.stop()
    listener.wait()
    transport.cleanup()
