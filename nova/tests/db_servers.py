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

"""Private PostgreSQL and MariaDB servers on loopback for the database tests.

Each test process starts at most one server per backend, the first time a
test asks for it (about a second), with its data directory in a temporary
directory, bound to 127.0.0.1 on a free port, durability switched off, and
stops it by pid when the process exits. Run as root, the servers run as the
``postgres`` and ``mysql`` users the Debian packages create.

Where a server is not installed its tests are skipped, loudly, unless
``NOVA_REQUIRE_DATABASES=1`` is set (CI sets it): then they fail.
"""

import atexit
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import threading
import time

from nova.tests import local_servers

REQUIRE_ENV = 'NOVA_REQUIRE_DATABASES'

_START_TIMEOUT = 60.0
_STOP_TIMEOUT = 20.0


class DatabaseServerUnavailable(Exception):
    """The database server is not installed, or did not start."""


def _postgresql_bin_dir():
    base = '/usr/lib/postgresql'
    override = os.environ.get('NOVA_POSTGRESQL_BIN_DIR')
    if override:
        return override
    try:
        versions = sorted(os.listdir(base), key=lambda v: int(v)
                          if v.isdigit() else 0)
    except OSError:
        return None
    return os.path.join(base, versions[-1], 'bin') if versions else None


class DatabaseServer(object):
    """One server of our own; subclasses say how to create and run it."""

    #: the database type, as oslo.db's provisioning names it.
    backend = None
    #: the Debian package that provides the server.
    package = None
    #: the system user that owns the server's files when run as root.
    system_user = None

    def __init__(self):
        self.port = local_servers.free_port()
        self.base_dir = None
        self.process = None
        self._reaper = None

    @classmethod
    def missing_reason(cls):
        """Return why no server can be run here, or None when one can."""
        for path in cls.programs():
            if not path or not os.access(path, os.X_OK):
                return ('%s is not installed: %s is missing'
                        % (cls.package, path or cls.package))
        return None

    @classmethod
    def programs(cls):
        raise NotImplementedError()

    @property
    def admin_url(self):
        """The URL of the server's administrative database."""
        raise NotImplementedError()

    @property
    def data_dir(self):
        return os.path.join(self.base_dir, 'data')

    def _user(self):
        """The user to run as, or None to stay the current user."""
        if os.geteuid() != 0:
            return None
        try:
            pwd.getpwnam(self.system_user)
        except KeyError:
            raise DatabaseServerUnavailable(
                'the %s user (created by the %s package) is missing'
                % (self.system_user, self.package))
        return self.system_user

    def _run(self, argv):
        user = self._user()
        result = subprocess.run(
            argv, user=user, group=user, stdin=subprocess.DEVNULL,
            capture_output=True, text=True, timeout=_START_TIMEOUT)
        if result.returncode != 0:
            raise DatabaseServerUnavailable(
                '%s failed (%s): %s' % (os.path.basename(argv[0]),
                                        result.returncode,
                                        (result.stdout + result.stderr)
                                        .strip()[-2000:]))

    def start(self):
        """Create the data directory and start the server, once ready.

        :raises DatabaseServerUnavailable: if the server is missing or did
            not accept connections within a minute (with its log's tail).
        """
        reason = self.missing_reason()
        if reason:
            raise DatabaseServerUnavailable(reason)
        self.base_dir = tempfile.mkdtemp(prefix='nova-%s-' % self.backend)
        user = self._user()
        if user:
            os.chown(self.base_dir, pwd.getpwnam(user).pw_uid, -1)
        try:
            self.initialize()
        except Exception:
            self.stop()
            raise
        self._launch()

    def _launch(self):
        user = self._user()
        with open(self.log_file, 'ab') as log:
            self.process = subprocess.Popen(
                self.server_argv(), user=user, group=user,
                stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True)
        self._reaper = local_servers.start_reaper([self.process.pid])
        deadline = time.monotonic() + _START_TIMEOUT
        while not self.ready():
            if self.process.poll() is not None or (
                    time.monotonic() > deadline):
                self.stop()
                raise DatabaseServerUnavailable(
                    '%s did not start on 127.0.0.1:%d%s'
                    % (self.package, self.port, self._log_tail()))
            time.sleep(0.1)

    #: the signal that shuts the server down at once, closing what its
    #: clients have open (as an operator's restart does).
    halt_signal = signal.SIGTERM

    def halt(self):
        """Shut the server down, keeping its files, for ``resume``."""
        self.process.send_signal(self.halt_signal)
        try:
            self.process.wait(_STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None
        local_servers.stop_reaper(self._reaper)
        self._reaper = None

    def resume(self):
        """Start the server again on its files and port, once ready.

        :raises DatabaseServerUnavailable: as ``start``.
        """
        self._launch()

    @property
    def log_file(self):
        return os.path.join(self.base_dir, 'server.log')

    def _log_tail(self, lines=20):
        try:
            with open(self.log_file, errors='replace') as f:
                tail = f.readlines()[-lines:]
        except OSError:
            return ''
        return '\nlast lines of %s:\n%s' % (self.log_file, ''.join(tail))

    def stop(self):
        """Stop the server by pid and remove every file it wrote."""
        if self.process is not None:
            local_servers.stop_process(self.process, _STOP_TIMEOUT)
            self.process = None
        local_servers.stop_reaper(self._reaper)
        self._reaper = None
        if self.base_dir:
            shutil.rmtree(self.base_dir, ignore_errors=True)
            self.base_dir = None


class PostgreSQLServer(DatabaseServer):
    """A PostgreSQL cluster of our own (initdb, then postgres)."""

    backend = 'postgresql'
    package = 'postgresql'
    system_user = 'postgres'
    # NOTE: its "fast" shutdown; SIGTERM ("smart") waits for the clients.
    halt_signal = signal.SIGINT

    @classmethod
    def programs(cls):
        bin_dir = _postgresql_bin_dir()
        if bin_dir is None:
            return [None]
        return [os.path.join(bin_dir, name)
                for name in ('initdb', 'postgres', 'pg_isready')]

    @property
    def admin_url(self):
        return ('postgresql+psycopg2://postgres@%s:%d/postgres'
                % (local_servers.LOOPBACK, self.port))

    def initialize(self):
        self._run([os.path.join(_postgresql_bin_dir(), 'initdb'),
                   '-D', self.data_dir, '-A', 'trust', '-U', 'postgres',
                   '-E', 'UTF8', '--locale=C', '--no-sync'])

    def server_argv(self):
        # NOTE: -k puts the Unix socket in our directory rather than
        # /var/run/postgresql, which may not exist or be writable.
        return [os.path.join(_postgresql_bin_dir(), 'postgres'),
                '-D', self.data_dir, '-k', self.base_dir,
                '-h', local_servers.LOOPBACK, '-p', str(self.port),
                '-c', 'fsync=off', '-c', 'synchronous_commit=off',
                '-c', 'full_page_writes=off', '-c', 'max_connections=200']

    def ready(self):
        result = subprocess.run(
            [os.path.join(_postgresql_bin_dir(), 'pg_isready'),
             '-q', '-h', local_servers.LOOPBACK, '-p', str(self.port)],
            stdin=subprocess.DEVNULL, capture_output=True)
        return result.returncode == 0


class MySQLServer(DatabaseServer):
    """A MariaDB server of our own (mariadb-install-db, then mariadbd)."""

    backend = 'mysql'
    package = 'mariadb-server'
    system_user = 'mysql'

    @classmethod
    def programs(cls):
        return [shutil.which('mariadb-install-db'),
                shutil.which('mariadbd', path='/usr/sbin:/usr/bin:' +
                             os.environ.get('PATH', ''))]

    @property
    def admin_url(self):
        # NOTE: mariadb-install-db creates root@127.0.0.1 without a
        # password; the server is ours and listens on loopback only, and
        # serves no TLS. Without ssl_disabled, PyMySQL would still load the
        # system's CA certificates for every connection, in case the server
        # offers it: 26 ms each, a fifth of a MySQL test.
        return ('mysql+pymysql://root@%s:%d/?charset=utf8mb4'
                '&ssl_disabled=true' % (local_servers.LOOPBACK, self.port))

    @property
    def socket(self):
        return os.path.join(self.base_dir, 'mysqld.sock')

    def _user_option(self):
        user = self._user()
        return ['--user=%s' % user] if user else []

    @property
    def tmp_dir(self):
        return os.path.join(self.base_dir, 'tmp')

    def initialize(self):
        # NOTE: temporary tables go to a directory of the server's own: in
        # the shared /tmp, two servers bootstrapping at once removed each
        # other's. It runs as the mysql user already; with --user it would
        # also try to chown the system's PAM plugin, which needs root.
        os.mkdir(self.tmp_dir)
        user = self._user()
        if user:
            os.chown(self.tmp_dir, pwd.getpwnam(user).pw_uid, -1)
        self._run([self.programs()[0], '--no-defaults',
                   '--datadir=%s' % self.data_dir, '--skip-test-db',
                   '--tmpdir=%s' % self.tmp_dir,
                   '--auth-root-authentication-method=normal'])

    def server_argv(self):
        return [self.programs()[1], '--no-defaults',
                '--datadir=%s' % self.data_dir, '--socket=%s' % self.socket,
                '--tmpdir=%s' % self.tmp_dir,
                '--pid-file=%s' % os.path.join(self.base_dir, 'mysqld.pid'),
                '--bind-address=%s' % local_servers.LOOPBACK,
                '--port=%d' % self.port, '--skip-name-resolve',
                '--skip-log-bin', '--innodb-flush-log-at-trx-commit=0',
                '--innodb-buffer-pool-size=64M',
                '--character-set-server=utf8mb4',
                '--collation-server=utf8mb4_general_ci',
                '--max-connections=200'] + self._user_option()

    def ready(self):
        return (os.path.exists(self.socket) and
                local_servers.accepts_connections(self.port))


SERVERS = {server.backend: server
           for server in (PostgreSQLServer, MySQLServer)}

_SHARED_LOCK = threading.Lock()
_SHARED = {}


def shared_server(backend):
    """Return this process's server of ``backend``, started on first use.

    :raises DatabaseServerUnavailable: if it cannot be run here.
    """
    with _SHARED_LOCK:
        server = _SHARED.get(backend)
        if server is None:
            server = SERVERS[backend]()
            server.start()
            atexit.register(server.stop)
            _SHARED[backend] = server
        return server


def require(backend):
    """Return the shared server of ``backend``, or skip (fail in CI)."""
    server_class = SERVERS[backend]
    reason = server_class.missing_reason()
    if reason:
        local_servers.skip_or_fail(
            reason, REQUIRE_ENV, 'apt-get install %s' % server_class.package,
            DatabaseServerUnavailable)
    return shared_server(backend)
