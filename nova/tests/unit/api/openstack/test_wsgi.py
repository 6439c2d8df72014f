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

"""Faults, microversion negotiation and resources, without a server."""

import sqlite3

from oslo_db import exception as db_exc
from oslo_serialization import jsonutils
import webob
import webob.exc

from nova.api.openstack import wsgi
from nova import exception
from nova import test


def _request(path='/', method='GET', headers=None, body=None):
    req = wsgi.Request.blank(path, method=method, headers=headers or {})
    if body is not None:
        req.body = body
    return req


class TestFault(test.TestCase):

    USES_DB = False

    def _fault_body(self, http_exc, req=None):
        resp = (req or _request()).get_response(wsgi.Fault(http_exc))
        self.assertEqual('application/json', resp.content_type)
        return resp.status_int, jsonutils.loads(resp.body)

    def test_names_by_status(self):
        for http_class, name in (
                (webob.exc.HTTPBadRequest, 'badRequest'),
                (webob.exc.HTTPUnauthorized, 'unauthorized'),
                (webob.exc.HTTPForbidden, 'forbidden'),
                (webob.exc.HTTPNotFound, 'itemNotFound'),
                (webob.exc.HTTPMethodNotAllowed, 'badMethod'),
                (webob.exc.HTTPConflict, 'conflictingRequest'),
                (webob.exc.HTTPRequestEntityTooLarge, 'overLimit'),
                (webob.exc.HTTPUnsupportedMediaType, 'badMediaType'),
                (webob.exc.HTTPNotAcceptable, 'computeFault'),
                (webob.exc.HTTPInternalServerError, 'computeFault')):
            status, body = self._fault_body(http_class(explanation='why'))
            self.assertEqual({name: {'code': status, 'message': 'why'}},
                             body)

    def test_version_headers_only_after_negotiation(self):
        req = _request()
        resp = req.get_response(wsgi.Fault(webob.exc.HTTPNotFound()))
        self.assertNotIn('OpenStack-API-Version', resp.headers)
        req = _request(headers={'OpenStack-API-Version': 'compute 2.11'})
        req.set_api_version_request()
        resp = req.get_response(wsgi.Fault(webob.exc.HTTPNotFound()))
        self.assertEqual('compute 2.11', resp.headers['OpenStack-API-Version'])

    def test_named_errors_keep_their_status(self):
        for ex, status in (
                (exception.ServiceNotFound(service_id='x'), 404),
                (exception.PolicyNotAuthorized(action='a'), 403),
                (exception.ValidationError(detail='d'), 400),
                (exception.ServiceBinaryExists(host='h', binary='b'), 409)):
            fault = wsgi.fault_from_exception(ex)
            self.assertEqual(status, fault.status_int)
            self.assertEqual(ex.format_message(),
                             fault.wrapped_exc.explanation)

    def test_unexpected_errors_are_not_faults(self):
        self.assertIsNone(wsgi.fault_from_exception(KeyError('x')))
        self.assertIsNone(wsgi.fault_from_exception(exception.NovaException()))


class TestVersionNegotiation(test.TestCase):

    USES_DB = False

    def _negotiate(self, headers):
        req = _request(headers=headers)
        req.set_api_version_request()
        return req.api_version_request.get_string()

    def test_default_latest_and_legacy(self):
        self.assertEqual('2.1', self._negotiate({}))
        self.assertEqual('2.53', self._negotiate(
            {'OpenStack-API-Version': 'compute latest'}))
        self.assertEqual('2.20', self._negotiate(
            {'X-OpenStack-Nova-API-Version': '2.20'}))
        self.assertEqual('2.30', self._negotiate(
            {'OpenStack-API-Version': 'compute 2.30',
             'X-OpenStack-Nova-API-Version': '2.20'}))

    def test_out_of_range_and_malformed(self):
        self.assertRaises(exception.InvalidGlobalAPIVersion,
                          self._negotiate,
                          {'OpenStack-API-Version': 'compute 2.54'})
        self.assertRaises(exception.InvalidAPIVersionString,
                          self._negotiate,
                          {'OpenStack-API-Version': 'compute 2.x'})


class _Controller(wsgi.Controller):

    def __init__(self, error=None):
        self.error = error
        self.calls = []

    def show(self, req, id):
        if self.error:
            raise self.error
        self.calls.append(id)
        return {'id': id}

    def update(self, req, id, body):
        self.calls.append(body)
        return {'body': body}

    @wsgi.response(204)
    def delete(self, req, id):
        self.calls.append(id)


class TestResource(test.TestCase):

    USES_DB = False

    def _call(self, controller, action, method='GET', body=None,
              headers=None, **url_args):
        req = _request(method=method, body=body, headers=headers)
        req.environ['wsgiorg.routing_args'] = ((), dict(
            url_args, action=action, controller=None))
        return req.get_response(wsgi.Resource(controller))

    def test_json_result_with_version_headers(self):
        resp = self._call(_Controller(), 'show', id='1')
        self.assertEqual(200, resp.status_int)
        self.assertEqual({'id': '1'}, jsonutils.loads(resp.body))
        self.assertEqual('compute 2.1', resp.headers['OpenStack-API-Version'])

    def test_response_code_and_empty_body(self):
        resp = self._call(_Controller(), 'delete', method='DELETE', id='1')
        self.assertEqual(204, resp.status_int)
        self.assertEqual(b'', resp.body)

    def test_body_is_read_only_for_actions_that_take_it(self):
        controller = _Controller()
        resp = self._call(controller, 'update', method='PUT', id='1',
                          body=b'{"a": 1}',
                          headers={'Content-Type': 'application/json'})
        self.assertEqual({'body': {'a': 1}}, jsonutils.loads(resp.body))
        resp = self._call(controller, 'update', method='PUT', id='1',
                          body=b'')
        self.assertEqual({'body': {}}, jsonutils.loads(resp.body))

    def test_unexpected_error_is_a_logged_500(self):
        resp = self._call(_Controller(error=KeyError('boom')), 'show',
                          id='1')
        self.assertEqual(500, resp.status_int)
        body = jsonutils.loads(resp.body)
        self.assertEqual(500, body['computeFault']['code'])
        self.assertIn('Unexpected API Error', body['computeFault']['message'])
        self.assertNotIn('boom', body['computeFault']['message'])
        self.assertIn('boom', self.stdlog.output)

    def test_named_error_keeps_status_and_message(self):
        resp = self._call(
            _Controller(error=exception.ServiceNotFound(service_id='x')),
            'show', id='1')
        self.assertEqual(404, resp.status_int)
        self.assertEqual(
            {'itemNotFound': {'code': 404,
                              'message': 'Service x could not be found.'}},
            jsonutils.loads(resp.body))


class TestExpectedErrors(test.TestCase):

    USES_DB = False

    def _call(self, error, expected=(404,)):
        @wsgi.expected_errors(expected)
        def action(req):
            raise error
        try:
            action(_request())
        except Exception as raised:
            return raised
        self.fail('nothing was raised')

    def test_an_expected_http_error_passes(self):
        error = webob.exc.HTTPNotFound()
        self.assertIs(error, self._call(error))

    def test_an_unexpected_http_error_is_a_500(self):
        raised = self._call(webob.exc.HTTPConflict())
        self.assertEqual(500, raised.code)
        self.assertIn('Unexpected API Error', raised.explanation)

    def test_an_unexpected_error_is_a_logged_500(self):
        raised = self._call(KeyError('boom'))
        self.assertEqual(500, raised.code)
        self.assertNotIn('boom', raised.explanation)
        self.assertIn('Unexpected exception in API method', self.stdlog.output)
        self.assertIn('boom', self.stdlog.output)

    def test_what_any_method_may_meet_passes(self):
        for error in (exception.PolicyNotAuthorized(action='a'),
                      exception.ValidationError(detail='d'),
                      exception.DatabaseUnavailable(reason='r'),
                      UnicodeDecodeError('utf-8', b'\xff', 0, 1, 'bad')):
            self.assertIs(error, self._call(error, expected=()))


class TestFaultWrapper(test.TestCase):

    USES_DB = False

    def test_escaped_error_becomes_compute_fault(self):
        def broken_app(environ, start_response):
            raise RuntimeError('secret detail')
        resp = _request().get_response(wsgi.FaultWrapper(broken_app))
        self.assertEqual(500, resp.status_int)
        self.assertNotIn(b'secret detail', resp.body)
        self.assertIn('computeFault', jsonutils.loads(resp.body))


class TestDatabaseUnavailable(test.TestCase):

    USES_DB = False

    def test_fault_is_503_with_retry_after(self):
        fault = wsgi.fault_from_exception(exception.DatabaseUnavailable(
            reason='the database is busy'))
        response = webob.Request.blank('/').get_response(fault)
        self.assertEqual(503, response.status_int)
        self.assertEqual('5', response.headers['Retry-After'])
        body = jsonutils.loads(response.body)
        self.assertEqual(
            'The request could not be completed: the database is busy. '
            'Nothing was changed; retry later.',
            body['serviceUnavailable']['message'])

    def test_a_raw_database_error_is_a_bug(self):
        # NOTE: the database API turns every condition a retry can cure
        # into DatabaseUnavailable; what is left is a 500.
        self.assertIsNone(wsgi.fault_from_exception(
            db_exc.DBError(sqlite3.OperationalError('no such column: x'))))
