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

"""Which shard a relay's publishers serve next."""

import threading
import time

import testtools

from nova.notifications.delivery import scheduler


class TestScheduler(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.scheduler = scheduler.Scheduler()
        # NOTE: no thread of a failed test is left waiting.
        self.addCleanup(self.scheduler.stop)

    def test_first_wanted_first_served(self):
        # NOTE: a shard woken again and again must not starve the others.
        self.scheduler.wake([40])
        self.scheduler.wake([3])
        self.scheduler.wake([40, 3])
        self.assertEqual(40, self.scheduler.take())
        self.assertEqual(3, self.scheduler.take())

    def test_a_busy_shard_is_served_again_after(self):
        self.scheduler.wake([7])
        self.assertEqual(7, self.scheduler.take())
        self.scheduler.wake([7, 8])
        self.assertEqual(8, self.scheduler.take())
        self.assertEqual({7}, self.scheduler.wanted())
        self.scheduler.done(7)
        self.assertEqual(7, self.scheduler.take())

    def test_later_is_not_before_its_time(self):
        self.scheduler.later(5, 0.2)
        self.scheduler.wake([6])
        started = time.monotonic()
        self.assertEqual(6, self.scheduler.take())
        self.assertEqual(5, self.scheduler.take())
        self.assertGreaterEqual(time.monotonic() - started, 0.19)

    def test_one_probe_at_a_time_while_the_bus_fails(self):
        self.scheduler.wake([1, 2])
        self.assertEqual(1, self.scheduler.take(gate=lambda: (True, 0.0)))
        taken = []
        thread = threading.Thread(target=lambda: taken.append(
            self.scheduler.take(gate=lambda: (True, 0.0))))
        thread.start()
        thread.join(0.2)
        self.assertEqual([], taken)
        self.scheduler.done(1)
        thread.join(10)
        self.assertEqual([2], taken)

    def test_stop_ends_the_waits(self):
        taken = []
        thread = threading.Thread(target=lambda: taken.append(
            self.scheduler.take()))
        thread.start()
        self.scheduler.stop()
        thread.join(10)
        self.assertEqual([None], taken)

    def test_take_now_waits_for_the_publisher(self):
        self.scheduler.wake([4])
        self.assertEqual(4, self.scheduler.take())
        self.assertFalse(self.scheduler.take_now(4, time.monotonic() + 0.1))
        self.scheduler.done(4)
        self.assertTrue(self.scheduler.take_now(4, time.monotonic() + 0.1))

    def test_a_waiting_flush_takes_no_publisher_wake_up(self):
        # NOTE: a wake-up goes to one waiting thread; the flush waiting
        # for shard 4 must not be the one that takes the wake-up for 5.
        self.scheduler.wake([4])
        self.assertEqual(4, self.scheduler.take())
        flushed = []
        flusher = threading.Thread(target=lambda: flushed.append(
            self.scheduler.take_now(4, time.monotonic() + 30)))
        flusher.start()
        self._until(lambda: self.scheduler._flushers == 1)
        looked = threading.Event()

        def gate():
            looked.set()
            return False, 0.0

        taken = []
        publisher = threading.Thread(target=lambda: taken.append(
            self.scheduler.take(gate=gate)))
        publisher.start()
        self.assertTrue(looked.wait(10))
        self.scheduler.wake([5])
        publisher.join(10)
        self.assertEqual([5], taken)
        self.scheduler.done(4)
        flusher.join(10)
        self.assertEqual([True], flushed)

    def _until(self, condition):
        deadline = time.monotonic() + 10
        while True:
            # NOTE: under the lock: once a waiter is counted it waits.
            with self.scheduler._cond:
                if condition():
                    return
            self.assertLess(time.monotonic(), deadline)
            time.sleep(0.001)
