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
import signal
import subprocess
import threading

import fixtures

from nova.cmd import api as api_cmd
from nova.cmd import common
from nova.tests import local_servers


def write_config(path, sections):
    """Write a nova.conf at ``path`` from ``{section: {option: value}}``."""
    with open(path, 'w') as f:
        for section, options in sections.items():
            f.write('[%s]\n' % section)
            for name, value in options.items():
                f.write('%s = %s\n' % (name, value))


class NovaAPIProcess(fixtures.Fixture):
    """``nova-api --config-file CONFIG`` on a free port of 127.0.0.1.

    ``url`` is its root once it said it listens; cleanup stops it by pid
    (SIGTERM, then SIGKILL). ``kill`` ends it at once, as a crash would.
    """

    def __init__(self, config, timeout=30):
        super().__init__()
        self.config = config
        self.timeout = timeout

    def _setUp(self):
        self.process = subprocess.Popen(
            common.console_script('nova-api') + [
                '--config-file', self.config,
                '--osapi_compute_listen_port', '0',
                '--api-auth_strategy', 'noauth2'],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, text=True, start_new_session=True)
        self.addCleanup(self.stop)
        lines = queue.Queue()

        def read():
            for line in self.process.stdout:
                lines.put(line)
            lines.put(None)
        threading.Thread(target=read, daemon=True).start()
        while True:
            line = lines.get(timeout=self.timeout)
            if line is None:
                raise AssertionError('nova-api exited (%s) before it '
                                     'listened' % self.process.wait())
            url = api_cmd.listening_url(line)
            if url:
                self.url = url
                return

    @property
    def pid(self):
        return self.process.pid

    def kill(self):
        """End the process at once (SIGKILL) and reap it."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(self.timeout)

    def stop(self):
        """Stop the process (SIGTERM, SIGKILL after the timeout)."""
        local_servers.stop_process(self.process, self.timeout)
        self.process.stdout.close()
