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

"""Log one line per API request: method, path, status, size, version, time."""

import time

from oslo_log import log as logging
import webob.dec

from nova.api.openstack import wsgi

LOG = logging.getLogger(__name__)


class RequestLog(wsgi.Middleware):
    """Log every request the way nova's request log does."""

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
