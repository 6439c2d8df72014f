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

"""nova-compute: run the compute service on ``[DEFAULT] host``.

The service registers its record (``service.create`` on its first start),
reports a heartbeat every ``report_interval`` seconds and, unless
``[notifications] relay_in_services`` is false, runs a notification relay
that publishes the notification outbox. It stops cleanly on SIGTERM or
SIGINT, publishing what it left in the outbox for at most ``[notifications]
relay_flush_timeout`` seconds, and exits 0. It exits 1 when it cannot start
(database not migrated or unreachable) and 2 on bad usage or configuration
(an unknown notification driver, say).
"""

import sys

from oslo_log import log as logging

from nova.cmd import common
import nova.conf
from nova.db import migration
from nova import exception
from nova.notifications import delivery
from nova import objects
from nova import service

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

BINARY = 'nova-compute'

# NOTE: a notification driver or transport that cannot be used.
_CONFIGURATION_ERRORS = (exception.NotificationDriverNotFound,
                         exception.InvalidNotificationTransport)


def main(argv=None):
    """Run nova-compute until SIGTERM or SIGINT; return the exit code."""
    server, failed = common.configure_service(
        sys.argv if argv is None else argv, BINARY,
        lambda: service.Service.create(binary=BINARY))
    if failed is not None:
        return failed
    objects.register_all()
    try:
        failure = None
        try:
            migration.check_migrated(CONF)
            delivery.start(CONF, BINARY)
            server.start()
        except _CONFIGURATION_ERRORS as error:
            return common.error(error.format_message(), common.USAGE_ERROR,
                                BINARY)
        except common.DATABASE_ERRORS as error:
            failure = common.explain_database_error(error, CONF)
        except exception.NovaException as error:
            failure = error.format_message()
        if failure:
            return common.error(failure, common.FAILURE, BINARY)
        LOG.info('%(binary)s is ready: service %(uuid)s on host %(host)s, '
                 'heartbeat every %(interval)d s',
                 {'binary': BINARY, 'uuid': server.service_ref.uuid,
                  'host': server.host, 'interval': server.report_interval})
        common.wait_for_stop(BINARY)
    finally:
        server.stop()
        delivery.stop()
    LOG.info('%s stopped', BINARY)
    return common.SUCCESS


if __name__ == '__main__':
    sys.exit(main())
