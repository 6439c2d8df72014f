"""Which notifications are sent, where, and how."""

from oslo_config import cfg
import oslo_messaging as messaging
from oslo_messaging.notify import notifier as messaging_notifier
from oslo_messaging import opts as messaging_opts

notifications_group = cfg.OptGroup(
    name='notifications',
    title='Notifications options',
    help="""
Most of the actions in nova which manipulate the system state generate
notifications which are posted to the messaging component (e.g. RabbitMQ) and
can be consumed by any service outside of nova. This group configures which
format they use and where they go.
""")

notification_opts = [
    cfg.StrOpt('notification_format',
               default='versioned',
               choices=[
                   ('both',
                    'Both the legacy unversioned and the new versioned '
                    'notifications are emitted'),
                   ('versioned',
                    'Only the new versioned notifications are emitted'),
                   ('unversioned',
                    'Only the legacy unversioned notifications are emitted'),
               ],
               help="""
Specifies which notification format shall be emitted by nova.

The versioned notification interface is the only one that covers the service
lifecycle (``service.create``, ``service.update``, ``service.delete``), so it
is the default here. Choose ``unversioned`` to silence them.

Related options:

* ``[oslo_messaging_notifications] driver``: notifications are sent only when
  a driver other than ``noop`` is configured.
"""),
    cfg.ListOpt('versioned_notifications_topics',
                default=['versioned_notifications'],
                help="""
Specifies the topics for the versioned notifications issued by nova.

The default value is fine for most deployments and rarely needs to be
changed. However, if you have a third-party service that consumes versioned
notifications, it might be worth getting a topic for that service.
Nova will send a message containing a versioned notification payload to each
topic queue in this list.

The list of versioned notifications is visible in
https://docs.openstack.org/nova/latest/reference/notifications.html
"""),
    cfg.FloatOpt('delivery_timeout',
                 default=2.0,
                 min=0.1,
                 help="""
The longest time, in seconds, a change waits for its notification to be
delivered to the message bus (``messaging`` and ``messagingv2`` drivers).

Nova sends a notification after the database change is committed, and the
change stands whatever happens to the notification. A healthy broker confirms
a notification within milliseconds; one that does not answer within this time
is given up on: the notification is logged at ERROR as lost (unless it gets
through later, which is logged too) and, until the bus answers it, further
notifications are dropped and logged at once instead of waiting in turn.

Related options:

* ``[oslo_messaging_notifications] retry``: the reconnection attempts made
  for one notification while the broker is unreachable.
"""),
]

# NOTE: these are oslo.messaging's options; nova only chooses its defaults,
# which is why they are not listed by list_opts below. With no broker
# configured, the log driver still shows every notification, as JSON, in the
# service's log; deployers switch to messagingv2 with a transport_url.
_DEFAULT_NOTIFICATION_DRIVER = ['log']
# NOTE: one reconnection: a notification sent on a connection the broker
# closed when it restarted still gets through, while a broker that refuses
# connections costs about 1 s (rabbit_retry_interval) instead of 9 s with 3
# retries, and oslo.messaging's -1 would block without limit.
_DEFAULT_NOTIFICATION_RETRY = 1


def set_lib_defaults(conf):
    """Set nova's defaults for oslo.messaging's options.

    The control exchange is ``nova`` so consumers that listen there (Watcher,
    Searchlight) receive the notifications. The retry count is bounded so a
    lost broker connection can never block a database change for ever.
    """
    messaging.set_transport_defaults(control_exchange='nova')
    # NOTE: like set_transport_defaults, this changes oslo.messaging's own
    # option objects (it has no public setter for them), not
    # conf.set_default(): the sample config generator lists those objects,
    # and ConfigOpts.reset() would forget a conf.set_default().
    cfg.set_defaults(messaging_notifier._notifier_opts,
                     driver=_DEFAULT_NOTIFICATION_DRIVER,
                     retry=_DEFAULT_NOTIFICATION_RETRY)
    # NOTE: oslo.messaging registers its options only when the first
    # transport is built; registering them now lets nova's defaults and
    # overrides apply before that.
    for group, opts in messaging_opts.list_opts():
        conf.register_opts(opts, group=group)


def register_opts(conf):
    conf.register_group(notifications_group)
    conf.register_opts(notification_opts, group=notifications_group)
    set_lib_defaults(conf)


def list_opts():
    return {notifications_group: notification_opts}
