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

"""Validate notification payloads against their published JSON Schemas.

The schemas are generated from the code (the unit tests check that the
committed files equal them), validated with draft 2020-12 and format
checking, so a bad uuid or datetime fails as surely as a wrong type.
"""

import functools

import jsonschema

from nova.notifications.objects import json_schema


class PayloadSchemaError(AssertionError):
    """A payload that does not match the schema of its name and version."""


@functools.lru_cache(maxsize=None)
def _validators():
    return {file_name: jsonschema.Draft202012Validator(
        payload_schema,
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
        for file_name, payload_schema in json_schema.all_schemas().items()}


def validator(payload_name, version):
    """Return the validator of a payload version.

    :raises PayloadSchemaError: if no schema is published for it.
    """
    file_name = json_schema.schema_file_name(payload_name, version)
    try:
        return _validators()[file_name]
    except KeyError:
        raise PayloadSchemaError(
            'No schema is published for payload %s version %s; known: %s'
            % (payload_name, version, ', '.join(sorted(_validators()))))


def validate_payload(payload):
    """Check a payload primitive against the schema it claims to follow.

    :raises PayloadSchemaError: naming every violation and where it is.
    """
    if not isinstance(payload, dict):
        raise PayloadSchemaError('Payload is not an object: %r' % (payload,))
    payload_validator = validator(payload.get('nova_object.name'),
                                  payload.get('nova_object.version'))
    errors = sorted(payload_validator.iter_errors(payload),
                    key=lambda e: list(e.absolute_path))
    if errors:
        raise PayloadSchemaError(
            'Payload does not match %s:\n%s' % (
                payload_validator.schema['$id'],
                '\n'.join('  at /%s: %s' % (
                    '/'.join(str(p) for p in e.absolute_path), e.message)
                    for e in errors)))
