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

"""The catalog of versioned notifications, read from the code.

A module of the source tree's tools, apart from the Sphinx extension
(``doc/ext/versioned_notifications.py``) that renders it, so that the unit
tests import it and check, with no Sphinx installed, that an
undocumentable notification is refused.
"""

import inspect
import os
import re

from nova.notifications.objects import base as notification_base
from nova.notifications.objects import json_schema
from nova.objects import base as nova_base
from nova.tests import json_ref

REPO_ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), '..'))
SAMPLES_DIR = os.path.join(REPO_ROOT, 'doc', 'notification_samples')

_VERSION_COMMENT = re.compile(r'^\s*#\s*Version\s+(\d+\.\d+)\s*:\s*(.*)$')


class CatalogError(Exception):
    """The registered notifications cannot be documented as they are."""


def registered_classes():
    """Return every registered notification and payload class."""
    json_schema.load_notification_modules()
    return list(nova_base.NovaObjectRegistry.notification_classes)


def _payload_class(notification_cls, classes):
    field = notification_cls.fields.get('payload')
    payload_name = getattr(field, 'objname', None)
    for cls in classes:
        if cls.obj_name() == payload_name:
            return cls
    return None


def collect_notifications(classes=None, samples_dir=SAMPLES_DIR):
    """Return ``[(event type, class, payload class, sample file, sample)]``.

    One entry per sample, sorted by event type; each sample has its
    ``$ref`` resolved.

    :param classes: the registered notification classes; by default those
        of the registry.
    :raises CatalogError: listing every notification class without a sample
        of its own or without a registered payload class, every sample
        claimed by more than one class or by none, and every sample that is
        missing, has no event type, or carries another payload or version
        than its class sends.
    """
    classes = registered_classes() if classes is None else classes
    problems = []
    owners = {}
    rows = []
    for cls in classes:
        if not issubclass(cls, notification_base.NotificationBase):
            continue
        # NOTE: only the class's own samples: a subclass does not inherit
        # its parent's, it needs its own.
        samples = cls.__dict__.get('samples', [])
        if not samples:
            problems.append('%s has no notification_sample'
                            % cls.obj_name())
        payload_cls = _payload_class(cls, classes)
        if payload_cls is None:
            problems.append('%s has no payload field of a registered '
                            'payload class' % cls.obj_name())
            continue
        for sample_file in samples:
            owners.setdefault(sample_file, []).append(cls.obj_name())
            path = os.path.join(samples_dir, sample_file)
            if not os.path.exists(path):
                problems.append('%s names the sample %s, which does not '
                                'exist in %s' % (cls.obj_name(), sample_file,
                                                 samples_dir))
                continue
            sample = json_ref.load_sample(path)
            payload = sample.get('payload', {})
            claimed = (payload.get('nova_object.name'),
                       payload.get('nova_object.version'))
            if claimed != (payload_cls.obj_name(), payload_cls.VERSION):
                problems.append(
                    'sample %s carries payload %s %s but %s sends %s %s'
                    % ((sample_file,) + claimed + (
                        cls.obj_name(), payload_cls.obj_name(),
                        payload_cls.VERSION)))
            if not sample.get('event_type'):
                problems.append('sample %s has no event_type' % sample_file)
            rows.append((sample.get('event_type'), cls, payload_cls,
                         sample_file, sample))
    for sample_file, owner_names in sorted(owners.items()):
        if len(owner_names) > 1:
            problems.append('sample %s is used by more than one class: %s'
                            % (sample_file, ', '.join(owner_names)))
    for sample_file in sorted(os.listdir(samples_dir)):
        if sample_file.endswith('.json') and sample_file not in owners:
            problems.append('sample %s belongs to no notification class'
                            % sample_file)
    if problems:
        raise CatalogError('Versioned notifications are not documentable:'
                           '\n  ' + '\n  '.join(problems))
    return sorted(rows, key=lambda row: (row[0], row[3]))


def version_history(cls):
    """Return ``[(version, change)]`` from the class's version comments."""
    history = []
    for line in inspect.getsource(cls).splitlines():
        match = _VERSION_COMMENT.match(line)
        if match:
            history.append(match.groups())
    return history
