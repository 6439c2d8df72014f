"""nova's configuration options, registered on the global CONF.

Each module of this package owns one group of options and offers
``register_opts`` and ``list_opts``.
"""

from oslo_config import cfg

from nova.conf import api
from nova.conf import availability_zone
from nova.conf import database
from nova.conf import notifications
from nova.conf import paths
from nova.conf import service
from nova.conf import wsgi

CONF = cfg.CONF

paths.register_opts(CONF)
service.register_opts(CONF)
database.register_opts(CONF)
notifications.register_opts(CONF)
api.register_opts(CONF)
availability_zone.register_opts(CONF)
wsgi.register_opts(CONF)
