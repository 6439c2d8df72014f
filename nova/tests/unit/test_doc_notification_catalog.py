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

"""The docs' notification catalog refuses what it cannot document."""

import json
import os
import shutil

import fixtures
import testtools

from nova.notifications.objects import base as notification
from nova.notifications.objects import service as service_notification
from nova.objects import base as nova_base
from nova.objects import fields
from tools import notification_catalog as catalog


# NOTE: these classes get their field properties without joining the
# registry, so neither the docs nor the other tests ever see them.
_unregistered = nova_base.NovaObjectRegistry.register_if(False)


@_unregistered
class SilentNotification(notification.NotificationBase):
    # Version 1.0: Initial version
    VERSION = '1.0'

    fields = {
        'payload': fields.ObjectField('ServiceStatusPayload'),
    }


@notification.notification_sample("service-update.json")
@_unregistered
class CopycatNotification(notification.NotificationBase):
    # Version 1.0: Initial version
    VERSION = '1.0'

    fields = {
        'payload': fields.ObjectField('ServiceStatusPayload'),
    }


@notification.notification_sample("service-gone.json")
@_unregistered
class MissingSampleNotification(notification.NotificationBase):
    # Version 1.0: Initial version
    VERSION = '1.0'

    fields = {
        'payload': fields.ObjectField('ServiceStatusPayload'),
    }


REAL_CLASSES = [service_notification.ServiceStatusNotification,
                service_notification.ServiceStatusPayload]


class TestNotificationCatalog(testtools.TestCase):

    def test_registered_notifications(self):
        rows = catalog.collect_notifications()
        self.assertEqual(
            [('service.create', 'service-create.json'),
             ('service.delete', 'service-delete.json'),
             ('service.update', 'service-update.json')],
            [(row[0], row[3]) for row in rows])
        for _event, cls, payload_cls, _file, sample in rows:
            self.assertIs(service_notification.ServiceStatusNotification, cls)
            self.assertIs(service_notification.ServiceStatusPayload,
                          payload_cls)
            self.assertNotIn('$ref', json.dumps(sample))

    def _assert_refused(self, classes, message, samples_dir=None):
        error = self.assertRaises(
            catalog.CatalogError, catalog.collect_notifications, classes,
            samples_dir or catalog.SAMPLES_DIR)
        self.assertIn(message, str(error))

    def test_class_without_sample(self):
        self._assert_refused(REAL_CLASSES + [SilentNotification],
                             'SilentNotification has no notification_sample')

    def test_sample_used_by_two_classes(self):
        self._assert_refused(
            REAL_CLASSES + [CopycatNotification],
            'sample service-update.json is used by more than one class: '
            'ServiceStatusNotification, CopycatNotification')

    def test_missing_sample_file(self):
        self._assert_refused(
            REAL_CLASSES + [MissingSampleNotification],
            'MissingSampleNotification names the sample service-gone.json, '
            'which does not exist')

    def test_payload_class_not_registered(self):
        self._assert_refused(
            [service_notification.ServiceStatusNotification],
            'ServiceStatusNotification has no payload field of a registered '
            'payload class')

    def test_sample_of_another_payload_version(self):
        samples = self.useFixture(fixtures.TempDir()).path
        shutil.copytree(catalog.SAMPLES_DIR, samples, dirs_exist_ok=True)
        path = os.path.join(samples, 'service-delete.json')
        with open(path) as f:
            sample = json.load(f)
        sample['payload']['nova_object.version'] = '1.0'
        del sample['event_type']
        with open(path, 'w') as f:
            json.dump(sample, f)
        error = self.assertRaises(
            catalog.CatalogError, catalog.collect_notifications,
            REAL_CLASSES, samples)
        self.assertIn('sample service-delete.json carries payload '
                      'ServiceStatusPayload 1.0 but ServiceStatusNotification '
                      'sends ServiceStatusPayload 1.1', str(error))
        self.assertIn('sample service-delete.json has no event_type',
                      str(error))

    def test_sample_of_no_class(self):
        samples = self.useFixture(fixtures.TempDir()).path
        shutil.copytree(catalog.SAMPLES_DIR, samples, dirs_exist_ok=True)
        with open(os.path.join(samples, 'service-moved.json'), 'w') as f:
            f.write('{}')
        self._assert_refused(
            REAL_CLASSES,
            'sample service-moved.json belongs to no notification class',
            samples)

    def test_version_history(self):
        self.assertEqual(
            [('1.0', 'Initial version'), ('1.1', 'Added uuid field')],
            catalog.version_history(
                service_notification.ServiceStatusPayload))
