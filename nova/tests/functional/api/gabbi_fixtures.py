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

"""Fixtures of the declarative API tests in ``gabbits/``.

Each YAML file runs against one configuration, one migrated database and
the real notifier on the in-memory driver, with the services its tests
name through environment variables (``$ENVIRON['COMPUTE1_UUID']``, and
their integer ids as ``$ENVIRON['COMPUTE1_ID']``...).
"""

import os
from wsgiref import validate

from gabbi import fixture

from nova.api.openstack import wsgi_app
import nova.conf
from nova import context
from nova import objects
from nova import policy
from nova.tests import fixtures as nova_fixtures

CONF = nova.conf.CONF

# NOTE: fixed uuids, so that the YAML files can name the services.
SERVICES = {
    'COMPUTE1_UUID': ('host1', 'nova-compute', 'compute',
                      'a5a2d4fc-4c1b-4b1e-9d5e-2f7d8c0b1a01'),
    'COMPUTE2_UUID': ('host2', 'nova-compute', 'compute',
                      'a5a2d4fc-4c1b-4b1e-9d5e-2f7d8c0b1a02'),
    'SCHEDULER_UUID': ('host1', 'nova-scheduler', 'scheduler',
                       'a5a2d4fc-4c1b-4b1e-9d5e-2f7d8c0b1a03'),
}


def _id_name(uuid_name):
    return uuid_name.replace('_UUID', '_ID')


# NOTE: gabbi asks for the application when it builds the tests, before
# any fixture runs; the fixture builds the real one once it has set up the
# configuration, and requests go to it.
_CURRENT_APP = None


def _current_app(environ, start_response):
    if _CURRENT_APP is None:
        raise RuntimeError('The gabbi APIFixture is not running')
    return _CURRENT_APP(environ, start_response)


def setup_app():
    """The intercepted application: nova-api's, on the fixture's state.

    It is wrapped in the standard library's WSGI validator, so a response
    a real server would refuse (a header that is not a str, a body on a
    204...) fails the test, as wsgi-intercept's STRICT_RESPONSE_HEADERS
    does for placement's gabbi tests.
    """
    return validate.validator(_current_app)


class APIFixture(fixture.GabbiFixture):
    """Configuration (noauth2), database, notifier and three services."""

    def start_fixture(self):
        self._fixtures = []
        conf = self._use(nova_fixtures.ConfFixture(CONF))
        conf.config(auth_strategy='noauth2', group='api')
        self._use(nova_fixtures.Database())
        self._use(nova_fixtures.NotificationFixture())
        objects.register_all()
        policy.reset()
        ctxt = context.get_admin_context()
        for name, (host, binary, topic, uuid) in SERVICES.items():
            service = objects.Service(ctxt, host=host, binary=binary,
                                      topic=topic, uuid=uuid, report_count=0)
            service.create()
            os.environ[name] = uuid
            os.environ[_id_name(name)] = str(service.id)
        global _CURRENT_APP
        _CURRENT_APP = wsgi_app.load_app(CONF)

    def _use(self, fixture):
        fixture.setUp()
        self._fixtures.append(fixture)
        return fixture

    def stop_fixture(self):
        global _CURRENT_APP
        _CURRENT_APP = None
        policy.reset()
        for name in SERVICES:
            os.environ.pop(name, None)
            os.environ.pop(_id_name(name), None)
        while self._fixtures:
            self._fixtures.pop().cleanUp()
