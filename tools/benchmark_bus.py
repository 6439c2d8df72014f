#!/usr/bin/env python3
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

"""Print what the message bus costs and how fast relays deliver.

Everything runs on loopback against a private RabbitMQ broker of its own
(the bus tests' fixture), with durable queues. A real oslo.messaging
listener receives, in a process of its own (this script run with
``--receive``), noting when and in which order each notification arrives
(CLOCK_MONOTONIC, comparable between processes):

* latency: the compute API ("nova-api": gunicorn running
  ``nova.wsgi.osapi_compute:application``, SQLite, a relay per worker)
  receives ``PUT /os-services/{id}`` at a steady rate (default 100 then 200
  requests/s for 10 s) from a pool of client threads; for each request, the
  call's own duration, and the time from the call returning to the listener
  receiving its ``service.update`` (negative when the notification arrived
  first). Then the same rates with the broker stopped: the request path
  does not wait for the bus, so the call durations should look alike.
  Each run also prints the CPU time per PUT of each part (nova-api's
  processes, RabbitMQ, the listener, this load generator) while the
  requests are sent, and how many of the machine's CPUs that adds up to.
  With ``--api-workers N``, gunicorn serves with ``--workers N``
  processes, each with its relay; ``--api-threads`` sets their
  ``--threads`` (default 16, one per client thread). With
  ``--separate-relay``, nova-api runs with ``[notifications]
  relay_in_services = false`` and ``nova-notification-relay`` publishes
  from a process of its own. With ``--relay-cost``, each rate (default 50)
  runs with the relay in nova-api, then with no relay at all (the
  notifications wait in the outbox): the relay's CPU per notification is
  nova-api's CPU per PUT of the first less the second's;
* relay drain: a backlog of ``--messages`` (default 20,000) pending
  ``service.update`` rows of 1,000 services is published by one relay
  (``[notifications] relay_publishers`` connections) to the listener, order
  per service checked, next to one plain oslo.messaging ``Notifier``
  publishing the same messages from one thread; both rates are measured at
  the listener, from the start to the last arrival;
* take-over: a ``nova-notification-relay`` hung on a bus that never
  answers holds the leases of four services' notifications and is
  SIGKILLed; the same program is started again, then (a second time) a
  relay running alongside goes on alone: the time from the kill to the
  last of those notifications arriving;
* consumer: ``nova-notifications listen --services`` reads a backlog of
  ``--services`` (default 10,000) ``service.create`` then ``--updates``
  (default 40,000) ``service.update`` from the broker, printing lines to a
  pipe, then the table to a terminal (a pseudo-terminal).

Usage: tools/benchmark_bus.py [--rate R] [--duration S] [--messages N]
                              [--api-workers N] [--api-threads N]
                              [--services N] [--updates N] [--only PART]
"""

import argparse
import concurrent.futures
import json
import logging
import os
import pty
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import oslo_messaging as messaging
from oslo_utils import uuidutils

from nova.api import client as compute_client
from nova.cmd import common
import nova.conf
from nova import context as nova_context
from nova.db.main import api as db_api
from nova.db import migration
from nova.notifications import delivery
from nova.notifications.delivery import envelope
from nova.notifications.delivery import relay as relay_mod
from nova.notifications import listener as bus_listener
from nova.notifications.objects import service as service_notification
from nova import objects
from nova.tests.functional.bus import broker as bus_broker
from nova.tests.functional.bus import fixtures as bus_fixtures
from nova.tests.functional import processes
from nova.tests import local_servers

CONF = nova.conf.CONF

_START_TIMEOUT = 60


# The receiving process.

def receive(url, pool, count, timeout):
    """Print 'ready', then the arrival of each notification by key.

    The key is the payload's disabled_reason, the arrival its time and its
    rank; the output is one JSON object, printed once ``count``
    notifications arrived or after ``timeout`` seconds.
    """
    logging.basicConfig(level=logging.CRITICAL)
    CONF([], project='nova', default_config_files=[])
    CONF.set_override('amqp_durable_queues', True,
                      group='oslo_messaging_rabbit')
    arrivals = {}
    done = threading.Event()

    def arrived(envelope):
        key = envelope['payload']['nova_object.data'].get('disabled_reason')
        # NOTE: the first arrival counts; a repeat keeps its place.
        arrivals.setdefault(key, (time.monotonic(), len(arrivals)))
        if len(arrivals) >= count:
            done.set()

    listener, transport = bus_listener.start_listener(CONF, arrived, url=url,
                                                      pool=pool)
    print('ready', flush=True)
    done.wait(timeout)
    bus_listener.stop_listener(listener, transport)
    print(json.dumps(arrivals), flush=True)
    return 0


class Receiver(object):
    """This script in --receive mode, in a process of its own."""

    def __init__(self, url, count, timeout=120):
        pool = 'bench-%s' % uuidutils.generate_uuid(dashed=False)
        self.process = subprocess.Popen(
            [sys.executable, os.path.abspath(__file__), '--receive', url,
             '--pool', pool, '--messages', str(count), '--duration',
             str(timeout)],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.process.stdout.readline()
        if line.strip() != 'ready':
            self.process.kill()
            raise RuntimeError('the receiver did not start: %r' % line)

    def arrivals(self):
        """Wait for the receiver to finish; return {key: (time, rank)}."""
        output = self.process.stdout.read()
        self.process.wait()
        return json.loads(output)


_CLOCK_TICKS = os.sysconf('SC_CLK_TCK')


def _proc_stat(pid):
    """The fields of /proc/PID/stat after the command name, or None."""
    try:
        with open('/proc/%d/stat' % pid) as f:
            return f.read().rpartition(')')[2].split()
    except (OSError, ValueError):
        return None


def _cpu_seconds(pids):
    """User and system CPU seconds the processes ``pids`` used so far."""
    total = 0
    for pid in pids:
        fields = _proc_stat(pid)
        if fields:
            total += int(fields[11]) + int(fields[12])
    return total / _CLOCK_TICKS


def _with_children(pid):
    """``pid`` and its child processes (gunicorn's workers)."""
    return [pid] + processes.children_of(pid)


class CPUShares(object):
    """CPU time each part of the deployment uses between two points."""

    def __init__(self, parts):
        self.parts = parts
        self.started = {name: _cpu_seconds(pids)
                        for name, pids in parts.items()}

    def stop(self):
        self.used = {name: _cpu_seconds(pids) - self.started[name]
                     for name, pids in self.parts.items()}

    def seconds(self, name):
        return self.used[name]

    def line(self, count, elapsed):
        total = sum(self.used.values())
        return ('  CPU per PUT: %s; total %.1f ms, %.2f of %d CPUs'
                % (', '.join('%s %.1f ms' % (name, seconds * 1000 / count)
                             for name, seconds in self.used.items()),
                   total * 1000 / count, total / elapsed, os.cpu_count()))


def _percentiles(values_ms):
    ordered = sorted(values_ms)
    p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
    return statistics.median(ordered), p99, ordered[-1]


# Latency through nova-api.

class Deployment(object):
    """A state directory with its nova.conf, and nova-api when started."""

    def __init__(self, state_path, transport_url, separate_relay=False,
                 workers=1, threads=16, relay=True):
        self.config_file = os.path.join(state_path, 'nova.conf')
        self.separate_relay = separate_relay and relay
        self.workers = workers
        self.threads = threads
        processes.write_config(self.config_file, {
            'DEFAULT': {'state_path': state_path,
                        'transport_url': transport_url},
            'database': {
                'connection': 'sqlite:///%s/nova.sqlite' % state_path},
            'notifications': {
                'relay_in_services': str(relay and not separate_relay)
                .lower()},
            'oslo_messaging_notifications': {'driver': 'messagingv2'},
            'oslo_messaging_rabbit': {'amqp_durable_queues': 'true'},
        })
        self._api = None
        self._relay = None

    def run(self, program, *args):
        return subprocess.run(
            common.console_script(program) +
            ['--config-file', self.config_file] + list(args),
            capture_output=True, text=True, check=True, timeout=60)

    def start(self):
        """Start the API under gunicorn (noauth2); return its v2.1 URL."""
        self._api = processes.NovaAPIProcess(
            self.config_file, timeout=_START_TIMEOUT, workers=self.workers,
            threads=self.threads)
        self._api.setUp()
        if self.separate_relay:
            self._relay = subprocess.Popen(
                common.console_script('nova-notification-relay') +
                ['--config-file', self.config_file],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return self._api.url + '/v2.1'

    def pids(self):
        """nova-api's processes, and the relay's own when it has one."""
        pids = _with_children(self._api.pid)
        if self._relay is not None:
            pids.append(self._relay.pid)
        return pids

    def stop(self):
        if self._relay is not None:
            local_servers.stop_process(self._relay, _START_TIMEOUT)
            self._relay = None
        if self._api is not None:
            self._api.cleanUp()
            self._api = None


def latency(state_path, broker, rate, duration, broker_down=False,
            separate_relay=False, workers=1, threads=16, relay=True):
    """Time PUTs at ``rate``; return nova-api's CPU seconds per PUT."""
    url = broker.transport_url
    api = Deployment(state_path, url, separate_relay, workers, threads,
                     relay)
    api.run('nova-manage', 'db', 'sync')
    prefix = 'latency-%d-%s-%s-host' % (rate, 'down' if broker_down else 'up',
                                        'relay' if relay else 'none')
    for index in range(8):
        api.run('nova-manage', 'service', 'create', '--host',
                '%s%d' % (prefix, index), '--binary', 'nova-compute')
    services = [service['uuid'] for service in json.loads(api.run(
        'nova-manage', 'service', 'list', '--format', 'json').stdout)
        if service['host'].startswith(prefix)]
    total = int(rate * duration)
    try:
        # NOTE: one kept-alive connection per client thread: a new TCP
        # connection per request would cost the load generator more than
        # the requests it measures.
        admin_api = compute_client.ComputeClient(api.start(),
                                                 keep_alive=True)
        receiver = None
        if broker_down:
            broker.stop()
        elif relay:
            receiver = Receiver(url, total)
        sent, returned = {}, {}

        def put(index):
            key = 'bench %s %d' % (prefix, index)
            sent[key] = time.monotonic()
            response = admin_api.request(
                'PUT', '/os-services/%s' % services[index % len(services)],
                body={'status': 'disabled', 'disabled_reason': key})
            if response.status != 200:
                raise RuntimeError('PUT answered %s' % response.status)
            returned[key] = time.monotonic()

        parts = {parts_name(separate_relay, relay): api.pids()}
        if receiver:
            parts.update({'RabbitMQ': [broker.pid],
                          'listener': [receiver.process.pid]})
        parts['load generator'] = [os.getpid()]
        cpu = CPUShares(parts)
        start = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(16) as pool:
            futures = []
            for index in range(total):
                delay = start + index / rate - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                futures.append(pool.submit(put, index))
            for future in futures:
                future.result()
        elapsed = time.monotonic() - start
        cpu.stop()
        arrivals = receiver.arrivals() if receiver else {}
    finally:
        api.stop()
        if broker_down:
            broker.start()
    print('%d PUT/s for %.0f s, broker %s, %d nova-api process%s, relay %s: '
          '%d PUTs in %.2f s (%.0f/s achieved)%s'
          % (rate, duration, 'stopped' if broker_down else 'up', workers,
             '' if workers == 1 else 'es',
             'none' if not relay else
             'in its own process' if separate_relay else 'in nova-api',
             total, elapsed, total / elapsed,
             '' if broker_down or not relay else ', %d of them received'
             % len(set(arrivals) & set(sent))))
    p50, p99, worst = _percentiles(
        [(returned[key] - sent[key]) * 1000 for key in returned])
    print('  %-31s p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms'
          % ('API call duration', p50, p99, worst))
    if arrivals:
        p50, p99, worst = _percentiles(
            [(arrivals[key][0] - returned[key]) * 1000
             for key in returned if key in arrivals])
        print('  %-31s p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms'
              % ('API call returned -> received', p50, p99, worst))
    print(cpu.line(total, elapsed))
    return cpu.seconds(parts_name(separate_relay, relay)) / total


def parts_name(separate_relay, relay=True):
    return 'nova-api' + (' and relay' if separate_relay and relay else '')


# Draining a backlog: a relay next to a plain Notifier.

def _configure(state_path, transport_url):
    CONF([], project='nova', default_config_files=[])
    CONF.set_override('state_path', state_path)
    CONF.set_override('connection',
                      'sqlite:///%s/nova.sqlite' % state_path,
                      group='database')
    CONF.set_override('transport_url', transport_url)
    CONF.set_override('driver', ['messagingv2'],
                      group='oslo_messaging_notifications')
    CONF.set_override('amqp_durable_queues', True,
                      group='oslo_messaging_rabbit')
    db_api.configure(CONF)
    migration.db_sync()
    delivery.init(CONF)
    objects.register_all()


_SERVICES = 1000


def _payload(template, uuid, key):
    data = dict(template['nova_object.data'], uuid=uuid,
                disabled_reason=key)
    return dict(template, **{'nova_object.data': data})


def _template(ctxt):
    service = objects.Service.get_by_host_and_binary(ctxt, 'drain-host',
                                                     'nova-compute')
    if service is None:
        service = objects.Service(ctxt, host='drain-host',
                                  binary='nova-compute', topic='compute',
                                  report_count=0)
        service.create()
        # NOTE: its service.create, out of the way of the figures.
        relay_mod.Relay(CONF, 'benchmark').flush(30)
    return service_notification.ServiceStatusPayload(
        service).obj_to_primitive()


def _keys(run, messages):
    """(service uuid, key) of each message, services taking turns."""
    uuids = ['00000000-0000-4000-8000-%012d' % index
             for index in range(_SERVICES)]
    return [(uuids[index % _SERVICES], '%s %d %06d' % (run, index % _SERVICES,
                                                       index))
            for index in range(messages)]


def _rate(start, arrivals, messages):
    if len(arrivals) < messages:
        return None
    return messages / (max(time for time, _rank in arrivals.values()) -
                       start)


def _in_order(keys, arrivals):
    """Whether each service's messages arrived in the order they were sent."""
    last = {}
    for uuid, key in keys:
        rank = arrivals[key][1]
        if rank < last.get(uuid, -1):
            return False
        last[uuid] = rank
    return True


def plain_notifier(ctxt, url, template, messages):
    """One oslo.messaging Notifier in one thread; return messages/s."""
    keys = _keys('plain', messages)
    transport = messaging.get_notification_transport(CONF)
    notifier = messaging.Notifier(
        transport, driver='messagingv2', publisher_id='nova-compute:bench',
        topics=CONF.notifications.versioned_notifications_topics)
    receiver = Receiver(url, messages)
    start = time.monotonic()
    for uuid, key in keys:
        notifier.info({}, 'service.update', _payload(template, uuid, key))
    arrivals = receiver.arrivals()
    transport.cleanup()
    return _rate(start, arrivals, messages), _in_order(keys, arrivals)


def _backlog(ctxt, template, keys):
    """Commit a pending notification per key, in one transaction."""
    with db_api.context_manager.writer.using(ctxt):
        for uuid, key in keys:
            delivery.record(ctxt, envelope.new(
                'nova-compute:bench', 'service.update', 'INFO',
                _payload(template, uuid, key)), service_uuid=uuid)


def relay_drain(ctxt, url, template, messages):
    """Write a backlog, then have one relay publish it; return messages/s."""
    keys = _keys('relay', messages)
    _backlog(ctxt, template, keys)
    receiver = Receiver(url, messages)
    relay = relay_mod.Relay(CONF, 'benchmark')
    start = time.monotonic()
    relay.start()
    arrivals = receiver.arrivals()
    relay.stop(5)
    return _rate(start, arrivals, messages), _in_order(keys, arrivals)


def drain(ctxt, url, messages, rounds):
    template = _template(ctxt)
    ratios = []
    for round_ in range(rounds):
        plain, plain_ordered = plain_notifier(ctxt, url, template, messages)
        relay, relay_ordered = relay_drain(ctxt, url, template, messages)
        if plain is None or relay is None:
            print('Drain round %d: not every message arrived' % round_)
            continue
        ratios.append(relay / plain)
        print('Drain of %d notifications, round %d: plain Notifier %.0f/s '
              '(order per service %s), relay (%d publishers) %.0f/s (order '
              'per service %s): %.2fx'
              % (messages, round_ + 1, plain,
                 'kept' if plain_ordered else 'BROKEN',
                 CONF.notifications.relay_publishers, relay,
                 'kept' if relay_ordered else 'BROKEN', relay / plain))
    if ratios:
        print('Relay / plain Notifier, median of %d rounds: %.2fx'
              % (len(ratios), statistics.median(ratios)))


# Taking over from a relay SIGKILLed while it publishes.

def _count(state_path, query):
    connection = sqlite3.connect(os.path.join(state_path, 'nova.sqlite'))
    try:
        return connection.execute(query).fetchone()[0]
    finally:
        connection.close()


def _until(state_path, query, expected, process):
    deadline = time.monotonic() + _START_TIMEOUT
    while _count(state_path, query) != expected:
        if time.monotonic() > deadline or process.poll() is not None:
            raise RuntimeError('%s: never %d' % (query, expected))
        time.sleep(0.01)


def _relay_process(state_path, name, url):
    config_file = os.path.join(state_path, name + '.conf')
    processes.write_config(config_file, {
        'DEFAULT': {'state_path': state_path, 'transport_url': url},
        'database': {
            'connection': 'sqlite:///%s/nova.sqlite' % state_path},
        'oslo_messaging_notifications': {'driver': 'messagingv2'},
        'oslo_messaging_rabbit': {'amqp_durable_queues': 'true'},
    })
    return subprocess.Popen(
        common.console_script('nova-notification-relay') +
        ['--config-file', config_file],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


_HELD = ("SELECT COUNT(*) FROM notification_relay_leases "
         "WHERE owner IS NOT NULL")
_PENDING = "SELECT COUNT(*) FROM notification_outbox WHERE state = 'pending'"


def takeover(ctxt, state_path, url, template, alongside, per_service=5):
    """Print how long the notifications a SIGKILLed relay held waited.

    A ``nova-notification-relay`` facing a bus that never answers takes
    the leases of four services' shards and hangs in publishing, as when a
    broker stops answering; it is SIGKILLed. Then the same program starts
    again on the real broker or (``alongside``) a relay running since
    before the kill goes on alone. The stall: from the kill to the last of
    those notifications arriving.
    """
    services = ['00000000-0000-4000-8000-%012d' % index for index in range(4)]
    run = 'takeover-%s' % alongside
    keys = [(uuid, '%s %s %d' % (run, uuid, index))
            for index in range(per_service) for uuid in services]
    shards = {delivery.shard_of(uuid) for uuid in services}
    receiver = Receiver(url, len(keys) + 1)
    silent = bus_fixtures.SilentServer()
    silent.setUp()
    killed = other = None
    try:
        killed = _relay_process(
            state_path, 'stuck', 'rabbit://nova:nova@127.0.0.1:%d/'
            % silent.port)
        _backlog(ctxt, template, keys)
        _until(state_path, _HELD, len(shards), killed)
        if alongside:
            other = _relay_process(state_path, 'relay', url)
            # NOTE: the other relay is up once it published a notification
            # of a shard the stuck one does not hold.
            free = next(uuid for uuid in ('00000000-0000-4000-8001-%012d' % i
                                          for i in range(1000))
                        if delivery.shard_of(uuid) not in shards)
            _backlog(ctxt, template, [(free, '%s ready' % run)])
            _until(state_path, _PENDING, len(keys), other)
        killed.kill()
        killed.wait()
        killed_at = time.monotonic()
        if other is None:
            other = _relay_process(state_path, 'relay', url)
            _backlog(ctxt, template, [(services[0], '%s ready' % run)])
        arrivals = receiver.arrivals()
    finally:
        for process in (killed, other):
            if process is not None:
                local_servers.stop_process(process, _START_TIMEOUT)
        silent.cleanUp()
    if not all(key in arrivals for _uuid, key in keys):
        print('Take-over: not every notification arrived')
        return
    print('Take-over of a relay SIGKILLed while it published %d services '
          '(%d shards) by %s: their %d notifications arrived %.2f s after '
          'the kill (order per service %s)'
          % (len(services), len(shards),
             'a relay running alongside' if alongside else
             'the same program, started again', len(keys),
             max(arrivals[key][0] for _uuid, key in keys) - killed_at,
             'kept' if _in_order(keys, arrivals) else 'BROKEN'))


# The consumer: nova-notifications listen --services, fed by the broker.

_CONSUMER_TOPIC = 'bench_consumer'


def _consumer_backlog(template, services, updates):
    """Queue ``services`` service.create then ``updates`` service.update."""
    transport = messaging.get_notification_transport(CONF)
    notifier = messaging.Notifier(transport, driver='messagingv2',
                                  topics=[_CONSUMER_TOPIC])
    publishers = [notifier.prepare(publisher_id='nova-compute:host%d' % index)
                  for index in range(services)]
    for index in range(services + updates):
        service = index % services
        data = dict(template['nova_object.data'],
                    uuid='00000000-0000-4000-8000-%012d' % service,
                    host='host%d' % service, disabled=bool(index % 2),
                    report_count=index)
        publishers[service].info(
            {}, 'service.create' if index < services else 'service.update',
            dict(template, **{'nova_object.data': data}))
    transport.cleanup()


def _listen_seconds(config_file, url, messages, terminal):
    """Wall seconds of ``listen --services`` taking ``messages`` queued.

    ``nova-notifications`` prints to a pipe, or to a pseudo-terminal.
    """
    command = common.console_script('nova-notifications') + [
        '--config-file', config_file, 'listen', '--transport-url', url,
        '--services', '--max-messages', str(messages), '--timeout', '300']
    if terminal:
        reader, writer = pty.openpty()
    else:
        reader, writer = os.pipe()
    start = time.monotonic()
    process = subprocess.Popen(command, stdout=writer,
                               stderr=subprocess.PIPE, text=True)
    os.close(writer)

    def drain():
        try:
            while os.read(reader, 65536):
                pass
        except OSError:
            # NOTE: a terminal's reading end says EIO once the writer left.
            pass
    reading = threading.Thread(target=drain)
    reading.start()
    errors = process.stderr.read()
    returncode = process.wait()
    seconds = time.monotonic() - start
    reading.join()
    os.close(reader)
    if returncode != 0:
        raise RuntimeError('nova-notifications exited %d: %s'
                           % (returncode, errors.strip()))
    return seconds


class _Counter(object):
    """An endpoint that only counts, as the least any listener does."""

    def __init__(self, count):
        self.count = count
        self.done = threading.Event()

    def _counted(self, number):
        self.count -= number
        if self.count <= 0:
            self.done.set()

    def info(self, ctxt, publisher_id, event_type, payload, metadata):
        self._counted(1)


class _BatchCounter(_Counter):

    def info(self, messages):
        self._counted(len(messages))


def _bare_listener_rate(messages, batch):
    """Messages/s of an oslo.messaging listener whose endpoint only counts.

    With ``batch``, a batch listener with the batches of ``listen
    --services``.
    """
    transport = messaging.get_notification_transport(CONF)
    targets = [messaging.Target(exchange=CONF.control_exchange,
                                topic=_CONSUMER_TOPIC)]
    if batch:
        counter = _BatchCounter(messages)
        listener = messaging.get_batch_notification_listener(
            transport, targets, [counter], executor='threading',
            batch_size=bus_listener.PREFETCH,
            batch_timeout=bus_listener.BATCH_TIMEOUT)
    else:
        counter = _Counter(messages)
        listener = messaging.get_notification_listener(
            transport, targets, [counter], executor='threading')
    start = time.monotonic()
    listener.start(override_pool_size=1)
    counter.done.wait(300)
    seconds = time.monotonic() - start
    listener.stop()
    listener.wait()
    transport.cleanup()
    return messages / seconds if counter.done.is_set() else None


def consumer(ctxt, state_path, url, services, updates):
    """Print the rate of the consumer on a backlog, in both output modes.

    Each mode reads one queued notification (the process's start,
    connection and first message), then a backlog; the rate is the backlog
    less one divided by the difference of the two times. Then
    oslo.messaging listeners that only count read the same backlog, in this
    process, one message at a time and in batches: what the bus and the
    driver allow any consumer.
    """
    config_file = os.path.join(state_path, 'consumer.conf')
    processes.write_config(config_file, {
        'notifications': {'versioned_notifications_topics': _CONSUMER_TOPIC},
        'oslo_messaging_rabbit': {'amqp_durable_queues': 'true'},
    })
    template = _template(ctxt)
    messages = services + updates
    for terminal in (False, True):
        _consumer_backlog(template, 1, 0)
        first = _listen_seconds(config_file, url, 1, terminal)
        _consumer_backlog(template, services, updates)
        rest = _listen_seconds(config_file, url, messages, terminal)
        print('nova-notifications listen --services, %d services, %d '
              'queued notifications, %s: %.0f msg/s (%.1f s, %.1f s for one)'
              % (services, messages,
                 'table on a terminal' if terminal else 'lines to a pipe',
                 (messages - 1) / (rest - first), rest, first))
    for batch in (False, True):
        _consumer_backlog(template, services, updates)
        print('oslo.messaging %slistener that only counts, same backlog: '
              '%.0f msg/s' % ('batch ' if batch else '',
                              _bare_listener_rate(messages, batch) or 0))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--rate', type=float, action='append',
                        help='PUT requests per second, repeatable '
                             '(default: 100 then 200)')
    parser.add_argument('--duration', type=float, default=10,
                        help='seconds of steady load (default: 10)')
    parser.add_argument('--messages', type=int, default=20000,
                        help='notifications of the drain figures '
                             '(default: 20000)')
    parser.add_argument('--rounds', type=int, default=3,
                        help='rounds of the drain figures (default: 3)')
    parser.add_argument('--services', type=int, default=10000,
                        help='services of the consumer figures '
                             '(default: 10000)')
    parser.add_argument('--updates', type=int, default=40000,
                        help='service.update notifications of the consumer '
                             'figures, after one service.create per service '
                             '(default: 40000)')
    parser.add_argument('--separate-relay', action='store_true',
                        help='latency with relay_in_services = false and '
                             'nova-notification-relay in its own process')
    parser.add_argument('--relay-cost', action='store_true',
                        help="latency with the relay in nova-api, then "
                             "without any relay, and the relay's CPU per "
                             "notification: the difference")
    parser.add_argument('--api-workers', type=int, default=1,
                        help='latency with gunicorn --workers N '
                             '(default: 1)')
    parser.add_argument('--api-threads', type=int, default=16,
                        help='latency with gunicorn --threads N '
                             '(default: 16)')
    parser.add_argument('--only',
                        choices=('latency', 'drain', 'takeover', 'consumer'),
                        action='append',
                        help='run only these parts (repeatable; default: all)')
    parser.add_argument('--receive', metavar='URL', help=argparse.SUPPRESS)
    parser.add_argument('--pool', help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.receive:
        return receive(args.receive, args.pool, args.messages,
                       args.duration)
    logging.basicConfig(level=logging.CRITICAL)
    reason = bus_broker.missing_reason()
    if reason:
        print('Cannot run: %s' % reason, file=sys.stderr)
        return 1
    # NOTE: the SQLite file on tmpfs where there is one: the figures are
    # about the bus, not about the disk's fsync.
    state_path = tempfile.mkdtemp(
        prefix='nova-bench-bus-',
        dir='/dev/shm' if os.path.isdir('/dev/shm') else None)
    broker = bus_broker.RabbitMQBroker()
    try:
        broker.start()
        print('Private RabbitMQ on 127.0.0.1:%d, booted in %.1f s; state '
              'in %s; %d CPUs' % (broker.port, broker.boot_seconds,
                                  state_path, os.cpu_count()))
        parts = args.only or ('latency', 'drain', 'takeover', 'consumer')
        if 'latency' in parts and args.relay_cost:
            for rate in args.rate or [50]:
                with_relay = latency(
                    state_path, broker, rate, args.duration,
                    workers=args.api_workers, threads=args.api_threads)
                without = latency(
                    state_path, broker, rate, args.duration, relay=False,
                    workers=args.api_workers, threads=args.api_threads)
                print("The relay in nova-api at %d PUT/s: %.2f ms of CPU per "
                      "notification (%.1f ms per PUT with it, %.1f without)"
                      % (rate, (with_relay - without) * 1000,
                         with_relay * 1000, without * 1000))
        elif 'latency' in parts:
            for broker_down in (False, True):
                for rate in args.rate or [100, 200]:
                    latency(state_path, broker, rate, args.duration,
                            broker_down=broker_down,
                            separate_relay=args.separate_relay,
                            workers=args.api_workers,
                            threads=args.api_threads)
        _configure(state_path, broker.transport_url)
        ctxt = nova_context.get_admin_context()
        if 'drain' in parts:
            drain(ctxt, broker.transport_url, args.messages, args.rounds)
        if 'takeover' in parts:
            template = _template(ctxt)
            for alongside in (False, True):
                takeover(ctxt, state_path, broker.transport_url, template,
                         alongside)
        if 'consumer' in parts:
            consumer(ctxt, state_path, broker.transport_url, args.services,
                     args.updates)
    finally:
        delivery.stop(0)
        broker.destroy()
        shutil.rmtree(state_path, ignore_errors=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
