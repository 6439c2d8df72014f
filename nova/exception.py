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

"""nova's named exceptions.

Each exception carries an HTTP-like ``code`` and a message built from the
``msg_fmt`` of its class and the keyword arguments it was raised with.
"""


class NovaException(Exception):
    msg_fmt = 'An unknown exception occurred.'
    code = 500

    def __init__(self, message=None, **kwargs):
        self.kwargs = kwargs
        if not message:
            message = self.msg_fmt % kwargs
        self.message = message
        super().__init__(message)

    def format_message(self):
        return self.message


class Invalid(NovaException):
    msg_fmt = 'Bad input: %(reason)s'
    code = 400


class NotFound(NovaException):
    msg_fmt = 'Resource could not be found.'
    code = 404


class Conflict(NovaException):
    msg_fmt = 'Conflict: %(reason)s'
    code = 409


class ObjectActionError(NovaException):
    msg_fmt = 'Object action %(action)s failed because: %(reason)s'
    code = 409


class ServiceNotFound(NotFound):
    msg_fmt = 'Service %(service_id)s could not be found.'


class HostBinaryNotFound(ServiceNotFound):
    msg_fmt = 'Could not find binary %(binary)s on host %(host)s.'


class ServiceExists(Conflict):
    msg_fmt = 'Service already exists.'


class ServiceBinaryExists(ServiceExists):
    msg_fmt = 'Service with host %(host)s binary %(binary)s exists.'


class ServiceTopicExists(ServiceExists):
    msg_fmt = 'Service with host %(host)s topic %(topic)s exists.'


class ServiceUUIDExists(ServiceExists):
    msg_fmt = 'Service with uuid %(uuid)s exists.'


class DatabaseNotMigrated(NovaException):
    msg_fmt = ('The database at %(connection)s has no schema; run '
               '"nova-manage db sync" first.')


class DatabaseUnavailable(NovaException):
    msg_fmt = 'The database is unavailable: %(reason)s.'
    code = 503


class Forbidden(NovaException):
    msg_fmt = 'Forbidden'
    code = 403


class PolicyNotAuthorized(Forbidden):
    msg_fmt = "Policy doesn't allow %(action)s to be performed."


class ValidationError(Invalid):
    msg_fmt = '%(detail)s'


class InvalidAPIVersionString(Invalid):
    msg_fmt = ('API Version String %(version)s is of invalid format. Must '
               'be of format MajorNum.MinorNum.')


class InvalidGlobalAPIVersion(Invalid):
    msg_fmt = ('Version %(req_ver)s is not supported by the API. Minimum '
               'is %(min_ver)s and maximum is %(max_ver)s.')


class NotificationDriverNotFound(NovaException):
    msg_fmt = ('Unknown notification driver %(names)s in '
               '[oslo_messaging_notifications] driver; the known drivers '
               'are: %(known)s.')


class InvalidNotificationTransport(NovaException):
    msg_fmt = ('Invalid notification transport URL %(url)s: %(reason)s')


class NotificationsDisabled(NovaException):
    msg_fmt = ('versioned notifications are turned off ([notifications] '
               'notification_format, [oslo_messaging_notifications] '
               'driver): there is nothing to relay')


class PolicyFileInvalid(Forbidden):
    msg_fmt = ('The policy file %(path)s is invalid (%(reason)s): nothing is '
               'allowed until an operator fixes it.')


class InvalidConfiguration(NovaException):
    msg_fmt = 'Invalid configuration: %(reason)s'
