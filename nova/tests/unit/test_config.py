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

"""Loading nova's configuration: every bad file or URL is one clear error."""

import os

import fixtures
import testtools

from nova.cmd import compute as compute_cmd
from nova.cmd import notification_relay as relay_cmd
from nova import config
from nova import test


class TestCheckDatabaseURL(testtools.TestCase):

    def test_usable_urls(self):
        for url in ('sqlite://', 'sqlite:////var/lib/nova/nova.sqlite'):
            config.check_database_url(url)

    def test_not_a_url(self):
        error = self.assertRaises(config.ConfigurationError,
                                  config.check_database_url, 'notaurl')
        self.assertIn('[database] connection is not a database URL',
                      str(error))

    def test_unknown_database_names_no_password(self):
        error = self.assertRaises(config.ConfigurationError,
                                  config.check_database_url,
                                  'bogus://nova:S3cret@x/y')
        self.assertIn('names a database SQLAlchemy does not know (bogus)',
                      str(error))
        self.assertNotIn('S3cret', str(error))

    def test_driver_not_installed(self):
        # NOTE: cx_Oracle is no requirement of this project.
        error = self.assertRaises(
            config.ConfigurationError, config.check_database_url,
            'oracle+cx_oracle://nova:S3cret@db/nova')
        self.assertIn('needs the Python database driver that '
                      'oracle+cx_oracle uses, which is not installed',
                      str(error))
        self.assertNotIn('S3cret', str(error))

    def test_empty(self):
        self.assertRaises(config.ConfigurationError,
                          config.check_database_url, '')


class TestCheckValues(test.TestCase):
    """Every option's value is checked before a service starts."""

    USES_DB = False

    def _conf(self, text):
        path = os.path.join(self.useFixture(fixtures.TempDir()).path,
                            'nova.conf')
        with open(path, 'w') as f:
            f.write(text)
        self.conf.conf(['--config-file', path], project='nova')
        return self.conf.conf

    def test_valid_values_pass(self):
        config.check_values(self._conf('[notifications]\n'
                                       'relay_poll_interval = 0.5\n'))

    def test_a_value_out_of_range_names_the_option(self):
        error = self.assertRaises(
            config.ConfigurationError, config.check_values,
            self._conf('[notifications]\nrelay_poll_interval = -1\n'))
        self.assertEqual('[notifications] relay_poll_interval is not valid: '
                         'Should be greater than or equal to 0.05',
                         str(error))

    def test_a_value_of_the_wrong_type_in_default(self):
        error = self.assertRaises(
            config.ConfigurationError, config.check_values,
            self._conf('[DEFAULT]\nreport_interval = often\n'))
        self.assertIn('[DEFAULT] report_interval is not valid: ',
                      str(error))

    def test_a_choice_that_is_not_one(self):
        error = self.assertRaises(
            config.ConfigurationError, config.check_values,
            self._conf('[notifications]\nnotification_format = json\n'))
        self.assertIn('[notifications] notification_format is not valid',
                      str(error))


class TestConsoleScriptsRefuseBadFiles(test.TestCase):
    """A service's main(argv), in process: exit 2, one ERROR line.

    nova-api and nova-manage register a command line of their own on the
    global configuration, which would outlive the test: they are run as
    processes in nova/tests/functional/test_cmd_manage.py.
    """

    USES_DB = False

    def setUp(self):
        super().setUp()
        self.stderr = self.useFixture(fixtures.StringStream('err')).stream
        self.useFixture(fixtures.MonkeyPatch('sys.stderr', self.stderr))
        directory = self.useFixture(fixtures.TempDir()).path
        self.files = {'a directory': directory}
        # NOTE: [database] connection is the test's own (an override);
        # check_database_url has tests of its own.
        for name, content in (('binary', b'\xd0\x00\xff' * 40),
                              ('garbage', b'this is [not an ini\n'),
                              ('out of range',
                               b'[notifications]\n'
                               b'relay_poll_interval = -1\n')):
            path = os.path.join(directory, name.replace(' ', '-'))
            with open(path, 'wb') as f:
                f.write(content)
            self.files[name] = path

    def _stderr_lines(self):
        self.stderr.seek(0)
        return self.stderr.read().splitlines()

    def _assert_refused(self, main, *extra):
        for what, path in sorted(self.files.items()):
            self.stderr.seek(0)
            self.stderr.truncate()
            self.conf.conf.clear()
            exit_code = main(['nova-test', '--config-file', path] +
                             list(extra))
            self.assertEqual(2, exit_code, what)
            lines = self._stderr_lines()
            self.assertEqual(1, len(lines), (what, lines))
            self.assertTrue(lines[0].startswith('ERROR: '), lines)

    def test_nova_compute(self):
        self._assert_refused(compute_cmd.main)

    def test_nova_notification_relay(self):
        self._assert_refused(relay_cmd.main)
