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

"""A database unavailable for a while: which errors, and its log."""

import sqlite3

import fixtures
from oslo_db import exception as db_exc
import psycopg2
import pymysql
import sqlalchemy.exc as sa_exc

from nova.db.main import api as db
from nova.db.main import outage
from nova import exception
from nova import test


def _wrapped(error, statement='SELECT 1'):
    """What SQLAlchemy makes of a driver's error, then oslo.db of that."""
    return db_exc.DBError(sa_exc.DBAPIError.instance(
        statement, {}, error, error.__class__.__bases__[0]))


class TestReason(test.TestCase):

    USES_DB = False

    def test_conditions_a_retry_can_cure_are_named(self):
        for error, reason in (
                (_wrapped(sqlite3.OperationalError('database is locked')),
                 'the database is busy'),
                (_wrapped(sqlite3.OperationalError(
                    'attempt to write a readonly database')),
                 'the database is read-only'),
                (_wrapped(sqlite3.OperationalError(
                    'database or disk is full')),
                 "the database's disk is full"),
                (_wrapped(sqlite3.OperationalError(
                    'unable to open database file')),
                 'the database cannot be opened'),
                (db_exc.DBNonExistentTable(
                    'services', inner_exception=sqlite3.OperationalError(
                        'no such table: services')),
                 'the database has lost its tables'),
                (db_exc.DBConnectionError('gone'),
                 'the database cannot be reached'),
                (db_exc.DBDeadlock(), 'the database is busy'),
                (sqlite3.OperationalError('database is locked'),
                 'the database is busy'),
                (sa_exc.OperationalError(
                    'UPDATE', {},
                    sqlite3.OperationalError('database is locked')),
                 'the database is busy'),
                # NOTE: libpq's words since PostgreSQL 14, which oslo.db
                # does not take for a connection error.
                (_wrapped(psycopg2.OperationalError(
                    'connection to server at "127.0.0.1", port 5432 failed: '
                    'Connection refused')), 'the database cannot be reached'),
                (_wrapped(psycopg2.OperationalError(
                    'FATAL:  the database system is starting up')),
                 'the database is starting'),
                (_wrapped(psycopg2.OperationalError(
                    'terminating connection due to administrator command')),
                 'the database cannot be reached'),
                (_wrapped(pymysql.err.OperationalError(
                    2013, 'Lost connection to MySQL server during query')),
                 'the database cannot be reached'),
                (_wrapped(pymysql.err.InternalError(
                    1290, 'The MySQL server is running with the '
                          '--read-only option')),
                 'the database is read-only')):
            self.assertEqual(reason, outage.reason(error), error)

    def test_other_errors_are_bugs(self):
        for error in (_wrapped(sqlite3.ProgrammingError('no such column')),
                      db_exc.DBDataError('too long'),
                      db_exc.DBError(sqlite3.IntegrityError('NOT NULL')),
                      ValueError('database is locked')):
            self.assertIsNone(outage.reason(error), error)


class TestOutage(test.TestCase):
    """One ERROR when the database goes, one line when it is back."""

    USES_DB = False

    def test_logged_once_at_each_end(self):
        tracker = outage.Outage()
        tracker.ended()
        for _ in range(3):
            tracker.failed('the database cannot be reached')
        tracker.ended()
        tracker.ended()
        lines = [line for line in self.stdlog.output.splitlines()
                 if line.startswith(('ERROR', 'WARNING'))]
        self.assertEqual(2, len(lines), lines)
        self.assertTrue(lines[0].startswith(
            'ERROR nova.db.main.outage The database is unavailable (the '
            'database cannot be reached)'), lines[0])
        self.assertRegex(lines[1], r'^WARNING nova.db.main.outage The '
                         r'database is available again after [0-9.]+ s '
                         r'and 3 failed calls\.$')


class TestDatabaseAPI(test.TestCase):
    """The database API raises DatabaseUnavailable, and logs the outage."""

    def test_an_unavailable_database_is_one_error(self):
        manager = db.create_context_manager(
            connection='sqlite:////nonexistent-dir/nova.sqlite')
        self.useFixture(fixtures.MonkeyPatch(
            'nova.db.main.api.context_manager', manager))
        for _ in range(2):
            error = self.assertRaises(exception.DatabaseUnavailable,
                                      db.service_get_all, self.context)
            self.assertEqual('the database cannot be opened',
                             error.kwargs['reason'])
        errors = [line for line in self.stdlog.output.splitlines()
                  if line.startswith('ERROR')]
        self.assertEqual(['ERROR nova.db.main.outage The database is '
                          'unavailable (the database cannot be opened): '
                          'what needs it fails, and the compute API answers '
                          '503, until it is back.'], errors)

    def test_other_errors_are_left_as_they_are(self):
        self.assertRaises(exception.ServiceNotFound, db.service_get,
                          self.context, 42)
