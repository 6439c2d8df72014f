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

"""The object fingerprint table and nova's object registry.

Any change of the fields of an object, or of the ``SCHEMA`` of a payload,
changes its fingerprint: the test fails until the object's VERSION is bumped
(with a version-history comment) and the table below is updated.
"""

import fixtures
from oslo_versionedobjects import fixture
import testtools

from nova.notifications.objects import base as notification_base
from nova.notifications.objects import service as service_notification
from nova import objects
from nova.objects import base
from nova.objects import fields
from nova.objects import service as service_obj

# NOTE: ServiceStatusPayload 1.1 and ServiceStatusNotification 1.0 have
# the very fingerprints of upstream nova's (which hashes the payload's
# SCHEMA the same way), so their wire format is upstream's. The other
# classes differ from upstream's by design (Service has fewer fields; the
# framework classes are the project's own).
object_data = {
    'EventType': '1.0-e12326da15c456ebf87bb836850926f9',
    'NotificationPublisher': '1.0-a2ba3fa191379fced06207d095e96c2e',
    'Service': '1.0-7e9c5f4c2848fd5a1ed2421f05931542',
    'ServiceList': '1.0-15ecf022a68ddbb8c2a6739cfc9f8f5e',
    'ServiceStatusNotification': '1.0-a73147b93b520ff0061865849d3dfa56',
    'ServiceStatusPayload': '1.1-64c5f80b3865832b936898f11dcddad0',
}


def get_extra_data(obj_class):
    """Return what else a version depends on: the SCHEMA of a payload.

    A payload filled from other fields of its source sends other values
    under the same names, which consumers must be able to tell apart.
    """
    # NOTE: a sorted list of pairs, as upstream nova hashes it: its repr is
    # the same on every Python (an OrderedDict's changed in 3.12).
    if issubclass(obj_class, notification_base.NotificationPayloadBase):
        return (sorted(obj_class.SCHEMA.items()),)
    return ()


def nova_object_classes():
    """Return the registered classes of nova, by name."""
    return {name: classes for name, classes
            in base.NovaObjectRegistry.obj_classes().items()
            if classes[0].OBJ_PROJECT_NAMESPACE == 'nova'}


def fingerprints(obj_classes=None):
    checker = fixture.ObjectVersionChecker(
        obj_classes if obj_classes is not None else nova_object_classes())
    return checker.get_hashes(extra_data_func=get_extra_data)


def mismatch_report(expected_table, actual_table):
    """Return a message naming each class whose fingerprint differs."""
    lines = []
    for name in sorted(set(expected_table) | set(actual_table)):
        expected = expected_table.get(name)
        actual = actual_table.get(name)
        if expected == actual:
            continue
        if expected is None:
            lines.append('%s is new: add %r: %r to object_data.'
                         % (name, name, actual))
        elif actual is None:
            lines.append('%s is gone: remove it from object_data.' % name)
        else:
            lines.append('%s changed: expected %s, got %s. Bump its VERSION '
                         '(with a version-history comment), then update '
                         'object_data, the samples and the schemas.'
                         % (name, expected, actual))
    return '\n'.join(lines)


class TestObjectVersions(testtools.TestCase):

    def setUp(self):
        super().setUp()
        objects.register_all()
        base.NovaObjectRegistry.register_notification_objects()

    def test_versions(self):
        actual = fingerprints()
        self.assertEqual(object_data, actual,
                         '\n' + mismatch_report(object_data, actual))

    def test_every_notification_class_is_fingerprinted(self):
        for cls in base.NovaObjectRegistry.notification_classes:
            self.assertIn(cls.obj_name(), object_data)

    def test_mismatch_report_is_readable(self):
        stale = dict(object_data,
                     ServiceStatusPayload='1.1-0123456789abcdef')
        del stale['EventType']
        stale['Gone'] = '1.0-ffff'
        report = mismatch_report(stale, fingerprints())
        self.assertIn('ServiceStatusPayload changed: expected '
                      '1.1-0123456789abcdef, got %s. Bump its VERSION'
                      % object_data['ServiceStatusPayload'], report)
        self.assertIn("EventType is new: add 'EventType'", report)
        self.assertIn('Gone is gone', report)
        self.assertNotIn('NotificationPublisher', report)

    def _fingerprint_of(self, cls):
        return fingerprints({cls.obj_name(): [cls]})[cls.obj_name()]

    def test_added_field_changes_the_fingerprint(self):
        class ServiceStatusPayload(service_notification.ServiceStatusPayload):
            fields = dict(
                service_notification.ServiceStatusPayload.fields,
                secret=fields.StringField(nullable=True))

        self.assertEqual(object_data['ServiceStatusPayload'],
                         self._fingerprint_of(
                             service_notification.ServiceStatusPayload))
        self.assertNotEqual(object_data['ServiceStatusPayload'],
                            self._fingerprint_of(ServiceStatusPayload))

    def test_changed_field_type_changes_the_fingerprint(self):
        class Service(service_obj.Service):
            fields = dict(service_obj.Service.fields,
                          report_count=fields.StringField())

        self.assertNotEqual(object_data['Service'],
                            self._fingerprint_of(Service))

    def test_changed_schema_changes_the_fingerprint(self):
        class ServiceStatusPayload(service_notification.ServiceStatusPayload):
            SCHEMA = dict(service_notification.ServiceStatusPayload.SCHEMA,
                          host=('service', 'topic'))

        self.assertNotEqual(object_data['ServiceStatusPayload'],
                            self._fingerprint_of(ServiceStatusPayload))
        # NOTE: without the SCHEMA in the hash the change would go unseen.
        self.assertEqual(
            self._hash_without_schema(
                service_notification.ServiceStatusPayload),
            self._hash_without_schema(ServiceStatusPayload))

    @staticmethod
    def _hash_without_schema(cls):
        checker = fixture.ObjectVersionChecker({cls.obj_name(): [cls]})
        return checker.get_hashes()[cls.obj_name()]


class TestRegistry(testtools.TestCase):

    def setUp(self):
        super().setUp()
        objects.register_all()
        # NOTE: classes declared by these tests must not leak into the
        # list that the sample tests walk.
        self.useFixture(fixtures.MonkeyPatch(
            'nova.objects.base.NovaObjectRegistry.notification_classes',
            []))

    def test_objects_published_by_name(self):
        self.assertIs(service_obj.Service, objects.Service)
        self.assertIs(service_obj.ServiceList, objects.ServiceList)

    def test_register_notification_keeps_class_apart(self):
        class UnitTestPayload(notification_base.NotificationPayloadBase):
            VERSION = '1.0'
            fields = {'name': fields.StringField()}

        registered = base.NovaObjectRegistry.register_notification(
            UnitTestPayload)

        self.assertIs(UnitTestPayload, registered)
        self.assertEqual([UnitTestPayload],
                         base.NovaObjectRegistry.notification_classes)
        self.assertNotIn('UnitTestPayload',
                         base.NovaObjectRegistry.obj_classes())
        self.assertFalse(hasattr(objects, 'UnitTestPayload'))

    def test_serialized_namespace(self):
        primitive = objects.Service(host='h').obj_to_primitive()
        self.assertEqual('Service', primitive['nova_object.name'])
        self.assertEqual('nova', primitive['nova_object.namespace'])
        self.assertEqual('1.0', primitive['nova_object.version'])
        self.assertEqual('h', primitive['nova_object.data']['host'])

    def test_persistent_fields(self):
        for name in ('created_at', 'updated_at', 'deleted_at', 'deleted'):
            self.assertIn(name, objects.Service.fields)
        self.assertFalse(objects.Service.fields['deleted'].nullable)
        self.assertTrue(objects.Service.fields['deleted_at'].nullable)
