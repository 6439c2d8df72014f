"""Parse the command line and configuration files of a nova process."""

from oslo_log import log

import nova.conf
from nova.db.main import api as db_api
from nova import rpc

CONF = nova.conf.CONF

_DEFAULT_LOG_LEVELS = ['amqp=WARN', 'amqplib=WARN', 'sqlalchemy=WARN',
                       'oslo_messaging=INFO', 'stevedore=WARN',
                       'alembic=WARN', 'oslo_db=WARN']


def parse_args(argv, default_config_files=None, configure_db=True,
               init_rpc=True):
    """Load configuration, set up logging, the database and the notifiers."""
    log.register_options(CONF)
    log.set_defaults(default_log_levels=log.get_default_log_levels() +
                     _DEFAULT_LOG_LEVELS)
    CONF(argv[1:], project='nova', default_config_files=default_config_files)
    log.setup(CONF, 'nova')
    if init_rpc:
        rpc.init(CONF)
    if configure_db:
        db_api.configure(CONF)
