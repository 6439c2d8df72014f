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

"""What a consumer knows from the service notifications alone.

``ServiceTable`` keeps the state of every live service (uuid, host, binary,
status, forced_down, last event) from ``service.create``,
``service.update`` and ``service.delete`` notifications, the use case of
the spec: knowing service state without polling the API. A message bus
delivers at least once and not always in order, so the table applies these
rules, each one safe whatever order messages arrive in:

* **Identity**: a service is its payload ``uuid`` (payload 1.1). A 1.0
  payload has none; it is about the live service on its host and binary,
  which are unique among live services as they are in nova's database.
* **Duplicates**: a ``message_id`` seen before is ignored.
* **Order**: an event older than the state the table holds for a service
  is ignored (stale). An event is older when its ``report_count`` is lower,
  or equal with an earlier envelope ``timestamp``; otherwise it applies
  (ties go to the one that arrives last). ``report_count`` only grows during
  a service's life, so it orders events even between hosts whose clocks
  disagree; the timestamp orders events between two heartbeats.
* **Deletes** leave a tombstone on the service's uuid: no event about that
  uuid is applied afterwards, whatever its timestamp, because nova never
  reuses a uuid (a service registered again gets a new one); and a delete
  with a uuid always applies, even if it looks older. A delete also
  tombstones its host and binary for uuid-less (1.0) events: only a
  ``service.create`` newer than the delete brings them back, and a 1.0
  delete older than the live row on its host and binary is stale. A delete
  of an unknown service still leaves its tombstones.
* **Unknown services**: a create or an update about a service the table has
  not seen adds it: the payload carries the whole state.
* **Superseded**: an event about a new service on a host and binary that a
  live row holds replaces that row when it is not older (by timestamp):
  nova deleted the old service and the table missed that delete. When it is
  older, it is stale.

* **Seed**: a consumer that starts late may first ``seed`` the table with
  the services ``GET /os-services`` lists (microversion 2.53 or later). A
  listed service is its state as of its ``updated_at``: it is added unless
  its uuid is tombstoned, and replaces what events said only when its
  ``updated_at`` is later than the envelope timestamp of the last event
  applied; an event applies over a listed service unless its timestamp is
  earlier than that ``updated_at``. So the seed and the notifications may
  arrive in any order.

Seen message ids and tombstones are remembered up to ``memory`` entries
each (the oldest are forgotten first). Applying an event costs the same
whatever the number of services: live services are indexed by uuid and by
host and binary.
"""

import collections
import datetime
import fnmatch
import itertools

# NOTE: what oslo.messaging writes, str(datetime.utcnow()): the fraction is
# left out when it is zero.
_TIMESTAMP_FORMATS = ('%Y-%m-%d %H:%M:%S.%f', '%Y-%m-%d %H:%M:%S')

SERVICE_EVENTS = ('service.create', 'service.update', 'service.delete')

# NOTE: how the API writes updated_at (oslo.serialization's format).
_API_TIME_FORMAT = '%Y-%m-%dT%H:%M:%S.%f'

#: the ``last_event`` of a service known from the API's listing.
SEEDED = 'seeded'


# What ServiceTable.apply did with a notification.
ADDED = 'added'
UPDATED = 'updated'
REMOVED = 'removed'
TOMBSTONED = 'tombstoned'
DUPLICATE = 'duplicate'
STALE = 'stale'
AFTER_DELETE = 'after-delete'
IGNORED = 'ignored'

CHANGED = frozenset([ADDED, UPDATED, REMOVED])

SERVICE_COLUMNS = ('uuid', 'host', 'binary', 'status', 'forced_down',
                   'disabled_reason', 'last_event', 'last_timestamp')


def parse_timestamp(value):
    """Return the envelope timestamp as a datetime, None if unreadable."""
    for timestamp_format in _TIMESTAMP_FORMATS:
        try:
            return datetime.datetime.strptime(value, timestamp_format)
        except (TypeError, ValueError):
            continue
    return None


class ServiceState(object):
    """One live service as the notifications describe it."""

    def __init__(self, uuid, host, binary):
        self.uuid = uuid
        self.host = host
        self.binary = binary
        self.disabled = False
        self.disabled_reason = None
        self.forced_down = False
        self.report_count = None
        self.last_event = None
        self.last_timestamp = None
        self.last_time = None
        self.payload_version = None

    @property
    def key(self):
        return self.uuid or (self.host, self.binary)

    @property
    def status(self):
        return 'disabled' if self.disabled else 'enabled'

    def as_dict(self):
        """The table's columns of this service, JSON ready."""
        return {column: getattr(self, column) for column in SERVICE_COLUMNS}


class _Event(object):
    """The parts of a service notification the table reads."""

    def __init__(self, envelope, data, version):
        self.message_id = envelope.get('message_id')
        self.event_type = envelope.get('event_type')
        self.timestamp_text = envelope.get('timestamp')
        self.timestamp = parse_timestamp(self.timestamp_text)
        self.uuid = data.get('uuid')
        self.host = data.get('host')
        self.binary = data.get('binary')
        self.data = data
        self.version = version
        report_count = data.get('report_count')
        self.report_count = (report_count if isinstance(report_count, int)
                             else None)

    @classmethod
    def from_envelope(cls, envelope):
        """Return the event, or None if it is no readable service event."""
        if envelope.get('event_type') not in SERVICE_EVENTS:
            return None
        payload = envelope.get('payload')
        if not isinstance(payload, dict):
            return None
        data = payload.get('nova_object.data')
        if not isinstance(data, dict):
            return None
        event = cls(envelope, data, payload.get('nova_object.version'))
        if not (event.uuid or (event.host and event.binary)):
            return None
        return event

    def is_older_than(self, state, by_report_count=True):
        """Whether ``state`` already reflects something newer.

        ``report_count`` only orders events of one service; between two
        services only the timestamps can.
        """
        if (by_report_count and self.report_count is not None and
                state.report_count is not None and
                self.report_count != state.report_count):
            return self.report_count < state.report_count
        if self.timestamp is not None and state.last_time is not None:
            return self.timestamp < state.last_time
        return False


class _RecentKeys(object):
    """A mapping that forgets its oldest entries beyond ``size``."""

    def __init__(self, size):
        self.size = size
        self._items = collections.OrderedDict()

    def __contains__(self, key):
        return key in self._items

    def get(self, key):
        return self._items.get(key)

    def put(self, key, value=True):
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)


class ServiceTable(object):
    """The live services, built from service notifications only."""

    def __init__(self, memory=100000):
        self._services = {}
        # NOTE: live services are unique by host and binary, as in nova's
        # database; this index keeps finding one O(1).
        self._by_host_binary = {}
        self._seen = _RecentKeys(memory)
        # uuid -> True; (host, binary) -> timestamp of the delete (or None)
        self._tombstones = _RecentKeys(memory)

    def __len__(self):
        return len(self._services)

    def services(self):
        """Return the live services, sorted by host, binary and uuid."""
        return sorted(self._services.values(),
                      key=lambda s: (s.host or '', s.binary or '',
                                     s.uuid or ''))

    def recently_changed(self, count):
        """Return up to ``count`` live services, the last changed first.

        Costs O(count), whatever the size of the table.
        """
        # NOTE: a change removes and adds its service again, so the dict's
        # order is the order of the last changes.
        return list(itertools.islice(reversed(self._services.values()),
                                     count))

    def apply(self, envelope):
        """Apply one notification (as received); return what it did.

        Returns one of ADDED, UPDATED, REMOVED, TOMBSTONED, DUPLICATE,
        STALE, AFTER_DELETE or IGNORED (not a readable service event).
        Never raises for a malformed message.
        """
        return self.apply_event(envelope)[0]

    def apply_event(self, envelope):
        """As ``apply``, and the service it added, updated or removed.

        Returns ``(outcome, state)``; ``state`` is None unless the outcome
        is in CHANGED.
        """
        event = _Event.from_envelope(envelope)
        if event is None:
            return IGNORED, None
        if event.message_id is not None:
            if event.message_id in self._seen:
                return DUPLICATE, None
            self._seen.put(event.message_id)
        if self._tombstoned(event):
            return AFTER_DELETE, None
        state = self._find(event)
        if event.event_type == 'service.delete':
            # NOTE: a uuid is deleted once and for ever, so its delete always
            # applies; a 1.0 delete may be about an earlier service on the
            # same host and binary.
            if state is not None and not event.uuid and event.is_older_than(
                    state):
                return STALE, None
            self._bury(event, state)
            return (REMOVED, state) if state is not None else (TOMBSTONED,
                                                               None)
        if state is not None:
            if event.is_older_than(state):
                return STALE, None
            self._remove(state)
            outcome = UPDATED
        else:
            other = self._live_on(event.host, event.binary)
            if other is not None:
                if event.is_older_than(other, by_report_count=False):
                    return STALE, None
                self._bury_superseded(other)
            state = ServiceState(event.uuid, event.host, event.binary)
            outcome = ADDED
        self._update(state, event)
        self._add(state)
        return outcome, state

    def state_of(self, uuid):
        """The live service with this uuid, or None."""
        return self._services.get(uuid)

    def seed(self, service):
        """Apply one service as ``GET /os-services`` lists it (2.53+).

        Returns ADDED, UPDATED, STALE (the table knows something newer),
        AFTER_DELETE (its uuid was deleted) or IGNORED (not a listed
        service with a uuid, host and binary).
        """
        uuid, host, binary = (service.get('id'), service.get('host'),
                              service.get('binary'))
        if not (isinstance(uuid, str) and host and binary):
            return IGNORED
        if uuid in self._tombstones:
            return AFTER_DELETE
        try:
            updated = datetime.datetime.strptime(service.get('updated_at'),
                                                 _API_TIME_FORMAT)
        except (TypeError, ValueError):
            updated = None
        state = self._services.get(uuid) or self._live_on(host, binary)
        if state is not None:
            if state.last_time is not None and (
                    updated is None or updated <= state.last_time):
                return STALE
            self._remove(state)
            outcome = UPDATED
        else:
            state = ServiceState(uuid, host, binary)
            outcome = ADDED
        state.uuid, state.host, state.binary = uuid, host, binary
        state.disabled = service.get('status') == 'disabled'
        state.disabled_reason = service.get('disabled_reason')
        state.forced_down = bool(service.get('forced_down'))
        state.last_event = SEEDED
        state.last_timestamp = service.get('updated_at')
        state.last_time = updated
        self._add(state)
        return outcome

    def _add(self, state):
        self._services[state.key] = state
        self._by_host_binary[(state.host, state.binary)] = state

    def _remove(self, state):
        self._services.pop(state.key)
        if self._by_host_binary.get((state.host, state.binary)) is state:
            del self._by_host_binary[(state.host, state.binary)]

    def _tombstoned(self, event):
        if event.uuid:
            return event.uuid in self._tombstones
        if (event.host, event.binary) not in self._tombstones:
            return False
        deleted_at = self._tombstones.get((event.host, event.binary))
        # NOTE: without a uuid only a create after the delete can be about
        # a new service on that host and binary.
        return not (event.event_type == 'service.create' and
                    event.timestamp is not None and deleted_at is not None and
                    event.timestamp > deleted_at)

    def _live_on(self, host, binary):
        return self._by_host_binary.get((host, binary))

    def _find(self, event):
        if not event.uuid:
            return self._live_on(event.host, event.binary)
        # NOTE: a service known from 1.0 events only, by host and binary,
        # is completed by the first event that carries its uuid.
        return (self._services.get(event.uuid) or
                self._services.get((event.host, event.binary)))

    def _bury_superseded(self, state):
        """Drop a live row whose host and binary a newer service took."""
        self._remove(state)
        if state.uuid:
            self._tombstones.put(state.uuid)

    def _bury(self, event, state):
        if state is not None:
            self._remove(state)
        for uuid in {event.uuid, state.uuid if state else None} - {None}:
            self._tombstones.put(uuid)
        self._tombstones.put((event.host, event.binary), event.timestamp)

    @staticmethod
    def _update(state, event):
        data = event.data
        state.uuid = event.uuid or state.uuid
        state.host = event.host
        state.binary = event.binary
        state.disabled = bool(data.get('disabled'))
        state.disabled_reason = data.get('disabled_reason')
        state.forced_down = bool(data.get('forced_down'))
        if event.report_count is not None:
            state.report_count = event.report_count
        state.last_event = event.event_type
        state.last_timestamp = event.timestamp_text
        state.last_time = event.timestamp
        state.payload_version = event.version


def matches(envelope, event_types=(), publishers=()):
    """Whether the notification passes the filters (globs; empty: all)."""
    def any_match(value, patterns):
        return not patterns or any(
            fnmatch.fnmatchcase(value or '', pattern) for pattern in patterns)
    return (any_match(envelope.get('event_type'), event_types) and
            any_match(envelope.get('publisher_id'), publishers))
