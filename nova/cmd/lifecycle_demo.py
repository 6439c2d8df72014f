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
    gunicorn --bind 127.0.0.1:0 nova.wsgi.osapi_compute:application &
                         (the compute API; registers nova-osapi_compute)
    nova-compute &                             -> service.create
    GET    /v2.1/os-services?binary=nova-compute   (until it is listed)
    PUT    /v2.1/os-services/UUID  {"status": "disabled",
                                    "disabled_reason": R} -> service.update
    PUT    /v2.1/os-services/UUID  {"forced_down": true}  -> service.update
    PUT    /v2.1/os-services/UUID  {"status": "enabled"}  -> service.update
    kill -TERM <nova-compute>                     (heartbeats: nothing)
    DELETE /v2.1/os-services/UUID                 -> service.delete
    GET    /v2.1/os-services?binary=nova-compute   (it is gone)
    kill -TERM <gunicorn>

The requests go over HTTP to the compute API, as user ``admin`` of the
``noauth2`` strategy, at microversion 2.53; the demo prints each one with
the response status and JSON body.

oslo.messaging's ``log`` notification driver (set in the demo's
``nova.conf``) logs the JSON envelope of every notification on the logger
``oslo.messaging.notification``;
the logging configuration of each process sends that logger, message only,
to its own ``notifications-<program>.jsonl``. The demo prints those
envelopes merged in timestamp order, as a consumer receives them, then
checks that the compute service's were the expected five, each showing the
state its step left the service in. It exits 0 if so, 1 otherwise (or if a
step fails), 2 on bad usage.
"""

import argparse
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from nova.demo import api as demo_api
from nova.demo import DemoFailure
from nova.demo import expectations
from nova.demo import state as demo_state

SERVICES_PATH = '/v2.1/os-services'

# NOTE: what gunicorn logs once it listens.
_LISTENING = re.compile(r'Listening at: (http://\S+)')

COMMAND_TIMEOUT = 60
STOP_TIMEOUT = 15
POLL_INTERVAL = 0.05


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

    def start(self, program, *args, command=None, env=None):
        """Start ``program`` in the background, its output to a file.

        ``command`` (with ``env``) runs instead of the console script.
        """
        with open(self.state.console_file(program), 'wb') as console:
            process = subprocess.Popen(
                command or self.state.command(program, *args), env=env,
                stdout=console, stderr=subprocess.STDOUT)
        self.processes[program] = process
        shown = (['gunicorn'] + command[3:] if command
                 else (program,) + args)
        self.say('$ %s &    # pid %d' % (shlex.join(shown), process.pid))
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
        """Start the compute API under gunicorn on a free port.

        Returns its URL once it listens; requests wait in the socket's
        backlog until its worker is ready.
        """
        self.start('nova-api', command=[
            sys.executable, '-m', 'gunicorn', '--bind', '127.0.0.1:0',
            '--workers', '1', '--threads', '4',
            'nova.wsgi.osapi_compute:application'],
            env=self.state.api_environment())

        def listening():
            match = _LISTENING.search(self.console('nova-api'))
            return match and match.group(1)
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
        return '%s?binary=%s' % (SERVICES_PATH, expectations.COMPUTE_BINARY)

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
        response = self.wait_until(expectations.COMPUTE_BINARY, listed,
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
        output = self.wait_until(expectations.COMPUTE_BINARY, reported,
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
        self.api = demo_api.ApiClient(self.start_api())
        self.say('    (nova-api registered its own service record, binary '
                 'nova-osapi_compute: emits service.create)')
        self.start(expectations.COMPUTE_BINARY)
        self.say()
        self.say('Every request below goes to %s with the headers'
                 % self.api.url)
        for name, value, why in demo_api.API_HEADERS:
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
        self.stop(expectations.COMPUTE_BINARY)
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
        files = sorted({demo_state.NOTIFICATIONS_FILE % program
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
        about = expectations.about_service(envelopes, service_uuid)
        events = ', '.join(str(envelope.get('event_type'))
                           for envelope in about)
        problems = expectations.check_notifications(envelopes, service_uuid,
                                                    self.reason)
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
        about = expectations.about_service(envelopes, service_uuid)
        for envelope in envelopes:
            if envelope not in about:
                self.say('    Also emitted: %s of %s %s, from %s.' % (
                    envelope['event_type'],
                    expectations.payload_data(envelope).get('binary'),
                    expectations.payload_data(envelope).get('uuid'),
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
    state = demo_state.StateDir(path)
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
