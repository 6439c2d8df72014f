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

"""The compute API client of the tests over real HTTP, with shortcuts."""

import urllib.parse

from nova.api import client as compute_client

DEFAULT_MICROVERSION = compute_client.DEFAULT_MICROVERSION


class OpenStackApiException(Exception):
    """An answer other than the one the caller expected."""

    def __init__(self, message, response):
        super().__init__('%s: %r' % (message, response))
        self.response = response


class TestOpenStackClient(compute_client.ComputeClient):
    """The compute API's client, with the tests' shortcuts.

    Each call opens its own connection, so one client may serve several
    threads.
    """

    def __init__(self, base_url, token='admin:admin',
                 microversion=DEFAULT_MICROVERSION, timeout=10):
        super().__init__(base_url, token=token, microversion=microversion,
                         timeout=timeout)

    def _expect(self, response, status):
        if response.status != status:
            raise OpenStackApiException('Expected %d' % status, response)
        return response

    def get_services(self, host=None, binary=None):
        """Return the services listed by ``GET /os-services``."""
        query = {key: value for key, value in
                 (('host', host), ('binary', binary)) if value is not None}
        path = '/os-services'
        if query:
            path += '?' + urllib.parse.urlencode(query)
        return self._expect(self.request('GET', path), 200).json['services']

    def put_service(self, service_id, body):
        """Update a service; return the service the API answered with."""
        return self._expect(
            self.request('PUT', '/os-services/%s' % service_id, body=body),
            200).json['service']

    def service_action(self, action, host, binary, **fields):
        """Run a legacy action (below 2.53) such as ``enable``.

        Return the service the API answered with.
        """
        body = dict(fields, host=host, binary=binary)
        return self._expect(
            self.request('PUT', '/os-services/%s' % action, body=body),
            200).json['service']

    def delete_service(self, service_id):
        """Delete a service (204 expected)."""
        self._expect(self.request('DELETE', '/os-services/%s' % service_id),
                     204)
