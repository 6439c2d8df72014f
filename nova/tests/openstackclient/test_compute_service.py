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

"""The real ``openstack compute service`` commands against nova-api.

python-openstackclient runs as the operator runs it, in its own process,
against the API served over HTTP on loopback (noauth2, with keystoneauth's
``admin_token`` plugin and the API's endpoint), at microversion 2.53 and
at 2.11, where it uses the legacy actions. Each change must cause exactly
the notification the samples describe. ``tox -e openstackclient`` runs
these tests: the client's dependencies stay out of the other envs.
"""

import json
import os
import shutil
import subprocess
import sys

import fixtures
import testscenarios

from nova import objects
from nova import test
from nova.tests.functional.api import fixtures as api_fixtures

load_tests = testscenarios.load_tests_apply_scenarios

_TIMEOUT = 60


def _openstack_command():
    candidate = os.path.join(os.path.dirname(sys.executable), 'openstack')
    if os.access(candidate, os.X_OK):
        return candidate
    return shutil.which('openstack')


class TestComputeServiceCommands(test.TestCase):

    TIMEOUT = 120

    scenarios = [
        ('2.53', {'microversion': '2.53', 'by_uuid': True}),
        ('2.11', {'microversion': '2.11', 'by_uuid': False}),
    ]

    def setUp(self):
        super().setUp()
        self.command = _openstack_command()
        if self.command is None:
            self.fail('python-openstackclient is not installed: run these '
                      'tests with tox -e openstackclient')
        self.server = self.useFixture(api_fixtures.APIServerFixture())
        self.service = objects.Service(self.context, host='host1',
                                       binary='nova-compute',
                                       topic='compute', report_count=0)
        self.service.create()
        objects.Service(self.context, host='host1', binary='nova-scheduler',
                        topic='scheduler', report_count=0).create()
        self.notifier.reset()

    def _openstack(self, *args, token='admin:admin', expect_failure=False):
        # NOTE: a clean environment, so that no OS_* variable of the
        # developer's shell points the client elsewhere.
        env = {'PATH': os.environ.get('PATH', ''),
               'HOME': self.useFixture(fixtures.TempDir()).path}
        argv = [self.command, '--os-auth-type', 'admin_token',
                '--os-endpoint', self.server.api_url,
                '--os-token', token,
                '--os-compute-api-version', self.microversion] + list(args)
        result = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL,
                                capture_output=True, text=True,
                                timeout=_TIMEOUT)
        if expect_failure:
            self.assertNotEqual(0, result.returncode, result.stdout)
        else:
            self.assertEqual(0, result.returncode, result.stderr)
        return result

    def _list(self):
        result = self._openstack('compute', 'service', 'list', '-f', 'json')
        return json.loads(result.stdout)

    def _only_update(self):
        received = self.notifier.wait_for_versioned_notifications(1)
        self.assertEqual(['service.update'],
                         [n['event_type'] for n in received])
        self.notifier.reset()
        return received[0]['payload']['nova_object.data']

    def _set(self, *flags):
        self._openstack('compute', 'service', 'set', *(
            list(flags) + ['host1', 'nova-compute']))
        return self._only_update()

    def test_list(self):
        services = {service['Binary']: service for service in self._list()}
        compute = services['nova-compute']
        self.assertEqual(self.service.uuid if self.by_uuid
                         else self.service.id, compute['ID'])
        self.assertEqual(('host1', 'nova', 'enabled', 'up'),
                         (compute['Host'], compute['Zone'],
                          compute['Status'], compute['State']))
        self.assertEqual('internal', services['nova-scheduler']['Zone'])
        self.assertEqual([], self.notifier.versioned_notifications)

    def test_disable_with_reason_then_enable(self):
        payload = self._set('--disable', '--disable-reason', 'maintenance')
        self.assertEqual((True, 'maintenance', self.service.uuid),
                         (payload['disabled'], payload['disabled_reason'],
                          payload['uuid']))
        compute, = [service for service in self._list()
                    if service['Binary'] == 'nova-compute']
        self.assertEqual('disabled', compute['Status'])

        payload = self._set('--enable')
        self.assertEqual((False, None),
                         (payload['disabled'], payload['disabled_reason']))

    def test_down_then_up(self):
        payload = self._set('--down')
        self.assertTrue(payload['forced_down'])
        compute, = [service for service in self._list()
                    if service['Binary'] == 'nova-compute']
        self.assertEqual('down', compute['State'])
        payload = self._set('--up')
        self.assertFalse(payload['forced_down'])

    def test_delete(self):
        self._openstack('compute', 'service', 'delete', str(
            self.service.uuid if self.by_uuid else self.service.id))
        received = self.notifier.wait_for_versioned_notifications(1)
        self.assertEqual(['service.delete'],
                         [n['event_type'] for n in received])
        self.assertNotIn('nova-compute',
                         [service['Binary'] for service in self._list()])

    def test_a_member_is_refused(self):
        result = self._openstack('compute', 'service', 'set', '--disable',
                                 'host1', 'nova-compute', token='demo:demo',
                                 expect_failure=True)
        # NOTE: with the legacy actions the client prints its own summary
        # and keeps the API's message for --debug.
        self.assertIn("Policy doesn't allow os_compute_api:os-services"
                      if self.by_uuid else
                      'Failed to set service status to disabled',
                      result.stderr)
        self.assertNotIn('Traceback', result.stderr)
        self.assertEqual([], self.notifier.versioned_notifications)

    def test_an_unknown_service_is_not_found(self):
        result = self._openstack('compute', 'service', 'set', '--disable',
                                 'host9', 'nova-compute',
                                 expect_failure=True)
        self.assertNotIn('Traceback', result.stderr)
        self.assertIn('host9', result.stderr)
        self.assertEqual([], self.notifier.versioned_notifications)
