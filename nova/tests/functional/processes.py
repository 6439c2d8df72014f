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

"""nova's console scripts as real processes, for functional tests."""

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request

import fixtures

from nova.tests import fixtures as nova_fixtures
from nova.tests import local_servers


def write_config(path, sections):
    """Write a nova.conf at ``path`` from ``{section: {option: value}}``."""
    with open(path, 'w') as f:
        for section, options in sections.items():
            f.write('[%s]\n' % section)
            for name, value in options.items():
                f.write('%s = %s\n' % (name, value))


_LISTENING = re.compile(r'Listening at: (http://\S+)')


def api_environment(config, extra=None):
    """The environment of a WSGI server serving the compute API.

    ``config`` is the nova.conf; ``extra``, another file in its directory
    read after it.
    """
    files = [os.path.basename(config)] + ([extra] if extra else [])
    return dict(os.environ, OS_NOVA_CONFIG_DIR=os.path.dirname(config),
                OS_NOVA_CONFIG_FILES=';'.join(files))


class NovaAPIProcess(fixtures.Fixture):
    """The compute API under gunicorn on a free port of 127.0.0.1.

    gunicorn runs ``nova.wsgi.osapi_compute:application`` in ``workers``
    processes of ``threads`` threads, with the configuration ``config``
    (a nova.conf) and ``auth_strategy``. ``url`` is its root once
    ``/healthcheck`` answers; cleanup stops it by pid (SIGTERM, then
    SIGKILL). ``kill`` ends it and its workers at once, as a crash would.
    ``log()`` is what gunicorn and the application wrote.
    """

    def __init__(self, config, timeout=30, workers=1, threads=8,
                 auth_strategy='noauth2'):
        super().__init__()
        self.config = config
        self.timeout = timeout
        self.workers = workers
        self.threads = threads
        self.auth_strategy = auth_strategy

    def _setUp(self):
        extra = os.path.join(os.path.dirname(self.config), 'api-test.conf')
        write_config(extra, {
            'api': {'auth_strategy': self.auth_strategy},
            'wsgi': {'api_paste_config': nova_fixtures.API_PASTE_CONFIG}})
        self.process = subprocess.Popen(
            gunicorn_command(self.workers, self.threads),
            env=api_environment(self.config, os.path.basename(extra)),
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, start_new_session=True)
        self.addCleanup(self.stop)
        self._lines = []
        listening = queue.Queue()

        def read():
            for line in self.process.stdout:
                self._lines.append(line)
                match = _LISTENING.search(line)
                if match:
                    listening.put(match.group(1))
            listening.put(None)
        self._reader = threading.Thread(target=read, daemon=True)
        self._reader.start()
        url = listening.get(timeout=self.timeout)
        if url is None:
            raise AssertionError('gunicorn exited (%s) before it listened: '
                                 '%s' % (self.process.wait(), self.log()))
        self.url = url
        wait_until_healthy(self.url, self.process, self.timeout, self.log)

    def log(self):
        return ''.join(self._lines)

    @property
    def pid(self):
        """gunicorn's own (the master's) process id."""
        return self.process.pid

    def worker_pids(self):
        """The process ids of gunicorn's workers, which serve."""
        return children_of(self.pid)

    def kill(self):
        """End gunicorn and its workers at once (SIGKILL) and reap them."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(self.timeout)

    def stop(self):
        """Stop gunicorn (SIGTERM, SIGKILL after the timeout)."""
        local_servers.stop_process(self.process, self.timeout)
        self._reader.join(self.timeout)
        self.process.stdout.close()


def children_of(parent):
    """The pids of the processes whose parent is ``parent``, sorted."""
    children = []
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        try:
            with open('/proc/%s/stat' % entry) as f:
                # NOTE: the name, in parentheses, may hold spaces.
                ppid = int(f.read().rsplit(')', 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if ppid == parent:
            children.append(int(entry))
    return sorted(children)


def gunicorn_command(workers=1, threads=8):
    """gunicorn serving the compute API on a free port of 127.0.0.1."""
    return [sys.executable, '-m', 'gunicorn', '--bind', '127.0.0.1:0',
            '--workers', str(workers), '--threads', str(threads),
            '--worker-class', 'gthread', '--graceful-timeout', '30',
            '--error-logfile', '-', 'nova.wsgi.osapi_compute:application']


def wait_until_healthy(url, process, timeout, log=lambda: ''):
    """Wait for ``GET url/healthcheck`` to answer 200; fail if it exits."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url + '/healthcheck',
                                        timeout=timeout) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if process.poll() is not None:
            raise AssertionError('the compute API exited (%s) before it '
                                 'served: %s' % (process.returncode, log()))
        if time.monotonic() > deadline:
            raise AssertionError('the compute API did not serve within '
                                 '%d s: %s' % (timeout, log()))
        time.sleep(0.05)
