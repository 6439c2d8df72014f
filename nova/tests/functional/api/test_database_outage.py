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

"""The compute API while its database goes away and comes back.

Requests over real HTTP while the test's PostgreSQL or MariaDB server is
shut down and started again, or while SQLite's file is gone: every request
the database fails is a 503 with ``Retry-After`` and nova's fault body,
never a 500, and the outage is logged once when it starts and once when it
ends, without a traceback per request. What was answered 200 is what the
database holds, with its notification.
"""

import os
import threading
import time

import testscenarios

from nova.db.main import api as db_api
from nova import objects
from nova import test
from nova.tests import db_servers
from nova.tests.functional.api import fixtures as api_fixtures

load_tests = testscenarios.load_tests_apply_scenarios

_WAIT = 60.0


class _OutageTestCase(test.TestCase):

    TIMEOUT = 120

    def setUp(self):
        super().setUp()
        self.service = objects.Service(self.context, host='host1',
                                       binary='nova-compute', topic='compute',
                                       report_count=0)
        self.service.create()
        self.server = self.useFixture(api_fixtures.APIServerFixture())
        self.answers = []
        self._stop = threading.Event()

    def _put(self, index):
        return self.server.admin_api.request(
            'PUT', '/os-services/%s' % self.service.uuid,
            body={'status': 'disabled', 'disabled_reason': 'put %d' % index})

    def _stream(self):
        """PUT one change after another until told to stop."""
        index = 0
        while not self._stop.is_set():
            index += 1
            response = self._put(index)
            self.answers.append((index, response))

    def _statuses(self):
        return [response.status for _index, response in self.answers]

    def _wait_for(self, what, condition):
        deadline = time.monotonic() + _WAIT
        while not condition():
            if time.monotonic() > deadline:
                self.fail('%s did not happen within %.0f s: %s'
                          % (what, _WAIT, sorted(set(self._statuses()))))
            time.sleep(0.02)

    def _run_outage(self, go, come_back):
        thread = threading.Thread(target=self._stream)
        thread.start()
        self.addCleanup(thread.join, _WAIT)
        self.addCleanup(self._stop.set)
        self._wait_for('a first answer', lambda: self.answers)
        go()
        self._wait_for('a 503', lambda: 503 in self._statuses())
        count = len(self.answers)
        self._wait_for('more 503s', lambda: len(self.answers) > count + 2)
        come_back()
        self._wait_for('a 200 after the 503s', lambda: (
            self._statuses()[-1] == 200 and 503 in self._statuses()))
        self._stop.set()
        thread.join(_WAIT)

    def _assert_outage_answered_and_logged(self, *conditions):
        statuses = self._statuses()
        self.assertEqual({200, 503}, set(statuses))
        messages = ['The request could not be completed: %s. Nothing was '
                    'changed; retry later.' % condition
                    for condition in conditions]
        for _index, response in self.answers:
            if response.status == 503:
                self.assertEqual('5', response.headers['Retry-After'])
                self.assertIn(
                    response.json['serviceUnavailable']['message'], messages)
        log = self.stdlog.output
        self.assertNotIn('Traceback', log)
        self.assertEqual(1, log.count('ERROR nova.db.main.outage The '
                                      'database is unavailable ('), log)
        self.assertEqual(1, log.count('The database is available again'))
        # NOTE: what was answered 200 was done, and notified, in order. (A
        # commit whose answer the server's shutdown cut off is unknown to
        # the API: its notification may be there too.)
        done = ['put %d' % index for index, response in self.answers
                if response.status == 200]
        stored = objects.Service.get_by_uuid(self.context, self.service.uuid)
        self.assertEqual(done[-1], stored.disabled_reason)
        reasons = [n['payload']['nova_object.data']['disabled_reason']
                   for n in self.notifier.versioned_notifications
                   if n['event_type'] == 'service.update']
        self.assertEqual(done, [reason for reason in reasons
                                if reason in done])


class TestServerRestart(_OutageTestCase):

    scenarios = [scenario for scenario in test.DATABASE_SCENARIOS
                 if scenario[0] != 'sqlite']

    def test_the_server_restarts_mid_stream(self):
        server = db_servers.shared_server(self.DATABASE)
        self._run_outage(server.halt, server.resume)
        # NOTE: PostgreSQL says it is stopping, then nothing answers, then
        # it says it is starting.
        self._assert_outage_answered_and_logged(
            'the database cannot be reached', 'the database is stopping',
            'the database is starting')


class TestSQLiteFileRemoved(_OutageTestCase):

    def test_the_file_goes_and_comes_back(self):
        path = db_api.get_engine().url.database
        aside = path + '.aside'
        self._run_outage(lambda: os.rename(path, aside),
                         lambda: os.rename(aside, path))
        self._assert_outage_answered_and_logged(
            'the database cannot be opened')
