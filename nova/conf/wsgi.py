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

"""Options of the compute API as a WSGI application."""

from oslo_config import cfg

wsgi_group = cfg.OptGroup(
    name='wsgi',
    title='WSGI options',
    help="""
Options of the compute API's WSGI application, which a WSGI server (uwsgi,
mod_wsgi, gunicorn) runs from ``nova.wsgi.osapi_compute:application``. The
server's own settings (address, processes, threads, timeouts) are the
server's; the largest request body is ``[oslo_middleware]
max_request_body_size``.
""")

wsgi_opts = [
    cfg.StrOpt('api_paste_config',
               default='api-paste.ini',
               help="""
The paste.deploy configuration of the compute API: its pipeline of
middleware.

A relative name is looked for in the directories of the configuration files
(``OS_NOVA_CONFIG_DIR``, ``/etc/nova`` by default), then in
``<prefix>/etc/nova`` of the Python environment nova is installed in, where
pip puts the ``api-paste.ini`` nova ships.
"""),
]


def register_opts(conf):
    conf.register_group(wsgi_group)
    conf.register_opts(wsgi_opts, group=wsgi_group)


def list_opts():
    return {wsgi_group: wsgi_opts}
