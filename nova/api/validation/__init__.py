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

"""JSON schema validation of request bodies, by microversion.

An action declares the schema of its body for a range of microversions
with ``@validation.schema(schema, min_version, max_version)``, one
decorator per range, as nova's actions do. The body of a request is
checked against the schema of its version before the action runs; a body
that does not match gets 400 with a message naming the offending attribute,
and nothing is changed.
"""

import functools

from nova.api.openstack import api_version_request as api_version
from nova.api.validation import validators


def schema(request_body_schema, min_version=None, max_version=None):
    """Register a schema to validate the request body of an action.

    :param request_body_schema: a JSON schema (draft 4).
    :param min_version: the lowest microversion it applies to (``X.Y``),
        the minimum by default.
    :param max_version: the highest microversion it applies to, the
        maximum by default.
    """
    validator = validators.SchemaValidator(request_body_schema)
    min_ver = api_version.APIVersionRequest(min_version)
    max_ver = api_version.APIVersionRequest(max_version)

    def add_validator(func):
        @functools.wraps(func)
        def wrapper(self, req, *args, **kwargs):
            if req.api_version_request.matches(min_ver, max_ver):
                validator.validate(kwargs['body'])
            return func(self, req, *args, **kwargs)
        return wrapper
    return add_validator
