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

"""Compare the notifications the real stack emits with the sample files."""

import copy
import difflib
import json
import os
import tempfile

from oslo_utils import uuidutils

from nova.notifications import consumer
from nova import test
from nova.tests import json_ref
from nova.tests import payload_schemas

SAMPLES_DIR = os.path.normpath(os.path.join(
    os.path.dirname(__file__), '..', '..', '..', '..', 'doc',
    'notification_samples'))

# NOTE: where actual notifications that differ from their sample are
# written, so that a reviewer can inspect them or copy them over the sample.
ACTUAL_DIR = os.environ.get(
    'NOVA_SAMPLE_ACTUAL_DIR',
    os.path.join(tempfile.gettempdir(), 'nova-notification-samples-actual'))

_TIMESTAMP_FORMAT = '%Y-%m-%d %H:%M:%S.%f'


class _Any(object):
    """Matches any value, for fields that vary from run to run."""

    def __repr__(self):
        return 'ANY'


ANY = _Any()


def _check_envelope_formats(actual):
    """Return the problems of the values that oslo.messaging makes up."""
    problems = []
    if not uuidutils.is_uuid_like(actual.get('message_id')):
        problems.append('message_id %r is not a uuid'
                        % actual.get('message_id'))
    # NOTE: oslo.messaging writes str(utcnow()), which has no fraction in
    # the one case out of a million where the microseconds are zero.
    if consumer.parse_timestamp(actual.get('timestamp')) is None:
        problems.append('timestamp %r is not "%s"'
                        % (actual.get('timestamp'), _TIMESTAMP_FORMAT))
    return problems


class NotificationSampleTestBase(test.TestCase):
    """Base class of the tests that check notifications against samples."""

    ANY = ANY

    @staticmethod
    def sample_path(sample_file_name):
        return os.path.join(SAMPLES_DIR, sample_file_name)

    def _load_sample(self, sample_file_name):
        return json_ref.load_sample(self.sample_path(sample_file_name))

    def _expected(self, sample_file_name, replacements, actual):
        expected = self._load_sample(sample_file_name)
        data = expected['payload']['nova_object.data']
        actual_data = actual.get('payload', {}).get('nova_object.data', {})
        for field, value in (replacements or {}).items():
            if field not in data:
                self.fail('Replacement %r is not a payload field of %s'
                          % (field, sample_file_name))
            data[field] = actual_data.get(field) if value is ANY else value
        # NOTE: the envelope's message_id and timestamp are made up by
        # oslo.messaging for every message; only their format is checked.
        for key in ('message_id', 'timestamp'):
            if key in expected and key in actual:
                expected[key] = actual[key]
        return expected

    def _write_actual(self, sample_file_name, replacements, actual):
        """Write ``actual`` in the sample's terms, ready to replace it.

        Replaced fields and the envelope's made-up values get the sample's
        values back and the sample's ``$ref`` are kept, so the file differs
        from the sample only where the code changed.
        """
        sample = self._load_sample(sample_file_name)
        shaped = copy.deepcopy(actual)
        shaped_data = shaped.get('payload', {}).get('nova_object.data', {})
        for field in replacements or {}:
            if field in shaped_data:
                shaped_data[field] = sample['payload']['nova_object.data'][
                    field]
        for key in ('message_id', 'timestamp'):
            if key in sample and key in shaped:
                shaped[key] = sample[key]
        with open(self.sample_path(sample_file_name)) as f:
            raw_sample = json.load(f)
        shaped = json_ref.keep_refs(shaped, raw_sample, SAMPLES_DIR)
        os.makedirs(ACTUAL_DIR, exist_ok=True)
        path = os.path.join(ACTUAL_DIR, sample_file_name)
        with open(path, 'w') as f:
            json.dump(shaped, f, indent=4)
            f.write('\n')
        return path

    def _verify_notification(self, sample_file_name, replacements=None,
                             actual=None):
        """Assert that ``actual`` matches the sample.

        :param replacements: payload fields whose value varies: the value to
            expect instead of the sample's, or ``ANY``.
        :param actual: the notification; by default the only one emitted.
        """
        if actual is None:
            notifications = self.notifier.versioned_notifications
            self.assertEqual(
                1, len(notifications),
                'Expected exactly one notification, got: %s'
                % [n['event_type'] for n in notifications])
            actual = notifications[0]
        expected = self._expected(sample_file_name, replacements, actual)
        problems = _check_envelope_formats(actual)
        if expected != actual or problems:
            expected_text = json.dumps(expected, indent=4, sort_keys=True)
            actual_text = json.dumps(actual, indent=4, sort_keys=True)
            diff = '\n'.join(difflib.unified_diff(
                expected_text.splitlines(), actual_text.splitlines(),
                fromfile='sample %s' % sample_file_name,
                tofile='emitted notification', lineterm=''))
            path = self._write_actual(
                sample_file_name, replacements, actual)
            self.fail('Notification does not match %s:\n%s\n%s\nThe emitted '
                      'notification was written to %s'
                      % (sample_file_name, '\n'.join(problems), diff, path))
        # NOTE: the published schema is a contract of its own: what the
        # real stack emits must match it, not only the sample.
        payload_schemas.validate_payload(actual['payload'])
