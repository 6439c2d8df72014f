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

"""A private RabbitMQ broker on loopback for the message bus tests.

The broker, its Erlang port mapper (epmd) and the Erlang distribution all
listen on 127.0.0.1 only, on ports chosen free at start, under a node name of
their own; every file they write lives in a temporary directory. One broker
serves a whole test process (``shared_broker``): booting takes seconds.

Where RabbitMQ is not installed the bus tests are skipped, loudly, unless
``NOVA_REQUIRE_RABBITMQ=1`` is set (CI sets it): then they fail.
"""

import atexit
import glob
import os
import re
import secrets
import shutil
import signal
import subprocess
import tempfile
import threading
import time

import fixtures

from nova.tests import local_servers

_LOOPBACK = local_servers.LOOPBACK

# NOTE: Debian's /usr/sbin/rabbitmq-server is a wrapper that switches to the
# rabbitmq user and its /var/lib state; the scripts it wraps run the broker
# as the calling user with the environment given here.
SCRIPTS_DIR = os.environ.get('RABBITMQ_SCRIPTS_DIR', '/usr/lib/rabbitmq/bin')
REQUIRE_ENV = 'NOVA_REQUIRE_RABBITMQ'

_BOOT_TIMEOUT = 60.0
_STOP_TIMEOUT = 20.0
# NOTE: the applications of a broker without plugins: rabbit and what its
# .app files say it needs, found in the installed plugins directory.
_CORE_APPLICATIONS = ('rabbitmq_prelaunch', 'rabbit')
_APP_DEPENDENCIES = re.compile(
    r'\{(?:included_)?applications,\s*\[([^\]]*)\]')


class BrokerUnavailable(Exception):
    """RabbitMQ is not installed, or the broker did not start."""


def missing_reason():
    """Return why no broker can be run here, or None when one can."""
    server = os.path.join(SCRIPTS_DIR, 'rabbitmq-server')
    if not os.access(server, os.X_OK):
        return 'RabbitMQ is not installed: %s is missing' % server
    for program in ('epmd', 'erl_call'):
        if shutil.which(program) is None:
            return ('RabbitMQ is not installed: %s (Erlang) is not on PATH'
                    % program)
    return None


def _installed_plugins_dir():
    found = glob.glob(os.path.join(SCRIPTS_DIR, os.pardir, 'lib',
                                   'rabbitmq_server-*', 'plugins'))
    return found[0] if len(found) == 1 else None


def link_core_applications(installed, target):
    """Link into ``target`` the applications a broker without plugins runs.

    Booting loads every module of every application in its plugins
    directory, searching each along a code path that has a directory per
    application there: fewer applications, a shorter path.
    Returns False when an application's .app file cannot be read.
    """
    versions = {}
    for entry in os.listdir(installed):
        name = entry.rpartition('-')[0]
        if name:
            versions[name] = entry
    wanted, todo = set(), list(_CORE_APPLICATIONS)
    while todo:
        app = todo.pop()
        if app in wanted or app not in versions:
            continue
        try:
            with open(os.path.join(installed, versions[app], 'ebin',
                                   app + '.app')) as f:
                spec = f.read()
        except OSError:
            return False
        wanted.add(app)
        for dependencies in _APP_DEPENDENCIES.findall(spec):
            todo.extend(dep.strip() for dep in dependencies.split(',')
                        if dep.strip())
    os.makedirs(target, exist_ok=True)
    for app in wanted:
        os.symlink(os.path.join(installed, versions[app]),
                   os.path.join(target, versions[app]))
    return True


class RabbitMQBroker(object):
    """One RabbitMQ node of our own, bound to 127.0.0.1.

    ``start`` boots it and returns once it accepts AMQP connections;
    ``stop`` stops it by pid. It can be stopped and started again on the
    same port (the failure tests do), keeping its epmd running meanwhile.
    ``stop_application`` stops RabbitMQ inside its running Erlang node,
    which ``start`` then starts again in a fraction of a boot.
    ``transport_url`` carries a random password, so that tests can check
    it never shows up in logs.
    """

    def __init__(self):
        self.base_dir = tempfile.mkdtemp(prefix='nova-rabbitmq-')
        self.node = 'nova-test-%d-%s@localhost' % (
            os.getpid(), secrets.token_hex(4))
        self.port = local_servers.free_port()
        self.epmd_port = local_servers.free_port()
        self.dist_port = local_servers.free_port()
        self.user = 'nova'
        self.password = secrets.token_hex(16)
        self.pid = None
        self.boot_seconds = None
        self._application_stopped = False
        self._script = None
        self._epmd = None
        self._reaper = None
        self._write_config()

    @property
    def transport_url(self):
        return 'rabbit://%s:%s@%s:%d/' % (self.user, self.password,
                                          _LOOPBACK, self.port)

    @property
    def pid_file(self):
        return os.path.join(self.base_dir, 'rabbitmq.pid')

    @property
    def log_file(self):
        return os.path.join(self.base_dir, 'log', '%s.log' % self.node)

    def _path(self, name):
        return os.path.join(self.base_dir, name)

    def _write_config(self):
        with open(self._path('rabbitmq.conf'), 'w') as f:
            f.write('default_user = %s\n' % self.user)
            f.write('default_pass = %s\n' % self.password)
            f.write('default_vhost = /\n')
        with open(self._path('enabled_plugins'), 'w') as f:
            f.write('[].\n')
        # NOTE: an empty file of our own, so /etc/rabbitmq/rabbitmq-env.conf
        # cannot move the node elsewhere.
        open(self._path('rabbitmq-env.conf'), 'w').close()
        installed = _installed_plugins_dir()
        self._plugins_dir = None
        if installed and link_core_applications(installed,
                                                self._path('plugins')):
            self._plugins_dir = self._path('plugins')

    def _environ(self):
        env = dict(os.environ)
        env.update({
            # NOTE: Erlang keeps its cookie in $HOME; ours is private.
            'HOME': self.base_dir,
            'RABBITMQ_CONF_ENV_FILE': self._path('rabbitmq-env.conf'),
            'RABBITMQ_CONFIG_FILE': self._path('rabbitmq'),
            'RABBITMQ_ENABLED_PLUGINS_FILE': self._path('enabled_plugins'),
            'RABBITMQ_MNESIA_BASE': self._path('mnesia'),
            'RABBITMQ_LOG_BASE': self._path('log'),
            'RABBITMQ_PID_FILE': self.pid_file,
            'RABBITMQ_NODENAME': self.node,
            'RABBITMQ_NODE_IP_ADDRESS': _LOOPBACK,
            'RABBITMQ_NODE_PORT': str(self.port),
            'RABBITMQ_DIST_PORT': str(self.dist_port),
            'ERL_EPMD_ADDRESS': _LOOPBACK,
            'ERL_EPMD_PORT': str(self.epmd_port),
            'RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS':
                '-kernel inet_dist_use_interface {127,0,0,1}',
        })
        if self._plugins_dir:
            env['RABBITMQ_PLUGINS_DIR'] = self._plugins_dir
        return env

    @property
    def running(self):
        return self._script is not None and self._script.poll() is None

    def start(self, timeout=_BOOT_TIMEOUT):
        """Boot the broker; return once it accepts AMQP connections.

        :raises BrokerUnavailable: if RabbitMQ is missing or the node did
            not come up within ``timeout`` seconds (with its log's tail).
        """
        reason = missing_reason()
        if reason:
            raise BrokerUnavailable(reason)
        if self.running:
            if self._application_stopped:
                self._start_application(timeout)
            return
        started = time.monotonic()
        env = self._environ()
        if self._epmd is None or self._epmd.poll() is not None:
            # NOTE: started by us, not daemonized by Erlang, so that it has
            # a pid we know and stop.
            self._epmd = subprocess.Popen(
                ['epmd', '-address', _LOOPBACK, '-port',
                 str(self.epmd_port)],
                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                start_new_session=True)
        with open(self._path('server.out'), 'ab') as out:
            self._script = subprocess.Popen(
                [os.path.join(SCRIPTS_DIR, 'rabbitmq-server')],
                env=env, stdin=subprocess.DEVNULL, stdout=out,
                stderr=subprocess.STDOUT, start_new_session=True)
        try:
            self._wait_ready(timeout)
        except BrokerUnavailable:
            self.stop()
            raise
        with open(self.pid_file) as f:
            self.pid = int(f.read().strip())
        local_servers.stop_reaper(self._reaper)
        self._reaper = local_servers.start_reaper(
            [self.pid, self._script.pid, self._epmd.pid])
        self.boot_seconds = time.monotonic() - started

    def _wait_ready(self, timeout):
        # NOTE: the broker opens its AMQP port at the end of its boot, once
        # its user and virtual host exist. (rabbitmqctl wait says the same
        # later: it boots an Erlang node of its own first.)
        deadline = time.monotonic() + timeout
        while not (os.path.exists(self.pid_file) and
                   local_servers.accepts_connections(self.port)):
            if not self.running:
                raise BrokerUnavailable(
                    'RabbitMQ node %s did not start (rabbitmq-server exited '
                    '%s)%s' % (self.node, self._script.returncode,
                               self._log_tail()))
            if time.monotonic() > deadline:
                raise BrokerUnavailable(
                    'RabbitMQ node %s did not start within %ss%s'
                    % (self.node, timeout, self._log_tail()))
            time.sleep(0.05)

    def stop_application(self):
        """Stop RabbitMQ in its node, as a broker that shuts down does.

        Clients see what a graceful shutdown shows them: their
        connections closed by the broker, then a port that refuses new
        ones. Durable queues keep their persistent messages on disk, as
        across a restart. The Erlang node keeps running, so that ``start``
        takes a fraction of a second instead of a boot.
        """
        self._erl_call('rabbit', 'stop')
        self._application_stopped = True

    def _start_application(self, timeout):
        deadline = time.monotonic() + timeout
        # NOTE: rabbit:start() returns at once, starting nothing, while the
        # boot before has not yet unregistered its marker process.
        self._erl_call('rabbit', 'start')
        while self._erl_call('rabbit', 'is_running') != 'true':
            if time.monotonic() > deadline:
                raise BrokerUnavailable(
                    'RabbitMQ did not start again in node %s within %ss%s'
                    % (self.node, timeout, self._log_tail()))
            time.sleep(0.05)
            self._erl_call('rabbit', 'start')
        self._application_stopped = False
        self._wait_ready(timeout)

    def _erl_call(self, module, function):
        """Apply ``module:function()`` in the node; return what it returned.

        erl_call connects straight to the node's distribution port, with
        the node's cookie (from the private $HOME).
        """
        result = subprocess.run(
            ['erl_call', '-address', '%s:%d' % (_LOOPBACK, self.dist_port),
             '-a', '%s %s' % (module, function)],
            env=self._environ(), stdin=subprocess.DEVNULL,
            capture_output=True, text=True, timeout=_STOP_TIMEOUT)
        output = result.stdout.strip()
        if result.returncode or output.startswith('{badrpc'):
            raise BrokerUnavailable(
                '%s:%s() failed in RabbitMQ node %s: %s'
                % (module, function, self.node,
                   (output + result.stderr).strip()))
        return output

    def _log_tail(self, lines=20):
        for path in (self.log_file, self._path('server.out')):
            try:
                with open(path, errors='replace') as f:
                    tail = f.readlines()[-lines:]
            except OSError:
                continue
            return '\nlast lines of %s:\n%s' % (path, ''.join(tail))
        return ''

    def stop(self, timeout=_STOP_TIMEOUT):
        """Stop the broker by pid: SIGTERM, then SIGKILL after ``timeout``.

        Its epmd keeps running for a later ``start``; ``destroy`` ends it.
        """
        if self._script is None:
            return
        pids = [pid for pid in (self.pid, self._script.pid) if pid]
        for pid in pids:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        try:
            self._script.wait(timeout)
        except subprocess.TimeoutExpired:
            pass
        if self.pid and not local_servers.wait_for_exit(self.pid, 1.0):
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        self._script.wait()
        self._script = None
        self._application_stopped = False
        self.pid = None
        local_servers.stop_reaper(self._reaper)
        self._reaper = (local_servers.start_reaper([self._epmd.pid])
                        if self._epmd is not None else None)

    def destroy(self):
        """Stop the broker and its epmd and remove every file they wrote."""
        self.stop()
        local_servers.stop_reaper(self._reaper)
        self._reaper = None
        if self._epmd is not None:
            self._epmd.kill()
            self._epmd.wait()
            self._epmd = None
        shutil.rmtree(self.base_dir, ignore_errors=True)


_SHARED_LOCK = threading.Lock()
_SHARED = None


def shared_broker():
    """Return this process's broker, started (again) if it is not running.

    The first call boots it; it is destroyed when the process
    exits. A test that stopped it gets it back with the next call.
    """
    global _SHARED
    with _SHARED_LOCK:
        if _SHARED is None:
            _SHARED = RabbitMQBroker()
            atexit.register(_SHARED.destroy)
        _SHARED.start()
        return _SHARED


class RabbitMQFixture(fixtures.Fixture):
    """The process's shared broker, running.

    Without RabbitMQ the test is skipped, unless ``NOVA_REQUIRE_RABBITMQ=1``
    makes that an error.
    """

    def setUp(self):
        # NOTE: not _setUp: fixtures turns any exception raised there into a
        # SetupError, and a skip must stay a skip.
        super().setUp()
        reason = missing_reason()
        if reason:
            local_servers.skip_or_fail(
                reason, REQUIRE_ENV, 'apt-get install rabbitmq-server',
                BrokerUnavailable)
        self.broker = shared_broker()
