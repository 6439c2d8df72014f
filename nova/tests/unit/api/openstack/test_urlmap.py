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

import webob
import webob.dec

from nova.api.openstack import urlmap
from nova import test


def _app(name):
    @webob.dec.wsgify
    def app(req):
        return webob.Response(json={'app': name, 'script': req.script_name,
                                    'path': req.path_info,
                                    'root': urlmap.root_url(req)})
    return app


class TestURLMap(test.TestCase):

    USES_DB = False

    def setUp(self):
        super().setUp()
        self.map = urlmap.URLMap({'/': _app('versions'),
                                  '/v2.1': _app('versions'),
                                  '/v2.1/+': _app('api'),
                                  '/healthcheck': _app('health')})

    def _get(self, path):
        return webob.Request.blank(path, base_url='http://h:8774').\
            get_response(self.map).json

    def test_below_a_path_it_moves_to_the_script_name(self):
        self.assertEqual({'app': 'api', 'script': '/v2.1',
                          'path': '/os-services', 'root': 'http://h:8774'},
                         self._get('/v2.1/os-services'))

    def test_a_path_itself_is_not_below_it(self):
        self.assertEqual({'app': 'versions', 'script': '', 'path': '/v2.1',
                          'root': 'http://h:8774'}, self._get('/v2.1'))

    def test_a_mount_takes_its_path_and_those_below(self):
        self.assertEqual('health', self._get('/healthcheck')['app'])
        self.assertEqual('health', self._get('/healthcheck/x')['app'])
        self.assertEqual('versions', self._get('/healthchecks')['app'])

    def test_the_root_takes_the_rest(self):
        self.assertEqual('versions', self._get('/')['app'])
        self.assertEqual('versions', self._get('/v3')['app'])

    def test_without_a_root_the_rest_is_404(self):
        response = webob.Request.blank('/v3').get_response(
            urlmap.URLMap({'/v2.1/+': _app('api')}))
        self.assertEqual(404, response.status_int)
        self.assertIn('itemNotFound', response.json)
