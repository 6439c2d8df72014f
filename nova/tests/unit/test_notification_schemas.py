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

"""The published JSON Schemas of the notification payloads."""

import datetime
import io
import json
import os
import shutil
from unittest import mock

import fixtures
from oslo_versionedobjects import fields as ovo_fields
import testtools

from nova.cmd import notification_schemas as schemas_cmd
from nova.notifications.objects import base as notification
from nova.notifications.objects import json_schema
from nova.notifications.objects import service as service_notification
from nova.objects import base as nova_base
from nova.objects import fields
from nova.objects import service as service_obj
from nova.tests import json_ref
from nova.tests import payload_schemas

REPO_ROOT = os.path.normpath(os.path.join(
    os.path.dirname(__file__), '..', '..', '..'))
SCHEMAS_DIR = os.path.join(REPO_ROOT, 'doc', 'notification_schemas')
SAMPLES_DIR = os.path.join(REPO_ROOT, 'doc', 'notification_samples')

UUID = 'fa69c544-906b-4a6a-a9c6-c1f7a8078c73'

# NOTE: the payloads of these tests get their field properties without
# joining the registry, so the published schemas and docs never see them.
_unregistered = nova_base.NovaObjectRegistry.register_if(False)


@_unregistered
class ChildPayload(notification.NotificationPayloadBase):
    # Version 1.0: Initial version
    VERSION = '1.0'

    fields = {
        'name': fields.StringField(),
    }


@_unregistered
class EveryTypePayload(notification.NotificationPayloadBase):
    # Version 1.0: Initial version
    # Version 1.1: Added extra
    VERSION = '1.1'

    fields = {
        'text': fields.StringField(),
        'maybe_text': fields.StringField(nullable=True),
        'source': fields.NotificationSourceField(),
        'phase': fields.NotificationPhaseField(nullable=True),
        'uuid': fields.UUIDField(),
        'at': fields.DateTimeField(nullable=True),
        'count': fields.IntegerField(),
        'size': ovo_fields.NonNegativeIntegerField(),
        'ratio': ovo_fields.FloatField(),
        'flag': fields.BooleanField(),
        'tags': ovo_fields.ListOfStringsField(),
        'ids': ovo_fields.SetOfIntegersField(),
        'meta': ovo_fields.DictOfNullableStringsField(),
        'child': fields.ObjectField('ChildPayload', nullable=True),
        'children': fields.ListOfObjectsField('ChildPayload'),
        'extra': fields.StringField(),
    }

    def obj_make_compatible(self, primitive, target_version):
        super().obj_make_compatible(primitive, target_version)
        if target_version == '1.0':
            primitive.pop('extra', None)


def _lookup(obj_name):
    return {'ChildPayload': ChildPayload}.get(obj_name)


def _service_payload_primitive(target_version=None):
    service = service_obj.Service(
        id=1, uuid=UUID, host='host1', binary='nova-compute',
        topic='compute', report_count=3, disabled=True,
        disabled_reason='maintenance', availability_zone=None,
        last_seen_up=datetime.datetime(2012, 10, 29, 13, 42, 5),
        forced_down=False)
    payload = service_notification.ServiceStatusPayload(service)
    return payload.obj_to_primitive(target_version=target_version)


class TestPublishedSchemas(testtools.TestCase):

    def test_committed_schemas_are_fresh(self):
        stale = json_schema.stale_files(SCHEMAS_DIR)
        self.assertEqual(
            [], stale,
            'These committed schemas differ from the code: %s. Regenerate '
            'them with: tox -e schemas (or nova-notification-schemas '
            '--output-dir doc/notification_schemas) and commit them.'
            % ', '.join(stale))

    def test_service_status_payload_versions_are_published(self):
        self.assertEqual(
            ['ServiceStatusPayload-1.0.json', 'ServiceStatusPayload-1.1.json'],
            sorted(f for f in os.listdir(SCHEMAS_DIR)
                   if f.startswith('ServiceStatusPayload-')))

    def test_only_payloads_get_schemas(self):
        names = [cls.obj_name() for cls in json_schema.payload_classes()]
        self.assertIn('ServiceStatusPayload', names)
        self.assertNotIn('ServiceStatusNotification', names)
        self.assertNotIn('EventType', names)

    def test_every_sample_matches_its_schema(self):
        sample_files = sorted(f for f in os.listdir(SAMPLES_DIR)
                              if f.endswith('.json'))
        self.assertNotEqual([], sample_files)
        for sample_file in sample_files:
            sample = json_ref.load_sample(
                os.path.join(SAMPLES_DIR, sample_file))
            try:
                payload_schemas.validate_payload(sample['payload'])
            except payload_schemas.PayloadSchemaError as e:
                self.fail('%s: %s' % (sample_file, e))

    def test_populated_payload_matches_current_schema(self):
        payload_schemas.validate_payload(_service_payload_primitive())

    def test_backlevelled_payload_matches_1_0_only(self):
        primitive = _service_payload_primitive(target_version='1.0')
        payload_schemas.validate_payload(primitive)
        primitive['nova_object.version'] = '1.1'
        error = self.assertRaises(payload_schemas.PayloadSchemaError,
                                  payload_schemas.validate_payload, primitive)
        self.assertIn("'uuid' is a required property", str(error))

    def test_1_0_schema_has_no_uuid(self):
        data = json_schema.payload_schema(
            service_notification.ServiceStatusPayload, '1.0')[
                'properties']['nova_object.data']
        self.assertNotIn('uuid', data['properties'])
        self.assertNotIn('uuid', data['required'])
        self.assertEqual(10, len(data['required']))


class TestValidation(testtools.TestCase):

    def _assert_invalid(self, message, change):
        primitive = _service_payload_primitive()
        change(primitive)
        error = self.assertRaises(payload_schemas.PayloadSchemaError,
                                  payload_schemas.validate_payload, primitive)
        self.assertIn(message, str(error))

    def _set(self, field, value):
        def change(primitive):
            primitive['nova_object.data'][field] = value
        return change

    def test_wrong_type(self):
        self._assert_invalid("at /nova_object.data/report_count: '3' is not "
                             "of type 'integer'", self._set('report_count',
                                                            '3'))

    def test_null_where_not_nullable(self):
        self._assert_invalid('None is not of type',
                             self._set('disabled', None))

    def test_bad_uuid(self):
        self._assert_invalid("'not-a-uuid' is not a 'uuid'",
                             self._set('uuid', 'not-a-uuid'))

    def test_datetime_with_a_space(self):
        self._assert_invalid("is not a 'date-time'",
                             self._set('last_seen_up', '2012-10-29 13:42:05'))

    def test_datetime_with_a_fraction(self):
        self._assert_invalid('does not match',
                             self._set('last_seen_up',
                                       '2012-10-29T13:42:05.123Z'))

    def test_missing_field(self):
        self._assert_invalid("'host' is a required property",
                             lambda p: p['nova_object.data'].pop('host'))

    def test_unknown_field(self):
        self._assert_invalid("('password' was unexpected)",
                             self._set('password', 'secret'))

    def test_changes_key_is_not_part_of_the_envelope(self):
        def add_changes(primitive):
            primitive['nova_object.changes'] = ['host']
        self._assert_invalid("'nova_object.changes' was unexpected",
                             add_changes)

    def test_wrong_namespace(self):
        def change(primitive):
            primitive['nova_object.namespace'] = 'other'
        self._assert_invalid("'nova' was expected", change)

    def test_unknown_payload_version(self):
        def change(primitive):
            primitive['nova_object.version'] = '1.9'
        self._assert_invalid(
            'No schema is published for payload ServiceStatusPayload '
            'version 1.9', change)

    def test_not_an_object(self):
        self.assertRaises(payload_schemas.PayloadSchemaError,
                          payload_schemas.validate_payload, ['payload'])


class TestSchemaGeneration(testtools.TestCase):

    def _data(self, version=None):
        return json_schema.payload_schema(EveryTypePayload, version,
                                          lookup=_lookup)

    def _properties(self, version=None):
        return self._data(version)['properties']['nova_object.data'][
            'properties']

    def test_envelope(self):
        generated = self._data()
        self.assertEqual('https://json-schema.org/draft/2020-12/schema',
                         generated['$schema'])
        self.assertEqual('EveryTypePayload-1.1.json', generated['$id'])
        self.assertEqual(
            {'nova_object.name': {'const': 'EveryTypePayload'},
             'nova_object.namespace': {'const': 'nova'},
             'nova_object.version': {'const': '1.1'}},
            {k: v for k, v in generated['properties'].items()
             if k != 'nova_object.data'})
        self.assertEqual(list(json_schema.ENVELOPE_KEYS),
                         generated['required'])
        self.assertIs(False, generated['additionalProperties'])
        data = generated['properties']['nova_object.data']
        self.assertEqual(list(EveryTypePayload.fields), data['required'])
        self.assertIs(False, data['additionalProperties'])

    def test_field_types(self):
        props = self._properties()
        self.assertEqual({'type': 'string'}, props['text'])
        self.assertEqual({'type': ['string', 'null']}, props['maybe_text'])
        self.assertEqual(
            {'type': 'string', 'enum': list(fields.NotificationSource.ALL)},
            props['source'])
        self.assertEqual(
            {'type': ['string', 'null'],
             'enum': list(fields.NotificationPhase.ALL) + [None]},
            props['phase'])
        self.assertEqual({'type': 'string', 'format': 'uuid'},
                         props['uuid'])
        self.assertEqual({'type': ['string', 'null'], 'format': 'date-time',
                          'pattern': json_schema.DATETIME_PATTERN},
                         props['at'])
        self.assertEqual({'type': 'integer'}, props['count'])
        self.assertEqual({'type': 'integer', 'minimum': 0}, props['size'])
        self.assertEqual({'type': 'number'}, props['ratio'])
        self.assertEqual({'type': 'boolean'}, props['flag'])
        self.assertEqual({'type': 'array', 'items': {'type': 'string'}},
                         props['tags'])
        self.assertEqual({'type': 'array', 'items': {'type': 'integer'},
                          'uniqueItems': True}, props['ids'])
        self.assertEqual(
            {'type': 'object',
             'additionalProperties': {'type': ['string', 'null']}},
            props['meta'])

    def test_nested_objects(self):
        generated = self._data()
        props = generated['properties']['nova_object.data']['properties']
        ref = {'$ref': '#/$defs/ChildPayload-1.0.json'}
        self.assertEqual({'anyOf': [ref, {'type': 'null'}]}, props['child'])
        self.assertEqual({'type': 'array', 'items': ref}, props['children'])
        child = generated['$defs']['ChildPayload-1.0.json']
        self.assertEqual({'const': 'ChildPayload'},
                         child['properties']['nova_object.name'])

    def test_nested_objects_validate(self):
        validator = payload_schemas.jsonschema.Draft202012Validator(
            self._data())
        child = ChildPayload()
        child.name = 'c'
        payload = EveryTypePayload()
        for name, value in [
                ('text', 't'), ('maybe_text', None), ('source', 'nova-api'),
                ('phase', None), ('uuid', UUID), ('at', None), ('count', -1),
                ('size', 1), ('ratio', 0.5), ('flag', True), ('tags', ['a']),
                ('ids', {1, 2}), ('meta', {'k': None}), ('child', child),
                ('children', [child]), ('extra', 'e')]:
            setattr(payload, name, value)
        # NOTE: as emit() does before serializing.
        payload.obj_reset_changes(recursive=True)
        primitive = json.loads(json.dumps(payload.obj_to_primitive(),
                                          default=list))
        self.assertEqual([], list(validator.iter_errors(primitive)))
        primitive['nova_object.data']['children'][0][
            'nova_object.data']['name'] = 1
        self.assertEqual(1, len(list(validator.iter_errors(primitive))))

    def test_older_version_drops_what_obj_make_compatible_drops(self):
        self.assertNotIn('extra', self._properties('1.0'))
        self.assertIn('extra', self._properties('1.1'))
        self.assertEqual(['1.0', '1.1'],
                         json_schema.published_versions(EveryTypePayload))

    def test_unpublished_version(self):
        error = self.assertRaises(ValueError, json_schema.payload_schema,
                                  EveryTypePayload, '1.2', _lookup)
        self.assertIn('published versions: 1.0, 1.1', str(error))

    def test_secret_field_is_refused(self):
        class SecretPayload(notification.NotificationPayloadBase):
            VERSION = '1.0'
            fields = {'password': ovo_fields.SensitiveStringField()}

        error = self.assertRaises(json_schema.UnsupportedFieldError,
                                  json_schema.payload_schema, SecretPayload)
        self.assertIn('SecretPayload.password is a SensitiveString',
                      str(error))

    def test_unmapped_field_type_is_named(self):
        class AddressPayload(notification.NotificationPayloadBase):
            VERSION = '1.0'
            fields = {'address': ovo_fields.IPAddressField()}

        error = self.assertRaises(json_schema.UnsupportedFieldError,
                                  json_schema.payload_schema, AddressPayload)
        self.assertIn('AddressPayload.address has the field class '
                      'IPAddressField',
                      str(error))

    def test_unknown_nested_object_is_named(self):
        error = self.assertRaises(json_schema.UnsupportedFieldError,
                                  json_schema.payload_schema, EveryTypePayload,
                                  None, lambda name: None)
        self.assertIn('EveryTypePayload.child refers to ChildPayload',
                      str(error))


class TestSchemaFiles(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.dir = self.useFixture(fixtures.TempDir()).path
        self.all = json_schema.all_schemas()

    def test_stale_files(self):
        self.assertEqual(sorted(self.all), json_schema.stale_files(self.dir))
        json_schema.write_all(self.dir)
        self.assertEqual([], json_schema.stale_files(self.dir))
        changed = sorted(self.all)[0]
        with open(os.path.join(self.dir, changed), 'a') as f:
            f.write(' ')
        with open(os.path.join(self.dir, 'OldPayload-1.0.json'), 'w') as f:
            f.write('{}')
        self.assertEqual(sorted([changed, 'OldPayload-1.0.json']),
                         json_schema.stale_files(self.dir))

    def test_write_all_rewrites_and_removes(self):
        shutil.copytree(SCHEMAS_DIR, self.dir, dirs_exist_ok=True)
        with open(os.path.join(self.dir, 'OldPayload-1.0.json'), 'w') as f:
            f.write('{}')
        self.assertEqual(['OldPayload-1.0.json'],
                         json_schema.write_all(self.dir))
        self.assertEqual(sorted(self.all), sorted(os.listdir(self.dir)))
        self.assertEqual([], json_schema.write_all(self.dir))

    def _main(self, *argv):
        out, err = io.StringIO(), io.StringIO()
        with mock.patch('sys.stdout', out), mock.patch('sys.stderr', err):
            code = schemas_cmd.main(['--output-dir', self.dir] + list(argv))
        return code, out.getvalue(), err.getvalue()

    def test_command_needs_the_output_dir(self):
        cwd = self.useFixture(fixtures.TempDir()).path
        self.addCleanup(os.chdir, os.getcwd())
        os.chdir(cwd)
        out, err = io.StringIO(), io.StringIO()
        with mock.patch('sys.stdout', out), mock.patch('sys.stderr', err):
            code = schemas_cmd.main([])
        self.assertEqual(2, code)
        self.assertTrue(err.getvalue().startswith(
            'ERROR: --output-dir is required'), err.getvalue())
        self.assertEqual(1, len(err.getvalue().splitlines()))
        self.assertEqual([], os.listdir(cwd))

    def test_command_check_then_write(self):
        code, _out, err = self._main('--check')
        self.assertEqual(1, code)
        self.assertIn('Regenerate them with: nova-notification-schemas '
                      '--output-dir %s' % self.dir, err)
        code, out, _err = self._main()
        self.assertEqual(0, code)
        self.assertEqual(sorted(self.all),
                         sorted(os.path.basename(line)
                                for line in out.splitlines()))
        code, out, _err = self._main('--check')
        self.assertEqual(0, code)
        self.assertIn('up to date', out)
