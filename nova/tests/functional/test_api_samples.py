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

"""The API reference's examples are what the real API accepts and answers.

Each request file under ``doc/api_samples/`` is sent as it is to nova-api's
application over real HTTP, and each response file is compared with the
answer. Values that vary from run to run (timestamps, the server's address)
are replaced by the fixed values the samples show; the services have fixed
uuids. A mismatch fails with a diff and writes the actual answer, in the
sample's terms, to ``$NOVA_API_SAMPLE_ACTUAL_DIR`` (default
``nova-api-samples-actual`` in the temporary directory), ready to be copied
over the sample. ``NOVA_GENERATE_API_SAMPLES=1`` writes the response files
instead of comparing them.
"""

import datetime
import difflib
import json
import os
import re
import tempfile

from oslo_utils import timeutils

from nova import objects
from nova import test
from nova.tests.functional.api import fixtures as api_fixtures

SAMPLES_DIR = os.path.normpath(os.path.join(
    os.path.dirname(__file__), '..', '..', '..', 'doc', 'api_samples'))
ACTUAL_DIR = os.environ.get(
    'NOVA_API_SAMPLE_ACTUAL_DIR',
    os.path.join(tempfile.gettempdir(), 'nova-api-samples-actual'))
GENERATE = os.environ.get('NOVA_GENERATE_API_SAMPLES', '').lower() in (
    '1', 'true', 'yes')

# NOTE: what the samples show instead of the values that vary.
SAMPLE_BASE_URL = 'http://openstack.example.com'
SAMPLE_UPDATED_AT = '2012-10-29T13:42:02.000000'
_UPDATED_AT_FORMAT = '%Y-%m-%dT%H:%M:%S.%f'

COMPUTE_UUID = 'e81d66a4-ddd3-4aba-8a84-171d1cb4d339'
SCHEDULER_UUID = '7f8c3a2e-5b1d-4f6a-9c0e-2d4b6a8c0e1f'

# NOTE: every file of doc/api_samples, by the test that checks it; a file
# that no test checks would be an example nobody verifies.
CHECKED_SAMPLES = {
    'versions/versions-get-resp.json',
    'os-services/services-list-get-resp.json',
    'os-services/services-list-filter-get-resp.json',
    'os-services/service-disable-put-req.json',
    'os-services/service-disable-put-resp.json',
    'os-services/service-disable-log-put-req.json',
    'os-services/service-disable-log-put-resp.json',
    'os-services/service-enable-put-req.json',
    'os-services/service-enable-put-resp.json',
    'os-services/service-force-down-put-req.json',
    'os-services/service-force-down-put-resp.json',
    'os-services/service-update-bad-request-put-req.json',
    'os-services/service-update-bad-request-put-resp.json',
    'os-services/service-not-found-delete-resp.json',
    'os-services/v2.1/services-list-get-resp.json',
    'os-services/v2.1/service-disable-put-req.json',
    'os-services/v2.1/service-disable-put-resp.json',
    'os-services/v2.1/service-disable-log-put-req.json',
    'os-services/v2.1/service-disable-log-put-resp.json',
    'os-services/v2.1/service-enable-put-req.json',
    'os-services/v2.1/service-enable-put-resp.json',
    'os-services/v2.11/services-list-get-resp.json',
    'os-services/v2.11/service-force-down-put-req.json',
    'os-services/v2.11/service-force-down-put-resp.json',
}


def _normalize(value):
    """Replace what varies by the samples' values; check its format."""
    if isinstance(value, dict):
        normalized = {}
        for key, item in value.items():
            if key == 'updated_at' and item is not None:
                datetime.datetime.strptime(item, _UPDATED_AT_FORMAT)
                item = SAMPLE_UPDATED_AT
            normalized[key] = _normalize(item)
        return normalized
    if isinstance(value, list):
        return [_normalize(item) for item in value]
    return value


class ApiSampleTestBase(test.TestCase):
    """Send the request samples; compare the answers with the samples."""

    def setUp(self):
        super().setUp()
        self.api_fixture = self.useFixture(api_fixtures.APIServerFixture())
        self.admin_api = self.api_fixture.admin_api

    def _sample_path(self, name):
        return os.path.join(SAMPLES_DIR, name)

    def _load(self, name):
        self.assertIn(name, CHECKED_SAMPLES)
        with open(self._sample_path(name)) as f:
            return json.load(f)

    def _request(self, method, path, request_sample=None, prefix=None):
        body = self._load(request_sample) if request_sample else None
        return self.admin_api.request(method, path, body=body, prefix=prefix)

    def _actual(self, response):
        text = response.body.replace(self.api_fixture.base_url,
                                     SAMPLE_BASE_URL)
        return _normalize(json.loads(text))

    def _verify_response(self, name, response, status):
        """Assert the response's status, and its body against the sample."""
        self.assertEqual(status, response.status, response.body)
        self.assertIn(name, CHECKED_SAMPLES)
        actual = self._actual(response)
        actual_text = json.dumps(actual, indent=4) + '\n'
        if GENERATE:
            os.makedirs(os.path.dirname(self._sample_path(name)),
                        exist_ok=True)
            with open(self._sample_path(name), 'w') as f:
                f.write(actual_text)
        expected = self._load(name)
        if expected != actual:
            path = os.path.join(ACTUAL_DIR, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, 'w') as f:
                f.write(actual_text)
            diff = '\n'.join(difflib.unified_diff(
                json.dumps(expected, indent=4).splitlines(),
                actual_text.splitlines(), fromfile='sample %s' % name,
                tofile='API response', lineterm=''))
            self.fail('Response does not match %s:\n%s\nThe response was '
                      'written to %s' % (name, diff, path))


class ServicesSampleTestBase(ApiSampleTestBase):
    """A compute and a scheduler on host1, each with one heartbeat."""

    def setUp(self):
        super().setUp()
        self.compute = self._create_service(COMPUTE_UUID, 'nova-compute',
                                            'compute')
        self._create_service(SCHEDULER_UUID, 'nova-scheduler', 'scheduler')

    def _create_service(self, uuid, binary, topic):
        service = objects.Service(self.context, uuid=uuid, host='host1',
                                  binary=binary, topic=topic, report_count=0,
                                  disabled=False, forced_down=False)
        service.create()
        # NOTE: one heartbeat, as a running service would have sent.
        service.report_count = 1
        service.last_seen_up = timeutils.utcnow()
        service.save()
        return service


class TestServicesApiSamples(ServicesSampleTestBase):
    """os-services at microversion 2.53, where services have uuids."""

    def test_services_list(self):
        self._verify_response('os-services/services-list-get-resp.json',
                              self._request('GET', '/os-services'), 200)

    def test_services_list_filtered(self):
        self._verify_response(
            'os-services/services-list-filter-get-resp.json',
            self._request('GET', '/os-services?binary=nova-compute'), 200)

    def _verify_update(self, action):
        response = self._request(
            'PUT', '/os-services/%s' % COMPUTE_UUID,
            'os-services/service-%s-put-req.json' % action)
        self._verify_response('os-services/service-%s-put-resp.json'
                              % action, response, 200)

    def test_service_disable(self):
        self._verify_update('disable')

    def test_service_disable_log_reason(self):
        self._verify_update('disable-log')

    def test_service_enable(self):
        self.compute.disabled = True
        self.compute.disabled_reason = 'maintenance'
        self.compute.save()
        self._verify_update('enable')

    def test_service_force_down(self):
        self._verify_update('force-down')

    def test_service_update_bad_request(self):
        self._verify_response(
            'os-services/service-update-bad-request-put-resp.json',
            self._request(
                'PUT', '/os-services/%s' % COMPUTE_UUID,
                'os-services/service-update-bad-request-put-req.json'),
            400)

    def test_service_delete(self):
        response = self._request('DELETE', '/os-services/%s' % COMPUTE_UUID)
        self.assertEqual(204, response.status, response.body)
        self.assertEqual('', response.body)
        self._verify_response(
            'os-services/service-not-found-delete-resp.json',
            self._request('DELETE', '/os-services/%s' % COMPUTE_UUID), 404)


class TestLegacyServicesApiSamples(ServicesSampleTestBase):
    """os-services below 2.53: integer ids, actions by host and binary."""

    def _verify_action(self, version, action, sample):
        self.admin_api.microversion = version
        response = self._request(
            'PUT', '/os-services/%s' % action,
            'os-services/v%s/service-%s-put-req.json' % (version, sample))
        self._verify_response('os-services/v%s/service-%s-put-resp.json'
                              % (version, sample), response, 200)

    def test_services_list(self):
        self.admin_api.microversion = '2.1'
        self._verify_response('os-services/v2.1/services-list-get-resp.json',
                              self._request('GET', '/os-services'), 200)

    def test_services_list_v2_11(self):
        self.admin_api.microversion = '2.11'
        self._verify_response('os-services/v2.11/services-list-get-resp.json',
                              self._request('GET', '/os-services'), 200)

    def test_service_disable(self):
        self._verify_action('2.1', 'disable', 'disable')

    def test_service_disable_log_reason(self):
        self._verify_action('2.1', 'disable-log-reason', 'disable-log')

    def test_service_enable(self):
        self._verify_action('2.1', 'enable', 'enable')

    def test_service_force_down(self):
        self._verify_action('2.11', 'force-down', 'force-down')

    def test_service_delete(self):
        self.admin_api.microversion = '2.1'
        response = self._request('DELETE', '/os-services/%d'
                                 % self.compute.id)
        self.assertEqual(204, response.status, response.body)


class TestVersionsApiSamples(ApiSampleTestBase):

    def test_versions(self):
        self._verify_response('versions/versions-get-resp.json',
                              self._request('GET', '/', prefix=''), 200)


class TestSampleFiles(test.TestCase):

    USES_DB = False

    def test_every_sample_file_is_checked(self):
        on_disk = set()
        for root, _dirs, files in os.walk(SAMPLES_DIR):
            on_disk.update(
                os.path.relpath(os.path.join(root, name), SAMPLES_DIR)
                for name in files if name.endswith('.json'))
        self.assertEqual(sorted(CHECKED_SAMPLES), sorted(on_disk))

    def test_normalize_refuses_another_timestamp_format(self):
        self.assertEqual({'updated_at': SAMPLE_UPDATED_AT, 'other': [1]},
                         _normalize({'updated_at': '2026-01-02T03:04:05.6',
                                     'other': [1]}))
        self.assertRaises(ValueError, _normalize,
                          {'updated_at': '2026-01-02 03:04:05'})
        self.assertTrue(re.match(r'^\d{4}-', SAMPLE_UPDATED_AT))
