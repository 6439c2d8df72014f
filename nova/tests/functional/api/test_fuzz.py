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

"""Property: whatever a client sends, never a 5xx, and a refusal changes
nothing.

hypothesis generates PUT bodies, paths, query strings and microversion
headers, from a fixed seed with a bounded number of examples, and sends
them to the compute API application in process (noauth2, real SQLite,
real notifier). Every answer must be below 500 with no traceback in its
body; every refused request must leave the services and the outbox as
they were.
"""

import json
from urllib import parse

import hypothesis
from hypothesis import strategies as st
import webob

from nova.api.openstack import wsgi_app
from nova.db.main import api as db_api
from nova import objects
from nova import policy
from nova import test

_SETTINGS = hypothesis.settings(
    max_examples=150, deadline=None, derandomize=True, database=None,
    suppress_health_check=[hypothesis.HealthCheck.too_slow,
                           hypothesis.HealthCheck.function_scoped_fixture])

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() |
    st.floats(allow_nan=False) | st.text(),
    lambda children: (st.lists(children, max_size=4) |
                      st.dictionaries(st.text(max_size=20), children,
                                      max_size=4)),
    max_leaves=10)

# NOTE: text with lone surrogates too, which st.text() leaves out.
_TEXT = st.text(st.characters(blacklist_categories=()), max_size=300)

_BODIES = st.one_of(
    _JSON.map(lambda data: json.dumps(data).encode('utf-8')),
    st.fixed_dictionaries({}, optional={
        'status': st.sampled_from(['enabled', 'disabled']) | _TEXT,
        'disabled_reason': st.none() | _TEXT,
        'forced_down': st.booleans() | st.text(max_size=8),
    }).map(lambda data: json.dumps(data).encode('utf-8')),
    st.integers(1, 1500).map(
        lambda depth: b'{"status": ' + b'[' * depth + b']' * depth + b'}'),
    st.binary(max_size=300))

_MICROVERSIONS = st.one_of(
    st.none(), st.sampled_from(['2.1', '2.52', '2.53', '2.54', 'latest']),
    st.from_regex(r'\A\d{1,6}\.\d{1,6}\Z'), st.text(max_size=30),
    st.integers(1, 6000).map(lambda digits: '2.' + '9' * digits))


def _url_bytes(data):
    # NOTE: WSGI carries the URL as bytes decoded as latin-1.
    return parse.quote_from_bytes(data, safe='/=&?%').encode(
        'ascii').decode('latin-1')


class TestFuzzedRequests(test.TestCase):

    def setUp(self):
        super().setUp()
        self.flags(auth_strategy='noauth2', group='api')
        policy.reset()
        self.addCleanup(policy.reset)
        self.app = wsgi_app.load_app(self.conf.conf)
        self.service = objects.Service(self.context, host='host1',
                                       binary='nova-compute',
                                       topic='compute', report_count=0)
        self.service.create()
        self.notifier.reset()

    def _state(self):
        with db_api.get_engine().connect() as connection:
            services = connection.exec_driver_sql(
                'SELECT disabled, disabled_reason, forced_down, deleted '
                'FROM services').fetchall()
            outbox = connection.exec_driver_sql(
                'SELECT COUNT(*) FROM notification_outbox').scalar()
        return services, outbox

    def _send(self, method, path, body=None, query=None, microversion=None):
        headers = {'X-Auth-Token': 'admin:admin'}
        if microversion is not None:
            headers['OpenStack-API-Version'] = 'compute %s' % microversion
        request = webob.Request.blank(path, method=method, headers=headers)
        if query is not None:
            request.environ['QUERY_STRING'] = query
        if body is not None:
            request.body = body
            request.content_type = 'application/json'
        before = self._state()
        response = request.get_response(self.app)
        self.assertLess(response.status_int, 500, response.text)
        self.assertNotIn('Traceback', response.text)
        if response.status_int >= 400:
            self.assertEqual(before, self._state(),
                             'a refused request changed something')
        return response

    @_SETTINGS
    @hypothesis.given(body=_BODIES, microversion=_MICROVERSIONS)
    def test_put_bodies(self, body, microversion):
        self._send('PUT', '/v2.1/os-services/%s' % self.service.uuid,
                   body=body, microversion=microversion)

    @_SETTINGS
    @hypothesis.given(segment=st.binary(min_size=1, max_size=60),
                      method=st.sampled_from(['GET', 'PUT', 'DELETE']))
    def test_paths(self, segment, method):
        self._send(method, '/v2.1/os-services/' + _url_bytes(segment),
                   body=b'{"forced_down": false}' if method == 'PUT'
                   else None, microversion='2.53')

    @_SETTINGS
    @hypothesis.given(query=st.binary(max_size=80),
                      microversion=_MICROVERSIONS)
    def test_query_strings(self, query, microversion):
        self._send('GET', '/v2.1/os-services', query=_url_bytes(query),
                   microversion=microversion)
