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

"""The service notifications emitted by the real stack match their samples.

The service is created by the service runner; every update and the delete
go through the compute API over real HTTP, as an operator would: at
microversion 2.53 with ``PUT`` and ``DELETE /os-services/{service_uuid}``,
and at 2.52 with the legacy actions (``PUT /os-services/disable`` and the
like, naming host and binary) and ``DELETE /os-services/{id}``. Both send
the same notifications.
"""

import testscenarios

from nova import service as nova_service
from nova import test
from nova.tests.functional.api import fixtures as api_fixtures
from nova.tests.functional.notification_sample_tests import (
    notification_sample_base)

load_tests = testscenarios.load_tests_apply_scenarios

MICROVERSION_SCENARIOS = [
    ('2.52', {'microversion': '2.52', 'legacy_api': True}),
    ('2.53', {'microversion': '2.53', 'legacy_api': False}),
]


class ServiceNotificationScenarios(object):
    """The service sample scenarios, whatever carries the notifications.

    A test class mixes this in before a ``NotificationSampleTestBase``,
    calls ``_set_up_compute`` from ``setUp`` once ``self.admin_api`` is an
    API client, and says how notifications are received:

    * ``_forget(sent)``: forget the ``sent`` notifications sent so far;
    * ``_received(count)``: the notifications sent since, once ``count``
      arrived (bounded wait);
    * ``_assert_nothing_more()``: nothing was sent since.

    ``legacy_api`` says whether changes go through the actions of
    microversions below 2.53.
    """

    legacy_api = False

    def _change(self, body):
        """Apply a 2.53 ``PUT`` body with one request of the API in use."""
        if not self.legacy_api:
            self.admin_api.put_service(self.service.uuid, body)
            return
        service = (self.service.host, self.service.binary)
        if 'forced_down' in body:
            self.assertEqual(['forced_down'], list(body))
            self.admin_api.service_action(
                'force-down', *service, forced_down=body['forced_down'])
        elif body['status'] == 'enabled':
            self.admin_api.service_action('enable', *service)
        elif 'disabled_reason' in body:
            self.admin_api.service_action(
                'disable-log-reason', *service,
                disabled_reason=body['disabled_reason'])
        else:
            self.admin_api.service_action('disable', *service)

    def _delete(self):
        self.admin_api.delete_service(
            self.service.id if self.legacy_api else self.service.uuid)

    def _set_up_compute(self):
        # NOTE: heartbeats are driven by the tests through report_state, so
        # the background one never fires during a test.
        self.compute = nova_service.Service.create(
            binary='nova-compute', host='host1', report_interval=3600)
        self.addCleanup(self.compute.stop, timeout=5)

    def _start_compute(self, **initial_state):
        """Start the compute service, beat once, forget what it sent.

        ``initial_state`` is a PUT body applied through the API first.
        """
        self.compute.start()
        self.service = self.compute.service_ref
        self.compute.report_state()
        if initial_state:
            self._change(initial_state)
        self._forget(2 if initial_state else 1)

    def _only_notification(self):
        received = self._received(1)
        self.assertEqual(1, len(received),
                         [n['event_type'] for n in received])
        return received[0]

    def _verify_update(self, body, initial_state=None, **replacements):
        self._start_compute(**(initial_state or {}))
        self._change(body)
        self._verify_notification(
            'service-update.json',
            replacements=dict(replacements, uuid=self.service.uuid,
                              last_seen_up=self.ANY),
            actual=self._only_notification())

    def test_service_create(self):
        self.compute.start()
        self._verify_notification(
            'service-create.json',
            replacements={'uuid': self.compute.service_ref.uuid},
            actual=self._only_notification())

    def test_service_disabled(self):
        self._verify_update({'status': 'disabled'}, disabled_reason=None)

    def test_service_disabled_with_reason(self):
        self._verify_update({'status': 'disabled',
                             'disabled_reason': 'test2'})

    def test_service_enabled(self):
        self._verify_update(
            {'status': 'enabled'},
            initial_state={'status': 'disabled', 'disabled_reason': 'test2'},
            disabled=False, disabled_reason=None)

    def test_service_forced_down(self):
        self._verify_update({'forced_down': True}, disabled=False,
                            disabled_reason=None, forced_down=True)

    def test_service_unforced(self):
        self._verify_update({'forced_down': False},
                            initial_state={'forced_down': True},
                            disabled=False, disabled_reason=None)

    def test_heartbeat_and_version_emit_nothing(self):
        self._start_compute()
        self.compute.report_state()
        self.service.version += 1
        self.service.save()
        self.assertEqual(2, self.service.report_count)
        self._assert_nothing_more()

    def test_service_delete(self):
        self._start_compute()
        self._delete()
        self._verify_notification(
            'service-delete.json',
            replacements={'uuid': self.service.uuid,
                          'last_seen_up': self.ANY},
            actual=self._only_notification())


class TestServiceNotificationSample(
        ServiceNotificationScenarios,
        notification_sample_base.NotificationSampleTestBase):
    """The scenarios on oslo.messaging's in-process test driver."""

    scenarios = testscenarios.multiply_scenarios(test.DATABASE_SCENARIOS,
                                                 MICROVERSION_SCENARIOS)

    def setUp(self):
        super().setUp()
        self.admin_api = self.useFixture(
            api_fixtures.APIServerFixture()).admin_api
        self.admin_api.microversion = self.microversion
        self._set_up_compute()

    def _forget(self, sent):
        self.assertEqual(sent, len(self.notifier.versioned_notifications))
        self.notifier.reset()

    def _received(self, count):
        return self.notifier.wait_for_versioned_notifications(count)

    def _assert_nothing_more(self):
        self.assertEqual([], self.notifier.versioned_notifications)
