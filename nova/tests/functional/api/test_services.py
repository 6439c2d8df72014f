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

"""The os-services API over real HTTP: every endpoint and every bad input."""

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
from nova.tests.functional.api import client
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
        with db_api.transaction(self.context):
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

    def test_list_at_2_53_shows_uuids_zones_and_forced_down(self):
        services = self.admin_api.get_services()
        self.assertEqual(
            [{'binary': 'nova-compute', 'host': 'host1',
              'id': self.compute1.uuid, 'zone': 'nova', 'status': 'enabled',
              'state': 'up', 'updated_at': None, 'disabled_reason': None,
              'forced_down': False},
             {'binary': 'nova-compute', 'host': 'host2',
              'id': self.compute2.uuid, 'zone': 'nova', 'status': 'enabled',
              'state': 'up', 'updated_at': None, 'disabled_reason': None,
              'forced_down': False},
             {'binary': 'nova-scheduler', 'host': 'host1',
              'id': self.scheduler.uuid, 'zone': 'internal',
              'status': 'enabled', 'state': 'up', 'updated_at': None,
              'disabled_reason': None, 'forced_down': False}],
            services)

    def test_list_below_2_53_shows_integer_ids(self):
        self.admin_api.microversion = '2.52'
        services = self.admin_api.get_services(binary='nova-scheduler')
        self.assertEqual(self.scheduler.id, services[0]['id'])
        self.assertIn('forced_down', services[0])

    def test_list_below_2_11_has_no_forced_down(self):
        self.admin_api.microversion = '2.10'
        self.assertNotIn('forced_down', self.admin_api.get_services()[0])
        self.admin_api.microversion = '2.11'
        self.assertIn('forced_down', self.admin_api.get_services()[0])

    def test_filters(self):
        self.assertEqual(
            [self.compute1.uuid, self.scheduler.uuid],
            [s['id'] for s in self.admin_api.get_services(host='host1')])
        self.assertEqual(
            [self.compute1.uuid, self.compute2.uuid],
            [s['id'] for s in self.admin_api.get_services(
                binary='nova-compute')])
        self.assertEqual(
            [self.compute2.uuid],
            [s['id'] for s in self.admin_api.get_services(
                host='host2', binary='nova-compute')])
        self.assertEqual([], self.admin_api.get_services(host='nowhere'))

    def test_empty_and_unknown_filters_filter_nothing(self):
        response = self.admin_api.request(
            'GET', '/os-services?host=&binary=&unknown=1')
        self.assertEqual(200, response.status)
        self.assertEqual(3, len(response.json['services']))

    def test_repeated_filter_last_wins(self):
        response = self.admin_api.request(
            'GET', '/os-services?host=host1&host=host2')
        self.assertEqual([self.compute2.uuid],
                         [s['id'] for s in response.json['services']])

    def test_api_service_is_not_listed(self):
        self.assertNotIn(self.api_record.uuid,
                         [s['id'] for s in self.admin_api.get_services()])

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
        with db_api.transaction(self.context):
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

    def test_updated_at_is_shown(self):
        self.admin_api.put_service(self.compute1.uuid,
                                   {'status': 'disabled'})
        [service] = self.admin_api.get_services(host='host1',
                                                binary='nova-compute')
        updated_at = datetime.datetime.strptime(service['updated_at'],
                                                '%Y-%m-%dT%H:%M:%S.%f')
        self.assertLess(abs((timeutils.utcnow() -
                             updated_at).total_seconds()), 60)

    def test_member_is_forbidden(self):
        response = self.api.request('GET', '/os-services')
        self.assertFault(response, 403, 'forbidden',
                         "Policy doesn't allow os_compute_api:os-services:"
                         "list to be performed.")

    def test_no_token_is_unauthorized(self):
        self.admin_api.token = None
        self.assertFault(self.admin_api.request('GET', '/os-services'), 401,
                         'unauthorized', 'X-Auth-Token')

    def test_malformed_token_is_unauthorized(self):
        response = self.admin_api.request(
            'GET', '/os-services',
            headers={'X-Auth-Token': 'demo:demo, admin:admin'})
        self.assertFault(response, 401, 'unauthorized', 'Malformed token')

    def test_project_id_in_path(self):
        api = client.TestOpenStackClient(self.server.api_url,
                                         token='admin:abc123')
        response = api.request('GET', '/abc123/os-services')
        self.assertEqual(200, response.status)
        self.assertFault(api.request('GET', '/abc124/os-services'), 400,
                         'badRequest', "doesn't match Context's project_id")


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

    def test_latest_and_legacy_headers_reach_2_53(self):
        self.admin_api.microversion = 'latest'
        self.assertEqual(200, self._put({'forced_down': True}).status)
        self.admin_api.microversion = None
        response = self._put({'forced_down': False}, headers={
            'X-OpenStack-Nova-API-Version': '2.53'})
        self.assertEqual(200, response.status)
        self.assertEqual('compute 2.53',
                         response.headers['OpenStack-API-Version'])

    # Bad input: a 4xx with nova's fault body, nothing changed, nothing sent.

    def test_member_is_forbidden(self):
        self.assertRejected(self._put({'status': 'disabled'}, api=self.api),
                            403, 'forbidden', 'os-services:update')

    def test_no_token(self):
        self.admin_api.token = None
        self.assertRejected(self._put({'status': 'disabled'}), 401,
                            'unauthorized')

    def test_malformed_json(self):
        self.assertRejected(
            self._put(raw_body=b'{"status": ',
                      headers={'Content-Type': 'application/json'}),
            400, 'badRequest', 'Malformed request body')

    def test_body_not_utf8(self):
        self.assertRejected(
            self._put(raw_body=b'{"status": "\xff"}',
                      headers={'Content-Type': 'application/json'}),
            400, 'badRequest', 'Malformed request body')

    def test_body_not_an_object(self):
        self.assertRejected(self._put(['status']), 400, 'badRequest',
                            "is not of type 'object'")

    def test_unknown_field(self):
        self.assertRejected(self._put({'status': 'disabled', 'host': 'x'}),
                            400, 'badRequest',
                            "Additional properties are not allowed")

    def test_wrong_types(self):
        for body, attribute in (({'status': True}, 'status'),
                                ({'status': 'off'}, 'status'),
                                ({'forced_down': 1}, 'forced_down'),
                                ({'forced_down': 'maybe'}, 'forced_down'),
                                ({'status': 'disabled',
                                  'disabled_reason': 5}, 'disabled_reason')):
            self.assertRejected(self._put(body), 400, 'badRequest',
                                'Invalid input for field/attribute %s.'
                                % attribute)

    def test_empty_body(self):
        self.assertRejected(self._put({}), 400, 'badRequest',
                            'No updates were requested')
        self.assertRejected(self._put(raw_body=b''), 400, 'badRequest',
                            'No updates were requested')

    def test_reason_alone(self):
        self.assertRejected(self._put({'disabled_reason': 'r'}), 400,
                            'badRequest', 'No updates were requested')

    def test_reason_with_enabled(self):
        self.assertRejected(
            self._put({'status': 'enabled', 'disabled_reason': 'r'}), 400,
            'badRequest', "Specifying 'disabled_reason' is only valid with "
                          "status 'disabled'.")

    def test_reason_with_forced_down_only(self):
        self.assertRejected(
            self._put({'forced_down': True, 'disabled_reason': 'r'}), 400,
            'badRequest', "'disabled_reason' is only valid")

    def test_reason_length(self):
        self.assertRejected(
            self._put({'status': 'disabled', 'disabled_reason': 'x' * 256}),
            400, 'badRequest', 'is too long')
        self.assertRejected(
            self._put({'status': 'disabled', 'disabled_reason': ''}),
            400, 'badRequest', 'Invalid input for field/attribute '
                               'disabled_reason.')
        self.assertEqual(200, self._put({'status': 'disabled',
                                         'disabled_reason': 'x' * 255}).status)

    def test_non_uuid_id(self):
        self.assertRejected(self._put({'status': 'disabled'},
                                      service_id=str(self.compute1.id)),
                            400, 'badRequest', 'Invalid uuid')

    def test_unknown_service(self):
        unknown = uuidutils.generate_uuid()
        self.assertRejected(self._put({'status': 'disabled'},
                                      service_id=unknown),
                            404, 'itemNotFound',
                            'Service %s not found.' % unknown)

    def test_deleted_service(self):
        self.admin_api.delete_service(self.compute2.uuid)
        self.notifier.reset()
        self.assertRejected(self._put({'status': 'disabled'},
                                      service_id=self.compute2.uuid),
                            404, 'itemNotFound')

    def test_non_compute_service(self):
        self.before = self._row(self.scheduler)
        self.assertRejected(self._put({'status': 'disabled'},
                                      service_id=self.scheduler.uuid),
                            400, 'badRequest',
                            'Updating a nova-scheduler service is not '
                            'supported.', service=self.scheduler)

    def test_old_microversion_takes_the_uuid_for_an_action(self):
        for version in (None, '2.1', '2.52'):
            self.admin_api.microversion = version
            response = self._put({'host': 'host1',
                                  'binary': 'nova-compute'})
            self.assertRejected(response, 404, 'itemNotFound',
                                'Unknown action')
            self.assertEqual('compute %s' % (version or '2.1'),
                             response.headers['OpenStack-API-Version'])

    def test_unsupported_microversion(self):
        for version in ('2.54', '3.0', '1.1'):
            self.admin_api.microversion = version
            self.assertRejected(
                self._put({'status': 'disabled'}), 406, 'computeFault',
                'Version %s is not supported by the API. Minimum is 2.1 and '
                'maximum is 2.53.' % version)

    def test_malformed_microversion(self):
        for version in ('2', '2.x', 'two', '2.01'):
            self.admin_api.microversion = version
            self.assertRejected(self._put({'status': 'disabled'}), 400,
                                'badRequest',
                                'API Version String %s is of invalid format'
                                % version)

    def test_unsupported_content_type(self):
        self.assertRejected(
            self._put(raw_body=b'status=disabled', headers={
                'Content-Type': 'application/x-www-form-urlencoded'}),
            415, 'badMediaType', 'Unsupported Content-Type')

    def test_body_too_large(self):
        self.flags(max_request_body_size=64, group='wsgi')
        self.assertRejected(
            self._put({'status': 'disabled', 'disabled_reason': 'x' * 100}),
            413, 'overLimit', 'Request is too large')

    def test_method_override_is_not_honoured(self):
        response = self.admin_api.request(
            'POST', self._url(self.compute1) + '?_method=DELETE')
        self.assertRejected(response, 405, 'badMethod')
        self.assertEqual('DELETE, PUT', response.headers['Allow'])


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

    def test_uuid_below_2_53(self):
        self.admin_api.microversion = '2.1'
        self.assertRejected(
            self.admin_api.request('DELETE', self._url(self.compute1)),
            400, 'badRequest', 'id must be an integer below microversion '
                               '2.53')

    def test_unknown_integer_id_below_2_53(self):
        self.admin_api.microversion = '2.1'
        for service_id in ('12345', str(2 ** 70)):
            self.assertRejected(
                self.admin_api.request('DELETE', '/os-services/' +
                                       service_id),
                404, 'itemNotFound')

    def test_non_uuid_id(self):
        self.assertRejected(
            self.admin_api.request('DELETE', '/os-services/%d'
                                   % self.compute1.id),
            400, 'badRequest', 'Invalid uuid')

    def test_unknown_uuid(self):
        self.assertRejected(
            self.admin_api.request('DELETE', '/os-services/%s'
                                   % uuidutils.generate_uuid()),
            404, 'itemNotFound')

    def test_member_is_forbidden(self):
        self.assertRejected(
            self.api.request('DELETE', self._url(self.compute1)),
            403, 'forbidden', 'os_compute_api:os-services:delete')


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


class TestVersionsAndMicroversions(ServicesAPITestBase):

    def test_versions_document_needs_no_token(self):
        api = client.TestOpenStackClient(self.server.base_url, token=None,
                                         microversion=None)
        response = api.request('GET', '/')
        self.assertEqual(200, response.status)
        self.assertEqual(
            {'versions': [{
                'id': 'v2.1', 'status': 'CURRENT', 'version': '2.53',
                'min_version': '2.1', 'updated': '2013-07-23T11:33:21Z',
                'links': [{'rel': 'self',
                           'href': self.server.base_url + '/v2.1/'}]}]},
            response.json)

    def test_v21_document(self):
        for path in ('', '/'):
            response = self.admin_api.request('GET', path)
            self.assertEqual(200, response.status)
            version = response.json['version']
            self.assertEqual(('v2.1', '2.53', '2.1'),
                             (version['id'], version['version'],
                              version['min_version']))
            self.assertEqual(self.server.base_url + '/v2.1/',
                             version['links'][0]['href'])

    def test_v21_document_needs_a_token(self):
        self.admin_api.token = None
        self.assertFault(self.admin_api.request('GET', '/'), 401,
                         'unauthorized')

    def test_version_headers(self):
        cases = ((None, '2.1'), ('2.1', '2.1'), ('2.11', '2.11'),
                 ('latest', '2.53'), ('LATEST', '2.53'))
        for requested, answered in cases:
            self.admin_api.microversion = requested
            response = self.admin_api.request('GET', '/os-services')
            self.assertEqual(200, response.status)
            self.assertEqual('compute ' + answered,
                             response.headers['OpenStack-API-Version'])
            self.assertEqual(answered, response.headers[
                'X-OpenStack-Nova-API-Version'])
            self.assertEqual(
                ['OpenStack-API-Version', 'X-OpenStack-Nova-API-Version'],
                response.headers.get_all('Vary'))

    def test_other_service_types_are_ignored(self):
        self.admin_api.microversion = None
        response = self.admin_api.request(
            'GET', '/os-services',
            headers={'OpenStack-API-Version': 'volume 3.0'})
        self.assertEqual('compute 2.1',
                         response.headers['OpenStack-API-Version'])

    def test_unsupported_version_on_list(self):
        self.admin_api.microversion = '2.99'
        self.assertFault(self.admin_api.request('GET', '/os-services'), 406,
                         'computeFault', 'Version 2.99 is not supported')

    def test_unknown_paths(self):
        self.assertFault(self.admin_api.request('GET', '/os-hypervisors'),
                         404, 'itemNotFound')
        api = client.TestOpenStackClient(self.server.base_url, token=None)
        self.assertFault(api.request('GET', '/v3/os-services'), 404,
                         'itemNotFound')

    def test_request_ids(self):
        response = self.admin_api.request('GET', '/os-services')
        request_id = response.headers['X-OpenStack-Request-Id']
        self.assertTrue(request_id.startswith('req-'))
        self.assertEqual(request_id,
                         response.headers['X-Compute-Request-Id'])
