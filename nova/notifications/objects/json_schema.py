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

"""JSON Schemas (draft 2020-12) of the versioned notification payloads.

A payload's schema is derived from its oslo.versionedobjects fields, never
written by hand: the schema of ``<Payload>-<version>.json`` describes the
``nova_object`` envelope a consumer receives as the notification's
``payload``, with the fields of that version in ``nova_object.data``.

Every field of a version is required (a populated payload sets them all),
nullable fields also accept ``null``, and no other key is allowed, so a
consumer can rely on exactly what a schema says.
"""

import importlib
import json
import os
import pkgutil

from oslo_utils import versionutils
from oslo_versionedobjects import fields as ovo_fields

from nova.notifications.objects import base as notification_base
from nova.objects import base as nova_base

DRAFT = 'https://json-schema.org/draft/2020-12/schema'

# NOTE: oslo.versionedobjects writes every datetime as isotime() does, in
# UTC with a Z and without a fraction, whatever RFC 3339 would also allow.
DATETIME_PATTERN = r'^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$'

ENVELOPE_KEYS = ('nova_object.name', 'nova_object.namespace',
                 'nova_object.version', 'nova_object.data')


class UnsupportedFieldError(TypeError):
    """A payload field whose type has no JSON Schema here, or no place."""


def schema_file_name(payload_name, version):
    """Return the published file name of a payload version's schema."""
    return '%s-%s.json' % (payload_name, version)


def load_notification_modules():
    """Import every notification module so that its classes register."""
    import nova.notifications.objects as package
    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module('%s.%s' % (package.__name__, module.name))


def payload_classes():
    """Return the registered payload classes, sorted by name."""
    load_notification_modules()
    classes = {cls.obj_name(): cls
               for cls in nova_base.NovaObjectRegistry.notification_classes
               if issubclass(cls, notification_base.NotificationPayloadBase)}
    return [classes[name] for name in sorted(classes)]


def published_versions(payload_cls):
    """Return the versions of ``payload_cls`` that get a schema.

    These are every minor version of the current major version, oldest
    first: a consumer may still ask for any of them, and
    ``obj_make_compatible`` knows how to produce each.
    """
    major, minor = versionutils.convert_version_to_tuple(payload_cls.VERSION)
    return ['%d.%d' % (major, m) for m in range(minor + 1)]


def fields_at_version(payload_cls, version):
    """Return the names of the fields the payload has at ``version``.

    Asked of the class's own ``obj_make_compatible``, so the schema of an
    older version drops exactly what the code drops for that version.
    """
    primitive = dict.fromkeys(payload_cls.fields)
    if version != payload_cls.VERSION:
        payload_cls().obj_make_compatible(primitive, version)
    return [name for name in payload_cls.fields if name in primitive]


def _nullable(schema, nullable):
    if not nullable:
        return schema
    if '$ref' in schema:
        return {'anyOf': [schema, {'type': 'null'}]}
    schema = dict(schema)
    schema['type'] = [schema['type'], 'null']
    if 'enum' in schema:
        schema['enum'] = schema['enum'] + [None]
    return schema


_STRING = {'type': 'string'}
_INTEGER = {'type': 'integer'}

# NOTE: by field class, the public face of oslo.versionedobjects' field
# types; the first class a field is an instance of wins. Nova's own fields
# (such as the notification enums) subclass these.
_SCALAR_SCHEMAS = (
    (ovo_fields.UUIDField, {'type': 'string', 'format': 'uuid'}),
    (ovo_fields.DateTimeField, {'type': 'string', 'format': 'date-time',
                                'pattern': DATETIME_PATTERN}),
    (ovo_fields.StringField, _STRING),
    (ovo_fields.BooleanField, {'type': 'boolean'}),
    (ovo_fields.FlexibleBooleanField, {'type': 'boolean'}),
    (ovo_fields.NonNegativeIntegerField, {'type': 'integer', 'minimum': 0}),
    (ovo_fields.IntegerField, _INTEGER),
    (ovo_fields.NonNegativeFloatField, {'type': 'number', 'minimum': 0}),
    (ovo_fields.FloatField, {'type': 'number'}),
)

# NOTE: collection field classes: (kind, element schema, element nullable).
_COLLECTION_SCHEMAS = (
    (ovo_fields.ListOfStringsField, ('array', _STRING, False)),
    (ovo_fields.ListOfIntegersField, ('array', _INTEGER, False)),
    (ovo_fields.SetOfIntegersField, ('set', _INTEGER, False)),
    (ovo_fields.DictOfStringsField, ('object', _STRING, False)),
    (ovo_fields.DictOfNullableStringsField, ('object', _STRING, True)),
    (ovo_fields.DictOfIntegersField, ('object', _INTEGER, False)),
)


def _collection_schema(kind, element, element_nullable):
    element = _nullable(element, element_nullable)
    if kind == 'object':
        return {'type': 'object', 'additionalProperties': element}
    schema = {'type': 'array', 'items': element}
    if kind == 'set':
        schema['uniqueItems'] = True
    return schema


def _field_schema(field, where, defs, lookup):
    """Return the schema of one value of ``field`` (not nullable)."""
    if isinstance(field, ovo_fields.SensitiveStringField):
        raise UnsupportedFieldError(
            '%s is a SensitiveString: notification payloads never carry '
            'secrets' % where)
    if isinstance(field, ovo_fields.BaseEnumField):
        return {'type': 'string', 'enum': list(field.valid_values)}
    for field_class, schema in _SCALAR_SCHEMAS:
        if isinstance(field, field_class):
            return dict(schema)
    for field_class, collection in _COLLECTION_SCHEMAS:
        if isinstance(field, field_class):
            return _collection_schema(*collection)
    if isinstance(field, ovo_fields.ObjectField):
        return _object_ref(field.objname, where, defs, lookup)
    if isinstance(field, ovo_fields.ListOfObjectsField):
        return {'type': 'array',
                'items': _object_ref(field.objname, '%s[]' % where, defs,
                                     lookup)}
    raise UnsupportedFieldError(
        '%s has the field class %s, which has no JSON Schema mapping yet: '
        'add one to '
        'nova.notifications.objects.json_schema'
        % (where, type(field).__name__))


def _object_ref(obj_name, where, defs, lookup):
    """Define a nested payload object in ``defs`` and refer to it."""
    child_cls = lookup(obj_name)
    if child_cls is None:
        raise UnsupportedFieldError(
            '%s refers to %s, which is not a registered notification class'
            % (where, obj_name))
    # NOTE: a nested object is sent at its current version, as oslo.
    # versionedobjects serializes it without a version manifest.
    key = schema_file_name(obj_name, child_cls.VERSION)
    if key not in defs:
        defs[key] = None  # reserves the name against recursion
        defs[key] = _envelope(child_cls, child_cls.VERSION, defs, lookup)
    return {'$ref': '#/$defs/%s' % key}


def _envelope(payload_cls, version, defs, lookup):
    name = payload_cls.obj_name()
    properties = {}
    for field_name in fields_at_version(payload_cls, version):
        field = payload_cls.fields[field_name]
        where = '%s.%s' % (name, field_name)
        properties[field_name] = _nullable(
            _field_schema(field, where, defs, lookup), field.nullable)
    return {
        'type': 'object',
        'properties': {
            'nova_object.name': {'const': name},
            'nova_object.namespace': {
                'const': payload_cls.OBJ_PROJECT_NAMESPACE},
            'nova_object.version': {'const': version},
            'nova_object.data': {
                'type': 'object',
                'properties': properties,
                'required': list(properties),
                'additionalProperties': False,
            },
        },
        'required': list(ENVELOPE_KEYS),
        'additionalProperties': False,
    }


def _registered_class(obj_name):
    for cls in nova_base.NovaObjectRegistry.notification_classes:
        if cls.obj_name() == obj_name:
            return cls
    return None


def payload_schema(payload_cls, version=None, lookup=_registered_class):
    """Return the JSON Schema of ``payload_cls`` at ``version``.

    :param version: a version :func:`published_versions` lists; by default
        the class's current ``VERSION``.
    :param lookup: returns the notification class of an object name, for
        payloads that nest objects.
    :raises UnsupportedFieldError: for a field type with no mapping, or a
        field meant to hold a secret.
    :raises ValueError: for a version that is not published.
    """
    version = version or payload_cls.VERSION
    if version not in published_versions(payload_cls):
        raise ValueError('%s has no version %s; published versions: %s'
                         % (payload_cls.obj_name(), version,
                            ', '.join(published_versions(payload_cls))))
    name = payload_cls.obj_name()
    defs = {}
    schema = {
        '$schema': DRAFT,
        '$id': schema_file_name(name, version),
        'title': '%s %s' % (name, version),
        'description': (
            'The payload %s, version %s, of nova versioned notifications: '
            'the nova_object envelope a consumer receives as the '
            "notification's payload." % (name, version)),
    }
    schema.update(_envelope(payload_cls, version, defs, lookup))
    if defs:
        schema['$defs'] = defs
    return schema


def all_schemas():
    """Return ``{file name: schema}`` of every published payload version."""
    return {schema_file_name(cls.obj_name(), version):
            payload_schema(cls, version)
            for cls in payload_classes()
            for version in published_versions(cls)}


def dumps(schema):
    """Return a schema as its published file content."""
    return json.dumps(schema, indent=2) + '\n'


def stale_files(directory):
    """Return the schema files of ``directory`` that differ from the code.

    A file is stale when it is missing, differs from the generated schema,
    or is a ``.json`` file no payload version produces any more.
    """
    expected = all_schemas()
    present = set()
    if os.path.isdir(directory):
        present = {f for f in os.listdir(directory) if f.endswith('.json')}
    stale = sorted(present - set(expected))
    for file_name, schema in sorted(expected.items()):
        path = os.path.join(directory, file_name)
        try:
            with open(path) as f:
                current = f.read()
        except FileNotFoundError:
            current = None
        if current != dumps(schema):
            stale.append(file_name)
    return sorted(stale)


def write_all(directory):
    """Write every published schema into ``directory``; remove old ones.

    :returns: the names of the files written or removed.
    """
    os.makedirs(directory, exist_ok=True)
    changed = stale_files(directory)
    expected = all_schemas()
    for file_name in changed:
        path = os.path.join(directory, file_name)
        if file_name in expected:
            with open(path, 'w') as f:
                f.write(dumps(expected[file_name]))
        else:
            os.remove(path)
    return changed
