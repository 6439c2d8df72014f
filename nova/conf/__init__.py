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
