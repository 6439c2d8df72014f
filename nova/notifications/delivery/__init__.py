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

"""The delivery of versioned notifications: one owner, one path.

``NotificationBase.emit()`` hands its message here, and this package alone
decides what becomes of it:

* whether versioned notifications are on (``init``, ``enabled``);
* recording the message in the notification outbox, in the caller's
  database transaction (``record``): it commits with the change or not at
  all, so a committed change always has its notification and a rolled
  back one never has;
* the wire envelope (``envelope``), which the outbox, the relays and the
  consumers share;
* the relays that publish the outbox to the bus, in order per service,
  retrying until the bus accepts (``relay``), run for a program by
  ``start`` and ``stop``.

A relay running in the process that commits is woken by the commit; the
others find the rows at their next poll of the outbox.
"""

import functools
import zlib

from oslo_log import log as logging
from oslo_serialization import jsonutils

from nova.db.main import api as db
from nova.db.main import models
from nova import exception
from nova.notifications.delivery import envelope
from nova.notifications.delivery import publisher
from nova.notifications.delivery import relay
from nova import rpc

LOG = logging.getLogger(__name__)

#: the outbox's shards; a service's notifications are all in one.
SHARDS = models.OUTBOX_SHARDS

# What a program does with its notifications (``start``):
#: a service (nova-api, nova-compute): runs a relay in its threads unless
#: ``[notifications] relay_in_services`` is false.
SERVICE = 'service'
#: a command (nova-manage): publishes what it committed before it exits.
COMMAND = 'command'
#: a relay and nothing else (nova-notification-relay).
RELAY = 'relay'

_VERSIONED_FORMATS = ('both', 'versioned')

_ENABLED = False
# NOTE: the relay of this process, which its commits wake, and its kind.
_RELAY = None
_KIND = None


def configured(conf):
    """Whether ``conf`` asks for versioned notifications to be sent.

    They are when ``[notifications] notification_format`` includes them and
    a driver other than ``noop`` is configured.
    """
    drivers = [name for name in conf.oslo_messaging_notifications.driver
               if name != 'noop']
    return bool(drivers) and (conf.notifications.notification_format in
                              _VERSIONED_FORMATS)


def init(conf):
    """Read whether versioned notifications are on, once per process."""
    global _ENABLED
    stop(timeout=0)
    _ENABLED = configured(conf)


def enabled():
    """Whether versioned notifications are recorded and sent."""
    return _ENABLED


def if_enabled(f):
    """Call ``f`` only when versioned notifications are sent, else None."""
    @functools.wraps(f)
    def wrapped(*args, **kwargs):
        if _ENABLED:
            return f(*args, **kwargs)
        return None
    return wrapped


def shard_of(key):
    """Return the outbox shard of ``key`` (a service uuid, or a publisher).

    Stable across processes and Python versions.
    """
    return zlib.crc32(key.encode('utf-8')) % SHARDS


def _redacted_context(context):
    # NOTE: the context travels with the message as oslo.messaging's
    # Notifier would send it: without the auth token and other secrets.
    try:
        return context.redacted_copy().to_dict()
    except AttributeError:
        return {}


def record(context, message, service_uuid=None):
    """Record ``message`` (an ``envelope``) in the outbox, for the relays.

    The row belongs to the caller's writer transaction, whose commit wakes
    the relay of this process. Rows about one service keep the order in
    which their changes committed, as long as the caller wrote (and so
    locked) the service's row first.

    :param service_uuid: the service the notification is about; its
        notifications share a shard. Without one, the publisher's.
    """
    shard = shard_of(service_uuid or message['publisher_id'])
    values = envelope.to_row(message)
    values.update(context=jsonutils.dumps(_redacted_context(context)),
                  service_uuid=service_uuid, shard=shard)
    db.notification_outbox_add(context, values,
                               on_commit=lambda: _committed(shard))


def _committed(shard):
    running = _RELAY
    if running is not None:
        running.wake((shard,))


def start(conf, program, kind=SERVICE):
    """Start delivering the notifications of ``program``, this process.

    * ``SERVICE``: a relay in threads of this process, which publishes at
      once what the process commits and, every ``relay_poll_interval``,
      what others committed; none when ``[notifications]
      relay_in_services`` is false (the drivers are checked all the same).
    * ``COMMAND``: no thread; ``stop`` publishes what the process
      committed.
    * ``RELAY``: a relay in threads, whatever ``relay_in_services`` says.

    Nothing runs when versioned notifications are off. Returns the relay
    of this process, or None.

    :raises: NotificationDriverNotFound, InvalidNotificationTransport;
        NotificationsDisabled for a ``RELAY`` when they are off.
    """
    global _RELAY, _KIND
    _stop(timeout=0)
    if not _ENABLED:
        if kind == RELAY:
            raise exception.NotificationsDisabled()
        return None
    if kind == SERVICE and not conf.notifications.relay_in_services:
        # NOTE: the relays that publish apart use the same drivers: a
        # service refuses one they would refuse.
        publisher.driver_names(conf)
        return None
    running = relay.Relay(conf, program)
    if kind != COMMAND:
        running.start()
    _RELAY, _KIND = running, kind
    return running


def stop(timeout=None):
    """Stop this process's relay, publishing what the process committed.

    For at most ``timeout`` seconds (by default ``[notifications]
    relay_flush_timeout``); what is left waits in the outbox for any
    relay. Then the transport's connections are released. Returns whether
    nothing was left.
    """
    try:
        return _stop(timeout)
    finally:
        rpc.cleanup()


def _stop(timeout):
    global _RELAY, _KIND
    running, kind = _RELAY, _KIND
    _RELAY = _KIND = None
    if running is None:
        return True
    if kind != COMMAND:
        return running.stop(timeout)
    # NOTE: the changes are committed whatever happens here; their
    # notifications wait in the outbox for any relay when they cannot be
    # published now.
    try:
        done = running.flush_committed(timeout)
    except Exception as error:
        LOG.debug('Publishing the notifications failed', exc_info=True)
        LOG.warning('Could not publish the notifications of this command '
                    '(%s); they wait in the outbox for a relay.',
                    type(error).__name__)
        return False
    if not done:
        LOG.warning('The notifications of this command wait in the '
                    'outbox; a running relay (nova-api, nova-compute or '
                    'nova-notification-relay) will publish them.')
    return done
