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

"""nova's base classes and registry for versioned objects."""

from oslo_utils import versionutils
from oslo_versionedobjects import base as ovoo_base

from nova.objects import fields


def get_attrname(name):
    """Return the attribute that holds the value of field ``name``.

    oslo.versionedobjects keeps a field's value in ``_obj_<name>``; its own
    helper for this is private, so nova keeps this one, as upstream nova
    does.
    """
    return '_obj_' + name


class NovaObjectRegistry(ovoo_base.VersionedObjectRegistry):
    """The registry of nova's internal objects.

    Notification objects are recorded apart in ``notification_classes``: a
    consumer-facing payload must never be resolvable as an internal object.
    """

    notification_classes = []

    def registration_hook(self, cls, index):
        # NOTE: expose the newest version of every registered class as
        # nova.objects.<Name>, the way nova code refers to objects.
        from nova import objects
        version = versionutils.convert_version_to_tuple(cls.VERSION)
        current = getattr(objects, cls.obj_name(), None)
        if current is None or version >= versionutils.convert_version_to_tuple(
                current.VERSION):
            setattr(objects, cls.obj_name(), cls)

    @classmethod
    def register_notification(cls, notification_cls):
        """Make a notification class usable without registering it.

        Use it on every concrete notification and payload class, not on
        classes meant only to be inherited from.
        """
        cls.register_if(False)(notification_cls)
        cls.notification_classes.append(notification_cls)
        return notification_cls

    @classmethod
    def register_notification_objects(cls):
        """Register the notification classes as ordinary objects.

        Only for tests and document generation, which need to look them up
        by name (for example to compute fingerprints).
        """
        for notification_cls in cls.notification_classes:
            cls.register(notification_cls)


class NovaObject(ovoo_base.VersionedObject):
    """The base of every nova object.

    The serialized form uses the ``nova_object.`` prefix and the ``nova``
    namespace, which is what consumers of nova's notifications parse.
    """

    OBJ_SERIAL_NAMESPACE = 'nova_object'
    OBJ_PROJECT_NAMESPACE = 'nova'


# NOTE: item access (service['host']), which upstream nova's objects offer
# and code written against nova uses.
NovaObjectDictCompat = ovoo_base.VersionedObjectDictCompat


class NovaPersistentObject(object):
    """Mixin of the bookkeeping columns of a soft-deleted database row."""

    fields = {
        'created_at': fields.DateTimeField(nullable=True),
        'updated_at': fields.DateTimeField(nullable=True),
        'deleted_at': fields.DateTimeField(nullable=True),
        'deleted': fields.BooleanField(default=False),
    }


class ObjectListBase(ovoo_base.ObjectListBase):
    """The base of nova's list objects."""
