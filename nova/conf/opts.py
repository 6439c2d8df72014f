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
    notifications.set_lib_defaults(conf or cfg.CONF)
