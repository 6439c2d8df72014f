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

"""Field types of nova's objects, including the notification enums."""

from oslo_utils import uuidutils
from oslo_versionedobjects import fields

# NOTE: re-exported so that nova code imports its field types from one place.
BooleanField = fields.BooleanField
DateTimeField = fields.DateTimeField
IntegerField = fields.IntegerField
ListOfObjectsField = fields.ListOfObjectsField
ObjectField = fields.ObjectField
StringField = fields.StringField
UUIDField = fields.UUIDField
Enum = fields.Enum
BaseEnumField = fields.BaseEnumField


class StrictBoolean(fields.Boolean):
    """A boolean that accepts only True or False.

    oslo.versionedobjects' Boolean takes the truth value of anything, so
    ``'maybe'`` or ``'false'`` would silently become True.
    """

    def coerce(self, obj, attr, value):
        if not isinstance(value, bool):
            raise ValueError('%s must be a boolean, not %r' % (attr, value))
        return value


class StrictUUID(fields.UUID):
    """A uuid string; anything else is refused.

    oslo.versionedobjects' UUID only warns about a malformed value and
    keeps it.
    """

    def coerce(self, obj, attr, value):
        if not uuidutils.is_uuid_like(value):
            raise ValueError('%s must be a uuid, not %r' % (attr, value))
        return str(value)


class StrictBooleanField(fields.AutoTypedField):
    AUTO_TYPE = StrictBoolean()


class StrictUUIDField(fields.AutoTypedField):
    AUTO_TYPE = StrictUUID()


class BaseNovaEnum(Enum):
    """An enum whose valid values are the class's ``ALL`` tuple."""

    def __init__(self, **kwargs):
        super().__init__(valid_values=self.__class__.ALL, **kwargs)


class NotificationPriority(BaseNovaEnum):
    AUDIT = 'audit'
    CRITICAL = 'critical'
    DEBUG = 'debug'
    INFO = 'info'
    ERROR = 'error'
    SAMPLE = 'sample'
    WARN = 'warn'

    ALL = (AUDIT, CRITICAL, DEBUG, INFO, ERROR, SAMPLE, WARN)


class NotificationPhase(BaseNovaEnum):
    START = 'start'
    END = 'end'
    ERROR = 'error'
    PROGRESS = 'progress'

    ALL = (START, END, ERROR, PROGRESS)


class NotificationAction(BaseNovaEnum):
    CREATE = 'create'
    DELETE = 'delete'
    UPDATE = 'update'

    ALL = (CREATE, DELETE, UPDATE)


class NotificationSource(BaseNovaEnum):
    """The nova services that publish notifications, by publisher name."""

    API = 'nova-api'
    METADATA = 'nova-metadata'
    COMPUTE = 'nova-compute'
    CONDUCTOR = 'nova-conductor'
    SCHEDULER = 'nova-scheduler'
    NOVNCPROXY = 'nova-novncproxy'
    SERIALPROXY = 'nova-serialproxy'
    SPICEHTML5PROXY = 'nova-spicehtml5proxy'

    ALL = (API, METADATA, COMPUTE, CONDUCTOR, SCHEDULER, NOVNCPROXY,
           SERIALPROXY, SPICEHTML5PROXY)

    # NOTE: the compute API's service record is named after its WSGI
    # application, but it publishes as nova-api, as upstream nova does.
    _SOURCE_BY_BINARY = {
        'nova-osapi_compute': API,
    }

    @classmethod
    def get_source_by_binary(cls, binary):
        """Return the publisher source for a service binary.

        :raises ValueError: if the binary publishes no notifications.
        """
        source = cls._SOURCE_BY_BINARY.get(binary, binary)
        if source not in cls.ALL:
            raise ValueError('%r is not the binary of a nova service that '
                             'publishes notifications' % binary)
        return source


class NotificationPriorityField(BaseEnumField):
    AUTO_TYPE = NotificationPriority()


class NotificationPhaseField(BaseEnumField):
    AUTO_TYPE = NotificationPhase()


class NotificationActionField(BaseEnumField):
    AUTO_TYPE = NotificationAction()


class NotificationSourceField(BaseEnumField):
    AUTO_TYPE = NotificationSource()
