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

"""The version documents: every API version at ``/``, v2.1 at ``/v2.1``."""

from nova.api.openstack import api_version_request
from nova.api.openstack import router
from nova.api.openstack import urlmap
from nova.api.openstack import wsgi

_UPDATED = '2013-07-23T11:33:21Z'
_DOCS_URL = 'https://docs.openstack.org/api-ref/compute/'
_V21_MEDIA_TYPE = 'application/vnd.openstack.compute+json;version=2.1'


def _v21(root_url):
    return {
        'id': 'v2.1',
        'status': 'CURRENT',
        'version': api_version_request.max_api_version().get_string(),
        'min_version': api_version_request.min_api_version().get_string(),
        'updated': _UPDATED,
        'links': [{'rel': 'self', 'href': root_url.rstrip('/') + '/v2.1/'}],
    }


def versions_document(root_url):
    """The ``GET /`` document listing the API versions served here."""
    return {'versions': [_v21(root_url)]}


def version_document(root_url):
    """The ``GET /v2.1/`` document describing version 2.1."""
    version = _v21(root_url)
    version['links'].append(
        {'rel': 'describedby', 'type': 'text/html', 'href': _DOCS_URL})
    version['media-types'] = [{'base': 'application/json',
                               'type': _V21_MEDIA_TYPE}]
    return {'version': version}


class VersionsController(wsgi.Controller):
    """The version documents; links point at the server's root."""

    def index(self, req):
        return versions_document(urlmap.root_url(req))

    def show(self, req):
        return version_document(urlmap.root_url(req))


class Versions(router.Router):
    """The unauthenticated router of ``GET /`` and ``GET /v2.1``.

    Clients such as python-openstackclient discover the microversions at
    the endpoint (``/v2.1``) before they authenticate, as nova allows.
    """

    def __init__(self):
        controller = VersionsController()
        super().__init__(
            [('/', {'GET': (controller, 'index')}),
             ('', {'GET': (controller, 'index')}),
             ('/v2.1', {'GET': (controller, 'show')})],
            project_id=False)
