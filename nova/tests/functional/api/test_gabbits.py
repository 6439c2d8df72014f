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

"""Load the declarative API tests of ``gabbits/`` (gabbi).

The HTTP contract of the API lives there; Python tests say what YAML
cannot (notifications, heartbeats, configuration, concurrency).
"""

import os

from gabbi import driver

from nova.tests import fixtures as nova_fixtures
from nova.tests.functional.api import gabbi_fixtures


TESTS_DIR = os.path.join(os.path.dirname(__file__), 'gabbits')


def load_tests(loader, tests, pattern):
    """The load_tests protocol: one suite per YAML file."""
    return driver.build_tests(TESTS_DIR, loader,
                              intercept=gabbi_fixtures.setup_app,
                              fixture_module=gabbi_fixtures,
                              inner_fixtures=[nova_fixtures.OutputCapture],
                              test_loader_name=__name__)
