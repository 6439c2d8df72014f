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

# Sphinx configuration of the compute API reference (os-api-ref), built by
# ``tox -e api-ref`` with warnings as errors and without network. Every
# example is a file of doc/api_samples that a functional test sends to, or
# compares with, the real API over HTTP.

project = 'Compute API reference: os-services'
copyright = 'Nova service notifications developers'

extensions = [
    'os_api_ref',
    'openstackdocstheme',
]

master_doc = 'index'
pygments_style = 'native'
html_theme = 'openstackdocs'
html_theme_options = {
    # NOTE: no Google Analytics tag, no search served by Google;
    # tools/check_internal_links.py fails the build if a page loads
    # anything from another host.
    'analytics_tracking_code': '',
    'sidebar_search': False,
    'display_badge': False,
    'sidebar_mode': 'toc',
}
openstackdocs_repo_name = 'openstack/nova-service-notifications'
openstackdocs_bug_project = 'nova-service-notifications'
openstackdocs_bug_tag = 'api-ref'
openstackdocs_auto_name = False
