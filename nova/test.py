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

"""Base classes of nova's tests."""

import os

import fixtures
import testtools

import nova.conf
from nova import context
from nova import objects
from nova.tests import fixtures as nova_fixtures

CONF = nova.conf.CONF


# NOTE: a test class with ``scenarios = DATABASE_SCENARIOS`` runs once per
# backend when its module applies them (``load_tests =
# testscenarios.load_tests_apply_scenarios``); PostgreSQL and MySQL run on
# private servers (nova.tests.db_servers).
DATABASE_SCENARIOS = [(backend, {'DATABASE': backend})
                      for backend in ('sqlite', 'postgresql', 'mysql')]


class TestCase(testtools.TestCase):
    """A test with its own configuration, database and versioned notifier.

    ``self.notifier.versioned_notifications`` holds what the real
    oslo.messaging notifier sent through its in-memory test driver.
    """

    USES_DB = True
    #: the database backend: sqlite, postgresql or mysql.
    DATABASE = 'sqlite'

    # NOTE: a test class that needs longer than OS_TEST_TIMEOUT says so.
    TIMEOUT = 0

    def setUp(self):
        super().setUp()
        timeout = int(os.environ.get('OS_TEST_TIMEOUT', 0))
        if timeout > 0:
            timeout = max(timeout, self.TIMEOUT)
            self.useFixture(fixtures.Timeout(timeout, gentle=True))
        self.stdlog = self.useFixture(nova_fixtures.OutputCapture()).log
        self.conf = self.useFixture(nova_fixtures.ConfFixture(CONF))
        if self.USES_DB:
            self.useFixture(nova_fixtures.Database(self.DATABASE))
        self.notifier = self.useFixture(nova_fixtures.NotificationFixture())
        objects.register_all()
        self.context = context.get_admin_context()

    def flags(self, group=None, **kw):
        """Override configuration options for this test only."""
        for name, value in kw.items():
            self.conf.config(group=group, **{name: value})
