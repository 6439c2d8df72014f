"""nova-lifecycle-demo end to end, as ``tox -e demo`` runs it."""

import json
import os
import re
import subprocess

import fixtures

from nova.cmd import common
from nova.cmd import lifecycle_demo
from nova import test

DEMO_TIMEOUT = 120

_HEADER = re.compile(r'^--- (\d+)/(\d+) (\S+) from (\S+) \((\w+)\) ---$',
                     re.MULTILINE)


def printed_envelopes(output):
    """Return (header fields, JSON document) for each printed notification."""
    decoder = json.JSONDecoder()
    printed = []
    for header in _HEADER.finditer(output):
        document, _end = decoder.raw_decode(output, header.end() + 1)
        printed.append((header.groups(), document))
    return printed


class TestLifecycleDemo(test.TestCase):

    USES_DB = False

    def setUp(self):
        super().setUp()
        self.path = os.path.join(self.useFixture(fixtures.TempDir()).path,
                                 'demo')

    def demo(self, *args):
        return subprocess.run(
            common.console_script('nova-lifecycle-demo') + list(args),
            capture_output=True, text=True, timeout=DEMO_TIMEOUT)

    def test_demo(self):
        result = self.demo('--state-path', self.path)
        self.assertEqual(0, result.returncode,
                         result.stdout + result.stderr)

        printed = printed_envelopes(result.stdout)
        self.assertEqual(list(lifecycle_demo.EXPECTED_EVENTS),
                         [envelope['event_type'] for _, envelope in printed])
        for number, (header, envelope) in enumerate(printed, 1):
            self.assertEqual(list(lifecycle_demo.ENVELOPE_KEYS),
                             list(envelope))
            self.assertEqual(
                (str(number), '5', envelope['event_type'],
                 'nova-compute:compute1', 'INFO'), header)
        self.assertEqual(1, len({envelope['payload']['nova_object.data'][
            'uuid'] for _, envelope in printed}))
        self.assertIn('OK: 5 notifications, as expected: ' +
                      ', '.join(lifecycle_demo.EXPECTED_EVENTS),
                      result.stdout)

        # NOTE: what was printed is what the log driver wrote, unchanged.
        state = lifecycle_demo.StateDir(self.path)
        self.assertEqual(state.read_notifications(),
                         [envelope for _, envelope in printed])
        for program in ('nova-manage', 'nova-compute'):
            self.assertTrue(os.path.exists(state.log_file(program)))

    def test_state_path_in_use(self):
        os.makedirs(self.path)
        open(os.path.join(self.path, 'nova.sqlite'), 'w').close()
        result = self.demo('--state-path', self.path)
        self.assertEqual(2, result.returncode)
        self.assertIn('must be a new or empty directory', result.stderr)
