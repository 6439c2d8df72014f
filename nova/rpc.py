"""The versioned notifier: oslo.messaging set up from nova's configuration.

``init`` builds it once per process; ``get_versioned_notifier`` hands out
notifiers bound to a publisher. Notifications go to the control exchange
(``nova``) on the ``[notifications] versioned_notifications_topics``.
"""

import functools

import oslo_messaging as messaging
from oslo_serialization import jsonutils

import nova.conf
from nova.notifications import delivery

CONF = nova.conf.CONF

NOTIFICATION_TRANSPORT = None
NOTIFIER = None
_BOUNDED_DELIVERIES = []

_VERSIONED_FORMATS = ('both', 'versioned')


class JsonPayloadSerializer(messaging.NoOpSerializer):
    """Hand any payload to the driver as JSON-compatible primitives."""

    @staticmethod
    def serialize_entity(context, entity):
        return jsonutils.to_primitive(entity, convert_instances=True)

    @staticmethod
    def serialize_context(context):
        # NOTE: oslo.messaging hands over a copy already redacted of its
        # secrets (auth_token...); drivers need a plain dict.
        return context.to_dict() if hasattr(context, 'to_dict') else context


class VersionedPayloadSerializer(JsonPayloadSerializer):
    """Hand a versioned object primitive to the driver as it is.

    ``obj_to_primitive`` already yields only JSON types (field types turn
    datetimes and uuids into strings); walking it again would add a good
    part of the cost of an emit.
    """

    @staticmethod
    def serialize_entity(context, entity):
        return entity


def init(conf):
    """Build the notification transport and the versioned notifier."""
    global NOTIFICATION_TRANSPORT, NOTIFIER, _BOUNDED_DELIVERIES
    cleanup()
    NOTIFICATION_TRANSPORT = messaging.get_notification_transport(conf)
    if conf.notifications.notification_format in _VERSIONED_FORMATS:
        NOTIFIER = messaging.Notifier(
            NOTIFICATION_TRANSPORT,
            publisher_id='nova',
            serializer=VersionedPayloadSerializer(),
            topics=conf.notifications.versioned_notifications_topics)
        _BOUNDED_DELIVERIES = delivery.bound_delivery(NOTIFIER, conf)
    else:
        NOTIFIER = messaging.Notifier(NOTIFICATION_TRANSPORT,
                                      serializer=JsonPayloadSerializer(),
                                      driver='noop')


def cleanup():
    """Release the transport's connections; notifications stop until init."""
    global NOTIFICATION_TRANSPORT, NOTIFIER, _BOUNDED_DELIVERIES
    for bounded in _BOUNDED_DELIVERIES:
        bounded.stop()
    if NOTIFICATION_TRANSPORT is not None:
        NOTIFICATION_TRANSPORT.cleanup()
    NOTIFICATION_TRANSPORT = NOTIFIER = None
    _BOUNDED_DELIVERIES = []


def notifications_enabled():
    """Whether versioned notifications are configured to be sent."""
    return (NOTIFIER is not None and NOTIFIER.is_enabled() and
            CONF.notifications.notification_format in _VERSIONED_FORMATS)


def if_notifications_enabled(f):
    """Call ``f`` only when versioned notifications are sent, else return None.

    It also spares the cost of building a notification nobody will receive.
    """
    @functools.wraps(f)
    def wrapped(*args, **kwargs):
        if notifications_enabled():
            return f(*args, **kwargs)
        return None
    return wrapped


def get_versioned_notifier(publisher_id):
    """Return the versioned notifier bound to ``publisher_id``."""
    return NOTIFIER.prepare(publisher_id=publisher_id)
