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

"""A small HTTP client of the compute API, for tests over real HTTP."""

import http.client
import json
import urllib.parse

DEFAULT_MICROVERSION = '2.53'


class APIResponse(object):
    """What the server answered: status, headers and body."""

    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def json(self):
        """The body parsed as JSON; None for an empty body."""
        return json.loads(self.body) if self.body else None

    def __repr__(self):
        return '<APIResponse %s %s>' % (self.status, self.body[:200])


class OpenStackApiException(Exception):
    """An answer other than the one the caller expected."""

    def __init__(self, message, response):
        super().__init__('%s: %r' % (message, response))
        self.response = response


class TestOpenStackClient(object):
    """Talk to the compute API at ``base_url`` (``http://host:port/v2.1``).

    Each call opens its own connection, so one client may serve several
    threads.
    """

    def __init__(self, base_url, token='admin:admin',
                 microversion=DEFAULT_MICROVERSION, timeout=10):
        parsed = urllib.parse.urlsplit(base_url)
        self.host = parsed.hostname
        self.port = parsed.port
        self.prefix = parsed.path.rstrip('/')
        self.token = token
        self.microversion = microversion
        self.timeout = timeout

    def request(self, method, path, body=None, raw_body=None, headers=None,
                prefix=None):
        """Send a request; return the APIResponse whatever its status.

        :param body: data sent as JSON with ``Content-Type:
            application/json``.
        :param raw_body: bytes sent as they are (no Content-Type unless
            given in ``headers``).
        :param headers: extra headers; a None value leaves a default header
            out.
        """
        all_headers = {}
        if self.token is not None:
            all_headers['X-Auth-Token'] = self.token
        if self.microversion is not None:
            all_headers['OpenStack-API-Version'] = (
                'compute %s' % self.microversion)
        payload = raw_body
        if body is not None:
            payload = json.dumps(body).encode('utf-8')
            all_headers['Content-Type'] = 'application/json'
        all_headers.update(headers or {})
        all_headers = {k: v for k, v in all_headers.items() if v is not None}
        connection = http.client.HTTPConnection(self.host, self.port,
                                                timeout=self.timeout)
        try:
            connection.request(method, (self.prefix if prefix is None
                                        else prefix) + path,
                               body=payload, headers=all_headers)
            response = connection.getresponse()
            return APIResponse(response.status, response.headers,
                               response.read().decode('utf-8'))
        finally:
            connection.close()

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
