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

"""Policy enforcement of the compute API (oslo.policy).

The rules and their defaults live in ``nova.policies``; an operator may
override them in ``[oslo_policy] policy_file`` (``policy.yaml``).
"""

import threading

from oslo_config import cfg
from oslo_log import log as logging
from oslo_policy import policy

import nova.conf
from nova import exception
from nova import policies

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

_ENFORCER = None
_ENFORCER_LOCK = threading.Lock()


def reset():
    """Forget the enforcer; the next check builds it from configuration."""
    global _ENFORCER
    with _ENFORCER_LOCK:
        if _ENFORCER is not None:
            _ENFORCER.clear()
        _ENFORCER = None


def init(conf=None):
    """Build the enforcer with nova's default rules, once per process."""
    global _ENFORCER
    with _ENFORCER_LOCK:
        if _ENFORCER is None:
            enforcer = policy.Enforcer(conf or CONF)
            enforcer.register_defaults(policies.list_rules())
            enforcer.load_rules()
            _ENFORCER = enforcer
        return _ENFORCER


def get_enforcer():
    """The ``oslo.policy.enforcer`` entry point (policy tools use it)."""
    # NOTE: the tools call this without nova having parsed its arguments;
    # the config_file option exists once the configuration was parsed.
    try:
        CONF.config_file
    except cfg.NoSuchOptError:
        CONF([], project='nova')
    return init()


def authorize(context, action, target=None):
    """Check that ``context`` may perform ``action`` on ``target``.

    The target defaults to the caller's own project and user.

    :raises PolicyNotAuthorized: (403) if the rules do not allow it.
    """
    enforcer = init()
    if target is None:
        target = {'project_id': context.project_id,
                  'user_id': context.user_id}
    try:
        return enforcer.authorize(action, target, context, do_raise=True,
                                  exc=exception.PolicyNotAuthorized,
                                  action=action)
    except policy.PolicyNotRegistered:
        # NOTE: an unregistered rule is a bug of the caller; refusing is the
        # safe answer, and the log says why.
        LOG.error('Policy %s is not registered; refusing it.', action)
        raise exception.PolicyNotAuthorized(action=action)
    except policy.InvalidScope:
        raise exception.PolicyNotAuthorized(action=action)
    except ValueError as error:
        # NOTE: oslo.policy reads the policy file again when it changed;
        # one that cannot be parsed fails closed: nothing is granted until
        # it is fixed, and both the caller and the log say why.
        path = enforcer.policy_path or CONF.oslo_policy.policy_file
        reason = str(error).splitlines()[0]
        LOG.error('Policy file %(path)s is invalid, every policy check '
                  'fails until it is fixed: %(error)s',
                  {'path': path, 'error': error})
        raise exception.PolicyFileInvalid(path=path, reason=reason)
