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

"""How the demo talks to nova-api: the noauth2 admin at 2.53."""

from nova.api import client as compute_client
from nova.demo import DemoFailure

# NOTE: the headers of every request, and why, as the transcript shows.
API_HEADERS = (
    ('X-Auth-Token', 'admin:admin',
     'noauth2 trusts it: user admin, an administrator'),
    ('OpenStack-API-Version', 'compute 2.53',
     'microversion 2.53: services are named by uuid'),
)
REQUEST_TIMEOUT = 30


class ApiResponse(object):
    """The status, reason phrase and JSON document (or None) of a reply."""

    def __init__(self, status, reason, document):
        self.status = status
        self.reason = reason
        self.document = document


class ApiClient(object):
    """The compute API as the demo uses it: the noauth2 admin at 2.53.

    A request that gets no response, or a body that is not JSON, is a
    DemoFailure.
    """

    def __init__(self, url):
        self.url = url
        self._client = compute_client.ComputeClient(
            url, token=API_HEADERS[0][1],
            microversion=API_HEADERS[1][1].split()[1],
            timeout=REQUEST_TIMEOUT)

    def request(self, method, path, body=None):
        """Send one request; return its ApiResponse, whatever the status.

        :raises DemoFailure: if no HTTP response came, or its body is not
            JSON.
        """
        try:
            response = self._client.request(method, path, body=body)
        except OSError as error:
            raise DemoFailure('%s %s got no response from nova-api: %s'
                              % (method, path, error))
        try:
            document = response.json
        except ValueError:
            raise DemoFailure('%s %s answered %d with a body that is not '
                              'JSON: %r' % (method, path, response.status,
                                            response.body[:200]))
        return ApiResponse(response.status, response.reason, document)
