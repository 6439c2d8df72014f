#!/usr/bin/env bash
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

# Refresh upper-constraints.txt: install every requirement of every tox env,
# unconstrained, into a new virtualenv and pin what pip chose. Run it, then
# the whole suite (tools/tox -e py3,functional,openstackclient,pep8,docs,
# api-ref,releasenotes), and commit the file only if everything passes.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --upgrade pip
# NOTE: python-openstackclient is the openstackclient env's own dependency
# (tox.ini); everything else comes from the requirements files.
"$work/venv/bin/pip" install --quiet \
    -r "$top/requirements.txt" -r "$top/test-requirements.txt" \
    -r "$top/doc/requirements.txt" python-openstackclient
{
    echo "# Versions the whole suite passed with; tox installs with them."
    echo "# Refresh: tools/update-constraints.sh (see the README)."
    "$work/venv/bin/pip" freeze --all --exclude-editable |
        grep -viE '^(pip|setuptools|wheel|nova-service-notifications)==' |
        LC_ALL=C sort -f
} > "$top/upper-constraints.txt"
echo "upper-constraints.txt: $(grep -vc '^#' "$top/upper-constraints.txt") pins"
