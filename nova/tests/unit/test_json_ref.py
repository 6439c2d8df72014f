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

"""Resolving and keeping the ``$ref`` of notification samples."""

import json
import os

import fixtures
import testtools

from nova.tests import json_ref


class TestJsonRef(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.base = self.useFixture(fixtures.TempDir()).path
        os.mkdir(os.path.join(self.base, 'common'))
        self._write('common/payload.json',
                    {'name': 'P', 'data': {'a': 1, 'b': None}})
        self.raw = {'event': 'x.update',
                    'payload': {'$ref': 'common/payload.json#',
                                'data': {'b': 'changed'}}}
        self._write('sample.json', self.raw)

    def _write(self, name, content):
        with open(os.path.join(self.base, name), 'w') as f:
            json.dump(content, f)

    def test_refs_are_resolved_with_overrides_merged(self):
        self.assertEqual(
            {'event': 'x.update',
             'payload': {'name': 'P', 'data': {'a': 1, 'b': 'changed'}}},
            json_ref.load_sample(os.path.join(self.base, 'sample.json')))

    def test_pointer_inside_a_file_is_refused(self):
        self.assertRaises(ValueError, json_ref.resolve_refs,
                          {'$ref': 'common/payload.json#/data'}, self.base)

    def test_keep_refs_states_only_the_differences(self):
        resolved = {'event': 'x.update',
                    'payload': {'name': 'P',
                                'data': {'a': 2, 'b': 'changed'}}}
        self.assertEqual(
            {'event': 'x.update',
             'payload': {'$ref': 'common/payload.json#',
                         'data': {'a': 2, 'b': 'changed'}}},
            json_ref.keep_refs(resolved, self.raw, self.base))

    def test_keep_refs_round_trips_an_unchanged_sample(self):
        resolved = json_ref.load_sample(os.path.join(self.base,
                                                     'sample.json'))
        self.assertEqual(self.raw,
                         json_ref.keep_refs(resolved, self.raw, self.base))

    def test_a_removed_key_is_written_out_in_full(self):
        resolved = {'event': 'x.update',
                    'payload': {'name': 'P', 'data': {'a': 1}}}
        self.assertEqual(resolved,
                         json_ref.keep_refs(resolved, self.raw, self.base))
