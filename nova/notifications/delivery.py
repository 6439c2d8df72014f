"""Delivery of versioned notifications to a message bus, in bounded time.

oslo.messaging publishes a notification in the caller's thread, and nova
emits while it holds the lock that keeps notifications in commit order, so
a broker that does not answer would hold up every database change of the
process. How long it takes to fail depends on how the broker fails
(measured with RabbitMQ, ``retry=1``): a refused connection fails in about a
second; a port that accepts TCP but never answers costs kombu's 5 s connect
timeout per attempt (11 s); a broker that stops answering on an open
connection is noticed only when the socket timeout
(``[oslo_messaging_rabbit] heartbeat_timeout_threshold``, 60 s) expires.

``BoundedDelivery`` wraps the drivers that talk to the transport
(``messaging``, ``messagingv2``): one sender thread publishes, in order,
while the caller waits at most ``[notifications] delivery_timeout``. A
caller that gives up goes on; until the sender is done with that
notification, further ones are dropped at once instead of queueing behind
it. After a failure, the next notifications are tried once (``retry=0``)
until one gets through, so an outage costs each caller next to nothing.
Every notification that is not delivered is logged at ERROR with its event
type, message_id and the uuid of its subject, never with the transport
URL's credentials.
"""

import queue
import threading
import time
from urllib import parse

from oslo_log import log as logging
import oslo_messaging as messaging

LOG = logging.getLogger(__name__)

TRANSPORT_DRIVERS = frozenset(['messaging', 'messagingv2'])

_REDACTED = '***'


def describe(message):
    """Name a notification for the log: event type, subject and id.

    The subject is the uuid in the payload when it has one (a service, for
    ``service.*``), else its publisher.
    """
    payload = message.get('payload')
    data = payload.get('nova_object.data') if isinstance(payload,
                                                         dict) else None
    uuid = data.get('uuid') if isinstance(data, dict) else None
    subject = ('uuid %s' % uuid if uuid
               else 'publisher %s' % message.get('publisher_id'))
    return '%s for %s (message_id %s)' % (message.get('event_type'), subject,
                                          message.get('message_id'))


def url_passwords(conf, url):
    """Return the passwords in transport ``url``, as given and unquoted.

    :raises oslo_messaging.InvalidTransportURL: if ``url`` cannot be parsed.
    """
    passwords = set()
    for host in messaging.TransportURL.parse(conf, url).hosts:
        if host.password:
            passwords.update([host.password, parse.quote(host.password),
                              parse.quote(host.password, safe='')])
    return tuple(sorted(passwords, key=len, reverse=True))


def redact(text, passwords):
    """Return ``text`` with each of ``passwords`` replaced by ``***``."""
    for password in passwords:
        text = text.replace(password, _REDACTED)
    return text


def redacted_url(conf, url):
    """Return transport ``url`` fit for a log: without its passwords."""
    try:
        return redact(url, url_passwords(conf, url))
    except messaging.InvalidTransportURL:
        return '<unparsable transport URL>'


def transport_secrets(conf):
    """Return the passwords of the notification transport URL."""
    url = (conf.oslo_messaging_notifications.transport_url or
           conf.transport_url)
    if not url:
        return ()
    try:
        return url_passwords(conf, url)
    except messaging.InvalidTransportURL:
        return ()


class _Delivery(object):
    """One notification on its way, and what became of it."""

    __slots__ = ('ctxt', 'message', 'priority', 'retry', 'done', 'error',
                 'abandoned', 'submitted')

    def __init__(self, ctxt, message, priority, retry):
        self.ctxt = ctxt
        self.message = message
        self.priority = priority
        self.retry = retry
        self.done = threading.Event()
        self.error = None
        self.abandoned = False
        self.submitted = time.monotonic()


class BoundedDelivery(object):
    """A notifier driver that makes no caller wait more than ``timeout``.

    It sends what oslo.messaging's ``MessagingDriver`` (or V2) ``driver``
    would, through its transport, from a sender thread of its own, started
    on the first notification and ended by ``stop``. Notifications leave in
    the order of the ``notify`` calls. Failures are logged, never raised.
    """

    def __init__(self, driver, timeout, secrets=()):
        self.driver = driver
        self.timeout = timeout
        self._secrets = tuple(secrets)
        self._lock = threading.Lock()
        self._queue = queue.SimpleQueue()
        self._thread = None
        self._abandoned = 0
        self._failing = False

    def _reason(self, error):
        return redact('%s: %s' % (type(error).__name__, error), self._secrets)

    def notify(self, ctxt, message, priority, retry):
        """Send ``message``, waiting at most ``timeout`` seconds.

        Returns once it is delivered or lost, or when the wait is over.
        """
        with self._lock:
            if self._abandoned:
                LOG.error('Dropped versioned notification %s: the message '
                          'bus has not answered for a previous notification '
                          'within %.1fs.', describe(message), self.timeout)
                return
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._send_loop, name='notification-sender',
                    daemon=True)
                self._thread.start()
            delivery = _Delivery(ctxt, message, priority, retry)
            self._queue.put(delivery)
        if not delivery.done.wait(self.timeout):
            with self._lock:
                if not delivery.done.is_set():
                    delivery.abandoned = True
                    self._abandoned += 1
            if delivery.abandoned:
                LOG.error('Versioned notification %s was not delivered '
                          'within %.1fs: the message bus does not answer. '
                          'Giving up waiting; it is lost unless it gets '
                          'through later.', describe(message), self.timeout)
                return
        if delivery.error is not None:
            LOG.error('Lost versioned notification %s: %s',
                      describe(message), self._reason(delivery.error))

    def _send_loop(self):
        while True:
            delivery = self._queue.get()
            if delivery is None:
                return
            # NOTE: after a failure one attempt each is enough to find out
            # whether the bus is back, and keeps an outage cheap.
            retry = 0 if self._failing else delivery.retry
            error = self._send(delivery, retry)
            with self._lock:
                self._failing = error is not None
                delivery.error = error
                delivery.done.set()
                if delivery.abandoned:
                    self._abandoned -= 1
            if delivery.abandoned:
                self._log_late_outcome(delivery)

    def _send(self, delivery, retry):
        """Send to every topic; return the first failure, or None."""
        # NOTE: this is MessagingDriver.notify without its except clause:
        # that one logs a failure (with the whole message) and returns as if
        # the notification had been sent.
        error = None
        for topic in self.driver.topics:
            target = messaging.Target(
                topic='%s.%s' % (topic, delivery.priority.lower()))
            try:
                self.driver.transport._send_notification(
                    target, delivery.ctxt, delivery.message,
                    version=self.driver.version, retry=retry)
            except Exception as e:
                error = error or e
        return error

    def _log_late_outcome(self, delivery):
        elapsed = time.monotonic() - delivery.submitted
        if delivery.error is None:
            LOG.warning('Versioned notification %s was delivered late, '
                        '%.1fs after it was emitted.',
                        describe(delivery.message), elapsed)
        else:
            LOG.error('Lost versioned notification %s after %.1fs: %s',
                      describe(delivery.message), elapsed,
                      self._reason(delivery.error))

    def stop(self, timeout=None):
        """End the sender thread once it has sent what it was given.

        Waits at most ``timeout`` seconds (default: the delivery timeout);
        a sender still stuck on a silent bus is left behind (it is a daemon
        thread).
        """
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._queue.put(None)
            thread.join(self.timeout if timeout is None else timeout)


def bound_delivery(notifier, conf):
    """Wrap the transport drivers of ``notifier`` in ``BoundedDelivery``.

    Other drivers (``log``, ``test``, ``noop``) cannot block and are left
    as they are. Returns the wrappers, for ``stop``.
    """
    timeout = conf.notifications.delivery_timeout
    secrets = transport_secrets(conf)
    wrappers = []
    # NOTE: oslo.messaging has no hook around its drivers; the Notifier
    # (and every notifier prepare() makes from it) calls ext.obj.notify for
    # each driver extension it loaded.
    for extension in notifier._driver_mgr.extensions:
        if extension.name in TRANSPORT_DRIVERS:
            extension.obj = BoundedDelivery(extension.obj, timeout, secrets)
            wrappers.append(extension.obj)
    return wrappers
