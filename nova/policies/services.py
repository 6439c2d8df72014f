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

"""Who may list, update and delete nova's service records."""

from oslo_policy import policy

from nova.policies import base

BASE_POLICY_NAME = 'os_compute_api:os-services:%s'

services_policies = [
    policy.DocumentedRuleDefault(
        name=BASE_POLICY_NAME % 'list',
        check_str=base.ADMIN,
        description='List all running Compute services in a region.',
        operations=[{'method': 'GET', 'path': '/os-services'}],
        scope_types=['project']),
    policy.DocumentedRuleDefault(
        name=BASE_POLICY_NAME % 'update',
        check_str=base.ADMIN,
        description='Update a Compute service: enable or disable it, '
                    'force it down or up.',
        operations=[{'method': 'PUT', 'path': '/os-services/{service_id}'}],
        scope_types=['project']),
    policy.DocumentedRuleDefault(
        name=BASE_POLICY_NAME % 'delete',
        check_str=base.ADMIN,
        description='Delete a Compute service.',
        operations=[{'method': 'DELETE',
                     'path': '/os-services/{service_id}'}],
        scope_types=['project']),
]


def list_rules():
    return services_policies
