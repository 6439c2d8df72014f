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

"""nova-manage as an operator runs it: a real process on an SQLite file.

The configuration is the demo's: the ``log`` notification driver, whose
messages the logging configuration appends to ``notifications.jsonl``, so
the tests see the notifications each command emitted.
"""

import os
import subprocess

import fixtures

from nova.cmd import common
from nova.demo import expectations
from nova.demo import state as demo_state
from nova import test
from nova.tests import fixtures as nova_fixtures

COMMAND_TIMEOUT = 60


class ConsoleScriptTestCase(test.TestCase):
    """Runs nova's console scripts in a state directory of the test's own."""

    USES_DB = False

    def setUp(self):
        super().setUp()
        self.state = demo_state.StateDir(
            self.useFixture(fixtures.TempDir()).path)
        self.state.write_config('host1', report_interval=1)

    def run_script(self, program, *args):
        return subprocess.run(self.state.command(program, *args),
                              capture_output=True, text=True,
                              timeout=COMMAND_TIMEOUT)

    def manage(self, *args, exit_code=0):
        """Run nova-manage, check its exit code and return the result."""
        result = self.run_script('nova-manage', *args)
        self.assertEqual(exit_code, result.returncode,
                         'stdout: %s\nstderr: %s' % (result.stdout,
                                                     result.stderr))
        self.assertNotIn('Traceback', result.stderr)
        return result

    def migrate_database(self):
        """Give the state directory a migrated database, in process.

        TestManage runs ``nova-manage db sync`` itself.
        """
        nova_fixtures.write_migrated_sqlite(self.state.database_file)

    def event_types(self):
        return [envelope['event_type']
                for envelope in self.state.read_notifications()]


class TestManage(ConsoleScriptTestCase):
    """The console script from end to end.

    Every outcome of its commands is in nova/tests/unit/cmd/test_manage.py,
    in process.
    """

    def test_service_lifecycle(self):
        self.manage('db', 'sync')
        created = self.manage('service', 'create', '--host', 'host1',
                              '--binary', 'nova-compute').stdout
        uuid = created.split()[2]
        self.assertEqual('Created service %s (nova-compute on host1).\n'
                         % uuid, created)
        self.manage('service', 'disable', uuid, '--reason', 'maintenance')
        self.manage('service', 'delete', uuid)

        envelopes = self.state.read_notifications()
        self.assertEqual(['service.create', 'service.update',
                          'service.delete'], self.event_types())
        for envelope in envelopes:
            self.assertEqual(sorted(expectations.ENVELOPE_KEYS),
                             sorted(envelope))
            self.assertEqual(uuid,
                             envelope['payload']['nova_object.data']['uuid'])
        self.assertEqual(
            (True, 'maintenance'),
            tuple(envelopes[1]['payload']['nova_object.data'][field]
                  for field in ('disabled', 'disabled_reason')))


class TestBadConfigurationFiles(ConsoleScriptTestCase):
    """nova-manage refuses a bad file without a traceback.

    It registers a command line of its own on the global configuration,
    so it runs as a process here; nova/tests/unit/test_config.py runs the
    services in process on every kind of bad file.
    """

    def test_refused_with_one_error_line(self):
        directory = self.useFixture(fixtures.TempDir()).path
        binary = os.path.join(directory, 'binary.conf')
        with open(binary, 'wb') as f:
            f.write(b'\xd0\x00\xff' * 40)
        for config, message in (
                (os.path.join(directory, 'missing.conf'), 'missing.conf'),
                (binary, 'cannot read a configuration file')):
            result = subprocess.run(
                common.console_script('nova-manage') +
                ['--config-file', config, 'db', 'version'],
                capture_output=True, text=True, timeout=COMMAND_TIMEOUT)
            self.assertEqual(2, result.returncode, (config, result.stderr))
            errors = [line for line in result.stderr.splitlines()
                      if line.startswith('ERROR: ')]
            self.assertEqual(1, len(errors), result.stderr)
            self.assertIn(message, errors[0])
            self.assertNotIn('Traceback', result.stderr)
