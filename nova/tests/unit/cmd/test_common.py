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

"""What the console scripts share: database errors, console scripts."""

import os
import sys

import fixtures
from oslo_db import exception as db_exc

from nova.cmd import common
from nova import test


class TestExplainDatabaseError(test.TestCase):

    USES_DB = False

    def setUp(self):
        super().setUp()
        self.flags(connection='mysql+pymysql://nova:s3cret@db/nova',
                   group='database')

    def test_location_hides_the_password(self):
        location = common.database_location(self.conf.conf)
        self.assertNotIn('s3cret', location)
        self.assertIn('nova:***@db/nova', location)

    def test_missing_schema(self):
        message = common.explain_database_error(
            db_exc.DBNonExistentTable(Exception('no such table: services')),
            self.conf.conf)
        self.assertIn('has no schema; run "nova-manage db sync" first',
                      message)
        self.assertNotIn('s3cret', message)

    def test_unreachable_database_gives_the_first_line_of_the_cause(self):
        message = common.explain_database_error(
            db_exc.DBConnectionError(Exception('unable to connect\n[SQL]')),
            self.conf.conf)
        self.assertEqual('Cannot open the database at '
                         'mysql+pymysql://nova:***@db/nova: unable to '
                         'connect', message)


class TestConsoleScript(test.TestCase):

    USES_DB = False

    def test_installed_script_or_module(self):
        argv = common.console_script('nova-manage')
        if len(argv) == 1:
            self.assertEqual(os.path.join(os.path.dirname(sys.executable),
                                          'nova-manage'), argv[0])
        else:
            self.assertEqual([sys.executable, '-m', 'nova.cmd.manage'], argv)

    def test_module_of_a_script_with_dashes(self):
        self.useFixture(fixtures.MonkeyPatch(
            'sys.executable', '/nonexistent/bin/python3'))
        self.assertEqual(['/nonexistent/bin/python3', '-m',
                          'nova.cmd.lifecycle_demo'],
                         common.console_script('nova-lifecycle-demo'))
