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

"""nova.service: the runner registers its record, heartbeats and stops."""

import time

from nova.db.main import api as db
from nova import exception
from nova import objects
from nova.objects import service as service_obj
from nova import service
from nova import test

# NOTE: long enough that no background heartbeat fires during a test that
# drives report_state itself.
NEVER = 3600


class ServiceRunnerTestCase(test.TestCase):

    def _runner(self, report_interval=NEVER, **kwargs):
        runner = service.Service.create(binary='nova-compute',
                                        report_interval=report_interval,
                                        **kwargs)
        self.addCleanup(runner.stop, timeout=5)
        return runner

    def _record(self, host='host1', binary='nova-compute'):
        return objects.Service.get_by_host_and_binary(self.context, host,
                                                      binary)

    def _event_types(self):
        return [n['event_type'] for n in self.notifier.versioned_notifications]

    def _wait_until(self, condition, what, timeout=5.0):
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                self.fail('Timed out after %.1fs waiting for %s'
                          % (timeout, what))
            time.sleep(0.01)


class TestCreate(ServiceRunnerTestCase):

    def test_defaults_from_the_configuration(self):
        runner = service.Service.create(binary='nova-compute')
        self.assertEqual('host1', runner.host)
        self.assertEqual('compute', runner.topic)
        self.assertEqual(10, runner.report_interval)

    def test_explicit_values(self):
        runner = service.Service.create(binary='nova-conductor', topic='t',
                                        host='h', report_interval=2)
        self.assertEqual(('h', 'nova-conductor', 't', 2),
                         (runner.host, runner.binary, runner.topic,
                          runner.report_interval))


class TestStart(ServiceRunnerTestCase):

    def test_first_start_creates_the_record(self):
        runner = self._runner()
        runner.start()
        record = self._record()
        self.assertEqual(runner.service_ref.uuid, record.uuid)
        self.assertEqual('compute', record.topic)
        self.assertEqual(0, record.report_count)
        self.assertEqual(service_obj.SERVICE_VERSION, record.version)
        self.assertEqual(['service.create'], self._event_types())
        self.assertEqual(
            record.uuid,
            self.notifier.versioned_notifications[0]['payload'][
                'nova_object.data']['uuid'])

    def test_restart_of_an_older_version_updates_it_silently(self):
        old = db.service_create(self.context, {
            'host': 'host1', 'binary': 'nova-compute', 'topic': 'compute',
            'uuid': 'fa69c544-906b-4a6a-a9c6-c1f7a8078c73', 'version': 0})
        runner = self._runner()
        runner.start()
        record = self._record()
        self.assertEqual(old['id'], record.id)
        self.assertEqual(service_obj.SERVICE_VERSION, record.version)
        self.assertEqual([], self.notifier.versioned_notifications)
        self.assertEqual(1, len(objects.ServiceList.get_all(self.context)))

    def test_restart_with_the_same_version_writes_nothing(self):
        first = self._runner()
        first.start()
        first.stop()
        self.notifier.reset()

        second = self._runner()
        second.start()
        record = self._record()
        self.assertEqual(first.service_ref.uuid, record.uuid)
        # NOTE: any write would have set updated_at.
        self.assertIsNone(record.updated_at)
        self.assertEqual([], self.notifier.versioned_notifications)

    def test_start_after_delete_creates_a_new_record(self):
        first = self._runner()
        first.start()
        first.stop()
        first.service_ref.destroy()
        self.notifier.reset()

        second = self._runner()
        second.start()
        self.assertNotEqual(first.service_ref.uuid,
                            second.service_ref.uuid)
        self.assertEqual(['service.create'], self._event_types())

    def test_start_of_an_unknown_binary(self):
        runner = service.Service.create(binary='nova-foo',
                                        report_interval=NEVER)
        self.addCleanup(runner.stop, timeout=5)
        self.assertRaises(exception.ObjectActionError, runner.start)
        self.assertEqual([], self.notifier.versioned_notifications)


class TestHeartbeat(ServiceRunnerTestCase):

    def test_report_state(self):
        runner = self._runner()
        runner.start()
        self.notifier.reset()
        runner.report_state()
        runner.report_state()
        record = self._record()
        self.assertEqual(2, record.report_count)
        self.assertIsNotNone(record.last_seen_up)
        self.assertEqual([], self.notifier.versioned_notifications)

    def test_heartbeat_thread_beats_and_stops(self):
        runner = self._runner(report_interval=0.01)
        runner.start()
        heartbeat = runner._heartbeat
        self.assertTrue(heartbeat.is_alive())
        self._wait_until(lambda: self._record().report_count >= 2,
                         'two heartbeats')

        runner.stop(timeout=5)

        self.assertFalse(heartbeat.is_alive())
        self.assertIsNone(runner._heartbeat)
        stopped_at = self._record().report_count
        self.assertIsNotNone(self._record().last_seen_up)
        self.assertEqual(['service.create'], self._event_types())
        # NOTE: the thread is gone, so nothing can beat any more.
        self.assertEqual(stopped_at, self._record().report_count)

    def test_heartbeat_stops_when_the_record_is_deleted(self):
        runner = self._runner(report_interval=0.01)
        runner.start()
        heartbeat = runner._heartbeat
        objects.Service.get_by_id(self.context,
                                  runner.service_ref.id).destroy()
        heartbeat.join(5)
        self.assertFalse(heartbeat.is_alive())
        self.assertIn('Service record %s was deleted; heartbeat stops.'
                      % runner.service_ref.uuid, self.stdlog.output)

    def test_heartbeat_survives_a_failed_beat(self):
        runner = self._runner(report_interval=0.01)
        runner.start()
        calls = []
        real_save = runner.service_ref.save

        def flaky_save():
            calls.append(None)
            if len(calls) == 1:
                raise exception.NovaException('database hiccup')
            return real_save()

        runner.service_ref.save = flaky_save
        self._wait_until(lambda: self._record().report_count >= 1,
                         'a heartbeat after the failed one')
        self.assertIn('Heartbeat of nova-compute on host1 failed',
                      self.stdlog.output)
        self.assertTrue(runner._heartbeat.is_alive())

    def test_stop_before_start(self):
        runner = self._runner()
        runner.stop()
        self.assertIsNone(runner._heartbeat)

    def test_start_again_after_stop(self):
        runner = self._runner(report_interval=0.01)
        runner.start()
        runner.stop(timeout=5)
        runner.start()
        self._wait_until(lambda: self._record().report_count >= 1,
                         'a heartbeat after the restart')
        self.assertEqual(['service.create'], self._event_types())

    def test_wait_returns_after_stop(self):
        runner = self._runner()
        runner.start()
        runner.stop()
        started = time.monotonic()
        runner.wait()
        self.assertLess(time.monotonic() - started, 1)
