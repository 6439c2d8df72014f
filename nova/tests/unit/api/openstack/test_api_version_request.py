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

"""Microversion strings, comparisons and ranges."""

import testtools

from nova.api.openstack import api_version_request as api_version
from nova import exception


class TestAPIVersionRequest(testtools.TestCase):

    def test_valid_strings(self):
        for string, key in (('2.1', (2, 1)), ('2.53', (2, 53)),
                            ('10.0', (10, 0)), ('3.10', (3, 10))):
            version = api_version.APIVersionRequest(string)
            self.assertEqual(key, (version.ver_major, version.ver_minor))
            self.assertEqual(string, version.get_string())

    def test_invalid_strings(self):
        for string in ('', '2', '2.', '.1', '2.x', '02.1', '2.01', '-2.1',
                       '2.1.1', ' 2.1', 'latest', '2_1'):
            self.assertRaises(exception.InvalidAPIVersionString,
                              api_version.APIVersionRequest, string)

    def test_null_version(self):
        null = api_version.APIVersionRequest()
        self.assertTrue(null.is_null())
        self.assertRaises(ValueError, null.get_string)
        self.assertFalse(null.matches(api_version.APIVersionRequest('2.1'),
                                      api_version.APIVersionRequest('2.53')))

    def test_ordering_is_numeric(self):
        v = api_version.APIVersionRequest
        self.assertLess(v('2.9'), v('2.10'))
        self.assertGreater(v('3.0'), v('2.53'))
        self.assertEqual(v('2.11'), v('2.11'))
        self.assertLessEqual(v('2.11'), v('2.11'))
        self.assertGreaterEqual(v('2.12'), v('2.11'))
        self.assertEqual(1, len({v('2.5'), v('2.5')}))

    def test_matches_range(self):
        v = api_version.APIVersionRequest
        self.assertTrue(v('2.53').matches(v('2.53'), v('2.53')))
        self.assertTrue(v('2.11').matches(v('2.1'), v('2.53')))
        self.assertFalse(v('2.52').matches(v('2.53'), v()))
        self.assertTrue(v('9.9').matches(v('2.53'), v()))
        self.assertFalse(v('2.54').matches(v(), v('2.53')))

    def test_supported_range(self):
        self.assertEqual('2.1', api_version.min_api_version().get_string())
        self.assertEqual('2.53', api_version.max_api_version().get_string())
