"""nova-lifecycle-demo: a service's lifecycle and the notifications it emits.

On the embedded default (SQLite, no message broker), in a fresh state
directory, real processes do what an operator would do::

    nova-manage db sync
    nova-compute &                              -> service.create
    nova-manage service disable UUID --reason R -> service.update
    nova-manage service force-down UUID         -> service.update
    nova-manage service enable UUID             -> service.update
    kill -TERM <nova-compute>                      (heartbeats: nothing)
    nova-manage service delete UUID             -> service.delete

oslo.messaging's ``log`` notification driver (nova's default) logs the JSON
envelope of every notification on the logger ``oslo.messaging.notification``;
the logging configuration of each process sends that logger, message only,
to ``notifications.jsonl``. The demo prints those envelopes as a consumer
receives them, then checks that the expected five were emitted: it exits 0
if so, 1 otherwise (or if a step fails), 2 on bad usage.
"""

import argparse
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from nova.cmd import common

EXPECTED_EVENTS = ('service.create', 'service.update', 'service.update',
                   'service.update', 'service.delete')
# NOTE: what oslo.messaging's Notifier hands to every driver, and what its
# log driver dumps as JSON: the message a consumer receives.
ENVELOPE_KEYS = ('message_id', 'publisher_id', 'event_type', 'priority',
                 'payload', 'timestamp')

COMMAND_TIMEOUT = 60
STOP_TIMEOUT = 15

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
# oslo.messaging.notification.<event_type>: one line per notification.
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
    ``<program>.log`` and appends notifications to ``notifications.jsonl``.
    """

    def __init__(self, path):
        self.path = os.path.abspath(path)
        self.config_file = os.path.join(self.path, 'nova.conf')
        self.notifications_file = os.path.join(self.path,
                                               'notifications.jsonl')

    def write_config(self, host, report_interval=1):
        """Write nova.conf for the services and commands of the demo."""
        with open(self.config_file, 'w') as config:
            config.write(_NOVA_CONF.format(state_path=self.path, host=host,
                                           report_interval=report_interval))

    def log_file(self, program):
        return os.path.join(self.path, '%s.log' % program)

    def log_config(self, program):
        """Return the logging configuration of ``program``, written once."""
        path = os.path.join(self.path, 'logging-%s.conf' % program)
        if not os.path.exists(path):
            with open(path, 'w') as config:
                config.write(_LOGGING_CONF.format(
                    program=program,
                    log_file=_file_config_path(self.log_file(program)),
                    notifications_file=_file_config_path(
                        self.notifications_file)))
        return path

    def command(self, program, *args):
        """Return the argv running console script ``program`` here."""
        return (common.console_script(program) +
                ['--config-file', self.config_file,
                 '--log-config-append', self.log_config(program)] +
                list(args))

    def read_notifications(self):
        """Return the lines of notifications.jsonl, parsed; [] if none.

        A last line without its newline is still being written: it is left
        for the next read.

        :raises DemoFailure: if a line is not JSON.
        """
        try:
            with open(self.notifications_file) as lines:
                return [_parse_line(number, line)
                        for number, line in enumerate(lines, 1)
                        if line.endswith('\n') and line.strip()]
        except FileNotFoundError:
            return []


def _parse_line(number, line):
    try:
        return json.loads(line)
    except ValueError as error:
        raise DemoFailure('line %d of notifications.jsonl is not JSON (%s): '
                          '%s' % (number, error, line.strip()))


def check_notifications(envelopes, service_uuid, reason):
    """Return the problems with the emitted notifications ([] if none).

    They must be exactly the expected events, each an oslo.messaging
    envelope about the demo's service, each payload showing the state the
    step left the service in.
    """
    events = [envelope.get('event_type') for envelope in envelopes
              if isinstance(envelope, dict)]
    if tuple(events) != EXPECTED_EVENTS or len(events) != len(envelopes):
        return ['expected %s; emitted %s' % (
            ', '.join(EXPECTED_EVENTS), ', '.join(map(str, events)))]
    expected_states = (
        dict(disabled=False, disabled_reason=None, forced_down=False),
        dict(disabled=True, disabled_reason=reason, forced_down=False),
        dict(disabled=True, disabled_reason=reason, forced_down=True),
        dict(disabled=False, disabled_reason=None, forced_down=True),
        dict(disabled=False, disabled_reason=None, forced_down=True),
    )
    problems = []
    for number, (envelope, state) in enumerate(
            zip(envelopes, expected_states), 1):
        if sorted(envelope) != sorted(ENVELOPE_KEYS):
            problems.append('notification %d has keys %s, not the envelope '
                            '%s' % (number, sorted(envelope),
                                    list(ENVELOPE_KEYS)))
            continue
        payload = envelope['payload']
        data = payload.get('nova_object.data', {})
        if payload.get('nova_object.name') != 'ServiceStatusPayload':
            problems.append('notification %d has no ServiceStatusPayload'
                            % number)
        elif data.get('uuid') != service_uuid:
            problems.append('notification %d is about service %s, not %s'
                            % (number, data.get('uuid'), service_uuid))
        else:
            actual = {field: data.get(field) for field in state}
            if actual != state:
                problems.append('notification %d shows %s, expected %s'
                                % (number, actual, state))
    return problems


class LifecycleDemo(object):
    """Run the demo's steps as real processes, printing a transcript."""

    def __init__(self, state, host, reason, timeout, out=None):
        self.state = state
        self.host = host
        self.reason = reason
        self.timeout = timeout
        self.out = out or sys.stdout
        self.compute = None

    def say(self, text=''):
        print(text, file=self.out, flush=True)

    def manage(self, *args):
        """Run nova-manage; return its stdout or raise DemoFailure."""
        # NOTE: the configuration arguments, the same for every command,
        # are explained once at the start rather than shown each time.
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

    def start_compute(self):
        """Start nova-compute; return its service uuid once registered."""
        console_path = os.path.join(self.state.path, 'nova-compute.out')
        with open(console_path, 'wb') as console:
            self.compute = subprocess.Popen(
                self.state.command('nova-compute'), stdout=console,
                stderr=subprocess.STDOUT)
        self.say('$ nova-compute &    # pid %d' % self.compute.pid)
        self._wait_for_create()
        self.say('nova-compute has registered its service record.')
        listing = self.manage('service', 'list', '--host', self.host,
                              '--binary', 'nova-compute', '--format', 'json')
        self.say(listing.rstrip())
        services = json.loads(listing)
        if len(services) != 1:
            raise DemoFailure('expected one nova-compute service on %s, '
                              'found %d' % (self.host, len(services)))
        return services[0]['uuid']

    def _wait_for_create(self):
        deadline = time.monotonic() + self.timeout
        while not any(envelope.get('event_type') == 'service.create'
                      for envelope in self.state.read_notifications()):
            if self.compute.poll() is not None:
                raise DemoFailure(
                    'nova-compute exited %d before registering: %s' % (
                        self.compute.returncode, self._compute_console()))
            if time.monotonic() > deadline:
                raise DemoFailure('nova-compute did not register within '
                                  '%d s; see %s' % (
                                      self.timeout,
                                      self.state.log_file('nova-compute')))
            time.sleep(0.05)

    def _compute_console(self):
        with open(os.path.join(self.state.path, 'nova-compute.out')) as f:
            return f.read().strip()

    def stop_compute(self):
        """SIGTERM nova-compute and wait for it to exit.

        :raises DemoFailure: unless it stopped in time with exit code 0.
        """
        self.say('$ kill -TERM %d    # stop nova-compute' % self.compute.pid)
        self.compute.send_signal(signal.SIGTERM)
        try:
            returncode = self.compute.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise DemoFailure('nova-compute did not stop within %d s of '
                              'SIGTERM' % STOP_TIMEOUT)
        if returncode != 0:
            raise DemoFailure('nova-compute exited %d on SIGTERM: %s' % (
                returncode, self._compute_console()))

    def cleanup(self):
        """Make sure no nova-compute is left running; never raises."""
        if self.compute is None or self.compute.poll() is not None:
            return
        self.compute.terminate()
        try:
            self.compute.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.compute.kill()
            self.compute.wait()

    def run(self):
        """Run every step; return the uuid of the service."""
        self.say('State directory: %s' % self.state.path)
        self.say('  nova.conf               SQLite database nova.sqlite, '
                 'notification driver "log"')
        self.say('  logging-<program>.conf  logs to <program>.log, '
                 'notifications to notifications.jsonl')
        self.say('Every command runs with --config-file nova.conf '
                 '--log-config-append logging-<program>.conf.')
        self.say()
        self.say(self.manage('db', 'sync').rstrip())
        service_uuid = self.start_compute()
        for action in (('disable', service_uuid, '--reason', self.reason),
                       ('force-down', service_uuid),
                       ('enable', service_uuid)):
            self.say(self.manage('service', *action).rstrip())
        self.stop_compute()
        self.say(self.manage('service', 'show', service_uuid).rstrip())
        self.say(self.manage('service', 'delete', service_uuid).rstrip())
        return service_uuid

    def report(self, service_uuid):
        """Print the notifications and the verdict; return the exit code."""
        envelopes = self.state.read_notifications()
        self.say()
        self.say('Versioned notifications emitted, as a consumer receives '
                 'them (%s):' % self.state.notifications_file)
        for number, envelope in enumerate(envelopes, 1):
            self.say()
            self.say('--- %d/%d %s from %s (%s) ---' % (
                number, len(envelopes), envelope.get('event_type'),
                envelope.get('publisher_id'), envelope.get('priority')))
            self.say(json.dumps(envelope, indent=4))
        self.say()
        events = ', '.join(str(envelope.get('event_type'))
                           for envelope in envelopes)
        problems = check_notifications(envelopes, service_uuid, self.reason)
        if problems:
            self.say('FAILED: %d notifications: %s' % (
                len(envelopes), events))
            for problem in problems:
                self.say('  - %s' % problem)
            return 1
        self.say('OK: %d notifications, as expected: %s' % (
            len(envelopes), events))
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
        description='Create, disable, force down, enable and delete a nova '
                    'service with real nova-compute and nova-manage '
                    'processes on SQLite, and print the versioned '
                    'notifications they emitted as a consumer receives '
                    'them.')
    parser.add_argument('--state-path', type=_state_path, metavar='DIR',
                        help='a new or empty directory to keep the '
                             'configuration, database, logs and '
                             'notifications.jsonl in (default: a temporary '
                             'directory, removed after a successful run)')
    parser.add_argument('--host', default='compute1',
                        help='the host nova-compute runs as '
                             '(default: %(default)s)')
    parser.add_argument('--reason', default='maintenance window',
                        help='the reason given to disable the service '
                             '(default: %(default)s)')
    parser.add_argument('--timeout', type=_positive, default=30,
                        metavar='SECONDS',
                        help='how long to wait for nova-compute to register '
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
        demo.say('Configuration, logs and notifications.jsonl are in %s'
                 % path)
    return exit_code


if __name__ == '__main__':
    sys.exit(main())
