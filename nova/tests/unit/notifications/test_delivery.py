"""Bounded delivery of notifications to the message bus."""

import logging
import threading
import time

import fixtures
from oslo_config import cfg
from oslo_config import fixture as config_fixture
import oslo_messaging as messaging
import testtools

import nova.conf
from nova.notifications import delivery
from nova import rpc

UUID = 'fa69c544-906b-4a6a-a9c6-c1f7a8078c73'


def message(index=0, uuid=UUID):
    return {'message_id': 'message-%d' % index,
            'publisher_id': 'nova-compute:host1',
            'event_type': 'service.update', 'priority': 'INFO',
            'payload': {'nova_object.data': {'uuid': uuid,
                                             'disabled_reason': index}},
            'timestamp': '2026-01-01 00:00:00.000000'}


class FakeTransport(object):
    """Records sends; can be told to fail or to hang until released."""

    def __init__(self):
        self.sent = []
        self.errors = []
        self.release = threading.Event()
        self.release.set()
        self.entered = threading.Event()

    def _send_notification(self, target, ctxt, message, version, retry):
        self.entered.set()
        self.release.wait(10)
        if self.errors:
            raise self.errors.pop(0)
        self.sent.append((target.topic, message['message_id'], version,
                          retry))


class FakeMessagingDriver(object):
    def __init__(self, topics=('versioned_notifications',)):
        self.topics = list(topics)
        self.version = 2.0
        self.transport = FakeTransport()


class BoundedDeliveryTestCase(testtools.TestCase):

    TIMEOUT = 0.2

    def setUp(self):
        super().setUp()
        self.log = self.useFixture(fixtures.FakeLogger(
            level=logging.INFO, format='%(levelname)s %(message)s'))
        self.driver = FakeMessagingDriver()
        self.transport = self.driver.transport
        self.bounded = delivery.BoundedDelivery(
            self.driver, self.TIMEOUT, secrets=('s3cret',))
        self.addCleanup(self.bounded.stop, timeout=5)
        self.addCleanup(self.transport.release.set)

    def notify(self, index=0, retry=1):
        started = time.monotonic()
        self.bounded.notify({}, message(index), 'INFO', retry)
        return time.monotonic() - started

    def lines(self, level):
        return [line for line in self.log.output.splitlines()
                if line.startswith(level)]

    def wait_for_log(self, text, timeout=5):
        deadline = time.monotonic() + timeout
        while text not in self.log.output:
            if time.monotonic() > deadline:
                self.fail('%r never logged:\n%s' % (text, self.log.output))
            time.sleep(0.01)


class TestDelivered(BoundedDeliveryTestCase):

    def test_sent_in_order_with_the_configured_retry(self):
        for index in range(5):
            self.notify(index, retry=1)
        self.assertEqual(
            [('versioned_notifications.info', 'message-%d' % index, 2.0, 1)
             for index in range(5)], self.transport.sent)
        self.assertEqual('', self.log.output)

    def test_every_topic(self):
        self.driver.topics = ['a', 'b']
        self.notify()
        self.assertEqual(['a.info', 'b.info'],
                         [sent[0] for sent in self.transport.sent])

    def test_stop_ends_the_sender(self):
        self.notify()
        thread = self.bounded._thread
        self.bounded.stop()
        self.assertFalse(thread.is_alive())
        self.bounded.stop()
        # NOTE: a notification after stop starts a new sender.
        self.notify(1)
        self.assertEqual(2, len(self.transport.sent))


class TestFailures(BoundedDeliveryTestCase):

    def test_failure_is_logged_not_raised(self):
        self.transport.errors.append(
            OSError('refused by rabbit://nova:s3cret@host'))
        self.notify()
        error, = self.lines('ERROR')
        self.assertIn('Lost versioned notification service.update for '
                      'uuid %s (message_id message-0): OSError: refused'
                      % UUID, error)
        self.assertNotIn('s3cret', self.log.output)
        self.assertIn('***', error)

    def test_after_a_failure_each_is_tried_once_until_one_gets_through(
            self):
        self.transport.errors.extend([OSError('down'), OSError('down')])
        for index in range(4):
            self.notify(index, retry=3)
        self.assertEqual([('message-2', 0), ('message-3', 3)],
                         [(sent[1], sent[3]) for sent in self.transport.sent])
        self.assertEqual(2, len(self.lines('ERROR')))

    def test_one_failing_topic_still_sends_to_the_others(self):
        self.driver.topics = ['a', 'b']
        self.transport.errors.append(OSError('down'))
        self.notify()
        self.assertEqual(['b.info'],
                         [sent[0] for sent in self.transport.sent])
        self.assertEqual(1, len(self.lines('ERROR')))


class TestTimeout(BoundedDeliveryTestCase):

    def test_caller_waits_at_most_the_timeout(self):
        self.transport.release.clear()
        elapsed = self.notify(0)
        self.assertGreaterEqual(elapsed, self.TIMEOUT)
        self.assertLess(elapsed, self.TIMEOUT + 1)
        error, = self.lines('ERROR')
        self.assertIn('service.update for uuid %s (message_id message-0) '
                      'was not delivered within 0.2s' % UUID, error)

    def test_while_stuck_the_next_ones_are_dropped_at_once(self):
        self.transport.release.clear()
        self.notify(0)
        elapsed = self.notify(1)
        self.assertLess(elapsed, self.TIMEOUT)
        self.assertIn('Dropped versioned notification service.update for '
                      'uuid %s (message_id message-1)' % UUID,
                      self.lines('ERROR')[1])
        self.transport.release.set()
        self.wait_for_log('delivered late')
        self.assertIn('message-0', self.lines('WARNING')[0])
        # NOTE: once the stuck one is done, notifications flow again.
        self.notify(2)
        self.assertEqual(['message-0', 'message-2'],
                         [sent[1] for sent in self.transport.sent])

    def test_late_failure_is_logged(self):
        self.transport.release.clear()
        self.transport.errors.append(OSError('timed out'))
        self.notify(0)
        self.transport.release.set()
        self.wait_for_log('after')
        self.assertIn('Lost versioned notification service.update for '
                      'uuid %s (message_id message-0) after'
                      % UUID, self.lines('ERROR')[-1])
        self.assertIn('OSError: timed out', self.lines('ERROR')[-1])


class TestDescribe(testtools.TestCase):

    def test_names_the_uuid(self):
        self.assertEqual(
            'service.update for uuid %s (message_id message-0)' % UUID,
            delivery.describe(message()))

    def test_without_uuid_names_the_publisher(self):
        self.assertEqual(
            'service.update for publisher nova-compute:host1 (message_id '
            'message-0)', delivery.describe(message(uuid=None)))
        self.assertEqual(
            'None for publisher None (message_id None)',
            delivery.describe({'payload': 'text'}))


class TestSecrets(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.conf = self.useFixture(config_fixture.Config(cfg.ConfigOpts()))
        self.conf.conf([])
        nova.conf.notifications.register_opts(self.conf.conf)

    def test_url_passwords_as_given_and_quoted(self):
        self.assertEqual(
            ('p%40ss%2Fword', 'p%40ss/word', 'p@ss/word'),
            delivery.url_passwords(
                self.conf.conf,
                'rabbit://u:p%40ss%2Fword@h1:5672,v:p%40ss%2Fword@h2/'))

    def test_redacted_url(self):
        self.assertEqual(
            'rabbit://u:***@h1:5672,v:***@h2/',
            delivery.redacted_url(self.conf.conf,
                                  'rabbit://u:a1@h1:5672,v:b2@h2/'))
        self.assertEqual('<unparsable transport URL>',
                         delivery.redacted_url(self.conf.conf, 'nonsense'))

    def test_transport_secrets_of_the_notification_transport(self):
        self.conf.config(transport_url='rabbit://u:rpc@h/')
        self.assertEqual(('rpc',), delivery.transport_secrets(self.conf.conf))
        self.conf.config(transport_url='rabbit://u:notify@h/',
                         group='oslo_messaging_notifications')
        self.assertEqual(('notify',),
                         delivery.transport_secrets(self.conf.conf))
        self.conf.config(transport_url='nonsense',
                         group='oslo_messaging_notifications')
        self.assertEqual((), delivery.transport_secrets(self.conf.conf))


class TestWiring(testtools.TestCase):
    """rpc.init bounds the transport drivers, and only them."""

    def setUp(self):
        super().setUp()
        self.conf = self.useFixture(config_fixture.Config(nova.conf.CONF))
        self.conf.conf([], project='nova', default_config_files=[])
        self.conf.config(transport_url='fake:/')
        self.addCleanup(rpc.cleanup)

    def drivers(self):
        return {extension.name: extension.obj
                for extension in rpc.NOTIFIER._driver_mgr.extensions}

    def test_messaging_drivers_are_bounded(self):
        self.conf.config(driver=['messagingv2', 'messaging', 'log'],
                         group='oslo_messaging_notifications')
        self.conf.config(delivery_timeout=0.5, group='notifications')
        rpc.init(self.conf.conf)
        drivers = self.drivers()
        for name in ('messagingv2', 'messaging'):
            self.assertIsInstance(drivers[name], delivery.BoundedDelivery)
            self.assertEqual(0.5, drivers[name].timeout)
        self.assertNotIsInstance(drivers['log'], delivery.BoundedDelivery)
        self.assertEqual(2.0, drivers['messagingv2'].driver.version)

    def test_in_process_drivers_are_left_alone(self):
        self.conf.config(driver=['test'],
                         group='oslo_messaging_notifications')
        rpc.init(self.conf.conf)
        self.assertEqual([], rpc._BOUNDED_DELIVERIES)

    def test_cleanup_stops_the_senders(self):
        self.conf.config(driver=['messagingv2'],
                         group='oslo_messaging_notifications')
        rpc.init(self.conf.conf)
        bounded = self.drivers()['messagingv2']
        rpc.get_versioned_notifier('nova-compute:host1').info(
            {}, 'service.update', {'a': 1})
        thread = bounded._thread
        self.assertTrue(thread.is_alive())
        rpc.cleanup()
        self.assertFalse(thread.is_alive())
        self.assertEqual([], rpc._BOUNDED_DELIVERIES)


class TestDefaults(testtools.TestCase):

    def test_bounded_defaults(self):
        conf = cfg.ConfigOpts()
        nova.conf.notifications.register_opts(conf)
        conf([])
        self.assertEqual(2.0, conf.notifications.delivery_timeout)
        self.assertEqual(1, conf.oslo_messaging_notifications.retry)
        self.assertIsInstance(messaging.TransportURL.parse(conf, None),
                              messaging.TransportURL)
