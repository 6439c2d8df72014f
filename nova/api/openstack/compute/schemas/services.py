"""Schemas of the os-services resource."""

from nova.api.validation import parameter_types

# NOTE: below 2.53 a service is named by host and binary in the body of
# PUT /os-services/{action}; disabled_reason is what disable-log-reason
# needs (the action checks it is there).
service_update = {
    'type': 'object',
    'properties': {
        'host': parameter_types.fqdn,
        'binary': parameter_types.binary,
        'disabled_reason': parameter_types.reason,
    },
    'required': ['host', 'binary'],
    'additionalProperties': False,
}

# NOTE: 2.11 adds the force-down action and its forced_down field.
service_update_v211 = {
    'type': 'object',
    'properties': dict(service_update['properties'],
                       forced_down=parameter_types.boolean),
    'required': ['host', 'binary'],
    'additionalProperties': False,
}

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
