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

"""The notification outbox and the leases of its relays.

Revision ID: c41e7b9a2d35
Revises: 8f2a4c1d0b7e
Create Date: 2026-11-27 10:00:00
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import mysql

# revision identifiers, used by Alembic.
revision = 'c41e7b9a2d35'
down_revision = '8f2a4c1d0b7e'
branch_labels = None
depends_on = None

# NOTE: nova.db.main.models.OUTBOX_SHARDS when this migration was written;
# a migration never follows the code's constants.
SHARDS = 64


def upgrade():
    op.create_table(
        'notification_outbox',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
                  primary_key=True, autoincrement=True, nullable=False),
        sa.Column('message_id', sa.String(36), nullable=False),
        sa.Column('service_uuid', sa.String(36), nullable=True),
        sa.Column('shard', sa.Integer, nullable=False),
        sa.Column('publisher_id', sa.String(255), nullable=False),
        sa.Column('event_type', sa.String(255), nullable=False),
        sa.Column('priority', sa.String(16), nullable=False),
        sa.Column('payload',
                  sa.Text().with_variant(mysql.MEDIUMTEXT(), 'mysql'),
                  nullable=False),
        sa.Column('context', sa.Text, nullable=False),
        sa.Column('timestamp', sa.String(32), nullable=False),
        sa.Column('state', sa.String(16), nullable=False),
        sa.Column('attempts', sa.Integer, nullable=False),
        sa.Column('last_error', sa.Text, nullable=True),
        sa.Column('created_at', sa.DateTime, nullable=False),
        sa.Column('last_attempt_at', sa.DateTime, nullable=True),
        sa.Column('delivered_at', sa.DateTime, nullable=True),
        sa.UniqueConstraint('message_id',
                            name='uniq_notification_outbox0message_id'),
        sa.Index('notification_outbox_shard_state_idx',
                 'shard', 'state', 'id'),
        sa.Index('notification_outbox_state_delivered_at_idx',
                 'state', 'delivered_at'),
    )
    leases = op.create_table(
        'notification_relay_leases',
        sa.Column('shard', sa.Integer, primary_key=True, autoincrement=False,
                  nullable=False),
        sa.Column('owner', sa.String(255), nullable=True),
        sa.Column('expires_at', sa.DateTime, nullable=True),
    )
    op.bulk_insert(leases, [{'shard': shard} for shard in range(SHARDS)])
