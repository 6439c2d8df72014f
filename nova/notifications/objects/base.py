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
objects; the payload's primitive is what consumers receive.

The classes are the contract (fingerprints, samples, schemas). On the
request path the same message is built without them: a payload class's
``primitive_from(**sources)`` reads, checks and converts each ``SCHEMA``
field with the field's own ``coerce`` and ``to_primitive``, as
``populate_schema`` then ``obj_to_primitive`` would, and
``NotificationBase.record`` writes it with the envelope.
"""

import datetime

from oslo_versionedobjects import exception as ovo_exception

from nova import exception
from nova.notifications import outbox
from nova.objects import base
from nova.objects import fields
from nova import rpc


def primitive_keys(object_class):
    """The name, namespace, version and data keys of its primitives."""
    return tuple('%s.%s' % (object_class.OBJ_SERIAL_NAMESPACE, key)
                 for key in ('name', 'namespace', 'version', 'data'))


class NotificationObject(base.NovaObject):
    """Base class for every notification related versioned object."""

    VERSION = '1.0'

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # NOTE: a consumer sees no nova_object.changes key: change tracking
        # of notification objects is meaningless on the wire.
        self.obj_reset_changes(recursive=False)

    @classmethod
    def _object_field_names(cls):
        names = cls.__dict__.get('_object_fields')
        if names is None:
            names = tuple(name for name, field in cls.fields.items()
                          if isinstance(field, fields.ObjectField))
            cls._object_fields = names
        return names

    def obj_what_changed(self):
        """Return the changed fields, looking into object fields only.

        The same answer as the base class, which also inspects every scalar
        field; this runs several times per emit, on every state change.
        """
        changes = set(self._changed_fields)
        for name in self._object_field_names():
            if self.obj_attr_is_set(name):
                value = getattr(self, name)
                if value is not None and value.obj_what_changed():
                    changes.add(name)
        return changes

    def obj_attr_is_set(self, attrname):
        """Whether ``attrname`` has a value; AttributeError if no field."""
        # NOTE: the base class rebuilds the list of field names on every
        # call, which serialization makes once per field.
        if attrname in self.fields:
            return hasattr(self, base.get_attrname(attrname))
        return super().obj_attr_is_set(attrname)

    def obj_reset_changes(self, fields=None, recursive=False):
        """Forget the changes of ``fields`` (all by default).

        As the base class does, but a recursive reset descends only into
        object fields, the only ones that can hold changes of their own.
        """
        if recursive:
            for name in self._object_field_names():
                if ((fields is None or name in fields) and
                        self.obj_attr_is_set(name)):
                    value = getattr(self, name)
                    if value is not None:
                        value.obj_reset_changes(recursive=True)
        super().obj_reset_changes(fields=fields, recursive=False)


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
        return self.wire_name(self.object, self.action, self.phase)

    @classmethod
    def wire_name(cls, object, action, phase=None):
        """The event type string of these parts, checked by the fields."""
        object = cls.fields['object'].coerce(cls, 'object', object)
        action = cls.fields['action'].coerce(cls, 'action', action)
        phase = cls.fields['phase'].coerce(cls, 'phase', phase)
        if phase:
            return '%s.%s.%s' % (object, action, phase)
        return '%s.%s' % (object, action)


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

    @classmethod
    def primitive_from(cls, target_version=None, **sources):
        """Return ``cls(); populate_schema(**sources); obj_to_primitive()``.

        The same dict, keys in the same order, and the same ValueError for a
        missing source or a bad value, built without the payload object
        (see ``PayloadPrimitiveBuilder``). Only for payloads whose fields
        all come from the ``SCHEMA``.
        """
        builder = cls.__dict__.get('_primitive_builder')
        if builder is None:
            builder = cls._primitive_builder = PayloadPrimitiveBuilder(cls)
        return builder.build(sources, target_version)


# NOTE: what a source object raises for a field it cannot load.
_UNLOADABLE = (NotImplementedError, ovo_exception.OrphanedObjectError,
               exception.NovaException)


class _FieldStep(object):
    """One payload field: where it comes from, checked and converted.

    It remembers its last value and result: a service's notifications
    mostly repeat its host, binary, uuid..., and a field's ``coerce`` and
    ``to_primitive`` give the same result for the same immutable value of
    the same type (oslo.versionedobjects' UUID check alone costs more than
    the rest of a field).
    """

    _IMMUTABLE = (str, int, bool, float, type(None), datetime.datetime)

    def __init__(self, payload_class, key, field, source, attr):
        self.payload_class = payload_class
        self.key = key
        self.field = field
        self.source = source
        self.attr = attr
        # NOTE: one tuple, replaced whole, so that threads never see the
        # value of one call with the result of another.
        self._memo = (_NOTHING, None)

    def value(self, sources):
        try:
            value = getattr(sources[self.source], self.attr)
        except _UNLOADABLE as error:
            value = self.payload_class._unloadable_value(
                self.key, sources[self.source], self.attr, error)
        last, result = self._memo
        if (last is not _NOTHING and type(value) is type(last) and
                value == last):
            return result
        result = self.field.to_primitive(
            self.payload_class, self.key,
            self.field.coerce(self.payload_class, self.key, value))
        if isinstance(value, self._IMMUTABLE):
            self._memo = (value, result)
        return result


_NOTHING = object()


class PayloadPrimitiveBuilder(object):
    """The primitive of one payload class, built straight from its sources.

    Made once per class from its ``fields`` and ``SCHEMA``. ``build`` reads
    each source attribute, checks it with the field's ``coerce`` and
    converts it with ``to_primitive``, in the class's field order, as
    oslo.versionedobjects does for a populated payload, but without making
    and walking the payload object: the request path's cost of a
    notification. A test checks the two agree for every registered payload
    at every published version.
    """

    def __init__(self, payload_class):
        not_in_schema = set(payload_class.fields) - set(payload_class.SCHEMA)
        if not_in_schema:
            raise TypeError(
                '%s has fields outside its SCHEMA (%s): build it as an '
                'object' % (payload_class.obj_name(),
                            ', '.join(sorted(not_in_schema))))
        self.payload_class = payload_class
        self._steps = [_FieldStep(payload_class, key, field,
                                  *payload_class.SCHEMA[key])
                       for key, field in payload_class.fields.items()]
        self._source_names = sorted({step.source for step in self._steps})
        self._name_key, self._namespace_key, self._version_key, \
            self._data_key = primitive_keys(payload_class)
        self._compat_payload = None

    def build(self, sources, target_version=None):
        payload_class = self.payload_class
        for name in self._source_names:
            if name not in sources:
                raise ValueError('populate_schema of %s needs the %r object'
                                 % (payload_class.obj_name(), name))
        data = {step.key: step.value(sources) for step in self._steps}
        version = target_version or payload_class.VERSION
        if version != payload_class.VERSION:
            if self._compat_payload is None:
                self._compat_payload = payload_class()
            self._compat_payload.obj_make_compatible(data, version)
        return {self._name_key: payload_class.obj_name(),
                self._namespace_key: payload_class.OBJ_PROJECT_NAMESPACE,
                self._version_key: version,
                self._data_key: data}


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
    def publisher_id_of_service(cls, service):
        """Return ``from_service_obj(service).to_publisher_id()``.

        Checked by the same fields, without making the object.

        :raises ValueError: if the service's binary publishes nothing.
        """
        source = fields.NotificationSource.get_source_by_binary(
            service.binary)
        return '%s:%s' % (
            cls.fields['source'].coerce(cls, 'source', source),
            cls.fields['host'].coerce(cls, 'host', service.host))

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

    @rpc.if_notifications_enabled
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
        self.payload.obj_reset_changes(recursive=True)
        self.record(context, self.publisher.to_publisher_id(),
                    self.event_type.to_notification_event_type_field(),
                    self.priority, type(self.payload),
                    self.payload.obj_to_primitive())

    @classmethod
    def record(cls, context, publisher_id, event_type, priority,
               payload_class, payload):
        """Record a notification of this class built from its parts.

        ``payload`` is the primitive of a ``payload_class`` payload
        (``primitive_from``). What ``emit`` records for the equivalent
        objects, so that the request path needs no notification object; it
        is recorded whatever the configuration says: callers check that
        notifications are on.
        """
        priority = cls.fields['priority'].coerce(cls, 'priority', priority)
        message = outbox.envelope(publisher_id, event_type, priority.upper(),
                                  payload)
        field = payload_class.SERVICE_UUID_FIELD
        data = payload[primitive_keys(payload_class)[3]]
        outbox.record(context, message, service_uuid=data.get(field)
                      if field else None)


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
