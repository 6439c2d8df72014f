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

import functools

import oslo_messaging as messaging

from nova.notifications.delivery import envelope
from nova import rpc


# NOTE: the priorities oslo.messaging hands to the endpoint method of that
# name.
PRIORITIES = ('audit', 'debug', 'info', 'warn', 'error', 'critical',
              'sample')


def _endpoint_of_every_priority(cls):
    """Give ``cls`` a method per priority, calling ``_receive(priority)``."""
    for priority in PRIORITIES:
        setattr(cls, priority,
                functools.partialmethod(cls._receive, priority))
    return cls


def _result(taken):
    if taken is False:
        return messaging.NotificationResult.REQUEUE
    return messaging.NotificationResult.HANDLED


@_endpoint_of_every_priority
class EnvelopeEndpoint(object):
    """An endpoint of every priority, calling ``callback(envelope)``.

    A callback that returns ``False`` did not take the message: it goes
    back to the queue, for another consumer or a later start.
    """

    def __init__(self, callback):
        self.callback = callback

    def _receive(self, priority, ctxt, publisher_id, event_type, payload,
                 metadata):
        return _result(self.callback(envelope.from_listener(
            priority, publisher_id, event_type, payload, metadata)))


@_endpoint_of_every_priority
class BatchEnvelopeEndpoint(object):
    """An endpoint of a batch listener, calling ``callback(envelopes)``.

    oslo.messaging hands a batch over grouped by priority, each group in
    the order of the queue, one call per group. A callback that returns
    ``False`` took none of its group: all of it goes back to the queue.
    """

    def __init__(self, callback):
        self.callback = callback

    def _receive(self, priority, messages):
        return _result(self.callback([
            envelope.from_listener(
                priority, message['publisher_id'], message['event_type'],
                message['payload'], message['metadata'])
            for message in messages]))


def transport_url(conf, override=None):
    """Return the URL notifications travel on.

    ``override`` first, then ``[oslo_messaging_notifications]
    transport_url``, then ``[DEFAULT] transport_url``, as oslo.messaging
    chooses.
    """
    return override or rpc.notification_transport_url(conf)


# NOTE: the messages a listener takes from the queue ahead of its callback
# (unless [oslo_messaging_rabbit] rabbit_qos_prefetch_count says otherwise).
# Without a limit the broker sends the whole backlog at once, and a listener
# that stops early (--max-messages) has to hand all of it back first.
PREFETCH = 100
# NOTE: how long a batch listener waits for a batch to fill up.
BATCH_TIMEOUT = 0.1


def start_listener(conf, callback, url=None, pool=None, batch_size=None):
    """Start delivering the versioned notifications to ``callback``.

    Messages are handed over one at a time, in the order the queue holds
    them; with ``batch_size``, in lists of at most that many (at most
    ``PREFETCH``), as ``BatchEnvelopeEndpoint`` says, which costs the
    listener a third less per message. Without ``pool`` the listener
    shares the topics' default queues (``versioned_notifications.info``...)
    with every other consumer that uses them, each message going to one of
    them; a ``pool`` names a queue of its own that receives a copy of every
    notification (it stays on the broker after the listener stops).

    The queue exists when this returns: what is sent from then on is
    received. Returns ``(listener, transport)``; stop with ``stop_listener``.
    """
    conf.set_default('rabbit_qos_prefetch_count', PREFETCH,
                     group='oslo_messaging_rabbit')
    transport = messaging.get_notification_transport(conf, url=url)
    exchange = conf.control_exchange
    targets = [messaging.Target(exchange=exchange, topic=topic)
               for topic in conf.notifications.versioned_notifications_topics]
    if batch_size is None:
        listener = messaging.get_notification_listener(
            transport, targets, [EnvelopeEndpoint(callback)],
            executor='threading', pool=pool, allow_requeue=True)
    else:
        listener = messaging.get_batch_notification_listener(
            transport, targets, [BatchEnvelopeEndpoint(callback)],
            executor='threading', pool=pool, allow_requeue=True,
            batch_size=batch_size, batch_timeout=BATCH_TIMEOUT)
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
