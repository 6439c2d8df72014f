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
``[notifications] relay_in_services`` is false it runs a notification relay
that publishes the notification outbox. SIGTERM or SIGINT stop it: the
requests in progress are finished, what is left of its notifications is
published for at most ``[notifications] relay_flush_timeout`` seconds, then
it exits 0. It exits 1 when it cannot start (database not migrated or
unreachable, port in use) and 2 on bad usage or configuration.
"""

import signal
import sys

from oslo_config import cfg
from oslo_db import exception as db_exc
from oslo_log import log as logging
import waitress

from nova.api.openstack.compute import wsgi as compute_wsgi
from nova.cmd import common
import nova.conf
from nova.conf import api as api_conf
from nova.conf import wsgi as wsgi_conf
from nova import config
from nova import exception

LOG = logging.getLogger(__name__)
CONF = nova.conf.CONF


def create_server(app, host, port, conf=CONF):
    """Return a waitress server of ``app`` bound to ``host``:``port``.

    Port 0 binds a free port; ``server.effective_port`` tells which.
    """
    return waitress.create_server(
        app, host=host, port=port,
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
    relay = None
    try:
        compute_wsgi.check_database()
        relay = common.build_relay(CONF, PROGRAM)
        if relay is not None:
            relay.start()
        compute_wsgi.register_api_service(CONF.host)
        app = compute_wsgi.build_application(CONF)
        server = create_server(app, CONF.osapi_compute_listen,
                               CONF.osapi_compute_listen_port)
    except Exception as error:
        if relay is not None:
            relay.stop()
        if isinstance(error, _CONFIGURATION_ERRORS):
            return common.error(error.format_message(), common.USAGE_ERROR,
                                PROGRAM)
        if isinstance(error, exception.NovaException):
            message = error.format_message()
        elif isinstance(error, db_exc.DBError):
            message = common.explain_database_error(error, CONF)
        elif isinstance(error, OSError):
            message = str(error)
        else:
            # NOTE: the traceback is for developers, at debug level.
            LOG.debug('Unexpected error at start', exc_info=True)
            message = 'unexpected error (%s): %s' % (
                type(error).__name__, error)
        return common.error(message, common.FAILURE, PROGRAM)
    url = 'http://%s:%s' % (server.effective_host, server.effective_port)
    LOG.info('nova-api listening on %s (auth_strategy %s)', url,
             CONF.api.auth_strategy)
    print(LISTENING + url, flush=True)
    signal.signal(signal.SIGTERM, _exit_on_signal)
    signal.signal(signal.SIGINT, _exit_on_signal)
    try:
        server.run()
    finally:
        server.close()
        if relay is not None:
            relay.stop()
    LOG.info('nova-api stopped')
    return common.SUCCESS


if __name__ == '__main__':
    sys.exit(main())
