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

"""nova.api.client against a small HTTP server of the test's own."""

import http.server
import json
import threading

import fixtures
import testtools

from nova.api import client


class _Recorder(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def _answer(self):
        length = int(self.headers.get('Content-Length') or 0)
        self.server.requests.append((self.command, self.path, self.headers,
                                     self.rfile.read(length),
                                     self.client_address[1]))
        body = b'{"ok": true}'
        self.send_response(200)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_PUT = do_DELETE = _answer

    def log_message(self, *args):
        pass


class TestComputeClient(testtools.TestCase):

    def setUp(self):
        super().setUp()
        server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), _Recorder)
        server.daemon_threads = True
        server.requests = []
        thread = threading.Thread(target=server.serve_forever,
                                  kwargs={'poll_interval': 0.05})
        thread.start()
        self.addCleanup(thread.join, 10)
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        self.server = server
        self.url = 'http://127.0.0.1:%d/v2.1' % server.server_address[1]
        # NOTE: a proxy in the environment must not see the requests.
        self.useFixture(fixtures.EnvironmentVariable(
            'http_proxy', 'http://127.0.0.1:9'))

    def test_json_with_token_and_microversion(self):
        api = client.ComputeClient(self.url, token='admin:admin')
        response = api.request('PUT', '/os-services/x', body={'a': 1})
        self.assertEqual((200, 'OK', {'ok': True}),
                         (response.status, response.reason, response.json))
        (method, path, headers, body, _port), = self.server.requests
        self.assertEqual(('PUT', '/v2.1/os-services/x'), (method, path))
        self.assertEqual({'a': 1}, json.loads(body))
        self.assertEqual('admin:admin', headers['X-Auth-Token'])
        self.assertEqual('compute 2.53', headers['OpenStack-API-Version'])
        self.assertEqual('application/json', headers['Content-Type'])

    def test_no_body_no_content_type_and_headers_left_out(self):
        api = client.ComputeClient(self.url, microversion=None)
        api.request('GET', '/', headers={'X-Auth-Token': None}, prefix='')
        (method, path, headers, body, _port), = self.server.requests
        self.assertEqual(('GET', '/', b''), (method, path, body))
        for name in ('Content-Type', 'X-Auth-Token',
                     'OpenStack-API-Version'):
            self.assertNotIn(name, headers)

    def test_keep_alive_reuses_the_connection(self):
        api = client.ComputeClient(self.url, keep_alive=True)
        for _ in range(3):
            api.request('GET', '/os-services')
        self.assertEqual(1, len({port for *_, port in self.server.requests}))
        other = client.ComputeClient(self.url)
        for _ in range(2):
            other.request('GET', '/os-services')
        self.assertEqual(3, len({port for *_, port in self.server.requests}))

    def test_no_server_is_an_os_error(self):
        self.server.shutdown()
        self.server.server_close()
        for keep_alive in (False, True):
            api = client.ComputeClient(self.url, keep_alive=keep_alive)
            self.assertRaises(OSError, api.request, 'GET', '/os-services')

    def test_not_an_http_url(self):
        self.assertRaises(ValueError, client.ComputeClient, 'ftp://h/v2.1')
        self.assertEqual(self.url, client.ComputeClient(self.url).url)
