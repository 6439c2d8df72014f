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

"""Entry points of oslo-config-generator and the oslo_config Sphinx ext."""

import collections

from nova.conf import api
from nova.conf import availability_zone
from nova.conf import database
from nova.conf import notifications
from nova.conf import paths
from nova.conf import service
from nova.conf import wsgi

_OPT_MODULES = (paths, service, database, notifications, api,
                availability_zone, wsgi)


def list_opts():
    """Return ``[(group, [opts])]`` for every option nova itself defines."""
    grouped = collections.defaultdict(list)
    for module in _OPT_MODULES:
        for group, opts in module.list_opts().items():
            grouped[group].extend(opts)
    return [(group, sorted(opts, key=lambda opt: opt.name))
            for group, opts in grouped.items()]


def set_lib_defaults(conf=None):
    """Apply nova's defaults for library options.

    Entry point ``oslo.config.opts.defaults`` of the config generator.
    """
    from oslo_config import cfg

    from nova import middleware
    notifications.set_lib_defaults(conf or cfg.CONF)
    middleware.set_defaults()
