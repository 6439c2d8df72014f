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

"""The liveness and zone shown for a service."""

import datetime

import fixtures
from oslo_utils import timeutils

from nova.api.openstack.compute import services
from nova import objects
from nova import test


def _service(**values):
    """A Service as loaded from the database: every stored field set."""
    fields = dict(id=1, uuid='fa69c544-906b-4a6a-a9c6-c1f7a8078c73',
                  host='host1', binary='nova-compute', topic='compute',
                  disabled=False, disabled_reason=None, forced_down=False,
                  created_at=None, updated_at=None, last_seen_up=None)
    fields.update(values)
    return objects.Service(**fields)


class TestServiceIsUp(test.TestCase):

    USES_DB = False

    def setUp(self):
        super().setUp()
        self.flags(service_down_time=60)
        self.now = timeutils.utcnow(with_timezone=True)
        self.useFixture(_TimeFixture(self.now))

    def _service(self, **values):
        return _service(**dict({'created_at': self.now}, **values))

    def test_recent_heartbeat_is_up(self):
        self.assertTrue(services.service_is_up(self._service(
            last_seen_up=self.now - datetime.timedelta(seconds=60))))

    def test_old_heartbeat_is_down(self):
        self.assertFalse(services.service_is_up(self._service(
            last_seen_up=self.now - datetime.timedelta(seconds=61))))

    def test_forced_down_is_down(self):
        self.assertFalse(services.service_is_up(self._service(
            last_seen_up=self.now, forced_down=True)))

    def test_without_heartbeat_creation_counts(self):
        self.assertTrue(services.service_is_up(self._service()))
        self.assertFalse(services.service_is_up(self._service(
            created_at=self.now - datetime.timedelta(seconds=61))))

    def test_api_changes_are_not_heartbeats(self):
        self.assertFalse(services.service_is_up(self._service(
            created_at=self.now - datetime.timedelta(seconds=120),
            updated_at=self.now)))

    def test_no_timestamps_is_down(self):
        self.assertFalse(services.service_is_up(self._service(
            created_at=None)))


class TestAvailabilityZone(test.TestCase):

    USES_DB = False

    def test_zones(self):
        self.flags(default_availability_zone='az1',
                   internal_service_availability_zone='inside')
        self.assertEqual('az1', services.availability_zone(
            _service(binary='nova-compute')))
        self.assertEqual('inside', services.availability_zone(
            _service(binary='nova-conductor')))


class _TimeFixture(fixtures.Fixture):
    """Freeze oslo.utils' clock at ``now``."""

    def __init__(self, now):
        super().__init__()
        self.now = now

    def setUp(self):
        super().setUp()
        timeutils.set_time_override(self.now.replace(tzinfo=None))
        self.addCleanup(timeutils.clear_time_override)
