"""Load the declarative API tests of ``gabbits/`` (gabbi)."""

import os

from gabbi import driver

from nova.tests.functional.api import gabbi_fixtures

TESTS_DIR = os.path.join(os.path.dirname(__file__), 'gabbits')


def load_tests(loader, tests, pattern):
    """The load_tests protocol: one suite per YAML file."""
    return driver.build_tests(TESTS_DIR, loader,
                              intercept=gabbi_fixtures.setup_app,
                              fixture_module=gabbi_fixtures,
                              test_loader_name=__name__)
