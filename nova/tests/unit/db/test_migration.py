"""nova.db.migration: the schema comes from the alembic migrations."""

import sqlalchemy as sa
import testtools

from nova.db import migration
from nova.tests import fixtures as nova_fixtures

HEAD = '8f2a4c1d0b7e'


class TestMigration(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.engine = self.useFixture(
            nova_fixtures.EmptySQLiteEngine()).engine

    def _tables(self):
        return set(sa.inspect(self.engine).get_table_names())

    def test_empty_database_has_no_version(self):
        self.assertIsNone(migration.db_version(engine=self.engine))
        self.assertEqual(set(), self._tables())

    def test_db_sync(self):
        migration.db_sync(engine=self.engine)
        self.assertEqual(HEAD, migration.db_version(engine=self.engine))
        self.assertEqual({'alembic_version', 'services'}, self._tables())

    def test_db_sync_twice_changes_nothing(self):
        migration.db_sync(engine=self.engine)
        migration.db_sync(engine=self.engine)
        self.assertEqual(HEAD, migration.db_version(engine=self.engine))

    def test_unique_constraints(self):
        migration.db_sync(engine=self.engine)
        inspector = sa.inspect(self.engine)
        unique = {tuple(constraint['column_names']) for constraint in
                  inspector.get_unique_constraints('services')}
        self.assertIn(('host', 'topic', 'deleted'), unique)
        self.assertIn(('host', 'binary', 'deleted'), unique)
        indexes = {index['name']: index
                   for index in inspector.get_indexes('services')}
        self.assertEqual(['uuid'],
                         indexes['services_uuid_idx']['column_names'])
        self.assertTrue(indexes['services_uuid_idx']['unique'])
