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

"""nova-notifications: its parser, what it prints, when it stops.

The listening itself is tested against a real broker in
nova/tests/functional/bus/test_cmd_notifications.py.
"""

import io
import json
import types

import fixtures
from oslo_config import cfg
from oslo_config import fixture as config_fixture
import testtools

from nova.cmd import notifications as cmd
from nova.notifications import consumer
from nova.notifications.delivery import envelope as wire
from nova.tests.unit.notifications import test_consumer as consumer_tests

UUID = 'fa69c544-906b-4a6a-a9c6-c1f7a8078c73'
UUID1, UUID2 = consumer_tests.UUID1, consumer_tests.UUID2


def envelope(event_type='service.update', message_id='m1', disabled=True):
    return wire.from_listener(
        'info', 'nova-compute:host1', event_type,
        {'nova_object.name': 'ServiceStatusPayload',
         'nova_object.namespace': 'nova', 'nova_object.version': '1.1',
         'nova_object.data': {'uuid': UUID, 'host': 'host1',
                              'binary': 'nova-compute', 'disabled': disabled,
                              'disabled_reason': None, 'forced_down': False,
                              'report_count': 1}},
        {'message_id': message_id,
         'timestamp': '2026-01-01 00:00:01.000000'})


def options(**kwargs):
    values = dict(transport_url=None, format=None, event_type=[],
                  publisher=[], services=False, seed_from_api=None,
                  token=None, max_messages=None, timeout=None, pool=None)
    values.update(kwargs)
    return types.SimpleNamespace(**values)


class Terminal(io.StringIO):
    def isatty(self):
        return True


class TestParser(testtools.TestCase):

    def parse(self, *argv):
        conf = cfg.ConfigOpts()
        conf.register_cli_opt(cmd.command_opt)
        conf(['listen'] + list(argv), default_config_files=[])
        return conf.command

    def test_defaults(self):
        command = self.parse()
        self.assertIsNone(command.listen_format)
        self.assertEqual([], command.listen_event_type)
        self.assertIsNone(command.listen_max_messages)
        self.assertFalse(command.listen_services)

    def test_repeatable_filters(self):
        command = self.parse('--event-type', 'a.*', '--event-type', 'b',
                             '--publisher', 'nova-*', '--max-messages', '3',
                             '--timeout', '1.5', '--services')
        self.assertEqual(['a.*', 'b'], command.listen_event_type)
        self.assertEqual(['nova-*'], command.listen_publisher)
        self.assertEqual(3, command.listen_max_messages)
        self.assertEqual(1.5, command.listen_timeout)
        self.assertTrue(command.listen_services)

    def test_bad_numbers_are_usage_errors(self):
        self.useFixture(fixtures.MonkeyPatch('sys.stderr', io.StringIO()))
        for argv in (['--max-messages', '0'], ['--max-messages', 'x'],
                     ['--timeout', '0'], ['--timeout', '-1'],
                     ['--format', 'xml']):
            error = self.assertRaises(SystemExit, self.parse, *argv)
            self.assertEqual(2, error.code)


class TestPrinter(testtools.TestCase):

    def test_json_lines(self):
        out = io.StringIO()
        printer = cmd.Printer(options(), out)
        self.assertTrue(printer.handle(envelope()))
        self.assertEqual(envelope(), json.loads(out.getvalue()))

    def test_filtered_out(self):
        out = io.StringIO()
        printer = cmd.Printer(options(event_type=['service.create']), out)
        self.assertFalse(printer.handle(envelope()))
        self.assertEqual('', out.getvalue())

    def test_table_has_one_header(self):
        out = io.StringIO()
        printer = cmd.Printer(options(format='table'), out)
        printer.handle(envelope(message_id='m1'))
        printer.handle(envelope(message_id='m2'))
        header, first, second = out.getvalue().splitlines()
        self.assertTrue(header.startswith('timestamp'))
        self.assertIn(UUID, first)
        self.assertIn(UUID, second)

    def test_services_piped_is_one_json_line_per_event(self):
        out = io.StringIO()
        printer = cmd.Printer(options(services=True), out)
        printer.handle(envelope(message_id='m1'))
        printer.handle(envelope(message_id='m1'))
        printer.handle(envelope(event_type='compute.instance.create'))
        first, second = [json.loads(line)
                         for line in out.getvalue().splitlines()]
        self.assertEqual(('added', 'duplicate'),
                         (first['outcome'], second['outcome']))
        self.assertEqual(('m1', UUID, 'disabled'),
                         (first['message_id'], first['service']['uuid'],
                          first['service']['status']))
        self.assertIsNone(second['service'])

    def test_services_table_piped_is_one_line_per_event(self):
        out = io.StringIO()
        printer = cmd.Printer(options(services=True, format='table'), out)
        printer.handle(envelope(message_id='m1'))
        printer.handle(envelope(message_id='m2', disabled=True))
        printer.close()
        first, second = out.getvalue().splitlines()
        self.assertIn('message_id=m1: added uuid=%s' % UUID, first)
        self.assertIn('message_id=m2: updated', second)
        self.assertIn('status=disabled', second)
        self.assertNotIn(cmd._CLEAR_SCREEN, out.getvalue())

    def test_services_on_a_terminal_default_to_the_table(self):
        printer = cmd.Printer(options(services=True), Terminal())
        self.assertEqual('table', printer.format)
        self.assertEqual('json', cmd.Printer(options(), Terminal()).format)

    def test_terminal_table_is_redrawn_at_a_bounded_rate(self):
        out = Terminal()
        now = [100.0]
        printer = cmd.Printer(options(services=True), out,
                              clock=lambda: now[0])
        self.addCleanup(printer.close)
        printer.handle(envelope(message_id='m1'))
        self.assertEqual(1, out.getvalue().count(cmd._CLEAR_SCREEN))
        # NOTE: a burst within the interval is not drawn at once ...
        for index in range(2, 50):
            printer.handle(envelope(message_id='m%d' % index,
                                    disabled=bool(index % 2)))
        self.assertEqual(1, out.getvalue().count(cmd._CLEAR_SCREEN))
        # ... but the state it left is drawn, here at the end.
        printer.close()
        text = out.getvalue()
        self.assertEqual(2, text.count(cmd._CLEAR_SCREEN))
        self.assertIn('message_id=m49: updated', text.rsplit(
            cmd._CLEAR_SCREEN, 1)[1])
        now[0] += printer.REDRAW_INTERVAL
        printer.handle(envelope(message_id='m50'))
        self.assertEqual(3, out.getvalue().count(cmd._CLEAR_SCREEN))

    def test_terminal_shows_a_screenful_of_the_last_changed(self):
        out = Terminal()
        printer = cmd.Printer(options(services=True), out)
        self.addCleanup(printer.close)
        with printer._lock:
            for index in range(100):
                printer.table.apply(consumer_tests.notification(
                    host='host%d' % index,
                    uuid='00000000-0000-4000-8000-%012d' % index))
            printer._draw()
        screen = out.getvalue().rsplit(cmd._CLEAR_SCREEN, 1)[1]
        lines = screen.splitlines()
        self.assertEqual(cmd._DEFAULT_TERMINAL_LINES - 1, len(lines))
        self.assertEqual('100 live services, the 17 last changed first',
                         lines[1])
        self.assertIn('host99 ', lines[5])
        self.assertIn('host83 ', lines[-2])


class TestSeed(testtools.TestCase):

    def _listed(self, **values):
        service = {'id': UUID, 'host': 'host1', 'binary': 'nova-compute',
                   'status': 'enabled', 'state': 'up', 'zone': 'nova',
                   'disabled_reason': None, 'forced_down': False,
                   'updated_at': '2026-01-01T00:00:00.500000'}
        service.update(values)
        return service

    def test_seed_then_events_piped(self):
        out = io.StringIO()
        printer = cmd.Printer(options(services=True), out)
        printer.seed([self._listed(), {'id': 7, 'host': 'h'}])
        # NOTE: envelope() is timestamped 00:00:01, after the listing.
        printer.handle(envelope(message_id='m1', disabled=True))
        seeded, updated = [json.loads(line)
                           for line in out.getvalue().splitlines()]
        self.assertEqual(('seed', 'added', 'enabled'),
                         (seeded['event_type'], seeded['outcome'],
                          seeded['service']['status']))
        self.assertEqual(('updated', 'disabled'),
                         (updated['outcome'], updated['service']['status']))

    def test_a_listing_older_than_the_events_is_stale(self):
        out = io.StringIO()
        printer = cmd.Printer(options(services=True, format='table'), out)
        printer.handle(envelope(message_id='m1', disabled=True))
        printer.seed([self._listed()])
        printer.seed([self._listed(updated_at='2026-01-01T00:00:02.000000',
                                   status='enabled')])
        lines = out.getvalue().splitlines()
        self.assertIn('seed: stale uuid=%s' % UUID, lines[1])
        self.assertIn('seed: updated uuid=%s' % UUID, lines[2])
        self.assertEqual('enabled', printer.table.state_of(UUID).status)

    def test_a_deleted_service_is_not_brought_back(self):
        printer = cmd.Printer(options(services=True), io.StringIO())
        printer.handle(envelope(event_type='service.delete'))
        printer.seed([self._listed()])
        self.assertIsNone(printer.table.state_of(UUID))

    def test_events_older_than_the_listing_are_stale(self):
        printer = cmd.Printer(options(services=True), io.StringIO())
        printer.seed([self._listed(updated_at='2026-01-01T00:00:05.000000')])
        self.assertEqual(
            'stale', printer.table.apply(envelope(message_id='m9')))

    def test_needs_services_and_an_http_url(self):
        self.useFixture(fixtures.MonkeyPatch('sys.stderr', io.StringIO()))
        self.assertEqual(2, cmd.listen(options(
            seed_from_api='http://127.0.0.1:1/v2.1')))
        self.assertEqual(2, cmd.listen(options(
            services=True, seed_from_api='ftp://127.0.0.1/v2.1')))

    def test_read_services_names_the_failure_not_the_token(self):
        error = self.assertRaises(
            cmd.SeedError, cmd.read_services, 'http://127.0.0.1:1/v2.1',
            'secret-token', timeout=5)
        self.assertIn('cannot read http://127.0.0.1:1/v2.1/os-services',
                      str(error))
        self.assertNotIn('secret-token', str(error))


class TestRendering(testtools.TestCase):

    def test_json_line_keeps_the_envelope(self):
        message = consumer_tests.notification()
        line = cmd.json_line(message)
        self.assertNotIn('\n', line)
        self.assertEqual(message, json.loads(line))
        self.assertEqual(list(message), list(json.loads(line)))

    def test_event_table_row(self):
        row = cmd.event_table_row(consumer_tests.notification(disabled=True))
        self.assertEqual(
            ['2026-01-01', '00:00:01.000000', 'service.update',
             'nova-compute:host1', UUID1, 'host1', 'nova-compute',
             'disabled', 'False'], row.split())
        self.assertEqual(['timestamp', 'event_type', 'publisher_id', 'uuid',
                          'host', 'binary', 'status', 'forced_down'],
                         cmd.event_table_header().split())
        self.assertEqual(['-'] * 8, cmd.event_table_row({}).split())

    def test_services_table(self):
        table = consumer.ServiceTable()
        table.apply(consumer_tests.notification(host='host2', uuid=UUID2,
                                                second=1))
        table.apply(consumer_tests.notification(
            host='host1', disabled=True, reason='maintenance', second=2))
        text = cmd.services_table(table.services())
        lines = [line for line in text.splitlines()
                 if UUID1 in line or UUID2 in line]
        self.assertIn(UUID1, lines[0])
        self.assertIn('maintenance', lines[0])
        self.assertIn(UUID2, lines[1])
        self.assertIn('last_event', text)


class TestReceiver(testtools.TestCase):

    def test_done_after_max_messages(self):
        run = cmd.Receiver(cmd.Printer(options(), io.StringIO()), 2)
        run.receive(envelope(message_id='m1'))
        self.assertFalse(run.done.is_set())
        run.receive(envelope(message_id='m2'))
        self.assertTrue(run.done.is_set())
        # NOTE: False leaves the message on the queue for others.
        self.assertIs(False, run.receive(envelope(message_id='m3')))
        self.assertEqual(2, run.count)

    def test_filtered_out_do_not_count(self):
        printer = cmd.Printer(options(publisher=['nova-api:*']),
                              io.StringIO())
        run = cmd.Receiver(printer, 1)
        run.receive(envelope())
        self.assertEqual(0, run.count)
        self.assertFalse(run.done.is_set())

    def test_broken_pipe_ends_the_run(self):
        class Closed(io.StringIO):
            def write(self, text):
                raise BrokenPipeError()
        run = cmd.Receiver(cmd.Printer(options(), Closed()), None)
        run.receive(envelope())
        self.assertTrue(run.done.is_set())
        self.assertIsInstance(run.error, BrokenPipeError)


class Flushes(io.StringIO):
    """Counts its flushes."""

    flushes = 0

    def flush(self):
        self.flushes += 1


class TestReceiverOfBatches(testtools.TestCase):

    @staticmethod
    def _batch(*ids):
        return [envelope(message_id=message_id) for message_id in ids]

    def test_a_batch_is_printed_then_flushed_once(self):
        out = Flushes()
        run = cmd.Receiver(cmd.Printer(options(), out), None)
        self.assertIsNone(run.receive_batch(self._batch('m1', 'm2', 'm3')))
        self.assertEqual(['m1', 'm2', 'm3'],
                         [json.loads(line)['message_id']
                          for line in out.getvalue().splitlines()])
        self.assertEqual(1, out.flushes)
        self.assertEqual(3, run.count)

    def test_batches_never_hold_more_than_is_left(self):
        run = cmd.Receiver(cmd.Printer(options(), io.StringIO()), 250)
        self.assertEqual(100, run.batch_size())
        run.receive_batch(self._batch(*['m%d' % i for i in range(100)]))
        run.receive_batch(self._batch(*['n%d' % i for i in range(90)]))
        self.assertEqual(60, run.batch_size())
        self.assertEqual(100, cmd.Receiver(None, None).batch_size())

    def test_a_batch_of_more_than_is_left_goes_back_whole(self):
        run = cmd.Receiver(cmd.Printer(options(), io.StringIO()), 2)
        self.assertIs(False, run.receive_batch(self._batch('m1', 'm2', 'm3')))
        self.assertEqual(0, run.count)
        # NOTE: the listener comes back with batches of what is left.
        self.assertTrue(run.attention.is_set())
        self.assertFalse(run.done.is_set())
        self.assertEqual(2, run.batch_size())
        self.assertIsNone(run.receive_batch(self._batch('m1', 'm2')))
        self.assertTrue(run.done.is_set())

    def test_once_done_a_batch_goes_back(self):
        run = cmd.Receiver(cmd.Printer(options(), io.StringIO()), None)
        run.stop()
        self.assertIs(False, run.receive_batch(self._batch('m1')))
        self.assertEqual(0, run.count)

    def test_broken_pipe_sends_the_batch_back(self):
        class Closed(io.StringIO):
            def flush(self):
                raise BrokenPipeError()
        run = cmd.Receiver(cmd.Printer(options(), Closed()), None)
        self.assertIs(False, run.receive_batch(self._batch('m1', 'm2')))
        self.assertTrue(run.done.is_set())
        self.assertIsInstance(run.error, BrokenPipeError)


class TestListenRefusesGarbledURLs(testtools.TestCase):
    """The reproducer of a leak: a password with %2F in its URL."""

    def test_no_part_of_the_password_is_printed(self):
        stderr = self.useFixture(fixtures.StringStream('stderr')).stream
        self.useFixture(fixtures.MonkeyPatch('sys.stderr', stderr))
        conf = self.useFixture(config_fixture.Config(cmd.CONF))
        conf.conf([], project='nova', default_config_files=[])
        url = 'rabbit://nova:Secret1%2FSecret2@127.0.0.1:5999/'
        self.assertEqual(cmd.USAGE_ERROR,
                         cmd.listen(options(transport_url=url, timeout=3)))
        stderr.seek(0)
        lines = stderr.read().splitlines()
        self.assertEqual(1, len(lines), lines)
        self.assertTrue(lines[0].startswith('ERROR: Invalid notification '
                                            'transport URL'), lines)
        self.assertNotIn('Secret1', lines[0])
        self.assertNotIn('Secret2', lines[0])
