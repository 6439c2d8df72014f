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

"""nova-notifications listen on the real broker.

Where the command must listen while changes are made (the samples as sent,
the table seeded from the API) or where its exit matters, the tests start
the console script, wait until it says it listens, make changes through the
service runner and the API over HTTP, and read what it printed once it
exits (``--max-messages``, bounded by ``--timeout``). The others queue the
notifications first and run the command in this process. The printing,
filters and tables themselves are tested in nova.tests.unit.cmd.
"""

import json
import subprocess
import threading
import time

import fixtures
import oslo_messaging as messaging
from oslo_utils import uuidutils

from nova.cmd import common
import nova.conf
from nova.notifications.delivery import drivers
from nova import service as nova_service
from nova.tests.functional.bus import base

CONF = nova.conf.CONF

_START_TIMEOUT = 30
_RUN_TIMEOUT = 30


class ListenCommand(object):
    """One ``nova-notifications listen`` process, on a queue of its own."""

    def __init__(self, test, url, *args):
        self.test = test
        self.pool = 'nova-cli-%s' % uuidutils.generate_uuid(dashed=False)
        # NOTE: the queues are declared as the services declare them.
        config = test.useFixture(fixtures.TempDir()).join('nova.conf')
        with open(config, 'w') as f:
            f.write('[oslo_messaging_rabbit]\namqp_durable_queues = true\n')
        command = common.console_script('nova-notifications') + [
            '--config-file', config, 'listen', '--transport-url', url,
            '--pool', self.pool, '--timeout', str(_RUN_TIMEOUT)] + list(args)
        self.process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True)
        test.addCleanup(self._kill)
        self.stderr_lines = []
        self._listening = threading.Event()
        self._reader = threading.Thread(target=self._read_stderr,
                                        daemon=True)
        self._reader.start()
        if not self._listening.wait(_START_TIMEOUT):
            self._kill()
            test.fail('nova-notifications did not start listening within '
                      '%ss:\n%s' % (_START_TIMEOUT,
                                    ''.join(self.stderr_lines)))

    def _read_stderr(self):
        for line in self.process.stderr:
            self.stderr_lines.append(line)
            if line.startswith('Listening on '):
                self._listening.set()

    def _kill(self):
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()

    def finish(self, exit_code=0):
        """Wait for the process to exit; return its stdout lines."""
        stdout = self.process.stdout.read()
        self.process.wait(_RUN_TIMEOUT + 10)
        self._reader.join(10)
        stderr = ''.join(self.stderr_lines)
        self.test.assertEqual(exit_code, self.process.returncode,
                              'stdout:\n%s\nstderr:\n%s' % (stdout, stderr))
        self.test.assertNotIn('Traceback', stderr)
        self.stderr = stderr
        return stdout.splitlines()


class TestListen(base.BusTestCase):

    def setUp(self):
        super().setUp()
        self.compute = nova_service.Service.create(
            binary='nova-compute', host='host1', report_interval=3600)
        self.addCleanup(self.compute.stop, timeout=5)

    def listen(self, *args):
        return ListenCommand(self, self.broker.transport_url, *args)

    def _lifecycle(self):
        """Create, disable with a reason, then delete the compute service."""
        self.compute.start()
        self.service = self.compute.service_ref
        self.admin_api.put_service(self.service.uuid,
                                   {'status': 'disabled',
                                    'disabled_reason': 'test2'})
        self.admin_api.delete_service(self.service.uuid)

    def test_prints_each_notification_as_sent(self):
        command = self.listen('--max-messages', '3')
        self._lifecycle()
        lines = command.finish()
        received = [json.loads(line) for line in lines]
        self.assertEqual(
            ['service.create', 'service.update', 'service.delete'],
            [message['event_type'] for message in received])
        uuid = {'uuid': self.service.uuid}
        self._verify_notification('service-create.json', uuid,
                                  actual=received[0])
        self._verify_notification(
            'service-update.json', dict(uuid, report_count=0,
                                        last_seen_up=None),
            actual=received[1])
        self._verify_notification(
            'service-delete.json',
            dict(uuid, report_count=0, last_seen_up=None, disabled=True,
                 disabled_reason='test2'),
            actual=received[2])
        # NOTE: the same messages the test's own listener received.
        self.assertEqual(self.listener.wait_for(3), received)
        self.assertIn('Listening on rabbit://nova:***@127.0.0.1:%d/'
                      % self.broker.port, command.stderr)
        self.assertNotIn(self.broker.password, command.stderr)

    def test_publisher_filter_excludes(self):
        pool = self.declare_pool()
        self._lifecycle()
        self.listener.wait_for(3)
        code, lines, err = self.run_listen(pool, publisher=['nova-api:*'],
                                           max_messages=1, timeout=1)
        self.assertEqual((1, []), (code, lines))
        self.assertIn('0 of 1 notifications received within 1.0s', err)

    def _replay(self, message):
        """Send ``message`` again, as is: a redelivery, same message_id."""
        transport = messaging.get_notification_transport(
            CONF, url=self.broker.transport_url)
        self.addCleanup(transport.cleanup)
        driver = drivers.ReportingMessagingV2Driver(
            CONF, topics=['versioned_notifications'], transport=transport)
        driver.notify({}, message, message['priority'], 0)

    def test_services_table_survives_duplicates_and_late_updates(self):
        # NOTE: all of it is on the queue before the command reads it.
        pool = self.declare_pool()
        self.compute.start()
        service = self.compute.service_ref
        self.admin_api.put_service(service.uuid, {'status': 'disabled'})
        create, update = self.listener.wait_for(2)
        self._replay(create)
        self.admin_api.delete_service(service.uuid)
        self.listener.wait_for(4)
        # NOTE: an update sent before the delete, arriving after it.
        late = dict(update, message_id=uuidutils.generate_uuid())
        self._replay(late)
        self.listener.wait_for(5)
        # NOTE: piped, --services alone writes JSON lines.
        code, lines, _err = self.run_listen(pool, services=True,
                                            max_messages=5)
        self.assertEqual(0, code)
        lines = [json.loads(line) for line in lines]
        self.assertEqual(
            ['added', 'updated', 'duplicate', 'removed', 'after-delete'],
            [line['outcome'] for line in lines])
        self.assertEqual(service.uuid, lines[3]['service']['uuid'])
        self.assertIsNone(lines[-1]['service'])

    def test_services_seeded_from_the_api(self):
        self.compute.start()
        service = self.compute.service_ref
        self.admin_api.put_service(service.uuid, {'status': 'disabled',
                                                  'disabled_reason': 'x'})
        self.listener.wait_for(2)
        # NOTE: the token comes from the environment, as OS_TOKEN would.
        self.useFixture(fixtures.EnvironmentVariable('OS_TOKEN',
                                                     'admin:admin'))
        command = self.listen('--services', '--seed-from-api',
                              self.api_fixture.api_url, '--max-messages', '1')
        self.admin_api.put_service(service.uuid, {'status': 'enabled'})
        seeded, updated = [json.loads(line) for line in command.finish()]
        self.assertEqual(
            ('seed', 'added', service.uuid, 'disabled', 'x'),
            (seeded['event_type'], seeded['outcome'],
             seeded['service']['uuid'], seeded['service']['status'],
             seeded['service']['disabled_reason']))
        self.assertEqual(('service.update', 'updated', 'enabled'),
                         (updated['event_type'], updated['outcome'],
                          updated['service']['status']))
        self.assertNotIn('admin:admin', command.stderr)

    def test_unreachable_bus_times_out(self):
        started = time.monotonic()
        code, lines, err = self.run_listen(
            None, transport_url='rabbit://nova:hidden-secret@127.0.0.1:1/',
            timeout=1)
        self.assertLess(time.monotonic() - started, _RUN_TIMEOUT)
        self.assertEqual((1, []), (code, lines), err)
        self.assertIn('could not reach the message bus at '
                      'rabbit://nova:***@127.0.0.1:1/ within 1.0s', err)
        self.assertNotIn('hidden-secret', err)
        self.assertNotIn('hidden-secret', self.stdlog.output)
