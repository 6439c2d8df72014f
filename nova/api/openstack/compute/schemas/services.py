"""Schemas of the os-services resource."""

from nova.api.validation import parameter_types

# NOTE: services are identified by the uuid in the path, so nothing is
# required here; the action checks that status or forced_down is given and
# that disabled_reason comes only with status "disabled".
service_update_v253 = {
    'type': 'object',
    'properties': {
        'status': {
            'type': 'string',
            'enum': ['enabled', 'disabled'],
        },
        'disabled_reason': parameter_types.reason,
        'forced_down': parameter_types.boolean,
    },
    'additionalProperties': False,
}
