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

"""What the demo must see: the notifications about its compute service."""

import json

EXPECTED_EVENTS = ('service.create', 'service.update', 'service.update',
                   'service.update', 'service.delete')
# NOTE: what oslo.messaging's Notifier hands to every driver, and what its
# log driver dumps as JSON: the message a consumer receives.
ENVELOPE_KEYS = ('message_id', 'publisher_id', 'event_type', 'priority',
                 'payload', 'timestamp')

COMPUTE_BINARY = 'nova-compute'


def payload_data(envelope):
    payload = envelope.get('payload')
    data = payload.get('nova_object.data') if isinstance(payload,
                                                         dict) else None
    return data if isinstance(data, dict) else {}


def about_service(envelopes, service_uuid):
    """Return the envelopes whose payload is about service ``uuid``."""
    return [envelope for envelope in envelopes
            if isinstance(envelope, dict) and
            payload_data(envelope).get('uuid') == service_uuid]


def check_notifications(envelopes, service_uuid, reason):
    """Return the problems with the emitted notifications ([] if none).

    Every notification must be an oslo.messaging envelope. Those about the
    demo's compute service must be exactly the expected events, published
    as ``nova-compute:<host>`` whichever process emitted them, each payload
    showing the state the step left the service in. Others (nova-api's own
    service record) are allowed.
    """
    problems = []
    for number, envelope in enumerate(envelopes, 1):
        if not isinstance(envelope, dict) or (sorted(envelope) !=
                                              sorted(ENVELOPE_KEYS)):
            problems.append('notification %d is not an envelope with the '
                            'keys %s: %s' % (number, list(ENVELOPE_KEYS),
                                             json.dumps(envelope)))
    if problems:
        return problems
    about = about_service(envelopes, service_uuid)
    events = tuple(envelope['event_type'] for envelope in about)
    if events != EXPECTED_EVENTS:
        return ['expected %s about service %s; emitted %s' % (
            ', '.join(EXPECTED_EVENTS), service_uuid,
            ', '.join(map(str, events)) or 'none')]
    expected_states = (
        dict(disabled=False, disabled_reason=None, forced_down=False),
        dict(disabled=True, disabled_reason=reason, forced_down=False),
        dict(disabled=True, disabled_reason=reason, forced_down=True),
        dict(disabled=False, disabled_reason=None, forced_down=True),
        dict(disabled=False, disabled_reason=None, forced_down=True),
    )
    for (number, envelope), state in zip(enumerate(about, 1),
                                         expected_states):
        data = payload_data(envelope)
        publisher = '%s:%s' % (COMPUTE_BINARY, data.get('host'))
        actual = {field: data.get(field) for field in state}
        if envelope['payload'].get('nova_object.name') != (
                'ServiceStatusPayload'):
            problems.append('%s (%d of the service) has no '
                            'ServiceStatusPayload'
                            % (envelope['event_type'], number))
        elif envelope['publisher_id'] != publisher:
            problems.append('%s (%d of the service) is published by %s, '
                            'not %s' % (envelope['event_type'], number,
                                        envelope['publisher_id'], publisher))
        elif actual != state:
            problems.append('%s (%d of the service) shows %s, expected %s'
                            % (envelope['event_type'], number, actual,
                               state))
    return problems
