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

"""nova's options: defaults, validation, and what the generator publishes."""

import configparser
import os
import re
import socket
import subprocess
import sys

import fixtures
from oslo_config import cfg
import testtools

import nova
import nova.conf
from nova.conf import database
from nova.conf import notifications
from nova.conf import opts
from nova.conf import paths
from nova.conf import service

REPO_ROOT = os.path.normpath(os.path.join(os.path.dirname(nova.__file__),
                                          '..'))


def fresh_conf(args=(), config_files=()):
    """Return a ConfigOpts with nova's options, as a nova process has it."""
    conf = cfg.ConfigOpts()
    for module in (paths, service, database, notifications):
        module.register_opts(conf)
    conf(list(args), project='nova', default_config_files=list(config_files))
    return conf


class TestDefaults(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.conf = fresh_conf()

    def test_notifications(self):
        self.assertEqual('versioned',
                         self.conf.notifications.notification_format)
        self.assertEqual(
            ['versioned_notifications'],
            self.conf.notifications.versioned_notifications_topics)

    def test_notification_driver_and_retry_are_oslo_messaging_s(self):
        # NOTE: as in nova: no notification is sent until a driver is set.
        self.assertEqual([], self.conf.oslo_messaging_notifications.driver)
        self.assertEqual(-1, self.conf.oslo_messaging_notifications.retry)

    def test_control_exchange(self):
        self.assertEqual('nova', self.conf.control_exchange)

    def test_database_under_the_state_path(self):
        self.assertEqual('/var/lib/nova', self.conf.state_path)
        self.assertEqual('sqlite:////var/lib/nova/nova.sqlite',
                         self.conf.database.connection)
        self.conf.set_override('state_path', '/srv/nova')
        self.assertEqual('sqlite:////srv/nova/nova.sqlite',
                         self.conf.database.connection)

    def test_service_options(self):
        self.assertEqual(socket.gethostname(), self.conf.host)
        self.assertEqual(10, self.conf.report_interval)
        self.assertEqual(60, self.conf.service_down_time)

    def test_defaults_survive_reset(self):
        # NOTE: config fixtures reset the configuration after each test;
        # nova's defaults must not go with it.
        self.conf.reset()
        self.assertEqual('nova', self.conf.control_exchange)
        self.assertEqual('sqlite:////var/lib/nova/nova.sqlite',
                         self.conf.database.connection)

    def test_registering_twice_is_harmless(self):
        notifications.register_opts(self.conf)
        database.register_opts(self.conf)
        self.assertEqual('versioned',
                         self.conf.notifications.notification_format)

    def test_global_conf_has_the_same_defaults(self):
        global_conf = nova.conf.CONF
        for group, name in (
                ('notifications', 'notification_format'),
                ('notifications', 'versioned_notifications_topics'),
                ('oslo_messaging_notifications', 'driver'),
                ('oslo_messaging_notifications', 'retry'),
                ('database', 'connection')):
            self.assertEqual(getattr(self.conf[group], name),
                             getattr(global_conf[group], name))
        self.assertEqual('nova', global_conf.control_exchange)


class TestValidation(testtools.TestCase):

    def _conf_with(self, text):
        path = os.path.join(self.useFixture(fixtures.TempDir()).path,
                            'nova.conf')
        with open(path, 'w') as f:
            f.write(text)
        return fresh_conf(config_files=[path])

    def test_values_from_a_file(self):
        conf = self._conf_with(
            '[DEFAULT]\nstate_path = /tmp/state\n'
            '[notifications]\nnotification_format = both\n'
            'versioned_notifications_topics = a,b\n')
        self.assertEqual('both', conf.notifications.notification_format)
        self.assertEqual(['a', 'b'],
                         conf.notifications.versioned_notifications_topics)
        self.assertEqual('sqlite:////tmp/state/nova.sqlite',
                         conf.database.connection)

    def test_unknown_notification_format(self):
        conf = self._conf_with('[notifications]\nnotification_format = xml\n')
        error = self.assertRaises(
            cfg.ConfigFileValueError, getattr, conf.notifications,
            'notification_format')
        self.assertIn('xml', str(error))

    def test_override_with_unknown_format(self):
        conf = fresh_conf()
        self.assertRaises(ValueError, conf.set_override,
                          'notification_format', 'xml',
                          group='notifications')

    def test_report_interval_must_be_positive(self):
        conf = self._conf_with('[DEFAULT]\nreport_interval = 0\n')
        self.assertRaises(cfg.ConfigFileValueError, getattr, conf,
                          'report_interval')


class TestListOpts(testtools.TestCase):

    def _listed(self):
        return {getattr(group, 'name', group): [opt.name for opt in group_opts]
                for group, group_opts in opts.list_opts()}

    def test_groups_and_options(self):
        listed = self._listed()
        self.assertEqual(['notification_format', 'outbox_retention_hours',
                          'relay_batch_size', 'relay_flush_timeout',
                          'relay_in_services', 'relay_lease_time',
                          'relay_poll_interval', 'relay_publishers',
                          'relay_retry_max_interval',
                          'versioned_notifications_topics'],
                         listed['notifications'])
        for name in ('state_path', 'host', 'report_interval',
                     'service_down_time'):
            self.assertIn(name, listed['DEFAULT'])

    def test_options_are_sorted_and_unique(self):
        for group, names in self._listed().items():
            self.assertEqual(sorted(set(names)), names, group)

    def test_notifications_group_has_help(self):
        group = [group for group, _opts in opts.list_opts()
                 if getattr(group, 'name', None) == 'notifications'][0]
        self.assertIn('notifications', group.help)
        for opt in notifications.notification_opts:
            self.assertTrue(opt.help)

    def test_library_options_are_left_to_their_namespaces(self):
        listed = self._listed()
        self.assertNotIn('oslo_messaging_notifications', listed)
        self.assertNotIn('database', listed)


class TestGeneratorConfigsAreInstalled(testtools.TestCase):

    def test_every_generator_config_is_a_data_file(self):
        parser = configparser.ConfigParser()
        parser.read(os.path.join(REPO_ROOT, 'setup.cfg'))
        installed = parser['files']['data_files'].split()
        for name in os.listdir(os.path.join(REPO_ROOT, 'etc', 'nova')):
            if name.endswith('-generator.conf'):
                self.assertIn('etc/nova/%s' % name, installed)


class TestConfigGenerator(testtools.TestCase):
    """oslo-config-generator publishes nova's options and defaults."""

    def test_sample_config(self):
        generator = os.path.join(os.path.dirname(sys.executable),
                                 'oslo-config-generator')
        self.assertTrue(os.path.exists(generator),
                        '%s is missing: install oslo.config' % generator)
        output = os.path.join(self.useFixture(fixtures.TempDir()).path,
                              'nova.conf.sample')
        result = subprocess.run(
            [generator, '--config-file',
             os.path.join('etc', 'nova', 'nova-config-generator.conf'),
             '--output-file', output],
            cwd=REPO_ROOT, capture_output=True, text=True, timeout=60)
        self.assertEqual(0, result.returncode, result.stderr)
        with open(output) as f:
            sample = f.read()
        for line in ('[notifications]',
                     '#notification_format = versioned',
                     '#versioned_notifications_topics = '
                     'versioned_notifications',
                     '#control_exchange = nova',
                     '[oslo_messaging_notifications]',
                     '[database]',
                     '#connection = sqlite:///$state_path/nova.sqlite',
                     '#state_path = /var/lib/nova',
                     '#host = <current_hostname>'):
            self.assertIsNotNone(
                re.search('^%s$' % re.escape(line), sample, re.MULTILINE),
                '%r is not in the generated sample' % line)
