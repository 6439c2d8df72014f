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

"""The private broker of the bus tests: loopback only, skip or fail, reaped,
its applications only those rabbit needs.

The skip and the reaper are checked without booting a broker; the loopback
check and the stop of RabbitMQ inside its node use the process's shared
broker.
"""

import os
import socket
import subprocess
import sys
import tempfile
import textwrap

import fixtures
import testtools

from nova.tests.functional.bus import broker
from nova.tests import local_servers


class TestWithoutRabbitMQ(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.useFixture(fixtures.MonkeyPatch(
            'nova.tests.functional.bus.broker.SCRIPTS_DIR',
            self.useFixture(fixtures.TempDir()).path))

    def test_skipped_loudly(self):
        self.useFixture(fixtures.EnvironmentVariable(broker.REQUIRE_ENV))
        stderr = self.useFixture(fixtures.StringStream('stderr')).stream
        self.useFixture(fixtures.MonkeyPatch('sys.stderr', stderr))
        error = self.assertRaises(self.skipException, self.useFixture,
                                  broker.RabbitMQFixture())
        self.assertIn('RabbitMQ is not installed', str(error))
        self.assertIn('did NOT run', str(error))
        stderr.seek(0)
        self.assertIn('WARNING: RabbitMQ is not installed', stderr.read())

    def test_required_fails(self):
        self.useFixture(fixtures.EnvironmentVariable(broker.REQUIRE_ENV,
                                                     '1'))
        error = self.assertRaises(broker.BrokerUnavailable, self.useFixture,
                                  broker.RabbitMQFixture())
        self.assertIn('NOVA_REQUIRE_RABBITMQ=1 requires it', str(error))

    def test_start_refuses(self):
        unavailable = broker.RabbitMQBroker()
        self.addCleanup(unavailable.destroy)
        self.assertRaises(broker.BrokerUnavailable, unavailable.start)


class TestReaper(testtools.TestCase):

    def test_processes_die_with_their_owner(self):
        victim = subprocess.Popen([sys.executable, '-c',
                                   'import time; time.sleep(60)'])
        self.addCleanup(victim.wait)
        self.addCleanup(lambda: victim.poll() is None and victim.kill())
        owner = subprocess.run(
            [sys.executable, '-c', textwrap.dedent('''
                import os, sys
                from nova.tests import local_servers
                local_servers.start_reaper([%d])
                os._exit(0)  # no atexit, no cleanup: a crash
            ''' % victim.pid)], timeout=30)
        self.assertEqual(0, owner.returncode)
        self.assertEqual(-9, victim.wait(timeout=10))


class TestLoopbackOnly(testtools.TestCase):

    def test_nothing_listens_beyond_loopback(self):
        address = local_servers.external_address()
        if address is None:
            self.skipTest('this host has no address beyond loopback')
        running = self.useFixture(broker.RabbitMQFixture()).broker
        for port in (running.port, running.dist_port, running.epmd_port):
            with socket.create_connection(('127.0.0.1', port), timeout=5):
                pass
            self.assertRaises(OSError, socket.create_connection,
                              (address, port), timeout=5)
        self.assertTrue(os.path.isdir(running.base_dir))
        self.assertTrue(running.base_dir.startswith(
            os.path.realpath(tempfile.gettempdir())))


class TestApplicationStop(testtools.TestCase):

    def test_stops_and_starts_in_its_node(self):
        running = self.useFixture(broker.RabbitMQFixture()).broker
        self.addCleanup(running.start)
        pid = running.pid
        running.stop_application()
        self.assertFalse(local_servers.accepts_connections(running.port))
        self.assertTrue(running.running)
        running.start()
        self.assertTrue(local_servers.accepts_connections(running.port))
        self.assertEqual(pid, running.pid)


class TestCoreApplications(testtools.TestCase):

    def test_rabbit_and_what_it_needs(self):
        installed = self.useFixture(fixtures.TempDir()).path
        specs = {
            'rabbit-3.10.8': '{application, rabbit, [{applications, '
                             '[kernel, stdlib, ra]}, {mod, {rabbit, []}}]}.',
            'rabbitmq_prelaunch-3.10.8': '{application, rabbitmq_prelaunch, '
                                         '[{applications, [kernel]}]}.',
            'ra-2.2.0': '{application, ra, [{applications, [aten]}, '
                        '{included_applications, [seshat]}]}.',
            'aten-0.5.8': '{application, aten, [{applications, []}]}.',
            'seshat-0.3.2': '{application, seshat, []}.',
            'rabbitmq_management-3.10.8': '{application, rabbitmq_management, '
                                          '[{applications, [rabbit]}]}.',
        }
        for entry, spec in specs.items():
            ebin = os.path.join(installed, entry, 'ebin')
            os.makedirs(ebin)
            with open(os.path.join(ebin, entry.rpartition('-')[0] + '.app'),
                      'w') as f:
                f.write(spec)
        target = os.path.join(self.useFixture(fixtures.TempDir()).path, 'p')
        self.assertTrue(broker.link_core_applications(installed, target))
        self.assertEqual(
            ['aten-0.5.8', 'ra-2.2.0', 'rabbit-3.10.8',
             'rabbitmq_prelaunch-3.10.8', 'seshat-0.3.2'],
            sorted(os.listdir(target)))
        self.assertEqual(os.path.join(installed, 'ra-2.2.0'),
                         os.readlink(os.path.join(target, 'ra-2.2.0')))

    def test_an_unreadable_application_leaves_the_installed_directory(self):
        installed = self.useFixture(fixtures.TempDir()).path
        os.makedirs(os.path.join(installed, 'rabbit-3.10.8', 'ebin'))
        target = os.path.join(self.useFixture(fixtures.TempDir()).path, 'p')
        self.assertFalse(broker.link_core_applications(installed, target))
