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
from nova import exception
from nova.notifications import redaction

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


def check_transport_url(conf, url):
    """Refuse a transport URL that oslo.messaging cannot use safely.

    oslo.messaging's RabbitMQ driver rebuilds the URL for kombu quoting the
    user name and the password with ``/`` left as it is, so a ``/`` in them
    (``%2F`` in the URL) splits the URL there: the connection fails and the
    part before the ``/`` is logged as a host name.

    :raises InvalidNotificationTransport: naming the problem, never the
        password.
    """
    if not url:
        return
    secrets = redaction.url_passwords(conf, url)
    try:
        hosts = messaging.TransportURL.parse(conf, url).hosts
    except (messaging.InvalidTransportURL, ValueError) as error:
        raise exception.InvalidNotificationTransport(
            url=redaction.redact(url, secrets),
            reason=redaction.redact(str(error), secrets))
    for host in hosts:
        for part, value in (('user name', host.username),
                            ('password', host.password)):
            if value and '/' in value:
                raise exception.InvalidNotificationTransport(
                    url=redaction.redact(url, secrets),
                    reason='its %s contains "/" (%%2F), which '
                           'oslo.messaging cannot pass to the broker; '
                           'choose one without it' % part)


def notification_transport_url(conf):
    """The URL notifications travel on, as oslo.messaging chooses it."""
    return (conf.oslo_messaging_notifications.transport_url or
            conf.transport_url)


def get_notification_transport(conf=CONF):
    """Return this process's notification transport, built on first use.

    :raises InvalidNotificationTransport: see ``check_transport_url``.
    """
    global NOTIFICATION_TRANSPORT
    with _TRANSPORT_LOCK:
        if NOTIFICATION_TRANSPORT is None:
            url = notification_transport_url(conf)
            check_transport_url(conf, url)
            try:
                NOTIFICATION_TRANSPORT = (
                    messaging.get_notification_transport(conf))
            except messaging.DriverLoadFailure as error:
                secrets = redaction.url_passwords(conf, url or '')
                raise exception.InvalidNotificationTransport(
                    url=redaction.redact(url or '', secrets),
                    reason=redaction.redact(str(error), secrets))
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
