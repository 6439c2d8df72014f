"""nova's console scripts (``nova-manage``, ``nova-compute`` ...)."""

import warnings

# NOTE: importing oslo.messaging imports oslo.service, which imports
# eventlet, which warns on import that it is deprecated. nova's console
# scripts never use eventlet; the warning would only bury their output.
warnings.filterwarnings('ignore', message=r'\s*Eventlet is deprecated')
