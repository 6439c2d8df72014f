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

"""nova-manage and a heartbeating nova-compute write one SQLite database.

On the embedded default both processes update the services table at any
time; a writer must wait for the other one, never fail with "database is
locked". Two threads, each with its own connection, stand for the two
processes.
"""

import threading

from nova import context as nova_context
from nova.db.main import api as db_api
from nova import objects
from nova import test


class TestConcurrentSQLiteWriters(test.TestCase):

    def test_second_writer_waits_for_the_first(self):
        service = objects.Service(self.context, host='host1',
                                  binary='nova-compute', topic='compute',
                                  report_count=0)
        service.create()
        heartbeat_has_read = threading.Event()
        manage_done = threading.Event()
        errors = []

        @db_api.pick_context_manager_writer
        def read_then_write(ctxt):
            row = db_api.service_get(ctxt, service.id)
            heartbeat_has_read.set()
            # NOTE: gives the other writer the time to reach its own write;
            # with a deferred BEGIN this heartbeat's write then fails at
            # once, as the lock upgrade would deadlock.
            manage_done.wait(0.5)
            db_api.service_update(ctxt, service.id, {
                'report_count': row['report_count'] + 1})

        def heartbeat():
            try:
                read_then_write(nova_context.get_admin_context())
            except Exception as error:
                errors.append(error)

        thread = threading.Thread(target=heartbeat)
        thread.start()
        self.addCleanup(thread.join, 10)
        self.assertTrue(heartbeat_has_read.wait(10))
        db_api.service_update(nova_context.get_admin_context(), service.id,
                              {'disabled': True})
        manage_done.set()
        thread.join(10)

        self.assertFalse(thread.is_alive())
        self.assertEqual([], errors)
        row = db_api.service_get(self.context, service.id)
        self.assertEqual((1, True), (row['report_count'], row['disabled']))
