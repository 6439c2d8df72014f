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

"""The notification transport, and the passwords of its URL.

Notifications are not sent from here: they are recorded in the outbox and
published by relays (``nova.notifications.delivery``), which take this
process's transport from ``get_notification_transport``. A transport URL's
passwords never reach a log or an error message: ``redact`` hides them.
"""

import re
import threading
from urllib import parse

import oslo_messaging as messaging

import nova.conf
from nova import exception

CONF = nova.conf.CONF

NOTIFICATION_TRANSPORT = None
_TRANSPORT_LOCK = threading.Lock()

_REDACTED = '***'
# NOTE: the password of each ``user:password@`` of a URL that oslo.messaging
# cannot parse: it may still be echoed by an error message.
_RAW_PASSWORD = re.compile(r'[/,][^:/@,]*:([^@]+)@')


def url_passwords(conf, url):
    """Return the passwords in transport ``url``, as given and unquoted.

    A URL that oslo.messaging cannot parse is searched for
    ``user:password@`` parts instead.
    """
    passwords = set(_RAW_PASSWORD.findall(url))
    try:
        hosts = messaging.TransportURL.parse(conf, url).hosts
    except (messaging.InvalidTransportURL, ValueError):
        hosts = []
    for host in hosts:
        if host.password:
            passwords.add(host.password)
    for password in list(passwords):
        passwords.update([parse.unquote(password), parse.quote(password),
                          parse.quote(password, safe='')])
    passwords.discard('')
    return tuple(sorted(passwords, key=len, reverse=True))


def redact(text, passwords):
    """Return ``text`` with each of ``passwords`` replaced by ``***``."""
    for password in passwords:
        text = text.replace(password, _REDACTED)
    return text


def redacted_url(conf, url):
    """Return transport ``url`` fit for a log: without its passwords."""
    return redact(url, url_passwords(conf, url))


def notification_transport_url(conf):
    """The URL notifications travel on, as oslo.messaging chooses it."""
    return (conf.oslo_messaging_notifications.transport_url or
            conf.transport_url)


def transport_secrets(conf):
    """Return the passwords of the notification transport URL."""
    url = notification_transport_url(conf)
    if not url:
        return ()
    return url_passwords(conf, url)


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
    secrets = url_passwords(conf, url)
    try:
        hosts = messaging.TransportURL.parse(conf, url).hosts
    except (messaging.InvalidTransportURL, ValueError) as error:
        raise exception.InvalidNotificationTransport(
            url=redact(url, secrets), reason=redact(str(error), secrets))
    for host in hosts:
        for part, value in (('user name', host.username),
                            ('password', host.password)):
            if value and '/' in value:
                raise exception.InvalidNotificationTransport(
                    url=redact(url, secrets),
                    reason='its %s contains "/" (%%2F), which '
                           'oslo.messaging cannot pass to the broker; '
                           'choose one without it' % part)


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
                secrets = url_passwords(conf, url or '')
                raise exception.InvalidNotificationTransport(
                    url=redact(url or '', secrets),
                    reason=redact(str(error), secrets))
        return NOTIFICATION_TRANSPORT


def cleanup():
    """Release the transport's connections; the next use builds another."""
    global NOTIFICATION_TRANSPORT
    with _TRANSPORT_LOCK:
        transport, NOTIFICATION_TRANSPORT = NOTIFICATION_TRANSPORT, None
    if transport is not None:
        transport.cleanup()
