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

"""Options of a running nova service and of service liveness."""

import socket

from oslo_config import cfg

service_opts = [
    cfg.HostAddressOpt('host',
                       default=socket.gethostname(),
                       sample_default='<current_hostname>',
                       help="""
Hostname, FQDN or IP address of this host.

A service registers its record under this name and notifications about it
are published as ``<source>:<host>``.
"""),
    cfg.IntOpt('report_interval',
               default=10,
               min=1,
               help="""
Number of seconds between two heartbeats of a running service.

A heartbeat updates ``report_count`` and ``last_seen_up`` and never emits a
notification.
"""),
    cfg.IntOpt('service_down_time',
               default=60,
               min=1,
               help="""
Maximum time in seconds since the last heartbeat for a service to be up.

Should be larger than ``report_interval``.
"""),
]


def register_opts(conf):
    conf.register_opts(service_opts)


def list_opts():
    return {'DEFAULT': service_opts}
