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

"""SQLAlchemy models of nova's main database."""

from oslo_db.sqlalchemy import models
from oslo_utils import timeutils
import sqlalchemy as sa
from sqlalchemy.dialects import mysql
from sqlalchemy import orm

BASE = orm.declarative_base()

# NOTE: MySQL's DATETIME drops the microseconds unless it is given a
# fractional precision; every backend keeps them, so that the API shows the
# same times whatever the database.
DateTime = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mysql')


class NovaBase(models.TimestampMixin, models.SoftDeleteMixin,
               models.ModelBase):
    """created_at, updated_at and soft delete (``deleted`` is set to id)."""

    created_at = sa.Column(DateTime, default=lambda: timeutils.utcnow())
    updated_at = sa.Column(DateTime, onupdate=lambda: timeutils.utcnow())
    deleted_at = sa.Column(DateTime)


class Service(BASE, NovaBase):
    """A nova service running on a host (nova-compute, nova-scheduler...)."""

    __tablename__ = 'services'
    __table_args__ = (
        sa.UniqueConstraint('host', 'topic', 'deleted',
                            name='uniq_services0host0topic0deleted'),
        sa.UniqueConstraint('host', 'binary', 'deleted',
                            name='uniq_services0host0binary0deleted'),
        sa.Index('services_uuid_idx', 'uuid', unique=True),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    uuid = sa.Column(sa.String(36), nullable=True)
    host = sa.Column(sa.String(255))
    binary = sa.Column(sa.String(255))
    topic = sa.Column(sa.String(255))
    report_count = sa.Column(sa.Integer, nullable=False, default=0)
    disabled = sa.Column(sa.Boolean, default=False)
    disabled_reason = sa.Column(sa.String(255))
    last_seen_up = sa.Column(DateTime, nullable=True)
    forced_down = sa.Column(sa.Boolean, default=False)
    version = sa.Column(sa.Integer, default=0)


# NOTE: the number of shards of the notification outbox. A service's
# notifications always fall in the same shard, and one relay at a time
# holds a shard, which is what keeps them in order. The migration that
# created the leases table wrote one row per shard: changing this number
# needs a migration.
OUTBOX_SHARDS = 64


class NotificationOutbox(BASE, models.ModelBase):
    """A notification to deliver, written in the transaction of its change.

    ``message_id``, ``publisher_id``, ``event_type``, ``priority``,
    ``payload`` (JSON) and ``timestamp`` (as on the wire) are the envelope a
    consumer receives; ``context`` (JSON) is the redacted request context
    that travels with it. ``id`` orders the rows of one service as their
    changes committed.
    """

    __tablename__ = 'notification_outbox'
    __table_args__ = (
        sa.Index('notification_outbox_shard_state_idx',
                 'shard', 'state', 'id'),
        sa.Index('notification_outbox_state_delivered_at_idx',
                 'state', 'delivered_at'),
        sa.UniqueConstraint('message_id',
                            name='uniq_notification_outbox0message_id'),
    )

    id = sa.Column(sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
                   primary_key=True, autoincrement=True)
    message_id = sa.Column(sa.String(36), nullable=False)
    service_uuid = sa.Column(sa.String(36), nullable=True)
    shard = sa.Column(sa.Integer, nullable=False)
    publisher_id = sa.Column(sa.String(255), nullable=False)
    event_type = sa.Column(sa.String(255), nullable=False)
    priority = sa.Column(sa.String(16), nullable=False)
    payload = sa.Column(sa.Text().with_variant(mysql.MEDIUMTEXT(), 'mysql'),
                        nullable=False)
    context = sa.Column(sa.Text, nullable=False)
    timestamp = sa.Column(sa.String(32), nullable=False)
    state = sa.Column(sa.String(16), nullable=False)
    attempts = sa.Column(sa.Integer, nullable=False, default=0)
    last_error = sa.Column(sa.Text, nullable=True)
    created_at = sa.Column(DateTime, nullable=False)
    last_attempt_at = sa.Column(DateTime, nullable=True)
    delivered_at = sa.Column(DateTime, nullable=True)


class NotificationRelayLease(BASE, models.ModelBase):
    """Which relay publishes a shard of the outbox, and until when.

    ``token`` is new each time a relay takes the lease: what the relay does
    with it checks it (see ``nova.notifications.delivery.leases``).
    """

    __tablename__ = 'notification_relay_leases'

    shard = sa.Column(sa.Integer, primary_key=True, autoincrement=False)
    owner = sa.Column(sa.String(255), nullable=True)
    expires_at = sa.Column(DateTime, nullable=True)
    token = sa.Column(sa.String(36), nullable=True)
