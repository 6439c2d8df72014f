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

"""The versioned notification framework.

A notification is a ``NotificationBase`` subclass with a ``payload`` field
whose type is a ``NotificationPayloadBase`` subclass. Both are versioned
objects; the payload's primitive is what consumers receive. They are built
and emitted one way, as in nova::

    payload = ServiceStatusPayload(service)
    ServiceStatusNotification(
        priority=fields.NotificationPriority.INFO,
        publisher=NotificationPublisher.from_service_obj(service),
        event_type=EventType(object='service', action=action),
        payload=payload).emit(context)
"""

from oslo_versionedobjects import exception as ovo_exception

from nova import exception
from nova.notifications import delivery
from nova.objects import base
from nova.objects import fields


class NotificationObject(base.NovaObject):
    """Base class for every notification related versioned object."""

    VERSION = '1.0'

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # NOTE: a consumer sees no nova_object.changes key: change tracking
        # of notification objects is meaningless on the wire.
        self.obj_reset_changes(recursive=False)


@base.NovaObjectRegistry.register_notification
class EventType(NotificationObject):
    """The ``event_type`` of a notification: ``object.action[.phase]``."""

    # Version 1.0: Initial version
    VERSION = '1.0'

    fields = {
        'object': fields.StringField(nullable=False),
        'action': fields.NotificationActionField(nullable=False),
        'phase': fields.NotificationPhaseField(nullable=True),
    }

    def __init__(self, object, action, phase=None):
        super().__init__()
        self.object = object
        self.action = action
        self.phase = phase

    def to_notification_event_type_field(self):
        """Return the event type string as it appears on the wire."""
        s = '%s.%s' % (self.object, self.action)
        if self.phase:
            s += '.%s' % self.phase
        return s


class NotificationPayloadBase(NotificationObject):
    """Base class for the payload of versioned notifications.

    ``SCHEMA`` maps a payload field to ``(parameter name, source field)``:
    ``populate_schema(**kwargs)`` copies ``kwargs[name].<source field>`` into
    the payload field. A payload with a ``SCHEMA`` must be populated before it
    can be emitted; fields outside the ``SCHEMA`` are set by the caller.
    """

    SCHEMA = {}

    # NOTE: the payload field naming the service a notification is about:
    # the notifications of one service reach consumers in the order their
    # changes committed.
    SERVICE_UUID_FIELD = None

    def __init__(self):
        super().__init__()
        self.populated = not self.SCHEMA

    def populate_schema(self, **kwargs):
        """Copy the ``SCHEMA`` fields from the objects passed by name.

        An unset source field is lazy-loaded by its object. When it cannot
        be loaded the payload field becomes None if it is nullable.

        :raises ValueError: if a source object is missing, or a field that
            is not nullable cannot be read from its source.
        """
        for key, (obj_name, field) in self.SCHEMA.items():
            try:
                source = kwargs[obj_name]
            except KeyError:
                raise ValueError('populate_schema of %s needs the %r object'
                                 % (self.obj_name(), obj_name))
            setattr(self, key, self._source_value(key, source, field))
        self.populated = True
        # NOTE: the payload is rebuilt from the source, so what changed on
        # the payload object itself is of no interest to anybody.
        self.obj_reset_changes(recursive=True)

    @classmethod
    def _source_value(cls, key, source, field):
        try:
            return getattr(source, field)
        except _UNLOADABLE as e:
            return cls._unloadable_value(key, source, field, e)

    @classmethod
    def _unloadable_value(cls, key, source, field, reason):
        if cls.fields[key].nullable:
            return None
        raise ValueError(
            'Cannot populate %(payload)s.%(key)s: %(source)s.%(field)s is '
            'not set and could not be loaded (%(reason)s)' %
            {'payload': cls.obj_name(), 'key': key,
             'source': source.obj_name(), 'field': field, 'reason': reason})


# NOTE: what a source object raises for a field it cannot load.
_UNLOADABLE = (NotImplementedError, ovo_exception.OrphanedObjectError,
               exception.NovaException)


@base.NovaObjectRegistry.register_notification
class NotificationPublisher(NotificationObject):
    """Who published a notification: ``<source>:<host>``."""

    # Version 1.0: Initial version
    VERSION = '1.0'

    fields = {
        'host': fields.StringField(nullable=False),
        'source': fields.NotificationSourceField(nullable=False),
    }

    def __init__(self, host, source):
        super().__init__()
        self.host = host
        self.source = source

    @classmethod
    def from_service_obj(cls, service):
        """Return the publisher of notifications about ``service``.

        :raises ValueError: if the service's binary publishes nothing.
        """
        source = fields.NotificationSource.get_source_by_binary(
            service.binary)
        return cls(host=service.host, source=source)

    def to_publisher_id(self):
        """Return the ``publisher_id`` of the oslo.messaging envelope."""
        return '%s:%s' % (self.source, self.host)


class NotificationBase(NotificationObject):
    """Base class for versioned notifications.

    Every subclass defines a ``payload`` field.
    """

    fields = {
        'priority': fields.NotificationPriorityField(),
        'event_type': fields.ObjectField('EventType'),
        'publisher': fields.ObjectField('NotificationPublisher'),
    }

    @delivery.if_enabled
    def emit(self, context):
        """Record the notification in the outbox, for relays to publish.

        Inside the caller's writer transaction it is recorded in that
        transaction: it is published once the transaction commits, and
        never if it rolls back. The message is the payload's primitive
        without change tracking, under ``publisher_id`` = ``<source>:<host>``
        and the priority in upper case, as oslo.messaging's ``Notifier``
        writes it.

        :raises ValueError: if the payload was not populated.
        """
        if not self.payload.populated:
            raise ValueError('Payload of %s is not populated; call '
                             'populate_schema first' % self.obj_name())
        # NOTE: the payload is a newly populated object, every field of
        # which looks changed: that tells a consumer nothing.
        self.payload.obj_reset_changes(recursive=True)
        field = self.payload.SERVICE_UUID_FIELD
        delivery.record(
            context,
            delivery.envelope.new(
                self.publisher.to_publisher_id(),
                self.event_type.to_notification_event_type_field(),
                self.priority.upper(), self.payload.obj_to_primitive()),
            service_uuid=getattr(self.payload, field) if field else None)


def notification_sample(sample):
    """Name the sample file of a notification class.

    The file lives in ``doc/notification_samples/``; tests and the docs
    check that every notification class has one and that they match.
    """
    def wrap(cls):
        # NOTE: a subclass gets a list of its own, never its parent's.
        cls.samples = list(cls.__dict__.get('samples', ())) + [sample]
        return cls
    return wrap
