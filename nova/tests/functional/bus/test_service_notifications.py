"""The service notifications a consumer receives from RabbitMQ.

The scenarios of the notification sample tests, sent with ``messagingv2``
to a real broker and received by a real oslo.messaging listener on exchange
``nova``, topic ``versioned_notifications``: the service is created by the
service runner, updated by ``PUT`` and deleted by ``DELETE
/os-services/{service_id}`` over HTTP. Each received message, envelope
included, must match its sample.
"""

import threading

from nova import objects
from nova import service as nova_service
from nova.tests.functional.bus import base


class TestServiceNotificationsOnTheBus(base.BusTestCase):

    def setUp(self):
        super().setUp()
        # NOTE: heartbeats are driven by the tests through report_state, so
        # the background one never fires during a test.
        self.compute = nova_service.Service.create(
            binary='nova-compute', host='host1', report_interval=3600)
        self.addCleanup(self.compute.stop, timeout=5)

    def _start_compute(self, **initial_state):
        """Start the compute service and beat once.

        Returns how many notifications that sent.
        """
        self.compute.start()
        self.service = self.compute.service_ref
        self.compute.report_state()
        if initial_state:
            self.admin_api.put_service(self.service.uuid, initial_state)
        return 2 if initial_state else 1

    def _verify_update(self, body, initial_state=None, **replacements):
        sent = self._start_compute(**(initial_state or {}))
        self.admin_api.put_service(self.service.uuid, body)
        received = self.listener.wait_for(sent + 1)
        self.assertEqual(sent + 1, len(received))
        self._verify_notification(
            'service-update.json',
            replacements=dict(replacements, uuid=self.service.uuid,
                              last_seen_up=self.ANY),
            actual=received[-1])

    def test_service_create(self):
        self.compute.start()
        received = self.listener.wait_for(1)
        self._verify_notification(
            'service-create.json',
            replacements={'uuid': self.compute.service_ref.uuid},
            actual=received[0])

    def test_service_disabled(self):
        self._verify_update({'status': 'disabled'}, disabled_reason=None)

    def test_service_disabled_with_reason(self):
        self._verify_update({'status': 'disabled',
                             'disabled_reason': 'test2'})

    def test_service_enabled(self):
        self._verify_update(
            {'status': 'enabled'},
            initial_state={'status': 'disabled', 'disabled_reason': 'test2'},
            disabled=False, disabled_reason=None)

    def test_service_forced_down(self):
        self._verify_update({'forced_down': True}, disabled=False,
                            disabled_reason=None, forced_down=True)

    def test_service_unforced(self):
        self._verify_update({'forced_down': False},
                            initial_state={'forced_down': True},
                            disabled=False, disabled_reason=None)

    def test_heartbeat_and_version_send_nothing(self):
        self._start_compute()
        self.listener.wait_for(1)
        self.compute.report_state()
        self.service.version += 1
        self.service.save()
        self.listener.assert_nothing_more(1)

    def test_service_delete(self):
        sent = self._start_compute()
        self.admin_api.delete_service(self.service.uuid)
        received = self.listener.wait_for(sent + 1)
        self._verify_notification(
            'service-delete.json',
            replacements={'uuid': self.service.uuid,
                          'last_seen_up': self.ANY},
            actual=received[-1])


class TestOrderOnTheBus(base.BusTestCase):
    """Consumers receive each service's notifications in commit order."""

    BURST = 40

    def _create_services(self, count):
        services = []
        for index in range(count):
            service = objects.Service(
                self.context, host='host%d' % index, binary='nova-compute',
                topic='compute', report_count=0)
            service.create()
            services.append(service)
        return services

    @staticmethod
    def _data(message):
        return message['payload']['nova_object.data']

    def _per_service(self, messages):
        by_uuid = {}
        for message in messages:
            by_uuid.setdefault(self._data(message)['uuid'], []).append(
                message)
        return by_uuid

    def test_burst_of_updates_arrives_in_order(self):
        services = self._create_services(3)
        for step in range(self.BURST):
            for service in services:
                self.admin_api.put_service(
                    service.uuid, {'status': 'disabled',
                                   'disabled_reason': 'step %d' % step})
        received = self.listener.wait_for(3 + 3 * self.BURST)
        by_uuid = self._per_service(received)
        expected = ['service.create'] + ['service.update'] * self.BURST
        for service in services:
            messages = by_uuid[service.uuid]
            self.assertEqual(expected, [m['event_type'] for m in messages])
            self.assertEqual(
                ['step %d' % step for step in range(self.BURST)],
                [self._data(m)['disabled_reason'] for m in messages[1:]])

    def test_concurrent_updates_end_in_the_committed_state(self):
        service, = self._create_services(1)
        threads = 4
        per_thread = 10

        def client(index):
            for step in range(per_thread):
                body = ({'status': 'disabled',
                         'disabled_reason': 'client %d step %d' % (index,
                                                                   step)}
                        if step % 2 == 0 else {'status': 'enabled'})
                self.admin_api.put_service(service.uuid, body)

        workers = [threading.Thread(target=client, args=(index,))
                   for index in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(60)
        received = self.listener.wait_for(1 + threads * per_thread)
        self.listener.assert_nothing_more(1 + threads * per_thread)
        final = objects.Service.get_by_uuid(self.context, service.uuid)
        last = self._data(received[-1])
        # NOTE: the notifications leave in commit order, so the last one a
        # consumer receives carries the state the database kept.
        self.assertEqual(
            (final.disabled, final.disabled_reason, final.forced_down),
            (last['disabled'], last['disabled_reason'],
             last['forced_down']))
