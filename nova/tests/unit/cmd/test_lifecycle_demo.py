"""nova-lifecycle-demo's verdict on the notifications, and its arguments."""

import configparser
import copy
import os

import fixtures

from nova.cmd import lifecycle_demo
from nova import test

SERVICE_UUID = '2ce7fbce-cc58-429e-ac59-365d1f9f36e8'
REASON = 'maintenance window'


def _envelope(event_type, **state):
    data = dict(uuid=SERVICE_UUID, host='compute1', binary='nova-compute',
                disabled=False, disabled_reason=None, forced_down=False)
    data.update(state)
    return {
        'message_id': '12c0cdb9-842e-41b7-93e7-8031e53e6544',
        'publisher_id': 'nova-compute:compute1',
        'event_type': event_type,
        'priority': 'INFO',
        'payload': {'nova_object.name': 'ServiceStatusPayload',
                    'nova_object.namespace': 'nova',
                    'nova_object.version': '1.1',
                    'nova_object.data': data},
        'timestamp': '2026-11-22 01:25:43.806648',
    }


def _expected_run():
    return [
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
        return lifecycle_demo.check_notifications(envelopes, SERVICE_UUID,
                                                  REASON)

    def test_expected_run(self):
        self.assertEqual([], self.check(_expected_run()))

    def test_missing_event(self):
        envelopes = _expected_run()
        del envelopes[2]
        problem, = self.check(envelopes)
        self.assertIn('emitted service.create, service.update, '
                      'service.update, service.delete', problem)

    def test_extra_event(self):
        envelopes = _expected_run()
        envelopes.insert(1, copy.deepcopy(envelopes[1]))
        self.assertEqual(1, len(self.check(envelopes)))

    def test_not_an_envelope(self):
        envelopes = _expected_run()
        envelopes[1]['context'] = {}
        problem, = self.check(envelopes)
        self.assertIn('notification 2 has keys', problem)

    def test_wrong_state(self):
        envelopes = _expected_run()
        envelopes[2]['payload']['nova_object.data']['forced_down'] = False
        problem, = self.check(envelopes)
        self.assertIn('notification 3 shows', problem)

    def test_other_service(self):
        envelopes = _expected_run()
        envelopes[4]['payload']['nova_object.data']['uuid'] = 'other'
        problem, = self.check(envelopes)
        self.assertIn('notification 5 is about service other', problem)


class TestStateDir(test.TestCase):

    USES_DB = False

    def setUp(self):
        super().setUp()
        self.path = self.useFixture(fixtures.TempDir()).path
        self.state = lifecycle_demo.StateDir(self.path)

    def test_config(self):
        self.state.write_config('compute1', report_interval=2)
        config = configparser.ConfigParser(interpolation=None)
        config.read(self.state.config_file)
        self.assertEqual('compute1', config['DEFAULT']['host'])
        self.assertEqual('2', config['DEFAULT']['report_interval'])
        self.assertEqual('log',
                         config['oslo_messaging_notifications']['driver'])

    def test_logging_config_per_program(self):
        path = self.state.log_config('nova-manage')
        self.assertEqual(os.path.join(self.path, 'logging-nova-manage.conf'),
                         path)
        config = configparser.ConfigParser(interpolation=None)
        config.read(path)
        self.assertEqual('oslo.messaging.notification',
                         config['logger_notifications']['qualname'])
        self.assertEqual('0', config['logger_notifications']['propagate'])
        self.assertEqual('%(message)s',
                         config['formatter_message']['format'])
        self.assertIn(repr(self.state.log_file('nova-manage')),
                      config['handler_logfile']['args'])

    def test_command(self):
        argv = self.state.command('nova-manage', 'db', 'sync')
        self.assertEqual(['--config-file', self.state.config_file,
                          '--log-config-append',
                          self.state.log_config('nova-manage'),
                          'db', 'sync'], argv[-6:])

    def test_read_notifications(self):
        self.assertEqual([], self.state.read_notifications())
        with open(self.state.notifications_file, 'w') as jsonl:
            jsonl.write('{"event_type": "service.create"}\n{"event_t')
        self.assertEqual([{'event_type': 'service.create'}],
                         self.state.read_notifications())
        with open(self.state.notifications_file, 'w') as jsonl:
            jsonl.write('{"event_type": "service.create"}\n\nnot json\n')
        error = self.assertRaises(lifecycle_demo.DemoFailure,
                                  self.state.read_notifications)
        self.assertIn('line 3 of notifications.jsonl is not JSON',
                      str(error))


class TestArguments(test.TestCase):

    USES_DB = False

    def test_state_path_must_be_new_or_empty(self):
        path = self.useFixture(fixtures.TempDir()).path
        self.assertEqual(path, lifecycle_demo.build_parser().parse_args(
            ['--state-path', path]).state_path)
        open(os.path.join(path, 'nova.sqlite'), 'w').close()
        error = self.assertRaises(
            SystemExit, lifecycle_demo.build_parser().parse_args,
            ['--state-path', path])
        self.assertEqual(2, error.code)

    def test_timeout_must_be_positive(self):
        error = self.assertRaises(
            SystemExit, lifecycle_demo.build_parser().parse_args,
            ['--timeout', '0'])
        self.assertEqual(2, error.code)
