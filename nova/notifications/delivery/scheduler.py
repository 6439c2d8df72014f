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

"""Which shard of the outbox a relay's publishers serve next."""

import threading
import time


class Scheduler(object):
    """The shards a relay was asked to publish: first asked, first served.

    A shard is *wanted* from the moment something wakes it (a commit of
    this process, the watcher's look at the outbox) until a publisher takes
    it, and *busy* while one publishes it: two publishers of a relay never
    serve one shard. ``later`` puts a shard back with a time before which
    it is not served (a backoff, another relay's lease). A shard woken while
    busy is served again after. Served in the order they were first wanted,
    busy shards cannot starve the others.
    """

    def __init__(self):
        self._cond = threading.Condition()
        # NOTE: shard -> when it was first wanted.
        self._wanted = {}
        self._not_before = {}
        self._busy = set()
        # NOTE: the threads waiting in take_now for a shard to be free.
        self._flushers = 0
        self._stopping = False

    def wake(self, shards):
        """Have ``shards`` served as soon as possible."""
        now = time.monotonic()
        with self._cond:
            woken = 0
            for shard in shards:
                if shard not in self._wanted:
                    self._wanted[shard] = now
                    woken += 1
            self._notify(woken)

    def later(self, shard, delay):
        """Have ``shard`` served again, not before ``delay`` seconds."""
        now = time.monotonic()
        with self._cond:
            self._not_before[shard] = now + delay
            self._wanted.setdefault(shard, now)
            self._notify(1)

    def wanted(self):
        """The shards waiting to be served."""
        with self._cond:
            return set(self._wanted)

    def take(self, gate=None):
        """Wait for the next shard to serve and mark it busy.

        ``gate()``, if given, returns ``(alone, not_before)``: while the bus
        fails a relay probes it with one shard at a time (``alone``), not
        before the monotonic time ``not_before``. Returns None once stopped.
        """
        with self._cond:
            while not self._stopping:
                now = time.monotonic()
                alone, gate_time = gate() if gate else (False, 0.0)
                ready = {}
                if not (alone and self._busy):
                    ready = {shard: max(self._not_before.get(shard, 0.0),
                                        since, gate_time)
                             for shard, since in self._wanted.items()
                             if shard not in self._busy}
                if ready:
                    shard = min(ready, key=ready.get)
                    if ready[shard] <= now:
                        del self._wanted[shard]
                        self._not_before.pop(shard, None)
                        self._busy.add(shard)
                        return shard
                self._cond.wait(min(ready.values()) - now if ready
                                else None)
            return None

    def take_now(self, shard, deadline):
        """Mark ``shard`` busy once no publisher serves it; False if late.

        For a relay that publishes in the calling thread (``flush``).
        """
        with self._cond:
            self._flushers += 1
            try:
                while shard in self._busy:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        return False
                    self._cond.wait(remaining)
            finally:
                self._flushers -= 1
            self._busy.add(shard)
            self._wanted.pop(shard, None)
            self._not_before.pop(shard, None)
            return True

    def done(self, shard):
        """A publisher is done with ``shard``."""
        with self._cond:
            self._busy.discard(shard)
            self._notify(1 if self._wanted else 0)

    def _notify(self, publishers):
        # NOTE: a publisher per shard to serve, not all of them: a commit
        # wakes one thread, not every publisher of the relay. A waiting
        # take_now could take a wake-up meant for a publisher, so then all.
        if self._flushers:
            self._cond.notify_all()
        elif publishers:
            self._cond.notify(publishers)

    def start(self):
        with self._cond:
            self._stopping = False

    def stop(self):
        """Have ``take`` return None, now and from now on."""
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
