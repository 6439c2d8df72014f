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

"""The ``noauth2`` strategy: trusted tokens for development and tests."""

import re

import webob.exc

from nova.api.openstack import wsgi
from nova import context


ADMIN_USER = 'admin'

# NOTE: one user and an optional project, nothing else: a header repeated
# by a client arrives joined with commas and must not pass as the first one.
_TOKEN_RE = re.compile(r'^([^:,\s]+)(?::([^:,\s]+))?$')


class NoAuthMiddleware(wsgi.Middleware):
    """Trust ``X-Auth-Token: <user>:<project>`` without checking anything.

    As nova's noauth2: the project defaults to the user, and the user
    ``admin`` is an administrator (roles admin, member, reader); every other
    user is a member and reader of its project. A request without a token
    gets 401: this API never makes one up.
    """

    def process_request(self, req):
        token = req.headers.get('X-Auth-Token', '').strip()
        if not token:
            return wsgi.json_fault(
                webob.exc.HTTPUnauthorized,
                'Authentication required: send "X-Auth-Token: '
                '<user>:<project>" (auth_strategy noauth2).')
        match = _TOKEN_RE.match(token)
        if match is None:
            return wsgi.json_fault(
                webob.exc.HTTPUnauthorized,
                'Malformed token: noauth2 expects "X-Auth-Token: '
                '<user>:<project>" once.')
        user_id, project_id = match.group(1), match.group(2) or match.group(1)
        is_admin = user_id == ADMIN_USER
        roles = ['admin', 'member', 'reader'] if is_admin else [
            'member', 'reader']
        req.environ['nova.context'] = context.RequestContext(
            user_id=user_id, project_id=project_id, roles=roles,
            is_admin=is_admin,
            request_id=req.environ.get('openstack.request_id'))
        return None
