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
