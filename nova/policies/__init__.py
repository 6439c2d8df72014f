"""The default policy rules of the compute API.

``list_rules`` is the ``oslo.policy.policies`` entry point read by
oslopolicy-sample-generator.
"""

import itertools

from nova.policies import base
from nova.policies import services


def list_rules():
    return list(itertools.chain(
        base.list_rules(),
        services.list_rules(),
    ))
