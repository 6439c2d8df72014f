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

"""The compute API as nova deploys it: its WSGI application, in gunicorn.

gunicorn imports ``nova.wsgi.osapi_compute:application`` in each worker
process it forks; everything goes over HTTP.
"""

import os
import re
import signal
import subprocess
import time

import fixtures

from nova.db.main import api as db_api
from nova import objects
from nova import test
from nova.tests import fixtures as nova_fixtures
from nova.tests.functional.api import client
from nova.tests.functional import processes
from nova.tests import local_servers


class TestOSAPIComputeUnderGunicorn(test.TestCase):

    TIMEOUT = 30

    def _config(self, connection, **sections):
        directory = self.useFixture(fixtures.TempDir()).path
        path = os.path.join(directory, 'nova.conf')
        processes.write_config(path, dict({
            'DEFAULT': {'state_path': directory, 'host': 'cmdhost'},
            'database': {'connection': connection},
            'oslo_messaging_notifications': {'driver': 'log'}}, **sections))
        return path

    def test_serves_the_api_and_its_health_and_stops_on_sigterm(self):
        database = self.useFixture(nova_fixtures.Database())
        api = self.useFixture(processes.NovaAPIProcess(
            self._config(database.connection), timeout=self.TIMEOUT))
        self.assertTrue(api.url.startswith('http://127.0.0.1:'), api.url)
        unauthenticated = client.TestOpenStackClient(api.url, token=None,
                                                     microversion=None)
        health = unauthenticated.request('GET', '/healthcheck')
        self.assertEqual((200, 'OK'), (health.status, health.body))
        self.assertEqual(200, unauthenticated.request('GET', '/').status)
        # NOTE: the API registered its service record, which os-services
        # does not list, as nova's.
        self.assertIsNotNone(objects.Service.get_by_host_and_binary(
            self.context, 'cmdhost', 'nova-osapi_compute'))
        admin = client.TestOpenStackClient(api.url + '/v2.1')
        self.assertEqual([], admin.get_services())
        self.assertEqual(403, client.TestOpenStackClient(
            api.url + '/v2.1', token='demo:demo').request(
                'GET', '/os-services').status)

        api.process.send_signal(signal.SIGTERM)
        self.assertEqual(0, api.process.wait(self.TIMEOUT))
        self.assertIn('Handling signal: term', api.log())

    def test_default_auth_strategy_is_keystone(self):
        database = self.useFixture(nova_fixtures.Database())
        config = self._config(database.connection, keystone_authtoken={
            'www_authenticate_uri': 'http://127.0.0.1:1/',
            'auth_type': 'password',
            'auth_url': 'http://127.0.0.1:1/identity',
            'username': 'nova', 'password': 'secret',
            'project_name': 'service', 'user_domain_name': 'Default',
            'project_domain_name': 'Default'})
        api = self.useFixture(processes.NovaAPIProcess(
            config, timeout=self.TIMEOUT, auth_strategy='keystone'))
        # NOTE: without a token keystonemiddleware answers 401 itself,
        # naming the identity service; no keystone is asked.
        response = client.TestOpenStackClient(
            api.url + '/v2.1', token=None).request('GET', '/os-services')
        self.assertEqual(401, response.status)
        self.assertEqual('Keystone uri="http://127.0.0.1:1/"',
                         response.headers['WWW-Authenticate'])

    def test_workers_serve_publish_come_back_and_stop_together(self):
        database = self.useFixture(nova_fixtures.Database())
        service = objects.Service(self.context, host='host1',
                                  binary='nova-compute', topic='compute',
                                  report_count=0)
        service.create()
        api = self.useFixture(processes.NovaAPIProcess(
            self._config(database.connection), timeout=self.TIMEOUT,
            workers=2))
        self._wait(lambda: len(api.worker_pids()) == 2, '2 workers')
        workers = api.worker_pids()
        admin = client.TestOpenStackClient(api.url + '/v2.1')
        for reason in ('one', 'two', 'three', 'four'):
            admin.put_service(service.uuid, {'status': 'disabled',
                                             'disabled_reason': reason})
        # NOTE: each worker's relay is woken by its own commits (the log
        # driver is the bus).
        self._wait(lambda: db_api.notification_outbox_status(
            self.context)['pending'] == 0, 'the outbox to be published')

        os.kill(workers[0], signal.SIGKILL)
        self._wait(lambda: len(set(api.worker_pids()) -
                               set(workers)) == 1, 'a new worker')
        workers = sorted(set(workers) | set(api.worker_pids()))
        self.assertEqual('five', admin.put_service(
            service.uuid, {'status': 'disabled',
                           'disabled_reason': 'five'})['disabled_reason'])
        self._wait(lambda: db_api.notification_outbox_status(
            self.context)['pending'] == 0, 'the outbox to be published')

        api.process.send_signal(signal.SIGTERM)
        self.assertEqual(0, api.process.wait(self.TIMEOUT))
        for pid in workers:
            self.assertTrue(local_servers.wait_for_exit(pid, self.TIMEOUT))
        # NOTE: each worker stopped its relay as it exited, publishing
        # what was left (nothing, here).
        self.assertEqual(2, len(re.findall(
            r'Notification relay \S+ stopped\n', api.log())), api.log())

    def _wait(self, condition, what):
        deadline = time.monotonic() + self.TIMEOUT
        while not condition():
            if time.monotonic() > deadline:
                self.fail('no %s within %ds' % (what, self.TIMEOUT))
            time.sleep(0.05)

    def _refused(self, config):
        """Run gunicorn on ``config``; return its exit code and log."""
        extra = os.path.join(os.path.dirname(config), 'api-test.conf')
        processes.write_config(extra, {'wsgi': {
            'api_paste_config': nova_fixtures.API_PASTE_CONFIG}})
        result = subprocess.run(
            processes.gunicorn_command(),
            env=processes.api_environment(config, 'api-test.conf'),
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True,
            timeout=self.TIMEOUT)
        return result.returncode, result.stdout

    def test_a_bad_option_stops_the_server_with_one_error(self):
        # NOTE: an option read only once the API serves, in its relay's
        # threads, is checked before anything is served.
        database = self.useFixture(nova_fixtures.Database())
        code, log = self._refused(self._config(
            database.connection,
            notifications={'relay_poll_interval': '-1'}))
        self.assertNotEqual(0, code)
        self.assertEqual(1, log.count(
            'The compute API cannot start: [notifications] '
            'relay_poll_interval is not valid: Should be greater than or '
            'equal to 0.05'), log)
        self.assertIn('Worker failed to boot', log)

    def test_an_unmigrated_database_stops_the_server(self):
        directory = self.useFixture(fixtures.TempDir()).path
        code, log = self._refused(self._config(
            'sqlite:///%s/empty.sqlite' % directory))
        self.assertNotEqual(0, code)
        self.assertIn('The compute API cannot start: ', log)
        self.assertIn('nova-manage db sync', log)
