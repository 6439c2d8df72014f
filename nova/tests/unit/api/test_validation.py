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

"""Messages of the JSON schema validator."""

import jsonschema
import testtools

from nova.api.openstack import api_version_request as api_version
from nova.api.openstack.compute.schemas import services as schema
from nova.api.openstack import wsgi
from nova.api import validation
from nova.api.validation import validators
from nova import exception


class TestSchemaValidator(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.validator = validators.SchemaValidator(
            schema.service_update_v253)

    def _message(self, data):
        return self.assertRaises(exception.ValidationError,
                                 self.validator.validate, data).message

    def test_valid_bodies(self):
        for body in ({}, {'status': 'enabled'},
                     {'status': 'disabled', 'disabled_reason': 'x' * 255},
                     {'forced_down': True}, {'forced_down': 'yes'}):
            self.assertIsNone(self.validator.validate(body))

    def test_attribute_errors_name_the_attribute_and_value(self):
        self.assertEqual(
            "Invalid input for field/attribute status. Value: on. 'on' is "
            "not one of ['enabled', 'disabled']",
            self._message({'status': 'on'}))
        self.assertIn('Invalid input for field/attribute forced_down. '
                      'Value: 2.', self._message({'forced_down': 2}))

    def test_document_errors(self):
        self.assertEqual(
            "Additional properties are not allowed ('x' was unexpected)",
            self._message({'x': 1}))
        self.assertEqual("'a' is not of type 'object'", self._message('a'))

    def test_invalid_schema_is_refused_at_once(self):
        self.assertRaises(jsonschema.exceptions.SchemaError,
                          validators.SchemaValidator,
                          {'type': 'no-such-type'})


class TestSchemaDecorator(testtools.TestCase):
    """Each range of microversions validates with its own schema."""

    class Controller(object):

        @validation.schema({'type': 'object', 'required': ['old']},
                           '2.1', '2.10')
        @validation.schema({'type': 'object', 'required': ['new']}, '2.11')
        def update(self, req, id, body):
            return id, body

    def _update(self, version, body):
        req = wsgi.Request.blank('/')
        req.api_version_request = api_version.APIVersionRequest(version)
        return self.Controller().update(req, 'x', body=body)

    def test_the_schema_of_the_version_applies(self):
        self.assertEqual(('x', {'old': 1}), self._update('2.1', {'old': 1}))
        self.assertEqual(('x', {'old': 1}), self._update('2.10', {'old': 1}))
        self.assertEqual(('x', {'new': 1}), self._update('2.11', {'new': 1}))
        self.assertEqual(('x', {'new': 1}), self._update('2.53', {'new': 1}))

    def test_a_body_of_another_version_is_refused(self):
        error = self.assertRaises(exception.ValidationError, self._update,
                                  '2.11', {'old': 1})
        self.assertEqual("'new' is a required property", error.message)
        self.assertRaises(exception.ValidationError, self._update, '2.10',
                          {'new': 1})
