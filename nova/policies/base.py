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

"""Rules that other rules are built from."""

from oslo_policy import policy

# NOTE: the personas of nova's secure RBAC defaults, as check strings.
ADMIN = 'rule:context_is_admin'
PROJECT_MEMBER = 'role:member and project_id:%(project_id)s'
PROJECT_READER = 'role:reader and project_id:%(project_id)s'

rules = [
    policy.RuleDefault(
        name='context_is_admin',
        check_str='role:admin',
        description='Decides what is required for the "is_admin:True" '
                    'check to succeed.'),
]


def list_rules():
    return rules
