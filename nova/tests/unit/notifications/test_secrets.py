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

"""Guard: notifications never carry credentials.

No payload field is named like a credential, no sample shows one, and a
whole service lifecycle emitted with passwords in the configuration and a
token in the request context sends none of them.
"""

import glob
import json
import os
import re

from oslo_messaging.notify import _impl_test
import sqlalchemy
import testtools

from nova import context as nova_context
from nova.db.main import api as db_api
from nova.notifications import delivery
from nova.notifications.objects import base as notification_base
from nova import objects
from nova.objects import base
from nova.objects import fields
from nova import test
from nova.tests import json_ref
from nova.tests.unit.notifications import test_samples

CREDENTIAL_NAME = re.compile(
    r'pass(word|wd|phrase)?|secret|token|credential|transport_url|'
    r'connection|auth|key|cert|signature|private', re.IGNORECASE)
URL_WITH_CREDENTIALS = re.compile(
    r'[a-z][a-z0-9+.\-]*://[^\s/@:]*:[^\s/@]*@', re.IGNORECASE)


def credential_named_fields(classes):
    """Return ``Class.field`` for every field named like a credential."""
    found = []
    for cls in classes:
        names = set(cls.fields)
        if issubclass(cls, notification_base.NotificationPayloadBase):
            names.update(source_field for _source, source_field
                         in cls.SCHEMA.values())
        found.extend('%s.%s' % (cls.obj_name(), name)
                     for name in sorted(names)
                     if CREDENTIAL_NAME.search(name))
    return found


def strings_in(value):
    """Yield every string in a JSON-like structure, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings_in(key)
            yield from strings_in(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from strings_in(item)


def leaks(value, secrets=()):
    """Return the strings of ``value`` that look like or hold a secret."""
    return [string for string in strings_in(value)
            if URL_WITH_CREDENTIALS.search(string) or
            any(secret in string for secret in secrets)]


class TestGuardFindsLeaks(testtools.TestCase):
    """The guard's checks report what they are meant to catch."""

    def test_credential_field_names(self):
        @base.NovaObjectRegistry.register_if(False)
        class LeakyPayload(notification_base.NotificationPayloadBase):
            SCHEMA = {'url': ('service', 'transport_url')}
            VERSION = '1.0'
            fields = {'url': fields.StringField(),
                      'db_password': fields.StringField(),
                      'auth_token': fields.StringField(),
                      'host': fields.StringField()}

        self.assertEqual(
            ['LeakyPayload.auth_token', 'LeakyPayload.db_password',
             'LeakyPayload.transport_url'],
            credential_named_fields([LeakyPayload]))

    def test_urls_with_credentials(self):
        message = {'payload': {'nova_object.data': {
            'host': 'host1',
            'disabled_reason': 'moved to rabbit://nova:pw@broker:5672/',
            'topic': 'mysql+pymysql://root:@db/nova'}}}
        self.assertEqual(['moved to rabbit://nova:pw@broker:5672/',
                          'mysql+pymysql://root:@db/nova'], leaks(message))

    def test_urls_without_credentials_pass(self):
        self.assertEqual([], leaks({'a': 'https://docs.openstack.org/nova',
                                    'b': 'rabbit://broker:5672/',
                                    'c': 'user@example.org'}))

    def test_configured_secrets(self):
        self.assertEqual(['xS3cretx'],
                         leaks(['xS3cretx', 'plain'], secrets=['S3cret']))


class TestNoCredentialsInPayloads(testtools.TestCase):

    def test_payload_field_names(self):
        test_samples.load_notification_modules()
        classes = base.NovaObjectRegistry.notification_classes
        self.assertNotEqual([], classes)
        self.assertEqual([], credential_named_fields(classes))

    def test_samples(self):
        paths = sorted(
            glob.glob(os.path.join(test_samples.SAMPLES_DIR, '*.json')) +
            glob.glob(os.path.join(test_samples.COMMON_PAYLOADS_DIR,
                                   '*.json')))
        self.assertNotEqual([], paths)
        for path in paths:
            with open(path) as f:
                raw = json.load(f)
            self.assertEqual([], leaks(raw), path)
            self.assertEqual([], leaks(json_ref.load_sample(path)), path)


class TestNoCredentialsEmitted(test.TestCase):
    """A lifecycle emitted with secrets all around sends none of them."""

    TRANSPORT_SECRET = 'Tr4nsp0rtS3cret'
    NOTIFY_SECRET = 'N0tifyS3cret'
    DB_SECRET = 'D4tab4seS3cret'
    TOKEN = 'T0kenS3cret'

    def setUp(self):
        super().setUp()
        self.transport_url = ('fake://nova:%s@broker:5672/'
                              % self.TRANSPORT_SECRET)
        self.notify_url = 'fake://notify:%s@broker2/' % self.NOTIFY_SECRET
        self.db_connection = ('mysql+pymysql://nova:%s@db.example.org/nova'
                              % self.DB_SECRET)
        self.flags(transport_url=self.transport_url)
        self.flags(transport_url=self.notify_url,
                   driver=['test', 'log'],
                   group='oslo_messaging_notifications')
        # NOTE: the test database stays the fixture's SQLite file; this is
        # only the configuration a leak could copy from.
        self.flags(connection=self.db_connection, group='database')
        delivery.init(self.conf.conf)
        self.secrets = [self.TRANSPORT_SECRET, self.NOTIFY_SECRET,
                        self.DB_SECRET, self.TOKEN, self.transport_url,
                        self.notify_url, self.db_connection]
        self.user_context = nova_context.RequestContext(
            user_id='admin', project_id='admin', is_admin=True,
            auth_token=self.TOKEN)

    def _lifecycle(self):
        service = objects.Service(self.user_context, host='host1',
                                  binary='nova-compute', topic='compute',
                                  report_count=0)
        service.create()
        for changes in ({'disabled': True, 'disabled_reason': 'maintenance'},
                        {'forced_down': True},
                        {'disabled': False, 'disabled_reason': None,
                         'forced_down': False}):
            for field, value in changes.items():
                setattr(service, field, value)
            service.save()
        service.destroy()
        self.notifier.flush()

    def test_lifecycle_sends_no_secret(self):
        self._lifecycle()

        sent = list(_impl_test.NOTIFICATIONS)
        self.assertEqual(
            ['service.create', 'service.update', 'service.update',
             'service.update', 'service.delete'],
            [message['event_type'] for _ctxt, message, _p, _r in sent])
        for ctxt, message, _priority, _retry in sent:
            self.assertEqual([], leaks(message, self.secrets))
            self.assertEqual([], leaks(json.loads(json.dumps(ctxt)),
                                       self.secrets))

    def test_outbox_holds_no_secret(self):
        self._lifecycle()
        engine = db_api.get_engine()
        with engine.connect() as connection:
            rows = [dict(row._mapping) for row in connection.execute(
                sqlalchemy.text('SELECT * FROM notification_outbox'))]
        self.assertEqual(5, len(rows))
        for row in rows:
            self.assertEqual([], leaks(
                {key: str(value) for key, value in row.items()},
                self.secrets))

    def test_log_holds_no_secret(self):
        # NOTE: the log driver, nova's default, writes every notification
        # to the log; nothing else logged on the way may leak either.
        self._lifecycle()
        lines = self.stdlog.output.splitlines()
        self.assertEqual(5, len([
            line for line in lines
            if ' oslo.messaging.notification.service.' in line]))
        self.assertEqual([], leaks(lines, self.secrets))

    def test_guard_sees_a_leak_in_an_emitted_notification(self):
        # NOTE: an operator typing a URL into the reason is their data, but
        # it shows that the checks above look at what was really sent.
        service = objects.Service(self.user_context, host='host1',
                                  binary='nova-compute', topic='compute',
                                  report_count=0)
        service.create()
        service.disabled_reason = 'see %s' % self.transport_url
        service.save()
        message = self.notifier.versioned_notifications[-1]
        self.assertEqual(['see %s' % self.transport_url],
                         leaks(message, self.secrets))
