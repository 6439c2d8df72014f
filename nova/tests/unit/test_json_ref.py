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
