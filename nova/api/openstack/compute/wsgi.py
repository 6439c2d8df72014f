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

"""The compute API as a WSGI application, for nova-api and WSGI servers.

uwsgi, mod_wsgi or gunicorn serve ``nova.api.openstack.compute.wsgi:
application``; it reads its configuration on the first request, from the
files named by ``OS_NOVA_CONFIG_FILES`` (``;``-separated, default
``nova.conf``) in ``OS_NOVA_CONFIG_DIR`` (default ``/etc/nova``). For
example::

    gunicorn --threads 8 -b 127.0.0.1:8774 \\
        'nova.api.openstack.compute.wsgi:application'

``build_application`` assembles the application from an already loaded
configuration (what nova-api and the tests use); ``init_application`` also
loads the configuration, starts the delivery of the process's
notifications (a relay, unless ``[notifications] relay_in_services`` is
false) and registers this API's service record.
"""

import atexit
import os
import threading

from oslo_log import log as logging
from oslo_middleware import request_id

from nova.api import auth
from nova.api.openstack.compute import routes
from nova.api.openstack import requestlog
from nova.api.openstack import router
from nova.api.openstack import wsgi
import nova.conf
from nova import config
from nova import context as nova_context
from nova.db import migration
from nova.notifications import delivery
from nova import objects
from nova import policy

LOG = logging.getLogger(__name__)
CONF = nova.conf.CONF

# NOTE: the binary of the compute API's service record, as in nova; its
# notifications are published as nova-api.
API_BINARY = 'nova-osapi_compute'

_CONFIG_DIR_ENV = 'OS_NOVA_CONFIG_DIR'
_CONFIG_FILES_ENV = 'OS_NOVA_CONFIG_FILES'
_DEFAULT_CONFIG_DIR = '/etc/nova'
_DEFAULT_CONFIG_FILES = ('nova.conf',)


class ComputeReqIdMiddleware(request_id.RequestId):
    """``X-OpenStack-Request-Id`` and nova's ``X-Compute-Request-Id``."""

    compat_headers = ['x-compute-request-id']


def build_application(conf=CONF):
    """Return the compute API as a WSGI application.

    ``/`` lists the API versions without authentication; ``/v2.1`` serves
    the resources behind the ``[api] auth_strategy`` authentication.
    """
    objects.register_all()
    policy.init(conf)
    v21 = auth.pipeline_for_strategy(routes.APIRouterV21(), conf)
    app = router.URLMap(routes.versions_router(), {'/v2.1': v21})
    app = requestlog.RequestLog(app)
    app = wsgi.FaultWrapper(app)
    return ComputeReqIdMiddleware(app)


def config_files(environ=None):
    """The configuration files a WSGI server's application reads.

    Files named explicitly by ``OS_NOVA_CONFIG_FILES`` must exist; the
    default ``nova.conf`` is read only if it exists.
    """
    environ = os.environ if environ is None else environ
    directory = environ.get(_CONFIG_DIR_ENV, _DEFAULT_CONFIG_DIR).strip()
    names = [name.strip() for name in
             environ.get(_CONFIG_FILES_ENV, '').split(';') if name.strip()]
    if names:
        return [os.path.join(directory, name) for name in names]
    return [path for path in (os.path.join(directory, name)
                              for name in _DEFAULT_CONFIG_FILES)
            if os.path.exists(path)]


def register_api_service(host):
    """Create this API's service record on its first start, as nova does.

    The first start emits ``service.create`` (publisher ``nova-api``); a
    restart brings the record's code version up to date.
    """
    objects.register_all()
    # NOTE: sibling workers may race to create it; one wins, all get it.
    objects.Service.register(nova_context.get_admin_context(), host,
                             API_BINARY, None)


def init_application(argv=None, default_config_files=None):
    """Load configuration, check the database, register, build the app.

    :param argv: command line (``argv[0]`` is the program); none by default.
    :param default_config_files: by default ``config_files()``.
    """
    config.parse_args(argv or ['nova-api'],
                      default_config_files=(config_files()
                                            if default_config_files is None
                                            else default_config_files))
    migration.check_migrated(CONF)
    delivery.start(CONF, 'nova-api')
    # NOTE: a WSGI server gives its application no stop hook; the relay
    # publishes what it can while the interpreter exits.
    atexit.register(delivery.stop)
    register_api_service(CONF.host)
    return build_application(CONF)


class _LazyApplication(object):
    """A WSGI application that initialises itself on its first request.

    Importing this module then costs nothing and reads no configuration.
    """

    def __init__(self):
        self._app = None
        self._lock = threading.Lock()

    def _application(self):
        if self._app is None:
            with self._lock:
                if self._app is None:
                    self._app = init_application()
        return self._app

    def __call__(self, environ, start_response):
        return self._application()(environ, start_response)


application = _LazyApplication()
