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

"""How long a relay waits before it tries the bus again, and its outages.

While the bus fails, a shard is tried again after a wait that starts at
half a second and doubles up to ``[notifications] relay_retry_max_interval``,
and the relay probes the bus with one shard at a time. An outage is logged
once at ERROR when it starts and once when a notification gets through
again, whatever the number of failed attempts in between.
"""

import threading
import time

from oslo_log import log as logging

LOG = logging.getLogger(__name__)

FIRST_WAIT = 0.5


class Backoff(object):
    """The waits of a relay's shards and the outage of its bus."""

    def __init__(self, cap):
        self.cap = cap
        self._lock = threading.Lock()
        self._waits = {}
        self._probe_wait = 0.0
        self._probe_at = 0.0
        self._outage_started = None
        self._failures = 0

    def _next(self, wait):
        return min(max(wait * 2, FIRST_WAIT), self.cap)

    def failed(self, shard, what, reason):
        """A notification of ``shard`` failed; return the wait of ``shard``.

        ``what`` names the notification, ``reason`` why it failed (both go
        to the log, ``reason`` without secrets).
        """
        with self._lock:
            wait = self._waits[shard] = self._next(self._waits.get(shard,
                                                                   0.0))
            self._probe_wait = self._next(self._probe_wait)
            self._probe_at = time.monotonic() + self._probe_wait
            starts = self._outage_started is None
            if starts:
                self._outage_started = time.monotonic()
            self._failures += 1
        if starts:
            LOG.error('Cannot publish notification %s: %s. It stays in the '
                      'notification outbox with those after it, and is '
                      'tried again after %g s, then up to every %g s.',
                      what, reason, wait, self.cap)
        else:
            LOG.debug('Still cannot publish notification %s: %s', what,
                      reason)
        return wait

    def succeeded(self, shard):
        """A notification of ``shard`` went through: the outage is over."""
        with self._lock:
            self._waits.pop(shard, None)
            started, self._outage_started = self._outage_started, None
            failures, self._failures = self._failures, 0
            self._probe_wait = self._probe_at = 0.0
        if started is not None:
            LOG.warning('Notifications are published again after %.1f s and '
                        '%d failed attempts; those that waited in the outbox '
                        'follow in order.', time.monotonic() - started,
                        failures)

    @property
    def in_outage(self):
        return self._outage_started is not None

    def gate(self):
        """``(alone, not_before)`` for the scheduler: one probe at a time."""
        return self._outage_started is not None, self._probe_at
