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

"""The waits of a relay while the bus fails, and the report of an outage."""

from nova.notifications.delivery import backoff
from nova import test


class TestBackoff(test.TestCase):

    USES_DB = False

    def test_the_wait_doubles_up_to_the_cap(self):
        waits = backoff.Backoff(3.0)
        self.assertEqual([0.5, 1.0, 2.0, 3.0, 3.0],
                         [waits.failed(7, 'n', 'down') for _ in range(5)])
        waits.succeeded(7)
        self.assertEqual(0.5, waits.failed(7, 'n', 'down'))

    def test_an_outage_is_logged_once_at_each_end(self):
        waits = backoff.Backoff(3.0)
        self.assertFalse(waits.in_outage)
        for shard in (1, 2, 1):
            waits.failed(shard, 'service.update for service a', 'down')
        self.assertTrue(waits.in_outage)
        self.assertTrue(waits.gate()[0])
        waits.succeeded(2)
        self.assertFalse(waits.in_outage)
        self.assertEqual((False, 0.0), waits.gate())
        lines = [line for line in self.stdlog.output.splitlines()
                 if line.startswith(('ERROR', 'WARNING'))]
        self.assertEqual(2, len(lines), lines)
        self.assertIn('Cannot publish notification service.update for '
                      'service a: down', lines[0])
        self.assertIn('Notifications are published again after', lines[1])
        self.assertIn('and 3 failed attempts', lines[1])
