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

"""Print what service notifications, the listing and the consumer cost.

Every figure is the median of several rounds of CPU time of this process
(``time.process_time``), so that other processes on a shared machine
disturb it little; the ratio to the floor is computed from the medians:

* floor: ``json.dumps`` of the wire message, which any transport pays;
* message build: the notification's versioned objects made from the
  service, and the envelope around the payload's primitive;
* emit: ``emit()`` of the notification: built, then recorded in the
  outbox in its own transaction;
* save / create+destroy: ``Service`` changes with their notifications;
* GET /os-services with 1,000, 10,000 and 100,000 services, in process
  (the WSGI application, JSON included), with the peak of Python memory
  allocated while serving it, and the peak RSS above its resting RSS of
  ``nova-api`` processes serving 10,000;
* consumer: events applied per second by ``ServiceTable`` holding 10,
  1,000 and 10,000 services.

Private SQLite files on disk and oslo.messaging's in-memory ``test``
driver; no broker (``tools/benchmark_bus.py`` measures the bus).

Usage: tools/benchmark_notifications.py [--rounds N] [--quick]
"""

import argparse
import datetime
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc

from oslo_messaging.notify import _impl_test
import webob

from nova.api import client as compute_client
from nova.api.openstack import wsgi_app
import nova.conf
from nova import context as nova_context
from nova.db.main import api as db_api
from nova.db.main import models
from nova.db import migration
from nova.notifications import consumer
from nova.notifications import delivery
from nova.notifications.delivery import envelope
from nova.notifications.objects import base as notification_base
from nova.notifications.objects import service as service_notification
from nova import objects
from nova.objects import fields
from nova.tests.functional import processes

CONF = nova.conf.CONF

_NOTIFICATION = service_notification.ServiceStatusNotification
_PAYLOAD = service_notification.ServiceStatusPayload


def _configure(state_path):
    CONF([], project='nova', default_config_files=[])
    CONF.set_override('state_path', state_path)
    CONF.set_override('transport_url', 'fake:/')
    CONF.set_override('driver', ['test'],
                      group='oslo_messaging_notifications')
    CONF.set_override('auth_strategy', 'noauth2', group='api')
    delivery.init(CONF)
    objects.register_all()


def _use_database(path):
    CONF.set_override('connection', 'sqlite:///%s' % path, group='database')
    db_api.configure(CONF)
    migration.db_sync()


def _cpu_us(func, calls, rounds):
    """Median over ``rounds`` of the CPU microseconds per call."""
    runs = []
    for _ in range(rounds):
        start = time.process_time()
        for _ in range(calls):
            func()
        runs.append((time.process_time() - start) / calls * 1e6)
        _impl_test.reset()
    return statistics.median(runs)


def _message_figures(ctxt, calls, rounds):
    service = objects.Service(ctxt, host='bench-host', binary='nova-compute',
                              topic='compute')
    service.create()

    def notification():
        return _NOTIFICATION(
            priority=fields.NotificationPriority.INFO,
            publisher=notification_base.NotificationPublisher
            .from_service_obj(service),
            event_type=notification_base.EventType(
                object='service', action=fields.NotificationAction.UPDATE),
            payload=_PAYLOAD(service))

    def build():
        built = notification()
        return envelope.new(
            built.publisher.to_publisher_id(),
            built.event_type.to_notification_event_type_field(),
            built.priority.upper(), built.payload.obj_to_primitive())

    message = build()
    figures = {
        'floor': _cpu_us(lambda: json.dumps(message), calls * 5, rounds),
        'build': _cpu_us(build, calls, rounds),
        'emit': _cpu_us(lambda: notification().emit(ctxt), calls, rounds),
    }

    def toggle():
        service.disabled = not service.disabled
        service.save()
    figures['save'] = _cpu_us(toggle, max(calls // 10, 20), rounds)

    counter = iter(range(10 ** 9))

    def create_destroy():
        other = objects.Service(ctxt, host='h%d' % next(counter),
                                binary='nova-compute', topic='compute')
        other.create()
        other.destroy()
    figures['pair'] = _cpu_us(create_destroy, max(calls // 20, 10), rounds)
    return figures


def _fill(count):
    """Make ``count`` live services, the only ones."""
    now = datetime.datetime(2026, 1, 2, 3, 4, 5, 678901)
    rows = [dict(uuid='00000000-0000-4000-8000-%012d' % index,
                 host='host%d' % index, binary='nova-compute',
                 topic='compute', report_count=1, disabled=index % 7 == 0,
                 disabled_reason='maintenance' if index % 7 == 0 else None,
                 forced_down=False, version=1, deleted=0, created_at=now,
                 updated_at=now, last_seen_up=now)
            for index in range(count)]
    with db_api.get_engine().begin() as connection:
        connection.execute(models.Service.__table__.delete())
        connection.execute(models.Service.__table__.insert(), rows)


def _get_figures(count, rounds):
    """(CPU ms per GET, peak MiB of Python allocations, response bytes)."""
    _fill(count)
    app = wsgi_app.load_app(CONF)

    def get():
        request = webob.Request.blank('/v2.1/os-services', headers={
            'X-Auth-Token': 'admin:admin',
            'OpenStack-API-Version': 'compute 2.53'})
        response = request.get_response(app)
        assert response.status_int == 200, response.status
        return response.body

    size = len(get())
    cpu_ms = _cpu_us(get, 1, rounds) / 1000
    tracemalloc.start()
    get()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return cpu_ms, peak / 2 ** 20, size


def _rss_kib(pid, field):
    with open('/proc/%d/status' % pid) as status:
        for line in status:
            if line.startswith(field + ':'):
                return int(line.split()[1])
    raise LookupError(field)


def _api_memory(state_path, rounds):
    """nova-api's RSS at rest and its peak above it serving the list (MiB).

    Medians over ``rounds`` processes. Each is warmed up with one small
    request first; the kernel's peak (``VmHWM``) is then reset
    (``/proc/PID/clear_refs``), so the peak read after ``GET
    /os-services`` is the list's alone. The outbox is emptied before: the
    relay of nova-api would otherwise publish what the message figures
    left there while the list is served.
    """
    with db_api.get_engine().begin() as connection:
        connection.execute(models.NotificationOutbox.__table__.delete())
    config_file = os.path.join(state_path, 'nova-api.conf')
    processes.write_config(config_file, {
        'DEFAULT': {'state_path': state_path, 'transport_url': 'fake:/'},
        'database': {'connection': CONF.database.connection},
        'oslo_messaging_notifications': {'driver': 'test'},
    })
    idles, peaks = [], []
    for _ in range(rounds):
        with processes.NovaAPIProcess(config_file) as api:
            client = compute_client.ComputeClient(api.url + '/v2.1',
                                                  microversion='2.53')
            client.request('GET', '/os-services?host=none')
            # NOTE: the worker serves; gunicorn's master only watches it.
            [worker] = api.worker_pids()
            with open('/proc/%d/clear_refs' % worker, 'w') as clear_refs:
                clear_refs.write('5')
            idle = _rss_kib(worker, 'VmRSS')
            response = client.request('GET', '/os-services')
            assert response.status == 200, response
            peak = _rss_kib(worker, 'VmHWM')
        idles.append(idle / 1024)
        peaks.append((peak - idle) / 1024)
    return statistics.median(idles), statistics.median(peaks)


def _consumer_rate(count, events, rounds):
    """Events applied per CPU second by a table of ``count`` services."""
    def message(index, event_type='service.update'):
        service = index % count
        return {'message_id': 'm-%d' % index, 'event_type': event_type,
                'publisher_id': 'nova-compute:host%d' % service,
                'timestamp': '2026-01-02 03:04:05.%06d' % (index % 10 ** 6),
                'payload': {'nova_object.version': '1.1', 'nova_object.data': {
                    'uuid': '00000000-0000-4000-8000-%012d' % service,
                    'host': 'host%d' % service, 'binary': 'nova-compute',
                    'disabled': bool(index % 2), 'disabled_reason': None,
                    'forced_down': False, 'report_count': index}}}

    rates = []
    for _ in range(rounds):
        table = consumer.ServiceTable()
        for index in range(count):
            table.apply(message(index, 'service.create'))
        stream = [message(count + index) for index in range(events)]
        start = time.process_time()
        for event in stream:
            table.apply(event)
        rates.append(events / (time.process_time() - start))
    return statistics.median(rates)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--rounds', type=int, default=5,
                        help='rounds per figure; the median is printed')
    parser.add_argument('--quick', action='store_true',
                        help='fewer calls and no 100,000-service listing')
    args = parser.parse_args()
    calls = 300 if args.quick else 2000
    sizes = (1000, 10000) if args.quick else (1000, 10000, 100000)
    state_path = tempfile.mkdtemp(prefix='nova-bench-')
    try:
        _configure(state_path)
        _use_database(os.path.join(state_path, 'nova.sqlite'))
        ctxt = nova_context.get_admin_context()
        figures = _message_figures(ctxt, calls, args.rounds)
        listings = {count: _get_figures(count, max(args.rounds // 2, 3))
                    for count in sizes}
        _fill(10000)
        api_idle, api_peak = _api_memory(state_path, args.rounds)
    finally:
        delivery.stop(0)
        shutil.rmtree(state_path, ignore_errors=True)
    rates = {count: _consumer_rate(count, 20000, args.rounds)
             for count in (10, 1000, 10000)}

    floor = figures['floor']
    print('Service notifications, Python %s, CPU time, median of %d rounds'
          % (sys.version.split()[0], args.rounds))
    rows = [
        ('json.dumps of the wire message (floor)', floor),
        ('message build (the versioned objects)', figures['build']),
        ('emit: build + outbox row, own transaction', figures['emit']),
        ('Service.save() that emits', figures['save']),
        ('create + destroy pair', figures['pair']),
    ]
    for label, value in rows:
        print('%-46s: %9.1f us  %6.1f x floor'
              % (label, value, value / floor))
    for count, (cpu_ms, peak_mib, size) in listings.items():
        print('%-46s: %9.1f ms  peak %5.1f MiB allocated, %d bytes'
              % ('GET /os-services, %d services' % count, cpu_ms, peak_mib,
                 size))
    print('%-46s: %9.1f MiB above %.1f MiB at rest (RSS)'
          % ('nova-api peak serving 10000 services', api_peak, api_idle))
    for count, rate in rates.items():
        print('%-46s: %9.0f events/s'
              % ('consumer apply, %d services' % count, rate))


if __name__ == '__main__':
    main()
