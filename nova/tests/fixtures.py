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

"""Fixtures giving each test its own configuration, database and notifier."""

import atexit
import collections
import http.server
import logging
import os
import secrets
import shutil
import tempfile
import threading
import time

import fixtures
from oslo_config import fixture as config_fixture
from oslo_db import exception as db_exc
from oslo_db.sqlalchemy import provision
from oslo_messaging.notify import _impl_test
import sqlalchemy as sa

import nova.conf
from nova.db.main import api as db_api
from nova.db.main import models
from nova.db import migration
from nova import exception
from nova.notifications import delivery
from nova.notifications.delivery import relay
from nova.tests import db_servers

CONF = nova.conf.CONF

_TEMPLATE_LOCK = threading.Lock()
_TEMPLATE_DB = None


def _migrated_template():
    """Return the path of an SQLite file migrated once per test process."""
    global _TEMPLATE_DB
    with _TEMPLATE_LOCK:
        if _TEMPLATE_DB is None:
            template_dir = tempfile.mkdtemp(prefix='nova-template-db-')
            # NOTE: shared by every test of the process, so it goes when
            # the process does.
            atexit.register(shutil.rmtree, template_dir, ignore_errors=True)
            path = os.path.join(template_dir, 'nova.sqlite')
            manager = db_api.create_context_manager(
                connection='sqlite:///%s' % path)
            engine = manager.writer.get_engine()
            migration.db_sync(engine=engine)
            engine.dispose()
            _TEMPLATE_DB = path
        return _TEMPLATE_DB


def write_migrated_sqlite(path):
    """Write at ``path`` an SQLite database with the whole schema.

    A copy of a file migrated once per process: a test that needs the
    schema, not the migrations, does without their second of work.
    """
    shutil.copyfile(_migrated_template(), path)


def _env_flag(name):
    return os.environ.get(name, '').lower() in ('1', 'true', 'yes')


class OutputCapture(fixtures.Fixture):
    """One test's stdout, stderr and log records, attached to its result.

    stdout and stderr are captured when ``OS_STDOUT_CAPTURE`` and
    ``OS_STDERR_CAPTURE`` say so (tox sets both); log records of every
    level always are, in ``log`` (a ``fixtures.FakeLogger``).
    """

    def _setUp(self):
        if _env_flag('OS_STDOUT_CAPTURE'):
            stdout = self.useFixture(fixtures.StringStream('stdout')).stream
            self.useFixture(fixtures.MonkeyPatch('sys.stdout', stdout))
        if _env_flag('OS_STDERR_CAPTURE'):
            stderr = self.useFixture(fixtures.StringStream('stderr')).stream
            self.useFixture(fixtures.MonkeyPatch('sys.stderr', stderr))
        self.log = self.useFixture(fixtures.FakeLogger(
            level=logging.DEBUG, format='%(levelname)s %(name)s %(message)s'))


# NOTE: the api-paste.ini of this tree, which the tests exercise.
API_PASTE_CONFIG = os.path.join(
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(
        __file__)))), 'etc', 'nova', 'api-paste.ini')


class ConfFixture(config_fixture.Config):
    """The global CONF with test defaults: private state path, test driver."""

    def setUp(self):
        super().setUp()
        self.conf([], project='nova', default_config_files=[])
        state_path = self.useFixture(fixtures.TempDir()).path
        self.config(state_path=state_path, host='host1')
        self.config(transport_url='fake:/')
        self.config(driver=['test'], group='oslo_messaging_notifications')
        self.config(connection='sqlite:///%s/nova.sqlite' % state_path,
                    group='database')
        self.config(api_paste_config=API_PASTE_CONFIG, group='wsgi')


def _render(url):
    return url.render_as_string(hide_password=False)


class _ServerDatabases(object):
    """Databases on this process's server of one backend, via oslo.db.

    oslo.db's provisioning implementation of the backend creates, names
    and drops them on the server the tests started.
    """

    def __init__(self, backend):
        self.backend = backend
        server = db_servers.require(backend)
        self._impl = provision.BackendImpl.impl(backend)
        self._admin = sa.create_engine(server.admin_url,
                                       poolclass=sa.pool.NullPool)

    def create(self):
        """Create an empty database; return its URL."""
        name = 'nova_%s' % secrets.token_hex(6)
        self._impl.create_named_database(self._admin, name)
        url = self._impl.provisioned_database_url(self._admin.url, name)
        return name, _render(url)

    def drop(self, name):
        self._impl.drop_named_database(self._admin, name, conditional=True)


_SERVER_DATABASES = {}
_SERVER_DATABASES_LOCK = threading.Lock()
_MIGRATED = {}
_MIGRATED_LOCK = threading.Lock()


def _server_databases(backend):
    with _SERVER_DATABASES_LOCK:
        if backend not in _SERVER_DATABASES:
            _SERVER_DATABASES[backend] = _ServerDatabases(backend)
        return _SERVER_DATABASES[backend]


class _MigratedServerDatabase(object):
    """One migrated database per test process and backend, reset per test.

    Migrating takes a second on a server; emptying the tables (and putting
    back the rows the migrations seeded) takes milliseconds. This is
    oslo.db's "delete from schema" pattern, with the schema built by the
    migrations, never by the models.
    """

    # NOTE: the ids start again from 1, as in a new SQLite file. TRUNCATE
    # would do both but replaces each table's files: three to four times
    # the cost of deleting a test's few rows.
    _RESTART_IDS = {
        'postgresql': "SELECT setval(pg_get_serial_sequence('{table}', "
                      "'{column}'), 1, false)",
        'mysql': 'ALTER TABLE {table} AUTO_INCREMENT = 1',
    }

    def __init__(self, backend):
        self.backend = backend
        databases = _server_databases(backend)
        name, self.url = databases.create()
        atexit.register(databases.drop, name)
        engine = sa.create_engine(self.url, poolclass=sa.pool.NullPool)
        try:
            migration.db_sync(engine=engine)
            self._tables = models.BASE.metadata.sorted_tables
            with engine.connect() as connection:
                self._seeds = {
                    table: [dict(row._mapping)
                            for row in connection.execute(table.select())]
                    for table in self._tables}
        finally:
            engine.dispose()

    def reset(self):
        """Bring every table back to what the migrations left."""
        engine = sa.create_engine(self.url, poolclass=sa.pool.NullPool)
        try:
            with engine.begin() as connection:
                for table in reversed(self._tables):
                    connection.execute(table.delete())
                for table in self._tables:
                    column = table.autoincrement_column
                    if column is not None:
                        connection.exec_driver_sql(
                            self._RESTART_IDS[self.backend].format(
                                table=table.name, column=column.name))
                for table, rows in self._seeds.items():
                    if rows:
                        connection.execute(table.insert(), rows)
        finally:
            engine.dispose()


def _migrated_server_database(backend):
    with _MIGRATED_LOCK:
        if backend not in _MIGRATED:
            _MIGRATED[backend] = _MigratedServerDatabase(backend)
        return _MIGRATED[backend]


class EmptyDatabaseEngine(fixtures.Fixture):
    """An engine on a new, empty database, for schema tests.

    ``backend`` is ``sqlite`` (a file) or a server backend, ``postgresql``
    or ``mysql``, whose database is dropped at cleanup.
    """

    def __init__(self, backend='sqlite'):
        super().__init__()
        self.backend = backend

    def setUp(self):
        super().setUp()
        if self.backend == 'sqlite':
            path = os.path.join(self.useFixture(fixtures.TempDir()).path,
                                'nova.sqlite')
            url = 'sqlite:///%s' % path
        else:
            databases = _server_databases(self.backend)
            name, url = databases.create()
            self.addCleanup(databases.drop, name)
        manager = db_api.create_context_manager(connection=url)
        self.engine = manager.writer.get_engine()
        self.addCleanup(self.engine.dispose)


class Database(fixtures.Fixture):
    """A migrated database of the test's own, behind the database API.

    On SQLite (the default) a file migrated once per process and copied per
    test; on ``postgresql`` or ``mysql`` a database of the process's private
    server, migrated once and emptied after each test. The schema comes
    from the alembic migrations, never from the models.
    """

    def __init__(self, backend='sqlite'):
        super().__init__()
        self.backend = backend

    def setUp(self):
        super().setUp()
        if self.backend == 'sqlite':
            path = os.path.join(self.useFixture(fixtures.TempDir()).path,
                                'nova.sqlite')
            write_migrated_sqlite(path)
            self.connection = 'sqlite:///%s' % path
        else:
            database = _migrated_server_database(self.backend)
            self.connection = database.url
            self.addCleanup(database.reset)
        manager = db_api.create_context_manager(connection=self.connection)
        self.useFixture(fixtures.MonkeyPatch(
            'nova.db.main.api.context_manager', manager))
        # NOTE: what reads the URL itself (the check at start) finds the
        # same database.
        CONF.set_override('connection', self.connection, group='database')
        self.addCleanup(CONF.clear_override, 'connection', group='database')
        self.addCleanup(lambda: manager.writer.get_engine().dispose())


class NotificationFixture(fixtures.Fixture):
    """Versioned notifications through the outbox, a relay and a real driver.

    Changes record their notifications in the test's database, as in
    production; a real relay publishes them with oslo.messaging's in-memory
    ``test`` driver whenever the test looks at them, so that what a test
    reads is everything committed so far, in order.
    ``versioned_notifications`` are the messages as the driver received
    them: the envelope with the serialized payload.
    """

    FLUSH_TIMEOUT = 10.0
    # NOTE: how often a test waiting for notifications committed by
    # another thread looks again.
    _WAIT_STEP = 0.02

    def setUp(self):
        super().setUp()
        _impl_test.reset()
        delivery.init(CONF)
        self._relay = None
        self.addCleanup(delivery.stop, 0)
        self.addCleanup(_impl_test.reset)

    @property
    def relay(self):
        """The relay that publishes for this fixture, made on first use."""
        if self._relay is None:
            self._relay = relay.Relay(CONF, 'nova-tests')
        return self._relay

    def flush(self):
        """Publish every committed notification; fail if one is left."""
        if not delivery.enabled():
            return
        try:
            flushed = self.relay.flush(self.FLUSH_TIMEOUT)
        except exception.DatabaseUnavailable as error:
            # NOTE: a database without nova's schema holds no notification.
            if isinstance(error.__cause__, db_exc.DBNonExistentTable):
                return
            raise
        if not flushed:
            raise AssertionError('The relay could not publish every '
                                 'committed notification within %.1fs'
                                 % self.FLUSH_TIMEOUT)

    def reset(self):
        """Forget the notifications committed so far."""
        self.flush()
        _impl_test.reset()

    @property
    def versioned_notifications(self):
        self.flush()
        return [message for _ctxt, message, _priority, _retry
                in _impl_test.NOTIFICATIONS]

    def wait_for_versioned_notifications(self, count, timeout=10.0):
        """Return the notifications once there are ``count``, or fail.

        For notifications committed by another thread (an API server).
        """
        deadline = time.monotonic() + timeout
        while True:
            notifications = self.versioned_notifications
            if len(notifications) >= count:
                return notifications
            if time.monotonic() >= deadline:
                raise AssertionError(
                    'Expected %d versioned notifications within %.1fs, got '
                    '%d: %s' % (count, timeout, len(notifications),
                                [n['event_type'] for n in notifications]))
            time.sleep(self._WAIT_STEP)


class RelayFixture(fixtures.Fixture):
    """The delivery of a service, in threads of the test process.

    ``relay`` is the running relay, woken by the process's commits as a
    relay of nova-api is; cleanup stops it. Options are the test's
    configuration (``[notifications] relay_*``).
    """

    def __init__(self, conf=CONF, name='nova-tests', stop_timeout=5.0):
        super().__init__()
        self.conf = conf
        self.name = name
        self.stop_timeout = stop_timeout

    def _setUp(self):
        self.relay = delivery.start(self.conf, self.name, delivery.RELAY)
        self.addCleanup(delivery.stop, self.stop_timeout)


class _RecordingHandler(http.server.BaseHTTPRequestHandler):
    """Records each request; answers what its server's ``answer`` says."""

    protocol_version = 'HTTP/1.1'

    def _answer(self):
        length = int(self.headers.get('Content-Length') or 0)
        self.server.requests.append(RecordedRequest(
            self.command, self.path, self.headers, self.rfile.read(length),
            self.client_address[1]))
        status, body = self.server.answer
        self.send_response(status)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_PUT = do_DELETE = do_POST = _answer

    def log_message(self, *args):
        pass


RecordedRequest = collections.namedtuple(
    'RecordedRequest', 'method path headers body client_port')


class RecordingHTTPServer(fixtures.Fixture):
    """An HTTP server on loopback that records requests, for clients' tests.

    ``requests`` lists what arrived; ``answer`` is the ``(status, body)``
    of every reply. ``url`` is its root; ``stop`` ends it early (a server
    gone). A proxy named in the environment points nowhere meanwhile, so
    that a client using it fails the test.
    """

    def _setUp(self):
        server = http.server.ThreadingHTTPServer(('127.0.0.1', 0),
                                                 _RecordingHandler)
        server.daemon_threads = True
        server.requests = []
        server.answer = (200, b'{}')
        thread = threading.Thread(target=server.serve_forever,
                                  kwargs={'poll_interval': 0.05})
        thread.start()
        self.addCleanup(thread.join, 10)
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        self._server = server
        self.url = 'http://127.0.0.1:%d' % server.server_address[1]
        self.useFixture(fixtures.EnvironmentVariable(
            'http_proxy', 'http://127.0.0.1:9'))

    @property
    def requests(self):
        return self._server.requests

    @property
    def answer(self):
        return self._server.answer

    @answer.setter
    def answer(self, value):
        self._server.answer = value

    def stop(self):
        self._server.shutdown()
        self._server.server_close()
