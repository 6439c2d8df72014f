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

"""nova-notifications: watch nova's versioned notifications on the bus.

::

    nova-notifications [--config-file PATH] listen
        [--transport-url URL] [--format json|table]
        [--event-type GLOB ...] [--publisher GLOB ...]
        [--services [--seed-from-api URL [--token TOKEN]]]
        [--max-messages N] [--timeout SECONDS] [--pool NAME]

``listen`` subscribes to the notification transport (``--transport-url``,
else ``[oslo_messaging_notifications] transport_url``, else ``[DEFAULT]
transport_url``, whose default ``rabbit://`` is guest on localhost:5672) on
the control exchange (``nova``) and the ``[notifications]
versioned_notifications_topics``, and prints every versioned notification it
receives: one JSON object per line, the message as it travelled (the
default), or one line of a readable table (``--format table``).
``--event-type`` and ``--publisher`` keep only the notifications whose
``event_type`` / ``publisher_id`` match one of the glob patterns given.

``--services`` keeps a table of the live services built from the
``service.*`` notifications alone (see ``nova.notifications.consumer`` for
how duplicates, unknown services, late messages and deletes are handled).
On a terminal it shows the count of live services and the last changed
ones that fit the screen, redrawn in place at most twice a second;
piped, it writes one line per service notification: with ``--format json``
(the default when piped) a JSON object with the event, what it did to the
table (``outcome``) and the service it added, updated or removed; with
``--format table`` a readable line saying the same. Each line costs the
same whatever the number of services. It reads the queue in batches of up
to 100 messages, a third cheaper per message than one at a time (the
service notifications are all of priority INFO, whose order a batch keeps).

``--seed-from-api URL`` (with ``--services``) starts the table from the
compute API's ``GET /os-services`` at ``URL`` (the endpoint, such as
``http://controller:8774/v2.1``), read once the listener is listening, so
that services which existed before it started are in the table at once;
the notifications that follow are merged as ``nova.notifications.consumer``
describes. ``--token`` (default: the ``OS_TOKEN`` environment variable) is
the token sent, a Keystone token or, with ``noauth2``, ``admin:admin``. Each
listed service is written as a line with ``event_type`` ``seed``.

``--max-messages N`` exits after N notifications passed the filters, and
takes no more than that from the queue: the others stay for other consumers
(with ``--services``, a batch of more than are left goes back whole and
smaller batches follow). ``--timeout S`` exits after S seconds. Without
``--pool`` the listener shares the topics' default queues with the other
consumers (each message goes to one of them); ``--pool NAME`` reads a
queue of its own that gets a copy of every notification (and stays on the
broker afterwards).

It waits for the bus to answer, for ever unless ``--timeout`` is given.
Once listening (and seeded), one line on stderr says where. Exit codes: 0
done (or interrupted); 1 the timeout expired before N notifications
arrived, the bus could not be reached in time, or the API could not be
read for the seed; 2 bad usage or an unusable transport URL.
"""

import json
import os
import signal
import sys
import threading
import time
import types
import urllib.parse

from oslo_config import cfg
from oslo_log import log as logging
import prettytable

from nova.api import client as compute_client
from nova.cmd import common
import nova.conf
from nova import config
from nova import exception
from nova.notifications import consumer
from nova.notifications import listener as bus_listener
from nova import rpc

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

SUCCESS = common.SUCCESS
FAILURE = common.FAILURE
USAGE_ERROR = common.USAGE_ERROR

_CLEAR_SCREEN = '\033[H\033[2J'

# NOTE: oslo.config keeps the sub-command's arguments beside the options;
# prefixed, they cannot collide with one (such as transport_url).
_DEST_PREFIX = 'listen_'
_LISTEN_ARGUMENTS = ('transport_url', 'format', 'event_type', 'publisher',
                     'services', 'seed_from_api', 'token', 'max_messages',
                     'timeout', 'pool')

# NOTE: the microversion whose listing has service uuids.
_SEED_MICROVERSION = '2.53'
_SEED_TIMEOUT = 60
# NOTE: --services reads in batches of this many (the listener's prefetch):
# the table cares for service notifications only, all of priority INFO, so
# oslo.messaging's grouping of a batch by priority cannot reorder them.
_BATCH = bus_listener.PREFETCH


def _positive_int(text):
    value = int(text)
    if value < 1:
        raise ValueError(text)
    return value


def _positive_float(text):
    value = float(text)
    if not value > 0:
        raise ValueError(text)
    return value


def add_command_parsers(subparsers):
    parser = subparsers.add_parser(
        'listen', help='print the versioned notifications on the bus',
        description='Print the versioned notifications received from the '
                    'message bus.')

    def argument(name, **kwargs):
        parser.add_argument('--' + name.replace('_', '-'),
                            dest=_DEST_PREFIX + name, **kwargs)

    argument('transport_url', metavar='URL',
             help='the bus to listen to (default: '
                  '[oslo_messaging_notifications] transport_url, then '
                  '[DEFAULT] transport_url)')
    argument('format', choices=('json', 'table'),
             help='JSON lines or a readable table (default: JSON lines; '
                  'with --services, the table on a terminal)')
    argument('event_type', metavar='GLOB', action='append', default=[],
             help='only notifications whose event_type matches '
                  '(repeatable)')
    argument('publisher', metavar='GLOB', action='append', default=[],
             help='only notifications whose publisher_id matches '
                  '(repeatable)')
    argument('services', action='store_true',
             help='keep and print a table of the services instead')
    argument('seed_from_api', metavar='URL',
             help='with --services: start the table from GET /os-services '
                  'of the compute API at URL (its endpoint, such as '
                  'http://controller:8774/v2.1)')
    argument('token', metavar='TOKEN',
             help='the token for --seed-from-api (default: $OS_TOKEN)')
    argument('max_messages', metavar='N', type=_positive_int,
             help='exit after N notifications passed the filters')
    argument('timeout', metavar='SECONDS', type=_positive_float,
             help='exit after SECONDS (exit code 1 if --max-messages was '
                  'not reached)')
    argument('pool', metavar='NAME',
             help='read a queue of this name, which gets a copy of every '
                  'notification, instead of the shared default queues')


command_opt = cfg.SubCommandOpt('command', title='Commands',
                                help='Available commands',
                                handler=add_command_parsers)


# The readable forms of what arrives and of the table.

def json_line(envelope):
    """One notification as one line of JSON, keys in the envelope order."""
    return json.dumps(envelope)


EVENT_COLUMNS = (('timestamp', 26), ('event_type', 16), ('publisher_id', 24),
                 ('uuid', 36), ('host', 12), ('binary', 14), ('status', 8),
                 ('forced_down', 11))


def _event_values(envelope):
    payload = envelope.get('payload')
    data = payload.get('nova_object.data') if isinstance(payload,
                                                         dict) else None
    data = data if isinstance(data, dict) else {}
    status = None
    if 'disabled' in data:
        status = 'disabled' if data['disabled'] else 'enabled'
    return {'timestamp': envelope.get('timestamp'),
            'event_type': envelope.get('event_type'),
            'publisher_id': envelope.get('publisher_id'),
            'uuid': data.get('uuid'), 'host': data.get('host'),
            'binary': data.get('binary'), 'status': status,
            'forced_down': data.get('forced_down')}


def _cell(value):
    return '-' if value is None else str(value)


def event_table_header():
    """The header line of the readable event table."""
    return '  '.join(name.ljust(width) for name, width in EVENT_COLUMNS)


def event_table_row(envelope):
    """One notification as one line of the readable event table."""
    values = _event_values(envelope)
    return '  '.join(_cell(values[name]).ljust(width)
                     for name, width in EVENT_COLUMNS).rstrip()


def service_line(state):
    """One service as a short readable line: key=value of its columns."""
    values = state.as_dict()
    return ' '.join('%s=%s' % (column, _cell(values[column]))
                    for column in consumer.SERVICE_COLUMNS
                    if column not in ('last_event', 'last_timestamp'))


def services_table(states):
    """The services ``states`` as a readable table, in that order."""
    pretty = prettytable.PrettyTable(consumer.SERVICE_COLUMNS)
    pretty.align = 'l'
    for state in states:
        values = state.as_dict()
        pretty.add_row([_cell(values[column])
                        for column in consumer.SERVICE_COLUMNS])
    return pretty.get_string()


# NOTE: the lines a terminal's table needs besides its rows: the last
# event, the caption, the table's top, header, rule and bottom, and the
# line the cursor ends on.
_TABLE_FRAME_LINES = 7
_DEFAULT_TERMINAL_LINES = 24


class Printer(object):
    """Write what the options ask for, for each notification, to ``out``.

    ``handle`` is called from the listener's thread; it returns whether the
    notification passed the filters. ``close`` writes what is still due.
    """

    # NOTE: the least time between two redraws of a terminal's table; a
    # burst of changes is drawn once, then the state it left.
    REDRAW_INTERVAL = 0.5

    def __init__(self, args, out, clock=time.monotonic):
        self.args = args
        self.out = out
        self.table = consumer.ServiceTable() if args.services else None
        terminal = out.isatty()
        self.format = args.format or (
            'table' if self.table is not None and terminal else 'json')
        self._header_written = False
        self._redraw = (self.table is not None and self.format == 'table'
                        and terminal)
        self._clock = clock
        self._lock = threading.RLock()
        self._drawn_at = None
        self._due = None
        self._timer = None
        self._last_line = ''

    def handle(self, envelope, flush=True):
        """Print ``envelope``, or apply it to the table; False if filtered."""
        if not consumer.matches(envelope, self.args.event_type,
                                self.args.publisher):
            return False
        with self._lock:
            if self.table is None:
                self._write_event(envelope)
            else:
                self._apply(envelope)
            if flush:
                self.out.flush()
        return True

    def flush(self):
        with self._lock:
            self.out.flush()

    def close(self):
        """Draw the table one last time if a change was not drawn yet."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            if self._due is not None:
                self._draw()
                self.out.flush()

    def _write_event(self, envelope):
        if self.format == 'json':
            self.out.write(json_line(envelope) + '\n')
            return
        if not self._header_written:
            self.out.write(event_table_header() + '\n')
            self._header_written = True
        self.out.write(event_table_row(envelope) + '\n')

    def _apply(self, envelope):
        outcome, state = self.table.apply_event(envelope)
        if outcome == consumer.IGNORED:
            return
        line = '%s %s message_id=%s: %s' % (
            envelope.get('timestamp'), envelope.get('event_type'),
            envelope.get('message_id'), outcome)
        if self._redraw:
            self._last_line = line
            if outcome in consumer.CHANGED or self._drawn_at is None:
                self._redraw_soon()
            return
        if self.format == 'json':
            self.out.write(json.dumps({
                'event_type': envelope.get('event_type'),
                'message_id': envelope.get('message_id'),
                'timestamp': envelope.get('timestamp'),
                'outcome': outcome,
                'service': state.as_dict() if state is not None else None,
            }) + '\n')
            return
        if state is not None:
            line += ' ' + service_line(state)
        self.out.write(line + '\n')

    def seed(self, services):
        """Start the table from the services the API listed."""
        with self._lock:
            for service in services:
                outcome = self.table.seed(service)
                if outcome == consumer.IGNORED:
                    continue
                if self._redraw:
                    self._last_line = 'seed: %s' % outcome
                    self._redraw_soon()
                elif self.format == 'json':
                    state = (self.table.state_of(service['id'])
                             if outcome in consumer.CHANGED else None)
                    self.out.write(json.dumps({
                        'event_type': 'seed', 'message_id': None,
                        'timestamp': service.get('updated_at'),
                        'outcome': outcome,
                        'service': state.as_dict() if state else None,
                    }) + '\n')
                else:
                    self.out.write('%s seed: %s uuid=%s host=%s binary=%s\n'
                                   % (service.get('updated_at'), outcome,
                                      service.get('id'), service.get('host'),
                                      service.get('binary')))
            self.out.flush()

    def _redraw_soon(self):
        now = self._clock()
        if self._drawn_at is None or (
                now - self._drawn_at >= self.REDRAW_INTERVAL):
            self._draw()
            return
        self._due = True
        if self._timer is None:
            self._timer = threading.Timer(
                self.REDRAW_INTERVAL - (now - self._drawn_at),
                self._draw_when_due)
            self._timer.daemon = True
            self._timer.start()

    def _draw_when_due(self):
        with self._lock:
            self._timer = None
            if self._due is not None:
                try:
                    self._draw()
                    self.out.flush()
                except (BrokenPipeError, ValueError):
                    pass

    def _terminal_lines(self):
        try:
            return os.get_terminal_size(self.out.fileno()).lines
        except (OSError, ValueError):
            return _DEFAULT_TERMINAL_LINES

    def _draw(self):
        # NOTE: a screenful, not the whole table: drawing 10,000 rows twice
        # a second cost more than receiving the notifications.
        self._due = None
        self._drawn_at = self._clock()
        shown = self.table.recently_changed(
            max(self._terminal_lines() - _TABLE_FRAME_LINES, 1))
        caption = ('%d live services, the %d last changed first'
                   % (len(self.table), len(shown)))
        self.out.write(_CLEAR_SCREEN + self._last_line + '\n' + caption +
                       '\n' + services_table(shown) + '\n')


class Receiver(object):
    """Count what was printed and say when to stop.

    ``done`` is set once it should stop; ``attention`` whenever ``done`` is
    set or the listener should come back with batches of
    ``batch_size()``.
    """

    def __init__(self, printer, max_messages):
        self.printer = printer
        self.max_messages = max_messages
        self.count = 0
        self.done = threading.Event()
        self.attention = threading.Event()
        self.error = None
        self._lock = threading.Lock()

    def stop(self):
        self.done.set()
        self.attention.set()

    def batch_size(self):
        """How many messages a batch may hold: never more than are left."""
        with self._lock:
            if self.max_messages:
                return max(1, min(_BATCH, self.max_messages - self.count))
            return _BATCH

    def receive(self, envelope):
        """Print ``envelope``; return False once done, to leave it queued."""
        with self._lock:
            return self._print(envelope)

    def receive_batch(self, envelopes):
        """Print ``envelopes``; return False to leave all of them queued.

        That is once done, or when there are more than are left to print:
        then the listener comes back with smaller batches.
        """
        with self._lock:
            if (self.max_messages and
                    len(envelopes) > self.max_messages - self.count):
                self.attention.set()
                return False
            for envelope in envelopes:
                if self._print(envelope, flush=False) is False:
                    return False
            try:
                self.printer.flush()
            except (BrokenPipeError, ValueError) as error:
                return self._reader_gone(error)

    def _print(self, envelope, flush=True):
        if self.done.is_set():
            return False
        try:
            if self.printer.handle(envelope, flush=flush):
                self.count += 1
        except (BrokenPipeError, ValueError) as error:
            return self._reader_gone(error)
        if self.max_messages and self.count >= self.max_messages:
            self.stop()

    def _reader_gone(self, error):
        # NOTE: the reader went away (| head): nothing left to do.
        self.error = error
        self.stop()
        return False


def _start(url, pool, callback, deadline, batch_size=None):
    """Start the listener, waiting at most until ``deadline`` if set.

    oslo.messaging retries connecting for ever; a deadline makes the wait
    bounded. Returns (listener, transport), or None when time ran out.
    """
    started = {}

    def start():
        try:
            started['listener'] = bus_listener.start_listener(
                CONF, callback, url=url, pool=pool, batch_size=batch_size)
        except Exception as error:
            started['error'] = error

    thread = threading.Thread(target=start, name='listener-start',
                              daemon=True)
    thread.start()
    thread.join(None if deadline is None
                else max(0.0, deadline - time.monotonic()))
    if 'error' in started:
        raise started['error']
    return started.get('listener')


# NOTE: the notifier drivers that put notifications on the message bus.
_BUS_DRIVERS = frozenset(['messaging', 'messagingv2'])


class SeedError(Exception):
    """The compute API's listing could not be read."""


def read_services(url, token, timeout=_SEED_TIMEOUT):
    """Return the services ``GET <url>/os-services`` lists at 2.53.

    :raises SeedError: naming the URL and what went wrong; never the token.
    """
    where = '%s/os-services' % url.rstrip('/')
    try:
        response = compute_client.ComputeClient(
            url, token=token or '', microversion=_SEED_MICROVERSION,
            timeout=timeout).request('GET', '/os-services')
    except (OSError, ValueError) as error:
        raise SeedError('cannot read %s: %s' % (where, error))
    if response.status != 200:
        raise SeedError('GET %s answered %s %s'
                        % (where, response.status, response.reason))
    try:
        body = response.json
    except ValueError:
        body = None
    services = body.get('services') if isinstance(body, dict) else None
    if not isinstance(services, list):
        raise SeedError('%s did not list services' % where)
    return [service for service in services if isinstance(service, dict)]


def _cannot_listen(url, error):
    print('ERROR: cannot listen on %s: %s'
          % (rpc.redacted_url(CONF, url),
             rpc.redact(str(error), rpc.url_passwords(CONF, url))),
          file=sys.stderr)


def listen(args):
    """Run ``listen``; return the exit code."""
    if args.seed_from_api and not args.services:
        print('ERROR: --seed-from-api needs --services', file=sys.stderr)
        return USAGE_ERROR
    if args.seed_from_api and urllib.parse.urlsplit(
            args.seed_from_api).scheme not in ('http', 'https'):
        print('ERROR: --seed-from-api takes the http(s) URL of the compute '
              'endpoint, such as http://controller:8774/v2.1',
              file=sys.stderr)
        return USAGE_ERROR
    url = bus_listener.transport_url(CONF, args.transport_url)
    drivers = set(CONF.oslo_messaging_notifications.driver)
    if not args.transport_url and not drivers & _BUS_DRIVERS:
        # NOTE: the embedded default writes notifications to the log only;
        # listening to the bus it would use then shows nothing.
        print('WARNING: with this configuration nova sends no notification '
              'to a message bus ([oslo_messaging_notifications] driver = '
              '%s); set driver = messagingv2 and a transport_url for the '
              'nova services.' % (', '.join(sorted(drivers)) or 'none'),
              file=sys.stderr)
    try:
        rpc.check_transport_url(CONF, url)
    except exception.InvalidNotificationTransport as error:
        print('ERROR: %s' % error.format_message(), file=sys.stderr)
        return USAGE_ERROR
    deadline = (time.monotonic() + args.timeout
                if args.timeout is not None else None)
    run = Receiver(Printer(args, sys.stdout), args.max_messages)
    # NOTE: printing each notification as sent keeps them one at a time;
    # a batch would be regrouped by priority.
    batched = args.services

    def start():
        if batched:
            return _start(url, args.pool, run.receive_batch, deadline,
                          batch_size=run.batch_size())
        return _start(url, args.pool, run.receive, deadline)

    try:
        started = start()
    except Exception as error:
        _cannot_listen(url, error)
        return USAGE_ERROR
    if started is None:
        print('ERROR: could not reach the message bus at %s within %.1fs'
              % (rpc.redacted_url(CONF, url), args.timeout),
              file=sys.stderr)
        return FAILURE
    if args.seed_from_api:
        # NOTE: read once the listener listens, so that no change falls
        # between the listing and the first notification.
        try:
            services = read_services(args.seed_from_api,
                                     args.token or os.environ.get('OS_TOKEN'))
        except SeedError as error:
            run.stop()
            bus_listener.stop_listener(*started)
            print('ERROR: %s' % error, file=sys.stderr)
            return FAILURE
        run.printer.seed(services)
    print('Listening on %s, exchange %s, topics %s, queue %s' % (
        rpc.redacted_url(CONF, url), CONF.control_exchange,
        ', '.join(CONF.notifications.versioned_notifications_topics),
        args.pool or 'shared'), file=sys.stderr, flush=True)
    signal.signal(signal.SIGTERM, lambda signum, frame: run.stop())
    finished = failed = False
    try:
        while started is not None:
            finished = run.attention.wait(
                None if deadline is None
                else max(0.0, deadline - time.monotonic()))
            if not finished or run.done.is_set():
                break
            # NOTE: a batch held more than was left to print and went back
            # to the queue; smaller batches take just what is left.
            run.attention.clear()
            bus_listener.stop_listener(*started)
            try:
                started = start()
            except Exception as error:
                started = None
                _cannot_listen(url, error)
                failed = True
            finished = started is not None
    except KeyboardInterrupt:
        finished = True
    finally:
        run.stop()
        if started is not None:
            bus_listener.stop_listener(*started)
        if run.error is None:
            run.printer.close()
    if isinstance(run.error, BrokenPipeError):
        # NOTE: as the Python documentation advises, so that the final
        # flush of stdout does not fail too.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    if failed:
        return FAILURE
    if not finished and args.max_messages:
        print('ERROR: %d of %d notifications received within %.1fs'
              % (run.count, args.max_messages, args.timeout),
              file=sys.stderr)
        return FAILURE
    return SUCCESS


def main(argv=None):
    """Entry point of nova-notifications."""
    argv = sys.argv if argv is None else argv
    CONF.register_cli_opt(command_opt)
    logging.register_options(CONF)
    # NOTE: stdout carries the notifications only.
    CONF.set_default('use_stderr', True)
    try:
        config.parse_args(argv, configure_db=False, init_rpc=False)
    except (cfg.Error, logging.LogConfigError) as error:
        print('ERROR: %s' % error, file=sys.stderr)
        return USAGE_ERROR
    return listen(types.SimpleNamespace(**{
        name: getattr(CONF.command, _DEST_PREFIX + name)
        for name in _LISTEN_ARGUMENTS}))


if __name__ == '__main__':
    sys.exit(main())
