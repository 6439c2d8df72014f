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

"""SQLite's settings on the engines of nova's main database."""

import fcntl
import os
import sqlite3
import threading

import fixtures
import sqlalchemy as sa

from nova.db.main import api as db
from nova.db.main import sqlite
from nova import exception
from nova import test


class TestJournal(test.TestCase):

    def test_database_files_use_the_write_ahead_log(self):
        with db.get_engine().connect() as connection:
            self.assertEqual('wal', connection.exec_driver_sql(
                'PRAGMA journal_mode').scalar())

    def test_the_log_is_not_checkpointed_at_every_transaction(self):
        # NOTE: oslo.db closes a SQLite connection after each transaction;
        # closing the last one would checkpoint and remove the log, a third
        # of the cost of a write.
        path = db.get_engine().url.database
        db.service_create(self.context, {'host': 'host1'})
        self.assertTrue(os.path.exists(path + '-wal'))

    def test_a_database_in_memory_keeps_its_journal(self):
        engine = db.create_context_manager(
            connection='sqlite://').writer.get_engine()
        self.addCleanup(engine.dispose)
        with engine.connect() as connection:
            self.assertEqual('memory', connection.exec_driver_sql(
                'PRAGMA journal_mode').scalar())

    def test_other_engines_of_the_process_are_left_alone(self):
        path = os.path.join(self.useFixture(fixtures.TempDir()).path,
                            'other.sqlite')
        engine = sa.create_engine('sqlite:///%s' % path)
        self.addCleanup(engine.dispose)
        with engine.begin() as connection:
            self.assertEqual('delete', connection.exec_driver_sql(
                'PRAGMA journal_mode').scalar())
        self.assertIsNone(sqlite.writers(engine))


def in_write_transaction(context, work):
    """Run ``work()`` in a transaction begun by the writer decorator."""
    return db.pick_context_manager_writer(lambda context: work())(context)


class TestKeptConnections(test.TestCase):
    """Transactions reuse the connections of those before them."""

    def _connection(self):
        """The SQLite connection a new transaction of the engine gets."""
        with db.get_engine().connect() as connection:
            return connection.connection.driver_connection.connection

    def test_the_next_transaction_reuses_the_connection(self):
        first = self._connection()
        self.assertIsInstance(first, sqlite3.Connection)
        self.assertIs(first, self._connection())
        db.service_create(self.context, {'host': 'host1'})
        self.assertIs(first, self._connection())

    def test_connections_in_use_at_once_are_kept_up_to_the_size(self):
        kept = sqlite.KeptConnections(db.get_engine().url.database, 2)
        engine = sa.create_engine(
            db.get_engine().url, poolclass=sa.pool.NullPool)
        self.addCleanup(engine.dispose)
        sa.event.listen(engine, 'do_connect', kept.connect)
        connections = [engine.connect() for _ in range(3)]
        raw = [c.connection.driver_connection.connection
               for c in connections]
        for connection in connections:
            connection.close()
        again = [engine.connect() for _ in range(3)]
        self.addCleanup(lambda: [c.close() for c in again])
        reused = [c.connection.driver_connection.connection for c in again]
        self.assertEqual(2, len(set(map(id, raw)) & set(map(id, reused))))

    def test_an_invalidated_connection_is_never_kept(self):
        engine = db.get_engine()
        with engine.connect() as connection:
            first = connection.connection.driver_connection.connection
            connection.invalidate()
        self.assertIsNot(first, self._connection())
        self.assertRaises(sqlite3.ProgrammingError, first.execute,
                          'SELECT 1')

    def test_a_forked_child_opens_its_own(self):
        first = self._connection()
        self.useFixture(fixtures.MonkeyPatch(
            'os.getpid', lambda: -1))
        self.assertIsNot(first, self._connection())

    def test_a_removed_file_is_neither_written_nor_made_again(self):
        db.service_create(self.context, {'host': 'host1'})
        first = self._connection()
        path = db.get_engine().url.database
        for name in (path, path + '-wal', path + '-shm'):
            if os.path.exists(name):
                os.unlink(name)
        error = self.assertRaises(exception.DatabaseUnavailable,
                                  db.service_get_all, self.context)
        self.assertEqual('the database cannot be opened',
                         error.kwargs['reason'])
        self.assertFalse(os.path.exists(path))
        self.assertRaises(sqlite3.ProgrammingError, first.execute,
                          'SELECT 1')

    def test_a_replaced_file_is_the_one_used(self):
        db.service_create(self.context, {'host': 'host1'})
        first = self._connection()
        path = db.get_engine().url.database
        copy = path + '.copy'
        with sqlite3.connect(path) as source, sqlite3.connect(copy) as dest:
            source.backup(dest)
        db.service_create(self.context, {'host': 'host2'})
        # NOTE: as an operator puts a backup back: without the log of the
        # file it replaces.
        for name in (path + '-wal', path + '-shm'):
            os.unlink(name)
        os.replace(copy, path)
        self.assertIsNot(first, self._connection())
        self.assertEqual(['host1'], [service['host'] for service in
                                     db.service_get_all(self.context)])

    def test_disposing_the_engine_closes_them(self):
        first = self._connection()
        db.get_engine().dispose()
        self.assertRaises(sqlite3.ProgrammingError, first.execute,
                          'SELECT 1')


class TestWriteTransactions(test.TestCase):

    def _other(self):
        path = db.get_engine().url.database
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        self.addCleanup(other.close)
        return other

    def test_a_write_transaction_holds_the_write_lock_from_its_begin(self):
        # NOTE: with a deferred BEGIN another writer could take the lock
        # between our first read and our first write, and one of the two
        # would then fail at once with "database is locked".
        def read_then_try_another_writer():
            db.service_get_all(self.context)
            error = self.assertRaises(sqlite3.OperationalError,
                                      self._other().execute,
                                      'BEGIN IMMEDIATE')
            self.assertIn('database is locked', str(error))

        in_write_transaction(self.context, read_then_try_another_writer)
        other = self._other()
        other.execute('BEGIN IMMEDIATE')
        other.execute('ROLLBACK')

    def test_a_read_takes_no_write_lock(self):
        with db.context_manager.reader.using(self.context):
            db.service_get_all(self.context)
            other = self._other()
            other.execute('BEGIN IMMEDIATE')
            other.execute('ROLLBACK')

    def test_a_transaction_not_marked_as_writing_begins_deferred(self):
        with db.context_manager.writer.using(self.context):
            db.service_get_all(self.context)
            other = self._other()
            other.execute('BEGIN IMMEDIATE')
            other.execute('ROLLBACK')

    def test_a_write_transaction_commits(self):
        in_write_transaction(self.context, lambda: db.service_create(
            self.context, {'host': 'host1'}))
        self.assertEqual(['host1'], [service['host'] for service in
                                     db.service_get_all(self.context)])

    def test_a_failed_write_transaction_rolls_back(self):
        class Abort(Exception):
            pass

        def fail():
            db.service_create(self.context, {'host': 'host1'})
            raise Abort()

        self.assertRaises(Abort, in_write_transaction, self.context, fail)
        self.assertEqual([], db.service_get_all(self.context))


class TestWriters(test.TestCase):
    """Writers of one SQLite file queue on a lock file beside it."""

    def _writers(self, path):
        writers = sqlite.Writers(path)
        self.addCleanup(writers.close)
        return writers

    def _path(self):
        return os.path.join(self.useFixture(fixtures.TempDir()).path,
                            'nova.sqlite')

    def _assert_locked(self, path, locked=True):
        fd = os.open(path + '-writers', os.O_RDWR)
        self.addCleanup(os.close, fd)
        if locked:
            self.assertRaises(BlockingIOError, fcntl.flock, fd,
                              fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            fcntl.flock(fd, fcntl.LOCK_UN)

    def test_a_writer_of_another_open_file_waits_its_turn(self):
        # NOTE: an flock excludes another open file of the same lock file
        # as it excludes another process.
        path = self._path()
        first, second = self._writers(path), self._writers(path)
        entered = threading.Event()

        def write():
            second.acquire()
            entered.set()
            second.release()

        first.acquire()
        thread = threading.Thread(target=write)
        thread.start()
        self.assertFalse(entered.wait(0.2))
        first.release()
        self.assertTrue(entered.wait(10))
        thread.join(10)
        self._assert_locked(path, locked=False)

    def test_release_without_a_turn_does_nothing(self):
        path = self._path()
        writers = self._writers(path)
        writers.acquire()
        thread = threading.Thread(target=writers.release)
        thread.start()
        thread.join(10)
        self._assert_locked(path)
        writers.release()
        writers.release()
        self._assert_locked(path, locked=False)

    def test_a_database_in_memory_has_no_lock_file(self):
        writers = self._writers(':memory:')
        writers.acquire()
        writers.release()
        self.assertIsNone(writers.path)

    def test_a_write_transaction_holds_the_turn_until_it_ends(self):
        path = db.get_engine().url.database

        def read():
            db.service_get_all(self.context)
            self._assert_locked(path)

        in_write_transaction(self.context, read)
        self._assert_locked(path, locked=False)

    def test_a_rolled_back_transaction_gives_the_turn_back(self):
        path = db.get_engine().url.database

        class Abort(Exception):
            pass

        def fail():
            db.service_get_all(self.context)
            raise Abort()

        self.assertRaises(Abort, in_write_transaction, self.context, fail)
        self._assert_locked(path, locked=False)

    def test_a_read_takes_no_turn(self):
        db.service_get_all(self.context)
        writers = sqlite.writers(db.get_engine())
        writers.acquire()
        self.addCleanup(writers.release)
        db.service_get_all(self.context)
