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

"""What the tests' private servers share: loopback ports, reaping, skips.

RabbitMQ, PostgreSQL and MariaDB servers started by the tests listen on
127.0.0.1 only, on ports chosen free at start, are stopped by pid, and die
with the test process however it ends. Where one is not installed, its tests
are skipped loudly, unless an environment variable (set by CI) makes that a
failure.
"""

import os
import socket
import subprocess
import sys
import time

import testtools

LOOPBACK = '127.0.0.1'


def free_port():
    """Return a TCP port of 127.0.0.1 that nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def external_address():
    """Return an IPv4 address of this host other than loopback, or None."""
    candidates = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            # NOTE: connecting a UDP socket sends nothing; it only picks the
            # address of the route out (to a documentation network).
            sock.connect(('198.51.100.1', 9))
            candidates.append(sock.getsockname()[0])
        except OSError:
            pass
    try:
        candidates.extend(socket.gethostbyname_ex(socket.gethostname())[2])
    except OSError:
        pass
    for address in candidates:
        if not address.startswith('127.') and address != '0.0.0.0':
            return address
    return None


def accepts_connections(port):
    """Return whether something accepts TCP connections on ``port``."""
    try:
        with socket.create_connection((LOOPBACK, port), timeout=1):
            return True
    except OSError:
        return False


def start_reaper(pids):
    """Kill ``pids`` when this process dies, however it dies.

    A child process waits for its stdin to reach end of file, which only
    happens once this process is gone; a normal stop kills the reaper
    first. Without it a crashed or killed test worker would leak servers.
    """
    code = ('import os, signal, sys\n'
            'sys.stdin.read()\n'
            'for pid in sys.argv[1:]:\n'
            '    try:\n'
            '        os.kill(int(pid), signal.SIGKILL)\n'
            '    except OSError:\n'
            '        pass\n')
    return subprocess.Popen(
        [sys.executable, '-c', code] + [str(pid) for pid in pids],
        stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, start_new_session=True)


def stop_reaper(reaper):
    """Stop a reaper without letting it kill anything."""
    if reaper is not None and reaper.poll() is None:
        reaper.kill()
        reaper.wait()


def stop_process(process, timeout):
    """Stop ``process`` (a Popen): SIGTERM, then SIGKILL after ``timeout``.

    Returns once it is reaped.
    """
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_for_exit(pid, timeout):
    """Return whether ``pid`` is gone within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def required(env_name):
    """Return whether ``env_name`` asks for a failure instead of a skip."""
    return os.environ.get(env_name, '').lower() in ('1', 'true', 'yes')


def skip_or_fail(reason, env_name, install_hint, error_class):
    """Skip the current test loudly, or raise if ``env_name`` is set."""
    if required(env_name):
        raise error_class('%s and %s=1 requires it' % (reason, env_name))
    message = ('%s: these tests did NOT run. Install it (%s) or set %s=1 to '
               'make this an error.' % (reason, install_hint, env_name))
    sys.stderr.write('WARNING: %s\n' % message)
    raise testtools.TestCase.skipException(message)
