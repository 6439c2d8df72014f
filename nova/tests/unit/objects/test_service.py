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

"""The Service object on a real database and a real notifier."""

import contextlib
import datetime

import fixtures
from oslo_db import exception as db_exc
from oslo_messaging.notify import _impl_test
from oslo_utils.fixture import uuidsentinel
from oslo_utils import timeutils
from oslo_utils import uuidutils
import sqlalchemy as sa
import testscenarios

from nova.db.main import api as db_api
from nova import exception
from nova.notifications import delivery
from nova import objects
from nova.objects import service as service_obj
from nova import test

load_tests = testscenarios.load_tests_apply_scenarios

FAKE_UUID = 'fa69c544-906b-4a6a-a9c6-c1f7a8078c73'

NOW = timeutils.utcnow().replace(microsecond=0)


# NOTE: a service row as the database API returns it, as upstream nova's
# tests have it (their notification tests import it from here).
def _fake_service(**kwargs):
    fake_service = {
        'created_at': NOW,
        'updated_at': None,
        'deleted_at': None,
        'deleted': False,
        'id': 123,
        'uuid': uuidsentinel.service,
        'host': 'fake-host',
        'binary': 'nova-compute',
        'topic': 'fake-service-topic',
        'report_count': 1,
        'forced_down': False,
        'disabled': False,
        'disabled_reason': None,
        'last_seen_up': None,
        'version': service_obj.SERVICE_VERSION,
    }
    fake_service.update(kwargs)
    return fake_service


fake_service = _fake_service()


class ServiceTestCase(test.TestCase):
    """Helpers to make services and look at the rows behind them."""

    scenarios = test.DATABASE_SCENARIOS

    def _new_service(self, **values):
        values.setdefault('host', 'host1')
        values.setdefault('binary', 'nova-compute')
        values.setdefault('topic', 'compute')
        values.setdefault('report_count', 0)
        return objects.Service(self.context, **values)

    def _create(self, **values):
        service = self._new_service(**values)
        service.create()
        return service

    def _rows(self):
        """Return every row of the table, deleted ones too, read apart."""
        with db_api.get_engine().connect() as connection:
            return [dict(row._mapping) for row in connection.execute(
                sa.text('SELECT * FROM services ORDER BY id'))]

    def _row(self, service_id):
        rows = [row for row in self._rows() if row['id'] == service_id]
        self.assertEqual(1, len(rows), 'no row with id %s' % service_id)
        return rows[0]

    @contextlib.contextmanager
    def _statements(self):
        """Collect the SQL statements run in the block."""
        statements = []

        def record(conn, cursor, statement, *args):
            statements.append(statement)

        engine = db_api.get_engine()
        sa.event.listen(engine, 'before_cursor_execute', record)
        try:
            yield statements
        finally:
            sa.event.remove(engine, 'before_cursor_execute', record)

    def _writes(self, statements):
        return [s for s in statements
                if s.lstrip().upper().startswith(('INSERT', 'UPDATE',
                                                  'DELETE'))]

    def _event_types(self):
        return [n['event_type'] for n in self.notifier.versioned_notifications]

    def _payload_data(self, index=-1):
        notification = self.notifier.versioned_notifications[index]
        return notification['payload']['nova_object.data']


class TestServiceCreate(ServiceTestCase):

    def test_create_generates_uuid(self):
        service = self._create()
        self.assertTrue(uuidutils.is_uuid_like(service.uuid))
        row = self._row(service.id)
        self.assertEqual(service.uuid, row['uuid'])
        self.assertEqual('host1', row['host'])
        self.assertEqual(0, row['deleted'])
        self.assertEqual(service_obj.SERVICE_VERSION, row['version'])
        self.assertEqual({}, service.obj_get_changes())

    def test_a_given_version_is_refused(self):
        # NOTE: as upstream: the version is the code's, never the caller's.
        error = self.assertRaises(
            exception.ObjectActionError, objects.Service, self.context,
            host='host1', binary='nova-compute', version=123)
        self.assertIn('Version field is immutable', str(error))

    def test_item_access_as_upstream(self):
        service = self._create()
        self.assertEqual('host1', service['host'])
        service['disabled'] = True
        service.save()
        self.assertTrue(self._row(service.id)['disabled'])
        self.assertEqual(service.uuid, service.get('uuid'))

    def test_create_keeps_given_uuid(self):
        service = self._create(uuid=FAKE_UUID)
        self.assertEqual(FAKE_UUID, service.uuid)
        self.assertEqual(FAKE_UUID, self._row(service.id)['uuid'])
        self.assertEqual(FAKE_UUID, self._payload_data()['uuid'])

    def test_create_defaults(self):
        service = self._create()
        self.assertFalse(service.disabled)
        self.assertFalse(service.forced_down)
        self.assertIsNone(service.disabled_reason)
        self.assertIsNone(service.last_seen_up)
        self.assertIsNotNone(service.created_at)
        self.assertFalse(service.obj_attr_is_set('availability_zone'))

    def test_create_emits_after_the_row_is_committed(self):
        rows_at_emit = []
        real_notify = _impl_test.TestDriver.notify

        def notify(driver, ctxt, message, priority, retry):
            # NOTE: read through another connection: only a committed row
            # is visible there.
            rows_at_emit.append(self._rows())
            return real_notify(driver, ctxt, message, priority, retry)

        self.useFixture(fixtures.MonkeyPatch(
            'oslo_messaging.notify._impl_test.TestDriver.notify', notify))
        service = self._create()

        self.assertEqual(['service.create'], self._event_types())
        self.assertEqual([[service.uuid]],
                         [[row['uuid'] for row in rows]
                          for rows in rows_at_emit])

    def test_create_notification_content(self):
        service = self._create()
        notification, = self.notifier.versioned_notifications
        self.assertEqual('nova-compute:host1', notification['publisher_id'])
        self.assertEqual('INFO', notification['priority'])
        payload = notification['payload']
        self.assertEqual('ServiceStatusPayload', payload['nova_object.name'])
        self.assertEqual('1.1', payload['nova_object.version'])
        self.assertNotIn('nova_object.changes', payload)
        self.assertEqual(
            {'host': 'host1', 'binary': 'nova-compute', 'topic': 'compute',
             'report_count': 0, 'disabled': False, 'disabled_reason': None,
             'availability_zone': None, 'last_seen_up': None,
             'forced_down': False,
             'version': service_obj.SERVICE_VERSION, 'uuid': service.uuid},
            payload['nova_object.data'])

    def test_api_service_publishes_as_nova_api(self):
        self._create(binary='nova-osapi_compute', topic=None)
        self.assertEqual(
            'nova-api:host1',
            self.notifier.versioned_notifications[0]['publisher_id'])
        self.assertEqual('nova-osapi_compute',
                         self._payload_data()['binary'])

    def test_second_create_is_refused(self):
        service = self._create()
        self.notifier.reset()
        error = self.assertRaises(exception.ObjectActionError,
                                  service.create)
        self.assertIn('already created', str(error))
        self.assertEqual(1, len(self._rows()))
        self.assertEqual([], self.notifier.versioned_notifications)

    def test_duplicate_host_and_binary(self):
        self._create()
        self.notifier.reset()
        duplicate = self._new_service(topic='other')
        self.assertRaises(exception.ServiceBinaryExists, duplicate.create)
        self.assertEqual(1, len(self._rows()))
        self.assertFalse(duplicate.obj_attr_is_set('id'))
        self.assertEqual([], self.notifier.versioned_notifications)

    def test_duplicate_host_and_topic(self):
        self._create()
        self.notifier.reset()
        duplicate = self._new_service(binary='nova-conductor')
        error = self.assertRaises(exception.ServiceTopicExists,
                                  duplicate.create)
        self.assertEqual('Service with host host1 topic compute exists.',
                         str(error))
        self.assertEqual(1, len(self._rows()))
        self.assertEqual([], self.notifier.versioned_notifications)

    def test_duplicate_uuid(self):
        self._create(uuid=FAKE_UUID)
        self.notifier.reset()
        duplicate = self._new_service(host='host2', uuid=FAKE_UUID)
        self.assertRaises(exception.ServiceUUIDExists, duplicate.create)
        self.assertEqual(1, len(self._rows()))
        self.assertEqual([], self.notifier.versioned_notifications)

    def test_same_binary_on_another_host(self):
        first = self._create()
        second = self._create(host='host2')
        self.assertNotEqual(first.uuid, second.uuid)
        self.assertEqual(['service.create', 'service.create'],
                         self._event_types())

    def test_availability_zone_cannot_be_created(self):
        service = self._new_service(availability_zone='nova')
        error = self.assertRaises(exception.ObjectActionError,
                                  service.create)
        self.assertIn('availability_zone cannot be stored', str(error))
        self.assertEqual([], self._rows())
        self.assertEqual([], self.notifier.versioned_notifications)

    def test_unknown_binary_is_refused(self):
        # NOTE: its changes could not be notified, so it is not stored.
        error = self.assertRaises(exception.ObjectActionError, self._create,
                                  binary='nova-foo', topic='foo')
        self.assertIn("'nova-foo' is not the binary of a nova service",
                      str(error))
        self.assertEqual([], self._rows())
        self.assertEqual([], self.notifier.versioned_notifications)


class TestServiceFieldTypes(ServiceTestCase):

    def test_wrong_types_are_refused_at_assignment(self):
        service = self._new_service()
        for field, value in (('report_count', 'abc'),
                             ('disabled', 'maybe'),
                             ('forced_down', 'yes'),
                             ('uuid', 'not-a-uuid'),
                             ('version', 'one'),
                             ('last_seen_up', 'yesterday'),
                             ('host', ['host1'])):
            before = service.obj_get_changes()
            self.assertRaises(ValueError, setattr, service, field, value)
            # NOTE: the refused value is not half-assigned.
            self.assertEqual(before, service.obj_get_changes())

    def test_strict_fields_name_themselves(self):
        service = self._new_service()
        for field, value in (('disabled', 'maybe'),
                             ('forced_down', 1),
                             ('uuid', 'not-a-uuid')):
            error = self.assertRaises(ValueError, setattr, service, field,
                                      value)
            self.assertIn('%s must be a' % field, str(error))
            self.assertIn(repr(value), str(error))

    def test_wrong_types_are_refused_by_the_constructor(self):
        self.assertRaises(ValueError, self._new_service, disabled='maybe')
        self.assertRaises(ValueError, self._new_service, report_count='abc')

    def test_non_nullable_fields_refuse_none(self):
        service = self._new_service()
        for field in ('report_count', 'disabled', 'forced_down', 'uuid',
                      'version'):
            self.assertRaises(ValueError, setattr, service, field, None)

    def test_nothing_written_after_a_refused_value(self):
        service = self._create()
        self.notifier.reset()
        self.assertRaises(ValueError, setattr, service, 'disabled', 'maybe')
        with self._statements() as statements:
            service.save()
        self.assertEqual([], self._writes(statements))
        self.assertFalse(self._row(service.id)['disabled'])
        self.assertEqual([], self.notifier.versioned_notifications)


class TestServiceSave(ServiceTestCase):

    def setUp(self):
        super().setUp()
        self.service = self._create()
        self.notifier.reset()

    def _save(self, **changes):
        for field, value in changes.items():
            setattr(self.service, field, value)
        self.service.save()

    def test_status_changes_emit_update(self):
        for changes in ({'disabled': True},
                        {'disabled_reason': 'maintenance'},
                        {'disabled': False, 'disabled_reason': None},
                        {'forced_down': True},
                        {'forced_down': False}):
            self.notifier.reset()
            self._save(**changes)
            self.assertEqual(['service.update'], self._event_types(),
                             'after saving %s' % changes)
            data = self._payload_data()
            for field, value in changes.items():
                self.assertEqual(value, data[field])

    def test_status_set_to_same_value_still_emits(self):
        for field in ('disabled', 'forced_down'):
            self.notifier.reset()
            self._save(**{field: False})
            self.assertEqual(['service.update'], self._event_types())
        self.notifier.reset()
        self._save(disabled_reason=None)
        self.assertEqual(['service.update'], self._event_types())

    def test_update_carries_the_saved_state(self):
        self._save(disabled=True, disabled_reason='test2')
        row = self._row(self.service.id)
        self.assertTrue(row['disabled'])
        self.assertEqual('test2', row['disabled_reason'])
        data = self._payload_data()
        self.assertTrue(data['disabled'])
        self.assertEqual('test2', data['disabled_reason'])
        self.assertEqual(self.service.uuid, data['uuid'])

    def test_heartbeat_and_version_changes_emit_nothing(self):
        self._save(report_count=1)
        self._save(last_seen_up=timeutils.utcnow())
        self._save(version=service_obj.SERVICE_VERSION + 1)
        self._save(report_count=2, version=service_obj.SERVICE_VERSION + 2)
        row = self._row(self.service.id)
        self.assertEqual(2, row['report_count'])
        self.assertEqual(service_obj.SERVICE_VERSION + 2, row['version'])
        self.assertEqual([], self.notifier.versioned_notifications)

    def test_status_among_other_changes_emits(self):
        self._save(report_count=5, forced_down=True)
        self.assertEqual(['service.update'], self._event_types())
        self.assertEqual(5, self._payload_data()['report_count'])

    def test_growing_report_count_sets_last_seen_up(self):
        self.assertIsNone(self.service.last_seen_up)
        self._save(report_count=1)
        self.assertIsNotNone(self.service.last_seen_up)
        self.assertIsNotNone(self._row(self.service.id)['last_seen_up'])

    def test_save_without_changes_writes_nothing(self):
        with self._statements() as statements:
            self.service.save()
        self.assertEqual([], statements)
        self.assertIsNone(self._row(self.service.id)['updated_at'])
        self.assertEqual([], self.notifier.versioned_notifications)

    def test_save_updates_updated_at(self):
        self._save(report_count=1)
        self.assertIsNotNone(self._row(self.service.id)['updated_at'])
        self.assertEqual({}, self.service.obj_get_changes())

    def test_save_of_a_deleted_service(self):
        objects.Service.get_by_id(self.context, self.service.id).destroy()
        self.notifier.reset()
        self.service.disabled = True
        self.assertRaises(exception.ServiceNotFound, self.service.save)
        self.assertFalse(self._row(self.service.id)['disabled'])
        self.assertEqual([], self.notifier.versioned_notifications)

    def test_save_of_availability_zone_is_refused(self):
        self.service.availability_zone = 'nova'
        self.service.disabled = True
        with self._statements() as statements:
            self.assertRaises(exception.ObjectActionError, self.service.save)
        self.assertEqual([], self._writes(statements))
        self.assertEqual([], self.notifier.versioned_notifications)

    def test_uuid_is_immutable(self):
        self.service.uuid = FAKE_UUID
        self.assertRaises(exception.ObjectActionError, self.service.save)
        self.assertNotEqual(FAKE_UUID, self._row(self.service.id)['uuid'])
        self.assertEqual([], self.notifier.versioned_notifications)

    def test_save_colliding_with_another_service(self):
        self._create(host='host2')
        self.notifier.reset()
        self.service.host = 'host2'
        self.service.disabled = True
        error = self.assertRaises(exception.ServiceBinaryExists,
                                  self.service.save)
        self.assertEqual('Service with host host2 binary nova-compute '
                         'exists.', str(error))
        row = self._row(self.service.id)
        self.assertEqual('host1', row['host'])
        self.assertFalse(row['disabled'])
        self.assertEqual([], self.notifier.versioned_notifications)


class TestServiceDestroy(ServiceTestCase):

    def test_destroy_emits_the_state_as_it_was(self):
        service = self._create()
        service.disabled = True
        service.disabled_reason = 'retired'
        service.save()
        update = self._payload_data()
        self.notifier.reset()

        service.destroy()

        self.assertEqual(['service.delete'], self._event_types())
        self.assertEqual(update, self._payload_data())
        row = self._row(service.id)
        self.assertEqual(service.id, row['deleted'])
        self.assertIsNotNone(row['deleted_at'])

    def test_destroy_of_a_deleted_service(self):
        service = self._create()
        objects.Service.get_by_uuid(self.context, service.uuid).destroy()
        self.notifier.reset()
        self.assertRaises(exception.ServiceNotFound, service.destroy)
        self.assertEqual([], self.notifier.versioned_notifications)

    def test_destroyed_service_is_not_found(self):
        service = self._create()
        service.destroy()
        self.assertRaises(exception.ServiceNotFound,
                          objects.Service.get_by_id, self.context, service.id)
        self.assertRaises(exception.ServiceNotFound,
                          objects.Service.get_by_uuid, self.context,
                          service.uuid)
        self.assertIsNone(objects.Service.get_by_host_and_binary(
            self.context, 'host1', 'nova-compute'))

    def test_same_service_can_be_created_again(self):
        first = self._create()
        first.destroy()
        second = self._create()
        self.assertNotEqual(first.id, second.id)
        self.assertNotEqual(first.uuid, second.uuid)
        self.assertEqual(
            second.uuid,
            objects.Service.get_by_host_and_binary(
                self.context, 'host1', 'nova-compute').uuid)


class TestServiceGet(ServiceTestCase):

    def setUp(self):
        super().setUp()
        self.service = self._create(uuid=FAKE_UUID)

    def _assert_same(self, service):
        self.assertIsInstance(service, objects.Service)
        for field in ('id', 'uuid', 'host', 'binary', 'topic', 'disabled',
                      'forced_down', 'report_count', 'version'):
            self.assertEqual(getattr(self.service, field),
                             getattr(service, field))
        self.assertEqual({}, service.obj_get_changes())

    def test_get_by_id(self):
        self._assert_same(objects.Service.get_by_id(self.context,
                                                    self.service.id))

    def test_get_by_uuid(self):
        self._assert_same(objects.Service.get_by_uuid(self.context,
                                                      FAKE_UUID))

    def test_get_by_host_and_binary(self):
        self._assert_same(objects.Service.get_by_host_and_binary(
            self.context, 'host1', 'nova-compute'))

    def test_missing(self):
        self.assertRaises(exception.ServiceNotFound,
                          objects.Service.get_by_id, self.context, 999)
        self.assertRaises(exception.ServiceNotFound,
                          objects.Service.get_by_uuid, self.context,
                          uuidutils.generate_uuid())
        self.assertIsNone(objects.Service.get_by_host_and_binary(
            self.context, 'host1', 'nova-scheduler'))
        self.assertIsNone(objects.Service.get_by_host_and_binary(
            self.context, 'host9', 'nova-compute'))

    def test_loaded_service_has_no_availability_zone(self):
        service = objects.Service.get_by_id(self.context, self.service.id)
        self.assertRaises(exception.ObjectActionError, getattr, service,
                          'availability_zone')

    def test_datetimes_are_timezone_aware(self):
        service = objects.Service.get_by_id(self.context, self.service.id)
        self.assertEqual(datetime.timedelta(0),
                         service.created_at.utcoffset())


class TestServiceList(ServiceTestCase):

    def setUp(self):
        super().setUp()
        self.compute1 = self._create()
        self.compute2 = self._create(host='host2')
        self.conductor = self._create(binary='nova-conductor',
                                      topic='conductor')
        self.compute2.disabled = True
        self.compute2.save()
        self._create(host='gone').destroy()

    def _uuids(self, **filters):
        return [service.uuid for service in
                objects.ServiceList.get_all(self.context, **filters)]

    def test_all_live_services_in_id_order(self):
        self.assertEqual([self.compute1.uuid, self.compute2.uuid,
                          self.conductor.uuid], self._uuids())

    def test_filters(self):
        self.assertEqual([self.compute1.uuid, self.conductor.uuid],
                         self._uuids(host='host1'))
        self.assertEqual([self.compute1.uuid, self.compute2.uuid],
                         self._uuids(binary='nova-compute'))
        self.assertEqual([self.compute2.uuid], self._uuids(disabled=True))
        self.assertEqual([self.compute1.uuid, self.conductor.uuid],
                         self._uuids(disabled=False))
        self.assertEqual([self.compute1.uuid],
                         self._uuids(host='host1', binary='nova-compute',
                                     disabled=False))
        self.assertEqual([], self._uuids(host='gone'))

    def test_listed_services_can_be_saved(self):
        service, = objects.ServiceList.get_all(self.context, host='host2')
        self.notifier.reset()
        service.disabled = False
        service.save()
        self.assertEqual(['service.update'], self._event_types())


class TestNotificationFailures(ServiceTestCase):
    """A change and its notification commit together, or not at all."""

    def _outbox(self):
        with db_api.get_engine().connect() as connection:
            return [dict(row._mapping) for row in connection.execute(
                sa.text('SELECT * FROM notification_outbox ORDER BY id'))]

    def test_outbox_write_failing_undoes_the_change(self):
        self.useFixture(fixtures.MockPatchObject(
            db_api, 'notification_outbox_add',
            side_effect=db_exc.DBError('disk full')))
        self.assertRaises(db_exc.DBError, self._create)
        self.assertEqual([], self._rows())

    def test_outbox_write_failing_undoes_an_update(self):
        service = self._create()
        self.useFixture(fixtures.MockPatchObject(
            db_api, 'notification_outbox_add',
            side_effect=db_exc.DBError('disk full')))
        service.disabled = True
        self.assertRaises(db_exc.DBError, service.save)
        self.assertFalse(self._row(service.id)['disabled'])
        self.assertRaises(db_exc.DBError, service.destroy)
        self.assertEqual(0, self._row(service.id)['deleted'])

    def test_payload_that_cannot_be_built_undoes_the_change(self):
        self.useFixture(fixtures.MockPatch(
            'nova.notifications.objects.service.ServiceStatusPayload.'
            'populate_schema', side_effect=ValueError('cannot populate')))
        error = self.assertRaises(exception.ObjectActionError, self._create)
        self.assertIn('cannot populate', str(error))
        self.assertEqual([], self._rows())
        self.assertEqual([], self._outbox())

    def test_driver_raising_leaves_the_change_and_its_notification(self):
        self.useFixture(fixtures.MockPatchObject(
            _impl_test.TestDriver, 'notify',
            side_effect=ConnectionError('no broker')))
        service = self._create()
        service.forced_down = True
        service.save()

        self.assertTrue(self._row(service.id)['forced_down'])
        self.assertFalse(self.notifier.relay.flush(5))
        pending = [row for row in self._outbox() if row['state'] == 'pending']
        self.assertEqual(['service.create', 'service.update'],
                         [row['event_type'] for row in pending])
        self.assertEqual(1, pending[0]['attempts'])
        self.assertEqual('ConnectionError: no broker',
                         pending[0]['last_error'])

    def test_disabled_notifications_record_nothing(self):
        self.flags(notification_format='unversioned', group='notifications')
        delivery.init(self.conf.conf)
        service = self._create()
        service.disabled = True
        service.save()
        service.destroy()
        self.assertEqual([], self._outbox())
        self.assertEqual([], self.notifier.versioned_notifications)
        self.assertEqual(service.id, self._row(service.id)['deleted'])

    def test_noop_driver_writes_nothing(self):
        self.flags(driver=['noop'], group='oslo_messaging_notifications')
        delivery.init(self.conf.conf)
        service = self._create()
        service.disabled = True
        service.save()
        self.assertEqual([], self._outbox())


class TestServiceInCallerTransaction(ServiceTestCase):
    """Changes made in a caller's transaction notify only once committed."""

    def test_notifications_wait_for_the_commit(self):
        with db_api.context_manager.writer.using(self.context):
            service = self._create()
            service.disabled = True
            service.save()
            self.assertEqual([], self.notifier.versioned_notifications)
        self.assertEqual(['service.create', 'service.update'],
                         self._event_types())
        self.assertTrue(self._payload_data()['disabled'])

    def test_rolled_back_changes_are_never_notified(self):
        class Abort(Exception):
            pass

        def create_then_fail():
            with db_api.context_manager.writer.using(self.context):
                self._create()
                raise Abort()

        self.assertRaises(Abort, create_then_fail)
        self.assertEqual([], self._rows())
        self.assertEqual([], self.notifier.versioned_notifications)

    def test_payload_is_the_state_at_the_change(self):
        with db_api.context_manager.writer.using(self.context):
            service = self._create()
            service.disabled = True
            service.save()
        self.assertFalse(self._payload_data(0)['disabled'])
        self.assertTrue(self._payload_data(1)['disabled'])
