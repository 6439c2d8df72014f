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

"""The notification outbox: every notification is a row of the database.

A notification is not sent by the code that makes a change: ``record``
writes its complete envelope (``message_id``, ``publisher_id``,
``event_type``, ``priority``, ``payload``, ``timestamp``) and its redacted
request context into the ``notification_outbox`` table, in the transaction
of the change. It commits with the change or not at all, so a committed
change always has its notification and a rolled back one never has. Relays
(``nova.notifications.relay``) publish the rows later, in order per service,
retrying until the message bus accepts them.

This module and the relay are the only owners of that policy: nothing else
sends a versioned notification.
"""

import os
import threading
import zlib

from oslo_serialization import jsonutils
from oslo_utils import timeutils
from oslo_utils import uuidutils
import sqlalchemy

from nova.db.main import api as db
from nova.db.main import models

SHARDS = models.OUTBOX_SHARDS

# NOTE: the callbacks told which shards got rows once a transaction that
# wrote them commits; a relay running in this process registers one, so it
# publishes its own process's rows at once instead of at its next poll.
_COMMIT_CALLBACKS = []
_SESSION_SHARDS = 'nova_outbox_shards'


def shard_of(key):
    """Return the outbox shard of ``key`` (a service uuid, or a publisher).

    Stable across processes and Python versions.
    """
    return zlib.crc32(key.encode('utf-8')) % SHARDS


def envelope(publisher_id, event_type, priority, payload):
    """Return the message a consumer receives, as oslo.messaging writes it.

    A new ``message_id`` and the current time as ``timestamp``, in
    oslo.messaging's format (``str`` of a naive UTC datetime).
    """
    return {'message_id': uuidutils.generate_uuid(),
            'publisher_id': publisher_id,
            'event_type': event_type,
            'priority': priority,
            'payload': payload,
            'timestamp': str(timeutils.utcnow())}


def _redacted_context(context):
    # NOTE: the context travels with the message as oslo.messaging's
    # Notifier would send it: without the auth token and other secrets.
    try:
        return context.redacted_copy().to_dict()
    except AttributeError:
        return {}


@db.pick_context_manager_writer
def record(context, message, service_uuid=None):
    """Write ``message`` (an ``envelope``) into the outbox.

    Inside the caller's writer transaction the row belongs to it; rows
    about one service keep the order in which their changes committed, as
    long as the caller wrote (and so locked) the service's row first.

    :param service_uuid: the service the notification is about; its
        notifications share a shard. Without one, the publisher's.
    """
    key = service_uuid or message['publisher_id']
    shard = shard_of(key)
    values = {
        'message_id': message['message_id'],
        'publisher_id': message['publisher_id'],
        'event_type': message['event_type'],
        'priority': message['priority'],
        'payload': jsonutils.dumps(message['payload']),
        'timestamp': message['timestamp'],
        'context': jsonutils.dumps(_redacted_context(context)),
        'service_uuid': service_uuid,
        'shard': shard,
    }
    db.notification_outbox_add(context, values)
    _announce_on_commit(context.session, shard)


def _announce_on_commit(session, shard):
    shards = session.info.get(_SESSION_SHARDS)
    if shards is None:
        shards = session.info[_SESSION_SHARDS] = set()
        sqlalchemy.event.listen(session, 'after_commit', _committed,
                                once=True)
    shards.add(shard)


def _committed(session):
    shards = frozenset(session.info.pop(_SESSION_SHARDS, ()))
    for callback in list(_COMMIT_CALLBACKS):
        callback(shards)


def add_commit_callback(callback):
    """Call ``callback(shards)`` whenever outbox rows of this process commit.

    ``shards`` is the set of shards that received rows.
    """
    _COMMIT_CALLBACKS.append(callback)


def remove_commit_callback(callback):
    """Stop calling ``callback``; nothing happens if it was not added."""
    try:
        _COMMIT_CALLBACKS.remove(callback)
    except ValueError:
        pass


class CommitPipe(object):
    """Tells a relay in another process which shards got rows.

    Made before forking: the processes that write call ``send_commits``,
    the process of the relay calls ``wake`` with it. One byte per shard,
    written without waiting: when the relay is so far behind that the pipe
    is full, the shards are dropped, and its watcher finds them at its next
    poll of the outbox.
    """

    def __init__(self):
        self._read, self._write = os.pipe()
        os.set_blocking(self._write, False)

    def send_commits(self):
        """Announce this process's commits from now on."""
        add_commit_callback(self.announce)

    def announce(self, shards):
        """Tell the relay that ``shards`` got rows; never waits."""
        # NOTE: a shard is one byte: there are fewer than 256.
        try:
            os.write(self._write, bytes(sorted(shards)))
        except BlockingIOError:
            pass

    def wake(self, relay):
        """Have ``relay.wake(shards)`` called from a thread as they come."""
        def forward():
            while True:
                shards = os.read(self._read, 4096)
                if not shards:
                    return
                relay.wake(set(shards))
        threading.Thread(target=forward, name='outbox-commit-pipe',
                         daemon=True).start()

    def close(self):
        """Close both ends; a thread of ``wake`` then ends."""
        remove_commit_callback(self.announce)
        os.close(self._write)
        os.close(self._read)
