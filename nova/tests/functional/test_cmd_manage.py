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

import json
import os
import subprocess

import fixtures

from nova.cmd import common
from nova.demo import expectations
from nova.demo import state as demo_state
from nova import test

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

    def event_types(self):
        return [envelope['event_type']
                for envelope in self.state.read_notifications()]


class TestManage(ConsoleScriptTestCase):

    def test_service_lifecycle(self):
        self.manage('db', 'sync')
        self.manage('service', 'create', '--host', 'host1', '--binary',
                    'nova-compute')
        service, = json.loads(self.manage('service', 'list', '--format',
                                          'json').stdout)
        self.assertEqual(('host1', 'nova-compute', 'enabled'),
                         (service['host'], service['binary'],
                          service['status']))
        self.assertIn(service['uuid'], self.manage('service', 'list').stdout)

        self.manage('service', 'disable', service['uuid'], '--reason',
                    'maintenance')
        shown = json.loads(self.manage('service', 'show', service['uuid'],
                                       '--format', 'json').stdout)
        self.assertEqual(('disabled', 'maintenance'),
                         (shown['status'], shown['disabled_reason']))

        self.manage('service', 'delete', service['uuid'])
        missing = self.manage('service', 'show', service['uuid'],
                              exit_code=1)
        self.assertEqual('ERROR: Service %s could not be found.\n'
                         % service['uuid'], missing.stderr)
        self.assertEqual('', missing.stdout)

        envelopes = self.state.read_notifications()
        self.assertEqual(['service.create', 'service.update',
                          'service.delete'], self.event_types())
        for envelope in envelopes:
            self.assertEqual(sorted(expectations.ENVELOPE_KEYS),
                             sorted(envelope))
            self.assertEqual(service['uuid'],
                             envelope['payload']['nova_object.data']['uuid'])

    def test_errors(self):
        not_migrated = self.manage('service', 'list', exit_code=1)
        self.assertIn('has no schema; run "nova-manage db sync" first.',
                      not_migrated.stderr)

        bad_uuid = self.manage('service', 'disable', 'host1', exit_code=2)
        self.assertIn("argument UUID: 'host1' is not a service uuid",
                      bad_uuid.stderr)
        self.assertIn('usage: nova-manage service disable', bad_uuid.stderr)

        missing_config = subprocess.run(
            demo_state.common.console_script('nova-manage') +
            ['--config-file', self.state.path + '/missing.conf', 'db',
             'version'], capture_output=True, text=True,
            timeout=COMMAND_TIMEOUT)
        self.assertEqual(2, missing_config.returncode)
        self.assertIn('missing.conf', missing_config.stderr)
        self.assertEqual([], self.event_types())

    def test_help(self):
        help_text = self.manage('service', '--help').stdout
        for action in ('list', 'show', 'create', 'disable', 'enable',
                       'force-down', 'unforce-down', 'delete'):
            self.assertIn(action, help_text)


class TestBadConfigurationFiles(ConsoleScriptTestCase):
    """nova-api and nova-manage refuse unreadable files without traceback."""

    def test_refused_with_one_error_line(self):
        directory = self.useFixture(fixtures.TempDir()).path
        binary = os.path.join(directory, 'binary.conf')
        with open(binary, 'wb') as f:
            f.write(b'\xd0\x00\xff' * 40)
        for config in (binary, directory):
            for program, args in (('nova-manage', ('service', 'list')),
                                  ('nova-api', ())):
                result = subprocess.run(
                    common.console_script(program) +
                    ['--config-file', config] + list(args),
                    capture_output=True, text=True, timeout=COMMAND_TIMEOUT)
                self.assertEqual(2, result.returncode,
                                 (program, config, result.stderr))
                errors = [line for line in result.stderr.splitlines()
                          if line.startswith('ERROR: ')]
                self.assertEqual(1, len(errors), result.stderr)
                self.assertIn('cannot read a configuration file', errors[0])
                self.assertNotIn('Traceback', result.stderr)
