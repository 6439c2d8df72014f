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

import threading

import fixtures
from waitress import wasyncore

from nova.api.openstack.compute import wsgi as compute_wsgi
from nova.cmd import api as api_cmd
import nova.conf
from nova import policy
from nova.tests.functional.api import client

CONF = nova.conf.CONF


class APIServerFixture(fixtures.Fixture):
    """nova-api's application and server in a thread of the test process.

    It serves what the test's configuration says: its database and its
    notification transport, whatever they are (the in-memory test driver,
    or a real broker), are the ones the requests use. The server is
    waitress, as nova-api runs it, on 127.0.0.1 and a free port; cleanup
    stops it and joins its thread.

    ``admin_api`` authenticates as admin, ``api`` as a member of a project
    (noauth2); ``base_url`` is the server's root. The socket listens
    before ``setUp`` returns, so requests can be sent at once.
    """

    _POLL_INTERVAL = 0.02

    def __init__(self, conf=CONF, auth_strategy='noauth2', threads=4,
                 stop_timeout=10.0):
        super().__init__()
        self.conf = conf
        self.auth_strategy = auth_strategy
        self.threads = threads
        self.stop_timeout = stop_timeout

    def setUp(self):
        super().setUp()
        self.conf.set_override('auth_strategy', self.auth_strategy,
                               group='api')
        self.addCleanup(self.conf.clear_override, 'auth_strategy',
                        group='api')
        self.conf.set_override('threads', self.threads, group='wsgi')
        self.addCleanup(self.conf.clear_override, 'threads', group='wsgi')
        policy.reset()
        self.addCleanup(policy.reset)

        app = compute_wsgi.build_application(self.conf)
        self.server = api_cmd.create_server(
            app, api_cmd.listen('127.0.0.1', 0), conf=self.conf)
        self._stopping = threading.Event()
        self.thread = threading.Thread(target=self._serve,
                                       name='nova-api-fixture', daemon=True)
        self.thread.start()
        self.addCleanup(self._stop)

        self.base_url = 'http://127.0.0.1:%s' % self.server.effective_port
        self.api_url = self.base_url + '/v2.1'
        self.admin_api = client.TestOpenStackClient(self.api_url,
                                                    token='admin:admin')
        self.api = client.TestOpenStackClient(self.api_url,
                                              token='demo:demo')

    def _serve(self):
        # NOTE: the loop checks for the end between short polls, so that
        # stopping needs no file descriptor shared with another thread: the
        # server's own wake-up pipe, written to by one thread while this one
        # closes it, made an unrelated descriptor vanish now and then.
        while not self._stopping.is_set():
            wasyncore.loop(timeout=self._POLL_INTERVAL, map=self.server._map,
                           count=1)
        wasyncore.close_all(self.server._map)

    def _stop(self):
        # NOTE: every request has been answered by now; the workers go
        # first, so that none wakes a loop that is gone.
        self.server.task_dispatcher.shutdown(timeout=self.stop_timeout)
        self._stopping.set()
        self.thread.join(self.stop_timeout)
        if self.thread.is_alive():
            raise AssertionError('nova-api fixture thread did not stop '
                                 'within %.1fs' % self.stop_timeout)
