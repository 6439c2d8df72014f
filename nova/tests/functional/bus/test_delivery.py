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

"""Every committed change reaches consumers, in order per service.

Against the real thing: this process's RabbitMQ broker, a real SQLite file,
the API over HTTP, durable queues on both sides. The outbox is the record
of what was committed, in commit order per service: a listener must receive
every message of it (repeats allowed, with their ``message_id``), each
service's in that order.
"""

import logging
import os
import signal
import subprocess
import threading
import time

import fixtures
import sqlalchemy as sa

from nova.cmd import common
from nova.db.main import api as db_api
from nova import objects
from nova.tests.functional.api import client
from nova.tests.functional.bus import base
from nova.tests.functional import processes
from nova.tests import local_servers

# NOTE: how long the listener may take to receive everything once the
# changes are done: a broker restart, a lease to expire, a busy machine.
_DELIVERY_TIMEOUT = 60.0


class DeliveryTestCase(base.BusTestCase):

    # NOTE: thousands of requests and a broker restart, on a machine that
    # runs another test worker meanwhile.
    TIMEOUT = 240

    def setUp(self):
        super().setUp()
        # NOTE: thousands of requests logged at DEBUG make more than a test
        # result can carry; INFO still has a line per request.
        self.stdlog = self.useFixture(fixtures.FakeLogger(
            level=logging.INFO, format='%(levelname)s %(name)s %(message)s'))

    def _outbox(self):
        """(service uuid, message_id) of every notification, in id order."""
        with db_api.get_engine().connect() as connection:
            return [tuple(row) for row in connection.execute(sa.text(
                'SELECT service_uuid, message_id FROM notification_outbox '
                'ORDER BY id'))]

    def _assert_every_change_delivered(self):
        committed = self._outbox()
        expected = {message_id for _uuid, message_id in committed}
        received = self.listener.wait_until(
            lambda messages: expected <= {m['message_id']
                                          for m in messages},
            _DELIVERY_TIMEOUT, 'delivery of %d notifications'
            % len(expected))
        ids = [message['message_id'] for message in received]
        self.assertEqual(set(), set(ids) - expected, 'unknown messages')
        first_seen = list(dict.fromkeys(ids))
        service_of = dict((message_id, uuid)
                          for uuid, message_id in committed)
        for uuid in set(service_of.values()):
            self.assertEqual(
                [message_id for owner, message_id in committed
                 if owner == uuid],
                [message_id for message_id in first_seen
                 if service_of[message_id] == uuid],
                'notifications of service %s out of order' % uuid)
        # NOTE: each repeat is a copy of what was first received.
        by_id = {}
        for message in received:
            self.assertEqual(by_id.setdefault(message['message_id'],
                                              message), message)
        self._assert_last_payloads_are_committed(received)
        return len(ids) - len(first_seen)

    def _assert_last_payloads_are_committed(self, received):
        last = {}
        for message in received:
            data = message['payload']['nova_object.data']
            last[data['uuid']] = data
        for uuid, data in last.items():
            if self._event_of_last(received, uuid) == 'service.delete':
                continue
            row = objects.Service.get_by_uuid(self.context, uuid)
            self.assertEqual(
                (row.disabled, row.disabled_reason, row.forced_down),
                (data['disabled'], data['disabled_reason'],
                 data['forced_down']), uuid)

    @staticmethod
    def _event_of_last(received, uuid):
        return [m['event_type'] for m in received
                if m['payload']['nova_object.data']['uuid'] == uuid][-1]

    @staticmethod
    def _body(index, step):
        if step % 2:
            return {'status': 'enabled'}
        return {'status': 'disabled',
                'disabled_reason': 'client %d step %d' % (index, step)}


class TestBrokerRestartMidStream(DeliveryTestCase):
    """400 changes from 4 clients; the broker stops and starts again.

    Every change is answered and committed meanwhile, the relay logs the
    outage at ERROR without the transport URL's password, and every
    notification arrives, each service's in order.
    """

    CHANGES = 400
    CLIENTS = 4

    def _changes_across_a_restart(self, stop):
        services = self.create_services(self.CLIENTS)
        per_client = self.CHANGES // self.CLIENTS
        done = []
        failures = []
        quarter = threading.Event()
        lock = threading.Lock()

        def changes(index):
            try:
                for step in range(per_client):
                    self.admin_api.put_service(services[index].uuid,
                                               self._body(index, step))
                    with lock:
                        done.append(1)
                        if len(done) == self.CHANGES // 4:
                            quarter.set()
            except Exception as error:
                failures.append(error)
                quarter.set()

        clients = [threading.Thread(target=changes, args=(index,))
                   for index in range(self.CLIENTS)]
        for thread in clients:
            thread.start()
        self.assertTrue(quarter.wait(60), 'the changes did not start')
        stop()
        # NOTE: down until the relay failed to publish, so that the test
        # sees an outage and not a quick reconnection.
        self.wait_for_log('ERROR nova.notifications.delivery.backoff Cannot '
                          'publish notification', 60)
        self.broker.start()
        for thread in clients:
            thread.join(120)
        self.assertEqual([], failures)
        self.assertEqual(self.CHANGES, len(done))
        self.assertEqual(self.CLIENTS + self.CHANGES, len(self._outbox()))
        self._assert_every_change_delivered()
        self.assertNotIn(self.broker.password, self.stdlog.output)

    def _kill(self):
        os.kill(self.broker.pid, signal.SIGKILL)
        if not local_servers.wait_for_exit(self.broker.pid, 20):
            self.fail('the broker did not exit on SIGKILL')
        self.broker.stop()

    def test_graceful_stop(self):
        # NOTE: RabbitMQ stopped inside its node, as SIGTERM stops it
        # before the node halts: the clients' side of it is the same.
        self._changes_across_a_restart(self.broker.stop_application)

    def test_killed(self):
        self._changes_across_a_restart(self._kill)


class TestSeveralProcesses(DeliveryTestCase):
    """Two nova-api processes, nova-manage and two relays on one database.

    Each nova-api process runs a relay; one is killed by pid in the middle
    of the changes, and the other takes its shards over once their leases
    expire.
    """

    CLIENTS = 4
    PER_CLIENT = 60
    MANAGE_RUNS = 2

    def setUp(self):
        super().setUp()
        # NOTE: only the relays of the nova-api processes publish.
        self.relay.stop(0)
        directory = self.useFixture(fixtures.TempDir()).path
        self.config = os.path.join(directory, 'nova.conf')
        processes.write_config(self.config, {
            'DEFAULT': {'host': 'apihost', 'state_path': directory,
                        'transport_url': self.broker.transport_url},
            'database': {'connection': db_api.get_engine().url
                         .render_as_string(hide_password=False)},
            'oslo_messaging_notifications': {'driver': 'messagingv2'},
            'oslo_messaging_rabbit': {'amqp_durable_queues': 'true'},
            'notifications': {
                'relay_lease_time': self.RELAY_LEASE_TIME,
                'relay_poll_interval': self.RELAY_POLL_INTERVAL,
                'relay_retry_max_interval': 1.0},
        })

    def _manage(self, *args):
        return subprocess.run(
            common.console_script('nova-manage') + [
                '--config-file', self.config] + list(args),
            stdin=subprocess.DEVNULL, capture_output=True, text=True,
            timeout=60)

    def test_order_holds_across_processes_and_a_killed_relay(self):
        first = self.useFixture(processes.NovaAPIProcess(self.config))
        second = self.useFixture(processes.NovaAPIProcess(self.config))
        apis = [client.TestOpenStackClient(api.url + '/v2.1')
                for api in (first, second)]
        services = self.create_services(2)
        total = self.CLIENTS * self.PER_CLIENT
        done = []
        failures = []
        killed = threading.Event()
        lock = threading.Lock()

        def changes(index):
            uuid = services[index % 2].uuid
            for step in range(self.PER_CLIENT):
                body = self._body(index, step)
                for api in (apis[(index + step) % 2], apis[1]):
                    try:
                        api.put_service(uuid, body)
                        break
                    except (OSError, client.OpenStackApiException):
                        # NOTE: the first API was killed; the change may
                        # or may not have committed: the outbox tells.
                        continue
                else:
                    failures.append((index, step))
                with lock:
                    done.append(1)
                    if len(done) == total * 2 // 5:
                        first.kill()
                        killed.set()

        def manage(run):
            uuid = services[run % 2].uuid
            result = (self._manage('service', 'disable', uuid, '--reason',
                                   'manage %d' % run)
                      if run % 2 == 0 else
                      self._manage('service', 'enable', uuid))
            if result.returncode:
                failures.append(result.stderr)

        threads = [threading.Thread(target=changes, args=(index,))
                   for index in range(self.CLIENTS)]
        threads.extend(threading.Thread(target=manage, args=(run,))
                       for run in range(self.MANAGE_RUNS))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(180)
        self.assertTrue(killed.is_set())
        self.assertEqual([], failures)
        started = time.monotonic()
        self._assert_every_change_delivered()
        # NOTE: the killed relay's shards come back within the lease time,
        # plus a poll and the time to publish.
        self.assertLess(time.monotonic() - started, _DELIVERY_TIMEOUT)
        self.wait_for_empty_outbox()
