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

"""Sphinx directives that document the versioned notifications from code.

``.. versioned-notifications::`` renders a table of every registered
notification class: its event type (taken from its sample), the class, the
payload class and version, and the sample with its ``$ref`` resolved.
``.. notification-payload-schemas::`` renders every published payload
version: its fields, its version history and its JSON Schema.

Nothing here is written by hand: a notification class without a sample, a
sample claimed by two classes or by none, a sample that does not match its
class, or a stale committed schema is logged as an error, which fails the
build (warnings and errors are fatal with ``-W``).
"""

import inspect
import json
import os
import shutil

from docutils import nodes
from docutils.parsers.rst import Directive
from docutils.statemachine import StringList
from sphinx.util import logging
from sphinx.util.nodes import nested_parse_with_titles

from nova.notifications.objects import json_schema
from tools import notification_catalog

LOG = logging.getLogger(__name__)

SAMPLES_DIR = notification_catalog.SAMPLES_DIR
SCHEMAS_DIR = os.path.join(notification_catalog.REPO_ROOT, 'doc',
                           'notification_schemas')
# NOTE: where the schemas are published in the built site, so that a
# consumer can fetch them by their $id relative to one base URL.
SCHEMAS_URL_DIR = 'notification_schemas'


def schema_label(payload_name, version):
    """Return the reference label of a payload version's section."""
    return 'notification-schema-%s-%s' % (payload_name, version)


def sample_label(sample_file):
    """Return the reference label of a sample's section."""
    return 'notification-sample-%s' % sample_file


def _fail(directive, message):
    """Log an error at the directive (fatal with -W); return no nodes."""
    env = directive.state.document.settings.env
    LOG.error(message, location=(env.docname, directive.lineno))
    return []


def _indent(lines, prefix):
    return [(prefix + line) if line else '' for line in lines]


def _collapsible(summary, body_lines, language):
    """Return rST lines of a block that HTML shows folded."""
    lines = ['.. raw:: html', '',
             '   <details><summary>%s</summary>' % summary, '',
             '.. code-block:: %s' % language, '']
    lines += _indent(body_lines, '   ')
    lines += ['', '.. raw:: html', '', '   </details>', '']
    return lines


def _parse(directive, lines):
    content = StringList()
    source = directive.state.document.current_source
    for number, line in enumerate(lines):
        content.append(line, source, number)
    node = nodes.section()
    node.document = directive.state.document
    nested_parse_with_titles(directive.state, content, node)
    return node.children


class VersionedNotificationsDirective(Directive):
    """The table of every versioned notification, then each sample."""

    has_content = False

    def run(self):
        try:
            rows = notification_catalog.collect_notifications()
        except notification_catalog.CatalogError as e:
            return _fail(self, str(e))
        lines = ['.. list-table::', '   :header-rows: 1',
                 '   :class: versioned-notifications', '',
                 '   * - Event type', '     - Notification class',
                 '     - Payload', '     - Sample']
        for event_type, cls, payload_cls, sample_file, _sample in rows:
            lines += ['   * - ``%s``' % event_type,
                      '     - ``%s`` %s' % (cls.obj_name(), cls.VERSION),
                      '     - :ref:`%s %s <%s>`' % (
                          payload_cls.obj_name(), payload_cls.VERSION,
                          schema_label(payload_cls.obj_name(),
                                       payload_cls.VERSION)),
                      '     - :ref:`%s <%s>`' % (sample_file,
                                                 sample_label(sample_file))]
        lines.append('')
        for event_type, cls, payload_cls, sample_file, sample in rows:
            _note_sample_dependencies(self, sample_file)
            _note_code_dependencies(self, cls, payload_cls)
            title = '%s (%s)' % (event_type, sample_file)
            lines += ['.. _%s:' % sample_label(sample_file), '', title,
                      '-' * len(title), '',
                      'Emitted as ``%s`` %s with payload ``%s`` %s.' % (
                          cls.obj_name(), cls.VERSION, payload_cls.obj_name(),
                          payload_cls.VERSION), '']
            lines += _collapsible(
                'Show the sample %s' % sample_file,
                json.dumps(sample, indent=4).splitlines(), 'json')
        return _parse(self, lines)


def _note_code_dependencies(directive, *classes):
    """Rebuild the page when the module of one of ``classes`` changes."""
    env = directive.state.document.settings.env
    for cls in classes:
        env.note_dependency(inspect.getsourcefile(cls))


def _note_sample_dependencies(directive, sample_file):
    """Rebuild the page when the sample or a file it refers to changes."""
    env = directive.state.document.settings.env
    env.note_dependency(os.path.join(SAMPLES_DIR, sample_file))
    common = os.path.join(SAMPLES_DIR, 'common_payloads')
    if os.path.isdir(common):
        for file_name in sorted(os.listdir(common)):
            env.note_dependency(os.path.join(common, file_name))


def _field_rows(payload_schema):
    data = payload_schema['properties']['nova_object.data']
    rows = []
    for name, field in data['properties'].items():
        if 'anyOf' in field:
            types = [choice.get('type') or choice['$ref'].rsplit('/', 1)[-1]
                     for choice in field['anyOf']]
            field = field['anyOf'][0]
        else:
            types = field['type']
            types = types if isinstance(types, list) else [types]
        nullable = 'null' in types
        json_type = ', '.join(t for t in types if t != 'null')
        details = []
        if 'format' in field:
            details.append('format ``%s``' % field['format'])
        if 'enum' in field:
            details.append('one of %s' % ', '.join(
                '``%s``' % value for value in field['enum']
                if value is not None))
        if 'minimum' in field:
            details.append('minimum %s' % field['minimum'])
        rows.append((name, json_type, 'yes' if nullable else 'no',
                     '; '.join(details)))
    return rows


class NotificationPayloadSchemasDirective(Directive):
    """Every published payload version with its fields and JSON Schema."""

    has_content = False

    def run(self):
        stale = json_schema.stale_files(SCHEMAS_DIR)
        if stale:
            return _fail(self, 'Committed notification schemas are stale: '
                               '%s. Regenerate them with: tox -e schemas'
                         % ', '.join(stale))
        env = self.state.document.settings.env
        # NOTE: the schemas are published at the root of the site; links
        # to them are relative to this page.
        to_root = '../' * env.docname.count('/')
        lines = []
        for payload_cls in json_schema.payload_classes():
            name = payload_cls.obj_name()
            lines += [name, '-' * len(name), '', 'Version history:', '']
            lines += ['* %s: %s' % change
                      for change in notification_catalog.version_history(
                          payload_cls)]
            lines.append('')
            _note_code_dependencies(self, payload_cls)
            versions = json_schema.published_versions(payload_cls)
            for version in reversed(versions):
                lines += self._version_lines(payload_cls, version, to_root)
                env.note_dependency(os.path.join(
                    SCHEMAS_DIR, json_schema.schema_file_name(name, version)))
        return _parse(self, lines)

    @staticmethod
    def _version_lines(payload_cls, version, to_root):
        name = payload_cls.obj_name()
        file_name = json_schema.schema_file_name(name, version)
        title = '%s %s' % (name, version)
        lines = ['.. _%s:' % schema_label(name, version), '', title,
                 '~' * len(title), '',
                 'Published as `%s <%s%s/%s>`_. Fields of '
                 '``nova_object.data``, all required:'
                 % (file_name, to_root, SCHEMAS_URL_DIR, file_name), '',
                 '.. list-table::', '   :header-rows: 1', '',
                 '   * - Field', '     - JSON type', '     - Nullable',
                 '     - Constraints']
        for row in _field_rows(
                json_schema.payload_schema(payload_cls, version)):
            lines += ['   * - ``%s``' % row[0]]
            lines += ['     - %s' % cell for cell in row[1:]]
        with open(os.path.join(SCHEMAS_DIR, file_name)) as f:
            schema_lines = f.read().splitlines()
        lines.append('')
        lines += _collapsible('JSON Schema %s' % file_name, schema_lines,
                              'json')
        return lines


def publish_schemas(app, exception):
    """Copy the schema files into the built HTML site."""
    if exception is not None or app.builder.format != 'html':
        return
    target = os.path.join(app.outdir, SCHEMAS_URL_DIR)
    os.makedirs(target, exist_ok=True)
    for file_name in os.listdir(SCHEMAS_DIR):
        if file_name.endswith('.json'):
            shutil.copyfile(os.path.join(SCHEMAS_DIR, file_name),
                            os.path.join(target, file_name))


def setup(app):
    app.add_directive('versioned-notifications',
                      VersionedNotificationsDirective)
    app.add_directive('notification-payload-schemas',
                      NotificationPayloadSchemasDirective)
    app.connect('build-finished', publish_schemas)
    return {'parallel_read_safe': True, 'parallel_write_safe': True}
