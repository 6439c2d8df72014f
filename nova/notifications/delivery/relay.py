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
first, and marks a row delivered only once the bus took it (with RabbitMQ:
once the broker confirmed it). The outbox is cut into shards, a service's
rows always in the same one, and a relay publishes a shard only while it
holds the shard's lease (``leases``): any number of relays can share a
database and a service's notifications still leave one at a time, in
commit order. Delivery is at least once: a relay that dies between
publishing and marking a row, or a message the bus accepted twice, makes a
duplicate with the same ``message_id``.

A relay is made of parts: which shard its publishers serve next
(``scheduler``), the leases (``leases``), the waits while the bus fails and
the report of an outage (``backoff``), and the drivers that publish
(``publisher``). This module runs them: publisher threads, woken by the
commits of this process, and a watcher that looks for what other
processes committed. The request path never waits for any of this.
"""

import datetime
import threading
import time

from oslo_log import log as logging
from oslo_utils import timeutils

from nova import context as nova_context
from nova.db.main import api as db
from nova import exception
from nova.notifications.delivery import backoff
from nova.notifications.delivery import leases
from nova.notifications.delivery import publisher
from nova.notifications.delivery import scheduler

LOG = logging.getLogger(__name__)

# NOTE: the first wait before a relay looks again at a shard another relay
# holds; it doubles up to the poll interval.
_FIRST_LEASE_WAIT = 0.05
_PURGE_INTERVAL = 3600.0
_PURGE_BATCH = 1000

# What _drain says of a shard.
EMPTIED = 'emptied'
ELSEWHERE = 'elsewhere'
UNFINISHED = 'unfinished'


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


class Relay(object):
    """Publishes the outbox's pending notifications, in order per service.

    ``start`` runs it in threads of this process (``[notifications]
    relay_publishers`` publishers and a watcher); ``stop`` ends them and
    publishes what is left of this process's notifications, within
    ``relay_flush_timeout``. Without ``start``, ``flush`` publishes in the
    calling thread (what nova-manage and tests do).

    :param name: what runs the relay (``nova-api``...), in the name of its
        leases' owner with the host and the process.
    :raises NotificationDriverNotFound: for an unknown notifier driver;
        InvalidNotificationTransport for a transport URL that cannot be
        used.
    """

    def __init__(self, conf, name):
        self._options = conf.notifications
        self._publisher = publisher.Publisher(conf)
        self._context = nova_context.get_admin_context()
        self._leases = leases.Leases(self._context,
                                     leases.owner_name(conf.host, name),
                                     self._options.relay_lease_time)
        self.owner = self._leases.owner
        self._scheduler = scheduler.Scheduler()
        self._backoff = backoff.Backoff(
            self._options.relay_retry_max_interval)
        # NOTE: shard -> the wait before looking again at a shard another
        # relay holds.
        self._lease_waits = {}
        self._stopping = threading.Event()
        self._threads = []

    # Running in threads

    def start(self):
        """Publish from threads of this process until ``stop``."""
        self._stopping.clear()
        self._scheduler.start()
        self._threads = [threading.Thread(
            target=self._publish_loop, name='notification-relay-%d' % index,
            daemon=True) for index in range(self._options.relay_publishers)]
        self._threads.append(threading.Thread(
            target=self._watch_loop, name='notification-relay-watcher',
            daemon=True))
        for thread in self._threads:
            thread.start()
        LOG.info('Notification relay %s started: %d publishers, looking at '
                 'the outbox every %.2f s', self.owner,
                 self._options.relay_publishers,
                 self._options.relay_poll_interval)

    def wake(self, shards):
        """Have ``shards`` published as soon as possible."""
        self._scheduler.wake(shards)

    def stop(self, timeout=None):
        """Stop the threads, then publish what this process left, in time.

        Returns whether nothing this relay knew of was left pending.
        """
        timeout = (self._options.relay_flush_timeout if timeout is None
                   else timeout)
        deadline = time.monotonic() + timeout
        self._stopping.set()
        self._scheduler.stop()
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
        return self.flush(timeout, self._scheduler.wanted())

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
        for shard in sorted(shards):
            if (time.monotonic() >= deadline or
                    not self._scheduler.take_now(shard, deadline)):
                done = False
                break
            try:
                outcome = self._drain(shard, deadline, flushing=True)
            finally:
                self._scheduler.done(shard)
            if outcome == UNFINISHED:
                done = False
                if self._backoff.in_outage:
                    # NOTE: the bus fails: another attempt would only cost
                    # another wait for it.
                    break
        return done

    def _publish_loop(self):
        while True:
            shard = self._scheduler.take(self._backoff.gate)
            if shard is None:
                return
            try:
                self._drain(shard)
            except exception.DatabaseUnavailable as error:
                # NOTE: the database API logs the outage, once.
                LOG.debug('Notification relay %s cannot publish shard %d: '
                          '%s', self.owner, shard, error)
                self._scheduler.later(shard,
                                      self._options.relay_poll_interval)
            except Exception:
                LOG.exception('Notification relay %s failed on shard %d',
                              self.owner, shard)
                self._scheduler.later(shard,
                                      self._options.relay_poll_interval)
            finally:
                self._scheduler.done(shard)

    def _watch_loop(self):
        next_purge = time.monotonic()
        while not self._stopping.is_set():
            try:
                # NOTE: first the dead, so that their shards, found pending
                # next, are taken over at once.
                self._leases.find_dead()
                self.wake(db.notification_outbox_pending_shards(
                    self._context))
                if time.monotonic() >= next_purge:
                    self.purge()
                    next_purge = time.monotonic() + _PURGE_INTERVAL
            except exception.DatabaseUnavailable as error:
                # NOTE: the database API logs the outage, once.
                LOG.debug('Notification relay %s cannot read the outbox: '
                          '%s', self.owner, error)
            except Exception as error:
                LOG.warning('Notification relay %s cannot read the outbox: '
                            '%s', self.owner, self._publisher.reason(error))
            self._stopping.wait(self._options.relay_poll_interval)

    def purge(self, before=None):
        """Delete delivered notifications older than the retention.

        Returns how many were deleted.
        """
        if before is None:
            before = timeutils.utcnow() - datetime.timedelta(
                hours=self._options.outbox_retention_hours)
        return purge_delivered(self._context, before, self._stopping.is_set)

    # Publishing a shard

    def _drain(self, shard, deadline=None, flushing=False):
        """Publish ``shard`` while holding its lease, until it is empty.

        Returns ``EMPTIED``, ``ELSEWHERE`` when another relay holds it, or
        ``UNFINISHED`` when a notification failed, the lease was lost, time
        ran out or the relay stops.
        """
        batch = self._options.relay_batch_size
        lease, rows = self._leases.claim(shard, batch)
        if rows is None:
            if not flushing:
                # NOTE: its holder publishes it; looking again soon covers
                # a row it did not see before it let go.
                self._scheduler.later(shard, self._lease_wait(shard))
            return ELSEWHERE
        self._lease_waits.pop(shard, None)
        while rows:
            published, failure = self._publisher.publish(rows,
                                                         lease.may_go_on)
            late = ((deadline is not None and time.monotonic() >= deadline)
                    or (self._stopping.is_set() and not flushing))
            # NOTE: a full batch likely has rows after it; a shorter one
            # likely not, and rows committed meanwhile wake the shard.
            go_on = failure is None and not late and (
                len(published) == len(rows) == batch or
                len(published) < len(rows))
            held, rows = self._leases.checkpoint(
                lease, published, batch if go_on else 0)
            if published:
                self._backoff.succeeded(shard)
            if failure is not None:
                self._failed(shard, *failure)
                return UNFINISHED
            if not held:
                self._lost(lease)
                return UNFINISHED
            if late:
                self.wake([shard])
                return UNFINISHED
        return EMPTIED

    def _failed(self, shard, row, reason):
        db.notification_outbox_mark_failed(self._context, row.id, reason,
                                           timeutils.utcnow())
        wait = self._backoff.failed(shard, describe(row), reason)
        self._scheduler.later(shard, wait)

    def _lost(self, lease):
        late = (timeutils.utcnow() - lease.expires_at).total_seconds()
        LOG.warning(
            'Notification relay %s no longer holds shard %d: another relay '
            'took its lease, %s; that relay goes on from the first '
            'notification this one did not mark delivered.', self.owner,
            lease.shard,
            'which had expired %.1f s before' % late if late > 0 else
            'which was to expire in %.1f s: do the clocks of the hosts of '
            'the relays agree?' % -late)

    def _lease_wait(self, shard):
        wait = min(max(self._lease_waits.get(shard, 0.0) * 2,
                       _FIRST_LEASE_WAIT),
                   self._options.relay_poll_interval)
        self._lease_waits[shard] = wait
        return wait
