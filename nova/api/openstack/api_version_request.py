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

"""Microversions of the compute API and their negotiation.

A request names the version it wants in the ``OpenStack-API-Version:
compute X.Y`` header (or the legacy ``X-OpenStack-Nova-API-Version: X.Y``);
without one it gets the minimum version, ``latest`` gets the maximum.

The versions up to the maximum that change the resources served here::

    2.1  - Initial version: GET /os-services, DELETE /os-services/{id} by
           integer id.
    2.11 - Services show ``forced_down``.
    2.53 - Services are identified by uuid: their ``id`` is the uuid, and
           ``PUT /os-services/{service_id}`` changes ``status``,
           ``disabled_reason`` and ``forced_down`` in one request;
           ``DELETE /os-services/{service_id}`` takes the uuid.

The versions in between changed resources this API does not serve; they
are accepted and behave as the version before them.
"""

import re

from nova import exception

# NOTE: the lowest and highest versions this API serves. Raise the maximum
# only together with the behaviour the new version promises.
_MIN_API_VERSION = '2.1'
_MAX_API_VERSION = '2.53'
DEFAULT_API_VERSION = _MIN_API_VERSION

SERVICE_TYPE = 'compute'
API_VERSION_REQUEST_HEADER = 'OpenStack-API-Version'
LEGACY_API_VERSION_REQUEST_HEADER = 'X-OpenStack-Nova-API-Version'

_VERSION_RE = re.compile(r'^([1-9]\d*)\.([1-9]\d*|0)$')


def min_api_version():
    return APIVersionRequest(_MIN_API_VERSION)


def max_api_version():
    return APIVersionRequest(_MAX_API_VERSION)


def is_supported(req, min_version=_MIN_API_VERSION,
                 max_version=_MAX_API_VERSION):
    """Whether the request's version is within [min_version, max_version]."""
    return req.api_version_request.matches(APIVersionRequest(min_version),
                                           APIVersionRequest(max_version))


def _shortened(text, limit=40):
    """``text`` fit for an error message: at most ``limit`` characters."""
    return text if len(text) <= limit else text[:limit] + '...'


class APIVersionRequest(object):
    """A version ``X.Y`` of the API, or the null version.

    :raises InvalidAPIVersionString: for a string that is not ``X.Y``.
    """

    def __init__(self, version_string=None):
        self.ver_major = 0
        self.ver_minor = 0
        if version_string is not None:
            match = _VERSION_RE.match(version_string)
            try:
                if match is None:
                    raise ValueError(version_string)
                # NOTE: Python refuses to read integers of more than 4,300
                # digits: such a version is as malformed as any other.
                self.ver_major = int(match.group(1))
                self.ver_minor = int(match.group(2))
            except ValueError:
                raise exception.InvalidAPIVersionString(
                    version=_shortened(version_string))

    def __repr__(self):
        return 'APIVersionRequest(%s)' % self.get_string()

    def is_null(self):
        return self.ver_major == 0 and self.ver_minor == 0

    def _key(self):
        return (self.ver_major, self.ver_minor)

    def __eq__(self, other):
        if not isinstance(other, APIVersionRequest):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self):
        return hash(self._key())

    def __lt__(self, other):
        return self._key() < other._key()

    def __le__(self, other):
        return self._key() <= other._key()

    def __gt__(self, other):
        return self._key() > other._key()

    def __ge__(self, other):
        return self._key() >= other._key()

    def matches(self, min_version, max_version):
        """Whether this version is within [min_version, max_version].

        A null bound is no bound. A null version matches nothing.
        """
        if self.is_null():
            return False
        if not min_version.is_null() and self < min_version:
            return False
        if not max_version.is_null() and self > max_version:
            return False
        return True

    def get_string(self):
        """Return ``X.Y``; the null version has no string."""
        if self.is_null():
            raise ValueError('The null version has no string')
        return '%d.%d' % (self.ver_major, self.ver_minor)
