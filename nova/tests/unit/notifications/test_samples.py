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

"""The contract between notification classes and their sample files.

Every notification class names at least one sample with
``notification_sample``; every sample file belongs to exactly one class; and
each sample shows the payload its class sends today: same name, same
VERSION, same fields.
"""

import datetime
import glob
import importlib
import json
import os
import pkgutil
import shutil

import fixtures
import testtools

import nova
from nova.notifications import objects as notification_objects
from nova.notifications.objects import base as notification_base
from nova.objects import base
from nova.objects import fields
from nova.tests import json_ref

SAMPLES_DIR = os.path.normpath(os.path.join(
    os.path.dirname(nova.__file__), '..', 'doc', 'notification_samples'))
COMMON_PAYLOADS_DIR = os.path.join(SAMPLES_DIR, 'common_payloads')
DATETIME_FORMAT = '%Y-%m-%dT%H:%M:%SZ'


def load_notification_modules():
    """Import every notification module so that its classes register."""
    for module in pkgutil.iter_modules(notification_objects.__path__):
        importlib.import_module('%s.%s' % (notification_objects.__name__,
                                           module.name))


def notification_classes():
    """Return the registered notification (not payload) classes."""
    load_notification_modules()
    return [cls for cls in base.NovaObjectRegistry.notification_classes
            if issubclass(cls, notification_base.NotificationBase)]


def payload_classes():
    return {cls.obj_name(): cls
            for cls in base.NovaObjectRegistry.notification_classes
            if issubclass(cls, notification_base.NotificationPayloadBase)}


def payload_class_of(notification_cls):
    """Return the payload class of a notification class, or None."""
    return payload_classes().get(
        notification_cls.fields['payload'].objname)


def own_samples(cls):
    # NOTE: a subclass that declares no sample of its own would otherwise
    # be covered by its parent's files.
    return cls.__dict__.get('samples', [])


def classes_without_sample(classes):
    return ['%s has no sample: decorate it with notification_sample'
            % cls.obj_name() for cls in classes if not own_samples(cls)]


def ownership_problems(classes, samples_dir):
    """Return the sample files owned by no class or by several."""
    owners = {}
    for cls in classes:
        for sample in own_samples(cls):
            owners.setdefault(sample, []).append(cls.obj_name())
    files = sorted(os.path.basename(path) for path in
                   glob.glob(os.path.join(samples_dir, '*.json')))
    problems = []
    for sample in files:
        owned_by = owners.get(sample, [])
        if len(owned_by) != 1:
            problems.append('%s belongs to %d classes %s, not exactly one'
                            % (sample, len(owned_by), sorted(owned_by)))
    for sample in sorted(set(owners) - set(files)):
        problems.append('%s, named by %s, does not exist in %s'
                        % (sample, owners[sample], samples_dir))
    return problems


def payload_problems(where, payload, payload_cls):
    """Return how a sample's payload differs from what the class sends."""
    if payload_cls is None:
        return ['%s: no payload class' % where]
    problems = []
    expected = {'nova_object.name': payload_cls.obj_name(),
                'nova_object.namespace': 'nova',
                'nova_object.version': payload_cls.VERSION}
    for key, value in expected.items():
        if payload.get(key) != value:
            problems.append('%s: payload %s is %r, the class says %r'
                            % (where, key, payload.get(key), value))
    data = payload.get('nova_object.data', {})
    if set(data) != set(payload_cls.fields):
        problems.append('%s: payload fields %s differ from the class fields '
                        '%s' % (where, sorted(data),
                                sorted(payload_cls.fields)))
    for name, field in payload_cls.fields.items():
        value = data.get(name)
        if isinstance(field, fields.DateTimeField) and value is not None:
            try:
                datetime.datetime.strptime(value, DATETIME_FORMAT)
            except (TypeError, ValueError):
                problems.append('%s: %s %r is not %s'
                                % (where, name, value, DATETIME_FORMAT))
    return problems


def sample_problems(notification_cls, sample, samples_dir):
    """Return how a sample file differs from its notification class."""
    where = sample
    notification = json_ref.load_sample(os.path.join(samples_dir, sample))
    problems = payload_problems(where, notification.get('payload', {}),
                                payload_class_of(notification_cls))
    event_type = notification.get('event_type', '')
    if event_type.replace('.', '-') + '.json' != sample:
        problems.append('%s: event_type %r does not match the file name'
                        % (where, event_type))
    priority = notification.get('priority', '')
    if priority.lower() not in fields.NotificationPriority.ALL or (
            priority != priority.upper()):
        problems.append('%s: priority %r is not an upper-case priority'
                        % (where, priority))
    source, _, host = notification.get('publisher_id', '').partition(':')
    if source not in fields.NotificationSource.ALL or not host:
        problems.append('%s: publisher_id %r is not <source>:<host>'
                        % (where, notification.get('publisher_id')))
    return problems


def all_sample_problems(classes, samples_dir):
    problems = []
    for cls in classes:
        for sample in own_samples(cls):
            if os.path.exists(os.path.join(samples_dir, sample)):
                problems.extend(sample_problems(cls, sample, samples_dir))
    return problems


def common_payload_problems(common_dir):
    problems = []
    classes = payload_classes()
    for path in sorted(glob.glob(os.path.join(common_dir, '*.json'))):
        name = os.path.basename(path)
        with open(path) as f:
            payload = json.load(f)
        problems.extend(payload_problems(
            'common_payloads/%s' % name, payload,
            classes.get(payload.get('nova_object.name'))))
        if name != '%s.json' % payload.get('nova_object.name'):
            problems.append('common_payloads/%s holds a %s' % (
                name, payload.get('nova_object.name')))
    return problems


class TestNotificationSamples(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.classes = notification_classes()

    def test_there_are_notifications_to_check(self):
        self.assertIn('ServiceStatusNotification',
                      [cls.obj_name() for cls in self.classes])

    def test_every_notification_has_a_sample(self):
        self.assertEqual([], classes_without_sample(self.classes))

    def test_every_sample_belongs_to_exactly_one_class(self):
        self.assertEqual([], ownership_problems(self.classes, SAMPLES_DIR))

    def test_samples_match_their_payload_class(self):
        self.assertEqual([], all_sample_problems(self.classes, SAMPLES_DIR))

    def test_common_payloads_match_their_class(self):
        self.assertNotEqual(
            [], glob.glob(os.path.join(COMMON_PAYLOADS_DIR, '*.json')))
        self.assertEqual([], common_payload_problems(COMMON_PAYLOADS_DIR))

    def test_every_common_payload_is_referenced(self):
        references = set()
        for path in glob.glob(os.path.join(SAMPLES_DIR, '*.json')):
            with open(path) as f:
                payload = json.load(f).get('payload', {})
            ref = payload.get('$ref', '').partition('#')[0]
            references.add(os.path.normpath(os.path.join(SAMPLES_DIR, ref)))
        for path in glob.glob(os.path.join(COMMON_PAYLOADS_DIR, '*.json')):
            self.assertIn(os.path.normpath(path), references)


class TestSampleChecksCatchProblems(testtools.TestCase):
    """The checks above report what they are meant to catch."""

    def setUp(self):
        super().setUp()
        self.classes = notification_classes()
        self.samples_dir = os.path.join(
            self.useFixture(fixtures.TempDir()).path, 'notification_samples')
        shutil.copytree(SAMPLES_DIR, self.samples_dir)

    def _edit_payload(self, name, edit):
        path = os.path.join(self.samples_dir, 'common_payloads', name)
        with open(path) as f:
            payload = json.load(f)
        edit(payload)
        with open(path, 'w') as f:
            json.dump(payload, f)

    def test_class_without_sample(self):
        @base.NovaObjectRegistry.register_if(False)
        class SilentNotification(notification_base.NotificationBase):
            VERSION = '1.0'
            fields = {'payload': fields.ObjectField('ServiceStatusPayload')}

        self.assertEqual(
            ['SilentNotification has no sample: decorate it with '
             'notification_sample'],
            classes_without_sample(self.classes + [SilentNotification]))

    def test_orphan_and_shared_and_missing_samples(self):
        shutil.copy(os.path.join(self.samples_dir, 'service-create.json'),
                    os.path.join(self.samples_dir, 'orphan.json'))

        @notification_base.notification_sample("service-create.json")
        @notification_base.notification_sample("missing.json")
        @base.NovaObjectRegistry.register_if(False)
        class CopyNotification(notification_base.NotificationBase):
            VERSION = '1.0'
            fields = {'payload': fields.ObjectField('ServiceStatusPayload')}

        problems = ownership_problems(self.classes + [CopyNotification],
                                      self.samples_dir)
        self.assertIn('orphan.json belongs to 0 classes [], not exactly one',
                      problems)
        self.assertIn("service-create.json belongs to 2 classes "
                      "['CopyNotification', 'ServiceStatusNotification'], "
                      "not exactly one", problems)
        self.assertIn("missing.json, named by ['CopyNotification'], does "
                      "not exist in %s" % self.samples_dir, problems)

    def test_stale_version(self):
        self._edit_payload('ServiceStatusPayload.json', lambda payload:
                           payload.update({'nova_object.version': '1.0'}))
        problems = all_sample_problems(self.classes, self.samples_dir)
        self.assertIn("service-create.json: payload nova_object.version is "
                      "'1.0', the class says '1.1'", problems)
        self.assertIn("common_payloads/ServiceStatusPayload.json: payload "
                      "nova_object.version is '1.0', the class says '1.1'",
                      common_payload_problems(
                          os.path.join(self.samples_dir, 'common_payloads')))

    def test_missing_and_extra_fields(self):
        def edit(payload):
            data = payload['nova_object.data']
            del data['uuid']
            data['password'] = 'x'
        self._edit_payload('ServiceStatusPayload.json', edit)
        problems = all_sample_problems(self.classes, self.samples_dir)
        self.assertEqual(3, len(problems), problems)
        self.assertIn('payload fields', problems[0])

    def test_wrong_name_and_datetime_format(self):
        def edit(payload):
            payload['nova_object.name'] = 'ServicePayload'
            payload['nova_object.data']['last_seen_up'] = (
                '2012-10-29 13:42:05.123456')
        self._edit_payload('ServiceStatusPayload.json', edit)
        problems = all_sample_problems(self.classes, self.samples_dir)
        self.assertIn("service-update.json: payload nova_object.name is "
                      "'ServicePayload', the class says "
                      "'ServiceStatusPayload'", problems)
        self.assertIn("service-update.json: last_seen_up "
                      "'2012-10-29 13:42:05.123456' is not %s"
                      % DATETIME_FORMAT, problems)

    def test_envelope_problems(self):
        path = os.path.join(self.samples_dir, 'service-delete.json')
        with open(path) as f:
            sample = json.load(f)
        sample.update(event_type='service.remove', priority='info',
                      publisher_id='compute-host1')
        with open(path, 'w') as f:
            json.dump(sample, f)
        problems = all_sample_problems(self.classes, self.samples_dir)
        self.assertEqual(
            ["service-delete.json: event_type 'service.remove' does not "
             "match the file name",
             "service-delete.json: priority 'info' is not an upper-case "
             "priority",
             "service-delete.json: publisher_id 'compute-host1' is not "
             "<source>:<host>"],
            problems)
