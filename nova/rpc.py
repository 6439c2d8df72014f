"""The notification transport and whether versioned notifications are on.

``init`` reads the configuration once per process. Notifications are not
sent from here: they are written to the outbox (``nova.notifications.
outbox``) and published by relays, which take their transport from
``get_notification_transport``.
"""

import functools
import threading

import oslo_messaging as messaging

import nova.conf

CONF = nova.conf.CONF

NOTIFICATION_TRANSPORT = None
_ENABLED = False
_TRANSPORT_LOCK = threading.Lock()

_VERSIONED_FORMATS = ('both', 'versioned')


def versioned_notifications_configured(conf):
    """Whether ``conf`` asks for versioned notifications to be sent.

    They are when ``[notifications] notification_format`` includes them and
    a driver other than ``noop`` is configured.
    """
    drivers = [name for name in conf.oslo_messaging_notifications.driver
               if name != 'noop']
    return bool(drivers) and (conf.notifications.notification_format in
                              _VERSIONED_FORMATS)


def init(conf):
    """Read whether versioned notifications are on; forget any transport."""
    global _ENABLED
    cleanup()
    _ENABLED = versioned_notifications_configured(conf)


def get_notification_transport(conf=CONF):
    """Return this process's notification transport, built on first use."""
    global NOTIFICATION_TRANSPORT
    with _TRANSPORT_LOCK:
        if NOTIFICATION_TRANSPORT is None:
            NOTIFICATION_TRANSPORT = messaging.get_notification_transport(
                conf)
        return NOTIFICATION_TRANSPORT


def cleanup():
    """Release the transport's connections and turn notifications off."""
    global NOTIFICATION_TRANSPORT, _ENABLED
    with _TRANSPORT_LOCK:
        transport, NOTIFICATION_TRANSPORT = NOTIFICATION_TRANSPORT, None
        _ENABLED = False
    if transport is not None:
        transport.cleanup()


def notifications_enabled():
    """Whether versioned notifications are recorded and sent."""
    return _ENABLED


def if_notifications_enabled(f):
    """Call ``f`` only when versioned notifications are sent, else return None.

    It also spares the cost of building a notification nobody will receive.
    """
    @functools.wraps(f)
    def wrapped(*args, **kwargs):
        if _ENABLED:
            return f(*args, **kwargs)
        return None
    return wrapped
