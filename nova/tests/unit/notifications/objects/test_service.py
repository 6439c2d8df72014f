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

"""ServiceStatusNotification and ServiceStatusPayload: what consumers get."""

import copy
import datetime
from unittest import mock

from oslo_utils import timeutils

from nova import context
from nova.notifications.objects import base as notification
from nova.notifications.objects import service as service_notification
from nova import objects
from nova.objects import fields
from nova import test
from nova.tests.unit.objects.test_service import fake_service

SERVICE_UUID = 'fa69c544-906b-4a6a-a9c6-c1f7a8078c73'

# NOTE: the order of upstream nova's payload, which consumers may rely on
# when they print or diff it.
UPSTREAM_FIELD_ORDER = [
    'host', 'binary', 'topic', 'report_count', 'disabled',
    'disabled_reason', 'availability_zone', 'last_seen_up', 'forced_down',
    'version', 'uuid']
UPSTREAM_NULLABLE = {'host', 'binary', 'topic', 'disabled_reason',
                     'availability_zone', 'last_seen_up'}


def make_service(**values):
    values.setdefault('host', 'host1')
    values.setdefault('binary', 'nova-compute')
    values.setdefault('topic', 'compute')
    values.setdefault('report_count', 1)
    values.setdefault('disabled', False)
    values.setdefault('disabled_reason', None)
    values.setdefault('forced_down', False)
    values.setdefault('last_seen_up', datetime.datetime(
        2012, 10, 29, 13, 42, 5, 654321, tzinfo=datetime.timezone.utc))
    values.setdefault('uuid', SERVICE_UUID)
    return objects.Service(**values)


class TestServiceStatusPayload(test.TestCase):

    USES_DB = False

    def test_versions(self):
        self.assertEqual('1.1',
                         service_notification.ServiceStatusPayload.VERSION)
        self.assertEqual(
            '1.0', service_notification.ServiceStatusNotification.VERSION)

    def test_field_order_and_nullability(self):
        payload_fields = service_notification.ServiceStatusPayload.fields
        self.assertEqual(UPSTREAM_FIELD_ORDER, list(payload_fields))
        self.assertEqual(
            UPSTREAM_NULLABLE,
            {name for name, field in payload_fields.items()
             if field.nullable})

    def test_schema_covers_every_field_from_the_service(self):
        schema = service_notification.ServiceStatusPayload.SCHEMA
        self.assertEqual(set(UPSTREAM_FIELD_ORDER), set(schema))
        for field, (source, source_field) in schema.items():
            self.assertEqual('service', source)
            self.assertEqual(field, source_field)
            self.assertIn(source_field, objects.Service.fields)

    def test_primitive(self):
        payload = service_notification.ServiceStatusPayload(make_service())
        primitive = payload.obj_to_primitive()
        self.assertEqual('ServiceStatusPayload',
                         primitive['nova_object.name'])
        self.assertEqual('nova', primitive['nova_object.namespace'])
        self.assertEqual('1.1', primitive['nova_object.version'])
        self.assertNotIn('nova_object.changes', primitive)
        data = primitive['nova_object.data']
        self.assertEqual(UPSTREAM_FIELD_ORDER, list(data))
        self.assertEqual(
            {'host': 'host1', 'binary': 'nova-compute', 'topic': 'compute',
             'report_count': 1, 'disabled': False, 'disabled_reason': None,
             'availability_zone': None,
             'last_seen_up': '2012-10-29T13:42:05Z', 'forced_down': False,
             'version': 1, 'uuid': SERVICE_UUID},
            data)

    def test_version_1_0_drops_uuid(self):
        payload = service_notification.ServiceStatusPayload(make_service())
        current = payload.obj_to_primitive()
        old = payload.obj_to_primitive(target_version='1.0')
        self.assertEqual('1.0', old['nova_object.version'])
        self.assertNotIn('uuid', old['nova_object.data'])
        expected = dict(current['nova_object.data'])
        del expected['uuid']
        self.assertEqual(expected, old['nova_object.data'])
        self.assertEqual(SERVICE_UUID,
                         current['nova_object.data']['uuid'])

    def test_availability_zone_is_null(self):
        payload = service_notification.ServiceStatusPayload(make_service())
        self.assertIsNone(payload.availability_zone)

    def test_service_missing_a_required_field(self):
        service = make_service()
        delattr(service, '_obj_report_count')
        error = self.assertRaises(
            ValueError, service_notification.ServiceStatusPayload, service)
        self.assertIn('ServiceStatusPayload.report_count', str(error))

    def test_payload_without_service_is_not_populated(self):
        payload = service_notification.ServiceStatusPayload()
        self.assertFalse(payload.populated)

    def test_samples_declared(self):
        self.assertCountEqual(
            ['service-create.json', 'service-update.json',
             'service-delete.json'],
            service_notification.ServiceStatusNotification.samples)

    def test_payload_type_is_the_status_payload(self):
        self.assertRaises(
            ValueError, service_notification.ServiceStatusNotification,
            payload=notification.EventType(object='service',
                                           action='create'))


# NOTE: upstream nova 34.0.0's tests of when Service emits, their bodies as
# upstream has them: a Service built, saved, created and destroyed against
# a patched database API emits ServiceStatusNotification(...).emit(context).
class TestServiceStatusNotification(test.TestCase):
    def setUp(self):
        self.ctxt = context.get_admin_context()
        super(TestServiceStatusNotification, self).setUp()

    @mock.patch('nova.notifications.objects.service.ServiceStatusNotification')
    def _verify_notification(self, service_obj, action, mock_notification):
        if action == fields.NotificationAction.CREATE:
            service_obj.create()
        elif action == fields.NotificationAction.UPDATE:
            service_obj.save()
        elif action == fields.NotificationAction.DELETE:
            service_obj.destroy()
        else:
            raise Exception('Unsupported action: %s' % action)

        self.assertTrue(mock_notification.called)

        event_type = mock_notification.call_args[1]['event_type']
        priority = mock_notification.call_args[1]['priority']
        publisher = mock_notification.call_args[1]['publisher']
        payload = mock_notification.call_args[1]['payload']

        self.assertEqual(service_obj.host, publisher.host)
        self.assertEqual(service_obj.binary, publisher.source)
        self.assertEqual(fields.NotificationPriority.INFO, priority)
        self.assertEqual('service', event_type.object)
        self.assertEqual(action, event_type.action)
        for field in service_notification.ServiceStatusPayload.SCHEMA:
            if field in fake_service:
                self.assertEqual(fake_service[field], getattr(payload, field))

        mock_notification.return_value.emit.assert_called_once_with(self.ctxt)

    @mock.patch('nova.db.main.api.service_update')
    def test_service_update_with_notification(self, mock_db_service_update):
        service_obj = objects.Service(context=self.ctxt, id=fake_service['id'])
        mock_db_service_update.return_value = fake_service
        for key, value in {'disabled': True,
                           'disabled_reason': 'my reason',
                           'forced_down': True}.items():
            setattr(service_obj, key, value)
            self._verify_notification(service_obj,
                                      fields.NotificationAction.UPDATE)

    @mock.patch('nova.notifications.objects.service.ServiceStatusNotification')
    @mock.patch('nova.db.main.api.service_update')
    def test_service_update_without_notification(self,
                                                 mock_db_service_update,
                                                 mock_notification):
        service_obj = objects.Service(context=self.ctxt, id=fake_service['id'])
        mock_db_service_update.return_value = fake_service

        for key, value in {'report_count': 13,
                           'last_seen_up': timeutils.utcnow()}.items():
            setattr(service_obj, key, value)
            service_obj.save()
            self.assertFalse(mock_notification.called)

    @mock.patch('nova.db.main.api.service_create')
    def test_service_create_with_notification(self, mock_db_service_create):
        service_obj = objects.Service(context=self.ctxt)
        service_obj["uuid"] = fake_service["uuid"]
        mock_db_service_create.return_value = fake_service
        self._verify_notification(service_obj,
                                  fields.NotificationAction.CREATE)

    @mock.patch('nova.db.main.api.service_destroy')
    def test_service_destroy_with_notification(self, mock_db_service_destroy):
        # NOTE: the one line upstream has not: destroy() takes the service
        # as the database deleted it, so the patched call returns a row.
        mock_db_service_destroy.return_value = fake_service
        service = copy.deepcopy(fake_service)
        service.pop("version")
        service_obj = objects.Service(context=self.ctxt, **service)
        self._verify_notification(service_obj,
                                  fields.NotificationAction.DELETE)
