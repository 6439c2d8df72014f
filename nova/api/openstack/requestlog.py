"""Log one line per API request: method, path, status, size, version, time."""

import time

from oslo_log import log as logging
import webob.dec

from nova.api.openstack import wsgi

LOG = logging.getLogger(__name__)


class RequestLog(object):
    """Log every request the way nova's request log does."""

    def __init__(self, application):
        self.application = application

    @webob.dec.wsgify(RequestClass=wsgi.Request)
    def __call__(self, req):
        start = time.monotonic()
        resp = req.get_response(self.application)
        version = req.api_version_request
        LOG.info('%(remote_addr)s "%(method)s %(path)s" status: %(status)s '
                 'len: %(len)s microversion: %(microversion)s time: '
                 '%(time).6f',
                 {'remote_addr': req.remote_addr,
                  'method': req.method,
                  'path': req.path_qs,
                  'status': resp.status_int,
                  'len': resp.content_length,
                  'microversion': ('-' if version.is_null()
                                   else version.get_string()),
                  'time': time.monotonic() - start})
        return resp
