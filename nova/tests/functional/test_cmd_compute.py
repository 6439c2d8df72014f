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

"""nova-compute as a real process: register, heartbeat, stop on a signal."""

import signal
import sqlite3
import subprocess
import time

from nova.tests.functional import test_cmd_manage

WAIT_TIMEOUT = 30
STOP_TIMEOUT = 15


class TestCompute(test_cmd_manage.ConsoleScriptTestCase):

    def start_compute(self):
        process = subprocess.Popen(self.state.command('nova-compute'),
                                   stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True)
        self.addCleanup(self._kill, process)
        return process

    @staticmethod
    def _kill(process):
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=STOP_TIMEOUT)

    def wait_for(self, condition, process, what):
        """Poll ``condition`` until true; fail if the process exits first."""
        deadline = time.monotonic() + WAIT_TIMEOUT
        while not condition():
            if process.poll() is not None:
                self.fail('nova-compute exited %d before %s: %s' % (
                    process.returncode, what, process.communicate()[0]))
            if time.monotonic() > deadline:
                self.fail('no %s within %d s' % (what, WAIT_TIMEOUT))
            time.sleep(0.05)

    def stop(self, process, signum):
        process.send_signal(signum)
        output, _ = process.communicate(timeout=STOP_TIMEOUT)
        self.assertEqual(0, process.returncode, output)

    def report_count(self):
        connection = sqlite3.connect(self.state.database_file)
        try:
            row = connection.execute(
                'SELECT report_count FROM services WHERE deleted = 0 AND '
                "binary = 'nova-compute'").fetchone()
        finally:
            connection.close()
        return row[0] if row else None

    def log(self):
        with open(self.state.log_file('nova-compute')) as log:
            return log.read()

    def test_register_heartbeat_stop_and_restart(self):
        self.migrate_database()
        compute = self.start_compute()
        self.wait_for(lambda: self.event_types() == ['service.create'],
                      compute, 'service.create')
        self.wait_for(lambda: (self.report_count() or 0) >= 1, compute,
                      'heartbeat')
        self.stop(compute, signal.SIGTERM)
        self.assertIn('nova-compute is ready: service', self.log())
        self.assertIn('nova-compute received SIGTERM, stopping', self.log())

        # NOTE: a restart finds its record: no second service.create, and
        # heartbeats emit nothing either.
        beats = self.report_count()
        compute = self.start_compute()
        self.wait_for(lambda: self.report_count() > beats, compute,
                      'heartbeat after restart')
        self.stop(compute, signal.SIGINT)
        self.assertIn('nova-compute received SIGINT, stopping', self.log())
        self.assertEqual(['service.create'], self.event_types())

    def test_database_without_schema(self):
        compute = self.start_compute()
        output, _ = compute.communicate(timeout=WAIT_TIMEOUT)
        self.assertEqual(1, compute.returncode, output)
        self.assertIn('has no schema; run "nova-manage db sync" first.',
                      output)
        self.assertNotIn('Traceback', output)
