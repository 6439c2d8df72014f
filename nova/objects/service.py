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

"""The Service object: the record of a nova service running on a host."""

from oslo_utils import uuidutils

from nova.db.main import api as db
from nova import exception
from nova.notifications.objects import base as notification
from nova.notifications.objects import service as service_notification
from nova.objects import base
from nova.objects import fields

# NOTE: the version of the service code, stored in each record so that a
# deployment can tell old services from new ones during an upgrade. Bump it
# when a service starts behaving differently.
# Version 1: Service records with uuid and lifecycle notifications
SERVICE_VERSION = 1


def default_topic(binary):
    """The topic of a service that names none: ``nova-compute`` -> compute."""
    return binary.rpartition('nova-')[2]


# NOTE: the fields whose changes service.update tells of.
_STATUS_FIELDS = frozenset(['disabled', 'disabled_reason', 'forced_down'])

# NOTE: availability_zone comes from host aggregates, never from this row.
_NOT_STORED = frozenset(['availability_zone'])


@base.NovaObjectRegistry.register
class Service(base.NovaPersistentObject, base.NovaObject,
              base.NovaObjectDictCompat):
    # Version 1.0: Initial version
    VERSION = '1.0'

    fields = {
        'id': fields.IntegerField(read_only=True),
        'uuid': fields.StrictUUIDField(),
        'host': fields.StringField(nullable=True),
        'binary': fields.StringField(nullable=True),
        'topic': fields.StringField(nullable=True),
        'report_count': fields.IntegerField(),
        'disabled': fields.StrictBooleanField(),
        'disabled_reason': fields.StringField(nullable=True),
        'availability_zone': fields.StringField(nullable=True),
        'last_seen_up': fields.DateTimeField(nullable=True),
        'forced_down': fields.StrictBooleanField(),
        'version': fields.IntegerField(),
    }

    def __init__(self, *args, **kwargs):
        # NOTE: a new record always declares the code version it runs, as
        # upstream's: a version given here would be silently replaced, so
        # it is refused.
        if 'version' in kwargs:
            raise exception.ObjectActionError(
                action='init', reason='Version field is immutable')
        super().__init__(*args, **kwargs)
        self.version = SERVICE_VERSION

    @staticmethod
    def _from_db_object(context, service, db_service):
        for key in service.fields:
            if key in _NOT_STORED:
                continue
            setattr(service, key, db_service[key])
        service._context = context
        service.obj_reset_changes()
        return service

    def obj_load_attr(self, attrname):
        # NOTE: nothing is lazy-loadable: every stored field arrives with the
        # row, and the zone is not stored.
        raise exception.ObjectActionError(
            action='obj_load_attr',
            reason='attribute %s is not lazy-loadable' % attrname)

    @classmethod
    def get_by_id(cls, context, service_id):
        return cls._from_db_object(context, cls(),
                                   db.service_get(context, service_id))

    @classmethod
    def get_by_uuid(cls, context, service_uuid):
        return cls._from_db_object(
            context, cls(), db.service_get_by_uuid(context, service_uuid))

    @classmethod
    def get_by_host_and_binary(cls, context, host, binary):
        """Return the live service, or None when there is none."""
        try:
            db_service = db.service_get_by_host_and_binary(context, host,
                                                           binary)
        except exception.HostBinaryNotFound:
            return None
        return cls._from_db_object(context, cls(), db_service)

    @classmethod
    def register(cls, context, host, binary, topic):
        """Return the live record of ``binary`` on ``host``, and if it is new.

        The first start creates it (emitting ``service.create``); a restart
        brings its code version up to date without notifying anybody. When
        another process created it meanwhile, that record is returned.
        """
        service = cls.get_by_host_and_binary(context, host, binary)
        if service is None:
            service = cls(context, host=host, binary=binary, topic=topic,
                          report_count=0)
            try:
                service.create()
                return service, True
            except exception.ServiceExists:
                service = cls.get_by_host_and_binary(context, host, binary)
                if service is None:
                    raise
        if service.version != SERVICE_VERSION:
            service.version = SERVICE_VERSION
            service.save()
        return service, False

    def _stored_changes(self, action):
        updates = self.obj_get_changes()
        not_stored = _NOT_STORED.intersection(updates)
        if not_stored:
            raise exception.ObjectActionError(
                action=action,
                reason='%s cannot be stored' % ', '.join(sorted(not_stored)))
        return updates

    def create(self):
        """Insert the record and emit ``service.create``.

        A uuid is generated when none is set. The notification is recorded
        in the transaction that inserts the row.

        :raises: ObjectActionError if already created; ServiceBinaryExists
            or ServiceTopicExists for a duplicate (nothing is written and
            nothing is emitted).
        """
        if self.obj_attr_is_set('id'):
            raise exception.ObjectActionError(action='create',
                                              reason='already created')
        updates = self._stored_changes('create')
        if 'uuid' not in updates:
            updates['uuid'] = uuidutils.generate_uuid()
        self._create_in_db(self._context, self, updates)

    @staticmethod
    @db.pick_context_manager_writer
    def _create_in_db(context, service, updates):
        db_service = db.service_create(context, updates)
        Service._from_db_object(context, service, db_service)
        service._send_notification(fields.NotificationAction.CREATE)

    def save(self):
        """Store the changes; emit ``service.update`` for status changes.

        Only ``disabled``, ``disabled_reason`` and ``forced_down`` trigger a
        notification, even when set to the value they had. It is recorded
        in the transaction that updates the row, which it reads locked, and
        carries the row as committed.

        :raises: ServiceNotFound if the record is gone (nothing is emitted).
        """
        updates = self._stored_changes('save')
        updates.pop('id', None)
        if not updates:
            return
        if 'uuid' in updates:
            raise exception.ObjectActionError(action='save',
                                              reason='uuid is immutable')
        self._save_in_db(self._context, self, updates)

    @staticmethod
    @db.pick_context_manager_writer
    def _save_in_db(context, service, updates):
        db_service = db.service_update(context, service.id, updates)
        Service._from_db_object(context, service, db_service)
        service._send_status_update_notification(updates)

    def destroy(self):
        """Soft-delete the record and emit ``service.delete``.

        The notification carries the service as it was in the database
        when it was deleted, recorded in the transaction of the delete.

        :raises: ServiceNotFound if the record is already gone.
        """
        self._destroy_in_db(self._context, self)

    @staticmethod
    @db.pick_context_manager_writer
    def _destroy_in_db(context, service):
        db_service = db.service_destroy(context, service.id)
        Service._from_db_object(context, service, db_service)
        service._send_notification(fields.NotificationAction.DELETE)

    def _send_status_update_notification(self, updates):
        # NOTE: only these changes are news for consumers; heartbeats
        # (report_count, last_seen_up) and version updates are not.
        if _STATUS_FIELDS.intersection(updates):
            self._send_notification(fields.NotificationAction.UPDATE)

    def _send_notification(self, action):
        """Emit ``service.<action>`` about the service as it is now.

        It is recorded in the caller's transaction, after the service's
        row, whose lock orders the notifications of one service on every
        database. A notification that cannot be built fails the change,
        which then rolls back.
        """
        try:
            payload = service_notification.ServiceStatusPayload(self)
            service_notification.ServiceStatusNotification(
                publisher=notification.NotificationPublisher.from_service_obj(
                    self),
                event_type=notification.EventType(
                    object='service', action=action),
                priority=fields.NotificationPriority.INFO,
                payload=payload).emit(self._context)
        except ValueError as error:
            raise exception.ObjectActionError(action=action,
                                              reason=str(error))


@base.NovaObjectRegistry.register
class ServiceList(base.ObjectListBase, base.NovaObject):
    # Version 1.0: Initial version
    VERSION = '1.0'

    fields = {
        'objects': fields.ListOfObjectsField('Service'),
    }

    #: the fields of the rows of ``get_all_rows``, in order.
    ROW_FIELDS = db.SERVICE_ROW_COLUMNS

    @staticmethod
    def get_all_rows(context, host=None, binary=None):
        """Return the live services as read-only rows, ordered by id.

        For listings of many services: no Service object per row, the
        database's column types as they are (Integer, Boolean, DateTime,
        String). A row is a tuple of ``ROW_FIELDS``, named as the Service
        fields.
        """
        return db.service_get_all_rows(context, host=host, binary=binary)

    @classmethod
    def get_all(cls, context, host=None, binary=None, disabled=None):
        """Return the live services matching every filter that is not None."""
        db_services = db.service_get_all(context, host=host, binary=binary,
                                         disabled=disabled)
        return cls(context, objects=[
            Service._from_db_object(context, Service(), db_service)
            for db_service in db_services])
