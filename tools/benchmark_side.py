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

"""Time Service operations with whichever ``nova`` this Python imports.

Run by ``tools/benchmark_upstream.py`` once with this project's virtualenv
and once with upstream nova's, so both run the same code below. It reads
one JSON request per line on stdin (``{"op": "save", "calls": 200}``) and
answers each with one line ``{"cpu_us": ...}``: the CPU microseconds per
call (``time.process_time``: user and system time of this process) of:

* ``notify``: one ``service.update`` made ready to send, without I/O
  (upstream's emit on the ``test`` driver; here the same objects and the
  envelope, serialized as the outbox stores it: this project's emit
  writes a database row);
* ``save``: ``Service.save()`` of a ``disabled`` change, which emits;
* ``pair``: ``Service.create()`` then ``destroy()``, which emit two.

Both sides use a private SQLite file migrated by their own ``db_sync``,
``notification_format = versioned`` and the ``test`` driver. Only names that
both have are imported at the top, so that upstream can run it.

Usage: python tools/benchmark_side.py  (requests on stdin)
"""

from importlib import metadata
import itertools
import json
import os
import shutil
import sys
import tempfile
import time

from oslo_messaging.notify import _impl_test

import nova.conf
from nova import context as nova_context
from nova.db.main import api as db_api
from nova.db import migration
from nova.notifications.objects import base as notification_base
from nova.notifications.objects import service as service_notification
from nova import objects
from nova.objects import fields

CONF = nova.conf.CONF

CONFIG = """
[DEFAULT]
state_path = %(state_path)s
transport_url = fake:/
[database]
connection = sqlite:///%(state_path)s/nova.db
[notifications]
notification_format = versioned
[oslo_messaging_notifications]
driver = test
"""

VERSIONS_COMPARED = ('oslo.versionedobjects', 'oslo.messaging',
                     'oslo.db', 'SQLAlchemy')


def _configure(state_path):
    # NOTE: a file rather than set_override, because upstream registers
    # oslo.messaging's options only when it first makes a transport.
    config_file = os.path.join(state_path, 'nova.conf')
    with open(config_file, 'w') as config:
        config.write(CONFIG % {'state_path': state_path})
    CONF([], project='nova', default_config_files=[config_file])
    objects.register_all()
    # NOTE: both sides turn notifications on from the same configuration
    # as their config.parse_args would.
    try:
        from nova.notifications import delivery
    except ImportError:
        from nova import rpc as delivery
    delivery.init(CONF)
    db_api.configure(CONF)
    migration.db_sync()


def _notify_function(service):
    """One ``service.update`` made ready to send, without any I/O.

    Upstream: the versioned objects emitted on oslo.messaging's ``test``
    driver (which keeps the message in memory). Here: the same objects and
    the envelope, serialized as the outbox stores it.
    """
    def build():
        return service_notification.ServiceStatusNotification(
            priority=fields.NotificationPriority.INFO,
            publisher=notification_base.NotificationPublisher
            .from_service_obj(service),
            event_type=notification_base.EventType(
                object='service', action=fields.NotificationAction.UPDATE),
            payload=service_notification.ServiceStatusPayload(service))

    try:
        from nova.notifications.delivery import envelope
    except ImportError:
        ctxt = service._context
        return lambda: build().emit(ctxt)

    def message():
        built = build()
        return json.dumps(envelope.new(
            built.publisher.to_publisher_id(),
            built.event_type.to_notification_event_type_field(),
            built.priority.upper(), built.payload.obj_to_primitive()))
    return message


def _operations(ctxt):
    service = objects.Service(ctxt, host='bench-host', binary='nova-compute',
                              topic='compute')
    service.create()
    counter = itertools.count()

    def save():
        service.disabled = not service.disabled
        service.save()

    def pair():
        other = objects.Service(ctxt, host='pair-%d' % next(counter),
                                binary='nova-compute', topic='compute')
        other.create()
        other.destroy()

    return {'notify': _notify_function(service), 'save': save,
            'pair': pair}


def _cpu_us(operation, calls):
    start = time.process_time()
    for _ in range(calls):
        operation()
    spent = time.process_time() - start
    _impl_test.reset()
    return spent / calls * 1e6


def main():
    state_path = tempfile.mkdtemp(prefix='nova-bench-side-')
    try:
        _configure(state_path)
        operations = _operations(nova_context.get_admin_context())
        distributions = metadata.packages_distributions()['nova']
        versions = {name: metadata.version(name)
                    for name in distributions + list(VERSIONS_COMPARED)}
        print(json.dumps({'python': sys.version.split()[0],
                          'versions': versions}), flush=True)
        for line in sys.stdin:
            request = json.loads(line)
            cpu_us = _cpu_us(operations[request['op']], request['calls'])
            print(json.dumps({'cpu_us': cpu_us}), flush=True)
    finally:
        shutil.rmtree(state_path, ignore_errors=True)


if __name__ == '__main__':
    main()
