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

import datetime

from nova.db.main import api as db_api
from nova.notifications.objects import base as notification
from nova.notifications.objects import service as service_notification
from nova import objects
from nova.objects import fields
from nova import test

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

    def test_for_service(self):
        service = make_service(disabled=True, disabled_reason='test2')
        status = service_notification.ServiceStatusNotification.for_service(
            service, fields.NotificationAction.UPDATE)
        self.assertEqual(fields.NotificationPriority.INFO, status.priority)
        self.assertEqual('service.update',
                         status.event_type.to_notification_event_type_field())
        self.assertEqual('nova-compute:host1',
                         status.publisher.to_publisher_id())
        self.assertTrue(status.payload.populated)
        self.assertTrue(status.payload.disabled)
        self.assertEqual('test2', status.payload.disabled_reason)
        self.assertEqual(service.uuid, status.payload.uuid)

    def test_for_service_of_a_binary_that_publishes_nothing(self):
        service = make_service(binary='nova-nothing')
        self.assertRaises(
            ValueError,
            service_notification.ServiceStatusNotification.for_service,
            service, fields.NotificationAction.UPDATE)

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


class TestRecordForService(test.TestCase):
    """The request path's message is the one the objects would emit."""

    def _recorded(self, record):
        self.notifier.reset()
        with db_api.context_manager.writer.using(self.context):
            record()
        [message] = self.notifier.versioned_notifications
        return {key: value for key, value in message.items()
                if key not in ('message_id', 'timestamp')}

    def test_same_message_as_the_objects(self):
        cls = service_notification.ServiceStatusNotification
        for action in ('create', 'update', 'delete'):
            service = make_service(disabled=True, disabled_reason='why')
            by_objects = self._recorded(lambda: cls.for_service(
                service, action).emit(self.context))
            by_primitive = self._recorded(lambda: cls.record_for_service(
                self.context, service, action))
            self.assertEqual(by_objects, by_primitive)
            self.assertEqual('service.%s' % action,
                             by_primitive['event_type'])

    def test_refusals_are_the_objects_refusals(self):
        cls = service_notification.ServiceStatusNotification
        for service, action in ((make_service(binary='nova-bogus'),
                                 'update'),
                                (make_service(), 'reboot')):
            expected = self.assertRaises(
                ValueError, cls.for_service, service, action)
            actual = self.assertRaises(
                ValueError, cls.record_for_service, self.context, service,
                action)
            self.assertEqual(str(expected), str(actual))
