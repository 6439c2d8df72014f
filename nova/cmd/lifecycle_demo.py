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

"""nova-lifecycle-demo: a service's lifecycle, driven through the API.

On the embedded default (SQLite, no message broker), in a fresh state
directory, real processes do what an operator would do::

    nova-manage db sync
    nova-api --api-auth_strategy noauth2 --osapi_compute_listen_port 0 &
                                               (registers nova-osapi_compute)
    nova-compute &                             -> service.create
    GET    /v2.1/os-services?binary=nova-compute   (until it is listed)
    PUT    /v2.1/os-services/UUID  {"status": "disabled",
                                    "disabled_reason": R} -> service.update
    PUT    /v2.1/os-services/UUID  {"forced_down": true}  -> service.update
    PUT    /v2.1/os-services/UUID  {"status": "enabled"}  -> service.update
    kill -TERM <nova-compute>                     (heartbeats: nothing)
    DELETE /v2.1/os-services/UUID                 -> service.delete
    GET    /v2.1/os-services?binary=nova-compute   (it is gone)
    kill -TERM <nova-api>

The requests go over HTTP to nova-api, as user ``admin`` of the ``noauth2``
strategy, at microversion 2.53; the demo prints each one with the response
status and JSON body.

oslo.messaging's ``log`` notification driver (nova's default) logs the JSON
envelope of every notification on the logger ``oslo.messaging.notification``;
the logging configuration of each process sends that logger, message only,
to its own ``notifications-<program>.jsonl``. The demo prints those
envelopes merged in timestamp order, as a consumer receives them, then
checks that the compute service's were the expected five, each showing the
state its step left the service in. It exits 0 if so, 1 otherwise (or if a
step fails), 2 on bad usage.
"""

import argparse
import datetime
import glob
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from nova.api import client as compute_client
from nova.cmd import api as api_cmd
from nova.cmd import common

EXPECTED_EVENTS = ('service.create', 'service.update', 'service.update',
                   'service.update', 'service.delete')
# NOTE: what oslo.messaging's Notifier hands to every driver, and what its
# log driver dumps as JSON: the message a consumer receives.
ENVELOPE_KEYS = ('message_id', 'publisher_id', 'event_type', 'priority',
                 'payload', 'timestamp')

COMPUTE_BINARY = 'nova-compute'
# NOTE: the headers of every request, and why, as the transcript shows.
API_HEADERS = (
    ('X-Auth-Token', 'admin:admin',
     'noauth2 trusts it: user admin, an administrator'),
    ('OpenStack-API-Version', 'compute 2.53',
     'microversion 2.53: services are named by uuid'),
)
SERVICES_PATH = '/v2.1/os-services'

COMMAND_TIMEOUT = 60
REQUEST_TIMEOUT = 30
STOP_TIMEOUT = 15
POLL_INTERVAL = 0.05

_NOTIFICATIONS_FILE = 'notifications-%s.jsonl'

_NOVA_CONF = """\
# Written by nova-lifecycle-demo: nova's embedded default in one directory.
[DEFAULT]
state_path = {state_path}
host = {host}
report_interval = {report_interval}

[database]
# The default connection: an SQLite file under state_path.
connection = sqlite:///$state_path/nova.sqlite

[notifications]
notification_format = versioned

[oslo_messaging_notifications]
# The default driver: every notification is logged as its JSON envelope.
driver = log
"""

_LOGGING_CONF = """\
# Written by nova-lifecycle-demo: the logging of {program}.
[loggers]
keys = root, notifications, sqlalchemy

[handlers]
keys = logfile, notifications

[formatters]
keys = plain, message

[logger_root]
level = INFO
handlers = logfile

# oslo.messaging's log driver logs each notification's JSON envelope on
# oslo.messaging.notification.<event_type>: one line per notification, in
# a file of this program's own (two processes appending to one file could
# interleave their lines).
[logger_notifications]
qualname = oslo.messaging.notification
level = INFO
handlers = notifications
propagate = 0

[logger_sqlalchemy]
qualname = sqlalchemy
level = WARNING
handlers =

[handler_logfile]
class = FileHandler
args = ({log_file}, 'a')
formatter = plain

[handler_notifications]
class = FileHandler
args = ({notifications_file}, 'a')
formatter = message

[formatter_plain]
format = %(asctime)s %(process)d %(levelname)s %(name)s %(message)s

[formatter_message]
format = %(message)s
"""


class DemoFailure(Exception):
    """A step of the demo failed; the message says which and why."""


def _file_config_path(path):
    # NOTE: fileConfig evaluates args as Python and interpolates '%'.
    return repr(path).replace('%', '%%')


class StateDir(object):
    """The demo's state directory: configuration, database, logs.

    Each program runs with ``--config-file nova.conf`` and its own
    ``--log-config-append logging-<program>.conf``, which logs to
    ``<program>.log`` and appends notifications to
    ``notifications-<program>.jsonl``.
    """

    def __init__(self, path):
        self.path = os.path.abspath(path)
        self.config_file = os.path.join(self.path, 'nova.conf')

    def write_config(self, host, report_interval=1):
        """Write nova.conf for the services and commands of the demo."""
        with open(self.config_file, 'w') as config:
            config.write(_NOVA_CONF.format(state_path=self.path, host=host,
                                           report_interval=report_interval))

    def log_file(self, program):
        return os.path.join(self.path, '%s.log' % program)

    def console_file(self, program):
        """Where the standard output and error of ``program`` go."""
        return os.path.join(self.path, '%s.out' % program)

    def notifications_file(self, program):
        return os.path.join(self.path, _NOTIFICATIONS_FILE % program)

    def log_config(self, program):
        """Return the logging configuration of ``program``, written once."""
        path = os.path.join(self.path, 'logging-%s.conf' % program)
        if not os.path.exists(path):
            with open(path, 'w') as config:
                config.write(_LOGGING_CONF.format(
                    program=program,
                    log_file=_file_config_path(self.log_file(program)),
                    notifications_file=_file_config_path(
                        self.notifications_file(program))))
        return path

    def command(self, program, *args):
        """Return the argv running console script ``program`` here."""
        return (common.console_script(program) +
                ['--config-file', self.config_file,
                 '--log-config-append', self.log_config(program)] +
                list(args))

    def read_emitted(self):
        """Return (program, envelope) for every notification written.

        The files of all programs are merged in the order of the
        envelopes' timestamps; notifications of one program stay in the
        order it wrote them. A last line without its newline is still being
        written: it is left for the next read.

        :raises DemoFailure: if a line is not JSON.
        """
        emitted = []
        pattern = os.path.join(glob.escape(self.path),
                               _NOTIFICATIONS_FILE % '*')
        for path in sorted(glob.glob(pattern)):
            name = os.path.basename(path)
            program = name[len('notifications-'):-len('.jsonl')]
            with open(path) as lines:
                emitted.extend((program, _parse_line(name, number, line))
                               for number, line in enumerate(lines, 1)
                               if line.endswith('\n') and line.strip())
        emitted.sort(key=lambda item: _emitted_at(item[1]))
        return emitted

    def read_notifications(self):
        """Return the envelopes of every notification written, in order."""
        return [envelope for _program, envelope in self.read_emitted()]


def _parse_line(name, number, line):
    try:
        return json.loads(line)
    except ValueError as error:
        raise DemoFailure('line %d of %s is not JSON (%s): %s'
                          % (number, name, error, line.strip()))


def _emitted_at(envelope):
    """The envelope's timestamp; one without a valid one sorts last."""
    try:
        return datetime.datetime.fromisoformat(envelope['timestamp'])
    except (TypeError, KeyError, ValueError):
        return datetime.datetime.max


def _payload_data(envelope):
    payload = envelope.get('payload')
    data = payload.get('nova_object.data') if isinstance(payload,
                                                         dict) else None
    return data if isinstance(data, dict) else {}


def about_service(envelopes, service_uuid):
    """Return the envelopes whose payload is about service ``uuid``."""
    return [envelope for envelope in envelopes
            if isinstance(envelope, dict) and
            _payload_data(envelope).get('uuid') == service_uuid]


def check_notifications(envelopes, service_uuid, reason):
    """Return the problems with the emitted notifications ([] if none).

    Every notification must be an oslo.messaging envelope. Those about the
    demo's compute service must be exactly the expected events, published
    as ``nova-compute:<host>`` whichever process emitted them, each payload
    showing the state the step left the service in. Others (nova-api's own
    service record) are allowed.
    """
    problems = []
    for number, envelope in enumerate(envelopes, 1):
        if not isinstance(envelope, dict) or (sorted(envelope) !=
                                              sorted(ENVELOPE_KEYS)):
            problems.append('notification %d is not an envelope with the '
                            'keys %s: %s' % (number, list(ENVELOPE_KEYS),
                                             json.dumps(envelope)))
    if problems:
        return problems
    about = about_service(envelopes, service_uuid)
    events = tuple(envelope['event_type'] for envelope in about)
    if events != EXPECTED_EVENTS:
        return ['expected %s about service %s; emitted %s' % (
            ', '.join(EXPECTED_EVENTS), service_uuid,
            ', '.join(map(str, events)) or 'none')]
    expected_states = (
        dict(disabled=False, disabled_reason=None, forced_down=False),
        dict(disabled=True, disabled_reason=reason, forced_down=False),
        dict(disabled=True, disabled_reason=reason, forced_down=True),
        dict(disabled=False, disabled_reason=None, forced_down=True),
        dict(disabled=False, disabled_reason=None, forced_down=True),
    )
    for (number, envelope), state in zip(enumerate(about, 1),
                                         expected_states):
        data = _payload_data(envelope)
        publisher = '%s:%s' % (COMPUTE_BINARY, data.get('host'))
        actual = {field: data.get(field) for field in state}
        if envelope['payload'].get('nova_object.name') != (
                'ServiceStatusPayload'):
            problems.append('%s (%d of the service) has no '
                            'ServiceStatusPayload'
                            % (envelope['event_type'], number))
        elif envelope['publisher_id'] != publisher:
            problems.append('%s (%d of the service) is published by %s, '
                            'not %s' % (envelope['event_type'], number,
                                        envelope['publisher_id'], publisher))
        elif actual != state:
            problems.append('%s (%d of the service) shows %s, expected %s'
                            % (envelope['event_type'], number, actual,
                               state))
    return problems


class ApiResponse(object):
    """The status, reason phrase and JSON document (or None) of a reply."""

    def __init__(self, status, reason, document):
        self.status = status
        self.reason = reason
        self.document = document


class ApiClient(object):
    """The compute API as the demo uses it: the noauth2 admin at 2.53.

    A request that gets no response, or a body that is not JSON, is a
    DemoFailure.
    """

    def __init__(self, url):
        self.url = url
        self._client = compute_client.ComputeClient(
            url, token=API_HEADERS[0][1],
            microversion=API_HEADERS[1][1].split()[1],
            timeout=REQUEST_TIMEOUT)

    def request(self, method, path, body=None):
        """Send one request; return its ApiResponse, whatever the status.

        :raises DemoFailure: if no HTTP response came, or its body is not
            JSON.
        """
        try:
            response = self._client.request(method, path, body=body)
        except OSError as error:
            raise DemoFailure('%s %s got no response from nova-api: %s'
                              % (method, path, error))
        try:
            document = response.json
        except ValueError:
            raise DemoFailure('%s %s answered %d with a body that is not '
                              'JSON: %r' % (method, path, response.status,
                                            response.body[:200]))
        return ApiResponse(response.status, response.reason, document)


class LifecycleDemo(object):
    """Run the demo's steps with real processes, printing a transcript."""

    def __init__(self, state, host, reason, timeout, out=None):
        self.state = state
        self.host = host
        self.reason = reason
        self.timeout = timeout
        self.out = out or sys.stdout
        self.processes = {}
        self.api = None

    def say(self, text=''):
        print(text, file=self.out, flush=True)

    def manage(self, *args, echo=True):
        """Run nova-manage; return its stdout or raise DemoFailure."""
        # NOTE: the configuration arguments, the same for every command,
        # are explained once at the start rather than shown each time.
        if echo:
            self.say('$ ' + shlex.join(('nova-manage',) + args))
        try:
            result = subprocess.run(self.state.command('nova-manage', *args),
                                    capture_output=True, text=True,
                                    timeout=COMMAND_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise DemoFailure('nova-manage %s did not finish within %d s'
                              % (' '.join(args), COMMAND_TIMEOUT))
        if result.returncode != 0:
            raise DemoFailure('nova-manage %s exited %d: %s' % (
                ' '.join(args), result.returncode, result.stderr.strip()))
        return result.stdout

    def start(self, program, *args):
        """Start ``program`` in the background, its output to a file."""
        with open(self.state.console_file(program), 'wb') as console:
            process = subprocess.Popen(
                self.state.command(program, *args), stdout=console,
                stderr=subprocess.STDOUT)
        self.processes[program] = process
        self.say('$ %s &    # pid %d' % (shlex.join((program,) + args),
                                         process.pid))
        return process

    def console(self, program):
        """What ``program`` printed so far."""
        with open(self.state.console_file(program)) as console:
            return console.read()

    def wait_until(self, program, condition, what):
        """Poll ``condition`` until it returns a true value; return that.

        :raises DemoFailure: if ``program`` exits first, or ``timeout``
            seconds pass.
        """
        deadline = time.monotonic() + self.timeout
        while True:
            found = condition()
            if found:
                return found
            process = self.processes[program]
            if process.poll() is not None:
                raise DemoFailure('%s exited %d before %s: %s' % (
                    program, process.returncode, what,
                    self.console(program).strip()))
            if time.monotonic() > deadline:
                raise DemoFailure('%s did not %s within %d s; see %s' % (
                    program, what, self.timeout,
                    self.state.log_file(program)))
            time.sleep(POLL_INTERVAL)

    def start_api(self):
        """Start nova-api on a free port; return its URL once it serves."""
        self.start('nova-api', '--api-auth_strategy', 'noauth2',
                   '--osapi_compute_listen_port', '0')

        def listening():
            return api_cmd.listening_url(self.console('nova-api'))
        url = self.wait_until('nova-api', listening, 'start listening')
        self.say('nova-api listening on %s' % url)
        return url

    def call(self, method, path, body=None, expected_status=200):
        """Send a request to nova-api and print it with its response.

        :raises DemoFailure: if the status is not ``expected_status``.
        """
        response = self.api.request(method, path, body)
        self.print_exchange(method, path, body, response)
        if response.status != expected_status:
            raise DemoFailure('%s %s answered %d %s, expected %d' % (
                method, path, response.status, response.reason,
                expected_status))
        return response.document

    def print_exchange(self, method, path, body, response):
        self.say('> %s %s' % (method, path))
        if body is not None:
            self.say('> ' + json.dumps(body))
        self.say('< %d %s' % (response.status, response.reason))
        if response.document is not None:
            self.say(json.dumps(response.document, indent=4))

    def compute_services(self):
        return '%s?binary=%s' % (SERVICES_PATH, COMPUTE_BINARY)

    def wait_for_compute(self):
        """Poll the services listing until nova-compute is in it.

        Only the listing that shows it is printed.

        :return: the service's uuid.
        """
        path = self.compute_services()

        def listed():
            response = self.api.request('GET', path)
            if response.status != 200:
                self.print_exchange('GET', path, None, response)
                raise DemoFailure('GET %s answered %d %s' % (
                    path, response.status, response.reason))
            return response if response.document['services'] else None
        response = self.wait_until(COMPUTE_BINARY, listed,
                                   'appear in GET %s' % path)
        self.print_exchange('GET', path, None, response)
        services = response.document['services']
        if len(services) != 1 or services[0]['host'] != self.host:
            raise DemoFailure('expected one nova-compute service, on %s; '
                              'listed %s' % (self.host, services))
        return services[0]['id']

    def wait_for_heartbeat(self, service_uuid):
        """Poll ``nova-manage service show`` until report_count is > 0.

        Only the last ``show`` is printed.
        """
        show = ('service', 'show', service_uuid, '--format', 'json')

        def reported():
            output = self.manage(*show, echo=False)
            return json.loads(output)['report_count'] and output
        output = self.wait_until(COMPUTE_BINARY, reported,
                                 'report a heartbeat')
        self.say('$ ' + shlex.join(('nova-manage',) + show))
        self.say(output.rstrip())

    def stop(self, program):
        """SIGTERM ``program`` and wait for it to exit.

        :raises DemoFailure: unless it stopped in time with exit code 0.
        """
        process = self.processes[program]
        self.say('$ kill -TERM %d    # stop %s' % (process.pid, program))
        process.send_signal(signal.SIGTERM)
        try:
            returncode = process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise DemoFailure('%s did not stop within %d s of SIGTERM'
                              % (program, STOP_TIMEOUT))
        if returncode != 0:
            raise DemoFailure('%s exited %d on SIGTERM: %s' % (
                program, returncode, self.console(program).strip()))

    def cleanup(self):
        """Make sure no process of the demo is left running; never raises.

        Each gets SIGTERM and ``STOP_TIMEOUT`` seconds, then SIGKILL.
        """
        running = [process for process in self.processes.values()
                   if process.poll() is None]
        for process in running:
            process.terminate()
        for process in running:
            try:
                process.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def step(self, text):
        self.say()
        self.say('# ' + text)

    def run(self):
        """Run every step; return the uuid of the compute service."""
        self.say('State directory: %s' % self.state.path)
        self.say('  nova.conf               SQLite database nova.sqlite, '
                 'notification driver "log"')
        self.say('  logging-<program>.conf  logs to <program>.log, '
                 'notifications to notifications-<program>.jsonl')
        self.say('Every command runs with --config-file nova.conf '
                 '--log-config-append logging-<program>.conf.')
        self.say()
        self.say(self.manage('db', 'sync').rstrip())
        self.api = ApiClient(self.start_api())
        self.say('    (nova-api registered its own service record, binary '
                 'nova-osapi_compute: emits service.create)')
        self.start(COMPUTE_BINARY)
        self.say()
        self.say('Every request below goes to %s with the headers'
                 % self.api.url)
        for name, value, why in API_HEADERS:
            self.say('    %-38s %s' % ('%s: %s' % (name, value), why))
        self.say('    %-38s %s' % ('Content-Type: application/json',
                                   'on the requests with a body'))

        self.step('Wait until nova-compute has registered its service '
                  'record (emits service.create)')
        service_uuid = self.wait_for_compute()
        path = '%s/%s' % (SERVICES_PATH, service_uuid)
        for text, body in (
                ('Disable it, saying why (emits service.update)',
                 {'status': 'disabled', 'disabled_reason': self.reason}),
                ('Force it down (emits service.update)',
                 {'forced_down': True}),
                ('Enable it; it stays forced down (emits service.update)',
                 {'status': 'enabled'})):
            self.step(text)
            self.call('PUT', path, body)
        self.step('Wait for a heartbeat of nova-compute: it bumps '
                  'report_count and last_seen_up, and emits nothing')
        self.wait_for_heartbeat(service_uuid)
        self.step('Stop nova-compute')
        self.stop(COMPUTE_BINARY)
        self.step('Delete its service record (emits service.delete)')
        self.call('DELETE', path, expected_status=204)
        self.step('It is gone')
        listing = self.call('GET', self.compute_services())
        if listing['services']:
            raise DemoFailure('service %s is still listed after DELETE'
                              % service_uuid)
        self.step('Stop nova-api')
        self.stop('nova-api')
        return service_uuid

    def report(self, service_uuid):
        """Print the notifications and the verdict; return the exit code."""
        emitted = self.state.read_emitted()
        envelopes = [envelope for _program, envelope in emitted]
        files = sorted({_NOTIFICATIONS_FILE % program
                        for program, _envelope in emitted})
        self.say()
        self.say('Versioned notifications emitted, as a consumer receives '
                 'them (%s, merged in timestamp order):' % ', '.join(files))
        for number, (program, envelope) in enumerate(emitted, 1):
            self.say()
            self.say('--- %d/%d %s from %s (%s), published by %s ---' % (
                number, len(emitted), envelope.get('event_type'),
                envelope.get('publisher_id'), envelope.get('priority'),
                program))
            self.say(json.dumps(envelope, indent=4))
        self.say()
        events = ', '.join(str(envelope.get('event_type'))
                           for envelope in about_service(envelopes,
                                                         service_uuid))
        problems = check_notifications(envelopes, service_uuid, self.reason)
        if problems:
            self.say('FAILED: the nova-compute service %s: %s' % (
                service_uuid, events or 'no notifications'))
            for problem in problems:
                self.say('  - %s' % problem)
            return 1
        self.say('OK: the nova-compute service %s emitted, as expected,'
                 % service_uuid)
        self.say('    %s,' % events)
        self.say('    each payload showing the state its step left the '
                 'service in.')
        about = about_service(envelopes, service_uuid)
        for envelope in envelopes:
            if envelope not in about:
                self.say('    Also emitted: %s of %s %s, from %s.' % (
                    envelope['event_type'],
                    _payload_data(envelope).get('binary'),
                    _payload_data(envelope).get('uuid'),
                    envelope['publisher_id']))
        return 0


def _state_path(path):
    """argparse type: a new or empty directory, created if missing."""
    path = os.path.abspath(path)
    if os.path.exists(path) and (not os.path.isdir(path) or
                                 os.listdir(path)):
        raise argparse.ArgumentTypeError(
            '%s must be a new or empty directory' % path)
    return path


def _positive(value):
    number = int(value)
    if number <= 0:
        raise argparse.ArgumentTypeError('%s is not a positive number' % value)
    return number


def build_parser():
    parser = argparse.ArgumentParser(
        prog='nova-lifecycle-demo',
        description='Start nova-api and nova-compute on SQLite, then '
                    'disable, force down, enable and delete the compute '
                    'service through the os-services API over HTTP, '
                    'printing each request and response, and the '
                    'versioned notifications emitted as a consumer '
                    'receives them.')
    parser.add_argument('--state-path', type=_state_path, metavar='DIR',
                        help='a new or empty directory to keep the '
                             'configuration, database, logs and '
                             'notifications-<program>.jsonl in (default: a '
                             'temporary directory, removed after a '
                             'successful run)')
    parser.add_argument('--host', default='compute1',
                        help='the host nova-api and nova-compute run as '
                             '(default: %(default)s)')
    parser.add_argument('--reason', default='maintenance window',
                        help='the reason given to disable the service '
                             '(default: %(default)s)')
    parser.add_argument('--timeout', type=_positive, default=30,
                        metavar='SECONDS',
                        help='how long to wait for nova-api to listen and '
                             'for nova-compute to register '
                             '(default: %(default)s)')
    return parser


def main(argv=None):
    """Run the demo; return 0 if the expected notifications were emitted."""
    options = build_parser().parse_args(argv)
    temporary = options.state_path is None
    path = (tempfile.mkdtemp(prefix='nova-lifecycle-demo-') if temporary
            else options.state_path)
    os.makedirs(path, exist_ok=True)
    state = StateDir(path)
    state.write_config(options.host)
    demo = LifecycleDemo(state, options.host, options.reason,
                         options.timeout)
    try:
        exit_code = demo.report(demo.run())
    except DemoFailure as failure:
        demo.say()
        demo.say('FAILED: %s' % failure)
        exit_code = 1
    except KeyboardInterrupt:
        demo.say()
        demo.say('Interrupted.')
        exit_code = 130
    except BrokenPipeError:
        # NOTE: the reader of the output went away (| head): stop quietly,
        # and let Python's final flush of stdout go nowhere.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        exit_code = 1
    finally:
        demo.cleanup()
    if exit_code == 0 and temporary:
        shutil.rmtree(path)
        demo.say('(%s removed; use --state-path DIR to keep the files)'
                 % path)
    else:
        demo.say('Configuration, logs and notifications are in %s' % path)
    return exit_code


if __name__ == '__main__':
    sys.exit(main())
