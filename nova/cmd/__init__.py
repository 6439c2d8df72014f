"""nova's console scripts (``nova-manage``, ``nova-compute`` ...)."""

import os
import warnings

# NOTE: importing oslo.messaging imports oslo.service, which imports
# eventlet. nova's console scripts never use eventlet: skip its green DNS
# resolver, the slowest part of that import (as upstream nova does), and
# its deprecation warning, which would only bury the scripts' output.
os.environ.setdefault('EVENTLET_NO_GREENDNS', 'yes')
warnings.filterwarnings('ignore', message=r'\s*Eventlet is deprecated')
