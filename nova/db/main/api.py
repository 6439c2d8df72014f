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

"""Database API of nova's main database.

Every function takes a ``nova.context.RequestContext`` first. Calls made
inside ``with transaction(ctxt):`` share that one transaction; otherwise each
call is its own transaction.
"""

import contextlib
import fcntl
import functools
import os
import sqlite3
import threading
import weakref

from oslo_db import exception as db_exc
from oslo_db.sqlalchemy import enginefacade
from oslo_utils import timeutils
import sqlalchemy

from nova.db.main import models
from nova import exception

# NOTE: the execution option that marks the connection of a write
# transaction; see _sqlite_begin_immediate.
_WRITE_TRANSACTION = 'nova_write_transaction'


def _sqlite_begin_immediate(conn, options):
    # NOTE: with SQLite's deferred BEGIN, two transactions that both read a
    # row and then write it deadlock on the lock upgrade, and SQLite fails
    # the second writer at once with "database is locked" (a heartbeat of
    # nova-compute and nova-manage, on the embedded default). A write
    # transaction takes the write lock at BEGIN instead, so writers wait for
    # each other up to the driver's busy timeout; readers are not blocked.
    # The write option is set on the connection before its transaction
    # begins. With oslo.db's in_transaction marker set first, its begin
    # listener emits no BEGIN of its own (SQLAlchemy's pysqlite begins
    # nothing itself), and BEGIN IMMEDIATE runs as the transaction's first
    # statement, its errors translated by oslo.db like any other. oslo.db
    # offers no public way to choose the BEGIN it emits.
    if (options.get(_WRITE_TRANSACTION) and not conn.in_transaction() and
            'in_transaction' not in conn.info):
        writers = _SQLITE_WRITERS[conn.engine]
        writers.acquire()
        conn.info['in_transaction'] = True
        try:
            conn.exec_driver_sql('BEGIN IMMEDIATE')
        except Exception:
            conn.info.pop('in_transaction', None)
            writers.release()
            raise


class _SQLiteWriters(object):
    """The writers of one SQLite database, in line, one at a time.

    SQLite has one writer at a time, and a writer that finds the database
    locked sleeps in SQLite's busy handler, with delays growing to 100 ms a
    try: with a few API threads, relays and several nova-api workers
    writing at once, a PUT's p99 reached seconds. Writers queue here
    instead and go the moment the writer before them leaves: the threads
    of a process on a lock, the processes on an ``flock`` of a file beside
    the database (``<database>-writers``, made on first use). A database in
    memory belongs to one process and needs only the first. Writers that
    are not nova's still meet at SQLite's own lock.

    A write transaction takes its turn right before its ``BEGIN
    IMMEDIATE`` and gives it back as its connection returns from the
    commit or rollback (``release`` listens to the pool's checkin, ahead of
    oslo.db's listener that yields the thread there): opening and closing
    the connection happen outside, and whoever holds the turn never waits
    for other threads on purpose.
    """

    def __init__(self, path):
        self._threads = threading.Lock()
        self._holder = threading.local()
        self._path = (None if not path or path == ':memory:' or
                      path.startswith('file:') else path + '-writers')
        self._fd = None
        self._pid = None

    def acquire(self):
        """Wait for this thread's turn to write."""
        self._threads.acquire()
        try:
            if self._path:
                fcntl.flock(self._file(), fcntl.LOCK_EX)
        except BaseException:
            self._threads.release()
            raise
        self._holder.holds = True

    def release(self, *args):
        """End this thread's turn, if it has one (any arguments ignored)."""
        if not getattr(self._holder, 'holds', False):
            return
        self._holder.holds = False
        if self._path:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        self._threads.release()

    def _file(self):
        # NOTE: a forked child opens its own: an flock belongs to the open
        # file, which a child shares with its parent.
        if self._pid != os.getpid():
            self._fd = os.open(self._path,
                               os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            self._pid = os.getpid()
        return self._fd

    def close(self, engine=None):
        with self._threads:
            fd, self._fd = self._fd, None
            if fd is not None and self._pid == os.getpid():
                os.close(fd)
            self._pid = None


# NOTE: the writers of each SQLite engine nova's context managers made.
_SQLITE_WRITERS = weakref.WeakKeyDictionary()


def _sqlite_write_ahead_log(dbapi_connection, connection_record):
    # NOTE: in SQLite's default rollback journal a commit waits for every
    # reader and readers wait for a commit, sleeping in SQLite's busy
    # handler; the relays read the outbox while the API writes it. With the
    # write-ahead log, readers and the writer do not block each other. It is
    # a property of the database file, kept once set; a database in memory
    # has no file and keeps its journal.
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute('PRAGMA journal_mode')
            if cursor.fetchone()[0] not in ('wal', 'memory'):
                cursor.execute('PRAGMA journal_mode=WAL')
        finally:
            cursor.close()


class _HeldSQLiteFile(object):
    """One more connection to an engine's SQLite file, for the engine's life.

    oslo.db gives SQLite files a NullPool: each transaction opens a
    connection and closes it, and closing the last connection of a
    database in write-ahead log mode checkpoints the log and removes it,
    a third of the CPU of a Service.save(). With one connection held open,
    no other close is the last; SQLite still checkpoints the log as it
    grows (its autocheckpoint).
    """

    def __init__(self, path):
        self._path = path
        self._connection = None
        self._lock = threading.Lock()

    def open(self, dbapi_connection, connection_record):
        """Open it, once the engine's first connection set the log mode."""
        if self._connection is not None or not self._path or (
                self._path == ':memory:' or self._path.startswith('file:')):
            return
        with self._lock:
            if self._connection is not None:
                return
            try:
                held = sqlite3.connect(self._path, check_same_thread=False)
                # NOTE: a connection counts once it has read the database
                # in write-ahead log mode: it then holds its share of the
                # log's index for as long as it is open.
                held.execute('PRAGMA schema_version').fetchall()
            except sqlite3.Error:
                # NOTE: the engine's own connections report what is wrong.
                return
            self._connection = held

    def close(self, engine=None):
        with self._lock:
            held, self._connection = self._connection, None
        if held is not None:
            held.close()


def _prepare_engine(engine):
    """Give an engine of nova's SQLite databases their settings above."""
    if engine.dialect.name != 'sqlite':
        return
    held = _HeldSQLiteFile(engine.url.database)
    writers = _SQLITE_WRITERS[engine] = _SQLiteWriters(engine.url.database)
    # NOTE: listeners run in the order they were added: the file is held
    # open once its first connection made it use the write-ahead log.
    sqlalchemy.event.listen(engine, 'connect', _sqlite_write_ahead_log)
    sqlalchemy.event.listen(engine, 'connect', held.open)
    sqlalchemy.event.listen(engine, 'engine_disposed', held.close)
    sqlalchemy.event.listen(engine, 'engine_disposed', writers.close)
    sqlalchemy.event.listen(engine, 'checkin', writers.release, insert=True)
    sqlalchemy.event.listen(engine, 'set_connection_execution_options',
                            _sqlite_begin_immediate)


def context_manager(**config):
    """Return a new transaction context manager of nova's main database.

    Its engines, and only they, get nova's SQLite settings (other engines
    of the process are left alone). ``config`` goes to ``configure``.
    """
    manager = enginefacade.transaction_context()
    # NOTE: oslo.db sleeps for no time as each connection is given back, so
    # that eventlet's green threads take turns; nova's threads are the
    # system's, for which it only hands the interpreter to another thread,
    # in every transaction (about 100 us of a create+destroy pair).
    manager.configure(thread_checkin=False)
    manager.append_on_engine_create(_prepare_engine)
    if config:
        manager.configure(**config)
    return manager


main_context_manager = context_manager()


@contextlib.contextmanager
def _write_transaction(context):
    writers = _SQLITE_WRITERS.get(main_context_manager.writer.get_engine())
    outermost = False
    try:
        with main_context_manager.writer.using(context) as session:
            if not session.info.get(_WRITE_TRANSACTION):
                # NOTE: the outermost writer begins the transaction, with
                # the option that tells _sqlite_begin_immediate it writes.
                outermost = True
                session.connection(
                    execution_options={_WRITE_TRANSACTION: True})
                session.info[_WRITE_TRANSACTION] = True
            yield session
    finally:
        if outermost and writers is not None:
            # NOTE: in case the connection did not return to the pool.
            writers.release()


def configure(conf):
    """Point the main context manager at the ``[database]`` options.

    oslo.db's engine facade takes its own options as they are, and knows
    which of them are not its business.
    """
    main_context_manager.configure(**dict(conf.database.items()))


def get_engine():
    return main_context_manager.writer.get_engine()


def transaction(context):
    """Return a context manager: the calls made in it share one transaction."""
    return _write_transaction(context)


def _writer(f):
    # NOTE: the context manager is looked up at call time so that test
    # fixtures can swap it for one bound to a private database.
    @functools.wraps(f)
    def wrapper(context, *args, **kwargs):
        with _write_transaction(context):
            return f(context, *args, **kwargs)
    return wrapper


def _reader(f):
    @functools.wraps(f)
    def wrapper(context, *args, **kwargs):
        with main_context_manager.reader.using(context):
            return f(context, *args, **kwargs)
    return wrapper


# NOTE: services are read and written with SQLAlchemy Core statements and
# returned as dicts of their columns: the ORM's identity map and unit of
# work cost about a seventh of a Service.save() (tools/benchmark_side.py).
_SERVICES = models.Service.__table__
_OUTBOX = models.NotificationOutbox.__table__
# NOTE: statements made once, their values passed apart: building a
# statement with its values costs more than running it.
_LOCK_LIVE_SERVICE = sqlalchemy.select(_SERVICES).where(
    _SERVICES.c.id == sqlalchemy.bindparam('service_id'),
    _SERVICES.c.deleted == 0).with_for_update()
_UPDATE_SERVICE = _SERVICES.update().where(
    _SERVICES.c.id == sqlalchemy.bindparam('service_id'))
_IDENTITY_TAKEN = sqlalchemy.select(_SERVICES.c.binary).where(
    _SERVICES.c.deleted == 0,
    _SERVICES.c.host == sqlalchemy.bindparam('host'),
    sqlalchemy.or_(_SERVICES.c.binary == sqlalchemy.bindparam('binary'),
                   _SERVICES.c.topic == sqlalchemy.bindparam('topic')))
_IDENTITY_TAKEN_BY_OTHER = _IDENTITY_TAKEN.where(
    _SERVICES.c.id != sqlalchemy.bindparam('service_id'))


def _check_identity_is_free(context, host, binary, topic, service_id=None):
    """Raise what clashes with another live service, naming the binary first.

    The unique constraints also catch a clash (and a racing writer), but
    which one a backend reports differs: PostgreSQL and MySQL name the
    (host, topic) constraint for a service whose binary is taken, SQLite
    the (host, binary) one. Looking first makes the error name what the
    caller gave, on every backend.
    """
    query, values = _IDENTITY_TAKEN, {'host': host, 'binary': binary,
                                      'topic': topic}
    if service_id is not None:
        query, values['service_id'] = _IDENTITY_TAKEN_BY_OTHER, service_id
    taken = context.session.execute(query, values).scalars().all()
    if binary in taken:
        raise exception.ServiceBinaryExists(host=host, binary=binary)
    if taken:
        raise exception.ServiceTopicExists(host=host, topic=topic)


def _raise_duplicate(error, host, binary, topic, uuid):
    columns = set(error.columns)
    if 'binary' in columns:
        raise exception.ServiceBinaryExists(host=host, binary=binary)
    if 'topic' in columns:
        raise exception.ServiceTopicExists(host=host, topic=topic)
    raise exception.ServiceUUIDExists(uuid=uuid)


@_writer
def service_create(context, values):
    """Insert a service row and return it, as a dict of its columns.

    :raises: ServiceBinaryExists, ServiceTopicExists or ServiceUUIDExists
        when a live service has the same (host, binary), (host, topic) or uuid.
    """
    _check_identity_is_free(context, values.get('host'), values.get('binary'),
                            values.get('topic'))
    try:
        result = context.session.execute(_SERVICES.insert(), values)
    except db_exc.DBDuplicateEntry as e:
        _raise_duplicate(e, values.get('host'), values.get('binary'),
                         values.get('topic'), values.get('uuid'))
    # NOTE: the parameters sent include the columns' Python defaults.
    service = dict.fromkeys(_SERVICES.c.keys())
    service.update(result.last_inserted_params())
    service['id'] = result.inserted_primary_key[0]
    return service


_LIVE_SERVICES = sqlalchemy.select(_SERVICES).where(_SERVICES.c.deleted == 0)
_LIVE_SERVICE_BY_ID = _LIVE_SERVICES.where(
    _SERVICES.c.id == sqlalchemy.bindparam('id'))
_LIVE_SERVICE_BY_UUID = _LIVE_SERVICES.where(
    _SERVICES.c.uuid == sqlalchemy.bindparam('uuid'))
_LIVE_SERVICE_BY_HOST_AND_BINARY = _LIVE_SERVICES.where(
    _SERVICES.c.host == sqlalchemy.bindparam('host'),
    _SERVICES.c.binary == sqlalchemy.bindparam('binary'))


@_reader
def service_get(context, service_id):
    """Return the live service with this id or raise ServiceNotFound."""
    return _live_service(context, service_id, _LIVE_SERVICE_BY_ID,
                         id=service_id)


@_reader
def service_get_by_uuid(context, service_uuid):
    """Return the live service with this uuid or raise ServiceNotFound."""
    return _live_service(context, service_uuid, _LIVE_SERVICE_BY_UUID,
                         uuid=service_uuid)


def _live_service(context, name, query, **values):
    result = context.session.execute(query, values).mappings().first()
    if result is None:
        raise exception.ServiceNotFound(service_id=name)
    return dict(result)


@_reader
def service_get_by_host_and_binary(context, host, binary):
    """Return the live service or raise HostBinaryNotFound."""
    try:
        return _live_service(context, None,
                             _LIVE_SERVICE_BY_HOST_AND_BINARY, host=host,
                             binary=binary)
    except exception.ServiceNotFound:
        raise exception.HostBinaryNotFound(host=host, binary=binary)


@_reader
def service_get_all(context, host=None, binary=None, disabled=None):
    """Return the live services, optionally filtered, ordered by id."""
    query = _LIVE_SERVICES
    filters = {'host': host, 'binary': binary, 'disabled': disabled}
    for column, value in filters.items():
        if value is not None:
            query = query.where(_SERVICES.c[column] == value)
    return [dict(service) for service in context.session.execute(
        query.order_by(_SERVICES.c.id)).mappings()]


# NOTE: the columns of service_get_all_rows, in this order.
SERVICE_ROW_COLUMNS = ('id', 'uuid', 'host', 'binary', 'topic', 'disabled',
                       'disabled_reason', 'forced_down', 'created_at',
                       'updated_at', 'last_seen_up')


@_reader
def service_get_all_rows(context, host=None, binary=None):
    """Return the live services as read-only rows, ordered by id.

    The same services as ``service_get_all``, read without building an ORM
    object per row: each row is a named tuple of ``SERVICE_ROW_COLUMNS``,
    for callers that read many services at once.
    """
    table = _SERVICES
    query = sqlalchemy.select(
        *[table.c[name] for name in SERVICE_ROW_COLUMNS]).where(
            table.c.deleted == 0)
    if host is not None:
        query = query.where(table.c.host == host)
    if binary is not None:
        query = query.where(table.c.binary == binary)
    return context.session.execute(query.order_by(table.c.id)).all()


def _locked_live_service(context, service_id):
    """Read the live service as a dict and lock its row to the commit."""
    # NOTE: the lock keeps the notification written with a change equal to
    # what commits, even when another writer changes the same service.
    service = context.session.execute(
        _LOCK_LIVE_SERVICE, {'service_id': service_id}).mappings().first()
    if service is None:
        raise exception.ServiceNotFound(service_id=service_id)
    return dict(service)


def _update_service(context, service, values):
    """Write ``values`` that differ into ``service`` and its row.

    As the ORM does, nothing is written (and ``updated_at`` is kept) when
    every value is the one stored.
    """
    changed = {key: value for key, value in values.items()
               if service[key] != value}
    if not changed:
        return
    changed.setdefault('updated_at', timeutils.utcnow())
    context.session.execute(_UPDATE_SERVICE,
                            dict(changed, service_id=service['id']))
    service.update(changed)


@_writer
def service_update(context, service_id, values):
    """Update the live service with this id and return it as a dict.

    A growing ``report_count`` is a heartbeat: it also sets ``last_seen_up``.

    :raises: ServiceNotFound, or ServiceBinaryExists / ServiceTopicExists
        when the new host, binary or topic collides with another service.
    """
    service = _locked_live_service(context, service_id)
    identity = {key: values.get(key, service[key])
                for key in ('host', 'binary', 'topic')}
    if any(key in values for key in identity):
        _check_identity_is_free(context, service_id=service_id, **identity)
    if ('report_count' in values and
            values['report_count'] > service['report_count'] and
            'last_seen_up' not in values):
        values = dict(values, last_seen_up=timeutils.utcnow())
    try:
        _update_service(context, service, values)
    except db_exc.DBDuplicateEntry as e:
        _raise_duplicate(e, uuid=service['uuid'], **identity)
    return service


@_writer
def service_destroy(context, service_id):
    """Soft-delete the live service with this id and return it as a dict.

    :raises: ServiceNotFound if there is no live service with this id.
    """
    service = _locked_live_service(context, service_id)
    now = timeutils.utcnow()
    _update_service(context, service,
                    {'deleted': service_id, 'deleted_at': now,
                     'updated_at': now})
    return service


# The notification outbox. A row is written in the transaction of the
# change it tells about; relays publish the pending rows of a shard while
# they hold its lease, and mark them delivered.

OUTBOX_PENDING = 'pending'
OUTBOX_DELIVERED = 'delivered'


@_writer
def notification_outbox_add(context, values):
    """Insert a pending notification into the outbox.

    Inside ``transaction(context)`` the row commits, or rolls back, with
    the caller's other changes.
    """
    context.session.execute(_OUTBOX.insert(), dict(
        values, state=OUTBOX_PENDING, attempts=0,
        created_at=timeutils.utcnow()))


# NOTE: the relays' statements, made once like the services' above: a
# relay that publishes one notification at a time runs three of them per
# notification, in the process that serves the API.
_LEASES = models.NotificationRelayLease.__table__
_PENDING_SHARDS = sqlalchemy.select(_OUTBOX.c.shard).where(
    _OUTBOX.c.state == OUTBOX_PENDING).distinct()
_PENDING_OF_SHARD = sqlalchemy.select(_OUTBOX).where(
    _OUTBOX.c.shard == sqlalchemy.bindparam('shard'),
    _OUTBOX.c.state == OUTBOX_PENDING).order_by(_OUTBOX.c.id).limit(
    sqlalchemy.bindparam('limit'))
_ACQUIRE_LEASE = _LEASES.update().where(
    _LEASES.c.shard == sqlalchemy.bindparam('lease_shard'),
    sqlalchemy.or_(_LEASES.c.owner.is_(None),
                   _LEASES.c.owner == sqlalchemy.bindparam('lease_owner'),
                   _LEASES.c.expires_at < sqlalchemy.bindparam('now')))
_RELEASE_LEASES = _LEASES.update().where(
    _LEASES.c.shard.in_(sqlalchemy.bindparam('shards', expanding=True)),
    _LEASES.c.owner == sqlalchemy.bindparam('lease_owner')).values(
    owner=None, expires_at=None)
_RENEW_LEASE = _LEASES.update().where(
    _LEASES.c.shard == sqlalchemy.bindparam('lease_shard'),
    _LEASES.c.owner == sqlalchemy.bindparam('lease_owner'))
_MARK_DELIVERED = _OUTBOX.update().where(
    _OUTBOX.c.id.in_(sqlalchemy.bindparam('ids', expanding=True))).values(
    state=OUTBOX_DELIVERED, attempts=_OUTBOX.c.attempts + 1)
_MARK_FAILED = _OUTBOX.update().where(
    _OUTBOX.c.id == sqlalchemy.bindparam('row_id')).values(
    attempts=_OUTBOX.c.attempts + 1)


@_reader
def notification_outbox_pending_shards(context):
    """Return the shards that hold pending notifications."""
    return set(context.session.execute(_PENDING_SHARDS).scalars())


@_reader
def notification_outbox_get_pending(context, shard, limit):
    """Return the oldest pending notifications of ``shard``, oldest first.

    Each is a read-only row whose attributes are the outbox's columns.
    """
    return context.session.execute(
        _PENDING_OF_SHARD, {'shard': shard, 'limit': limit}).all()


@_writer
def notification_lease_acquire(context, shard, owner, expires_at, now):
    """Take or renew the lease of ``shard`` until ``expires_at``.

    The lease is taken when it is free, expired or already ``owner``'s.
    Returns whether ``owner`` holds it now.
    """
    # NOTE: one conditional UPDATE decides between concurrent relays on
    # every backend: the row lock (PostgreSQL, MySQL) or the database lock
    # (SQLite) lets one through, and the others find the condition false.
    return context.session.execute(_ACQUIRE_LEASE, {
        'lease_shard': shard, 'lease_owner': owner, 'now': now,
        'owner': owner, 'expires_at': expires_at}).rowcount == 1


@_writer
def notification_lease_release(context, shards, owner):
    """Give up ``owner``'s leases of ``shards``, those it still holds."""
    context.session.execute(_RELEASE_LEASES, {'shards': list(shards),
                                              'lease_owner': owner})


@_writer
def notification_outbox_mark_delivered(context, shard, owner, ids, now,
                                       expires_at):
    """Mark ``ids`` delivered and renew ``owner``'s lease of ``shard``.

    Returns whether ``owner`` still held the lease; the rows are marked
    either way, since they were published.
    """
    if ids:
        context.session.execute(_MARK_DELIVERED, {
            'ids': list(ids), 'delivered_at': now, 'last_attempt_at': now})
    return context.session.execute(_RENEW_LEASE, {
        'lease_shard': shard, 'lease_owner': owner,
        'expires_at': expires_at}).rowcount == 1


@_writer
def notification_outbox_mark_failed(context, row_id, error, now):
    """Record a failed attempt to publish a notification; it stays pending."""
    context.session.execute(_MARK_FAILED, {
        'row_id': row_id, 'last_error': error, 'last_attempt_at': now})


@_reader
def notification_outbox_status(context):
    """Return what an operator needs to know about the outbox.

    A dict: ``pending`` (count), ``oldest_pending`` (created_at or None),
    ``delivered`` (count), ``failing`` (the pending row with the latest
    failed attempt, or None) and ``leases`` (the held leases, as
    ``(owner, shard, expires_at)``).
    """
    outbox = models.NotificationOutbox
    session = context.session
    pending, oldest = session.query(
        sqlalchemy.func.count(outbox.id),
        sqlalchemy.func.min(outbox.created_at)).filter_by(
        state=OUTBOX_PENDING).one()
    delivered = session.query(sqlalchemy.func.count(outbox.id)).filter_by(
        state=OUTBOX_DELIVERED).scalar()
    failing = session.query(outbox).filter(
        outbox.state == OUTBOX_PENDING,
        outbox.last_error.isnot(None)).order_by(
        outbox.last_attempt_at.desc(), outbox.id.desc()).first()
    lease = models.NotificationRelayLease
    leases = session.query(lease.owner, lease.shard, lease.expires_at).filter(
        lease.owner.isnot(None)).order_by(lease.owner, lease.shard).all()
    return {'pending': pending, 'oldest_pending': oldest,
            'delivered': delivered, 'failing': failing,
            'leases': [tuple(row) for row in leases]}


@_writer
def notification_outbox_purge(context, before, limit):
    """Delete at most ``limit`` rows delivered before ``before``.

    Pending rows are never deleted. Returns how many rows were deleted.
    """
    outbox = models.NotificationOutbox
    # NOTE: ids first: MySQL refuses a LIMIT inside the IN of a DELETE.
    ids = [row_id for row_id, in context.session.query(outbox.id).filter(
        outbox.state == OUTBOX_DELIVERED,
        outbox.delivered_at < before).order_by(outbox.id).limit(limit)]
    if not ids:
        return 0
    return context.session.query(outbox).filter(outbox.id.in_(ids)).delete(
        synchronize_session=False)
