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

"""Fixtures of the message bus tests: a listener, a silent port."""

import atexit
import socket
import threading
import time

import fixtures
from oslo_utils import uuidutils

from nova.notifications import listener as bus_listener


class NotificationListener(fixtures.Fixture):
    """A real oslo.messaging listener on the versioned notification topics.

    It reads a queue of its own (a pool named after the test), so it gets
    every notification sent once it is set up, and nothing sent before.
    ``messages`` are the envelopes received, in order of arrival.
    """

    def __init__(self, conf, url):
        super().__init__()
        self.conf = conf
        self.url = url
        self.pool = 'nova-test-%s' % uuidutils.generate_uuid(dashed=False)
        self._messages = []
        self._arrived = threading.Condition()

    def _setUp(self):
        listener, transport = bus_listener.start_listener(
            self.conf, self._receive, url=self.url, pool=self.pool)
        self.addCleanup(_stop_listener, listener, transport)

    def _receive(self, envelope):
        with self._arrived:
            self._messages.append(envelope)
            self._arrived.notify_all()

    @property
    def messages(self):
        with self._arrived:
            return list(self._messages)

    def wait_for(self, count, timeout=10.0):
        """Return the messages once ``count`` arrived, within ``timeout``.

        :raises AssertionError: when fewer arrived in time.
        """
        deadline = time.monotonic() + timeout
        with self._arrived:
            while len(self._messages) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(
                        'Expected %d notifications on the bus within %.1fs, '
                        'got %d: %s' % (count, timeout, len(self._messages),
                                        [m['event_type'] for m in
                                         self._messages]))
                self._arrived.wait(remaining)
            return list(self._messages)

    def wait_until(self, predicate, timeout, what):
        """Return the messages once ``predicate(messages)`` holds.

        :raises AssertionError: naming ``what`` when it does not in time.
        """
        with self._arrived:
            if not self._arrived.wait_for(
                    lambda: predicate(self._messages), timeout=timeout):
                raise AssertionError('%s did not happen within %.0fs (%d '
                                     'notifications received)'
                                     % (what, timeout, len(self._messages)))
            return list(self._messages)

    def assert_nothing_more(self, count, wait=0.5):
        """Assert that ``count`` messages at most arrive within ``wait``."""
        with self._arrived:
            self._arrived.wait_for(lambda: len(self._messages) > count,
                                   timeout=wait)
            if len(self._messages) > count:
                raise AssertionError(
                    'Expected no more than %d notifications, got %s'
                    % (count, [m['event_type'] for m in self._messages]))


# NOTE: threads stopping listeners that tests are done with.
_releasing = []
_releasing_lock = threading.Lock()


def _stop_listener(listener, transport):
    """Stop ``listener`` and close ``transport`` in the background.

    Stopping waits for the consumer's poll (up to a second) and then for
    futurist's idle worker, which notices a shutdown only at its next
    one-second poll: up to two seconds per test for nothing. The listener's
    queue is its own, so a test never sees what it gets meanwhile. The
    threads are joined before the process exits.
    """
    thread = threading.Thread(target=bus_listener.stop_listener,
                              args=(listener, transport), daemon=True,
                              name='listener-stop')
    thread.start()
    with _releasing_lock:
        if not _releasing:
            # NOTE: registered after the shared broker's destroy, so it runs
            # before it: the connections close while the broker is up.
            atexit.register(_join_releasing)
        _releasing.append(thread)


def _join_releasing(timeout=10.0):
    deadline = time.monotonic() + timeout
    with _releasing_lock:
        threads = list(_releasing)
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))


class SilentServer(fixtures.Fixture):
    """A TCP port on 127.0.0.1 that accepts and never answers.

    It behaves like a hung broker.
    """

    def _setUp(self):
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind(('127.0.0.1', 0))
        self._sock.listen(64)
        self.port = self._sock.getsockname()[1]
        self.accepted = []
        self._thread = threading.Thread(target=self._accept, daemon=True,
                                        name='silent-server')
        self._thread.start()
        self.addCleanup(self._close)

    def _accept(self):
        while True:
            try:
                conn, _addr = self._sock.accept()
            except OSError:
                return
            self.accepted.append(conn)

    def _close(self):
        # NOTE: shutdown wakes the accepting thread; closing the accepted
        # connections ends any client still waiting for an answer.
        try:
            self._sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._sock.close()
        self._thread.join(5)
        for conn in self.accepted:
            conn.close()
