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

Each has its pipeline in api-paste.ini's ``openstack_compute_api_v21``.
"""

from oslo_config import cfg
from oslo_log import log as logging
import webob.exc

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


def _check_keystone_authtoken(conf):
    """Refuse a [keystone_authtoken] that cannot validate any token.

    Without an auth plugin, auth_token fails every request it has to
    validate (MissingAuthPlugin, a 500); the service must not start so.

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


def _load_pipeline(loader, pipeline):
    filters = [loader.get_filter(name) for name in pipeline[:-1]]
    app = loader.get_app(pipeline[-1])
    for filter_ in reversed(filters):
        app = filter_(app)
    return app


def pipeline_factory_v21(loader, global_conf, **local_conf):
    """A paste pipeline replica that keys off ``[api] auth_strategy``.

    :raises InvalidConfiguration: when api-paste.ini has no pipeline for
        the strategy, or keystone's cannot validate any token.
    """
    strategy = CONF.api.auth_strategy
    if strategy not in local_conf:
        raise exception.InvalidConfiguration(
            reason='[api] auth_strategy is %s but api-paste.ini has no %s '
                   'pipeline for the v2.1 API' % (strategy, strategy))
    if strategy == 'noauth2':
        LOG.warning('auth_strategy is noauth2: any caller naming itself '
                    '"admin" is an administrator. Use it only for '
                    'development and tests on a trusted host.')
    app = _load_pipeline(loader, local_conf[strategy].split())
    if strategy == 'keystone':
        # NOTE: auth_token registered its options as it was built.
        _check_keystone_authtoken(CONF)
    return app
