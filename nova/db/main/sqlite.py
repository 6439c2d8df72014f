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

"""What nova's main database needs on SQLite, and on SQLite only.

SQLite is the embedded default: nova-api, nova-compute, nova-manage and the
relays of several processes write one file. Three settings make that work,
each through SQLAlchemy's events on the engines of nova's context manager
(``prepare_engine`` is its ``append_on_engine_create`` hook):

* the write-ahead log, so that readers and the writer do not block each
  other;
* a write transaction takes the write lock at its BEGIN, after queueing
  behind the other writers of every process (``Writers``);
* connections kept between transactions (``KeptConnections``), where
  oslo.db would open and close one per transaction.

Other engines of the process, and other backends, are left alone.
"""

import fcntl
import os
import threading
import urllib.parse
import weakref

import sqlalchemy

# NOTE: the execution option of the connection of a transaction that
# writes; nova.db.main.api's writer decorator sets it before the first
# statement.
WRITE = 'nova_write'


def _is_file(path):
    return bool(path) and path != ':memory:' and not path.startswith('file:')


def _file_of(path):
    """(device, inode) of the file at ``path``, None if there is none."""
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return None
    return stat.st_dev, stat.st_ino


def _write_ahead_log(dbapi_connection, connection_record):
    if getattr(dbapi_connection, 'kept', False):
        # NOTE: a kept connection was set when it was first opened.
        return
    # NOTE: in SQLite's default rollback journal a commit waits for every
    # reader and readers wait for a commit, in SQLite's busy handler; the
    # relays read the outbox while the API writes it. The mode belongs to
    # the file and is kept once set; a database in memory keeps its own.
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute('PRAGMA journal_mode')
        if cursor.fetchone()[0] not in ('wal', 'memory'):
            cursor.execute('PRAGMA journal_mode=WAL')
    finally:
        cursor.close()


class Writers(object):
    """The writers of one SQLite database, one at a time, first come first.

    A writer that finds the database locked sleeps in SQLite's busy
    handler, with waits growing to 100 ms a try: with API threads, relays
    and nova-api workers writing at once, a PUT's p99 reached seconds.
    Writers queue here instead and go the moment the writer before them
    leaves: the threads of a process on a lock, the processes on an
    ``flock`` of ``<database>-writers``, made on first use. A database in
    memory belongs to one process and needs only the lock. Writers that are
    not nova's still meet at SQLite's own lock.
    """

    def __init__(self, path):
        self._threads = threading.Lock()
        self._holder = threading.local()
        self.path = path + '-writers' if _is_file(path) else None
        self._fd = None
        self._pid = None

    def acquire(self):
        """Wait for this thread's turn to write."""
        self._threads.acquire()
        try:
            if self.path:
                fcntl.flock(self._file(), fcntl.LOCK_EX)
        except BaseException:
            self._threads.release()
            raise
        self._holder.holds = True

    def release(self):
        """End this thread's turn, if it has one."""
        if not getattr(self._holder, 'holds', False):
            return
        self._holder.holds = False
        if self.path:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        self._threads.release()

    def _file(self):
        # NOTE: a forked child opens its own: an flock belongs to the open
        # file, which a child shares with its parent.
        if self._pid != os.getpid():
            self._fd = os.open(self.path,
                               os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            self._pid = os.getpid()
        return self._fd

    def close(self, engine=None):
        with self._threads:
            fd, self._fd = self._fd, None
            if fd is not None and self._pid == os.getpid():
                os.close(fd)
            self._pid = None

    def begin(self, conn):
        """The ``begin`` listener: a write transaction locks at its BEGIN.

        oslo.db begins every SQLite transaction with a deferred BEGIN, and
        offers no way to choose another. Two deferred transactions that
        both read a row and then write it cannot both commit: SQLite fails
        the second at once with "database is locked", without waiting. A
        write transaction therefore ends that empty transaction and begins
        again with BEGIN IMMEDIATE, which waits (up to the busy timeout)
        for the write lock and then holds it to the end. Readers are never
        blocked. This runs after oslo.db's own listener, which emitted the
        BEGIN, and before the transaction's first statement.
        """
        if not conn.get_execution_options().get(WRITE):
            return
        self.acquire()
        try:
            # NOTE: straight to the driver: the begin event comes before
            # SQLAlchemy would translate an error, and the database API
            # takes the driver's own "database is locked" for what it is.
            driver = conn.connection.driver_connection
            driver.execute('ROLLBACK')
            driver.execute('BEGIN IMMEDIATE')
        except BaseException:
            self.release()
            raise

    def checkin(self, dbapi_connection, connection_record):
        """The pool's ``checkin`` listener: the next writer goes.

        A connection returns to the pool once its transaction committed or
        rolled back; the engine's ``commit`` event would come before the
        COMMIT itself, and the next writer would sleep in SQLite's busy
        handler until it is done.
        """
        self.release()


class KeptConnections(object):
    """The idle connections of one SQLite file, kept for the next transaction.

    oslo.db gives SQLite files a NullPool: each transaction would open a
    connection, read the schema again with its first statement, and close
    it, about 300 us of CPU, as much as the rest of a Service.save(); and
    closing the last connection of a database in write-ahead log mode
    checkpoints the log and removes it. The engine's ``do_connect`` event
    hands out a kept connection instead of opening one, wrapped so that
    the pool's close gives it back (``_Kept``); at most ``size`` are kept,
    the others closed. A connection SQLAlchemy invalidated (an error) is
    closed, never kept. A forked child opens its own.

    The connections are of the file that was at the path when they were
    opened. When the path names another file, or none (it was replaced or
    removed), they are closed: writing on would write into a file nobody
    can open any more. A removed file is not created again, empty, in its
    place: the transactions fail (the database cannot be opened) until it
    is back.
    """

    def __init__(self, path, size):
        self._path = path
        self._size = size
        self._idle = []
        self._lock = threading.Lock()
        self._pid = os.getpid()
        # NOTE: (device, inode) of the file the connections are of.
        self._file = None

    def connect(self, dialect, connection_record, cargs, cparams):
        """The engine's ``do_connect`` listener: a kept connection, or new."""
        current = _file_of(self._path)
        with self._lock:
            stale = []
            if self._pid != os.getpid():
                # NOTE: the parent's connections are the parent's: closing
                # them here could release its locks of the database file.
                self._idle, self._pid = [], os.getpid()
            elif current != self._file:
                stale, self._idle = self._idle, []
            elif self._idle:
                return self._idle.pop()
            known = self._file
        for kept in stale:
            kept.connection.close()
        if current is None and known is not None:
            # NOTE: SQLite would make an empty database there.
            cargs[0] = 'file:%s?mode=rw' % urllib.parse.quote(self._path)
            cparams['uri'] = True
        # NOTE: a kept connection serves one thread at a time, then another.
        cparams['check_same_thread'] = False
        connection = dialect.loaded_dbapi.connect(*cargs, **cparams)
        with self._lock:
            self._file = _file_of(self._path)
        return _Kept(connection, self)

    def give_back(self, kept):
        kept.kept = True
        with self._lock:
            if (not kept.broken and not kept.in_transaction and
                    self._pid == os.getpid() and
                    len(self._idle) < self._size):
                self._idle.append(kept)
                return
        kept.connection.close()

    def invalidated(self, dbapi_connection, connection_record,
                    exception=None):
        """The pool's ``invalidate`` listener: that one is never kept."""
        if isinstance(dbapi_connection, _Kept):
            dbapi_connection.broken = True

    def close(self, engine=None):
        """Close the kept connections (the engine is disposed)."""
        with self._lock:
            idle, self._idle = self._idle, []
            mine = self._pid == os.getpid()
        for kept in idle if mine else ():
            kept.connection.close()


class _Kept(object):
    """A DBAPI connection whose ``close`` gives it back to be kept."""

    __slots__ = ('connection', 'keeper', 'broken', 'kept')

    def __init__(self, connection, keeper):
        object.__setattr__(self, 'connection', connection)
        object.__setattr__(self, 'keeper', keeper)
        object.__setattr__(self, 'broken', False)
        object.__setattr__(self, 'kept', False)

    def close(self):
        self.keeper.give_back(self)

    def __getattr__(self, name):
        return getattr(self.connection, name)

    def __setattr__(self, name, value):
        if name in _Kept.__slots__:
            object.__setattr__(self, name, value)
        else:
            setattr(self.connection, name, value)


# NOTE: the connections kept idle per database file: at most as many as
# the threads that use the database at once in a busy process.
_KEPT = 16


def prepare_engine(engine):
    """Give an engine of nova's main database its SQLite settings.

    Engines of other backends are left as oslo.db made them.
    """
    if engine.dialect.name != 'sqlite':
        return
    path = engine.url.database
    writers = Writers(path)
    listen = sqlalchemy.event.listen
    if _is_file(path):
        kept = KeptConnections(path, _KEPT)
        listen(engine, 'do_connect', kept.connect)
        listen(engine, 'invalidate', kept.invalidated)
        listen(engine, 'engine_disposed', kept.close)
    listen(engine, 'connect', _write_ahead_log)
    listen(engine, 'begin', writers.begin)
    listen(engine, 'checkin', writers.checkin)
    listen(engine, 'engine_disposed', writers.close)
    _WRITERS[engine] = writers


# NOTE: the writers of each engine prepare_engine gave settings to.
_WRITERS = weakref.WeakKeyDictionary()


def writers(engine):
    """The ``Writers`` of an engine of nova's, None if not SQLite."""
    return _WRITERS.get(engine)
