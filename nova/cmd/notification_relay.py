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

import sys

from oslo_log import log as logging

from nova.cmd import common
import nova.conf
from nova.db import migration
from nova import exception
from nova.notifications import delivery

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

NAME = 'nova-notification-relay'


def main(argv=None):
    """Run a relay until SIGTERM or SIGINT; return the exit code."""
    _, failed = common.configure_service(
        sys.argv if argv is None else argv, NAME, lambda: None)
    if failed is not None:
        return failed
    try:
        migration.check_migrated(CONF)
    except exception.DatabaseNotMigrated as error:
        return common.error(error.format_message(), common.FAILURE, NAME)
    except common.DATABASE_ERRORS as error:
        return common.error(common.explain_database_error(error, CONF),
                            common.FAILURE, NAME)
    try:
        delivery.start(CONF, NAME, delivery.RELAY)
    except exception.NovaException as error:
        return common.error(error.format_message(), common.USAGE_ERROR,
                            NAME)
    try:
        common.wait_for_stop(NAME)
    finally:
        delivery.stop()
    return common.SUCCESS


if __name__ == '__main__':
    sys.exit(main())
