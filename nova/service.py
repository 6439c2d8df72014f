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

"""Run a nova service: register its record, heartbeat, stop cleanly."""

import threading

from oslo_log import log as logging

import nova.conf
from nova import context as nova_context
from nova import exception
from nova import objects
from nova.objects import service as service_obj

LOG = logging.getLogger(__name__)
CONF = nova.conf.CONF


class Service(object):
    """A running service: its record in the database and its heartbeat.

    ``start`` creates the record on the first start of ``binary`` on
    ``host`` (emitting ``service.create``) or, on a restart, brings the
    record's code version up to date without notifying anybody. A
    background thread then reports a heartbeat every ``report_interval``
    seconds until ``stop``.
    """

    def __init__(self, host, binary, topic, report_interval=None):
        self.host = host
        self.binary = binary
        self.topic = topic
        self.report_interval = report_interval or CONF.report_interval
        self.context = nova_context.get_admin_context()
        self.service_ref = None
        self._stopping = threading.Event()
        self._heartbeat = None

    @classmethod
    def create(cls, binary, topic=None, host=None, report_interval=None):
        """Build a service for ``binary`` on this host (``[DEFAULT] host``)."""
        topic = topic or service_obj.default_topic(binary)
        return cls(host or CONF.host, binary, topic,
                   report_interval=report_interval)

    def start(self):
        """Register the service record and start heartbeating."""
        objects.register_all()
        self.service_ref, created = objects.Service.register(
            self.context, self.host, self.binary, self.topic)
        if created:
            LOG.info('Created service record %s for %s on %s',
                     self.service_ref.uuid, self.binary, self.host)
        self._stopping.clear()
        self._heartbeat = threading.Thread(
            target=self._heartbeat_loop, name='%s-heartbeat' % self.binary,
            daemon=True)
        self._heartbeat.start()

    def report_state(self):
        """Record one heartbeat: bump report_count and last_seen_up."""
        self.service_ref.report_count += 1
        self.service_ref.save()

    def _heartbeat_loop(self):
        while not self._stopping.wait(self.report_interval):
            try:
                self.report_state()
            except exception.ServiceNotFound:
                LOG.error('Service record %s was deleted; heartbeat stops.',
                          self.service_ref.uuid)
                return
            except exception.DatabaseUnavailable as error:
                # NOTE: the database API logs the outage, once.
                LOG.debug('Heartbeat of %s on %s failed: %s', self.binary,
                          self.host, error)
            except Exception:
                # NOTE: a database hiccup must not kill the heartbeat; the
                # next beat tries again.
                LOG.exception('Heartbeat of %s on %s failed', self.binary,
                              self.host)

    def stop(self, timeout=None):
        """Stop heartbeating and wait for the heartbeat thread to end.

        The record stays: a stopped service is reported down, not deleted.
        """
        self._stopping.set()
        if self._heartbeat is not None:
            self._heartbeat.join(timeout if timeout is not None
                                 else self.report_interval + 5)
            self._heartbeat = None

    def wait(self):
        """Block until ``stop`` is called from another thread or a signal."""
        while not self._stopping.wait(1):
            pass
