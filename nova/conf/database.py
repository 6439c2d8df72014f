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
