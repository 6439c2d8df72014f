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

"""Building the compute API application for nova-api and WSGI servers."""

import os
import sys

import fixtures
from oslo_serialization import jsonutils
import webob

from nova.api.openstack import wsgi_app
from nova import exception
from nova import objects
from nova.objects import service as service_obj
from nova import test
from nova.tests import fixtures as nova_fixtures


class TestConfigFiles(test.TestCase):

    USES_DB = False

    def test_default_file_only_if_present(self):
        directory = self.useFixture(fixtures.TempDir()).path
        env = {'OS_NOVA_CONFIG_DIR': directory}
        self.assertEqual([], wsgi_app._get_config_files(env))
        open(os.path.join(directory, 'nova.conf'), 'w').close()
        self.assertEqual([os.path.join(directory, 'nova.conf')],
                         wsgi_app._get_config_files(env))

    def test_named_files_are_all_read(self):
        env = {'OS_NOVA_CONFIG_DIR': '/etc/x',
               'OS_NOVA_CONFIG_FILES': 'a.conf; b.conf;'}
        self.assertEqual(['/etc/x/a.conf', '/etc/x/b.conf'],
                         wsgi_app._get_config_files(env))


class TestPasteConfig(test.TestCase):

    USES_DB = False

    def test_an_absolute_path_is_taken_as_it_is(self):
        self.assertEqual(nova_fixtures.API_PASTE_CONFIG,
                         wsgi_app.paste_config(self.conf.conf))

    def test_a_missing_file_is_a_configuration_error(self):
        self.flags(api_paste_config='/nonexistent/api-paste.ini',
                   group='wsgi')
        error = self.assertRaises(exception.InvalidConfiguration,
                                  wsgi_app.paste_config, self.conf.conf)
        self.assertIn('cannot find /nonexistent/api-paste.ini',
                      error.format_message())

    def test_a_name_is_found_where_pip_installs_it(self):
        prefix = self.useFixture(fixtures.TempDir()).path
        os.makedirs(os.path.join(prefix, 'etc', 'nova'))
        path = os.path.join(prefix, 'etc', 'nova', 'api-paste.ini')
        open(path, 'w').close()
        self.useFixture(fixtures.MonkeyPatch('sys.prefix', prefix))
        self.flags(api_paste_config='api-paste.ini', group='wsgi')
        self.assertEqual(path, wsgi_app.paste_config(self.conf.conf))
        os.unlink(path)
        error = self.assertRaises(exception.InvalidConfiguration,
                                  wsgi_app.paste_config, self.conf.conf)
        self.assertIn(os.path.join(sys.prefix, 'etc', 'nova'),
                      error.format_message())


class TestPipeline(test.TestCase):
    """The pipeline of etc/nova/api-paste.ini, as a WSGI server loads it."""

    def setUp(self):
        super().setUp()
        self.flags(auth_strategy='noauth2', group='api')
        self.app = wsgi_app.load_app(self.conf.conf)

    def _get(self, path, **headers):
        return webob.Request.blank(path, headers=headers).get_response(
            self.app)

    def test_healthcheck_needs_no_token(self):
        response = self._get('/healthcheck')
        self.assertEqual(200, response.status_int)
        self.assertEqual(b'OK', response.body)

    def test_versions_need_no_token(self):
        self.assertEqual(200, self._get('/').status_int)
        response = self._get('/v2.1')
        self.assertEqual('v2.1', response.json['version']['id'])

    def test_the_api_needs_a_token_and_sets_the_request_ids(self):
        self.assertEqual(401, self._get('/v2.1/os-services').status_int)
        response = self._get('/v2.1/os-services', **{
            'X-Auth-Token': 'admin:admin'})
        self.assertEqual(200, response.status_int)
        self.assertEqual(response.headers['X-OpenStack-Request-Id'],
                         response.headers['X-Compute-Request-Id'])

    def test_a_proxy_tells_the_links_their_scheme(self):
        self.flags(enable_proxy_headers_parsing=True,
                   group='oslo_middleware')
        response = self._get('/', **{'X-Forwarded-Proto': 'https'})
        self.assertTrue(jsonutils.loads(response.body)['versions'][0][
            'links'][0]['href'].startswith('https://'))

    def test_a_body_over_the_limit_is_413(self):
        self.flags(max_request_body_size=64, group='oslo_middleware')
        request = webob.Request.blank(
            '/v2.1/os-services/disable', method='PUT',
            headers={'X-Auth-Token': 'admin:admin',
                     'Content-Type': 'application/json',
                     'Accept': 'application/json'},
            body=b'{"host": "h", "binary": "nova-compute"' + b' ' * 64 +
            b'}')
        self.assertEqual(413, request.get_response(self.app).status_int)


class TestRegisterAPIService(test.TestCase):

    def test_first_start_creates_and_notifies_as_nova_api(self):
        wsgi_app.register_api_service('host1')
        [notification] = self.notifier.versioned_notifications
        self.assertEqual('service.create', notification['event_type'])
        self.assertEqual('nova-api:host1', notification['publisher_id'])
        service = objects.Service.get_by_host_and_binary(
            self.context, 'host1', 'nova-osapi_compute')
        self.assertIsNone(service.topic)

    def test_restart_updates_version_silently(self):
        wsgi_app.register_api_service('host1')
        service = objects.Service.get_by_host_and_binary(
            self.context, 'host1', 'nova-osapi_compute')
        service.version = service_obj.SERVICE_VERSION - 1
        service.save()
        self.notifier.reset()
        wsgi_app.register_api_service('host1')
        service = objects.Service.get_by_host_and_binary(
            self.context, 'host1', 'nova-osapi_compute')
        self.assertEqual(service_obj.SERVICE_VERSION, service.version)
        self.assertEqual([], self.notifier.versioned_notifications)
        self.assertEqual(1, len(objects.ServiceList.get_all(self.context)))

    def test_sibling_worker_registering_first_is_fine(self):
        original = objects.Service.get_by_host_and_binary
        lookups = []

        def sibling_wins(cls, context, host, binary):
            # NOTE: the sibling creates the record between our first lookup
            # and our create.
            result = original(context, host, binary)
            if not lookups:
                objects.Service(context, host=host, binary=binary,
                                topic=None, report_count=0).create()
            lookups.append(result)
            return result
        self.useFixture(fixtures.MonkeyPatch(
            'nova.objects.Service.get_by_host_and_binary', sibling_wins))
        wsgi_app.register_api_service('host1')
        self.assertEqual(1, len(objects.ServiceList.get_all(self.context)))
        self.assertEqual(2, len(lookups))
        self.assertIsNotNone(lookups[1])
