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

import json

import testtools

from nova.api import client
from nova.tests import fixtures as nova_fixtures


class TestComputeClient(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.server = self.useFixture(nova_fixtures.RecordingHTTPServer())
        self.server.answer = (200, b'{"ok": true}')
        self.url = self.server.url + '/v2.1'

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
        self.server.stop()
        for keep_alive in (False, True):
            api = client.ComputeClient(self.url, keep_alive=keep_alive)
            self.assertRaises(OSError, api.request, 'GET', '/os-services')

    def test_not_an_http_url(self):
        self.assertRaises(ValueError, client.ComputeClient, 'ftp://h/v2.1')
        self.assertEqual(self.url, client.ComputeClient(self.url).url)
