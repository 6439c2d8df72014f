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

# Sphinx configuration of the release notes, built with reno from the notes
# committed under releasenotes/notes (tox -e releasenotes; warnings are
# errors). reno reads the notes from git history: an uncommitted note is
# not shown.

extensions = [
    'reno.sphinxext',
]

project = 'nova service notifications release notes'
copyright = 'Nova service notifications developers'
author = 'Nova service notifications developers'

master_doc = 'index'
exclude_patterns = []
pygments_style = 'sphinx'
html_theme = 'alabaster'
html_static_path = ['_static']
