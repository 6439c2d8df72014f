"""The database of the service records, through oslo.db."""

from oslo_config import cfg
from oslo_db import options as oslo_db_options

_DEFAULT_SQL_CONNECTION = 'sqlite:///$state_path/nova.sqlite'


def register_opts(conf):
    # NOTE: set on oslo.db's option object, which the sample config
    # generator lists and ConfigOpts.reset() leaves alone.
    cfg.set_defaults(oslo_db_options.database_opts,
                     connection=_DEFAULT_SQL_CONNECTION)
    oslo_db_options.set_defaults(conf)


def list_opts():
    # NOTE: oslo.db publishes its own options under the 'oslo.db' namespace of
    # the config generator; only nova's default for them is set here.
    return {}
