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

"""Processes forked by one parent that supervises them.

The parent forks its children and does nothing else (no thread of its own,
so that a fork later on copies no lock another thread held). A child that
exits while they should run is replaced. SIGTERM or SIGINT to the parent
stop the children in stages: first those of the first stage, then, once
they exited, those of the next (a relay after the servers whose commits it
publishes). A child whose parent disappeared (SIGKILL) stops by itself.
"""

import os
import signal
import threading
import time

from oslo_log import log as logging

LOG = logging.getLogger(__name__)

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
# NOTE: a child that dies younger than this is replaced only once it would
# have reached this age, so that a child failing at start cannot fork-loop.
_RESPAWN_DELAY = 1.0
_PARENT_CHECK_INTERVAL = 1.0
_STOP_POLL = 0.05


class Child(object):
    """What a child runs: ``serve()`` returns its exit code.

    ``serve`` starts with the default handlers of SIGTERM and SIGINT and
    must stop when it receives one. Children of a lower ``stop_stage``
    stop first.
    """

    def __init__(self, role, serve, stop_stage=0):
        self.role = role
        self.serve = serve
        self.stop_stage = stop_stage


class Workers(object):
    """Forks ``children`` and supervises them until a stop signal.

    ``run`` returns 0 once every child exited after the stop signal, or 1
    when some had to be killed after ``stop_timeout`` seconds.
    """

    def __init__(self, name, children, stop_timeout):
        self.name = name
        self.children = children
        self.stop_timeout = stop_timeout
        # NOTE: pid -> (child, when it was forked).
        self.pids = {}
        self._stopping = False
        self._stage = None

    def run(self):
        previous = {signum: signal.signal(signum, self._stop)
                    for signum in STOP_SIGNALS}
        try:
            for child in self.children:
                self._spawn(child)
            LOG.info('%s started %s', self.name, ', '.join(
                '%s %d' % (child.role, pid)
                for pid, (child, _at) in sorted(self.pids.items())))
            while self.pids and not self._stopping:
                self._reap(*os.wait())
            return self._stop_in_stages()
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)

    def _stop(self, signum, frame):
        if not self._stopping:
            self._stopping = True
            self._signal_stage(min(child.stop_stage
                                   for child in self.children))

    def _signal_stage(self, stage):
        self._stage = stage
        for pid, (child, _at) in list(self.pids.items()):
            if child.stop_stage <= stage:
                _signal(pid, signal.SIGTERM)

    def _spawn(self, child):
        # NOTE: a stop signal is held back across the fork, so that it
        # finds the child either unborn or with its own handlers.
        signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
        try:
            pid = os.fork()
            if pid == 0:
                self._run_child(child)
            self.pids[pid] = (child, time.monotonic())
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)

    def _run_child(self, child):
        code = 1
        try:
            for signum in STOP_SIGNALS:
                signal.signal(signum, signal.SIG_DFL)
            _stop_when_orphaned(self.name, os.getppid())
            signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
            code = child.serve()
        except SystemExit as exit:
            code = exit.code if isinstance(exit.code, int) else 1
        except BaseException:
            LOG.exception('%s %s %d failed', self.name, child.role,
                          os.getpid())
        finally:
            # NOTE: never back into the parent's code: a forked child
            # leaves through _exit, without the parent's atexit handlers.
            os._exit(code)

    def _reap(self, pid, status):
        child, started = self.pids.pop(pid, (None, None))
        if child is None or self._stopping:
            return
        LOG.error('%s %s %d exited (%s); starting another', self.name,
                  child.role, pid, _describe(status))
        delay = started + _RESPAWN_DELAY - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        if not self._stopping:
            self._spawn(child)

    def _stop_in_stages(self):
        deadline = time.monotonic() + self.stop_timeout
        killed = False
        while self.pids:
            for pid in list(self.pids):
                done, status = os.waitpid(pid, os.WNOHANG)
                if done:
                    child, _at = self.pids.pop(pid)
                    if os.waitstatus_to_exitcode(status):
                        LOG.warning('%s %s %d exited (%s)', self.name,
                                    child.role, pid, _describe(status))
            left = [child.stop_stage for child, _at in self.pids.values()]
            if left and min(left) > self._stage:
                self._signal_stage(min(left))
            if left and time.monotonic() >= deadline and not killed:
                LOG.error('%s: %s did not stop within %d s; killing them',
                          self.name, ' '.join(str(pid) for pid in
                                              sorted(self.pids)),
                          self.stop_timeout)
                for pid in self.pids:
                    _signal(pid, signal.SIGKILL)
                killed = True
            if self.pids:
                # NOTE: os.wait cannot time out; a short poll bounds the
                # stop instead.
                time.sleep(_STOP_POLL)
        return 1 if killed else 0


def _signal(pid, signum):
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass


def _describe(status):
    code = os.waitstatus_to_exitcode(status)
    if code < 0:
        return 'signal %s' % signal.Signals(-code).name
    return 'exit code %d' % code


def _stop_when_orphaned(name, parent):
    def watch():
        while os.getppid() == parent:
            time.sleep(_PARENT_CHECK_INTERVAL)
        LOG.warning('%s child %d lost its parent %d; stopping', name,
                    os.getpid(), parent)
        os.kill(os.getpid(), signal.SIGTERM)
    # NOTE: started while the stop signals are blocked, the thread keeps
    # them blocked: the signal it sends goes to the thread that serves.
    threading.Thread(target=watch, name='parent-watch', daemon=True).start()
