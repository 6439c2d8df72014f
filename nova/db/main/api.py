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

Every function takes a ``nova.context.RequestContext`` first and runs in
a transaction of ``context_manager``, oslo.db's enginefacade: its own, or
the one the caller opened with ``context_manager.writer.using(context)``
or another decorated function, which it joins. Rows are read and written
with SQLAlchemy Core statements and returned as dicts or read-only rows.
"""

import contextlib
import functools

from oslo_db import exception as db_exc
from oslo_db.sqlalchemy import enginefacade
from oslo_utils import timeutils
import sqlalchemy

from nova.db.main import models
from nova.db.main import outage
from nova.db.main import sqlite
from nova import exception


def create_context_manager(connection=None, **config):
    """Return a new transaction context manager of nova's main database.

    Its engines, and only they, get nova's SQLite settings (other engines
    of the process are left alone). ``connection`` and ``config`` go to
    ``configure``.
    """
    manager = enginefacade.transaction_context()
    # NOTE: oslo.db sleeps for no time as each connection is given back, so
    # that eventlet's green threads take turns; nova's threads are the
    # system's, for which it only hands the interpreter to another thread,
    # in every transaction (about 100 us of a create+destroy pair).
    manager.configure(thread_checkin=False)
    manager.append_on_engine_create(sqlite.prepare_engine)
    if connection is not None:
        config['connection'] = connection
    if config:
        manager.configure(**config)
    return manager


context_manager = create_context_manager()


def configure(conf):
    """Point the main context manager at the ``[database]`` options.

    oslo.db's engine facade takes its own options as they are, and knows
    which of them are not its business.
    """
    context_manager.configure(**dict(conf.database.items()))


def get_context_manager(context):
    """Return the database context manager of ``context``.

    There is one database: the main one.
    """
    return context_manager


def get_engine(context=None):
    return get_context_manager(context).writer.get_engine()


# NOTE: the database of this process being unavailable, logged once.
OUTAGE = outage.Outage()


@contextlib.contextmanager
def _available():
    """Turn a database that is unavailable for a while into one error.

    :raises DatabaseUnavailable: naming the condition, for an error a retry
        can cure (a lost connection, a locked or full database...); other
        errors are left as they are.
    """
    try:
        yield
    except exception.DatabaseUnavailable:
        raise
    except Exception as error:
        condition = outage.reason(error)
        if condition is None:
            raise
        OUTAGE.failed(condition)
        raise exception.DatabaseUnavailable(reason=condition) from error
    OUTAGE.ended()


def pick_context_manager_writer(f):
    """Decorator to use a writer db context manager.

    The db context manager will be picked from the RequestContext. The
    outermost writer tells the engine, before the first statement, that its
    transaction writes (what SQLite's engines need, see
    ``nova.db.main.sqlite``).

    Wrapped function must have a RequestContext in the arguments.

    :raises DatabaseUnavailable: when the database is unavailable for a
        while (see ``nova.db.main.outage``).
    """
    @functools.wraps(f)
    def wrapper(context, *args, **kwargs):
        ctxt_mgr = get_context_manager(context)
        with _available(), ctxt_mgr.writer.using(context) as session:
            if not session.info.get(sqlite.WRITE):
                session.info[sqlite.WRITE] = True
                session.connection(execution_options={sqlite.WRITE: True})
            return f(context, *args, **kwargs)
    return wrapper


def pick_context_manager_reader(f):
    """Decorator to use a reader db context manager.

    The db context manager will be picked from the RequestContext.

    Wrapped function must have a RequestContext in the arguments.

    :raises DatabaseUnavailable: as ``pick_context_manager_writer``.
    """
    @functools.wraps(f)
    def wrapper(context, *args, **kwargs):
        ctxt_mgr = get_context_manager(context)
        with _available(), ctxt_mgr.reader.using(context):
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


@pick_context_manager_writer
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


@pick_context_manager_reader
def service_get(context, service_id):
    """Return the live service with this id or raise ServiceNotFound."""
    return _live_service(context, service_id, _LIVE_SERVICE_BY_ID,
                         id=service_id)


@pick_context_manager_reader
def service_get_by_uuid(context, service_uuid):
    """Return the live service with this uuid or raise ServiceNotFound."""
    return _live_service(context, service_uuid, _LIVE_SERVICE_BY_UUID,
                         uuid=service_uuid)


def _live_service(context, name, query, **values):
    result = context.session.execute(query, values).mappings().first()
    if result is None:
        raise exception.ServiceNotFound(service_id=name)
    return dict(result)


@pick_context_manager_reader
def service_get_by_host_and_binary(context, host, binary):
    """Return the live service or raise HostBinaryNotFound."""
    try:
        return _live_service(context, None,
                             _LIVE_SERVICE_BY_HOST_AND_BINARY, host=host,
                             binary=binary)
    except exception.ServiceNotFound:
        raise exception.HostBinaryNotFound(host=host, binary=binary)


@pick_context_manager_reader
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


@pick_context_manager_reader
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


@pick_context_manager_writer
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


@pick_context_manager_writer
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


@pick_context_manager_writer
def notification_outbox_add(context, values, on_commit=None):
    """Insert a pending notification into the outbox.

    Inside the caller's writer transaction the row commits, or rolls back,
    with the caller's other changes; ``on_commit()`` is called once it
    committed, never if it rolled back.
    """
    context.session.execute(_OUTBOX.insert(), dict(
        values, state=OUTBOX_PENDING, attempts=0,
        created_at=timeutils.utcnow()))
    if on_commit is not None:
        sqlalchemy.event.listen(context.session, 'after_commit',
                                lambda session: on_commit(), once=True)


# NOTE: the relays' statements, made once like the services' above. A
# relay publishing one notification runs two transactions: its claim
# (take the lease, read the rows) and its checkpoint (mark them, give the
# lease back, or renew it and read the next rows).
_LEASES = models.NotificationRelayLease.__table__
_PENDING_SHARDS = sqlalchemy.select(_OUTBOX.c.shard).where(
    _OUTBOX.c.state == OUTBOX_PENDING).distinct()
_PENDING_OF_SHARD = sqlalchemy.select(_OUTBOX).where(
    _OUTBOX.c.shard == sqlalchemy.bindparam('shard'),
    _OUTBOX.c.state == OUTBOX_PENDING).order_by(_OUTBOX.c.id).limit(
    sqlalchemy.bindparam('limit'))
_TAKE_LEASE = _LEASES.update().where(
    _LEASES.c.shard == sqlalchemy.bindparam('lease_shard'),
    sqlalchemy.or_(
        _LEASES.c.owner.is_(None),
        _LEASES.c.expires_at < sqlalchemy.bindparam('now'),
        _LEASES.c.owner.in_(sqlalchemy.bindparam('dead', expanding=True))))
_LEASE_OF_TOKEN = (
    _LEASES.c.shard == sqlalchemy.bindparam('lease_shard'),
    _LEASES.c.token == sqlalchemy.bindparam('lease_token'))
_RENEW_LEASE = _LEASES.update().where(*_LEASE_OF_TOKEN)
_GIVE_LEASE_BACK = _LEASES.update().where(*_LEASE_OF_TOKEN).values(
    owner=None, token=None, expires_at=None)
_LEASE_OWNERS = sqlalchemy.select(_LEASES.c.owner).where(
    _LEASES.c.owner.isnot(None)).distinct()
_MARK_DELIVERED = _OUTBOX.update().where(
    _OUTBOX.c.id.in_(sqlalchemy.bindparam('ids', expanding=True))).values(
    state=OUTBOX_DELIVERED, attempts=_OUTBOX.c.attempts + 1)
_MARK_FAILED = _OUTBOX.update().where(
    _OUTBOX.c.id == sqlalchemy.bindparam('row_id')).values(
    attempts=_OUTBOX.c.attempts + 1)


@pick_context_manager_reader
def notification_outbox_pending_shards(context):
    """Return the shards that hold pending notifications."""
    return set(context.session.execute(_PENDING_SHARDS).scalars())


@pick_context_manager_reader
def notification_lease_owners(context):
    """Return the owners of the leases held now."""
    return set(context.session.execute(_LEASE_OWNERS).scalars())


@pick_context_manager_writer
def notification_outbox_claim(context, shard, owner, token, expires_at, now,
                              limit, dead_owners=()):
    """Take the lease of ``shard`` and return its oldest pending rows.

    The lease is taken when it is free, expired or held by one of
    ``dead_owners``, and then carries ``token`` until ``expires_at``.
    Returns None when another relay holds it; else the rows, at most
    ``limit``, oldest first, each a read-only row of the outbox's columns.
    With no row pending the lease is given back at once.
    """
    # NOTE: one conditional UPDATE decides between concurrent relays on
    # every backend: the row lock (PostgreSQL, MySQL) or the database lock
    # (SQLite) lets one through, and the others find the condition false.
    session = context.session
    lease = {'lease_shard': shard, 'lease_token': token}
    if session.execute(_TAKE_LEASE, dict(
            lease, now=now, dead=list(dead_owners), owner=owner, token=token,
            expires_at=expires_at)).rowcount != 1:
        return None
    rows = session.execute(_PENDING_OF_SHARD,
                           {'shard': shard, 'limit': limit}).all()
    if not rows:
        session.execute(_GIVE_LEASE_BACK, lease)
    return rows


@pick_context_manager_writer
def notification_outbox_checkpoint(context, shard, token, ids, now,
                                   expires_at, limit):
    """Mark ``ids`` delivered; renew the lease of ``shard`` or give it back.

    With ``limit``, the next pending rows (at most ``limit``) are read, and
    when there are some the lease is renewed until ``expires_at``; without,
    or when none is left, the lease is given back. Both check ``token``.
    Returns ``(held, rows)``: whether the lease still carried ``token``,
    and the rows (none when it did not). The rows are marked either way:
    they were published.
    """
    session = context.session
    if ids:
        session.execute(_MARK_DELIVERED, {
            'ids': list(ids), 'delivered_at': now, 'last_attempt_at': now})
    rows = session.execute(_PENDING_OF_SHARD, {
        'shard': shard, 'limit': limit}).all() if limit else []
    lease = {'lease_shard': shard, 'lease_token': token}
    if rows:
        held = session.execute(_RENEW_LEASE, dict(
            lease, expires_at=expires_at)).rowcount == 1
    else:
        held = session.execute(_GIVE_LEASE_BACK, lease).rowcount == 1
    return held, rows if held else []


@pick_context_manager_writer
def notification_lease_release(context, shard, token):
    """Give the lease of ``shard`` back, if it still carries ``token``."""
    context.session.execute(_GIVE_LEASE_BACK, {'lease_shard': shard,
                                               'lease_token': token})


@pick_context_manager_writer
def notification_outbox_mark_failed(context, row_id, error, now):
    """Record a failed attempt to publish a notification; it stays pending."""
    context.session.execute(_MARK_FAILED, {
        'row_id': row_id, 'last_error': error, 'last_attempt_at': now})


_PENDING_COUNT_AND_OLDEST = sqlalchemy.select(
    sqlalchemy.func.count(_OUTBOX.c.id),
    sqlalchemy.func.min(_OUTBOX.c.created_at)).where(
    _OUTBOX.c.state == OUTBOX_PENDING)
_DELIVERED_COUNT = sqlalchemy.select(
    sqlalchemy.func.count(_OUTBOX.c.id)).where(
    _OUTBOX.c.state == OUTBOX_DELIVERED)
_LATEST_FAILING = sqlalchemy.select(_OUTBOX).where(
    _OUTBOX.c.state == OUTBOX_PENDING,
    _OUTBOX.c.last_error.isnot(None)).order_by(
    _OUTBOX.c.last_attempt_at.desc(), _OUTBOX.c.id.desc()).limit(1)
_HELD_LEASES = sqlalchemy.select(
    _LEASES.c.owner, _LEASES.c.shard, _LEASES.c.expires_at).where(
    _LEASES.c.owner.isnot(None)).order_by(_LEASES.c.owner, _LEASES.c.shard)
# NOTE: ids first: MySQL refuses a LIMIT inside the IN of a DELETE.
_DELIVERED_BEFORE = sqlalchemy.select(_OUTBOX.c.id).where(
    _OUTBOX.c.state == OUTBOX_DELIVERED,
    _OUTBOX.c.delivered_at < sqlalchemy.bindparam('before')).order_by(
    _OUTBOX.c.id).limit(sqlalchemy.bindparam('limit'))
_DELETE_ROWS = _OUTBOX.delete().where(
    _OUTBOX.c.id.in_(sqlalchemy.bindparam('ids', expanding=True)))


@pick_context_manager_reader
def notification_outbox_status(context):
    """Return what an operator needs to know about the outbox.

    A dict: ``pending`` (count), ``oldest_pending`` (created_at or None),
    ``delivered`` (count), ``failing`` (the pending row with the latest
    failed attempt, or None) and ``leases`` (the held leases, as
    ``(owner, shard, expires_at)``).
    """
    session = context.session
    pending, oldest = session.execute(_PENDING_COUNT_AND_OLDEST).one()
    return {'pending': pending, 'oldest_pending': oldest,
            'delivered': session.execute(_DELIVERED_COUNT).scalar(),
            'failing': session.execute(_LATEST_FAILING).first(),
            'leases': [tuple(row) for row in
                       session.execute(_HELD_LEASES)]}


@pick_context_manager_writer
def notification_outbox_purge(context, before, limit):
    """Delete at most ``limit`` rows delivered before ``before``.

    Pending rows are never deleted. Returns how many rows were deleted.
    """
    ids = context.session.execute(
        _DELIVERED_BEFORE, {'before': before, 'limit': limit}).scalars().all()
    if not ids:
        return 0
    return context.session.execute(_DELETE_ROWS, {'ids': ids}).rowcount
