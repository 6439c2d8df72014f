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

"""When the database is unavailable for a while, and for how long.

A database that cannot be reached, restarts, is locked, read-only or full,
or whose SQLite file was removed, fails a transaction in ways a retry can
cure: ``reason`` tells them from the errors that are bugs. The database
API turns them into ``DatabaseUnavailable`` (the compute API answers 503),
and ``Outage`` logs such a time once, at ERROR when it starts and once when
the database answers again, rather than once per failed call.
"""

import threading
import time

from oslo_db import exception as db_exc
from oslo_log import log as logging
import sqlalchemy.exc as sa_exc

from nova import exception
from nova.i18n import _

LOG = logging.getLogger(__name__)

UNREACHABLE = _('the database cannot be reached')
BUSY = _('the database is busy')
LOST_TABLES = _('the database has lost its tables')

# NOTE: the conditions, as the drivers word them, and what a client is told
# of each. The driver's wording is never sent: it may name hosts and files.
_CONDITIONS = (
    ('locked', BUSY),
    ('deadlock', BUSY),
    ('could not serialize', BUSY),
    ('read-only', _('the database is read-only')),
    ('read only', _('the database is read-only')),
    ('readonly', _('the database is read-only')),
    ('disk is full', _("the database's disk is full")),
    ('no space left', _("the database's disk is full")),
    ('disk full', _("the database's disk is full")),
    ('disk i/o error', _("the database's disk failed")),
    ('no such table', LOST_TABLES),
    ('unable to open database file', _('the database cannot be opened')),
    ('starting up', _('the database is starting')),
    ('shutting down', _('the database is stopping')),
    ('too many connections', _('the database has too many connections')),
)

# NOTE: PEP 249's errors of the database's operation, not of the program:
# a lost or refused connection, a transaction that could not be processed.
_TRANSIENT = (sa_exc.OperationalError, sa_exc.InterfaceError,
              sa_exc.DisconnectionError, sa_exc.TimeoutError)
# NOTE: the same errors raised by the driver itself, by their PEP 249 names
# (SQLite's "database is locked" at the BEGIN of a write transaction).
_DBAPI_TRANSIENT = ('OperationalError', 'InterfaceError')


def reason(error):
    """Why ``error`` says the database is unavailable for a while, or None."""
    if isinstance(error, exception.DatabaseUnavailable):
        return error.kwargs['reason']
    if isinstance(error, db_exc.DBDeadlock):
        return BUSY
    if isinstance(error, db_exc.DBNonExistentTable):
        # NOTE: the schema was there when the process started: its file
        # was removed, or the database dropped.
        return LOST_TABLES
    cause = getattr(error, 'inner_exception', None) or error
    text = str(getattr(cause, 'orig', None) or cause).lower()
    read_only = 'read-only' in text or 'read only' in text
    if not (isinstance(error, (db_exc.DBConnectionError,
                               db_exc.DBNonExistentDatabase)) or
            isinstance(cause, _TRANSIENT) or read_only or
            type(cause).__name__ in _DBAPI_TRANSIENT or
            getattr(cause, 'connection_invalidated', False)):
        return None
    for words, condition in _CONDITIONS:
        if words in text:
            return condition
    return UNREACHABLE


class Outage(object):
    """The time the database of this process is unavailable, logged once."""

    def __init__(self):
        self._lock = threading.Lock()
        self._started = None
        self._failures = 0

    def failed(self, condition):
        """A call failed: the database is unavailable (logged if news)."""
        with self._lock:
            starts = self._started is None
            if starts:
                self._started = time.monotonic()
            self._failures += 1
        if starts:
            LOG.error('The database is unavailable (%s): what needs it '
                      'fails, and the compute API answers 503, until it is '
                      'back.', condition)

    def ended(self):
        """A call succeeded: the database is back (logged if news)."""
        if self._started is None:
            return
        with self._lock:
            started, self._started = self._started, None
            failures, self._failures = self._failures, 0
        if started is not None:
            LOG.warning('The database is available again after %.1f s and '
                        '%d failed calls.', time.monotonic() - started,
                        failures)
