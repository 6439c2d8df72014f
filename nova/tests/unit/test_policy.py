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

"""The default rules, the enforcer and the sample policy file."""

import os

import fixtures
from oslo_config import cfg
from oslo_policy import generator

from nova import context
from nova import exception
from nova import policies
from nova import policy
from nova import test

SERVICES_RULES = ('os_compute_api:os-services:list',
                  'os_compute_api:os-services:update',
                  'os_compute_api:os-services:delete')


class TestPolicy(test.TestCase):

    USES_DB = False

    def setUp(self):
        super().setUp()
        policy.reset()
        self.addCleanup(policy.reset)

    def _context(self, *roles):
        return context.RequestContext(user_id='u', project_id='p',
                                      roles=list(roles))

    def test_services_rules_are_admin_only(self):
        for rule in SERVICES_RULES:
            self.assertTrue(policy.authorize(self._context('admin'), rule,
                                             target={}))
            for roles in ((), ('member',), ('reader', 'member')):
                e = self.assertRaises(exception.PolicyNotAuthorized,
                                      policy.authorize,
                                      self._context(*roles), rule, {})
                self.assertEqual(
                    "Policy doesn't allow %s to be performed." % rule,
                    e.format_message())

    def test_unregistered_rule_is_refused(self):
        self.assertRaises(exception.PolicyNotAuthorized, policy.authorize,
                          self._context('admin'), 'no:such:rule', {})
        self.assertIn('no:such:rule is not registered', self.stdlog.output)

    def test_every_rule_is_documented(self):
        names = [rule.name for rule in policies.list_rules()]
        self.assertEqual(len(names), len(set(names)))
        for name in SERVICES_RULES:
            self.assertIn(name, names)
        for rule in policies.list_rules():
            self.assertTrue(rule.description, rule.name)

    def test_enforcer_entry_point_loads_the_rules(self):
        enforcer = policy.get_enforcer()
        for name in SERVICES_RULES:
            self.assertIn(name, enforcer.registered_rules)

    def test_sample_generator_writes_every_rule(self):
        path = os.path.join(self.useFixture(fixtures.TempDir()).path,
                            'policy.yaml.sample')
        generator.generate_sample(args=['--namespace', 'nova',
                                        '--output-file', path],
                                  conf=cfg.ConfigOpts())
        with open(path) as f:
            sample = f.read()
        for name in SERVICES_RULES:
            self.assertIn('#"%s": "rule:context_is_admin"' % name, sample)
        self.assertIn('#"context_is_admin": "role:admin"', sample)
