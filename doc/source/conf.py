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

# Sphinx configuration of the nova service notifications documentation.
#
# Built by ``tox -e docs`` with warnings as errors and without network, with
# openstackdocstheme as nova's documentation. The theme's analytics and
# Google search scripts are switched off: tools/check_internal_links.py
# fails the build if a page loads anything from another host.

import os
import sys

DOC_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), '..'))
REPO_ROOT = os.path.dirname(DOC_DIR)

# NOTE: the project's own Sphinx extensions live in doc/ext; the project
# itself is imported from the checkout so the docs describe this code.
sys.path.insert(0, os.path.join(DOC_DIR, 'ext'))
sys.path.insert(0, REPO_ROOT)

project = 'nova service notifications'
copyright = 'Nova service notifications developers'
author = 'Nova service notifications developers'

extensions = [
    'sphinx.ext.autodoc',
    'sphinx.ext.doctest',
    'oslo_config.sphinxext',
    'oslo_config.sphinxconfiggen',
    'oslo_policy.sphinxext',
    'oslo_policy.sphinxpolicygen',
    'openstackdocstheme',
    'versioned_notifications',
]

# oslo_config.sphinxconfiggen writes _static/nova.conf.sample on every build.
config_generator_config_file = [
    (os.path.join(REPO_ROOT, 'etc', 'nova', 'nova-config-generator.conf'),
     '_static/nova'),
]

# oslo_policy.sphinxpolicygen writes _static/nova.policy.yaml.sample.
policy_generator_config_file = [
    (os.path.join(REPO_ROOT, 'etc', 'nova', 'nova-policy-generator.conf'),
     '_static/nova'),
]

master_doc = 'index'
exclude_patterns = ['_build']
pygments_style = 'sphinx'
html_theme = 'openstackdocs'
html_static_path = ['_static']
html_theme_options = {
    # NOTE: no Google Analytics tag, no search served by Google.
    'analytics_tracking_code': '',
    'sidebar_search': False,
    'display_badge': False,
}

# openstackdocstheme: where the "Report a bug" and source links point.
openstackdocs_repo_name = 'openstack/nova-service-notifications'
openstackdocs_bug_project = 'nova-service-notifications'
openstackdocs_bug_tag = 'doc'
openstackdocs_auto_name = False

# autodoc documents the real framework classes in the contributor guide.
autodoc_member_order = 'bysource'
autodoc_default_options = {'show-inheritance': True}

# The guide's examples run with `sphinx-build -b doctest` (tox -e docs).
doctest_global_setup = '''
from notification_examples import ExampleEnvironment
example = ExampleEnvironment()
'''
doctest_global_cleanup = '''
example.cleanup()
'''
