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

"""Authentication of the compute API and the pipeline it selects.

``[api] auth_strategy`` chooses how a request gets its ``nova.context``:

* ``keystone``: keystonemiddleware's ``auth_token`` validates the token
  (options in ``[keystone_authtoken]``) and ``NovaKeystoneContext`` builds
  the context from the identity headers it sets;
* ``noauth2``: ``nova.api.openstack.auth.NoAuthMiddleware`` trusts
  ``X-Auth-Token: <user>:<project>``, for development and tests only.
"""

from oslo_config import cfg
from oslo_log import log as logging
import webob.exc

from nova.api.openstack import auth as noauth
from nova.api.openstack import wsgi
import nova.conf
from nova import context
from nova import exception

LOG = logging.getLogger(__name__)
CONF = nova.conf.CONF


class NovaKeystoneContext(wsgi.Middleware):
    """Make a request context from the headers keystonemiddleware set."""

    def process_request(self, req):
        ctx = context.RequestContext.from_environ(req.environ)
        if ctx.user_id is None:
            LOG.debug('Neither X_USER_ID nor X_USER found in request')
            return wsgi.json_fault(webob.exc.HTTPUnauthorized,
                                   'The request you have made requires '
                                   'authentication.')
        req.environ['nova.context'] = ctx
        return None


def keystone_pipeline(app, conf):
    """Wrap ``app`` in keystonemiddleware's auth_token and the context.

    auth_token reads ``[keystone_authtoken]`` from ``conf``.
    """
    from keystonemiddleware import auth_token
    protocol = auth_token.AuthProtocol(NovaKeystoneContext(app),
                                       {'oslo_config_config': conf})
    _check_keystone_authtoken(conf)
    return protocol


def _check_keystone_authtoken(conf):
    """Refuse a [keystone_authtoken] that cannot validate any token.

    Without an auth plugin, auth_token fails every request it has to
    validate (MissingAuthPlugin, a 500); the service must not start so.
    auth_token registered its options when it was built.

    :raises InvalidConfiguration: naming what is missing.
    """
    group = conf.keystone_authtoken
    if group.auth_type or group.auth_section:
        return
    try:
        legacy = group.identity_uri
    except cfg.NoSuchOptError:
        legacy = None
    if legacy:
        return
    raise exception.InvalidConfiguration(
        reason='[api] auth_strategy is keystone but [keystone_authtoken] '
               'has no auth_type: set auth_type (for example password) '
               'with auth_url, username, password, project_name and their '
               'domains, so that tokens can be validated; or set [api] '
               'auth_strategy = noauth2 for development')


def noauth_pipeline(app, conf):
    """Wrap ``app`` in the noauth2 middleware."""
    LOG.warning('auth_strategy is noauth2: any caller naming itself "admin" '
                'is an administrator. Use it only for development and tests '
                'on a trusted host.')
    return noauth.NoAuthMiddleware(app)


_PIPELINES = {
    'keystone': keystone_pipeline,
    'noauth2': noauth_pipeline,
}


def pipeline_for_strategy(app, conf):
    """Wrap ``app`` in the authentication ``[api] auth_strategy`` names."""
    return _PIPELINES[conf.api.auth_strategy](app, conf)
