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

"""A token per lease of the outbox's shards, to fence relays.

A relay gives each lease it takes a token of its own; renewing, giving
back and marking check it, so that a relay whose lease was taken over
changes nothing of the relay that holds it now. Leases held when the
migration runs have no token: their relays, of the code before, finish
with them or let them expire.

Revision ID: 20f497abfaa2
Revises: 5b8e0f3c9a61
Create Date: 2026-12-07 18:00:00
"""

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '20f497abfaa2'
down_revision = '5b8e0f3c9a61'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('notification_relay_leases') as batch:
        batch.add_column(sa.Column('token', sa.String(36), nullable=True))
