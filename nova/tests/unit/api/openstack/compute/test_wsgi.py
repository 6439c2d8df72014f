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
import threading

import fixtures

from nova.api.openstack.compute import wsgi as compute_wsgi
from nova import objects
from nova.objects import service as service_obj
from nova import test


class TestConfigFiles(test.TestCase):

    USES_DB = False

    def test_default_file_only_if_present(self):
        directory = self.useFixture(fixtures.TempDir()).path
        env = {'OS_NOVA_CONFIG_DIR': directory}
        self.assertEqual([], compute_wsgi.config_files(env))
        open(os.path.join(directory, 'nova.conf'), 'w').close()
        self.assertEqual([os.path.join(directory, 'nova.conf')],
                         compute_wsgi.config_files(env))

    def test_named_files_are_all_read(self):
        env = {'OS_NOVA_CONFIG_DIR': '/etc/x',
               'OS_NOVA_CONFIG_FILES': 'a.conf; b.conf;'}
        self.assertEqual(['/etc/x/a.conf', '/etc/x/b.conf'],
                         compute_wsgi.config_files(env))


class TestRegisterAPIService(test.TestCase):

    def test_first_start_creates_and_notifies_as_nova_api(self):
        compute_wsgi.register_api_service('host1')
        [notification] = self.notifier.versioned_notifications
        self.assertEqual('service.create', notification['event_type'])
        self.assertEqual('nova-api:host1', notification['publisher_id'])
        service = objects.Service.get_by_host_and_binary(
            self.context, 'host1', 'nova-osapi_compute')
        self.assertIsNone(service.topic)

    def test_restart_updates_version_silently(self):
        compute_wsgi.register_api_service('host1')
        service = objects.Service.get_by_host_and_binary(
            self.context, 'host1', 'nova-osapi_compute')
        service.version = service_obj.SERVICE_VERSION - 1
        service.save()
        self.notifier.reset()
        compute_wsgi.register_api_service('host1')
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
        compute_wsgi.register_api_service('host1')
        self.assertEqual(1, len(objects.ServiceList.get_all(self.context)))
        self.assertEqual(2, len(lookups))
        self.assertIsNotNone(lookups[1])


class TestLazyApplication(test.TestCase):

    USES_DB = False

    def test_initialises_once_on_first_request(self):
        calls = []

        def app(environ, start_response):
            start_response('200 OK', [])
            return [b'ok']

        def init_application():
            calls.append(1)
            return app
        self.useFixture(fixtures.MonkeyPatch(
            'nova.api.openstack.compute.wsgi.init_application',
            init_application))
        lazy = compute_wsgi._LazyApplication()
        self.assertEqual([], calls)
        results = []

        def request():
            results.append(lazy({}, lambda status, headers: None))
        threads = [threading.Thread(target=request) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(5)
        self.assertEqual([[b'ok']] * 8, results)
        self.assertEqual([1], calls)
