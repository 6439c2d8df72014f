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

"""Which notifications are sent, where, and how."""

from oslo_config import cfg
import oslo_messaging as messaging
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

* ``[oslo_messaging_notifications] driver``: as in nova, notifications are
  recorded and sent only once a driver other than ``noop`` is configured:
  ``messagingv2`` with a ``transport_url`` to send them to RabbitMQ, ``log``
  to write each one, as JSON, to the log of the service that sends it.
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
    cfg.BoolOpt('relay_in_services',
                default=True,
                help="""
Whether nova-api and nova-compute run a notification relay.

Every notification is first written to the database's notification outbox,
in the transaction of the change it tells about; relays publish the outbox to
the message bus. By default each nova-api and nova-compute process runs one,
which publishes at once what its own process committed and, every
``relay_poll_interval``, what other processes committed. Set this to false
when dedicated ``nova-notification-relay`` processes do the publishing.

Related options:

* ``relay_poll_interval``, ``relay_lease_time``
"""),
    cfg.FloatOpt('relay_poll_interval',
                 default=1.0,
                 min=0.05,
                 help="""
Seconds between two looks of a relay for notifications committed by other
processes. Notifications of the relay's own process are published at once.
"""),
    cfg.IntOpt('relay_lease_time',
               default=4,
               min=2,
               help="""
Seconds a relay holds a shard of the outbox without renewing its lease.

One relay at a time publishes a shard (and so every notification of a given
service), which keeps each service's notifications in order. A relay takes a
shard's lease to publish what is pending, renews it with each batch it marks
delivered, publishes only while at least half of it remains, and gives it
back once the shard is empty. The shards of a relay that died are taken over
at once by a relay of the same machine, and by any other once this time has
passed. The clocks of the hosts running relays must agree to within half of
this time.
"""),
    cfg.IntOpt('relay_publishers',
               default=4,
               min=1,
               max=64,
               help="""
Shards a relay publishes in parallel, each on its own connection to the bus.
"""),
    cfg.IntOpt('relay_batch_size',
               default=100,
               min=1,
               max=10000,
               help="""
Notifications a relay reads, publishes and marks delivered at a time.
"""),
    cfg.FloatOpt('relay_retry_max_interval',
                 default=30.0,
                 min=0.1,
                 help="""
The longest wait, in seconds, between two attempts of a relay to publish to a
message bus that keeps failing. The wait starts at half a second and doubles
with each failure. Notifications wait in the outbox meanwhile; none is lost.
"""),
    cfg.FloatOpt('relay_flush_timeout',
                 default=5.0,
                 min=0.0,
                 help="""
Seconds a stopping service, or nova-manage before it exits, spends publishing
the notifications its own process committed. What is left is published by any
other relay, or by the next one to start.
"""),
    cfg.IntOpt('outbox_retention_hours',
               default=72,
               min=1,
               help="""
Hours a delivered notification is kept in the outbox before relays purge it
(``nova-manage notifications purge`` does it by hand). Pending notifications
are never purged.
"""),
]


def set_lib_defaults(conf):
    """Set nova's defaults for oslo.messaging's options.

    The control exchange is ``nova``, so that consumers that listen there
    (Watcher, Searchlight) receive the notifications.
    """
    messaging.set_transport_defaults(control_exchange='nova')
    # NOTE: oslo.messaging registers its options only when the first
    # transport is built; registered now, they can be read before that
    # (whether notifications are on is read at start).
    for group, opts in messaging_opts.list_opts():
        conf.register_opts(opts, group=group)


def register_opts(conf):
    conf.register_group(notifications_group)
    conf.register_opts(notification_opts, group=notifications_group)
    set_lib_defaults(conf)


def list_opts():
    return {notifications_group: notification_opts}
