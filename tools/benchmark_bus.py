#!/usr/bin/env python3
"""Print what the message bus adds: latency, throughput, failure costs.

Everything runs on loopback against a private RabbitMQ broker of its own
(the bus tests' fixture). nova sends with ``messagingv2`` through the
bounded delivery; a real oslo.messaging listener receives, in a process of
its own (this script run with ``--receive``), noting when each
notification arrives (CLOCK_MONOTONIC, comparable between processes):

* latency: ``nova-api`` (its own process, waitress, SQLite) receives
  ``PUT /os-services/{id}`` at a steady rate (default 200 requests/s for
  10 s) from a pool of client threads; for each request, the time from the
  API call returning to the listener receiving its ``service.update``
  (negative when the notification arrived before the HTTP answer), from
  the call being sent, and the call's own duration;
* throughput: one publisher (this process) emitting ``service.update``
  notifications with the real ``ServiceStatusNotification.emit`` as fast as
  it can; the rate is measured at the listener, from the first emit to the
  last arrival;
* with ``--failures``: how long each ``PUT`` of a row takes (API served in
  this process) when the broker is down before the request, accepting TCP
  but silent, frozen (SIGSTOP) on an open connection, or stopped by pid
  while connected.

Usage: tools/benchmark_bus.py [--rate R] [--duration S] [--messages N]
                              [--failures]
"""

import argparse
import concurrent.futures
import http.client
import json
import logging
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from urllib import parse

from oslo_utils import uuidutils

from nova.cmd import common
import nova.conf
from nova import context as nova_context
from nova.db.main import api as db_api
from nova.db import migration
from nova.notifications import listener as bus_listener
from nova.notifications.objects import base as notification
from nova.notifications.objects import service as service_notification
from nova import objects
from nova.objects import fields
from nova import rpc
from nova.tests.functional.api import fixtures as api_fixtures
from nova.tests.functional.bus import broker as bus_broker

CONF = nova.conf.CONF

_NOVA_CONF = """\
[DEFAULT]
state_path = {state_path}
transport_url = {transport_url}
osapi_compute_listen_port = 0

[database]
connection = sqlite:///{state_path}/nova.sqlite

[api]
auth_strategy = noauth2

[wsgi]
threads = 16

[oslo_messaging_notifications]
driver = messagingv2
"""
_API_READY = re.compile(r'nova-api listening on (http://\S+)')
_START_TIMEOUT = 60


# The receiving process.

def receive(url, pool, count, timeout):
    """Print 'ready', then the arrival time of each notification by key.

    The key is the payload's disabled_reason; the output is one JSON
    object, printed once ``count`` notifications arrived or after
    ``timeout`` seconds.
    """
    logging.basicConfig(level=logging.CRITICAL)
    CONF([], project='nova', default_config_files=[])
    arrivals = {}
    done = threading.Event()

    def arrived(envelope):
        key = envelope['payload']['nova_object.data'].get('disabled_reason')
        arrivals[key] = time.monotonic()
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
        """Wait for the receiver to finish; return {key: arrival}."""
        output = self.process.stdout.read()
        self.process.wait()
        return json.loads(output)


def _percentiles(values_ms):
    ordered = sorted(values_ms)
    p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
    return statistics.median(ordered), p99, ordered[-1]


# Latency through nova-api.

class KeepAliveClient(object):
    """PUT to the compute API, one persistent connection per thread.

    A new TCP connection per request would cost the load generator more
    than the requests it measures.
    """

    def __init__(self, base_url):
        parsed = parse.urlsplit(base_url)
        self.host, self.port, self.prefix = (parsed.hostname, parsed.port,
                                             parsed.path.rstrip('/'))
        self._local = threading.local()

    def put_service(self, uuid, body):
        connection = getattr(self._local, 'connection', None)
        if connection is None:
            connection = self._local.connection = http.client.HTTPConnection(
                self.host, self.port, timeout=30)
        connection.request(
            'PUT', '%s/os-services/%s' % (self.prefix, uuid),
            body=json.dumps(body),
            headers={'X-Auth-Token': 'admin:admin',
                     'OpenStack-API-Version': 'compute 2.53',
                     'Content-Type': 'application/json'})
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError('PUT answered %s' % response.status)


class NovaAPIProcess(object):
    """nova-api on a free port of 127.0.0.1, with its config file."""

    def __init__(self, state_path, transport_url):
        self.config_file = os.path.join(state_path, 'nova.conf')
        with open(self.config_file, 'w') as f:
            f.write(_NOVA_CONF.format(state_path=state_path,
                                      transport_url=transport_url))
        self.console = os.path.join(state_path, 'nova-api.out')
        self.process = None

    def run(self, program, *args):
        return subprocess.run(
            common.console_script(program) +
            ['--config-file', self.config_file] + list(args),
            capture_output=True, text=True, check=True, timeout=60)

    def start(self):
        with open(self.console, 'w') as out:
            self.process = subprocess.Popen(
                common.console_script('nova-api') +
                ['--config-file', self.config_file],
                stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + _START_TIMEOUT
        while time.monotonic() < deadline and self.process.poll() is None:
            with open(self.console) as f:
                match = _API_READY.search(f.read())
            if match:
                return match.group(1) + '/v2.1'
            time.sleep(0.05)
        raise RuntimeError('nova-api did not start; see %s' % self.console)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(30)


def latency(state_path, url, rate, duration):
    api = NovaAPIProcess(state_path, url)
    api.run('nova-manage', 'db', 'sync')
    prefix = 'latency-%d-host' % rate
    for index in range(8):
        api.run('nova-manage', 'service', 'create', '--host',
                '%s%d' % (prefix, index), '--binary', 'nova-compute')
    services = [service['uuid'] for service in json.loads(api.run(
        'nova-manage', 'service', 'list', '--format', 'json').stdout)
        if service['host'].startswith(prefix)]
    try:
        admin_api = KeepAliveClient(api.start())
        total = int(rate * duration)
        receiver = Receiver(url, total)
        sent, returned = {}, {}

        def put(index):
            key = 'bench %d %d' % (rate, index)
            sent[key] = time.monotonic()
            admin_api.put_service(services[index % len(services)],
                                  {'status': 'disabled',
                                   'disabled_reason': key})
            returned[key] = time.monotonic()

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
        arrivals = receiver.arrivals()
    finally:
        api.stop()
    print('Latency at %d requests/s for %.0f s: %d PUTs in %.2f s '
          '(%.0f/s achieved), %d of them received'
          % (rate, duration, total, elapsed, total / elapsed,
             len(set(arrivals) & set(sent))))
    for label, start_times in (('API call returned -> received', returned),
                               ('API call sent -> received', sent)):
        p50, p99, worst = _percentiles(
            [(arrivals[key] - start_times[key]) * 1000
             for key in start_times if key in arrivals])
        print('  %-31s p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms'
              % (label, p50, p99, worst))
    p50, p99, worst = _percentiles(
        [(returned[key] - sent[key]) * 1000 for key in returned])
    print('  %-31s p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms'
          % ('API call duration', p50, p99, worst))


# Throughput of one publisher.

def _configure(state_path, transport_url):
    CONF([], project='nova', default_config_files=[])
    CONF.set_override('state_path', state_path)
    CONF.set_override('connection',
                      'sqlite:///%s/nova.sqlite' % state_path,
                      group='database')
    CONF.set_override('transport_url', transport_url)
    CONF.set_override('driver', ['messagingv2'],
                      group='oslo_messaging_notifications')
    db_api.configure(CONF)
    migration.db_sync()
    rpc.init(CONF)
    objects.register_all()


def throughput(ctxt, url, messages):
    service = objects.Service(ctxt, host='throughput-host',
                              binary='nova-compute', topic='compute',
                              report_count=0)
    service.create()
    receiver = Receiver(url, messages)
    publisher = notification.NotificationPublisher.from_service_obj(service)
    event_type = notification.EventType(
        object='service', action=fields.NotificationAction.UPDATE)
    payload = service_notification.ServiceStatusPayload(service)
    start = time.monotonic()
    for index in range(messages):
        payload.disabled_reason = 'message %d' % index
        service_notification.ServiceStatusNotification(
            priority=fields.NotificationPriority.INFO, publisher=publisher,
            event_type=event_type, payload=payload).emit(ctxt)
    published = time.monotonic() - start
    arrivals = receiver.arrivals()
    if len(arrivals) < messages:
        print('Throughput: only %d of %d notifications received'
              % (len(arrivals), messages))
        return
    last = max(arrivals.values())
    print('Throughput, one publisher, %d service.update: %.0f '
          'notifications/s received (publisher side %.0f/s, %.0f us per '
          'emit)' % (messages, messages / (last - start),
                     messages / published, published / messages * 1e6))


# Failure costs.

class _SilentPort(object):
    """Accepts TCP connections on 127.0.0.1 and never answers."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(('127.0.0.1', 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.accepted = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                self.accepted.append(self.sock.accept()[0])
            except OSError:
                return

    def close(self):
        self.sock.close()
        for conn in self.accepted:
            conn.close()


def _use_transport(transport_url):
    CONF.set_override('transport_url', transport_url)
    rpc.init(CONF)


def failures(ctxt, broker, calls=4):
    api = api_fixtures.APIServerFixture()
    api.setUp()
    admin_api = api.admin_api
    service = objects.Service(ctxt, host='failure-host',
                              binary='nova-compute', topic='compute',
                              report_count=0)
    service.create()

    def timed_puts(label):
        durations = []
        for index in range(calls):
            started = time.monotonic()
            admin_api.put_service(service.uuid, {
                'status': 'disabled',
                'disabled_reason': '%s %d' % (label, index)})
            durations.append(time.monotonic() - started)
        row = objects.Service.get_by_uuid(ctxt, service.uuid)
        if row.disabled_reason != '%s %d' % (label, calls - 1):
            raise AssertionError('the last change was not committed')
        figures = '  '.join('%5.2f s' % duration for duration in durations)
        print('  %-34s %s' % (label, figures))

    print('Failure costs: duration of each of %d PUTs in a row '
          '(delivery_timeout %.1f s, retry %d):'
          % (calls, CONF.notifications.delivery_timeout,
             CONF.oslo_messaging_notifications.retry))
    try:
        _use_transport('rabbit://nova:secret@127.0.0.1:%d/'
                       % bus_broker.free_port())
        timed_puts('down before the request')

        silent = _SilentPort()
        _use_transport('rabbit://nova:secret@127.0.0.1:%d/' % silent.port)
        timed_puts('accepting TCP but silent')
        silent.close()

        _use_transport(broker.transport_url)
        admin_api.put_service(service.uuid, {'status': 'enabled'})
        os.kill(broker.pid, signal.SIGSTOP)
        try:
            timed_puts('frozen (SIGSTOP), was connected')
        finally:
            os.kill(broker.pid, signal.SIGCONT)

        _use_transport(broker.transport_url)
        admin_api.put_service(service.uuid, {'status': 'enabled'})
        broker.stop()
        timed_puts('stopped by pid, was connected')
    finally:
        api.cleanUp()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--rate', type=float, action='append',
                        help='PUT requests per second, repeatable '
                             '(default: 100 then 200)')
    parser.add_argument('--duration', type=float, default=10,
                        help='seconds of steady load (default: 10)')
    parser.add_argument('--messages', type=int, default=10000,
                        help='notifications for the throughput figure '
                             '(default: 10000)')
    parser.add_argument('--failures', action='store_true',
                        help='also measure PUTs with a failing broker')
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
        for rate in args.rate or [100, 200]:
            latency(state_path, broker.transport_url, rate, args.duration)
        _configure(state_path, broker.transport_url)
        ctxt = nova_context.get_admin_context()
        throughput(ctxt, broker.transport_url, args.messages)
        if args.failures:
            failures(ctxt, broker)
    finally:
        rpc.cleanup()
        broker.destroy()
        shutil.rmtree(state_path, ignore_errors=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
