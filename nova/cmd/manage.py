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

"""nova-manage: the operator's command line for nova's database and for the
records of nova services.

::

    nova-manage [--config-file PATH] db sync
    nova-manage db version
    nova-manage service list [--host HOST] [--binary BINARY] [--format json]
    nova-manage service show UUID [--format json]
    nova-manage service create --host HOST --binary BINARY [--topic TOPIC]
    nova-manage service disable UUID [--reason REASON]
    nova-manage service enable UUID
    nova-manage service force-down UUID
    nova-manage service unforce-down UUID
    nova-manage service delete UUID
    nova-manage notifications status [--format json]
    nova-manage notifications purge [--before DATE]

Every command that changes a service makes exactly one ``Service.create()``,
``save()`` or ``destroy()``, so it emits exactly the versioned notification
the object layer emits for that change. Before exiting, nova-manage publishes
the notifications it recorded, for at most ``[notifications]
relay_flush_timeout`` seconds; what the message bus does not take then waits
in the outbox for a running relay.

Exit codes: 0 success; 1 the command could not be done (unknown service,
conflict, database not migrated or unreachable); 2 bad usage. Errors go to
stderr, and the logs too, so that stdout carries only the command's output.
"""

import argparse
import datetime
import json
import sys
import uuid as uuid_lib

from oslo_config import cfg
from oslo_config import types
from oslo_db import options as oslo_db_options
from oslo_log import log as logging
from oslo_utils import timeutils
from oslo_utils import uuidutils
import prettytable

from nova.cmd import common
import nova.conf
from nova import config
from nova import context as nova_context
from nova.db.main import api as db
from nova.db import migration
from nova import exception
from nova.notifications import delivery
from nova.notifications.delivery import relay as relay_mod
from nova import objects
from nova.objects import fields
from nova.objects import service as service_obj

CONF = nova.conf.CONF
LOG = logging.getLogger(__name__)

SUCCESS = common.SUCCESS
FAILURE = common.FAILURE
USAGE_ERROR = common.USAGE_ERROR

# NOTE: the width of the string columns of the services table.
MAX_COLUMN_LENGTH = 255

_KWARG_PREFIX = 'action_kwarg_'


def _known_binaries():
    candidates = set(fields.NotificationSource.ALL) | {'nova-osapi_compute'}
    sources = {binary: fields.NotificationSource.get_source_by_binary(binary)
               for binary in candidates}
    # NOTE: a source that publishes for another binary (nova-api for
    # nova-osapi_compute) is a publisher name, never a record's binary.
    publisher_only = {source for binary, source in sources.items()
                      if source != binary}
    return tuple(sorted(candidates - publisher_only))


KNOWN_BINARIES = _known_binaries()


# Argument types: each returns the value to use or raises
# argparse.ArgumentTypeError, which argparse reports as a usage error.

def service_uuid(value):
    """A service uuid, in nova's canonical lower-case hyphenated form."""
    if not uuidutils.is_uuid_like(value):
        raise argparse.ArgumentTypeError(
            '%r is not a service uuid; services are addressed by uuid, see '
            '"nova-manage service list"' % value)
    return str(uuid_lib.UUID(value))


def _bounded_text(what):
    def parse(value):
        if not value.strip():
            raise argparse.ArgumentTypeError('the %s must not be empty' % what)
        if len(value) > MAX_COLUMN_LENGTH:
            raise argparse.ArgumentTypeError(
                'the %s is %d characters long; at most %d are allowed' % (
                    what, len(value), MAX_COLUMN_LENGTH))
        return value
    return parse


disabled_reason = _bounded_text('reason')
topic_name = _bounded_text('topic')

_HOST_ADDRESS = types.HostAddress()


def host_name(value):
    """A host name or IP address, as ``[DEFAULT] host`` accepts it."""
    try:
        return _HOST_ADDRESS(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            '%r is not a valid host name or IP address' % value)


def args(*names, **options):
    """Declare an argparse argument of a command method.

    The argument's value is passed to the method as the keyword argument
    named after it (or after ``dest``).
    """
    def decorator(func):
        func.__dict__.setdefault('args', []).insert(0, (names, options))
        return func
    return decorator


def _format_time(value):
    return value.strftime('%Y-%m-%dT%H:%M:%SZ') if value else None


SERVICE_COLUMNS = ('uuid', 'host', 'binary', 'topic', 'status', 'forced_down',
                   'disabled_reason', 'report_count', 'last_seen_up',
                   'updated_at')


def _service_view(service, detailed=False):
    """The service as operators read it, JSON-compatible, in column order."""
    view = {
        'uuid': service.uuid,
        'host': service.host,
        'binary': service.binary,
        'topic': service.topic,
        'status': 'disabled' if service.disabled else 'enabled',
        'forced_down': service.forced_down,
        'disabled_reason': service.disabled_reason,
        'report_count': service.report_count,
        'last_seen_up': _format_time(service.last_seen_up),
        'updated_at': _format_time(service.updated_at),
    }
    if detailed:
        view['version'] = service.version
        view['created_at'] = _format_time(service.created_at)
    return view


def _cell(value):
    return '-' if value is None else value


def _describe(service):
    return '%s (%s on %s)' % (service.uuid, service.binary, service.host)


class DbCommands(object):
    """Create and upgrade the database schema."""

    def sync(self):
        """Create the schema, or upgrade it to the newest revision."""
        migration.db_sync()
        print('Database schema is at revision %s.' % migration.db_version())
        return SUCCESS

    def version(self):
        """Print the schema revision of the database."""
        revision = migration.db_version()
        if revision is None:
            raise exception.DatabaseNotMigrated(
                connection=common.database_location(CONF))
        print(revision)
        return SUCCESS


format_argument = args('--format', dest='output_format',
                       choices=('table', 'json'), default='table',
                       help='table (default) or json')
uuid_argument = args('uuid', type=service_uuid,
                     help='the uuid of the service')


class ServiceCommands(object):
    """List, create, change and delete the records of nova services."""

    def __init__(self):
        self.context = nova_context.get_admin_context()

    def _get(self, service_uuid):
        return objects.Service.get_by_uuid(self.context, service_uuid)

    @args('--host', type=host_name, help='only the services on this host')
    @args('--binary', help='only the services of this binary, for example '
                           'nova-compute')
    @format_argument
    def list(self, host=None, binary=None, output_format='table'):
        """List the services (deleted ones excepted)."""
        services = objects.ServiceList.get_all(self.context, host=host,
                                               binary=binary)
        views = [_service_view(service) for service in services]
        if output_format == 'json':
            print(json.dumps(views, indent=4))
            return SUCCESS
        table = prettytable.PrettyTable(SERVICE_COLUMNS)
        table.align = 'l'
        for view in views:
            table.add_row([_cell(value) for value in view.values()])
        print(table)
        return SUCCESS

    @uuid_argument
    @format_argument
    def show(self, uuid, output_format='table'):
        """Show one service."""
        view = _service_view(self._get(uuid), detailed=True)
        if output_format == 'json':
            print(json.dumps(view, indent=4))
            return SUCCESS
        table = prettytable.PrettyTable(['Property', 'Value'])
        table.align = 'l'
        for name, value in view.items():
            table.add_row([name, _cell(value)])
        print(table)
        return SUCCESS

    @args('--host', required=True, type=host_name,
          help='the host the service runs on')
    @args('--binary', required=True, choices=KNOWN_BINARIES,
          help='the nova binary: %s' % ', '.join(KNOWN_BINARIES))
    @args('--topic', type=topic_name,
          help='defaults to the binary without its "nova-" prefix, as a '
               'starting service would register it')
    def create(self, host, binary, topic=None):
        """Create a service record; emits service.create."""
        service = objects.Service(
            self.context, host=host, binary=binary, report_count=0,
            # NOTE: the same default as nova.service.Service.create, so that
            # the service, once started, recognizes its record.
            topic=topic or service_obj.default_topic(binary))
        service.create()
        print('Created service %s.' % _describe(service))
        return SUCCESS

    @uuid_argument
    @args('--reason', type=disabled_reason,
          help='why the service is disabled (1 to %d characters)' %
               MAX_COLUMN_LENGTH)
    def disable(self, uuid, reason=None):
        """Disable a service; emits service.update."""
        service = self._get(uuid)
        service.disabled = True
        service.disabled_reason = reason
        service.save()
        print('Disabled service %s%s.' % (
            _describe(service), ': %s' % reason if reason else ''))
        return SUCCESS

    @uuid_argument
    def enable(self, uuid):
        """Enable a service and clear its reason; emits service.update."""
        service = self._get(uuid)
        service.disabled = False
        service.disabled_reason = None
        service.save()
        print('Enabled service %s.' % _describe(service))
        return SUCCESS

    @uuid_argument
    def force_down(self, uuid):
        """Mark a service down whatever its heartbeat; emits service.update."""
        service = self._get(uuid)
        service.forced_down = True
        service.save()
        print('Forced down service %s.' % _describe(service))
        return SUCCESS

    @uuid_argument
    def unforce_down(self, uuid):
        """Let heartbeats tell if a service is up; emits service.update."""
        service = self._get(uuid)
        service.forced_down = False
        service.save()
        print('Service %s is no longer forced down.' % _describe(service))
        return SUCCESS

    @uuid_argument
    def delete(self, uuid):
        """Delete a service record; emits service.delete."""
        service = self._get(uuid)
        service.destroy()
        print('Deleted service %s.' % _describe(service))
        return SUCCESS


def point_in_time(value):
    """An ISO 8601 date, or date and time; UTC unless it names an offset."""
    try:
        moment = timeutils.parse_isotime(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            '%r is not an ISO 8601 date or date and time, for example '
            '2026-11-27 or 2026-11-27T10:00:00Z' % value)
    return timeutils.normalize_time(moment)


class NotificationCommands(object):
    """Look at the notification outbox and purge what was delivered."""

    def __init__(self):
        self.context = nova_context.get_admin_context()

    @format_argument
    def status(self, output_format='table'):
        """Show pending notifications, the last failure, relays at work."""
        status = db.notification_outbox_status(self.context)
        view = _outbox_view(status, timeutils.utcnow())
        if output_format == 'json':
            print(json.dumps(view, indent=4))
            return SUCCESS
        table = prettytable.PrettyTable(['Property', 'Value'])
        table.align = 'l'
        for name in ('pending', 'oldest_pending_at', 'oldest_pending_age',
                     'delivered'):
            table.add_row([name, _cell(view[name])])
        failing = view['failing'] or {}
        for name in ('message_id', 'event_type', 'service_uuid', 'attempts',
                     'last_attempt_at', 'last_error'):
            table.add_row(['failing.%s' % name, _cell(failing.get(name))])
        print(table)
        relays = prettytable.PrettyTable(['relay', 'shards',
                                          'lease_expires_at'])
        relays.align = 'l'
        for relay in view['relays']:
            relays.add_row([relay['owner'],
                            ' '.join(str(s) for s in relay['shards']),
                            relay['lease_expires_at']])
        print(relays)
        return SUCCESS

    @args('--before', type=point_in_time,
          help='delete what was delivered before this moment (ISO 8601, '
               'UTC unless an offset is given); by default [notifications] '
               'outbox_retention_hours ago')
    def purge(self, before=None):
        """Delete delivered notifications; pending ones are never deleted."""
        if before is None:
            before = timeutils.utcnow() - datetime.timedelta(
                hours=CONF.notifications.outbox_retention_hours)
        count = relay_mod.purge_delivered(self.context, before)
        print('Purged %d notifications delivered before %s.'
              % (count, _format_time(before)))
        return SUCCESS


def _outbox_view(status, now):
    """The outbox status as operators read it, JSON-compatible."""
    oldest = status['oldest_pending']
    failing = status['failing']
    relays = {}
    for owner, shard, expires_at in status['leases']:
        relay = relays.setdefault(owner, {'owner': owner, 'shards': [],
                                          'lease_expires_at': None})
        relay['shards'].append(shard)
        relay['lease_expires_at'] = max(
            filter(None, [relay['lease_expires_at'],
                          _format_time(expires_at)]), default=None)
    return {
        'pending': status['pending'],
        'oldest_pending_at': _format_time(oldest),
        'oldest_pending_age': (
            '%.0f s' % (now - oldest).total_seconds() if oldest else None),
        'delivered': status['delivered'],
        'failing': {
            'message_id': failing.message_id,
            'event_type': failing.event_type,
            'service_uuid': failing.service_uuid,
            'attempts': failing.attempts,
            'last_attempt_at': _format_time(failing.last_attempt_at),
            'last_error': failing.last_error,
        } if failing is not None else None,
        'relays': list(relays.values()),
    }


CATEGORIES = {
    'db': DbCommands,
    'notifications': NotificationCommands,
    'service': ServiceCommands,
}


def _actions_of(command_object):
    """Yield (action name, bound method) for each public method."""
    for name in sorted(vars(type(command_object))):
        if not name.startswith('_'):
            yield name.replace('_', '-'), getattr(command_object, name)


def _add_argument(parser, names, options):
    options = dict(options)
    if names[0].startswith('-'):
        name = options.pop('dest', names[-1].lstrip('-').replace('-', '_'))
        if 'choices' not in options:
            options.setdefault('metavar', names[-1].lstrip('-').upper())
        parser.add_argument(*names, dest=_KWARG_PREFIX + name, **options)
    else:
        name = names[0]
        options.setdefault('metavar', name.upper())
        parser.add_argument(_KWARG_PREFIX + name, **options)
    return name


def add_command_parsers(subparsers):
    """Build the argparse sub-commands: ``<category> <action> [args]``."""
    for category, command_class in sorted(CATEGORIES.items()):
        command_object = command_class()
        category_parser = subparsers.add_parser(
            category, help=command_class.__doc__,
            description=command_class.__doc__)
        actions = category_parser.add_subparsers(
            dest='action', metavar='ACTION', title='actions')
        actions.required = True
        for action, action_fn in _actions_of(command_object):
            doc = ' '.join(action_fn.__doc__.split())
            parser = actions.add_parser(action, help=doc, description=doc)
            kwargs = [_add_argument(parser, names, options)
                      for names, options in getattr(action_fn, 'args', [])]
            parser.set_defaults(action_fn=action_fn, action_kwargs=kwargs)


category_opt = cfg.SubCommandOpt('category',
                                 title='Command categories',
                                 help='Available categories',
                                 handler=add_command_parsers)


def register_cli_opts(conf):
    """Register nova-manage's command line on ``conf``.

    Besides the commands, ``--database-connection`` overrides
    ``[database] connection`` of the configuration files.
    """
    conf.register_cli_opt(category_opt)
    connection_opt = next(opt for opt in oslo_db_options.database_opts
                          if opt.name == 'connection')
    conf.register_cli_opt(connection_opt, group='database')


def run_command(category):
    """Run the command parsed into ``category`` and return its exit code.

    ``category`` is ``CONF.category`` once the command line is parsed.
    Failures are reported on stderr in one line, never as a traceback.
    """
    kwargs = {name: getattr(category, _KWARG_PREFIX + name)
              for name in category.action_kwargs}
    try:
        return category.action_fn(**kwargs)
    except (exception.NotFound, exception.Conflict,
            exception.ObjectActionError,
            exception.DatabaseNotMigrated) as error:
        return _fail(error.format_message())
    except exception.Invalid as error:
        return _fail(error.format_message(), USAGE_ERROR)
    except common.DATABASE_ERRORS as error:
        LOG.debug('Database error', exc_info=True)
        return _fail(common.explain_database_error(error, CONF))
    except Exception as error:
        # NOTE: the traceback is for developers: it is logged at debug
        # level (--debug), never printed as the command's answer.
        LOG.debug('Unexpected error', exc_info=True)
        return _fail('Unexpected error (%s): %s' % (type(error).__name__,
                                                    error))


def _fail(message, exit_code=FAILURE):
    return common.error(message, exit_code)


def main(argv=None):
    """Entry point of nova-manage: load the configuration, run a command."""
    argv = sys.argv if argv is None else argv
    register_cli_opts(CONF)
    logging.register_options(CONF)
    # NOTE: stdout carries the command's output (tables, JSON) only.
    CONF.set_default('use_stderr', True)
    # NOTE: an operator waits for the command: a database that cannot be
    # reached is said at once, not after oslo.db's retries of a service.
    CONF.set_override('max_retries', 0, group='database')
    try:
        config.parse_args(argv)
        delivery.start(CONF, 'nova-manage', delivery.COMMAND)
    except (cfg.Error, logging.LogConfigError) as error:
        return _fail(str(error), USAGE_ERROR)
    except exception.NovaException as error:
        return _fail(error.format_message(), USAGE_ERROR)
    objects.register_all()
    try:
        return run_command(CONF.category)
    finally:
        # NOTE: what the command committed is published before it exits,
        # for at most [notifications] relay_flush_timeout seconds.
        delivery.stop()


if __name__ == '__main__':
    sys.exit(main())
