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

"""What nova's console scripts share.

Their conventions: exit status ``SUCCESS`` (0), ``FAILURE`` (1: the work
could not be done, the service could not start) or ``USAGE_ERROR`` (2: bad
usage or configuration), and an error as one ``ERROR: ...`` line on
standard error (``error``), never a traceback. Also database errors
explained to operators, and how to run one console script from another.
"""

import os
import shutil
import signal
import sys

from oslo_config import cfg
from oslo_db import exception as db_exc
from oslo_log import log as logging

from nova import config
from nova.db.main import outage
from nova.db import migration
from nova import exception

LOG = logging.getLogger(__name__)

SUCCESS = 0
FAILURE = 1
USAGE_ERROR = 2

#: the errors of a database that ``explain_database_error`` explains.
DATABASE_ERRORS = (db_exc.DBError, exception.DatabaseUnavailable)


def error(message, exit_code=FAILURE, program=None):
    """Say ``message`` as one ``ERROR:`` line on stderr; return ``exit_code``.

    With ``program`` (a service, whose log is elsewhere) the log gets it
    too, at ERROR.
    """
    if program is not None:
        LOG.error('%s cannot go on: %s', program, message)
    print('ERROR: %s' % message, file=sys.stderr)
    return exit_code


# NOTE: the signals that stop a service, which waits for them with sigwait.
STOP_SIGNALS = frozenset([signal.SIGTERM, signal.SIGINT])


def configure_service(argv, program, setup):
    """Block the stop signals, parse ``argv`` and run ``setup()``.

    The signals are blocked before any thread exists, so every thread
    inherits the mask and they wait for ``wait_for_stop``: no handler runs
    at an arbitrary point (inside a lock or a transaction). Returns
    ``(setup's result, None)``, or ``(None, USAGE_ERROR)`` after one ERROR
    line for a configuration that cannot be used.
    """
    signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        config.parse_args(argv)
        return setup(), None
    except (cfg.Error, logging.LogConfigError) as problem:
        return None, error(str(problem), USAGE_ERROR, program)
    except exception.NovaException as problem:
        return None, error(problem.format_message(), USAGE_ERROR, program)


def wait_for_stop(program):
    """Wait for SIGTERM or SIGINT (blocked by ``configure_service``)."""
    signum = signal.sigwait(STOP_SIGNALS)
    LOG.info('%s received %s, stopping', program,
             signal.Signals(signum).name)


def database_location(conf):
    """Return ``[database] connection`` with its password hidden."""
    return migration.location(conf.database.connection)


def explain_database_error(error, conf):
    """Return one line telling an operator what a database error means.

    A missing schema points at ``nova-manage db sync``; a database that
    cannot be opened names its location (never its password).
    """
    location = database_location(conf)
    # NOTE: what the database API made of the driver's error; an operator
    # reads the driver's own first line.
    cause = (error.__cause__ if isinstance(
        error, exception.DatabaseUnavailable) and error.__cause__ else error)
    if isinstance(cause, db_exc.DBNonExistentTable):
        return exception.DatabaseNotMigrated(
            connection=location).format_message()
    if outage.reason(cause) is not None:
        return 'Cannot open the database at %s: %s' % (
            location, _cause(cause))
    return 'Database error on %s: %s' % (location, _cause(cause))


def _cause(error):
    inner = getattr(error, 'inner_exception', None)
    # NOTE: SQLAlchemy's message appends the SQL statement and a link on
    # further lines; the first line is the driver's own explanation.
    return str(inner or error).splitlines()[0]


def console_script(name):
    """Return the argv prefix that runs nova console script ``name``.

    The script installed beside the running interpreter is preferred (a
    virtualenv's ``bin``); otherwise the module is run with this
    interpreter, so the same installation is always used.
    """
    script = shutil.which(name, path=os.path.dirname(sys.executable))
    if script:
        return [script]
    module = 'nova.cmd.' + name.partition('nova-')[2].replace('-', '_')
    return [sys.executable, '-m', module]
