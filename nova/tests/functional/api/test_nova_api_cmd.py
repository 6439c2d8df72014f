"""nova-api as a process: it serves, tells when it is ready, and stops."""

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


class TestNovaAPICommand(test.TestCase):

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
            keystone_authtoken='www_authenticate_uri = http://127.0.0.1:1/')
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
