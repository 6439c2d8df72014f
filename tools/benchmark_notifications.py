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

"""Print what a versioned service notification costs, in microseconds.

Figures, on a private SQLite file and oslo.messaging's in-process ``test``
driver (no broker):

* emit: payload population + serialization + the outbox row written in its
  own transaction (a relay publishes it later, off the request path);
* save: a ``Service.save()`` that changes ``disabled`` and so emits;
* create+destroy: one ``Service.create()`` and ``destroy()`` pair, each
  with its notification;
* floor: ``json.dumps`` of the wire message the emit produced, which any
  transport must pay at least once.

Usage: tools/benchmark_notifications.py [--iterations N]
"""

import argparse
import json
import os
import shutil
import statistics
import tempfile
import time

from oslo_messaging.notify import _impl_test

import nova.conf
from nova import context as nova_context
from nova.db.main import api as db_api
from nova.db import migration
from nova.notifications.objects import service as service_notification
from nova.notifications import relay
from nova import objects
from nova.objects import fields
from nova import rpc

CONF = nova.conf.CONF


def _setup(state_path):
    CONF([], project='nova', default_config_files=[])
    CONF.set_override('state_path', state_path)
    CONF.set_override('transport_url', 'fake:/')
    CONF.set_override('driver', ['test'],
                      group='oslo_messaging_notifications')
    db_api.configure(CONF)
    migration.db_sync()
    rpc.init(CONF)
    objects.register_all()


def _per_call_us(func, iterations, repeats=5):
    """Return the median over ``repeats`` runs of the µs per call."""
    runs = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(iterations):
            func()
        runs.append((time.perf_counter() - start) / iterations * 1e6)
        _impl_test.reset()
    return statistics.median(runs)


def _emit(service, ctxt):
    service_notification.ServiceStatusNotification.for_service(
        service, fields.NotificationAction.UPDATE).emit(ctxt)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--iterations', type=int, default=2000,
                        help='calls per measured run (default: 2000)')
    args = parser.parse_args()
    state_path = tempfile.mkdtemp(prefix='nova-bench-')
    try:
        _setup(state_path)
        ctxt = nova_context.get_admin_context()
        service = objects.Service(ctxt, host='bench-host',
                                  binary='nova-compute', topic='compute')
        service.create()

        emit_us = _per_call_us(lambda: _emit(service, ctxt), args.iterations)
        _emit(service, ctxt)
        relay.Relay(CONF, 'benchmark').flush(120)
        wire_message = _impl_test.NOTIFICATIONS[-1][1]
        floor_us = _per_call_us(lambda: json.dumps(wire_message),
                                args.iterations * 5)

        def toggle():
            service.disabled = not service.disabled
            service.save()
        save_us = _per_call_us(toggle, max(args.iterations // 10, 50))

        counter = iter(range(10 ** 9))

        def create_destroy():
            other = objects.Service(ctxt, host='h%d' % next(counter),
                                    binary='nova-compute', topic='compute')
            other.create()
            other.destroy()
        pair_us = _per_call_us(create_destroy,
                               max(args.iterations // 10, 50))

        # NOTE: the emit cost must not grow with the notifications already
        # sent about the same object (an upstream weakness).
        later_emit_us = _per_call_us(lambda: _emit(service, ctxt),
                                     args.iterations)
    finally:
        rpc.cleanup()
        shutil.rmtree(state_path, ignore_errors=True)

    print('Versioned service notifications, %s iterations, Python %s'
          % (args.iterations, os.sys.version.split()[0]))
    print('emit (populate + serialize + outbox) : %8.1f us' % emit_us)
    print('emit after %6d earlier emits     : %8.1f us'
          % (args.iterations * 11, later_emit_us))
    print('json.dumps of the wire message floor : %8.1f us' % floor_us)
    print('emit / floor ratio                   : %8.1f x'
          % (emit_us / floor_us))
    print('Service.save() that emits (SQLite)   : %8.1f us' % save_us)
    print('create + destroy pair (SQLite)       : %8.1f us' % pair_us)


if __name__ == '__main__':
    main()
