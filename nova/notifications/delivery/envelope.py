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

"""The envelope of a versioned notification, as consumers receive it.

It is what oslo.messaging's ``Notifier`` writes: ``message_id``,
``publisher_id``, ``event_type``, ``priority``, ``payload`` and
``timestamp`` (``str`` of a naive UTC datetime), in this order, the shape
of the notification samples. A notification is recorded in the outbox
with its envelope (``to_row``), published from it (``from_row``) and taken
apart by oslo.messaging on the consumer's side (``from_listener``): this
module is the one place that knows the envelope.
"""

from oslo_serialization import jsonutils
from oslo_utils import timeutils
from oslo_utils import uuidutils

#: the keys of an envelope, in the order oslo.messaging writes them.
KEYS = ('message_id', 'publisher_id', 'event_type', 'priority', 'payload',
        'timestamp')


def new(publisher_id, event_type, priority, payload):
    """Return a new envelope: a new ``message_id``, the time is now."""
    return {'message_id': uuidutils.generate_uuid(),
            'publisher_id': publisher_id,
            'event_type': event_type,
            'priority': priority,
            'payload': payload,
            'timestamp': str(timeutils.utcnow())}


def to_row(envelope):
    """The outbox columns of ``envelope``: its keys, the payload as JSON."""
    row = {key: envelope[key] for key in KEYS}
    row['payload'] = jsonutils.dumps(envelope['payload'])
    return row


def from_row(row):
    """The envelope recorded in an outbox row (anything with its columns)."""
    return {'message_id': row.message_id,
            'publisher_id': row.publisher_id,
            'event_type': row.event_type,
            'priority': row.priority,
            'payload': jsonutils.loads(row.payload),
            'timestamp': row.timestamp}


def from_listener(priority, publisher_id, event_type, payload, metadata):
    """The envelope of what oslo.messaging hands to a listener endpoint."""
    return {'message_id': metadata.get('message_id'),
            'publisher_id': publisher_id,
            'event_type': event_type,
            'priority': priority.upper(),
            'payload': payload,
            'timestamp': metadata.get('timestamp')}
