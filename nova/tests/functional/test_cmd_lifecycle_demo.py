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

"""nova-lifecycle-demo end to end, as ``tox -e demo`` runs it."""

import json
import os
import queue
import re
import signal
import subprocess
import threading

import fixtures

from nova.cmd import common
from nova.demo import expectations
from nova.demo import state as demo_state
from nova import test

DEMO_TIMEOUT = 60

_HEADER = re.compile(r'^--- (\d+)/(\d+) (\S+) from (\S+) \((\w+)\), '
                     r'published by (\S+) ---$', re.MULTILINE)
_STARTED = re.compile(r'^\$ (gunicorn|nova-\S+) .*&    # pid (\d+)$',
                      re.MULTILINE)


def printed_envelopes(output):
    """Return (header fields, JSON document) for each printed notification."""
    decoder = json.JSONDecoder()
    printed = []
    for header in _HEADER.finditer(output):
        document, _end = decoder.raw_decode(output, header.end() + 1)
        printed.append((header.groups(), document))
    return printed


def started_pids(output):
    """Return {program: pid} of the processes the demo says it started."""
    return {program: int(pid) for program, pid in _STARTED.findall(output)}


def is_running(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


class TestLifecycleDemo(test.TestCase):

    USES_DB = False

    def setUp(self):
        super().setUp()
        self.path = os.path.join(self.useFixture(fixtures.TempDir()).path,
                                 'demo')

    def command(self, *args):
        return common.console_script('nova-lifecycle-demo') + list(args)

    def demo(self, *args):
        return subprocess.run(self.command(*args), capture_output=True,
                              text=True, timeout=DEMO_TIMEOUT)

    def test_demo(self):
        result = self.demo('--state-path', self.path)
        self.assertEqual(0, result.returncode,
                         result.stdout + result.stderr)
        output = result.stdout

        # NOTE: the transcript shows the requests that made the changes.
        transcript = output[:output.index('Versioned notifications')]
        service_uuid = re.search(r'^> PUT /v2\.1/os-services/(\S+)$',
                                 transcript, re.MULTILINE).group(1)
        path = '/v2.1/os-services/' + service_uuid
        self.assertEqual(
            ['GET /v2.1/os-services?binary=nova-compute', 'PUT ' + path,
             'PUT ' + path, 'PUT ' + path, 'DELETE ' + path,
             'GET /v2.1/os-services?binary=nova-compute'],
            re.findall(r'^> ([A-Z]+ \S+)$', transcript, re.MULTILINE))
        self.assertEqual(['200 OK'] * 4 + ['204 No Content', '200 OK'],
                         re.findall(r'^< (.*)$', transcript, re.MULTILINE))

        printed = printed_envelopes(output)
        for number, (header, envelope) in enumerate(printed, 1):
            self.assertEqual(list(expectations.ENVELOPE_KEYS),
                             list(envelope))
            self.assertEqual(
                (str(number), str(len(printed)), envelope['event_type'],
                 envelope['publisher_id'], 'INFO'), header[:5])
        compute = [(header, envelope) for header, envelope in printed
                   if envelope['payload']['nova_object.data']['uuid'] ==
                   service_uuid]
        self.assertEqual(list(expectations.EXPECTED_EVENTS),
                         [envelope['event_type'] for _, envelope in compute])
        self.assertEqual({'nova-compute:compute1'},
                         {envelope['publisher_id']
                          for _, envelope in compute})
        # NOTE: the relay of nova-compute or of nova-api publishes each
        # notification, whichever holds the service's shard at the time.
        self.assertLessEqual({header[5] for header, _ in compute},
                             {'nova-compute', 'nova-api'})
        api = [envelope for _, envelope in printed
               if envelope not in [envelope for _, envelope in compute]]
        self.assertEqual(
            [('service.create', 'nova-api:compute1', 'nova-osapi_compute')],
            [(envelope['event_type'], envelope['publisher_id'],
              envelope['payload']['nova_object.data']['binary'])
             for envelope in api])
        self.assertIn('OK: the nova-compute service %s emitted, as expected,'
                      '\n    %s,\n' % (service_uuid,
                                       ', '.join(
                                           expectations.EXPECTED_EVENTS)),
                      output)

        # NOTE: what was printed is what the log driver wrote, unchanged,
        # each process in a file of its own.
        state = demo_state.StateDir(self.path)
        self.assertEqual(state.read_notifications(),
                         [envelope for _, envelope in printed])
        for program in ('nova-manage', 'nova-api', 'nova-compute'):
            self.assertTrue(os.path.exists(state.log_file(program)))
        pids = started_pids(output)
        self.assertEqual(['gunicorn', 'nova-compute'], sorted(pids))
        self.assertEqual([], [program for program, pid in pids.items()
                              if is_running(pid)])

    def test_interrupted_demo_stops_its_processes(self):
        demo = subprocess.Popen(self.command('--state-path', self.path),
                                stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)
        self.addCleanup(self._reap, demo)
        lines = queue.Queue()

        def read():
            for line in demo.stdout:
                lines.put(line)
            lines.put(None)
        threading.Thread(target=read, daemon=True).start()

        output = ''
        while 'nova-compute &' not in output:
            line = lines.get(timeout=DEMO_TIMEOUT)
            self.assertIsNotNone(line, 'the demo ended early: ' + output)
            output += line
        demo.send_signal(signal.SIGINT)
        self.assertEqual(130, demo.wait(DEMO_TIMEOUT))
        while (line := lines.get(timeout=DEMO_TIMEOUT)) is not None:
            output += line
        self.assertIn('\nInterrupted.\n', output)
        pids = started_pids(output)
        self.assertEqual(['gunicorn', 'nova-compute'], sorted(pids))
        self.assertEqual([], [program for program, pid in pids.items()
                              if is_running(pid)])

    @staticmethod
    def _reap(process):
        if process.poll() is None:
            process.kill()
        process.wait(DEMO_TIMEOUT)
        process.stdout.close()
