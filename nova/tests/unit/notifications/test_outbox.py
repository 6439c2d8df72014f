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

"""The outbox: notifications recorded with the change they tell about."""

import queue

from oslo_serialization import jsonutils
import sqlalchemy as sa

from nova import context as nova_context
from nova.db.main import api as db_api
from nova.notifications import outbox
from nova import test


def outbox_rows():
    with db_api.get_engine().connect() as connection:
        return [dict(row._mapping) for row in connection.execute(
            sa.text('SELECT * FROM notification_outbox ORDER BY id'))]


class TestEnvelope(test.TestCase):

    USES_DB = False

    def test_envelope_is_what_oslo_messaging_writes(self):
        message = outbox.envelope('nova-compute:host1', 'service.update',
                                  'INFO', {'a': 1})
        self.assertEqual(['message_id', 'publisher_id', 'event_type',
                          'priority', 'payload', 'timestamp'],
                         list(message))
        self.assertEqual(36, len(message['message_id']))
        self.assertRegex(message['timestamp'],
                         r'^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?$')

    def test_shard_is_stable_and_in_range(self):
        # NOTE: crc32, the same in every process and Python version.
        self.assertEqual(40, outbox.shard_of(
            '4f0d8406-b6fb-4b36-9eac-1a5902a87391'))
        shards = {outbox.shard_of('service-%d' % index)
                  for index in range(2000)}
        self.assertEqual(set(range(outbox.SHARDS)), shards)


class TestRecord(test.TestCase):

    def _message(self, **values):
        message = outbox.envelope('nova-compute:host1', 'service.update',
                                  'INFO', {'nova_object.data': {'x': 1}})
        message.update(values)
        return message

    def test_row_holds_the_whole_envelope(self):
        message = self._message()
        outbox.record(self.context, message, service_uuid='uuid-1')
        row, = outbox_rows()
        self.assertEqual(message['message_id'], row['message_id'])
        self.assertEqual('nova-compute:host1', row['publisher_id'])
        self.assertEqual('service.update', row['event_type'])
        self.assertEqual('INFO', row['priority'])
        self.assertEqual(message['payload'], jsonutils.loads(row['payload']))
        self.assertEqual(message['timestamp'], row['timestamp'])
        self.assertEqual('uuid-1', row['service_uuid'])
        self.assertEqual(outbox.shard_of('uuid-1'), row['shard'])
        self.assertEqual('pending', row['state'])
        self.assertEqual(0, row['attempts'])

    def test_without_a_service_the_publisher_orders(self):
        outbox.record(self.context, self._message())
        row, = outbox_rows()
        self.assertIsNone(row['service_uuid'])
        self.assertEqual(outbox.shard_of('nova-compute:host1'), row['shard'])

    def test_context_is_redacted(self):
        ctxt = nova_context.RequestContext(user_id='u', project_id='p',
                                           auth_token='S3cretToken')
        outbox.record(ctxt, self._message())
        row, = outbox_rows()
        self.assertNotIn('S3cretToken', row['context'])
        self.assertEqual('u', jsonutils.loads(row['context'])['user'])

    def test_commit_announces_the_shards(self):
        announced = []
        outbox.add_commit_callback(announced.append)
        self.addCleanup(outbox.remove_commit_callback, announced.append)
        with db_api.context_manager.writer.using(self.context):
            outbox.record(self.context, self._message(), service_uuid='a')
            outbox.record(self.context, self._message(), service_uuid='b')
            self.assertEqual([], announced)
        self.assertEqual([{outbox.shard_of('a'), outbox.shard_of('b')}],
                         announced)

    def test_rollback_leaves_no_row_and_announces_nothing(self):
        announced = []
        outbox.add_commit_callback(announced.append)
        self.addCleanup(outbox.remove_commit_callback, announced.append)

        class Abort(Exception):
            pass

        def record_then_fail():
            with db_api.context_manager.writer.using(self.context):
                outbox.record(self.context, self._message())
                raise Abort()

        self.assertRaises(Abort, record_then_fail)
        self.assertEqual([], outbox_rows())
        self.assertEqual([], announced)
        self.assertEqual([], self.notifier.versioned_notifications)

    def test_remove_an_unknown_callback(self):
        outbox.remove_commit_callback(lambda shards: None)


class TestCommitPipe(test.TestCase):
    """Commits of one process wake a relay of another, through a pipe."""

    def setUp(self):
        super().setUp()
        self.pipe = outbox.CommitPipe()
        self.addCleanup(self.pipe.close)

    def test_a_commit_wakes_the_relay_with_its_shards(self):
        woken = queue.Queue()

        class Relay(object):
            wake = woken.put

        self.pipe.wake(Relay())
        self.pipe.send_commits()
        with db_api.context_manager.writer.using(self.context):
            for uuid in ('a', 'b'):
                outbox.record(self.context, outbox.envelope(
                    'nova-compute:host1', 'service.update', 'INFO', {}),
                    service_uuid=uuid)
        self.assertEqual({outbox.shard_of('a'), outbox.shard_of('b')},
                         woken.get(timeout=10))

    def test_every_shard_fits_in_a_byte(self):
        self.assertLessEqual(outbox.SHARDS, 256)

    def test_a_full_pipe_never_holds_a_commit_back(self):
        # NOTE: nothing reads: the relay is far behind. Its watcher finds
        # the shards dropped here at its next poll.
        for _attempt in range(100000):
            self.pipe.announce({1, 2, 3})
