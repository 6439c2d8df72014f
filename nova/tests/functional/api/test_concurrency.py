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

"""Concurrent updates of one service through the API over real HTTP.

Several client threads send PUTs to the same service at once. The row must
end consistent, and the ``service.update`` notifications must be exactly one
per request, in the order the database committed the changes.
"""

import itertools
import threading
import time

import fixtures
import sqlalchemy as sa
from sqlalchemy import event
import testscenarios

from nova.db.main import api as db_api
from nova.db.main import models
from nova import objects
from nova import test
from nova.tests.functional.api import fixtures as api_fixtures

load_tests = testscenarios.load_tests_apply_scenarios

_STATUS_COLUMNS = ('disabled', 'disabled_reason', 'forced_down')


class CommittedStates(object):
    """The service rows as each UPDATE left them, in commit order.

    The database API locks the row (SQLite: the whole database) from its
    read to the commit, so the order in which UPDATE statements complete is
    the order of the commits. Each state is read in the writer's own
    transaction, right after its UPDATE.
    """

    def __init__(self, engine, service_id):
        self.engine = engine
        self.service_id = service_id
        self.states = []
        self._lock = threading.Lock()

    def __enter__(self):
        event.listen(self.engine, 'after_cursor_execute', self._record)
        return self

    def __exit__(self, *exc_info):
        event.remove(self.engine, 'after_cursor_execute', self._record)

    def _record(self, conn, cursor, statement, parameters, context,
                executemany):
        if not statement.lstrip().upper().startswith('UPDATE SERVICES'):
            return
        services = models.Service.__table__
        row = conn.execute(
            sa.select(services.c.disabled, services.c.disabled_reason,
                      services.c.forced_down)
            .where(services.c.id == self.service_id)).one()
        with self._lock:
            self.states.append(
                (bool(row[0]), row[1], bool(row[2])))


class TestConcurrentServiceUpdates(test.TestCase):

    scenarios = test.DATABASE_SCENARIOS

    CLIENT_THREADS = 8
    REQUESTS_PER_THREAD = 6

    def setUp(self):
        super().setUp()
        self.service = objects.Service(self.context, host='host1',
                                       binary='nova-compute',
                                       topic='compute', report_count=0)
        self.service.create()
        self.notifier.reset()
        self._slow_down_emit()
        self.admin_api = self.useFixture(
            api_fixtures.APIServerFixture()).admin_api

    def _slow_down_emit(self):
        # NOTE: every other notification is slow to leave, as on a busy
        # host or with a slow broker: a later commit whose notification is
        # fast would overtake it unless commit and emit are serialized.
        send = objects.Service._send_notification
        calls = itertools.count()

        def slow_send(service, action):
            if next(calls) % 2 == 0:
                time.sleep(0.005)
            return send(service, action)
        self.useFixture(fixtures.MonkeyPatch(
            'nova.objects.service.Service._send_notification', slow_send))

    def _client(self, index, results, barrier):
        barrier.wait()
        for request in range(self.REQUESTS_PER_THREAD):
            reason = 'client-%d-request-%d' % (index, request)
            body = {'status': 'disabled', 'disabled_reason': reason,
                    'forced_down': bool((index + request) % 2)}
            response = self.admin_api.request(
                'PUT', '/os-services/%s' % self.service.uuid, body=body)
            results.append((body, response))

    def test_concurrent_puts_notify_once_each_in_commit_order(self):
        total = self.CLIENT_THREADS * self.REQUESTS_PER_THREAD
        results = []
        barrier = threading.Barrier(self.CLIENT_THREADS)
        with CommittedStates(db_api.get_engine(),
                             self.service.id) as committed:
            threads = [threading.Thread(target=self._client,
                                        args=(index, results, barrier))
                       for index in range(self.CLIENT_THREADS)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(30)
            self.assertFalse(any(thread.is_alive() for thread in threads))
            notifications = self.notifier.wait_for_versioned_notifications(
                total)

        # Every request succeeded and answered with its own change.
        self.assertEqual(total, len(results))
        for body, response in results:
            self.assertEqual(200, response.status, response)
            self.assertEqual(body['disabled_reason'],
                             response.json['service']['disabled_reason'])

        # Exactly one service.update per request, nothing else.
        self.assertEqual(['service.update'] * total,
                         [n['event_type'] for n in notifications])
        payloads = [n['payload']['nova_object.data'] for n in notifications]
        self.assertEqual(
            sorted(body['disabled_reason'] for body, _ in results),
            sorted(payload['disabled_reason'] for payload in payloads))

        # The notifications follow the commits, one for one.
        self.assertEqual(committed.states,
                         [tuple(payload[c] for c in _STATUS_COLUMNS)
                          for payload in payloads])

        # The row ends as the last notification says.
        row = objects.Service.get_by_uuid(self.context, self.service.uuid)
        last = payloads[-1]
        for field in ('disabled', 'disabled_reason', 'forced_down',
                      'report_count', 'version', 'host', 'binary', 'uuid'):
            self.assertEqual(getattr(row, field), last[field], field)
