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

"""nova.rpc, and where the relay's messages go on the bus.

Where a message goes (exchange, topic) is checked from the consumer's side:
an oslo.messaging notification listener on the in-memory ``fake``
transport receives what a relay sent with the ``messagingv2`` driver.
"""

import threading
import time
from unittest import mock
from urllib import parse

import fixtures
import oslo_messaging as messaging

from nova import exception
from nova.notifications import delivery
from nova.notifications.objects import base as notification
from nova.objects import fields
from nova import rpc
from nova import test
from nova.tests.unit.notifications.objects import test_service


class Endpoint(object):
    """Collects the notifications a listener receives, at any priority."""

    def __init__(self):
        self.received = []
        self._lock = threading.Lock()

    def _record(self, ctxt, publisher_id, event_type, payload, metadata):
        with self._lock:
            self.received.append({'publisher_id': publisher_id,
                                  'event_type': event_type,
                                  'payload': payload})

    info = warn = error = audit = critical = debug = sample = _record


class RpcTestCase(test.TestCase):

    def _use_bus(self, **notifications_flags):
        """Send through messagingv2 on the fake transport and re-init."""
        self.flags(driver=['messagingv2'],
                   group='oslo_messaging_notifications')
        if notifications_flags:
            self.flags(group='notifications', **notifications_flags)
        delivery.init(self.conf.conf)

    def _listen(self, topic, exchange='nova'):
        """Start a listener on ``exchange``/``topic``; return its endpoint."""
        # NOTE: the listener's worker threads look for their stop signal
        # only between idle waits of a second; shorter waits keep the
        # test fast.
        self.useFixture(fixtures.MonkeyPatch(
            'futurist._thread.ThreadWorker.MAX_IDLE_FOR', 0.01))
        transport = messaging.get_notification_transport(self.conf.conf)
        self.addCleanup(transport.cleanup)
        endpoint = Endpoint()
        listener = messaging.get_notification_listener(
            transport, [messaging.Target(topic=topic, exchange=exchange)],
            [endpoint], executor='threading')
        listener.start()

        def stop():
            listener.stop()
            listener.wait()
        self.addCleanup(stop)
        return endpoint

    def _wait_for(self, endpoint, count, timeout=5.0):
        deadline = time.monotonic() + timeout
        while len(endpoint.received) < count:
            if time.monotonic() > deadline:
                self.fail('Expected %d notifications, got %s'
                          % (count, endpoint.received))
            time.sleep(0.01)
        return endpoint.received

    def _emit(self, priority=fields.NotificationPriority.INFO):
        service = test_service.make_service()
        notification_obj = test_service.service_notification
        notification_obj.ServiceStatusNotification(
            priority=priority,
            publisher=notification.NotificationPublisher.from_service_obj(
                service),
            event_type=notification.EventType(object='service',
                                              action='create'),
            payload=notification_obj.ServiceStatusPayload(service),
        ).emit(self.context)
        self.notifier.flush()


class TestInit(RpcTestCase):

    def test_control_exchange_is_nova(self):
        self.assertEqual('nova', self.conf.conf.control_exchange)

    def test_versioned(self):
        self.assertEqual('versioned',
                         self.conf.conf.notifications.notification_format)
        self.assertTrue(delivery.enabled())

    def test_versioned_goes_to_exchange_nova_topic_versioned(self):
        self._use_bus()
        endpoint = self._listen('versioned_notifications')
        self._emit()
        received, = self._wait_for(endpoint, 1)
        self.assertEqual('nova-compute:host1', received['publisher_id'])
        self.assertEqual('service.create', received['event_type'])
        self.assertEqual('ServiceStatusPayload',
                         received['payload']['nova_object.name'])
        self.assertEqual('1.1', received['payload']['nova_object.version'])

    def test_priority_is_the_routing_key(self):
        self._use_bus()
        endpoint = self._listen('versioned_notifications')
        self._emit(priority=fields.NotificationPriority.WARN)
        self.assertEqual(1, len(self._wait_for(endpoint, 1)))

    def test_nothing_reaches_the_openstack_exchange(self):
        self._use_bus()
        nova_endpoint = self._listen('versioned_notifications')
        openstack_endpoint = self._listen('versioned_notifications',
                                          exchange='openstack')
        self._emit()
        self._wait_for(nova_endpoint, 1)
        self.assertEqual([], openstack_endpoint.received)

    def test_both_sends_versioned(self):
        self._use_bus(notification_format='both')
        endpoint = self._listen('versioned_notifications')
        self._emit()
        self.assertEqual(1, len(self._wait_for(endpoint, 1)))

    def test_unversioned_sends_nothing(self):
        self._use_bus(notification_format='unversioned')
        self.assertFalse(delivery.enabled())
        endpoint = self._listen('versioned_notifications')
        self._emit()
        # NOTE: a sentinel sent after the emit arrives after anything the
        # emit sent, so its arrival bounds the wait.
        transport = messaging.get_notification_transport(self.conf.conf)
        self.addCleanup(transport.cleanup)
        sentinel = messaging.Notifier(
            transport, driver='messagingv2',
            topics=['versioned_notifications'], publisher_id='sentinel')
        sentinel.info({}, 'sentinel', {})
        received = self._wait_for(endpoint, 1)
        self.assertEqual(['sentinel'],
                         [n['event_type'] for n in received])

    def test_custom_topics(self):
        self._use_bus(versioned_notifications_topics=['watcher', 'audit'])
        default = self._listen('versioned_notifications')
        watcher = self._listen('watcher')
        audit = self._listen('audit')
        self._emit()
        self.assertEqual('service.create',
                         self._wait_for(watcher, 1)[0]['event_type'])
        self.assertEqual('service.create',
                         self._wait_for(audit, 1)[0]['event_type'])
        self.assertEqual([], default.received)

    def test_init_again_releases_the_old_transport(self):
        old = rpc.get_notification_transport(self.conf.conf)
        with mock.patch.object(old, 'cleanup', wraps=old.cleanup) as cleanup:
            delivery.init(self.conf.conf)
        cleanup.assert_called_once_with()
        self.assertIsNone(rpc.NOTIFICATION_TRANSPORT)
        self.assertIsNot(old, rpc.get_notification_transport(self.conf.conf))

    def test_transport_is_built_once(self):
        self.assertIs(rpc.get_notification_transport(self.conf.conf),
                      rpc.get_notification_transport(self.conf.conf))


class TestCleanup(RpcTestCase):

    def test_cleanup(self):
        transport = rpc.get_notification_transport(self.conf.conf)
        with mock.patch.object(transport, 'cleanup') as cleanup:
            rpc.cleanup()
        cleanup.assert_called_once_with()
        self.assertIsNone(rpc.NOTIFICATION_TRANSPORT)

    def test_cleanup_twice(self):
        rpc.cleanup()
        rpc.cleanup()
        self.assertIsNone(rpc.NOTIFICATION_TRANSPORT)


# NOTE: every character that means something in a URL, and a space.
URL_SPECIAL_CHARACTERS = ' !"#$%&\'()*+,/:;<=>?@[\\]^`{|}~'


class TestCheckTransportURL(test.TestCase):

    USES_DB = False

    HEAD = 'Head5ecret'
    TAIL = 'Tail5ecret'

    def _url(self, character):
        password = self.HEAD + character + self.TAIL
        return 'rabbit://nova:%s@broker.example.org:5672/' % (
            parse.quote(password, safe=''))

    def _assert_no_secret(self, text):
        self.assertNotIn(self.HEAD, text)
        self.assertNotIn(self.TAIL, text)

    def test_every_special_character_in_a_password(self):
        for character in URL_SPECIAL_CHARACTERS:
            url = self._url(character)
            # NOTE: whatever the password, no part of it is logged.
            self._assert_no_secret(
                rpc.redacted_url(self.conf.conf, url))
            if character == '/':
                error = self.assertRaises(
                    exception.InvalidNotificationTransport,
                    rpc.check_transport_url, self.conf.conf, url)
                message = error.format_message()
                self.assertIn('its password contains "/"', message)
                self._assert_no_secret(message)
            else:
                rpc.check_transport_url(self.conf.conf, url)

    def test_slash_in_the_user_name(self):
        error = self.assertRaises(
            exception.InvalidNotificationTransport, rpc.check_transport_url,
            self.conf.conf, 'rabbit://no%2Fva:pw@broker:5672/')
        self.assertIn('its user name contains "/"', error.format_message())

    def test_unparsable_url_names_no_password(self):
        error = self.assertRaises(
            exception.InvalidNotificationTransport, rpc.check_transport_url,
            self.conf.conf,
            'rabbit://nova:%s@broker:notaport/' % self.HEAD)
        self._assert_no_secret(error.format_message())

    def test_no_url_is_the_default(self):
        rpc.check_transport_url(self.conf.conf, None)

    def test_unknown_transport_driver(self):
        self.flags(transport_url='bogus://nova:%s@h:1/' % self.HEAD)
        delivery.init(self.conf.conf)
        error = self.assertRaises(exception.InvalidNotificationTransport,
                                  rpc.get_notification_transport,
                                  self.conf.conf)
        self.assertIn('Failed to load transport driver "bogus"',
                      error.format_message())
        self._assert_no_secret(error.format_message())

    def test_the_transport_is_refused_at_start(self):
        self.flags(transport_url=self._url('/'))
        delivery.init(self.conf.conf)
        self.assertRaises(exception.InvalidNotificationTransport,
                          rpc.get_notification_transport, self.conf.conf)
        self.assertIsNone(rpc.NOTIFICATION_TRANSPORT)
