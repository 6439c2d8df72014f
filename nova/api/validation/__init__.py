"""JSON schema validation of request bodies and query strings.

A body is checked by the action itself with a ``SchemaValidator``, after the
policy check, so that a caller without the right learns nothing about the
schema. A query string is checked by decorating the action with
``query_schema``. Either way a request that does not match gets 400 with a
message naming the offending attribute, and nothing is changed.
"""

import functools

from nova.api.openstack import api_version_request as api_version
from nova.api.validation import validators


def _in_range(req, min_version, max_version):
    return api_version.is_supported(
        req, min_version=min_version or api_version._MIN_API_VERSION,
        max_version=max_version or api_version._MAX_API_VERSION)


def query_schema(request_query_schema, min_version=None, max_version=None):
    """Validate the query string of the action for versions in the range.

    Each parameter is validated as the list of its values, since a query
    string may repeat a parameter.

    :raises ValidationError: (400) naming the parameter that does not match.
    """
    validator = validators.SchemaValidator(request_query_schema)

    def decorator(func):
        @functools.wraps(func)
        def wrapper(self, req, *args, **kwargs):
            if _in_range(req, min_version, max_version):
                validator.validate(req.GET.dict_of_lists())
            return func(self, req, *args, **kwargs)
        return wrapper
    return decorator
