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

"""JSON schema fragments shared by the compute API's schemas."""

# NOTE: nova accepts these spellings of a boolean in request bodies; the
# action turns them into a bool with oslo.utils' strutils.bool_from_string.
boolean = {
    'type': ['boolean', 'string'],
    'enum': [True, 'True', 'TRUE', 'true', '1', 'ON', 'On', 'on',
             'YES', 'Yes', 'yes',
             False, 'False', 'FALSE', 'false', '0', 'OFF', 'Off', 'off',
             'NO', 'No', 'no'],
}

# A free-text reason stored in a 255 character column.
reason = {
    'type': 'string', 'minLength': 1, 'maxLength': 255,
}

# A host name as nova stores it: letters, digits, "-", "." and "_".
fqdn = {
    'type': 'string', 'minLength': 1, 'maxLength': 255,
    'pattern': '^[a-zA-Z0-9-._]*$',
}

# A service's binary, such as nova-compute.
binary = {
    'type': 'string', 'minLength': 1, 'maxLength': 255,
}
