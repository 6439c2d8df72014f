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

"""Parse the command line and configuration files of a nova process."""

import contextlib
import io
import sys

from oslo_config import cfg
from oslo_log import log
import sqlalchemy
from sqlalchemy.engine import url as sa_url

import nova.conf
from nova.db.main import api as db_api
from nova.notifications import delivery

CONF = nova.conf.CONF

_DEFAULT_LOG_LEVELS = ['amqp=WARN', 'amqplib=WARN', 'sqlalchemy=WARN',
                       'oslo_messaging=INFO', 'stevedore=WARN',
                       'alembic=WARN', 'oslo_db=WARN']


def parse_args(argv, default_config_files=None, configure_db=True,
               init_rpc=True):
    """Load configuration, set up logging, the database and notifications."""
    log.register_options(CONF)
    log.set_defaults(default_log_levels=log.get_default_log_levels() +
                     _DEFAULT_LOG_LEVELS)
    said = io.StringIO()
    try:
        with contextlib.redirect_stderr(said):
            CONF(argv[1:], project='nova',
                 default_config_files=default_config_files)
    except SystemExit as exit:
        # NOTE: oslo.config checks the values of command line options (from
        # the command line or a file) itself: it writes the one line
        # "argument --NAME: Invalid ... value: ..." and exits 1. That is a
        # configuration error like the others. argparse's own usage errors
        # (exit 2) and --help (0) go on as they were.
        if exit.code != 1 or not said.getvalue().strip():
            sys.stderr.write(said.getvalue())
            raise
        raise ConfigurationError(said.getvalue().strip())
    except (OSError, UnicodeDecodeError) as error:
        # NOTE: oslo.config reports a file it cannot parse, but lets the
        # errors of reading one (a directory, a binary file) escape.
        raise ConfigurationError('cannot read a configuration file: %s'
                                 % error)
    sys.stderr.write(said.getvalue())
    check_values(CONF)
    log.setup(CONF, 'nova')
    if init_rpc:
        delivery.init(CONF)
    if configure_db:
        check_database_url(CONF.database.connection)
        db_api.configure(CONF)


class ConfigurationError(cfg.Error):
    """A configuration that cannot be read or used, said in one line."""


def check_values(conf):
    """Read every registered option, so that a bad value stops the start.

    oslo.config checks a value (its type, range, choices) when the option
    is first read: an option a service reads only once it runs, in a
    thread (``[notifications] relay_poll_interval``), would stop it then,
    with a traceback, after it started listening.

    :raises ConfigurationError: naming the option and what is wrong.
    """
    for name in conf:
        value = _checked(conf, name)
        if isinstance(value, cfg.ConfigOpts.GroupAttr):
            for option in value:
                _checked(conf, option, name)


def _checked(conf, name, group=None):
    try:
        return conf[group][name] if group else conf[name]
    except cfg.ConfigFileValueError as error:
        # NOTE: oslo.config's own message names the place as the repr of
        # a LocationInfo; the reason is what follows "is not valid: ".
        raise ConfigurationError('[%s] %s is not valid: %s' % (
            group or 'DEFAULT', name,
            str(error).rpartition(' is not valid: ')[2]))
    except cfg.Error as error:
        raise ConfigurationError(str(error))


def check_database_url(connection):
    """Refuse a ``[database] connection`` SQLAlchemy cannot use.

    Checked at start: otherwise it fails at the first query, with a
    traceback. The message never shows the URL's password.

    :raises ConfigurationError: naming the problem.
    """
    if not connection:
        raise ConfigurationError('[database] connection is empty')
    try:
        url = sa_url.make_url(connection)
    except sqlalchemy.exc.ArgumentError:
        raise ConfigurationError(
            '[database] connection is not a database URL (for example '
            'sqlite:////var/lib/nova/nova.sqlite or '
            'mysql+pymysql://nova:PASSWORD@HOST/nova)')
    try:
        dialect = url.get_dialect()
    except sqlalchemy.exc.NoSuchModuleError:
        raise ConfigurationError(
            '[database] connection %s names a database SQLAlchemy does not '
            'know (%s)' % (url.render_as_string(hide_password=True),
                           url.drivername))
    try:
        dialect.import_dbapi()
    except ImportError as error:
        raise ConfigurationError(
            '[database] connection %s needs the Python database driver '
            'that %s uses, which is not installed (%s); install it, or name '
            'an installed driver in the URL, for example '
            'postgresql+psycopg2:// or mysql+pymysql://'
            % (url.render_as_string(hide_password=True), url.drivername,
               error))
