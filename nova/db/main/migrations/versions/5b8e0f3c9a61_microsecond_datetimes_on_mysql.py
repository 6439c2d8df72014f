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

"""Keep the microseconds of every time on MySQL.

MySQL's DATETIME stores whole seconds unless it is given a fractional
precision, so ``updated_at`` or ``last_seen_up`` lost their microseconds on
MySQL and MariaDB while SQLite and PostgreSQL kept them. Other backends
already keep microseconds: nothing changes there.

Revision ID: 5b8e0f3c9a61
Revises: c41e7b9a2d35
Create Date: 2026-11-27 12:20:00
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import mysql

# revision identifiers, used by Alembic.
revision = '5b8e0f3c9a61'
down_revision = 'c41e7b9a2d35'
branch_labels = None
depends_on = None

COLUMNS = {
    'services': [('created_at', True), ('updated_at', True),
                 ('deleted_at', True), ('last_seen_up', True)],
    'notification_outbox': [('created_at', False),
                            ('last_attempt_at', True),
                            ('delivered_at', True)],
    'notification_relay_leases': [('expires_at', True)],
}


def upgrade():
    if op.get_bind().dialect.name != 'mysql':
        return
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for column, nullable in columns:
                batch.alter_column(column, existing_type=sa.DateTime(),
                                   type_=mysql.DATETIME(fsp=6),
                                   existing_nullable=nullable)
