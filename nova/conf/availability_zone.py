"""The availability zones the compute API shows for services."""

from oslo_config import cfg

availability_zone_opts = [
    cfg.StrOpt('internal_service_availability_zone',
               default='internal',
               help="""
Availability zone shown for services other than nova-compute.
"""),
    cfg.StrOpt('default_availability_zone',
               default='nova',
               help="""
Availability zone shown for nova-compute services that belong to no
aggregate with an availability zone.
"""),
]


def register_opts(conf):
    conf.register_opts(availability_zone_opts)


def list_opts():
    return {'DEFAULT': availability_zone_opts}
