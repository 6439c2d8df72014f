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

"""Hostile and malformed requests get a clear 4xx, never a 500.

Each case is a reproducer from the field, sent over real HTTP: the answer
is nova's fault body with a message saying what is wrong, nothing is
changed and no notification is sent.
"""

import sqlite3

import fixtures

from nova.db.main import api as db_api
from nova.tests.functional.api import test_services


class TestMalformedRequests(test_services.ServicesAPITestBase):

    def setUp(self):
        super().setUp()
        self.before = self._row(self.compute1)

    def _put(self, raw_body, path=None, headers=None):
        return self.admin_api.request(
            'PUT', path or self._url(self.compute1), raw_body=raw_body,
            headers=dict({'Content-Type': 'application/json'},
                         **(headers or {})))

    def assertNothingHappened(self):
        self.assertEqual(self.before, self._row(self.compute1))
        self.assertEqual([], self.notifier.versioned_notifications)

    def test_json_nested_too_deeply(self):
        body = b'{"status": ' + b'[' * 1000 + b']' * 1000 + b'}'
        self.assertFault(self._put(body), 400, 'badRequest',
                         'nested too deeply')
        self.assertNothingHappened()

    def test_lone_surrogate_in_the_reason(self):
        response = self._put(b'{"status": "disabled", '
                             b'"disabled_reason": "\\ud800"}')
        self.assertFault(response, 400, 'badRequest', 'lone surrogate')
        self.assertNothingHappened()

    def test_url_that_is_not_utf8(self):
        response = self._put(b'{"forced_down": false}',
                             path='/os-services/%ZZ%C3%28')
        self.assertFault(response, 400, 'badRequest', 'not valid UTF-8')
        self.assertNothingHappened()

    def test_query_string_that_is_not_utf8(self):
        response = self.admin_api.request('GET', '/os-services?host=%ff%fe')
        self.assertFault(response, 400, 'badRequest', 'not valid UTF-8')

    def test_microversion_of_thousands_of_digits(self):
        response = self.admin_api.request(
            'GET', '/os-services',
            headers={'OpenStack-API-Version': 'compute 2.' + '9' * 5000})
        self.assertFault(response, 400, 'badRequest',
                         'API Version String 2.999')
        self.assertLess(len(response.body), 500)

    def test_upper_case_uuid_is_the_same_service(self):
        response = self.admin_api.request(
            'PUT', '/os-services/%s' % self.compute1.uuid.upper(),
            body={'forced_down': True})
        self.assertEqual(200, response.status, response)
        self.assertEqual(self.compute1.uuid,
                         response.json['service']['id'])
        self.assertTrue(self._row(self.compute1)['forced_down'])

    def test_body_of_exactly_the_limit_is_accepted(self):
        # NOTE: api-paste.ini's sizelimit filter (oslo.middleware) reads
        # its limit at each request.
        self.flags(max_request_body_size=256, group='oslo_middleware')
        body = b'{"forced_down": true}'
        body += b' ' * (256 - len(body))
        self.assertEqual(200, self._put(body).status)
        response = self._put(body + b' ')
        self.assertEqual(413, response.status)
        self.assertIn('Request is too large', response.body)


class TestDatabaseUnavailable(test_services.ServicesAPITestBase):
    """A database held by another process is a 503, and passes."""

    def test_locked_database_is_a_503_then_recovers(self):
        path = db_api.get_engine().url.database
        # NOTE: a writer waits for the lock up to SQLite's busy timeout
        # (5 s, the sqlite3 module's default) before it fails; the URL's
        # timeout shortens the wait, not what follows it.
        manager = db_api.create_context_manager(
            connection='sqlite:///%s?timeout=0.2' % path)
        self.useFixture(fixtures.MonkeyPatch(
            'nova.db.main.api.context_manager', manager))
        self.addCleanup(lambda: manager.writer.get_engine().dispose())
        other = sqlite3.connect(path, isolation_level=None)
        self.addCleanup(other.close)
        other.execute('BEGIN EXCLUSIVE')
        response = self.admin_api.request(
            'PUT', self._url(self.compute1), body={'forced_down': True})
        self.assertFault(response, 503, 'serviceUnavailable',
                         'the database is busy')
        self.assertEqual('5', response.headers['Retry-After'])
        other.execute('ROLLBACK')
        self.assertFalse(self._row(self.compute1)['forced_down'])
        self.assertEqual([], self.notifier.versioned_notifications)
        self.assertIn('ERROR nova.db.main.outage The database is '
                      'unavailable (the database is busy)',
                      self.stdlog.output)
        # NOTE: no restart needed.
        response = self.admin_api.request(
            'PUT', self._url(self.compute1), body={'forced_down': True})
        self.assertEqual(200, response.status, response)
