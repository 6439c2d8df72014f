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

"""noauth2, the keystone context middleware and the strategy's pipeline."""

from oslo_serialization import jsonutils
import webob

from nova.api import auth
from nova.api.openstack import auth as noauth
from nova.api.openstack import wsgi
from nova import exception
from nova import test


class _Recorder(object):
    """The application behind the middleware: keeps the context it saw."""

    def __init__(self):
        self.context = None

    @webob.dec.wsgify
    def __call__(self, req):
        self.context = req.environ['nova.context']
        return webob.Response(body=b'ok')


class TestNoAuthMiddleware(test.TestCase):

    USES_DB = False

    def _call(self, token=None):
        app = _Recorder()
        headers = {} if token is None else {'X-Auth-Token': token}
        resp = wsgi.Request.blank('/', headers=headers).get_response(
            noauth.NoAuthMiddleware(app))
        return resp, app.context

    def test_admin_user_is_admin(self):
        resp, ctx = self._call('admin:admin')
        self.assertEqual(200, resp.status_int)
        self.assertEqual(('admin', 'admin', True),
                         (ctx.user_id, ctx.project_id, ctx.is_admin))
        self.assertEqual(['admin', 'member', 'reader'], ctx.roles)

    def test_other_users_are_members(self):
        _resp, ctx = self._call('demo:p1')
        self.assertEqual(('demo', 'p1', False),
                         (ctx.user_id, ctx.project_id, ctx.is_admin))
        self.assertEqual(['member', 'reader'], ctx.roles)

    def test_project_defaults_to_user(self):
        _resp, ctx = self._call('alice')
        self.assertEqual('alice', ctx.project_id)

    def test_missing_and_malformed_tokens_are_401(self):
        for token in (None, '', 'a:b:c', 'admin:admin, demo:demo',
                      'a b', ':p'):
            resp, ctx = self._call(token)
            self.assertEqual(401, resp.status_int, token)
            self.assertIsNone(ctx)
            self.assertIn('unauthorized', jsonutils.loads(resp.body))


class TestNovaKeystoneContext(test.TestCase):

    USES_DB = False

    def test_context_from_identity_headers(self):
        app = _Recorder()
        req = wsgi.Request.blank('/', headers={
            'X-User-Id': 'u1', 'X-Project-Id': 'p1',
            'X-Roles': 'admin,member', 'X-Auth-Token': 'tok'})
        self.assertEqual(200, req.get_response(
            auth.NovaKeystoneContext(app)).status_int)
        self.assertEqual(('u1', 'p1', ['admin', 'member']),
                         (app.context.user_id, app.context.project_id,
                          app.context.roles))

    def test_no_user_is_401(self):
        app = _Recorder()
        resp = wsgi.Request.blank('/').get_response(
            auth.NovaKeystoneContext(app))
        self.assertEqual(401, resp.status_int)
        self.assertIsNone(app.context)


class _Loader(object):
    """What paste.deploy gives a composite factory: filters and apps."""

    def __init__(self, app):
        from keystonemiddleware import auth_token
        self.app = app
        self.filters = {
            'noauth2': noauth.NoAuthMiddleware,
            'authtoken': auth_token.filter_factory({}),
            'keystonecontext': auth.NovaKeystoneContext,
        }

    def get_filter(self, name):
        return self.filters[name]

    def get_app(self, name):
        return self.app


_PIPELINES = {'noauth2': 'noauth2 app',
              'keystone': 'authtoken keystonecontext app'}


class TestPipelineFactory(test.TestCase):

    USES_DB = False

    def _pipeline(self, app=None, **pipelines):
        return auth.pipeline_factory_v21(_Loader(app or _Recorder()), {},
                                         **(pipelines or _PIPELINES))

    def test_noauth2(self):
        self.flags(auth_strategy='noauth2', group='api')
        app = self._pipeline()
        self.assertIsInstance(app, noauth.NoAuthMiddleware)
        self.assertIn('noauth2', self.stdlog.output)

    def test_a_strategy_without_a_pipeline_is_refused(self):
        self.flags(auth_strategy='noauth2', group='api')
        error = self.assertRaises(exception.InvalidConfiguration,
                                  self._pipeline,
                                  keystone=_PIPELINES['keystone'])
        self.assertIn('api-paste.ini has no noauth2 pipeline',
                      error.format_message())

    def test_keystone_without_an_auth_plugin_is_refused(self):
        self.flags(auth_strategy='keystone', group='api')
        error = self.assertRaises(exception.InvalidConfiguration,
                                  self._pipeline)
        self.assertIn('[keystone_authtoken] has no auth_type',
                      error.format_message())

    def test_keystone_wires_auth_token(self):
        from keystonemiddleware import auth_token
        self.flags(auth_strategy='keystone', group='api')
        self.assertRaises(exception.InvalidConfiguration, self._pipeline)
        # NOTE: auth_token registered its options; it reads them from
        # nova's configuration. No token means 401 before any identity
        # server is asked.
        self.flags(auth_type='none',
                   www_authenticate_uri='http://127.0.0.1:1/identity',
                   group='keystone_authtoken')
        recorder = _Recorder()
        app = self._pipeline(recorder)
        self.assertIsInstance(app, auth_token.AuthProtocol)
        resp = wsgi.Request.blank('/os-services').get_response(app)
        self.assertEqual(401, resp.status_int)
        self.assertIn('http://127.0.0.1:1/identity',
                      resp.headers['WWW-Authenticate'])
        self.assertIsNone(recorder.context)
