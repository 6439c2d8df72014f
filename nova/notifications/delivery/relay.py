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

"""Relays: publish the notification outbox to the message bus, in order.

A relay publishes the pending rows of the notification outbox, oldest
first, through the configured notifier drivers, and marks a row delivered
only once the drivers returned (with RabbitMQ: once the broker confirmed
it). The outbox is cut into shards, a service's rows always in the same one;
a relay publishes a shard only while it holds the shard's lease in the
database, so any number of relays can share a database and a service's
notifications still leave one at a time, in commit order. A relay that dies
loses its leases when they expire (``[notifications] relay_lease_time``);
another relay then goes on where it stopped. Delivery is at least once: a
relay that dies between publishing and marking a row, or a message the bus
accepted twice, makes a duplicate with the same ``message_id``.

While the bus fails, a shard is tried again after a wait that starts at half
a second and doubles up to ``relay_retry_max_interval``, one shard at a time;
an outage is logged once at ERROR when it starts and once when it ends. The
request path never waits for any of this.
"""

import datetime
import os
import threading
import time

from oslo_log import log as logging
from oslo_serialization import jsonutils
from oslo_utils import timeutils
from oslo_utils import uuidutils
import stevedore

from nova import context as nova_context
from nova.db.main import api as db
from nova import exception
from nova.notifications.delivery import envelope
from nova.notifications import drivers as relay_drivers
from nova import rpc

LOG = logging.getLogger(__name__)

DRIVER_NAMESPACE = 'oslo.messaging.notify.drivers'

_FIRST_RETRY = 0.5
_FIRST_LEASE_WAIT = 0.05
_PURGE_INTERVAL = 3600.0
_PURGE_BATCH = 1000
_ERROR_LENGTH = 1000


def driver_names(conf):
    """Return the notifier drivers a relay publishes with, by name.

    ``[oslo_messaging_notifications] driver`` names them; ``messaging`` and
    ``messagingv2`` become their failure-reporting twins, ``noop`` is left
    out.

    :raises NotificationDriverNotFound: naming the unknown drivers and the
        known ones.
    """
    names = [relay_drivers.relay_driver_name(name)
             for name in conf.oslo_messaging_notifications.driver
             if name != 'noop']
    known = set(stevedore.ExtensionManager(DRIVER_NAMESPACE).names())
    unknown = [name for name in names if name not in known]
    if unknown:
        raise exception.NotificationDriverNotFound(
            names=', '.join(unknown), known=', '.join(sorted(known)))
    return names


def load_drivers(conf, transport):
    """Load the notifier drivers a relay publishes with (``driver_names``).

    :raises NotificationDriverNotFound: naming the unknown drivers and the
        known ones.
    """
    names = driver_names(conf)
    manager = stevedore.NamedExtensionManager(
        DRIVER_NAMESPACE, names, invoke_on_load=True,
        invoke_args=(conf,),
        invoke_kwds={
            'topics': conf.notifications.versioned_notifications_topics,
            'transport': transport},
        name_order=True, on_load_failure_callback=_load_failure)
    return [extension.obj for extension in manager]


def _load_failure(manager, entrypoint, error):
    raise error


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


def describe(row):
    """Name a notification of the outbox for the log."""
    subject = ('service %s' % row.service_uuid if row.service_uuid
               else 'publisher %s' % row.publisher_id)
    return '%s for %s (message_id %s)' % (row.event_type, subject,
                                          row.message_id)


def purge_delivered(context, before, stop=lambda: False):
    """Delete the notifications delivered before ``before``, in batches.

    Pending notifications are never deleted. ``stop()`` is asked between
    batches. Returns how many were deleted.
    """
    total = 0
    while not stop():
        count = db.notification_outbox_purge(context, before, _PURGE_BATCH)
        total += count
        if count < _PURGE_BATCH:
            break
    if total:
        LOG.info('Purged %d delivered notifications from before %s',
                 total, before)
    return total


class _Outage(object):
    """A run of failed attempts, from the first to the next success."""

    def __init__(self):
        self.started = time.monotonic()
        self.failures = 1


class Relay(object):
    """Publishes the outbox's pending notifications, in order per service.

    ``start`` runs it in threads of this process (``[notifications]
    relay_publishers`` publishers and a watcher); ``stop`` ends them and
    publishes what is left of this process's notifications, within
    ``relay_flush_timeout``. Without ``start``, ``flush`` publishes in the
    calling thread (what nova-manage and tests do).

    :param name: what runs the relay (``nova-api``...), in its lease owner
        name with the host and the process id.
    :raises NotificationDriverNotFound: for an unknown notifier driver;
        InvalidNotificationTransport for a transport URL that cannot be
        used.
    """

    def __init__(self, conf, name):
        self.conf = conf
        self.owner = '%s:%s:%d:%s' % (conf.host, name, os.getpid(),
                                      uuidutils.generate_uuid()[:8])
        self._options = conf.notifications
        self._secrets = rpc.transport_secrets(conf)
        self._drivers = load_drivers(conf,
                                     rpc.get_notification_transport(conf))
        self._retry = relay_retry(conf)
        self._context = nova_context.get_admin_context()
        self._cond = threading.Condition()
        # NOTE: shard -> when it was first wanted: served first come, first
        # served, so that busy shards cannot starve the others.
        self._wanted = {}
        self._busy = set()
        self._not_before = {}
        self._backoff = {}
        self._lease_wait = {}
        self._leases = {}
        self._outage = None
        self._probe_at = 0.0
        self._probe_backoff = 0.0
        self._stopping = threading.Event()
        self._threads = []

    # Running in threads

    def start(self):
        """Publish from threads of this process until ``stop``."""
        self._stopping.clear()
        self._threads = [threading.Thread(
            target=self._publish_loop, name='notification-relay-%d' % index,
            daemon=True) for index in range(self._options.relay_publishers)]
        self._threads.append(threading.Thread(
            target=self._watch_loop, name='notification-relay-watcher',
            daemon=True))
        for thread in self._threads:
            thread.start()
        LOG.info('Notification relay %s started: %d publishers, polling '
                 'every %.2f s', self.owner, self._options.relay_publishers,
                 self._options.relay_poll_interval)

    def wake(self, shards):
        """Have ``shards`` published as soon as possible."""
        now = time.monotonic()
        with self._cond:
            for shard in shards:
                self._wanted.setdefault(shard, now)
            self._cond.notify_all()

    def stop(self, timeout=None):
        """Stop the threads, then publish what this process left, in time.

        Returns whether nothing this relay knew of was left pending.
        """
        timeout = (self._options.relay_flush_timeout if timeout is None
                   else timeout)
        deadline = time.monotonic() + timeout
        with self._cond:
            self._stopping.set()
            self._cond.notify_all()
        for thread in self._threads:
            # NOTE: a publisher stuck on a silent bus is left behind (it is
            # a daemon thread); its shard's lease expires.
            thread.join(max(0.0, deadline - time.monotonic()))
        self._threads = []
        done = self.flush_committed(max(0.0, deadline - time.monotonic()))
        LOG.info('Notification relay %s stopped%s', self.owner,
                 '' if done else '; pending notifications are left to '
                 'other relays')
        return done

    def flush_committed(self, timeout=None):
        """Publish what this relay was told of and did not publish yet.

        Those are the shards it was woken for (and, once started, those it
        found pending), within ``timeout`` seconds (by default
        ``relay_flush_timeout``). Returns as ``flush``.
        """
        if timeout is None:
            timeout = self._options.relay_flush_timeout
        with self._cond:
            shards = set(self._wanted)
        return self.flush(timeout, shards)

    def flush(self, timeout, shards=None):
        """Publish the pending notifications of ``shards`` (default: all).

        In the calling thread, for at most ``timeout`` seconds (plus the
        attempt in progress then), and no further once the bus failed. A
        shard another relay holds is left to it. Returns whether every
        shard was emptied or is being published by another relay.
        """
        deadline = time.monotonic() + timeout
        if shards is None:
            shards = db.notification_outbox_pending_shards(self._context)
        done = True
        try:
            for shard in sorted(shards):
                if time.monotonic() >= deadline:
                    done = False
                    break
                if not self._claim(shard, deadline):
                    done = False
                    continue
                try:
                    emptied = self._drain(shard, deadline, flushing=True)
                finally:
                    self._release(shard)
                if emptied is False:
                    done = False
                    if self._outage is not None:
                        # NOTE: the bus fails: another attempt would only
                        # cost another wait for it.
                        break
        finally:
            # NOTE: whoever flushes may exit next: its leases must not keep
            # other relays waiting.
            self.release_leases(idle_for=0.0)
        return done

    def _claim(self, shard, deadline):
        with self._cond:
            while shard in self._busy:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._cond.wait(remaining)
            self._busy.add(shard)
            self._wanted.pop(shard, None)
            return True

    def _release(self, shard):
        with self._cond:
            self._busy.discard(shard)
            self._cond.notify_all()

    def _publish_loop(self):
        while True:
            shard = self._next_shard()
            if shard is None:
                return
            try:
                self._drain(shard)
            except Exception:
                LOG.exception('Notification relay %s failed on shard %d',
                              self.owner, shard)
                self._later(shard, self._options.relay_poll_interval)
            finally:
                self._release(shard)

    def _next_shard(self):
        """Wait for a shard to publish; None once stopping."""
        with self._cond:
            while not self._stopping.is_set():
                now = time.monotonic()
                waits = {shard: max(self._not_before.get(shard, 0.0), since)
                         for shard, since in self._wanted.items()
                         if shard not in self._busy}
                if self._outage is not None:
                    # NOTE: while the bus fails, one probe at a time.
                    waits = ({} if self._busy else
                             {shard: max(wait, self._probe_at)
                              for shard, wait in waits.items()})
                if waits:
                    shard = min(waits, key=waits.get)
                    if waits[shard] <= now:
                        del self._wanted[shard]
                        self._busy.add(shard)
                        return shard
                self._cond.wait(min(waits.values()) - now if waits
                                else None)
            return None

    def _later(self, shard, delay):
        with self._cond:
            now = time.monotonic()
            self._not_before[shard] = now + delay
            self._wanted.setdefault(shard, now)
            self._cond.notify_all()

    def _watch_loop(self):
        next_purge = time.monotonic()
        while not self._stopping.is_set():
            try:
                self.wake(db.notification_outbox_pending_shards(
                    self._context))
                self.release_leases(
                    idle_for=self._options.relay_poll_interval)
                if time.monotonic() >= next_purge:
                    self.purge()
                    next_purge = time.monotonic() + _PURGE_INTERVAL
            except exception.DatabaseUnavailable as error:
                # NOTE: the database API logs the outage, once.
                LOG.debug('Notification relay %s cannot read the outbox: '
                          '%s', self.owner, error)
            except Exception as error:
                LOG.warning('Notification relay %s cannot read the outbox: '
                            '%s', self.owner, self._reason(error))
            self._stopping.wait(self._options.relay_poll_interval)

    def purge(self, before=None):
        """Delete delivered notifications older than the retention.

        Returns how many were deleted.
        """
        if before is None:
            before = timeutils.utcnow() - _hours(
                self._options.outbox_retention_hours)
        return purge_delivered(self._context, before, self._stopping.is_set)

    # Publishing a shard

    def _lease_expiry(self, now):
        return now + _seconds(self._options.relay_lease_time)

    def release_leases(self, idle_for):
        """Give up the leases of shards unused for ``idle_for`` seconds.

        A relay keeps a shard's lease between batches, so that publishing a
        notification costs one write of the database (marking it, which
        renews the lease) rather than three.
        """
        now = time.monotonic()
        with self._cond:
            idle = [shard for shard, (_expiry, used) in self._leases.items()
                    if shard not in self._busy and now - used >= idle_for]
            for shard in idle:
                del self._leases[shard]
        if idle:
            try:
                db.notification_lease_release(self._context, idle,
                                              self.owner)
            except Exception as error:
                LOG.warning('Notification relay %s could not release its '
                            'leases (they expire by themselves): %s',
                            self.owner, self._reason(error))

    def _hold(self, shard, expiry):
        with self._cond:
            self._leases[shard] = (expiry, time.monotonic())

    def _drain(self, shard, deadline=None, flushing=False):
        """Publish ``shard`` while holding its lease, until it is empty.

        Returns True once it is empty, None when another relay holds it,
        False when a notification failed, time ran out or the relay stops.
        """
        now = timeutils.utcnow()
        with self._cond:
            expiry, _used = self._leases.get(shard, (None, None))
        # NOTE: renewed at least half a lease before it expires.
        if expiry is None or expiry - now < _seconds(
                self._options.relay_lease_time / 2.0):
            expiry = self._lease_expiry(now)
            if not db.notification_lease_acquire(
                    self._context, shard, self.owner, expiry, now):
                with self._cond:
                    self._leases.pop(shard, None)
                if not flushing:
                    # NOTE: its holder publishes it; looking again soon
                    # covers a row it did not see before it let go.
                    self._later(shard, self._next_lease_wait(shard))
                return None
            self._lease_wait.pop(shard, None)
        self._hold(shard, expiry)
        return self._drain_held(shard, deadline, flushing)

    def _drain_held(self, shard, deadline, flushing):
        batch = self._options.relay_batch_size
        while True:
            rows = db.notification_outbox_get_pending(self._context, shard,
                                                      batch)
            if not rows:
                return True
            published, failure = self._publish(rows)
            now = timeutils.utcnow()
            expiry = self._lease_expiry(now)
            held = db.notification_outbox_mark_delivered(
                self._context, shard, self.owner,
                [row.id for row in published], now, expiry)
            if held:
                self._hold(shard, expiry)
            else:
                with self._cond:
                    self._leases.pop(shard, None)
            if published:
                self._succeeded(shard)
            if failure is not None:
                row, error = failure
                reason = self._reason(error)
                db.notification_outbox_mark_failed(self._context, row.id,
                                                   reason, now)
                self._failed(shard, row, reason, flushing)
                return False
            if not held:
                LOG.warning('Notification relay %s lost the lease of shard '
                            '%d (it took longer than %d s); another relay '
                            'goes on with it', self.owner, shard,
                            self._options.relay_lease_time)
                return False
            if len(rows) < batch:
                # NOTE: what this process commits next wakes the shard
                # again; what others commit, the watcher finds.
                return True
            if ((deadline is not None and time.monotonic() >= deadline) or
                    (self._stopping.is_set() and not flushing)):
                self.wake([shard])
                return False

    def _publish(self, rows):
        """Publish ``rows`` in order; return (published, (row, error))."""
        published = []
        for row in rows:
            try:
                message = envelope.from_row(row)
                ctxt = jsonutils.loads(row.context)
                for driver in self._drivers:
                    driver.notify(ctxt, message, row.priority, self._retry)
            except Exception as error:
                return published, (row, error)
            published.append(row)
        return published, None

    def _reason(self, error):
        text = rpc.redact('%s: %s' % (type(error).__name__, error),
                          self._secrets)
        return text[:_ERROR_LENGTH]

    def _next_lease_wait(self, shard):
        wait = min(max(self._lease_wait.get(shard, 0.0) * 2,
                       _FIRST_LEASE_WAIT),
                   self._options.relay_poll_interval)
        self._lease_wait[shard] = wait
        return wait

    def _failed(self, shard, row, reason, flushing):
        cap = self._options.relay_retry_max_interval
        with self._cond:
            backoff = min(max(self._backoff.get(shard, 0.0) * 2,
                              _FIRST_RETRY), cap)
            self._backoff[shard] = backoff
            self._probe_backoff = min(max(self._probe_backoff * 2,
                                          _FIRST_RETRY), cap)
            self._probe_at = time.monotonic() + self._probe_backoff
            starts = self._outage is None
            if starts:
                self._outage = _Outage()
            else:
                self._outage.failures += 1
        if not flushing:
            self._later(shard, backoff)
        if starts:
            LOG.error('Cannot publish notification %s: %s. It stays in the '
                      'notification outbox with those after it, and is '
                      'tried again after %g s, then up to every %g s.',
                      describe(row), reason, backoff, cap)
        else:
            LOG.debug('Still cannot publish notification %s: %s',
                      describe(row), reason)

    def _succeeded(self, shard):
        with self._cond:
            self._backoff.pop(shard, None)
            self._not_before.pop(shard, None)
            outage, self._outage = self._outage, None
            self._probe_backoff = 0.0
            self._probe_at = 0.0
            self._cond.notify_all()
        if outage is not None:
            LOG.warning('Notifications are published again after %.1f s and '
                        '%d failed attempts; those that waited in the outbox '
                        'follow in order.',
                        time.monotonic() - outage.started, outage.failures)


def _seconds(value):
    return datetime.timedelta(seconds=value)


def _hours(value):
    return datetime.timedelta(hours=value)
