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

"""nova-api: serve the compute API with the waitress WSGI server.

    nova-api [--config-file nova.conf] [--osapi_compute_listen 127.0.0.1]
             [--osapi_compute_listen_port 8774] [--api-auth_strategy noauth2]

When it is ready it prints ``nova-api listening on http://HOST:PORT`` on
standard output (the chosen port when the configured one is 0). Unless
``[notifications] relay_in_services`` is false each process that serves runs
a notification relay, which publishes the notification outbox. With
``osapi_compute_workers`` above one, that many forked processes serve the
port.
SIGTERM or SIGINT stop it: the requests in progress are finished, what is
left of its notifications is published for at most ``[notifications]
relay_flush_timeout`` seconds, then it exits 0. It exits 1 when it cannot
start (database not migrated or unreachable, port in use) and 2 on bad usage
or configuration.
"""

import signal
import socket
import sys

from oslo_config import cfg
from oslo_log import log as logging
import waitress

from nova.api.openstack.compute import wsgi as compute_wsgi
from nova.api import workers
from nova.cmd import common
import nova.conf
from nova.conf import api as api_conf
from nova.conf import wsgi as wsgi_conf
from nova import config
from nova.db.main import api as db_api
from nova.db import migration
from nova import exception
from nova.notifications import delivery

LOG = logging.getLogger(__name__)
CONF = nova.conf.CONF


def listen(host, port):
    """Return a socket listening on ``host``:``port`` (0: a free port).

    :raises OSError: when the address cannot be bound (port in use...).
    """
    family, _type, _proto, _name, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    return socket.create_server(address, family=family, backlog=1024)


def create_server(app, sock, conf=CONF):
    """Return a waitress server of ``app`` accepting on ``sock``."""
    return waitress.create_server(
        app, sockets=[sock],
        threads=conf.wsgi.threads,
        channel_timeout=conf.wsgi.client_socket_timeout,
        # NOTE: waitress refuses a body of its limit or more; the option
        # is the largest body accepted.
        max_request_body_size=conf.wsgi.max_request_body_size + 1,
        ident='nova-api')


def _exit_on_signal(signum, frame):
    # NOTE: waitress's run() turns SystemExit into an orderly shutdown of
    # its worker threads.
    raise SystemExit(0)


def serve(app, sock):
    """Serve ``app`` on ``sock`` until SIGTERM or SIGINT; return 0.

    The delivery of this process's notifications runs meanwhile; what is
    left once the server stopped is published within ``[notifications]
    relay_flush_timeout``.
    """
    delivery.start(CONF, PROGRAM)
    try:
        server = create_server(app, sock)
        signal.signal(signal.SIGTERM, _exit_on_signal)
        signal.signal(signal.SIGINT, _exit_on_signal)
        try:
            server.run()
        finally:
            server.close()
    finally:
        delivery.stop()
    return common.SUCCESS


PROGRAM = 'nova-api'

# NOTE: errors of configuration; the others are failures (exit 1).
_CONFIGURATION_ERRORS = (exception.InvalidConfiguration,
                         exception.NotificationDriverNotFound,
                         exception.InvalidNotificationTransport)


# NOTE: the line nova-api prints on stdout once it accepts requests, which
# the commands and tests that start it wait for.
LISTENING = 'nova-api listening on '


def listening_url(output):
    """Return the URL of the ready line in nova-api's ``output``, or None."""
    for line in output.splitlines():
        if line.startswith(LISTENING):
            return line[len(LISTENING):].strip()
    return None


def main(argv=None):
    """Serve the compute API until SIGTERM or SIGINT; return the exit code.

    Exit codes: 0 stopped by a signal; 1 it cannot start (database not
    migrated or unreachable, port in use); 2 bad usage or configuration.
    """
    argv = sys.argv if argv is None else argv
    CONF.register_cli_opts(wsgi_conf.listen_opts)
    CONF.register_cli_opts(api_conf.auth_opts[:1], group=api_conf.api_group)
    try:
        config.parse_args(argv)
    except (cfg.Error, logging.LogConfigError) as error:
        return common.error(str(error), common.USAGE_ERROR)
    try:
        migration.check_migrated(CONF)
        # NOTE: before any fork, so that a driver or a transport that
        # cannot be used stops nova-api at start rather than every worker;
        # what registering commits is published before the workers start.
        delivery.start(CONF, PROGRAM, delivery.COMMAND)
        compute_wsgi.register_api_service(CONF.host)
        delivery.stop()
        app = compute_wsgi.build_application(CONF)
        sock = listen(CONF.osapi_compute_listen,
                      CONF.osapi_compute_listen_port)
    except Exception as error:
        if isinstance(error, _CONFIGURATION_ERRORS):
            return common.error(error.format_message(), common.USAGE_ERROR,
                                PROGRAM)
        if isinstance(error, common.DATABASE_ERRORS):
            message = common.explain_database_error(error, CONF)
        elif isinstance(error, exception.NovaException):
            message = error.format_message()
        elif isinstance(error, OSError):
            message = str(error)
        else:
            # NOTE: the traceback is for developers, at debug level.
            LOG.debug('Unexpected error at start', exc_info=True)
            message = 'unexpected error (%s): %s' % (
                type(error).__name__, error)
        return common.error(message, common.FAILURE, PROGRAM)
    host, port = sock.getsockname()[:2]
    url = 'http://%s:%s' % ('[%s]' % host if ':' in host else host, port)
    count = CONF.osapi_compute_workers
    LOG.info('nova-api listening on %s (auth_strategy %s, %d process%s)',
             url, CONF.api.auth_strategy, count, '' if count == 1 else 'es')
    print(LISTENING + url, flush=True)
    try:
        if count == 1:
            code = serve(app, sock)
        else:
            # NOTE: no connection of the database may cross a fork.
            db_api.get_engine().dispose()
            code = workers.Workers(
                PROGRAM, [workers.Child('worker', lambda: serve(app, sock))]
                * count,
                stop_timeout=CONF.notifications.relay_flush_timeout + 30,
            ).run()
    finally:
        sock.close()
    LOG.info('nova-api stopped')
    return code


if __name__ == '__main__':
    sys.exit(main())
