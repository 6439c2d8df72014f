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

"""The service table a consumer builds from notifications alone."""

import datetime
import itertools

import testtools

from nova.notifications import consumer

UUID1 = 'fa69c544-906b-4a6a-a9c6-c1f7a8078c73'
UUID2 = '0b2f6d1e-6a3c-4f7e-9a51-2d4c8b7e6f10'

_ids = itertools.count()


def notification(event='service.update', uuid=UUID1, host='host1',
                 binary='nova-compute', disabled=False, reason=None,
                 forced_down=False, report_count=1, second=1,
                 message_id=None, version='1.1', timestamp=None):
    """A service notification as a listener receives it."""
    data = {'host': host, 'binary': binary, 'topic': 'compute',
            'report_count': report_count, 'disabled': disabled,
            'disabled_reason': reason, 'availability_zone': None,
            'last_seen_up': None, 'forced_down': forced_down, 'version': 1}
    if version != '1.0':
        data['uuid'] = uuid
    return {
        'message_id': message_id or 'message-%d' % next(_ids),
        'publisher_id': 'nova-compute:%s' % host,
        'event_type': event,
        'priority': 'INFO',
        'payload': {'nova_object.name': 'ServiceStatusPayload',
                    'nova_object.namespace': 'nova',
                    'nova_object.version': version,
                    'nova_object.data': data},
        'timestamp': (timestamp if timestamp is not None
                      else '2026-01-01 00:00:%02d.000000' % second),
    }


class ServiceTableTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.table = consumer.ServiceTable()

    def apply(self, *notifications):
        return [self.table.apply(n) for n in notifications]

    def rows(self):
        return [(s.uuid, s.host, s.status, s.disabled_reason, s.forced_down,
                 s.last_event) for s in self.table.services()]


class TestUnknownServices(ServiceTableTestCase):

    def test_create_adds_the_service(self):
        self.assertEqual([consumer.ADDED],
                         self.apply(notification('service.create')))
        state, = self.table.services()
        self.assertEqual(
            {'uuid': UUID1, 'host': 'host1', 'binary': 'nova-compute',
             'status': 'enabled', 'forced_down': False,
             'disabled_reason': None, 'last_event': 'service.create',
             'last_timestamp': '2026-01-01 00:00:01.000000'},
            state.as_dict())

    def test_update_of_an_unknown_service_adds_it(self):
        self.assertEqual([consumer.ADDED], self.apply(notification(
            disabled=True, reason='maintenance', forced_down=True)))
        self.assertEqual(
            [(UUID1, 'host1', 'disabled', 'maintenance', True,
              'service.update')], self.rows())

    def test_delete_of_an_unknown_service_leaves_a_tombstone(self):
        self.assertEqual(
            [consumer.TOMBSTONED, consumer.AFTER_DELETE,
             consumer.AFTER_DELETE],
            self.apply(notification('service.delete', second=5),
                       notification('service.create', second=1),
                       notification(second=9)))
        self.assertEqual([], self.rows())

    def test_later_create_is_stale_after_its_update(self):
        self.assertEqual(
            [consumer.ADDED, consumer.STALE],
            self.apply(notification(disabled=True, report_count=3,
                                    second=5),
                       notification('service.create', report_count=0,
                                    second=1)))
        self.assertEqual('disabled', self.table.services()[0].status)


class TestRecentlyChanged(ServiceTableTestCase):

    def test_last_changed_first(self):
        self.table.apply(notification(host='host1', uuid=UUID1, second=1))
        self.table.apply(notification(host='host2', uuid=UUID2, second=2))
        self.assertEqual(['host2', 'host1'], [
            state.host for state in self.table.recently_changed(5)])
        self.table.apply(notification(host='host1', uuid=UUID1, second=3,
                                      disabled=True))
        self.assertEqual(['host1'], [
            state.host for state in self.table.recently_changed(1)])


class TestDuplicates(ServiceTableTestCase):

    def test_same_message_id_is_applied_once(self):
        first = notification(disabled=True, message_id='m1', second=1)
        again = notification(disabled=False, message_id='m1', second=2)
        self.assertEqual([consumer.ADDED, consumer.DUPLICATE],
                         self.apply(first, again))
        self.assertEqual('disabled', self.table.services()[0].status)

    def test_duplicate_delete_is_ignored(self):
        delete = notification('service.delete', message_id='d1')
        self.assertEqual([consumer.ADDED, consumer.REMOVED,
                          consumer.DUPLICATE],
                         self.apply(notification('service.create'), delete,
                                    delete))

    def test_memory_of_message_ids_is_bounded(self):
        table = consumer.ServiceTable(memory=2)
        first = notification(message_id='m1', second=1)
        table.apply(first)
        for index in range(2):
            table.apply(notification(uuid=UUID2, message_id='x%d' % index,
                                     second=2 + index, host='host2'))
        # NOTE: m1 was forgotten, so it applies again: to the same state.
        self.assertEqual(consumer.UPDATED, table.apply(first))
        self.assertEqual(consumer.DUPLICATE, table.apply(first))


class TestOrder(ServiceTableTestCase):

    def test_older_update_is_stale(self):
        self.assertEqual(
            [consumer.ADDED, consumer.STALE],
            self.apply(notification(disabled=True, reason='new', second=5),
                       notification(disabled=False, second=3)))
        self.assertEqual([(UUID1, 'host1', 'disabled', 'new', False,
                           'service.update')], self.rows())

    def test_newer_update_applies(self):
        self.assertEqual(
            [consumer.ADDED, consumer.UPDATED],
            self.apply(notification(disabled=True, second=3),
                       notification(forced_down=True, second=5)))
        self.assertEqual([(UUID1, 'host1', 'enabled', None, True,
                           'service.update')], self.rows())

    def test_report_count_orders_across_skewed_clocks(self):
        # NOTE: the later change was sent by a host whose clock is behind.
        self.assertEqual(
            [consumer.ADDED, consumer.UPDATED, consumer.STALE],
            self.apply(notification(disabled=True, report_count=4,
                                    second=30),
                       notification(disabled=False, report_count=5,
                                    second=10),
                       notification(forced_down=True, report_count=4,
                                    second=50)))
        self.assertEqual([(UUID1, 'host1', 'enabled', None, False,
                           'service.update')], self.rows())

    def test_ties_go_to_the_last_arrived(self):
        self.assertEqual(
            [consumer.ADDED, consumer.UPDATED],
            self.apply(notification(disabled=True, second=3),
                       notification(disabled=False, second=3)))
        self.assertEqual('enabled', self.table.services()[0].status)

    def test_unreadable_timestamp_orders_by_arrival(self):
        self.assertEqual(
            [consumer.ADDED, consumer.UPDATED],
            self.apply(notification(disabled=True, second=9),
                       notification(disabled=False, timestamp='yesterday')))
        self.assertEqual('enabled', self.table.services()[0].status)

    def test_timestamp_without_fraction(self):
        self.assertEqual(
            [consumer.ADDED, consumer.STALE],
            self.apply(
                notification(timestamp='2026-01-01 00:00:02'),
                notification(timestamp='2026-01-01 00:00:01.999999')))


class TestDeletes(ServiceTableTestCase):

    def test_delete_removes_the_service(self):
        self.assertEqual(
            [consumer.ADDED, consumer.REMOVED],
            self.apply(notification('service.create', second=1),
                       notification('service.delete', second=2)))
        self.assertEqual(0, len(self.table))

    def test_late_update_older_than_the_delete_does_not_resurrect(self):
        self.assertEqual(
            [consumer.ADDED, consumer.REMOVED, consumer.AFTER_DELETE],
            self.apply(notification('service.create', second=1),
                       notification('service.delete', second=5),
                       notification(disabled=True, second=3)))
        self.assertEqual([], self.rows())

    def test_update_newer_than_the_delete_does_not_resurrect(self):
        self.assertEqual(
            [consumer.ADDED, consumer.REMOVED, consumer.AFTER_DELETE,
             consumer.AFTER_DELETE],
            self.apply(notification('service.create', second=1),
                       notification('service.delete', second=5),
                       notification(disabled=True, report_count=9,
                                    second=7),
                       notification('service.create', second=8)))
        self.assertEqual([], self.rows())

    def test_delete_that_looks_older_still_applies(self):
        self.assertEqual(
            [consumer.ADDED, consumer.REMOVED],
            self.apply(notification(second=9),
                       notification('service.delete', second=1)))
        self.assertEqual([], self.rows())

    def test_new_service_on_the_same_host_is_a_new_row(self):
        self.assertEqual(
            [consumer.ADDED, consumer.REMOVED, consumer.ADDED],
            self.apply(notification('service.create', second=1),
                       notification('service.delete', second=2),
                       notification('service.create', uuid=UUID2,
                                    second=3)))
        self.assertEqual([UUID2], [s.uuid for s in self.table.services()])


class TestPayload10(ServiceTableTestCase):
    """1.0 payloads have no uuid: host and binary name the live service."""

    def test_keyed_by_host_and_binary(self):
        self.assertEqual(
            [consumer.ADDED, consumer.UPDATED],
            self.apply(notification('service.create', version='1.0',
                                    second=1),
                       notification(version='1.0', disabled=True,
                                    second=2)))
        self.assertEqual([(None, 'host1', 'disabled', None, False,
                           'service.update')], self.rows())

    def test_uuid_completes_a_service_known_from_1_0(self):
        self.assertEqual(
            [consumer.ADDED, consumer.UPDATED, consumer.UPDATED],
            self.apply(notification('service.create', version='1.0',
                                    second=1),
                       notification(disabled=True, second=2),
                       notification(version='1.0', disabled=True,
                                    forced_down=True, second=3)))
        self.assertEqual([(UUID1, 'host1', 'disabled', None, True,
                           'service.update')], self.rows())

    def test_delete_tombstones_host_and_binary(self):
        self.assertEqual(
            [consumer.ADDED, consumer.REMOVED, consumer.AFTER_DELETE,
             consumer.AFTER_DELETE, consumer.ADDED],
            self.apply(notification('service.create', version='1.0',
                                    second=1),
                       notification('service.delete', version='1.0',
                                    second=5),
                       notification(version='1.0', disabled=True,
                                    second=7),
                       notification('service.create', version='1.0',
                                    second=4),
                       notification('service.create', version='1.0',
                                    second=8)))
        self.assertEqual([(None, 'host1', 'enabled', None, False,
                           'service.create')], self.rows())

    def test_1_0_event_after_a_uuid_delete_does_not_resurrect(self):
        self.assertEqual(
            [consumer.ADDED, consumer.REMOVED, consumer.AFTER_DELETE],
            self.apply(notification('service.create', second=1),
                       notification('service.delete', second=5),
                       notification(version='1.0', second=6)))

    def test_older_1_0_delete_is_about_an_earlier_service(self):
        self.assertEqual(
            [consumer.ADDED, consumer.STALE],
            self.apply(notification('service.create', version='1.0',
                                    report_count=0, second=5),
                       notification('service.delete', version='1.0',
                                    report_count=0, second=2)))
        self.assertEqual(1, len(self.table))


class TestSuperseded(ServiceTableTestCase):

    def test_newer_service_on_the_same_host_replaces_a_missed_delete(self):
        self.assertEqual(
            [consumer.ADDED, consumer.ADDED, consumer.AFTER_DELETE],
            self.apply(notification('service.create', second=1),
                       notification('service.create', uuid=UUID2,
                                    second=5),
                       notification(disabled=True, second=6)))
        self.assertEqual([UUID2], [s.uuid for s in self.table.services()])

    def test_older_service_on_a_taken_host_is_stale(self):
        self.assertEqual(
            [consumer.ADDED, consumer.STALE],
            self.apply(notification('service.create', uuid=UUID2,
                                    second=5),
                       notification(disabled=True, report_count=7,
                                    second=3)))
        self.assertEqual([UUID2], [s.uuid for s in self.table.services()])


class TestIgnored(ServiceTableTestCase):

    def test_not_a_service_event(self):
        other = notification()
        other['event_type'] = 'instance.create.end'
        self.assertEqual(consumer.IGNORED, self.table.apply(other))

    def test_malformed_messages(self):
        no_payload = notification()
        no_payload['payload'] = None
        data_not_a_dict = notification()
        data_not_a_dict['payload']['nova_object.data'] = ['host1']
        nameless = notification(uuid=None, host=None)
        for message in ({}, no_payload, data_not_a_dict, nameless):
            self.assertEqual(consumer.IGNORED, self.table.apply(message))
        self.assertEqual(0, len(self.table))

    def test_report_count_of_a_wrong_type_is_not_used(self):
        self.assertEqual(
            [consumer.ADDED, consumer.UPDATED],
            self.apply(notification(report_count=5, second=1),
                       notification(report_count='six', disabled=True,
                                    second=2)))


class TestFiltersAndTimestamps(testtools.TestCase):

    def test_matches_globs(self):
        message = notification()
        self.assertTrue(consumer.matches(message))
        self.assertTrue(consumer.matches(message, ['service.*']))
        self.assertTrue(consumer.matches(message, ['x.*', 'service.upd*'],
                                         ['nova-compute:*']))
        self.assertFalse(consumer.matches(message, ['service.create']))
        self.assertFalse(consumer.matches(message, publishers=['nova-api*']))
        self.assertFalse(consumer.matches({}, ['*.*']))

    def test_parse_timestamp(self):
        self.assertEqual(
            datetime.datetime(2026, 1, 2, 3, 4, 5, 600000),
            consumer.parse_timestamp('2026-01-02 03:04:05.600000'))
        self.assertEqual(datetime.datetime(2026, 1, 2, 3, 4, 5),
                         consumer.parse_timestamp('2026-01-02 03:04:05'))
        self.assertIsNone(consumer.parse_timestamp(None))
        self.assertIsNone(consumer.parse_timestamp('2026-01-02T03:04:05Z'))
