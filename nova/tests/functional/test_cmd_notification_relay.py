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

"""nova-notification-relay as a real process: publish, stop, refuse."""

import os
import signal
import sqlite3
import subprocess
import time

from nova.tests.functional.bus import fixtures as bus_fixtures
from nova.tests.functional import test_cmd_manage

WAIT_TIMEOUT = 30


class TestNotificationRelay(test_cmd_manage.ConsoleScriptTestCase):

    def _pending(self):
        connection = sqlite3.connect(self.state.database_file)
        try:
            return connection.execute(
                "SELECT COUNT(*) FROM notification_outbox WHERE state = "
                "'pending'").fetchone()[0]
        finally:
            connection.close()

    def _mark_all_pending(self):
        connection = sqlite3.connect(self.state.database_file)
        try:
            with connection:
                connection.execute(
                    "UPDATE notification_outbox SET state = 'pending', "
                    "delivered_at = NULL")
        finally:
            connection.close()

    def test_publishes_the_outbox_and_stops_on_sigterm(self):
        self.migrate_database()
        self.manage('service', 'create', '--host', 'host1', '--binary',
                    'nova-compute')
        published_by_manage = self.state.read_notifications()
        # NOTE: as if nova-manage had not reached the bus.
        self._mark_all_pending()
        relay = subprocess.Popen(
            self.state.command('nova-notification-relay'),
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.addCleanup(lambda: relay.poll() is None and relay.kill())
        deadline = time.monotonic() + WAIT_TIMEOUT
        while self._pending():
            if relay.poll() is not None or time.monotonic() > deadline:
                self.fail('nothing published: %s' % relay.communicate()[0])
            time.sleep(0.05)
        relay.send_signal(signal.SIGTERM)
        output, _ = relay.communicate(timeout=WAIT_TIMEOUT)
        self.assertEqual(0, relay.returncode, output)
        # NOTE: the same message again, message_id and timestamp included.
        self.assertEqual(published_by_manage * 2,
                         self.state.read_notifications())
        with open(self.state.log_file('nova-notification-relay')) as log:
            self.assertIn('received SIGTERM, stopping', log.read())

    def test_a_killed_relay_is_taken_over_within_seconds(self):
        # NOTE: SIGKILLed while it publishes, the relay leaves its lease
        # behind; the program started again takes its shard over at once,
        # where it waited for the lease to expire.
        self.migrate_database()
        self.manage('service', 'create', '--host', 'host1', '--binary',
                    'nova-compute')
        self._mark_all_pending()
        silent = self.useFixture(bus_fixtures.SilentServer())
        stuck_config = os.path.join(self.state.path, 'stuck.conf')
        with open(self.state.config_file) as config, \
                open(stuck_config, 'w') as stuck:
            stuck.write(config.read().replace(
                'driver = log', 'driver = messagingv2\ntransport_url = '
                'rabbit://nova:nova@127.0.0.1:%d/' % silent.port))
        stuck = subprocess.Popen(
            self.state.command('nova-notification-relay') +
            ['--config-file', stuck_config],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.addCleanup(lambda: stuck.poll() is None and stuck.kill())
        self._wait_for(lambda: self._lease_owners(), 'the stuck lease')
        stuck.kill()
        stuck.wait(WAIT_TIMEOUT)
        killed_at = time.monotonic()
        relay = subprocess.Popen(
            self.state.command('nova-notification-relay'),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.addCleanup(lambda: relay.poll() is None and relay.kill())
        self._wait_for(lambda: not self._pending(), 'the take-over')
        self.assertLess(time.monotonic() - killed_at, 5)
        relay.send_signal(signal.SIGTERM)
        self.assertEqual(0, relay.wait(WAIT_TIMEOUT))

    def _lease_owners(self):
        connection = sqlite3.connect(self.state.database_file)
        try:
            return connection.execute(
                'SELECT owner FROM notification_relay_leases WHERE owner IS '
                'NOT NULL').fetchall()
        finally:
            connection.close()

    def _wait_for(self, condition, what):
        deadline = time.monotonic() + WAIT_TIMEOUT
        while not condition():
            if time.monotonic() > deadline:
                self.fail('%s did not happen within %d s'
                          % (what, WAIT_TIMEOUT))
            time.sleep(0.05)

    def test_refuses_to_start_with_notifications_off(self):
        self.migrate_database()
        with open(self.state.config_file) as config:
            text = config.read()
        with open(self.state.config_file, 'w') as config:
            config.write(text.replace('driver = log', 'driver = noop'))
        result = self.run_script('nova-notification-relay')
        self.assertEqual(2, result.returncode, result.stderr)
        self.assertEqual(
            ['ERROR: versioned notifications are turned off ([notifications]'
             ' notification_format, [oslo_messaging_notifications] driver): '
             'there is nothing to relay'], result.stderr.splitlines())
