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

"""nova-api as a process: it serves, tells when it is ready, and stops."""

import json
import os
import queue
import signal
import subprocess
import sys
import threading

import fixtures

from nova import test
from nova.tests import fixtures as nova_fixtures
from nova.tests.functional.api import client

_READY_PREFIX = 'nova-api listening on '


class _ConfiguredProcessTest(test.TestCase):

    TIMEOUT = 30

    def _config(self, connection, **extra):
        directory = self.useFixture(fixtures.TempDir()).path
        path = os.path.join(directory, 'nova.conf')
        with open(path, 'w') as f:
            f.write('[DEFAULT]\nstate_path = %s\nhost = cmdhost\n'
                    '[database]\nconnection = %s\n'
                    '[oslo_messaging_notifications]\ndriver = log\n'
                    % (directory, connection))
            for section, line in extra.items():
                f.write('[%s]\n%s\n' % (section, line))
        return path


class TestNovaAPICommand(_ConfiguredProcessTest):

    def _start(self, *args):
        process = subprocess.Popen(
            [sys.executable, '-m', 'nova.cmd.api'] + list(args),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.addCleanup(self._reap, process)
        lines = queue.Queue()

        def read():
            for line in process.stdout:
                lines.put(line)
            lines.put(None)
        threading.Thread(target=read, daemon=True).start()
        return process, lines

    def _reap(self, process):
        if process.poll() is None:
            process.kill()
        process.wait(self.TIMEOUT)
        process.stdout.close()
        process.stderr.close()

    def _wait_ready(self, lines):
        while True:
            line = lines.get(timeout=self.TIMEOUT)
            if line is None:
                self.fail('nova-api ended before it was ready')
            if line.startswith(_READY_PREFIX):
                return line[len(_READY_PREFIX):].strip()

    def test_serves_and_stops_on_sigterm(self):
        database = self.useFixture(nova_fixtures.Database())
        config = self._config(database.connection)
        process, lines = self._start(
            '--config-file', config, '--osapi_compute_listen_port', '0',
            '--api-auth_strategy', 'noauth2')
        url = self._wait_ready(lines)
        self.assertTrue(url.startswith('http://127.0.0.1:'), url)

        versions = client.TestOpenStackClient(url, token=None,
                                              microversion=None)
        self.assertEqual(200, versions.request('GET', '/').status)
        api = client.TestOpenStackClient(url + '/v2.1')
        self.assertEqual([], api.get_services())
        self.assertEqual(403, client.TestOpenStackClient(
            url + '/v2.1', token='demo:demo').request(
                'GET', '/os-services').status)

        process.send_signal(signal.SIGTERM)
        self.assertEqual(0, process.wait(self.TIMEOUT))

    def test_default_auth_strategy_is_keystone(self):
        database = self.useFixture(nova_fixtures.Database())
        config = self._config(
            database.connection,
            keystone_authtoken='www_authenticate_uri = http://127.0.0.1:1/\n'
                               'auth_type = password\n'
                               'auth_url = http://127.0.0.1:1/identity\n'
                               'username = nova\npassword = secret\n'
                               'project_name = service\n'
                               'user_domain_name = Default\n'
                               'project_domain_name = Default')
        process, lines = self._start('--config-file', config,
                                     '--osapi_compute_listen_port', '0')
        url = self._wait_ready(lines)
        # NOTE: without a token keystonemiddleware answers 401 itself,
        # naming the identity service; no keystone is asked.
        response = client.TestOpenStackClient(url + '/v2.1',
                                              token=None).request(
            'GET', '/os-services')
        self.assertEqual(401, response.status)
        self.assertEqual('Keystone uri="http://127.0.0.1:1/"',
                         response.headers['WWW-Authenticate'])
        process.send_signal(signal.SIGINT)
        self.assertEqual(0, process.wait(self.TIMEOUT))

    def test_refuses_an_unmigrated_database(self):
        directory = self.useFixture(fixtures.TempDir()).path
        config = self._config('sqlite:///%s/empty.sqlite' % directory)
        process, _lines = self._start('--config-file', config,
                                      '--osapi_compute_listen_port', '0')
        self.assertEqual(1, process.wait(self.TIMEOUT))
        self.assertIn('nova-manage db sync', process.stderr.read())


# NOTE: what a WSGI server (uwsgi, mod_wsgi, gunicorn) does: import the
# module's application, then call it; configuration comes from the
# environment on the first request.
# NOTE: the results go to a file of their own: the application's threads
# (its notification relay) log to stdout meanwhile.
_WSGI_SERVER_SCRIPT = """
import json
import sys
import webob
from nova.api.openstack.compute.wsgi import application
with open(sys.argv[1], 'w') as results:
    for path, token in (('/', None), ('/v2.1/os-services', 'admin:admin')):
        headers = {'X-Auth-Token': token} if token else {}
        response = webob.Request.blank(path, headers=headers).get_response(
            application)
        results.write(json.dumps([response.status_int, response.json]))
        results.write('\\n')
"""


class TestWSGIApplication(_ConfiguredProcessTest):

    def test_application_reads_its_configuration_lazily(self):
        database = self.useFixture(nova_fixtures.Database())
        config = self._config(database.connection,
                              api='auth_strategy = noauth2')
        env = dict(os.environ,
                   OS_NOVA_CONFIG_DIR=os.path.dirname(config),
                   OS_NOVA_CONFIG_FILES='nova.conf')
        results = os.path.join(os.path.dirname(config), 'results.jsonl')
        result = subprocess.run(
            [sys.executable, '-c', _WSGI_SERVER_SCRIPT, results], env=env,
            capture_output=True, text=True, timeout=self.TIMEOUT)
        self.assertEqual(0, result.returncode, result.stderr)
        with open(results) as f:
            versions, services = [json.loads(line) for line in f]
        self.assertEqual(200, versions[0])
        self.assertEqual('2.53', versions[1]['versions'][0]['version'])
        self.assertEqual([200, {'services': []}], services)
