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

"""The compute API as a WSGI application, built from api-paste.ini.

A WSGI server runs ``nova.wsgi.osapi_compute:application`` (uwsgi,
mod_wsgi, gunicorn); this module builds it, once per process. The
configuration is read from the files ``OS_NOVA_CONFIG_FILES`` names
(``;``-separated, default ``nova.conf``) in ``OS_NOVA_CONFIG_DIR`` (default
``/etc/nova``), the pipeline from ``[wsgi] api_paste_config``.

Each process that serves also delivers its notifications: unless
``[notifications] relay_in_services`` is false, a relay publishes what the
process commits as it commits it, and what is left when the process exits.
"""

import atexit
import os
import sys

from oslo_config import cfg
from oslo_log import log as logging
from paste import deploy

import nova.conf
from nova import config
from nova import context as nova_context
from nova.db import migration
from nova import exception
from nova.notifications import delivery
from nova import objects
from nova import policy

LOG = logging.getLogger(__name__)
CONF = nova.conf.CONF

NAME = 'osapi_compute'
PROGRAM = 'nova-api'
# NOTE: the binary of the API's service record, as nova names it.
API_BINARY = 'nova-osapi_compute'

_CONFIG_FILES = ['nova.conf']


def _get_config_files(env=None):
    """The configuration files of the application, as nova finds them.

    Files named by ``OS_NOVA_CONFIG_FILES`` must exist; the default
    ``nova.conf`` is read only if it exists.
    """
    env = os.environ if env is None else env
    dirname = env.get('OS_NOVA_CONFIG_DIR', '/etc/nova').strip()
    names = [name.strip() for name in
             env.get('OS_NOVA_CONFIG_FILES', '').split(';') if name.strip()]
    if names:
        return [os.path.join(dirname, name) for name in names]
    return [path for path in (os.path.join(dirname, name)
                              for name in _CONFIG_FILES)
            if os.path.exists(path)]


def paste_config(conf=CONF):
    """The path of the api-paste.ini ``[wsgi] api_paste_config`` names.

    :raises InvalidConfiguration: when there is no such file.
    """
    name = conf.wsgi.api_paste_config
    if os.path.isabs(name):
        found = name if os.path.exists(name) else None
    else:
        # NOTE: pip installs the data files of a package below the
        # environment's prefix: the api-paste.ini nova ships is there.
        found = conf.find_file(name) or next(
            (path for path in [os.path.join(sys.prefix, 'etc', 'nova', name)]
             if os.path.exists(path)), None)
    if found is None:
        raise exception.InvalidConfiguration(
            reason='[wsgi] api_paste_config: cannot find %s in the '
                   'configuration directories nor in %s' % (
                       name, os.path.join(sys.prefix, 'etc', 'nova')))
    return found


def load_app(conf=CONF, name=NAME):
    """The compute API of the pipeline ``name`` of api-paste.ini."""
    objects.register_all()
    policy.init(conf)
    return deploy.loadapp('config:%s' % paste_config(conf), name=name)


def register_api_service(host):
    """Create this API's service record on its first start, as nova does.

    The first start emits ``service.create`` (publisher ``nova-api``); a
    restart brings the record's code version up to date.
    """
    objects.register_all()
    # NOTE: sibling workers may race to create it; one wins, all get it.
    objects.Service.register(nova_context.get_admin_context(), host,
                             API_BINARY, None)


def init_application(name=NAME, env=None):
    """Load the configuration, check the database, register, build the app.

    A configuration or a database that cannot be used stops the process
    that serves: one ERROR line says why, then the exception leaves for
    the WSGI server, which refuses to start.
    """
    try:
        # NOTE: no command line: the WSGI server's own is in sys.argv.
        config.parse_args([PROGRAM],
                          default_config_files=_get_config_files(env))
        migration.check_migrated(CONF)
        delivery.start(CONF, PROGRAM)
        # NOTE: a WSGI server gives its application no stop hook; the relay
        # publishes what is left while the interpreter exits.
        atexit.register(delivery.stop)
        register_api_service(CONF.host)
        return load_app(CONF, name)
    except (cfg.Error, exception.NovaException) as error:
        LOG.error('The compute API cannot start: %s',
                  error.format_message()
                  if isinstance(error, exception.NovaException) else error)
        raise
