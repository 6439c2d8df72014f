"""The database of the service records, through oslo.db."""

from oslo_db import options as oslo_db_options

_DEFAULT_SQL_CONNECTION = 'sqlite:///$state_path/nova.sqlite'


def register_opts(conf):
    oslo_db_options.set_defaults(conf, connection=_DEFAULT_SQL_CONNECTION)


def list_opts():
    # NOTE: oslo.db publishes its own options under the 'oslo.db' namespace of
    # the config generator; only nova's default for them is set here.
    return {}
