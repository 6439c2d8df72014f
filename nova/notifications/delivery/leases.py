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

"""The leases of the outbox's shards, and their fencing tokens.

A relay publishes a shard only while it holds the shard's lease in the
database, so that one relay at a time publishes a service's notifications,
in order. Every time a relay takes a lease it gives it a token of its own,
new each time; renewing, giving back and marking rows delivered check that
token in the same transaction, so that a relay whose lease was taken over
learns it at once, and nothing it does afterwards changes the lease of the
relay that holds it now.

Within a lease, a relay publishes only while at least half of it remains
(by its own monotonic clock): the other half covers the time to mark what
it published, and the difference between the clocks of the relays' hosts.
A relay takes a lease only to publish what is pending, renews it as it
marks each batch delivered, and gives it back when the shard is empty.

A relay that died (SIGKILL) keeps its leases until they expire
(``[notifications] relay_lease_time``), except on its own machine: the
owner of a lease names its process (the boot of the machine, the process
id and its start time), so that any relay of the same machine, including
the same program restarted, takes over the leases of a process that is
gone as soon as it looks.
"""

import datetime
import os
import time

from oslo_utils import timeutils
from oslo_utils import uuidutils

from nova.db.main import api as db


def _boot_id():
    try:
        with open('/proc/sys/kernel/random/boot_id') as f:
            return f.read().strip()[:8]
    except OSError:
        return None


_BOOT = _boot_id()


def process_key(pid):
    """``<boot>.<start time>`` of process ``pid``, None if there is none.

    Unique on this machine, whatever the reuse of process ids.
    """
    if _BOOT is None:
        return None
    try:
        with open('/proc/%d/stat' % pid) as f:
            stat = f.read()
    except OSError:
        return None
    # NOTE: the fields after the command name, which may hold spaces; the
    # start time is the 22nd field of the line.
    return '%s.%s' % (_BOOT, stat.rpartition(')')[2].split()[19])


def owner_name(host, program):
    """The name of this process's relay in the leases it holds."""
    pid = os.getpid()
    key = process_key(pid) or uuidutils.generate_uuid()[:8]
    return '%s:%s:%d:%s' % (host, program, pid, key)


def is_dead(owner):
    """Whether ``owner`` is a relay of this machine whose process is gone."""
    try:
        _name, pid, key = owner.rsplit(':', 2)
        pid = int(pid)
    except ValueError:
        return False
    if _BOOT is None or not key.startswith(_BOOT + '.'):
        return False
    return process_key(pid) != key


class Lease(object):
    """A relay's lease of one shard, with the token it took it with."""

    def __init__(self, shard, token, lease_time):
        self.shard = shard
        self.token = token
        self._lease_time = lease_time
        self.renewed()

    def renewed(self):
        """The lease was just taken or renewed, for ``lease_time``."""
        self.expires_at = timeutils.utcnow() + datetime.timedelta(
            seconds=self._lease_time)
        self._go_on_until = time.monotonic() + self._lease_time / 2.0

    def may_go_on(self):
        """Whether at least half of the lease remains: publish on."""
        return time.monotonic() < self._go_on_until


class Leases(object):
    """The leases one relay takes, renews and gives back."""

    def __init__(self, context, owner, lease_time):
        self._context = context
        self.owner = owner
        self.lease_time = lease_time
        self._dead = frozenset()

    def claim(self, shard, limit):
        """Take the lease of ``shard`` and read its pending rows.

        Returns ``(lease, rows)``; ``(None, [])`` when nothing is pending
        (the lease is not kept), ``(None, None)`` when another relay holds
        it.
        """
        lease = Lease(shard, uuidutils.generate_uuid(), self.lease_time)
        now = timeutils.utcnow()
        rows = db.notification_outbox_claim(
            self._context, shard, self.owner, lease.token, lease.expires_at,
            now, limit, dead_owners=self._dead)
        if not rows:
            return None, rows
        return lease, rows

    def checkpoint(self, lease, published, limit):
        """Mark ``published`` delivered and go on, or give the lease back.

        With ``limit``, the lease is renewed and the next pending rows, at
        most ``limit``, are returned; without, or when none is pending, it
        is given back. Returns ``(held, rows)``: whether the lease still
        carried this relay's token (if not, another relay took it).
        """
        expires_at = timeutils.utcnow() + datetime.timedelta(
            seconds=self.lease_time)
        held, rows = db.notification_outbox_checkpoint(
            self._context, lease.shard, lease.token,
            [row.id for row in published], timeutils.utcnow(), expires_at,
            limit)
        if held and rows:
            lease.renewed()
        return held, rows

    def release(self, lease):
        """Give the lease back, if it still carries this relay's token."""
        db.notification_lease_release(self._context, lease.shard,
                                      lease.token)

    def find_dead(self):
        """Note which owners of leases are dead relays of this machine."""
        dead = frozenset(owner for owner in
                         db.notification_lease_owners(self._context)
                         if is_dead(owner))
        self._dead = dead
        return dead
