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

"""nova-notification-schemas: write or check the published payload schemas.

``nova-notification-schemas --output-dir DIR`` regenerates the schema files
of ``DIR`` (``doc/notification_schemas`` in the source tree) from the payload
classes; ``--check`` changes nothing and exits 1 when a committed schema
differs from what the code generates. The directory is always named: the
command never writes where it happens to be run.
"""

import argparse
import os
import sys

from nova.cmd import common
from nova.notifications.objects import json_schema

REGENERATE_COMMAND = 'nova-notification-schemas --output-dir %s'


def _parser():
    parser = argparse.ArgumentParser(
        prog='nova-notification-schemas',
        description='Generate the JSON Schemas of the versioned '
                    'notification payloads.')
    parser.add_argument(
        '--output-dir',
        help='directory of the schema files (required; '
             'doc/notification_schemas in the source tree)')
    parser.add_argument(
        '--check', action='store_true',
        help='only report stale files; exit 1 if there are any')
    return parser


def main(argv=None):
    args = _parser().parse_args(argv)
    if not args.output_dir:
        return common.error('--output-dir is required: name the directory '
                            'of the schema files (doc/notification_schemas '
                            'in the source tree)', common.USAGE_ERROR)
    if args.check:
        stale = json_schema.stale_files(args.output_dir)
        if stale:
            print('Stale notification schemas in %s: %s\nRegenerate them '
                  'with: %s' % (args.output_dir, ', '.join(stale),
                                REGENERATE_COMMAND % args.output_dir),
                  file=sys.stderr)
            return 1
        print('Notification schemas in %s are up to date.' % args.output_dir)
        return 0
    changed = json_schema.write_all(args.output_dir)
    for file_name in changed:
        print(os.path.join(args.output_dir, file_name))
    if not changed:
        print('Notification schemas in %s are up to date.' % args.output_dir)
    return 0


if __name__ == '__main__':
    sys.exit(main())
