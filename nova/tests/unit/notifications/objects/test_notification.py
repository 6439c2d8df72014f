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

"""The versioned notification framework, emitting through a real notifier."""

import datetime

import fixtures
from oslo_messaging.notify import _impl_test

from nova.notifications import delivery
from nova.notifications.objects import base as notification
from nova.notifications.objects import service as service_notification
from nova import objects
from nova.objects import base
from nova.objects import fields
from nova import test


# NOTE: register_if(False) gives the classes their field properties without
# registering them anywhere, so they never reach the sample checks.
@base.NovaObjectRegistry.register_if(False)
class SourceObject(base.NovaObject):
    """A source whose unset fields cannot be lazy-loaded."""

    VERSION = '1.0'
    fields = {
        'name': fields.StringField(),
        'count': fields.IntegerField(),
        'comment': fields.StringField(nullable=True),
        'when': fields.DateTimeField(nullable=True),
    }


@base.NovaObjectRegistry.register_if(False)
class UnitTestPayload(notification.NotificationPayloadBase):
    SCHEMA = {
        'name': ('source', 'name'),
        'count': ('source', 'count'),
        'comment': ('source', 'comment'),
        'when': ('source', 'when'),
    }
    VERSION = '1.0'
    fields = {
        'name': fields.StringField(),
        'count': fields.IntegerField(),
        'comment': fields.StringField(nullable=True),
        'when': fields.DateTimeField(nullable=True),
        'extra': fields.StringField(nullable=True),
    }

    def __init__(self, source=None, extra=None):
        super().__init__()
        self.extra = extra
        if source is not None:
            self.populate_schema(source=source)


@base.NovaObjectRegistry.register_if(False)
class SchemalessPayload(notification.NotificationPayloadBase):
    VERSION = '1.0'
    fields = {'message': fields.StringField()}

    def __init__(self, message):
        super().__init__()
        self.message = message


@base.NovaObjectRegistry.register_if(False)
class UnitTestNotification(notification.NotificationBase):
    VERSION = '1.0'
    fields = {'payload': fields.ObjectField('NotificationPayloadBase',
                                            subclasses=True)}


def make_source(**values):
    values.setdefault('name', 'x')
    values.setdefault('count', 1)
    return SourceObject(**values)


class TestEventType(test.TestCase):

    USES_DB = False

    def test_without_phase(self):
        event_type = notification.EventType(object='service',
                                            action='create')
        self.assertEqual('service.create',
                         event_type.to_notification_event_type_field())
        self.assertIsNone(event_type.phase)

    def test_with_phase(self):
        for phase in fields.NotificationPhase.ALL:
            event_type = notification.EventType(
                object='service', action=fields.NotificationAction.UPDATE,
                phase=phase)
            self.assertEqual('service.update.%s' % phase,
                             event_type.to_notification_event_type_field())

    def test_invalid_action_or_phase(self):
        self.assertRaises(ValueError, notification.EventType,
                          object='service', action='explode')
        self.assertRaises(ValueError, notification.EventType,
                          object='service', action='create', phase='middle')


class TestNotificationPublisher(test.TestCase):

    USES_DB = False

    def _service(self, binary):
        return objects.Service(host='host1', binary=binary)

    def test_from_service_obj(self):
        publisher = notification.NotificationPublisher.from_service_obj(
            self._service('nova-compute'))
        self.assertEqual('host1', publisher.host)
        self.assertEqual('nova-compute', publisher.source)
        self.assertEqual('nova-compute:host1', publisher.to_publisher_id())

    def test_api_service_publishes_as_nova_api(self):
        publisher = notification.NotificationPublisher.from_service_obj(
            self._service('nova-osapi_compute'))
        self.assertEqual('nova-api:host1', publisher.to_publisher_id())

    def test_unknown_binary(self):
        self.assertRaises(ValueError,
                          notification.NotificationPublisher.from_service_obj,
                          self._service('nova-foo'))

    def test_host_is_required(self):
        self.assertRaises(ValueError, notification.NotificationPublisher,
                          host=None, source='nova-compute')


class TestPopulateSchema(test.TestCase):

    USES_DB = False

    def test_copies_the_schema_fields(self):
        when = datetime.datetime(2012, 10, 29, 13, 42, 5,
                                 tzinfo=datetime.timezone.utc)
        payload = UnitTestPayload(
            make_source(name='n', count=3, comment='c', when=when),
            extra='e')
        self.assertTrue(payload.populated)
        self.assertEqual(('n', 3, 'c', when, 'e'),
                         (payload.name, payload.count, payload.comment,
                          payload.when, payload.extra))
        self.assertEqual(set(), payload.obj_what_changed())

    def test_unset_source_field_becomes_none_when_nullable(self):
        payload = UnitTestPayload(make_source())
        self.assertIsNone(payload.comment)
        self.assertIsNone(payload.when)
        self.assertTrue(payload.populated)

    def test_unset_source_field_fails_when_not_nullable(self):
        source = SourceObject(name='n')
        payload = UnitTestPayload()
        error = self.assertRaises(ValueError, payload.populate_schema,
                                  source=source)
        self.assertIn('Cannot populate UnitTestPayload.count: '
                      'SourceObject.count is not set and could not be loaded',
                      str(error))
        self.assertFalse(payload.populated)

    def test_missing_source_object(self):
        payload = UnitTestPayload()
        error = self.assertRaises(ValueError, payload.populate_schema,
                                  other=make_source())
        self.assertEqual("populate_schema of UnitTestPayload needs the "
                         "'source' object", str(error))
        self.assertFalse(payload.populated)

    def test_unset_service_field_is_lazy_loaded_or_none(self):
        # NOTE: a Service cannot load its availability zone; the payload
        # field is nullable, so the payload says null.
        service = objects.Service(host='h', binary='nova-compute',
                                  topic='compute', report_count=0,
                                  disabled=False, forced_down=False,
                                  uuid='fa69c544-906b-4a6a-a9c6-c1f7a8078c73')
        payload = service_notification.ServiceStatusPayload(service)
        self.assertIsNone(payload.availability_zone)
        self.assertIsNone(payload.last_seen_up)

    def test_payload_without_schema_is_populated_at_once(self):
        payload = SchemalessPayload(message='hello')
        self.assertTrue(payload.populated)


class TestEmit(test.TestCase):
    """emit records in the outbox; the relay delivers what it recorded."""

    def _notification(self, payload=None,
                      priority=fields.NotificationPriority.INFO,
                      phase=None):
        if payload is None:
            payload = UnitTestPayload(make_source(name='n', count=3))
        return UnitTestNotification(
            priority=priority,
            publisher=notification.NotificationPublisher(
                host='host1', source='nova-compute'),
            event_type=notification.EventType(
                object='service', action='update', phase=phase),
            payload=payload)

    def test_emit(self):
        self._notification(phase='start').emit(self.context)

        message, = self.notifier.versioned_notifications
        self.assertEqual('service.update.start', message['event_type'])
        self.assertEqual('nova-compute:host1', message['publisher_id'])
        self.assertEqual('INFO', message['priority'])
        self.assertEqual(
            {'nova_object.name': 'UnitTestPayload',
             'nova_object.namespace': 'nova',
             'nova_object.version': '1.0',
             'nova_object.data': {'name': 'n', 'count': 3, 'comment': None,
                                  'when': None, 'extra': None}},
            message['payload'])

    def test_emitted_payload_has_no_changes(self):
        payload = UnitTestPayload(make_source())
        # NOTE: fields set after population are changes too.
        payload.extra = 'set late'
        payload.count = 7
        self._notification(payload).emit(self.context)
        message, = self.notifier.versioned_notifications
        self.assertNotIn('nova_object.changes', message['payload'])
        self.assertEqual('set late',
                         message['payload']['nova_object.data']['extra'])
        self.assertEqual(7, message['payload']['nova_object.data']['count'])

    def test_emitted_datetime_format(self):
        when = datetime.datetime(2012, 10, 29, 13, 42, 5, 123456,
                                 tzinfo=datetime.timezone.utc)
        self._notification(UnitTestPayload(make_source(when=when))).emit(
            self.context)
        message, = self.notifier.versioned_notifications
        self.assertEqual('2012-10-29T13:42:05Z',
                         message['payload']['nova_object.data']['when'])

    def test_unpopulated_payload_is_refused(self):
        error = self.assertRaises(ValueError,
                                  self._notification(UnitTestPayload()).emit,
                                  self.context)
        self.assertIn('Payload of UnitTestNotification is not populated',
                      str(error))
        self.assertEqual([], self.notifier.versioned_notifications)

    def test_schemaless_payload_is_emitted(self):
        self._notification(SchemalessPayload(message='hi')).emit(
            self.context)
        message, = self.notifier.versioned_notifications
        self.assertEqual({'message': 'hi'},
                         message['payload']['nova_object.data'])

    def test_priority_selects_the_notifier_method(self):
        for priority in fields.NotificationPriority.ALL:
            self.notifier.reset()
            self._notification(priority=priority).emit(self.context)
            message, = self.notifier.versioned_notifications
            self.assertEqual(priority.upper(), message['priority'])
            _ctxt, _message, driver_priority, _retry = (
                _impl_test.NOTIFICATIONS[0])
            self.assertEqual(priority.upper(), driver_priority)

    def test_warn_priority(self):
        self._notification(
            priority=fields.NotificationPriority.WARN).emit(self.context)
        self.assertEqual(
            'WARN', self.notifier.versioned_notifications[0]['priority'])

    def test_retry_is_bounded(self):
        self._notification().emit(self.context)
        self.notifier.flush()
        _ctxt, _message, _priority, retry = _impl_test.NOTIFICATIONS[0]
        self.assertEqual(1, retry)

    def test_emit_returns_none(self):
        self.assertIsNone(self._notification().emit(self.context))

    def _assert_nothing_emitted(self):
        result = self._notification().emit(self.context)
        self.assertIsNone(result)
        self.assertEqual([], self.notifier.versioned_notifications)

    def test_unversioned_format_emits_nothing(self):
        self.flags(notification_format='unversioned', group='notifications')
        delivery.init(self.conf.conf)
        self._assert_nothing_emitted()

    def test_noop_driver_emits_nothing(self):
        self.flags(driver=['noop'], group='oslo_messaging_notifications')
        delivery.init(self.conf.conf)
        self._assert_nothing_emitted()

    def test_unpopulated_payload_not_checked_when_disabled(self):
        # NOTE: the decorator skips the whole emit, checks included, so a
        # disabled notifier costs nothing.
        self.flags(driver=['noop'], group='oslo_messaging_notifications')
        delivery.init(self.conf.conf)
        self.assertIsNone(
            self._notification(UnitTestPayload()).emit(self.context))

    def test_both_format_emits(self):
        self.flags(notification_format='both', group='notifications')
        delivery.init(self.conf.conf)
        self._notification().emit(self.context)
        self.assertEqual(1, len(self.notifier.versioned_notifications))

    def test_emit_without_init_emits_nothing(self):
        # NOTE: what a process that never read its configuration knows.
        self.useFixture(fixtures.MonkeyPatch(
            'nova.notifications.delivery._ENABLED', False))
        self._assert_nothing_emitted()


class TestNotificationSample(test.TestCase):

    USES_DB = False

    def test_samples_in_decoration_order(self):
        @notification.notification_sample("b.json")
        @notification.notification_sample("a.json")
        class Parent(notification.NotificationBase):
            pass

        self.assertEqual(['a.json', 'b.json'], Parent.samples)

    def test_subclass_gets_its_own_list(self):
        @notification.notification_sample("parent.json")
        class Parent(notification.NotificationBase):
            pass

        @notification.notification_sample("child.json")
        class Child(Parent):
            pass

        self.assertEqual(['parent.json'], Parent.samples)
        self.assertEqual(['child.json'], Child.samples)

    def test_returns_the_class(self):
        class Plain(notification.NotificationBase):
            pass

        self.assertIs(Plain, notification.notification_sample("x.json")(
            Plain))
