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

"""A small HTTP client of the compute API.

JSON requests with a token and a microversion, as python-novaclient sends
them, for nova's own commands that read or drive the API
(``nova-notifications listen --seed-from-api``, ``nova-lifecycle-demo``),
the benchmarks and the tests. It never goes through a proxy named in the
environment: its users talk to one API they were given the address of.
"""

import http.client
import json
import threading
import urllib.parse

DEFAULT_MICROVERSION = '2.53'


class Response(object):
    """What the server answered: status, reason, headers and body (text)."""

    def __init__(self, status, reason, headers, body):
        self.status = status
        self.reason = reason
        self.headers = headers
        self.body = body

    @property
    def json(self):
        """The body parsed as JSON; None for an empty body.

        :raises ValueError: if the body is not JSON.
        """
        return json.loads(self.body) if self.body else None

    def __repr__(self):
        return '<Response %s %s>' % (self.status, self.body[:200])


class ComputeClient(object):
    """Talk to the compute API at ``url`` (``http://host:port/v2.1``).

    Without ``keep_alive`` each request has a connection of its own; with
    it, each thread keeps one open (a load generator must not pay a TCP
    handshake per request). One client serves several threads either way.
    """

    def __init__(self, url, token='admin:admin',
                 microversion=DEFAULT_MICROVERSION, timeout=30,
                 keep_alive=False):
        parsed = urllib.parse.urlsplit(url)
        if parsed.scheme not in ('http', 'https') or not parsed.hostname:
            raise ValueError('not an http(s) URL: %s' % url)
        self.scheme = parsed.scheme
        self.host = parsed.hostname
        self.port = parsed.port
        self.prefix = parsed.path.rstrip('/')
        self.token = token
        self.microversion = microversion
        self.timeout = timeout
        self.keep_alive = keep_alive
        self._local = threading.local()

    @property
    def url(self):
        netloc = self.host
        if self.port is not None:
            netloc = '%s:%d' % (self.host, self.port)
        return '%s://%s%s' % (self.scheme, netloc, self.prefix)

    def _connection(self):
        connection_class = (http.client.HTTPSConnection
                            if self.scheme == 'https'
                            else http.client.HTTPConnection)
        return connection_class(self.host, self.port, timeout=self.timeout)

    def headers(self, body=None):
        """The headers a request gets unless the caller says otherwise."""
        headers = {}
        if self.token is not None:
            headers['X-Auth-Token'] = self.token
        if self.microversion is not None:
            headers['OpenStack-API-Version'] = (
                'compute %s' % self.microversion)
        if body is not None:
            headers['Content-Type'] = 'application/json'
        return headers

    def request(self, method, path, body=None, raw_body=None, headers=None,
                prefix=None):
        """Send a request; return its Response whatever its status.

        :param body: data sent as JSON with ``Content-Type:
            application/json``.
        :param raw_body: bytes sent as they are (no Content-Type unless
            given in ``headers``).
        :param headers: extra headers; a None value leaves a default header
            out.
        :param prefix: the path's prefix instead of the URL's (``''`` for
            the server's root).
        :raises OSError: if no response came (refused, reset, timed out).
        """
        all_headers = self.headers(body)
        payload = raw_body
        if body is not None:
            payload = json.dumps(body).encode('utf-8')
        all_headers.update(headers or {})
        all_headers = {k: v for k, v in all_headers.items() if v is not None}
        target = (self.prefix if prefix is None else prefix) + path
        if not self.keep_alive:
            connection = self._connection()
            try:
                return self._send(connection, method, target, payload,
                                  all_headers)
            finally:
                connection.close()
        connection = getattr(self._local, 'connection', None)
        if connection is None:
            connection = self._local.connection = self._connection()
        try:
            return self._send(connection, method, target, payload,
                              all_headers)
        except (OSError, http.client.HTTPException):
            # NOTE: a kept-alive connection the server closed meanwhile;
            # the next request opens a new one.
            connection.close()
            self._local.connection = None
            raise

    @staticmethod
    def _send(connection, method, target, payload, headers):
        try:
            connection.request(method, target, body=payload, headers=headers)
            response = connection.getresponse()
            body = response.read().decode('utf-8', errors='replace')
        except http.client.HTTPException as error:
            raise ConnectionError('%s: %s' % (type(error).__name__, error))
        return Response(response.status, response.reason, response.headers,
                        body)
