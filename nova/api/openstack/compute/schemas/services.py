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
