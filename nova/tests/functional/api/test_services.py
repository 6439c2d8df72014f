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

"""The os-services API over real HTTP: what its YAML tests cannot say.

The HTTP contract (statuses, fault bodies, headers, each microversion's
fields) is in ``gabbits/``. Here: the notification each change sends, and
that a refused request sends none; the state computed from heartbeats;
configuration (zones, body size, a policy file); the listing read from
rows against the one built from Service objects.
"""

import datetime
import os

import fixtures
from oslo_serialization import jsonutils
from oslo_utils import timeutils
from oslo_utils import uuidutils

from nova.api.openstack import api_version_request as api_version
from nova.api.openstack.compute import services as services_api
from nova.api.openstack import wsgi
from nova.db.main import api as db_api
from nova.db.main import models
from nova import objects
from nova import test
from nova.tests.functional.api import fixtures as api_fixtures

_FIELDS = ('disabled', 'disabled_reason', 'forced_down', 'report_count',
           'last_seen_up', 'version', 'deleted')


class ServicesAPITestBase(test.TestCase):
    """Services on two hosts and the API serving them."""

    def setUp(self):
        super().setUp()
        self.compute1 = self._create('host1', 'nova-compute', 'compute')
        self.compute2 = self._create('host2', 'nova-compute', 'compute')
        self.scheduler = self._create('host1', 'nova-scheduler', 'scheduler')
        self.api_record = self._create('host1', 'nova-osapi_compute', None)
        self.notifier.reset()
        self.server = self.useFixture(api_fixtures.APIServerFixture())
        self.admin_api = self.server.admin_api
        self.api = self.server.api

    def _create(self, host, binary, topic):
        service = objects.Service(self.context, host=host, binary=binary,
                                  topic=topic, report_count=0)
        service.create()
        return service

    def _row(self, service):
        """The service's row as stored, deleted or not."""
        with db_api.context_manager.reader.using(self.context):
            row = self.context.session.query(models.Service).filter_by(
                id=service.id).one()
            return {field: row[field] for field in _FIELDS}

    def _url(self, service):
        return '/os-services/%s' % service.uuid

    def assertFault(self, response, status, fault_name, message_part=None):
        self.assertEqual(status, response.status, response)
        self.assertEqual('application/json',
                         response.headers.get_content_type())
        body = response.json
        self.assertEqual([fault_name], list(body), body)
        self.assertEqual(status, body[fault_name]['code'])
        if message_part is not None:
            self.assertIn(message_part, body[fault_name]['message'])

    def assertRejected(self, response, status, fault_name, message_part=None,
                       service=None):
        """A 4xx with nova's fault body, no change and no notification."""
        service = service or self.compute1
        before = self.before
        self.assertFault(response, status, fault_name, message_part)
        self.assertEqual(before, self._row(service))
        self.assertEqual([], self.notifier.versioned_notifications)


class TestListServices(ServicesAPITestBase):

    def test_state_follows_heartbeat_and_forced_down(self):
        self.flags(service_down_time=60)
        self.compute1.last_seen_up = timeutils.utcnow() - datetime.timedelta(
            seconds=61)
        self.compute1.save()
        self.compute2.last_seen_up = timeutils.utcnow()
        self.compute2.forced_down = True
        self.compute2.save()
        states = {s['host']: s['state'] for s in
                  self.admin_api.get_services(binary='nova-compute')}
        self.assertEqual({'host1': 'down', 'host2': 'down'}, states)
        self.compute1.last_seen_up = timeutils.utcnow()
        self.compute1.save()
        [service] = self.admin_api.get_services(host='host1',
                                                binary='nova-compute')
        self.assertEqual('up', service['state'])

    def test_never_seen_service_is_down_after_service_down_time(self):
        self.flags(service_down_time=1)
        with db_api.context_manager.writer.using(self.context):
            self.context.session.query(models.Service).filter_by(
                id=self.compute1.id).update(
                    {'created_at': timeutils.utcnow() -
                     datetime.timedelta(seconds=5)})
        [service] = self.admin_api.get_services(host='host1',
                                                binary='nova-compute')
        self.assertEqual('down', service['state'])

    def test_zones_are_configurable(self):
        self.flags(default_availability_zone='az1',
                   internal_service_availability_zone='control')
        zones = {s['binary']: s['zone'] for s in
                 self.admin_api.get_services(host='host1')}
        self.assertEqual({'nova-compute': 'az1', 'nova-scheduler': 'control'},
                         zones)


class TestListingFromRows(ServicesAPITestBase):
    """The listing reads rows, not Service objects: the bytes are the same."""

    def test_rows_show_what_service_objects_show(self):
        when = datetime.datetime(2012, 10, 29, 13, 42, 2, 123456)
        self.compute1.disabled = True
        self.compute1.disabled_reason = 'maintenance'
        self.compute1.forced_down = True
        self.compute1.save()
        self.compute2.report_count = 1
        self.compute2.last_seen_up = when
        self.compute2.save()
        for version in ('2.1', '2.11', '2.52', '2.53'):
            self.admin_api.microversion = version
            response = self.admin_api.request('GET', '/os-services')
            req = wsgi.Request.blank('/')
            req.api_version_request = api_version.APIVersionRequest(version)
            view = services_api.ServiceView(req)
            expected = jsonutils.dumps({'services': [
                view.detail(service) for service in
                objects.ServiceList.get_all(self.context)
                if service.binary != 'nova-osapi_compute']})
            self.assertEqual(expected, response.body, version)


class TestUpdateService(ServicesAPITestBase):

    def setUp(self):
        super().setUp()
        self.before = self._row(self.compute1)

    def _put(self, body=None, service_id=None, api=None, **kwargs):
        api = api or self.admin_api
        return api.request(
            'PUT', '/os-services/%s' % (service_id or self.compute1.uuid),
            body=body, **kwargs)

    def _only_notification(self):
        [notification] = self.notifier.wait_for_versioned_notifications(1)
        self.assertEqual('service.update', notification['event_type'])
        self.assertEqual('nova-compute:host1', notification['publisher_id'])
        return notification['payload']['nova_object.data']

    def test_disable_with_reason(self):
        response = self._put({'status': 'disabled',
                              'disabled_reason': 'maintenance'})
        self.assertEqual(200, response.status)
        service = response.json['service']
        self.assertEqual(
            {'binary': 'nova-compute', 'host': 'host1',
             'id': self.compute1.uuid, 'zone': 'nova', 'status': 'disabled',
             'state': 'up', 'disabled_reason': 'maintenance',
             'forced_down': False},
            {k: v for k, v in service.items() if k != 'updated_at'})
        self.assertIsNotNone(service['updated_at'])
        row = self._row(self.compute1)
        self.assertTrue(row['disabled'])
        self.assertEqual('maintenance', row['disabled_reason'])
        payload = self._only_notification()
        self.assertEqual((True, 'maintenance', False),
                         (payload['disabled'], payload['disabled_reason'],
                          payload['forced_down']))
        self.assertEqual(1, len(self.notifier.versioned_notifications))

    def test_disable_without_reason(self):
        self._put({'status': 'disabled'})
        self.assertEqual((True, None), (self._row(self.compute1)['disabled'],
                                        self._only_notification()[
                                            'disabled_reason']))

    def test_enable_clears_the_reason(self):
        self._put({'status': 'disabled', 'disabled_reason': 'r'})
        self.notifier.reset()
        service = self._put({'status': 'enabled'}).json['service']
        self.assertEqual(('enabled', None),
                         (service['status'], service['disabled_reason']))
        payload = self._only_notification()
        self.assertEqual((False, None), (payload['disabled'],
                                         payload['disabled_reason']))

    def test_status_and_forced_down_in_one_request_is_one_save(self):
        response = self._put({'status': 'disabled', 'disabled_reason': 'x',
                              'forced_down': True})
        self.assertEqual('down', response.json['service']['state'])
        payload = self._only_notification()
        self.assertEqual((True, 'x', True),
                         (payload['disabled'], payload['disabled_reason'],
                          payload['forced_down']))
        self.assertEqual(1, len(self.notifier.versioned_notifications))

    def test_force_down_and_up(self):
        self.assertTrue(self._put({'forced_down': True}).json['service'][
            'forced_down'])
        self.assertTrue(self._only_notification()['forced_down'])
        self.notifier.reset()
        self.assertFalse(self._put({'forced_down': 'false'}).json['service'][
            'forced_down'])
        self.assertFalse(self._only_notification()['forced_down'])

    def test_same_value_is_still_news(self):
        self._put({'forced_down': False})
        self.assertFalse(self._only_notification()['forced_down'])

    # NOTE: the fault of each refused request is checked in
    # gabbits/services-refused.yaml; here that none changed or sent anything.
    def test_refused_requests_change_nothing_and_send_nothing(self):
        unknown = uuidutils.generate_uuid()
        json_body = {'Content-Type': 'application/json'}
        refused = [
            (self.api, None, 'PUT', None, {'status': 'disabled'}, {}),
            (None, None, 'PUT', None, None,
             {'raw_body': b'{"status": ', 'headers': json_body}),
            (None, None, 'PUT', None, ['status'], {}),
            (None, None, 'PUT', None, {'status': 'disabled', 'host': 'x'},
             {}),
            (None, None, 'PUT', None, {'forced_down': 'maybe'}, {}),
            (None, None, 'PUT', None, {}, {}),
            (None, None, 'PUT', None, {'disabled_reason': 'r'}, {}),
            (None, None, 'PUT', None,
             {'status': 'enabled', 'disabled_reason': 'r'}, {}),
            (None, None, 'PUT', None,
             {'status': 'disabled', 'disabled_reason': 'x' * 256}, {}),
            (None, None, 'PUT', str(self.compute1.id),
             {'status': 'disabled'}, {}),
            (None, None, 'PUT', unknown, {'status': 'disabled'}, {}),
            (None, None, 'PUT', self.scheduler.uuid, {'status': 'disabled'},
             {}),
            (None, '2.52', 'PUT', None,
             {'host': 'host1', 'binary': 'nova-compute'}, {}),
            (None, '2.54', 'PUT', None, {'status': 'disabled'}, {}),
            (None, '2.x', 'PUT', None, {'status': 'disabled'}, {}),
            (None, None, 'PUT', None, None, {
                'raw_body': b'status=disabled', 'headers': {
                    'Content-Type': 'application/x-www-form-urlencoded'}}),
            (None, None, 'POST', self.compute1.uuid + '?_method=DELETE',
             None, {}),
            (self.api, None, 'DELETE', None, None, {}),
            (None, '2.1', 'DELETE', None, None, {}),
            (None, None, 'DELETE', unknown, None, {}),
        ]
        before = [self._row(service)
                  for service in (self.compute1, self.scheduler)]
        for api, version, method, service_id, body, kwargs in refused:
            api = api or self.admin_api
            api.microversion = version or '2.53'
            response = api.request(
                method, '/os-services/%s' % (service_id or self.compute1.uuid),
                body=body, **kwargs)
            self.assertTrue(400 <= response.status < 500,
                            (method, service_id, body, response))
            self.assertEqual(1, len(response.json), response)
        self.assertEqual(before, [self._row(service)
                                  for service in (self.compute1,
                                                  self.scheduler)])
        self.assertEqual([], self.notifier.versioned_notifications)

    def test_body_not_utf8(self):
        self.assertRejected(
            self._put(raw_body=b'{"status": "\xff"}',
                      headers={'Content-Type': 'application/json'}),
            400, 'badRequest', 'Malformed request body')

    def test_body_too_large(self):
        self.flags(max_request_body_size=64, group='oslo_middleware')
        response = self._put({'status': 'disabled',
                              'disabled_reason': 'x' * 100})
        # NOTE: oslo.middleware's answer, in webob's format, as nova's.
        self.assertEqual(413, response.status)
        self.assertIn('Request is too large', response.body)
        self.assertEqual(self.before, self._row(self.compute1))
        self.assertEqual([], self.notifier.versioned_notifications)


class TestDeleteService(ServicesAPITestBase):

    def setUp(self):
        super().setUp()
        self.before = self._row(self.compute1)

    def test_delete(self):
        response = self.admin_api.request('DELETE', self._url(self.compute1))
        self.assertEqual(204, response.status)
        self.assertEqual('', response.body)
        self.assertNotEqual(0, self._row(self.compute1)['deleted'])
        [notification] = self.notifier.wait_for_versioned_notifications(1)
        self.assertEqual('service.delete', notification['event_type'])
        self.assertEqual(self.compute1.uuid,
                         notification['payload']['nova_object.data']['uuid'])
        self.assertNotIn(self.compute1.uuid,
                         [s['id'] for s in self.admin_api.get_services()])
        self.notifier.reset()
        self.before = self._row(self.compute1)
        self.assertRejected(
            self.admin_api.request('DELETE', self._url(self.compute1)),
            404, 'itemNotFound', 'Service %s not found.' % self.compute1.uuid)

    def test_delete_by_integer_id_below_2_53(self):
        self.admin_api.microversion = '2.52'
        response = self.admin_api.request('DELETE', '/os-services/%d'
                                          % self.compute1.id)
        self.assertEqual(204, response.status)
        self.assertNotEqual(0, self._row(self.compute1)['deleted'])
        self.assertEqual(
            ['service.delete'],
            [n['event_type'] for n in
             self.notifier.wait_for_versioned_notifications(1)])


class TestPolicyFile(ServicesAPITestBase):
    """An operator's policy file overrides the admin-only defaults."""

    _MEMBERS_LIST = '"os_compute_api:os-services:list": "role:member"\n'

    def setUp(self):
        super().setUp()
        self.policy_file = os.path.join(
            self.useFixture(fixtures.TempDir()).path, 'policy.yaml')
        self._write_policy(self._MEMBERS_LIST)
        self.flags(policy_file=self.policy_file, group='oslo_policy')
        self.server = self.useFixture(api_fixtures.APIServerFixture())

    def _write_policy(self, text):
        mtime = (os.stat(self.policy_file).st_mtime
                 if os.path.exists(self.policy_file) else None)
        with open(self.policy_file, 'w') as f:
            f.write(text)
        if mtime is not None:
            # NOTE: a rewrite within the same second keeps the same mtime,
            # and oslo.policy reloads a file whose mtime changed.
            os.utime(self.policy_file, (0, mtime + 10))

    def _disable(self, api):
        return api.request('PUT', self._url(self.compute1),
                           body={'status': 'disabled'})

    def test_policy_file_lets_members_list(self):
        self.assertEqual(3, len(self.server.api.get_services()))
        self.assertEqual(403, self._disable(self.server.api).status)

    def test_policy_file_broken_while_serving_fails_closed(self):
        self.assertEqual(3, len(self.server.api.get_services()))

        self._write_policy('"os_compute_api:os-services:update": '
                           '[unclosed\n')
        self.assertFault(self._disable(self.server.admin_api), 403,
                         'forbidden', 'The policy file %s is invalid'
                         % self.policy_file)
        self.assertEqual(False, self._row(self.compute1)['disabled'])
        self.assertEqual([], self.notifier.versioned_notifications)
        self.assertIn('ERROR nova.policy Policy file %s is invalid'
                      % self.policy_file, self.stdlog.output)

        self._write_policy(self._MEMBERS_LIST)
        self.assertEqual(200, self._disable(self.server.admin_api).status)
