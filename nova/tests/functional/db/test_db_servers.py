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

"""The tests' private database servers: loopback only, skip or fail."""

import socket

import fixtures
import testtools

from nova.tests import db_servers
from nova.tests import local_servers


class TestWithoutPostgreSQL(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.useFixture(fixtures.EnvironmentVariable(
            'NOVA_POSTGRESQL_BIN_DIR',
            self.useFixture(fixtures.TempDir()).path))

    def test_skipped_loudly(self):
        self.useFixture(fixtures.EnvironmentVariable(db_servers.REQUIRE_ENV))
        stderr = self.useFixture(fixtures.StringStream('stderr')).stream
        self.useFixture(fixtures.MonkeyPatch('sys.stderr', stderr))
        error = self.assertRaises(self.skipException, db_servers.require,
                                  'postgresql')
        self.assertIn('postgresql is not installed', str(error))
        stderr.seek(0)
        self.assertIn('WARNING: postgresql is not installed', stderr.read())

    def test_required_fails(self):
        self.useFixture(fixtures.EnvironmentVariable(db_servers.REQUIRE_ENV,
                                                     '1'))
        error = self.assertRaises(db_servers.DatabaseServerUnavailable,
                                  db_servers.require, 'postgresql')
        self.assertIn('NOVA_REQUIRE_DATABASES=1 requires it', str(error))


class TestLoopbackOnly(testtools.TestCase):

    def _check(self, backend):
        address = local_servers.external_address()
        if address is None:
            self.skipTest('this host has no address beyond loopback')
        server = db_servers.require(backend)
        self.assertTrue(local_servers.accepts_connections(server.port))
        with socket.socket() as sock:
            sock.settimeout(5)
            self.assertNotEqual(0, sock.connect_ex((address, server.port)))

    def test_postgresql(self):
        self._check('postgresql')

    def test_mysql(self):
        self._check('mysql')
