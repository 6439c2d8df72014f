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
