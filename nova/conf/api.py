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

"""Options of the compute REST API: how it authenticates its callers."""

from oslo_config import cfg

api_group = cfg.OptGroup(
    name='api',
    title='API options',
    help="""
Options under this group are used to define how the compute REST API
(``nova-api``) authenticates its callers.
""")

auth_opts = [
    cfg.StrOpt('auth_strategy',
               default='keystone',
               choices=[
                   ('keystone', 'Use keystone for authentication: '
                    'keystonemiddleware.auth_token validates the token and '
                    'reads its options from [keystone_authtoken].'),
                   ('noauth2', 'Designed for testing only, as it does no '
                    'actual credential checking. The token '
                    '"X-Auth-Token: <user>:<project>" is trusted as it is; '
                    'the user "admin" gets the admin role.'),
               ],
               help="""
Determine the strategy to use for authentication.

``keystone`` is the default, as in nova: a server must never trust a token
it did not validate unless told to. ``noauth2`` is for development and
tests on a trusted host; never expose it.
"""),
]


def register_opts(conf):
    conf.register_group(api_group)
    conf.register_opts(auth_opts, group=api_group)


def list_opts():
    return {api_group: auth_opts}
