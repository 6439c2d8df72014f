"""Fixtures giving each test its own configuration, database and notifier."""

import atexit
import os
import shutil
import tempfile
import threading
import time

import fixtures
from oslo_config import fixture as config_fixture
from oslo_db.sqlalchemy import enginefacade
from oslo_messaging.notify import _impl_test

import nova.conf
from nova.db import migration
from nova import rpc

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
            manager = enginefacade.transaction_context()
            manager.configure(connection='sqlite:///%s' % path)
            engine = manager.writer.get_engine()
            migration.db_sync(engine=engine)
            engine.dispose()
            _TEMPLATE_DB = path
        return _TEMPLATE_DB


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


class EmptySQLiteEngine(fixtures.Fixture):
    """An engine on a new, empty SQLite file, for schema tests."""

    def setUp(self):
        super().setUp()
        path = os.path.join(self.useFixture(fixtures.TempDir()).path,
                            'nova.sqlite')
        manager = enginefacade.transaction_context()
        manager.configure(connection='sqlite:///%s' % path)
        self.engine = manager.writer.get_engine()
        self.addCleanup(self.engine.dispose)


class Database(fixtures.Fixture):
    """A migrated SQLite file of the test's own, behind the database API.

    The schema comes from the alembic migrations (migrated once, copied per
    test), never from the models.
    """

    def setUp(self):
        super().setUp()
        path = os.path.join(self.useFixture(fixtures.TempDir()).path,
                            'nova.sqlite')
        shutil.copyfile(_migrated_template(), path)
        self.connection = 'sqlite:///%s' % path
        manager = enginefacade.transaction_context()
        manager.configure(connection=self.connection)
        self.useFixture(fixtures.MonkeyPatch(
            'nova.db.main.api.main_context_manager', manager))
        self.addCleanup(lambda: manager.writer.get_engine().dispose())


class NotificationFixture(fixtures.Fixture):
    """A real versioned notifier on oslo.messaging's in-memory test driver.

    ``versioned_notifications`` are the messages as the driver received
    them: the oslo.messaging envelope with the serialized payload.
    """

    def setUp(self):
        super().setUp()
        _impl_test.reset()
        rpc.init(CONF)
        self.addCleanup(rpc.cleanup)
        self.addCleanup(_impl_test.reset)

    def reset(self):
        """Forget the notifications sent so far."""
        _impl_test.reset()

    @property
    def versioned_notifications(self):
        return [message for _ctxt, message, _priority, _retry
                in _impl_test.NOTIFICATIONS]

    def wait_for_versioned_notifications(self, count, timeout=10.0):
        """Return the notifications once there are ``count``, or fail.

        For notifications emitted by another thread (an API server).
        """
        deadline = time.monotonic() + timeout
        while len(self.versioned_notifications) < count:
            if time.monotonic() > deadline:
                raise AssertionError(
                    'Expected %d versioned notifications within %.1fs, got '
                    '%d: %s' % (count, timeout,
                                len(self.versioned_notifications),
                                [n['event_type'] for n in
                                 self.versioned_notifications]))
            time.sleep(0.01)
        return self.versioned_notifications
