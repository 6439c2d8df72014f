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

"""The routes of the compute API v2.1."""

from nova.api.openstack.compute import services
from nova.api.openstack.compute import versions
from nova.api.openstack import router


def route_list():
    """``[(path, {method: (controller, action)})]`` of the v2.1 API."""
    version_controller = versions.VersionsController()
    service_controller = services.ServiceController()
    return [
        ('', {'GET': (version_controller, 'show')}),
        ('/', {'GET': (version_controller, 'show')}),
        ('/os-services', {'GET': (service_controller, 'index')}),
        ('/os-services/{id}', {'PUT': (service_controller, 'update'),
                               'DELETE': (service_controller, 'delete')}),
    ]


class APIRouterV21(router.Router):
    """Dispatch the v2.1 API's requests to their resources."""

    def __init__(self):
        super().__init__(route_list())
