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

"""The compute API served over real HTTP on loopback, for tests."""

import socketserver
import threading
from wsgiref import simple_server

import fixtures

from nova.api.openstack import wsgi_app
import nova.conf
from nova import policy
from nova.tests.functional.api import client

CONF = nova.conf.CONF


class _ThreadingWSGIServer(socketserver.ThreadingMixIn,
                           simple_server.WSGIServer):
    daemon_threads = True
    # NOTE: requests in progress are waited for on server_close().
    block_on_close = True


class _QuietHandler(simple_server.WSGIRequestHandler):
    def log_message(self, format, *args):
        # NOTE: the application's request log says it all.
        pass


class APIServerFixture(fixtures.Fixture):
    """The compute API's application and a server in the test process.

    The application is built from api-paste.ini, as a WSGI server builds
    it, and serves what the test's configuration says: its database and
    its notification transport, whatever they are (the in-memory test
    driver, or a real broker), are the ones the requests use. The server
    is the standard library's threaded WSGI server on 127.0.0.1 and a free
    port, a thread per request; cleanup stops it and joins its threads.

    ``admin_api`` authenticates as admin, ``api`` as a member of a project
    (noauth2); ``base_url`` is the server's root. The socket listens
    before ``setUp`` returns, so requests can be sent at once.
    """

    def __init__(self, conf=CONF, auth_strategy='noauth2',
                 stop_timeout=10.0):
        super().__init__()
        self.conf = conf
        self.auth_strategy = auth_strategy
        self.stop_timeout = stop_timeout

    def setUp(self):
        super().setUp()
        self.conf.set_override('auth_strategy', self.auth_strategy,
                               group='api')
        self.addCleanup(self.conf.clear_override, 'auth_strategy',
                        group='api')
        policy.reset()
        self.addCleanup(policy.reset)

        app = wsgi_app.load_app(self.conf)
        self.server = simple_server.make_server(
            '127.0.0.1', 0, app, server_class=_ThreadingWSGIServer,
            handler_class=_QuietHandler)
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={'poll_interval': 0.05},
            name='nova-api-fixture', daemon=True)
        self.thread.start()
        self.addCleanup(self._stop)

        self.base_url = 'http://127.0.0.1:%s' % self.server.server_port
        self.api_url = self.base_url + '/v2.1'
        self.admin_api = client.TestOpenStackClient(self.api_url,
                                                    token='admin:admin')
        self.api = client.TestOpenStackClient(self.api_url,
                                              token='demo:demo')

    def _stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(self.stop_timeout)
        if self.thread.is_alive():
            raise AssertionError('nova-api fixture thread did not stop '
                                 'within %.1fs' % self.stop_timeout)
