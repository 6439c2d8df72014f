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

"""The demo's state directory: configuration, logging and notifications."""

import datetime
import glob
import json
import os

from nova.cmd import common
from nova.demo import DemoFailure

# NOTE: each program appends the notifications it logs to its own file.
NOTIFICATIONS_FILE = 'notifications-%s.jsonl'

_NOVA_CONF = """\
# Written by nova-lifecycle-demo: nova's embedded default in one directory.
[DEFAULT]
state_path = {state_path}
host = {host}
report_interval = {report_interval}

[database]
# The default connection: an SQLite file under state_path.
connection = sqlite:///$state_path/nova.sqlite

[notifications]
notification_format = versioned

[oslo_messaging_notifications]
# The default driver: every notification is logged as its JSON envelope.
driver = log
"""

_API_CONF = """\
# Written by nova-lifecycle-demo: what the compute API reads after nova.conf.
[DEFAULT]
log_config_append = {log_config}

[api]
auth_strategy = noauth2

[wsgi]
api_paste_config = {api_paste_config}
"""

# NOTE: the demo runs from a source tree; its api-paste.ini is the one the
# tests exercise.
API_PASTE_CONFIG = os.path.join(
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(
        __file__)))), 'etc', 'nova', 'api-paste.ini')

_LOGGING_CONF = """\
# Written by nova-lifecycle-demo: the logging of {program}.
[loggers]
keys = root, notifications, sqlalchemy

[handlers]
keys = logfile, notifications

[formatters]
keys = plain, message

[logger_root]
level = INFO
handlers = logfile

# oslo.messaging's log driver logs each notification's JSON envelope on
# oslo.messaging.notification.<event_type>: one line per notification, in
# a file of this program's own (two processes appending to one file could
# interleave their lines).
[logger_notifications]
qualname = oslo.messaging.notification
level = INFO
handlers = notifications
propagate = 0

[logger_sqlalchemy]
qualname = sqlalchemy
level = WARNING
handlers =

[handler_logfile]
class = FileHandler
args = ({log_file}, 'a')
formatter = plain

[handler_notifications]
class = FileHandler
args = ({notifications_file}, 'a')
formatter = message

[formatter_plain]
format = %(asctime)s %(process)d %(levelname)s %(name)s %(message)s

[formatter_message]
format = %(message)s
"""


def _file_config_path(path):
    # NOTE: fileConfig evaluates args as Python and interpolates '%'.
    return repr(path).replace('%', '%%')


class StateDir(object):
    """The demo's state directory: configuration, database, logs.

    Each program runs with ``--config-file nova.conf`` and its own
    ``--log-config-append logging-<program>.conf``, which logs to
    ``<program>.log`` and appends notifications to
    ``notifications-<program>.jsonl``.
    """

    def __init__(self, path):
        self.path = os.path.abspath(path)
        self.config_file = os.path.join(self.path, 'nova.conf')
        # NOTE: the SQLite file of the configuration's [database] connection.
        self.database_file = os.path.join(self.path, 'nova.sqlite')

    def write_config(self, host, report_interval=1):
        """Write nova.conf for the services and commands of the demo."""
        with open(self.config_file, 'w') as config:
            config.write(_NOVA_CONF.format(state_path=self.path, host=host,
                                           report_interval=report_interval))

    def log_file(self, program):
        return os.path.join(self.path, '%s.log' % program)

    def console_file(self, program):
        """Where the standard output and error of ``program`` go."""
        return os.path.join(self.path, '%s.out' % program)

    def notifications_file(self, program):
        return os.path.join(self.path, NOTIFICATIONS_FILE % program)

    def log_config(self, program):
        """Return the logging configuration of ``program``, written once."""
        path = os.path.join(self.path, 'logging-%s.conf' % program)
        if not os.path.exists(path):
            with open(path, 'w') as config:
                config.write(_LOGGING_CONF.format(
                    program=program,
                    log_file=_file_config_path(self.log_file(program)),
                    notifications_file=_file_config_path(
                        self.notifications_file(program))))
        return path

    def api_environment(self):
        """The environment of the compute API's WSGI server, as nova's.

        It reads nova.conf then ``nova-api.conf``, written here: its
        logging, noauth2 and the api-paste.ini of this source tree.
        """
        path = os.path.join(self.path, 'nova-api.conf')
        with open(path, 'w') as config:
            config.write(_API_CONF.format(
                log_config=self.log_config('nova-api'),
                api_paste_config=API_PASTE_CONFIG))
        return dict(os.environ, OS_NOVA_CONFIG_DIR=self.path,
                    OS_NOVA_CONFIG_FILES='nova.conf;nova-api.conf')

    def command(self, program, *args):
        """Return the argv running console script ``program`` here."""
        return (common.console_script(program) +
                ['--config-file', self.config_file,
                 '--log-config-append', self.log_config(program)] +
                list(args))

    def read_emitted(self):
        """Return (program, envelope) for every notification written.

        The files of all programs are merged in the order of the
        envelopes' timestamps; notifications of one program stay in the
        order it wrote them. A last line without its newline is still being
        written: it is left for the next read.

        :raises DemoFailure: if a line is not JSON.
        """
        emitted = []
        pattern = os.path.join(glob.escape(self.path),
                               NOTIFICATIONS_FILE % '*')
        for path in sorted(glob.glob(pattern)):
            name = os.path.basename(path)
            program = name[len('notifications-'):-len('.jsonl')]
            with open(path) as lines:
                emitted.extend((program, _parse_line(name, number, line))
                               for number, line in enumerate(lines, 1)
                               if line.endswith('\n') and line.strip())
        emitted.sort(key=lambda item: _emitted_at(item[1]))
        return emitted

    def read_notifications(self):
        """Return the envelopes of every notification written, in order."""
        return [envelope for _program, envelope in self.read_emitted()]


def _parse_line(name, number, line):
    try:
        return json.loads(line)
    except ValueError as error:
        raise DemoFailure('line %d of %s is not JSON (%s): %s'
                          % (number, name, error, line.strip()))


def _emitted_at(envelope):
    """The envelope's timestamp; one without a valid one sorts last."""
    try:
        return datetime.datetime.fromisoformat(envelope['timestamp'])
    except (TypeError, KeyError, ValueError):
        return datetime.datetime.max
