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

"""Requests, faults and resources of the compute API.

A ``Resource`` wraps a controller: it negotiates the microversion, reads the
JSON body, calls the controller's action and turns its result, or the error
it raised, into a JSON response. Every error leaves as a ``Fault`` whose body
is nova's: ``{"<faultName>": {"code": <status>, "message": "..."}}``.
"""

import functools
import inspect

import microversion_parse
from oslo_log import log as logging
from oslo_serialization import jsonutils
import webob.dec
import webob.exc

from nova.api.openstack import api_version_request as api_version
from nova import exception
from nova.i18n import _

LOG = logging.getLogger(__name__)

# NOTE: nova's media types; a body of another declared type gets 415.
_SUPPORTED_CONTENT_TYPES = ('application/json',
                            'application/vnd.openstack.compute+json')

_METHODS_WITH_BODY = ('POST', 'PUT')

_RETRY_AFTER_SECONDS = 5


class Request(webob.Request):
    """A request that knows the microversion it asked for."""

    def __init__(self, environ, *args, **kwargs):
        super().__init__(environ, *args, **kwargs)
        if 'nova.api_version_request' not in environ:
            environ['nova.api_version_request'] = (
                api_version.APIVersionRequest())

    @property
    def api_version_request(self):
        """The negotiated version; the null version before negotiation."""
        return self.environ['nova.api_version_request']

    @api_version_request.setter
    def api_version_request(self, version):
        self.environ['nova.api_version_request'] = version

    def set_api_version_request(self):
        """Negotiate the version from the microversion headers.

        No header means the minimum version; ``latest`` the maximum.

        :raises InvalidAPIVersionString: for a malformed version (400).
        :raises InvalidGlobalAPIVersion: for a version outside the supported
            range (406).
        """
        requested = _requested_version(self.headers)
        if requested is None:
            version = api_version.APIVersionRequest(
                api_version.DEFAULT_API_VERSION)
        elif requested.lower() == 'latest':
            version = api_version.max_api_version()
        else:
            version = api_version.APIVersionRequest(requested)
            if not version.matches(api_version.min_api_version(),
                                   api_version.max_api_version()):
                raise exception.InvalidGlobalAPIVersion(
                    req_ver=version.get_string(),
                    min_ver=api_version.min_api_version().get_string(),
                    max_ver=api_version.max_api_version().get_string())
        self.api_version_request = version

    def get_content_type(self):
        """Return the declared media type of the body, None if undeclared.

        :raises webob.exc.HTTPUnsupportedMediaType: for a type that is not
            JSON.
        """
        content_type = self.content_type
        # NOTE: some clients and servers declare text/plain by default.
        if not content_type or content_type == 'text/plain':
            return None
        if content_type not in _SUPPORTED_CONTENT_TYPES:
            raise webob.exc.HTTPUnsupportedMediaType(
                explanation='Unsupported Content-Type %s' % content_type)
        return content_type


def _requested_version(headers):
    return microversion_parse.get_version(
        headers, service_type=api_version.SERVICE_TYPE,
        legacy_headers=[api_version.LEGACY_API_VERSION_REQUEST_HEADER])


def add_version_headers(req, headers):
    """Tell the client which version answered, and that answers vary by it."""
    if req.api_version_request.is_null():
        return
    version = req.api_version_request.get_string()
    headers[api_version.API_VERSION_REQUEST_HEADER] = '%s %s' % (
        api_version.SERVICE_TYPE, version)
    headers[api_version.LEGACY_API_VERSION_REQUEST_HEADER] = version
    headers.add('Vary', api_version.API_VERSION_REQUEST_HEADER)
    headers.add('Vary', api_version.LEGACY_API_VERSION_REQUEST_HEADER)


class Fault(webob.exc.HTTPException):
    """An HTTP error with nova's JSON fault body."""

    _fault_names = {
        400: 'badRequest',
        401: 'unauthorized',
        403: 'forbidden',
        404: 'itemNotFound',
        405: 'badMethod',
        409: 'conflictingRequest',
        413: 'overLimit',
        415: 'badMediaType',
        429: 'overLimit',
        501: 'notImplemented',
        503: 'serviceUnavailable',
    }

    def __init__(self, exception):
        """Wrap a ``webob.exc.HTTPException``."""
        self.wrapped_exc = exception
        for key, value in list(self.wrapped_exc.headers.items()):
            self.wrapped_exc.headers[key] = str(value)
        self.status_int = exception.status_int

    @classmethod
    def fault_name(cls, code):
        """Return the body's key for ``code``: computeFault when unnamed."""
        return cls._fault_names.get(code, 'computeFault')

    @webob.dec.wsgify(RequestClass=Request)
    def __call__(self, req):
        code = self.wrapped_exc.status_int
        explanation = self.wrapped_exc.explanation
        LOG.debug('Returning %(code)s to user: %(explanation)s',
                  {'code': code, 'explanation': explanation})
        fault_data = {self.fault_name(code): {'code': code,
                                              'message': explanation}}
        add_version_headers(req, self.wrapped_exc.headers)
        self.wrapped_exc.content_type = 'application/json'
        self.wrapped_exc.charset = 'UTF-8'
        self.wrapped_exc.text = jsonutils.dumps(fault_data)
        return self.wrapped_exc

    def __str__(self):
        return self.wrapped_exc.__str__()


def fault_from_exception(ex):
    """Return the Fault the client gets for ``ex``, or None if unexpected.

    Named nova errors below 500 keep their code and message; a database
    that is unavailable for a while is a 503 with ``Retry-After``; a
    request whose URL, query string or headers are not UTF-8 is a 400;
    anything else is a server error that the caller must log.
    """
    if isinstance(ex, Fault):
        return ex
    if isinstance(ex, webob.exc.HTTPException):
        return Fault(ex)
    if isinstance(ex, exception.DatabaseUnavailable):
        return Fault(webob.exc.HTTPServiceUnavailable(
            explanation=_('The request could not be completed: %s. Nothing '
                          'was changed; retry later.') % ex.kwargs['reason'],
            headers={'Retry-After': str(_RETRY_AFTER_SECONDS)}))
    if isinstance(ex, UnicodeDecodeError):
        # NOTE: webob decodes the URL and the query string as UTF-8 when
        # they are first read; bytes that are not UTF-8 are the client's.
        return Fault(webob.exc.HTTPBadRequest(
            explanation='The request URL or query string is not valid '
                        'UTF-8.'))
    if isinstance(ex, exception.NovaException) and ex.code < 500:
        status_map = webob.exc.status_map
        http_class = status_map.get(ex.code, webob.exc.HTTPBadRequest)
        return Fault(http_class(explanation=ex.format_message()))
    return None


def unexpected_fault(ex):
    """The 500 fault for an unexpected error; the details go to the log."""
    msg = ('Unexpected API Error. Please report this, with the nova-api log, '
           'to the operators of this cloud.\n%s' % type(ex))
    return Fault(webob.exc.HTTPInternalServerError(explanation=msg))


def fault_for_request(req, ex):
    """Return the fault answering ``req`` that raised ``ex``.

    An unexpected error is logged with its traceback and answered with a
    500 that reveals nothing of it.
    """
    # NOTE: a database unavailable for a while is logged by the database
    # API, once when it starts and once when it ends, not per request.
    fault = fault_from_exception(ex)
    if fault is None:
        # NOTE: the raw path: decoding it may be what failed.
        LOG.exception('Unexpected error handling %(method)s %(path)r',
                      {'method': req.method,
                       'path': req.environ.get('PATH_INFO', '')})
        fault = unexpected_fault(ex)
    return fault


def expected_errors(errors):
    """Decorator for API methods which specifies expected exceptions.

    Specify which exceptions may occur when an API method is called. If an
    unexpected exception occurs then return a 500 instead and ask the user
    of the API to report it. What any method may meet passes, answered as
    ``fault_from_exception`` says: a nova error of the client's (a policy
    refusal, a body that does not match its schema), a database that is
    unavailable for a while, a URL that is not UTF-8.
    """
    expected = (errors,) if isinstance(errors, int) else tuple(errors)

    def decorator(f):
        @functools.wraps(f)
        def wrapped(*args, **kwargs):
            try:
                return f(*args, **kwargs)
            except Exception as exc:
                if isinstance(exc, webob.exc.WSGIHTTPException):
                    if exc.code in expected:
                        raise
                elif fault_from_exception(exc) is not None:
                    raise
                LOG.exception('Unexpected exception in API method')
                raise unexpected_fault(exc).wrapped_exc
        return wrapped
    return decorator


def response(code):
    """Set the status an action answers with when it succeeds."""
    def decorator(func):
        func.wsgi_code = code
        return func
    return decorator


def _action_accepts_body(method):
    return 'body' in inspect.signature(method).parameters


class Resource(object):
    """The WSGI application of one controller.

    The router puts the action and its URL arguments in
    ``wsgiorg.routing_args``; the action is called as
    ``action(req, **url_args[, body=...])`` and returns a dict (the JSON
    body) or None (no body, for 204).
    """

    def __init__(self, controller):
        self.controller = controller

    @webob.dec.wsgify(RequestClass=Request)
    def __call__(self, req):
        try:
            return self._process(req)
        except Exception as ex:
            return fault_for_request(req, ex)

    def _process(self, req):
        try:
            req.set_api_version_request()
        except exception.InvalidGlobalAPIVersion as e:
            raise webob.exc.HTTPNotAcceptable(explanation=e.format_message())

        url_args = dict(req.environ['wsgiorg.routing_args'][1])
        action = url_args.pop('action')
        url_args.pop('controller', None)
        url_args.pop('format', None)
        project_id = url_args.pop('project_id', None)
        self._check_project_id(req, project_id)

        method = getattr(self.controller, action)
        if _action_accepts_body(method):
            url_args['body'] = self._read_body(req)

        result = method(req, **url_args)

        resp = webob.Response(status=getattr(method, 'wsgi_code', 200))
        if result is not None:
            resp.content_type = 'application/json'
            resp.charset = 'UTF-8'
            resp.text = jsonutils.dumps(result)
        add_version_headers(req, resp.headers)
        return resp

    @staticmethod
    def _check_project_id(req, project_id):
        context = req.environ.get('nova.context')
        if (project_id is not None and context is not None and
                project_id != context.project_id):
            raise webob.exc.HTTPBadRequest(
                explanation="Malformed request URL: URL's project_id '%s' "
                            "doesn't match Context's project_id '%s'"
                            % (project_id, context.project_id))

    @staticmethod
    def _read_body(req):
        """Return the JSON body as Python data; {} for an empty body."""
        req.get_content_type()
        # NOTE: api-paste.ini's sizelimit filter (oslo.middleware) bounds
        # the body, declared or chunked: [oslo_middleware]
        # max_request_body_size.
        body = req.body_file.read()
        if not body.strip():
            return {}
        try:
            data = jsonutils.loads(body)
        except ValueError as e:
            raise webob.exc.HTTPBadRequest(
                explanation='Malformed request body: %s' % e)
        except RecursionError:
            raise webob.exc.HTTPBadRequest(
                explanation='Malformed request body: it is nested too '
                            'deeply.')
        try:
            # NOTE: JSON can spell a lone surrogate (\ud800), which is no
            # Unicode text: no column, log or notification can hold it.
            jsonutils.dumps(data, ensure_ascii=False).encode('utf-8')
        except UnicodeEncodeError:
            raise webob.exc.HTTPBadRequest(
                explanation='Malformed request body: it contains a lone '
                            'surrogate (\\ud800-\\udfff), which is not '
                            'Unicode text.')
        return data


class Controller(object):
    """Base class of the compute API's controllers."""


class Middleware(object):
    """A WSGI middleware: ``process_request`` may answer instead of the app.

    Subclasses override ``process_request``; returning None passes the
    request on to the wrapped application.
    """

    @classmethod
    def factory(cls, global_config, **local_config):
        """The paste.deploy ``filter_factory`` of a middleware."""
        def _factory(app):
            return cls(app, **local_config)
        return _factory

    def __init__(self, application):
        self.application = application

    def process_request(self, req):
        return None

    @webob.dec.wsgify(RequestClass=Request)
    def __call__(self, req):
        answer = self.process_request(req)
        if answer is not None:
            return answer
        return req.get_response(self.application)


class FaultWrapper(Middleware):
    """The outermost guard: any error that escaped becomes a nova fault."""

    @webob.dec.wsgify(RequestClass=Request)
    def __call__(self, req):
        try:
            return req.get_response(self.application)
        except Exception as ex:
            return fault_for_request(req, ex)


def json_fault(http_class, message, **kwargs):
    """Return a nova fault for ``http_class`` with ``message``."""
    return Fault(http_class(explanation=message, **kwargs))
