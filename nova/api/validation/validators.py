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

"""The JSON schema validator of request bodies and query strings."""

import jsonschema

from nova import exception


class SchemaValidator(object):
    """Validate data against one JSON schema (draft 4, as nova's schemas)."""

    validator_org = jsonschema.Draft4Validator

    def __init__(self, schema):
        self.validator_org.check_schema(schema)
        self.validator = self.validator_org(
            schema, format_checker=jsonschema.FormatChecker())

    def validate(self, data):
        """Return None if ``data`` matches the schema.

        :raises ValidationError: naming the attribute and value that do not
            match, or describing the document when the problem is at its top.
        """
        error = jsonschema.exceptions.best_match(
            self.validator.iter_errors(data))
        if error is None:
            return
        if error.path:
            detail = ('Invalid input for field/attribute %(path)s. Value: '
                      '%(value)s. %(message)s' %
                      {'path': error.path[-1], 'value': error.instance,
                       'message': error.message})
        else:
            detail = error.message
        raise exception.ValidationError(detail=detail)
