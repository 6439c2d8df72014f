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

"""nova-notification-relay: publish the notification outbox to the bus.

    nova-notification-relay [--config-file nova.conf]

A relay of its own, for deployments that publish apart from nova-api and
nova-compute (``[notifications] relay_in_services = false``) or want more
relays. Any number may run on one database: they share the work by leases
and each service's notifications still leave in order. SIGTERM or SIGINT
stop it after at most ``[notifications] relay_flush_timeout`` seconds of
publishing what is left; it exits 0.

Exit codes: 0 stopped by a signal; 1 it cannot start (database not
migrated or unreachable); 2 bad usage or configuration (an unknown
notification driver, an invalid transport URL, notifications turned off).
"""

import signal
import sys

from oslo_config import cfg
from oslo_db import exception as db_exc
from oslo_log import log as logging

from nova.api.openstack.compute import wsgi as compute_wsgi
from nova.cmd import common
import nova.conf
from nova import config
from nova import exception
from nova import rpc

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

NAME = 'nova-notification-relay'
STOP_SIGNALS = frozenset([signal.SIGTERM, signal.SIGINT])


def main(argv=None):
    """Run a relay until SIGTERM or SIGINT; return the exit code."""
    argv = sys.argv if argv is None else argv
    # NOTE: blocked before any thread exists, so that the signals wait for
    # sigwait below in the main thread.
    signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        config.parse_args(argv)
        relay = common.build_relay(CONF, NAME, in_service=False)
    except (cfg.Error, logging.LogConfigError) as error:
        return common.error(str(error), common.USAGE_ERROR, NAME)
    except exception.NovaException as error:
        return common.error(error.format_message(),
                            common.USAGE_ERROR, NAME)
    if relay is None:
        return common.error('versioned notifications are turned off '
                            '([notifications] notification_format, '
                            '[oslo_messaging_notifications] driver): there '
                            'is nothing to relay', common.USAGE_ERROR, NAME)
    try:
        compute_wsgi.check_database()
    except exception.DatabaseNotMigrated as error:
        return common.error(error.format_message(), common.FAILURE,
                            NAME)
    except db_exc.DBError as error:
        return common.error(common.explain_database_error(error, CONF),
                            common.FAILURE, NAME)
    relay.start()
    try:
        signum = signal.sigwait(STOP_SIGNALS)
        LOG.info('%s received %s, stopping', NAME,
                 signal.Signals(signum).name)
    finally:
        relay.stop()
        rpc.cleanup()
    return common.SUCCESS


if __name__ == '__main__':
    sys.exit(main())
