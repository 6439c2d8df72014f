"""Where nova keeps its state."""

from oslo_config import cfg

path_opts = [
    cfg.StrOpt('state_path',
               default='/var/lib/nova',
               help="""
Top-level directory for maintaining nova's state.

The default database, ``sqlite:///$state_path/nova.sqlite``, lives here.
"""),
]


def register_opts(conf):
    conf.register_opts(path_opts)


def list_opts():
    return {'DEFAULT': path_opts}
