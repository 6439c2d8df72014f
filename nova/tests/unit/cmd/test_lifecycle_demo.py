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

"""nova-lifecycle-demo's parts: verdict, state directory, HTTP client,
child processes and arguments."""

import configparser
import copy
import io
import json
import os
import signal
import subprocess
import sys

import fixtures

from nova.cmd import lifecycle_demo
from nova import demo
from nova.demo import api as demo_api
from nova.demo import expectations
from nova.demo import state as demo_state
from nova import test
from nova.tests import fixtures as nova_fixtures

SERVICE_UUID = '2ce7fbce-cc58-429e-ac59-365d1f9f36e8'
API_SERVICE_UUID = '6a1c1c5e-0a57-4c1b-9d1e-0e0f7d0b7e59'
REASON = 'maintenance window'


def _envelope(event_type, publisher_id='nova-compute:compute1',
              timestamp='2026-11-22 01:25:43.806648', **state):
    data = dict(uuid=SERVICE_UUID, host='compute1', binary='nova-compute',
                disabled=False, disabled_reason=None, forced_down=False)
    data.update(state)
    return {
        'message_id': '12c0cdb9-842e-41b7-93e7-8031e53e6544',
        'publisher_id': publisher_id,
        'event_type': event_type,
        'priority': 'INFO',
        'payload': {'nova_object.name': 'ServiceStatusPayload',
                    'nova_object.namespace': 'nova',
                    'nova_object.version': '1.1',
                    'nova_object.data': data},
        'timestamp': timestamp,
    }


def _api_create():
    return _envelope('service.create', publisher_id='nova-api:compute1',
                     uuid=API_SERVICE_UUID, binary='nova-osapi_compute')


def _expected_run():
    return [
        _api_create(),
        _envelope('service.create'),
        _envelope('service.update', disabled=True, disabled_reason=REASON),
        _envelope('service.update', disabled=True, disabled_reason=REASON,
                  forced_down=True),
        _envelope('service.update', forced_down=True),
        _envelope('service.delete', forced_down=True),
    ]


class TestCheckNotifications(test.TestCase):

    USES_DB = False

    def check(self, envelopes):
        return expectations.check_notifications(envelopes, SERVICE_UUID,
                                                REASON)

    def test_expected_run(self):
        self.assertEqual([], self.check(_expected_run()))

    def test_without_the_api_record(self):
        self.assertEqual([], self.check(_expected_run()[1:]))

    def test_missing_event(self):
        envelopes = _expected_run()
        del envelopes[3]
        problem, = self.check(envelopes)
        self.assertIn('about service %s; emitted service.create, '
                      'service.update, service.update, service.delete'
                      % SERVICE_UUID, problem)

    def test_nothing_about_the_service(self):
        problem, = self.check([_api_create()])
        self.assertTrue(problem.endswith('emitted none'), problem)

    def test_extra_event(self):
        envelopes = _expected_run()
        envelopes.insert(2, copy.deepcopy(envelopes[2]))
        self.assertEqual(1, len(self.check(envelopes)))

    def test_not_an_envelope(self):
        envelopes = _expected_run()
        envelopes[2]['context'] = {}
        problem, = self.check(envelopes)
        self.assertIn('notification 3 is not an envelope', problem)

    def test_not_a_dict(self):
        problem, = self.check(_expected_run() + [['service.update']])
        self.assertIn('notification 7 is not an envelope', problem)

    def test_wrong_state(self):
        envelopes = _expected_run()
        envelopes[3]['payload']['nova_object.data']['forced_down'] = False
        problem, = self.check(envelopes)
        self.assertIn('service.update (3 of the service) shows', problem)

    def test_wrong_publisher(self):
        envelopes = _expected_run()
        envelopes[2]['publisher_id'] = 'nova-api:compute1'
        problem, = self.check(envelopes)
        self.assertIn('published by nova-api:compute1, not '
                      'nova-compute:compute1', problem)

    def test_other_service(self):
        envelopes = _expected_run()
        envelopes[5]['payload']['nova_object.data']['uuid'] = 'other'
        problem, = self.check(envelopes)
        self.assertTrue(problem.endswith(
            'emitted service.create, service.update, service.update, '
            'service.update'), problem)


class TestStateDir(test.TestCase):

    USES_DB = False

    def setUp(self):
        super().setUp()
        self.path = self.useFixture(fixtures.TempDir()).path
        self.state = demo_state.StateDir(self.path)

    def write(self, program, text):
        with open(self.state.notifications_file(program), 'w') as jsonl:
            jsonl.write(text)

    def test_config(self):
        self.state.write_config('compute1', report_interval=2)
        config = configparser.ConfigParser(interpolation=None)
        config.read(self.state.config_file)
        self.assertEqual('compute1', config['DEFAULT']['host'])
        self.assertEqual('2', config['DEFAULT']['report_interval'])
        self.assertEqual('log',
                         config['oslo_messaging_notifications']['driver'])

    def test_logging_config_per_program(self):
        path = self.state.log_config('nova-api')
        self.assertEqual(os.path.join(self.path, 'logging-nova-api.conf'),
                         path)
        config = configparser.ConfigParser(interpolation=None)
        config.read(path)
        self.assertEqual('oslo.messaging.notification',
                         config['logger_notifications']['qualname'])
        self.assertEqual('0', config['logger_notifications']['propagate'])
        self.assertEqual('%(message)s',
                         config['formatter_message']['format'])
        self.assertIn(repr(self.state.log_file('nova-api')),
                      config['handler_logfile']['args'])
        self.assertIn(repr(os.path.join(self.path,
                                        'notifications-nova-api.jsonl')),
                      config['handler_notifications']['args'])

    def test_command(self):
        argv = self.state.command('nova-manage', 'db', 'sync')
        self.assertEqual(['--config-file', self.state.config_file,
                          '--log-config-append',
                          self.state.log_config('nova-manage'),
                          'db', 'sync'], argv[-6:])

    def test_read_merges_programs_by_timestamp(self):
        self.assertEqual([], self.state.read_emitted())
        self.write('nova-api', '{"n": 1, "timestamp": "2026-11-22 01:00:01"}\n'
                               '{"n": 3, "timestamp": '
                               '"2026-11-22 01:00:02.5"}\n')
        self.write('nova-compute',
                   '{"n": 2, "timestamp": "2026-11-22 01:00:01.000001"}\n'
                   '{"n": 5}\n'
                   '{"n": 4, "timestamp": "2026-11-22 01:00:03"}\n')
        self.assertEqual(
            [('nova-api', 1), ('nova-compute', 2), ('nova-api', 3),
             ('nova-compute', 4), ('nova-compute', 5)],
            [(program, envelope['n'])
             for program, envelope in self.state.read_emitted()])
        self.assertEqual([1, 2, 3, 4, 5],
                         [envelope['n'] for envelope in
                          self.state.read_notifications()])

    def test_read_leaves_a_line_being_written(self):
        self.write('nova-compute', '{"event_type": "service.create"}\n'
                                   '{"event_t')
        self.assertEqual([{'event_type': 'service.create'}],
                         self.state.read_notifications())

    def test_read_refuses_a_line_that_is_not_json(self):
        self.write('nova-api', '{"event_type": "service.create"}\n\n'
                               'not json\n')
        error = self.assertRaises(demo.DemoFailure,
                                  self.state.read_notifications)
        self.assertIn('line 3 of notifications-nova-api.jsonl is not JSON',
                      str(error))


class TestApiClient(test.TestCase):

    USES_DB = False

    def setUp(self):
        super().setUp()
        self.server = self.useFixture(nova_fixtures.RecordingHTTPServer())
        self.server.answer = (200, b'{"services": []}')
        self.url = self.server.url
        self.client = demo_api.ApiClient(self.url)

    def test_json_request_with_the_demo_headers(self):
        response = self.client.request('PUT', '/v2.1/os-services/x',
                                       {'forced_down': True})
        self.assertEqual((200, 'OK', {'services': []}),
                         (response.status, response.reason,
                          response.document))
        (method, path, headers, body, _port), = self.server.requests
        self.assertEqual(('PUT', '/v2.1/os-services/x'), (method, path))
        self.assertEqual({'forced_down': True}, json.loads(body))
        self.assertEqual('admin:admin', headers['X-Auth-Token'])
        self.assertEqual('compute 2.53', headers['Openstack-Api-Version'])
        self.assertEqual('application/json', headers['Content-Type'])

    def test_error_status_is_a_response(self):
        self.server.answer = (404, b'{"itemNotFound": {"code": 404}}')
        response = self.client.request('DELETE', '/v2.1/os-services/x')
        self.assertEqual((404, {'itemNotFound': {'code': 404}}),
                         (response.status, response.document))
        (_method, _path, headers, body, _port), = self.server.requests
        self.assertEqual(b'', body)
        self.assertNotIn('Content-Type', headers)

    def test_empty_body(self):
        self.server.answer = (204, b'')
        response = self.client.request('DELETE', '/v2.1/os-services/x')
        self.assertEqual((204, None), (response.status, response.document))

    def test_body_not_json(self):
        self.server.answer = (500, b'<html>oops</html>')
        error = self.assertRaises(demo.DemoFailure,
                                  self.client.request, 'GET', '/v2.1/x')
        self.assertIn('GET /v2.1/x answered 500 with a body that is not '
                      'JSON', str(error))

    def test_no_server(self):
        self.server.stop()
        error = self.assertRaises(demo.DemoFailure,
                                  self.client.request, 'GET', '/v2.1/x')
        self.assertIn('GET /v2.1/x got no response from nova-api',
                      str(error))


class TestChildProcesses(test.TestCase):
    """The demo's waits and cleanup, on real child processes."""

    USES_DB = False

    def setUp(self):
        super().setUp()
        self.state = demo_state.StateDir(
            self.useFixture(fixtures.TempDir()).path)
        self.out = io.StringIO()
        self.demo = lifecycle_demo.LifecycleDemo(
            self.state, 'compute1', REASON, timeout=1, out=self.out)
        self.useFixture(fixtures.MonkeyPatch(
            'nova.cmd.lifecycle_demo.STOP_TIMEOUT', 0.5))
        self.addCleanup(self.demo.cleanup)

    def child(self, name, code):
        """Run ``code`` in a Python child registered as ``name``."""
        with open(self.state.console_file(name), 'wb') as console:
            process = subprocess.Popen([sys.executable, '-c', code],
                                       stdout=console,
                                       stderr=subprocess.STDOUT)
        self.demo.processes[name] = process
        return process

    def test_cleanup_terminates_then_kills(self):
        ready = os.path.join(self.state.path, 'ready')
        polite = self.child('nova-api', 'import time; time.sleep(60)')
        stubborn = self.child(
            'nova-compute',
            'import signal, time\n'
            'signal.signal(signal.SIGTERM, signal.SIG_IGN)\n'
            'open(%r, "w").close()\n'
            'time.sleep(60)' % ready)
        self.demo.wait_until('nova-compute',
                             lambda: os.path.exists(ready), 'get ready')
        self.demo.cleanup()
        self.assertEqual(-signal.SIGTERM, polite.returncode)
        self.assertEqual(-signal.SIGKILL, stubborn.returncode)

    def test_wait_until_returns_the_condition(self):
        self.child('nova-compute', 'import time; time.sleep(60)')
        self.assertEqual('found', self.demo.wait_until(
            'nova-compute', lambda: 'found', 'register'))

    def test_wait_until_the_child_exits(self):
        self.child('nova-compute', 'print("ERROR: bad host")\n'
                                   'raise SystemExit(2)')
        error = self.assertRaises(
            demo.DemoFailure, self.demo.wait_until,
            'nova-compute', lambda: False, 'register')
        self.assertEqual('nova-compute exited 2 before register: '
                         'ERROR: bad host', str(error))

    def test_wait_until_times_out(self):
        self.child('nova-api', 'import time; time.sleep(60)')
        error = self.assertRaises(
            demo.DemoFailure, self.demo.wait_until,
            'nova-api', lambda: False, 'start listening')
        self.assertIn('nova-api did not start listening within 1 s',
                      str(error))

    def test_stop_expects_exit_code_0(self):
        self.child('nova-api',
                   'import signal, sys, time\n'
                   'signal.signal(signal.SIGTERM, lambda *a: sys.exit(3))\n'
                   'print("up", flush=True)\n'
                   'time.sleep(60)')
        self.demo.wait_until('nova-api', lambda: self.demo.console(
            'nova-api'), 'print')
        error = self.assertRaises(demo.DemoFailure,
                                  self.demo.stop, 'nova-api')
        self.assertEqual('nova-api exited 3 on SIGTERM: up', str(error))


class TestReport(test.TestCase):

    USES_DB = False

    def setUp(self):
        super().setUp()
        self.state = demo_state.StateDir(
            self.useFixture(fixtures.TempDir()).path)
        self.out = io.StringIO()
        self.demo = lifecycle_demo.LifecycleDemo(
            self.state, 'compute1', REASON, timeout=1, out=self.out)

    def write(self, envelopes):
        # NOTE: the API's own record, then the compute's, as emitted.
        for number, envelope in enumerate(envelopes):
            envelope['timestamp'] = '2026-11-22 01:00:0%d' % number
            program = ('nova-compute' if envelope['event_type'] ==
                       'service.create' and number else 'nova-api')
            with open(self.state.notifications_file(program), 'a') as f:
                f.write(json.dumps(envelope) + '\n')

    def test_ok(self):
        self.write(_expected_run())
        self.assertEqual(0, self.demo.report(SERVICE_UUID))
        output = self.out.getvalue()
        self.assertIn('--- 1/6 service.create from nova-api:compute1 (INFO), '
                      'published by nova-api ---', output)
        self.assertIn('--- 2/6 service.create from nova-compute:compute1 '
                      '(INFO), published by nova-compute ---', output)
        self.assertIn('OK: the nova-compute service %s emitted' %
                      SERVICE_UUID, output)
        self.assertIn('Also emitted: service.create of nova-osapi_compute '
                      '%s, from nova-api:compute1.' % API_SERVICE_UUID,
                      output)

    def test_failed(self):
        envelopes = _expected_run()
        del envelopes[4]
        self.write(envelopes)
        self.assertEqual(1, self.demo.report(SERVICE_UUID))
        self.assertIn('FAILED: the nova-compute service %s: service.create, '
                      'service.update, service.update, service.delete'
                      % SERVICE_UUID, self.out.getvalue())


class TestArguments(test.TestCase):

    USES_DB = False

    def test_state_path_must_be_new_or_empty(self):
        path = self.useFixture(fixtures.TempDir()).path
        self.assertEqual(path, lifecycle_demo.build_parser().parse_args(
            ['--state-path', path]).state_path)
        open(os.path.join(path, 'nova.sqlite'), 'w').close()
        stderr = self.useFixture(fixtures.MonkeyPatch(
            'sys.stderr', io.StringIO())).new_value
        error = self.assertRaises(
            SystemExit, lifecycle_demo.build_parser().parse_args,
            ['--state-path', path])
        self.assertEqual(2, error.code)
        self.assertIn('must be a new or empty directory', stderr.getvalue())

    def test_timeout_must_be_positive(self):
        error = self.assertRaises(
            SystemExit, lifecycle_demo.build_parser().parse_args,
            ['--timeout', '0'])
        self.assertEqual(2, error.code)
