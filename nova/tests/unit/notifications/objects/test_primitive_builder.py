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

"""primitive_from builds what populate_schema and obj_to_primitive build.

For every registered payload class with a ``SCHEMA``, at every version
published in ``doc/notification_schemas``, on good values (every field set,
nullable fields None) and on bad ones (each field in turn given a value of
the wrong kind): the same primitive, keys in the same order, or the same
error.
"""

import datetime
import os
import types
import warnings

from oslo_versionedobjects import fields as ovo_fields
import testtools

from nova.notifications.objects import base as notification_base
from nova.objects import base
from nova.objects import fields
from nova.tests.unit.notifications.objects import test_notification

SCHEMAS_DIR = os.path.normpath(os.path.join(
    os.path.dirname(__file__), '..', '..', '..', '..', '..', 'doc',
    'notification_schemas'))

_BAD_VALUES = (None, 'not-a-number', object(), 'not-a-date', -1, '')


def _payload_classes():
    return [cls for cls in base.NovaObjectRegistry.notification_classes
            if issubclass(cls, notification_base.NotificationPayloadBase)
            and cls.SCHEMA]


def _published_versions(cls):
    prefix = cls.obj_name() + '-'
    return sorted(name[len(prefix):-len('.json')]
                  for name in os.listdir(SCHEMAS_DIR)
                  if name.startswith(prefix) and name.endswith('.json'))


def _good_value(field):
    if isinstance(field, ovo_fields.BaseEnumField):
        return field.valid_values[0]
    if isinstance(field, fields.BooleanField):
        return True
    if isinstance(field, fields.IntegerField):
        return 42
    if isinstance(field, fields.DateTimeField):
        return datetime.datetime(2012, 10, 29, 13, 42, 5, 123456)
    if isinstance(field, fields.UUIDField):
        return 'fa69c544-906b-4a6a-a9c6-c1f7a8078c73'
    return 'a value'


def _sources(cls, overrides=None, nullable_none=False):
    values = {}
    for key, (source, attr) in cls.SCHEMA.items():
        field = cls.fields[key]
        value = (None if nullable_none and field.nullable
                 else _good_value(field))
        values.setdefault(source, {})[attr] = value
    for (source, attr), value in (overrides or {}).items():
        values[source][attr] = value
    return {name: types.SimpleNamespace(**attrs)
            for name, attrs in values.items()}


def _outcome(build):
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        try:
            return 'primitive', build()
        except Exception as error:
            return 'error', (type(error), str(error))


class TestPrimitiveFrom(testtools.TestCase):

    def _assert_same(self, cls, version, sources):
        def by_objects():
            payload = cls()
            payload.populate_schema(**sources)
            return payload.obj_to_primitive(target_version=version)

        expected = _outcome(by_objects)
        actual = _outcome(lambda: cls.primitive_from(
            target_version=version, **sources))
        self.assertEqual(expected, actual, '%s %s' % (cls.obj_name(),
                                                      version))
        if expected[0] == 'primitive':
            data_key = notification_base.primitive_keys(cls)[3]
            self.assertEqual(list(expected[1][data_key]),
                             list(actual[1][data_key]))
        return expected

    def test_every_payload_at_every_published_version(self):
        classes = _payload_classes()
        self.assertIn('ServiceStatusPayload',
                      [cls.obj_name() for cls in classes])
        for cls in classes:
            versions = _published_versions(cls)
            self.assertIn(cls.VERSION, versions)
            for version in versions:
                kind, _ = self._assert_same(cls, version, _sources(cls))
                self.assertEqual('primitive', kind)
                self._assert_same(cls, version,
                                  _sources(cls, nullable_none=True))

    def test_bad_values_fail_alike(self):
        errors = 0
        for cls in _payload_classes():
            for key, (source, attr) in cls.SCHEMA.items():
                for bad in _BAD_VALUES:
                    kind, _ = self._assert_same(
                        cls, cls.VERSION,
                        _sources(cls, overrides={(source, attr): bad}))
                    errors += kind == 'error'
        # NOTE: the checks must have met real refusals, not only values
        # that both paths happen to accept.
        self.assertGreater(errors, 10)

    def test_a_missing_source_fails_alike(self):
        for cls in _payload_classes():
            self.assertEqual(
                _outcome(lambda: cls().populate_schema()),
                _outcome(lambda: cls.primitive_from()))

    def test_fields_outside_the_schema_are_refused(self):
        self.assertRaises(
            TypeError, notification_base.PayloadPrimitiveBuilder,
            test_notification.UnitTestPayload)

    def test_repeated_builds_follow_each_value(self):
        # NOTE: each field remembers its last value; a new value, or one of
        # another type that compares equal, is checked again.
        cls = _payload_classes()[0]
        for overrides in ({}, {('service', 'report_count'): True},
                          {('service', 'report_count'): 1},
                          {('service', 'report_count'): 'x'}, {}):
            self._assert_same(cls, cls.VERSION,
                              _sources(cls, overrides=overrides))
