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

"""Field types of nova's objects: the notification enums, strict fields."""

import testtools

from nova.objects import fields


class TestNotificationEnums(testtools.TestCase):

    def test_priority_values(self):
        self.assertEqual(
            ('audit', 'critical', 'debug', 'info', 'error', 'sample',
             'warn'),
            fields.NotificationPriority.ALL)

    def test_phase_values(self):
        self.assertEqual(('start', 'end', 'error', 'progress'),
                         fields.NotificationPhase.ALL)

    def test_action_values(self):
        self.assertEqual(('create', 'delete', 'update'),
                         fields.NotificationAction.ALL)

    def test_enum_field_accepts_valid_values(self):
        field = fields.NotificationActionField()
        for value in fields.NotificationAction.ALL:
            self.assertEqual(value, field.coerce(None, 'action', value))

    def test_enum_field_refuses_other_values(self):
        for field, value in (
                (fields.NotificationActionField(), 'explode'),
                (fields.NotificationPhaseField(), 'middle'),
                (fields.NotificationPriorityField(), 'INFO'),
                (fields.NotificationSourceField(), 'nova-osapi_compute')):
            self.assertRaises(ValueError, field.coerce, None, 'f', value)

    def test_enum_field_nullable(self):
        field = fields.NotificationPhaseField(nullable=True)
        self.assertIsNone(field.coerce(None, 'phase', None))
        self.assertRaises(ValueError, fields.NotificationPhaseField().coerce,
                          None, 'phase', None)


class TestNotificationSource(testtools.TestCase):

    def test_api_binary_publishes_as_nova_api(self):
        self.assertEqual(
            'nova-api',
            fields.NotificationSource.get_source_by_binary(
                'nova-osapi_compute'))

    def test_service_binaries_publish_under_their_name(self):
        for binary in ('nova-compute', 'nova-conductor', 'nova-scheduler',
                       'nova-api', 'nova-metadata', 'nova-novncproxy',
                       'nova-serialproxy', 'nova-spicehtml5proxy'):
            self.assertEqual(
                binary,
                fields.NotificationSource.get_source_by_binary(binary))

    def test_unknown_binary_is_refused(self):
        for binary in ('nova-foo', 'compute', '', None):
            error = self.assertRaises(
                ValueError,
                fields.NotificationSource.get_source_by_binary, binary)
            self.assertIn(repr(binary), str(error))

    def test_every_source_is_a_valid_field_value(self):
        field = fields.NotificationSourceField()
        for source in fields.NotificationSource.ALL:
            self.assertEqual(source, field.coerce(None, 'source', source))


class TestStrictBoolean(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.field = fields.StrictBooleanField()

    def test_booleans(self):
        self.assertIs(True, self.field.coerce(None, 'disabled', True))
        self.assertIs(False, self.field.coerce(None, 'disabled', False))

    def test_anything_else_is_refused(self):
        for value in ('maybe', 'true', 'False', '', 1, 0, [], 1.0):
            error = self.assertRaises(ValueError, self.field.coerce,
                                      None, 'disabled', value)
            self.assertIn('disabled must be a boolean', str(error))

    def test_none_only_when_nullable(self):
        self.assertRaises(ValueError, self.field.coerce, None, 'disabled',
                          None)
        self.assertIsNone(fields.StrictBooleanField(nullable=True).coerce(
            None, 'disabled', None))


class TestStrictUUID(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.field = fields.StrictUUIDField()

    def test_uuid(self):
        value = 'fa69c544-906b-4a6a-a9c6-c1f7a8078c73'
        self.assertEqual(value, self.field.coerce(None, 'uuid', value))

    def test_anything_else_is_refused(self):
        for value in ('not-a-uuid', '', 'fa69c544-906b-4a6a-a9c6', 42,
                      ['fa69c544-906b-4a6a-a9c6-c1f7a8078c73']):
            error = self.assertRaises(ValueError, self.field.coerce,
                                      None, 'uuid', value)
            self.assertIn('uuid must be a uuid', str(error))
