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

"""nova's settings of oslo.middleware's filters in api-paste.ini."""

from oslo_middleware import cors

import nova.conf

CONF = nova.conf.CONF


def set_defaults():
    """Update default configuration options for oslo.middleware."""
    cors.set_defaults(
        allow_headers=['X-Auth-Token',
                       'X-Openstack-Request-Id',
                       'X-Identity-Status',
                       'X-Roles',
                       'X-Service-Catalog',
                       'X-User-Id',
                       'X-Tenant-Id',
                       'X-OpenStack-Nova-API-Version',
                       'OpenStack-API-Version'],
        expose_headers=['X-Auth-Token',
                        'X-Openstack-Request-Id',
                        'X-Subject-Token',
                        'X-Service-Token',
                        'X-OpenStack-Nova-API-Version',
                        'OpenStack-API-Version'],
        allow_methods=['GET',
                       'PUT',
                       'POST',
                       'DELETE',
                       'PATCH'])


def cors_filter_factory(global_conf, **local_conf):
    """oslo.middleware's CORS filter, reading ``[cors]`` of nova's options.

    NOTE: nova's api-paste.ini gives the filter ``oslo_config_project =
    nova``, with which it reads /etc/nova/nova.conf again on its own; this
    factory hands it the configuration the application loaded, from the
    files ``OS_NOVA_CONFIG_DIR`` and ``OS_NOVA_CONFIG_FILES`` name.
    """
    set_defaults()

    def _factory(app):
        return cors.CORS(app, CONF)
    return _factory
