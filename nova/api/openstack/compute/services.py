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

"""The os-services resource: list, update and delete service records.

From microversion 2.53 on a service is identified by its uuid, and one
``PUT /os-services/{service_id}`` changes its status and forced_down state
with one ``Service.save()``, hence at most one ``service.update``
notification. Below 2.53 the listing shows integer ids, a service is deleted
by integer id and changed by the actions ``PUT /os-services/enable``,
``/disable``, ``/disable-log-reason`` and (2.11+) ``/force-down``, naming it
by ``host`` and ``binary`` in the body: each is one ``Service.save()`` too,
with the same notification.
"""

import datetime
import functools
import re
import uuid as uuid_lib

from oslo_utils import strutils
from oslo_utils import timeutils
from oslo_utils import uuidutils
import webob.exc

from nova.api.openstack import api_version_request as api_version
from nova.api.openstack.compute.schemas import services as schema
from nova.api.openstack import wsgi
from nova.api import validation
import nova.conf
from nova import exception
from nova.i18n import _
from nova import objects
from nova.policies import services as services_policies
from nova import policy

CONF = nova.conf.CONF

FORCED_DOWN_MIN_VERSION = '2.11'
UUID_FOR_ID_MIN_VERSION = '2.53'

COMPUTE_BINARY = 'nova-compute'
# NOTE: API services report no heartbeat when run by a WSGI server, so they
# would always show "down"; nova leaves them out of the listing.
_API_BINARIES = frozenset(['nova-osapi_compute', 'nova-metadata'])

# NOTE: the largest id the services.id column holds; a larger one cannot
# name a service (and SQLite would refuse to compare with it).
_MAX_SERVICE_ID = 2 ** 31 - 1

_INTEGER_ID_RE = re.compile(r'^[0-9]+$')


def _format_time(value):
    """Write a time as oslo.serialization's jsonutils does, UTC, naive.

    ``2012-10-29T13:42:02.000000``: its PERFECT_TIME_FORMAT, written here
    with ``isoformat``, which costs a third of ``strftime`` per service.
    """
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.replace(tzinfo=None)
    return value.isoformat(timespec='microseconds')


class ServiceView(object):
    """How one request shows services, decided once for all of them.

    The microversion's choices, the zones and the heartbeat window are
    read when the view is made; ``detail`` then only reads the service (a
    ``Service`` or a row of ``ServiceList.get_all_rows``), so that listing
    10,000 services costs 10,000 dicts, not 10,000 version checks.
    """

    def __init__(self, req=None, now=None):
        self.uuid_for_id = req is not None and api_version.is_supported(
            req, min_version=UUID_FOR_ID_MIN_VERSION)
        self.with_forced_down = req is not None and api_version.is_supported(
            req, min_version=FORCED_DOWN_MIN_VERSION)
        self.compute_zone = CONF.default_availability_zone
        self.internal_zone = CONF.internal_service_availability_zone
        now = now or timeutils.utcnow()
        window = datetime.timedelta(seconds=CONF.service_down_time)
        self._earliest, self._latest = now - window, now + window

    def is_up(self, service):
        """Whether the service reported a heartbeat within service_down_time.

        A service forced down is down. Without any heartbeat yet, its
        creation counts as one; API changes (which move ``updated_at``) do
        not.
        """
        return self.detail(service)['state'] == 'up'

    def zone(self, service):
        """The zone shown for the service: only computes are in a user zone."""
        return self.detail(service)['zone']

    def detail(self, service):
        """The service (a ``Service`` or a row) as the API shows it."""
        return self.details([tuple(getattr(service, field) for field
                                   in objects.ServiceList.ROW_FIELDS)])[0]

    def details(self, rows):
        """``detail`` of each row of ``ServiceList.get_all_rows``, in order.

        One loop with everything it needs at hand, reading each row as the
        tuple it is: the listing of 10,000 services runs it 10,000 times.
        """
        uuid_for_id = self.uuid_for_id
        with_forced_down = self.with_forced_down
        compute_zone, internal_zone = self.compute_zone, self.internal_zone
        earliest, latest = self._earliest, self._latest
        shown = []
        for (service_id, uuid, host, binary, _topic, disabled,
             disabled_reason, forced_down, created_at, updated_at,
             last_seen_up) in rows:
            heartbeat = last_seen_up or created_at
            if heartbeat is not None and heartbeat.tzinfo is not None:
                heartbeat = heartbeat.replace(tzinfo=None)
            up = (not forced_down and heartbeat is not None and
                  earliest <= heartbeat <= latest)
            detail = {
                'binary': binary,
                'host': host,
                'id': uuid if uuid_for_id else service_id,
                'zone': (compute_zone if binary == COMPUTE_BINARY
                         else internal_zone),
                'status': 'disabled' if disabled else 'enabled',
                'state': 'up' if up else 'down',
                'updated_at': _format_time(updated_at),
                'disabled_reason': disabled_reason,
            }
            if with_forced_down:
                detail['forced_down'] = forced_down
            shown.append(detail)
        return shown


def service_is_up(service):
    """Whether the service reported a heartbeat within service_down_time."""
    return ServiceView().is_up(service)


def availability_zone(service):
    """The zone shown for the service: only computes are in a user zone."""
    return ServiceView().zone(service)


def _bad_request(message):
    return webob.exc.HTTPBadRequest(explanation=message)


def _service_uuid(value):
    """Return a service uuid in canonical form (lower case, hyphens).

    Any spelling ``uuid.UUID`` reads is accepted, as nova-manage does.
    """
    if not uuidutils.is_uuid_like(value):
        raise _bad_request(_('Invalid uuid %s') % value)
    return str(uuid_lib.UUID(value))


def _uuid_in_path(func):
    """From 2.53 on, the path's id is a service uuid, in canonical form.

    NOTE: checked before the body, so that a legacy action sent at 2.53
    (``PUT /os-services/disable``) is told that it names no service rather
    than what its body lacks.
    """
    @functools.wraps(func)
    def wrapper(self, req, id, **kwargs):
        if api_version.is_supported(req, min_version=UUID_FOR_ID_MIN_VERSION):
            id = _service_uuid(id)
        return func(self, req, id, **kwargs)
    return wrapper


def _not_found(service_id):
    return webob.exc.HTTPNotFound(
        explanation=_('Service %s not found.') % service_id)


class ServiceController(wsgi.Controller):
    """The actions of ``/os-services``."""

    def __init__(self):
        super().__init__()
        self.actions = {'enable': self._enable,
                        'disable': self._disable,
                        'disable-log-reason': self._disable_log_reason}

    @wsgi.expected_errors(())
    def index(self, req):
        """List the services, filtered by ``host`` and ``binary``."""
        context = req.environ['nova.context']
        policy.authorize(context, services_policies.BASE_POLICY_NAME % 'list',
                         target={})
        # NOTE: as nova, an empty filter filters nothing, the last of
        # repeated parameters wins and other parameters are ignored.
        host = req.GET.get('host') or None
        binary = req.GET.get('binary') or None
        rows = objects.ServiceList.get_all_rows(context, host=host,
                                                binary=binary)
        return {'services': ServiceView(req).details(
            row for row in rows if row.binary not in _API_BINARIES)}

    @wsgi.expected_errors((400, 404))
    @_uuid_in_path
    @validation.schema(schema.service_update, '2.1', '2.10')
    @validation.schema(schema.service_update_v211, '2.11', '2.52')
    @validation.schema(schema.service_update_v253, UUID_FOR_ID_MIN_VERSION)
    def update(self, req, id, body):
        """Perform service update.

        Before microversion 2.53 the path names an action (``enable``,
        ``disable``, ``disable-log-reason``, from 2.11 ``force-down``) and
        the body the service, by host and binary. From 2.53 on the path
        names the service by uuid and the body what changes. Either way the
        change is one ``Service.save()``.
        """
        context = req.environ['nova.context']
        policy.authorize(context,
                         services_policies.BASE_POLICY_NAME % 'update',
                         target={})
        if api_version.is_supported(req, min_version=UUID_FOR_ID_MIN_VERSION):
            return self._update_v253(req, context, id, body)
        return self._update_v21(req, context, id, body)

    def _update_v21(self, req, context, id, body):
        if api_version.is_supported(req, min_version=FORCED_DOWN_MIN_VERSION):
            actions = dict(self.actions, **{'force-down': self._forced_down})
        else:
            actions = self.actions
        try:
            action = actions[id]
        except KeyError:
            raise webob.exc.HTTPNotFound(explanation=_('Unknown action'))
        return action(context, body)

    def _enable(self, context, body):
        return self._enable_disable(context, body, 'enabled',
                                    {'disabled': False,
                                     'disabled_reason': None})

    def _disable(self, context, body, reason=None):
        return self._enable_disable(context, body, 'disabled',
                                    {'disabled': True,
                                     'disabled_reason': reason})

    def _disable_log_reason(self, context, body):
        try:
            reason = body['disabled_reason']
        except KeyError:
            raise _bad_request(_('Missing disabled reason field'))
        return self._disable(context, body, reason)

    def _enable_disable(self, context, body, status, changes):
        """The response shows what was asked, as nova's does."""
        result = {'host': body['host'], 'binary': body['binary']}
        if changes['disabled_reason'] is not None:
            result['disabled_reason'] = changes['disabled_reason']
        result['status'] = status
        self._update(context, body['host'], body['binary'], changes)
        return {'service': result}

    def _forced_down(self, context, body):
        try:
            forced_down = strutils.bool_from_string(body['forced_down'],
                                                    strict=True)
        except KeyError:
            raise _bad_request(_('Missing forced_down field'))
        self._update(context, body['host'], body['binary'],
                     {'forced_down': forced_down})
        return {'service': {'host': body['host'], 'binary': body['binary'],
                            'forced_down': forced_down}}

    @staticmethod
    def _update(context, host, binary, changes):
        _check_updatable(binary)
        service = objects.Service.get_by_host_and_binary(context, host,
                                                         binary)
        if service is None:
            error = exception.HostBinaryNotFound(host=host, binary=binary)
            raise webob.exc.HTTPNotFound(explanation=error.format_message())
        for field, value in changes.items():
            setattr(service, field, value)
        _save(service, '%s/%s' % (host, binary))

    def _update_v253(self, req, context, service_id, body):
        status = body.get('status')
        reason = body.get('disabled_reason')
        forced_down = body.get('forced_down')
        if status is None and forced_down is None:
            raise _bad_request(_("No updates were requested. Fields "
                                 "'status' or 'forced_down' should be "
                                 "specified."))
        if reason is not None and status != 'disabled':
            raise _bad_request(_("Specifying 'disabled_reason' is only "
                                 "valid with status 'disabled'."))
        service = self._get_by_uuid(context, service_id)
        _check_updatable(service.binary)
        if status == 'enabled':
            service.disabled = False
            service.disabled_reason = None
        elif status == 'disabled':
            service.disabled = True
            service.disabled_reason = reason
        if forced_down is not None:
            service.forced_down = strutils.bool_from_string(
                forced_down, strict=True)
        _save(service, service_id)
        return {'service': ServiceView(req).detail(service)}

    @wsgi.response(204)
    @wsgi.expected_errors((400, 404))
    @_uuid_in_path
    def delete(self, req, id):
        """Soft-delete a service: by uuid from 2.53 on, else by integer id."""
        context = req.environ['nova.context']
        policy.authorize(context,
                         services_policies.BASE_POLICY_NAME % 'delete',
                         target={})
        if api_version.is_supported(req, min_version=UUID_FOR_ID_MIN_VERSION):
            service = self._get_by_uuid(context, id)
        else:
            service = self._get_by_integer_id(context, id)
        try:
            service.destroy()
        except exception.ServiceNotFound:
            raise _not_found(id)

    @staticmethod
    def _get_by_uuid(context, service_uuid):
        try:
            return objects.Service.get_by_uuid(context, service_uuid)
        except exception.ServiceNotFound:
            raise _not_found(service_uuid)

    @staticmethod
    def _get_by_integer_id(context, id):
        if not _INTEGER_ID_RE.match(id):
            raise _bad_request(
                _('Invalid input for field/attribute id. Value: %(id)s. id '
                  'must be an integer below microversion %(version)s; from '
                  '%(version)s on services are identified by uuid.') %
                {'id': id, 'version': UUID_FOR_ID_MIN_VERSION})
        service_id = int(id)
        if not 0 <= service_id <= _MAX_SERVICE_ID:
            raise _not_found(id)
        try:
            return objects.Service.get_by_id(context, service_id)
        except exception.ServiceNotFound:
            raise _not_found(id)


def _check_updatable(binary):
    if binary != COMPUTE_BINARY:
        raise _bad_request(
            _('Updating a %(binary)s service is not supported. Only '
              'nova-compute services can be updated.') % {'binary': binary})


def _save(service, name):
    try:
        service.save()
    except exception.ServiceNotFound:
        raise _not_found(name)
