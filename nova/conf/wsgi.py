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

"""Options of the compute API's HTTP server (``nova-api``)."""

from oslo_config import cfg

# NOTE: the address and port keep nova's names, in [DEFAULT]; they are also
# command line options of nova-api (--osapi_compute_listen_port 8775).
listen_opts = [
    cfg.HostAddressOpt('osapi_compute_listen',
                       default='127.0.0.1',
                       help="""
IP address on which the compute API listens.

The default serves only this host: with ``[api] auth_strategy = noauth2`` any
caller would be trusted, so exposing the API is an explicit choice.
"""),
    cfg.PortOpt('osapi_compute_listen_port',
                default=8774,
                help="""
Port on which the compute API listens; 0 picks a free port (the chosen port
is logged).
"""),
    cfg.IntOpt('osapi_compute_workers',
               default=1,
               min=1,
               help="""
Number of nova-api processes serving the compute API.

With more than one, nova-api binds the port, then forks this many worker
processes that share it, each with its own ``[wsgi] threads``, and one more
that runs the notification relay, woken by their commits; a process that
dies is replaced, and on SIGTERM the workers stop first, then the relay
publishes what they committed last. The requests of one
process share one CPU (Python's interpreter lock), so a busy API on a host
with several CPUs wants several workers. Upstream nova defaults to the
number of CPUs; here the default is one process, since on SQLite (the
default database) every process writes through the one lock of the file.
"""),
]

wsgi_group = cfg.OptGroup(
    name='wsgi',
    title='WSGI server options',
    help="""
Options of the HTTP server that ``nova-api`` runs (waitress). Deployments
under uwsgi, mod_wsgi or gunicorn configure their own server instead.
""")

wsgi_opts = [
    cfg.IntOpt('threads',
               default=8,
               min=1,
               help="""
Number of threads handling requests in one nova-api process.
"""),
    cfg.IntOpt('client_socket_timeout',
               default=900,
               min=1,
               help="""
Seconds an idle client connection is kept open.
"""),
    cfg.IntOpt('max_request_body_size',
               default=114688,
               min=1,
               help="""
Largest request body accepted, in bytes; a larger one gets 413.
"""),
]


def register_opts(conf):
    conf.register_opts(listen_opts)
    conf.register_group(wsgi_group)
    conf.register_opts(wsgi_opts, group=wsgi_group)


def list_opts():
    return {'DEFAULT': listen_opts, wsgi_group: wsgi_opts}
