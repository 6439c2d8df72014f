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
import re
import signal
import subprocess
import sys
import threading
import time

import fixtures

from nova.db.main import api as db_api
from nova import objects
from nova import test
from nova.tests import fixtures as nova_fixtures
from nova.tests.functional.api import client
from nova.tests import local_servers

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

    def test_workers_serve_publish_come_back_and_stop_together(self):
        database = self.useFixture(nova_fixtures.Database())
        # NOTE: a worker killed while its relay holds a shard's lease keeps
        # the shard until the lease expires.
        config = self._config(database.connection,
                              notifications='relay_lease_time = 2')
        service = objects.Service(self.context, host='host1',
                                  binary='nova-compute', topic='compute',
                                  report_count=0)
        service.create()
        process, lines = self._start(
            '--config-file', config, '--osapi_compute_listen_port', '0',
            '--api-auth_strategy', 'noauth2', '--osapi_compute_workers', '2')
        url = self._wait_ready(lines)
        roles = self._children(lines)
        self.assertEqual(['worker', 'worker'], sorted(roles.values()))
        self.addCleanup(self._kill, roles)
        self.assertEqual(sorted(roles), _children_of(process.pid))

        api = client.TestOpenStackClient(url + '/v2.1')
        for reason in ('one', 'two', 'three', 'four'):
            api.put_service(service.uuid, {'status': 'disabled',
                                           'disabled_reason': reason})
        # NOTE: each worker's relay is woken by its own commits (the log
        # driver is the bus).
        self._wait(lambda: db_api.notification_outbox_status(
            self.context)['pending'] == 0, 'the outbox to be published')

        worker = min(pid for pid, role in roles.items() if role == 'worker')
        os.kill(worker, signal.SIGKILL)
        self._wait(lambda: len(set(_children_of(process.pid)) -
                               set(roles)) == 1, 'a new worker')
        roles.update((pid, 'worker') for pid in _children_of(process.pid))
        self.assertEqual('five', api.put_service(
            service.uuid, {'status': 'disabled',
                           'disabled_reason': 'five'})['disabled_reason'])
        self._wait(lambda: db_api.notification_outbox_status(
            self.context)['pending'] == 0, 'the outbox to be published')

        process.send_signal(signal.SIGTERM)
        self.assertEqual(0, process.wait(self.TIMEOUT))
        for pid in roles:
            self.assertTrue(local_servers.wait_for_exit(pid, self.TIMEOUT))
        self.assertEqual(0, db_api.notification_outbox_status(
            self.context)['pending'])

    def _children(self, lines):
        """{pid: role} of the children nova-api says it started."""
        while True:
            line = lines.get(timeout=self.TIMEOUT)
            if line is None:
                self.fail('nova-api ended before it started its children')
            if 'nova-api started ' in line:
                return {int(pid): role for role, pid in re.findall(
                    r'(worker|relay) (\d+)', line)}

    def _kill(self, roles):
        for pid in roles:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def _wait(self, condition, what):
        deadline = time.monotonic() + self.TIMEOUT
        while not condition():
            if time.monotonic() > deadline:
                self.fail('no %s within %ds' % (what, self.TIMEOUT))
            time.sleep(0.05)

    def test_an_invalid_option_value_is_one_error_line(self):
        # NOTE: oslo.config checks the values of command line options
        # itself, those of a file included, and exits 1 with a line of its
        # own; nova-api says it as its other configuration errors.
        database = self.useFixture(nova_fixtures.Database())
        config = self._config(database.connection,
                              DEFAULT='osapi_compute_workers = 0')
        process, _lines = self._start('--config-file', config)
        self.assertEqual(2, process.wait(self.TIMEOUT))
        self.assertEqual(['ERROR: argument --osapi_compute_workers: Invalid '
                          'Integer(min=1) value: 0'],
                         process.stderr.read().splitlines())
        # NOTE: an option nova-api reads only once it serves, in its
        # relay's threads, is checked before anything listens too.
        config = self._config(database.connection,
                              notifications='relay_poll_interval = -1')
        process, lines = self._start('--config-file', config,
                                     '--osapi_compute_listen_port', '0')
        self.assertEqual(2, process.wait(self.TIMEOUT))
        self.assertEqual(['ERROR: [notifications] relay_poll_interval is not '
                          'valid: Should be greater than or equal to 0.05'],
                         process.stderr.read().splitlines())
        self.assertIsNone(lines.get(timeout=self.TIMEOUT))

    def test_refuses_an_unmigrated_database(self):
        directory = self.useFixture(fixtures.TempDir()).path
        config = self._config('sqlite:///%s/empty.sqlite' % directory)
        process, _lines = self._start('--config-file', config,
                                      '--osapi_compute_listen_port', '0')
        self.assertEqual(1, process.wait(self.TIMEOUT))
        self.assertIn('nova-manage db sync', process.stderr.read())


def _children_of(parent):
    """The pids of the processes whose parent is ``parent``, sorted."""
    children = []
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        try:
            with open('/proc/%s/stat' % entry) as f:
                # NOTE: the name, in parentheses, may hold spaces.
                ppid = int(f.read().rsplit(')', 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if ppid == parent:
            children.append(int(entry))
    return sorted(children)


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
