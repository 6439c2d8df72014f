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

``nova-notification-schemas`` regenerates ``doc/notification_schemas/`` from
the payload classes; ``--check`` changes nothing and exits 1 when a
committed schema differs from what the code generates.
"""

import argparse
import os
import sys

from nova.notifications.objects import schema

DEFAULT_OUTPUT_DIR = os.path.join('doc', 'notification_schemas')
REGENERATE_COMMAND = 'nova-notification-schemas --output-dir %s'


def _parser():
    parser = argparse.ArgumentParser(
        prog='nova-notification-schemas',
        description='Generate the JSON Schemas of the versioned '
                    'notification payloads.')
    parser.add_argument(
        '--output-dir', default=DEFAULT_OUTPUT_DIR,
        help='directory of the schema files (default: %(default)s)')
    parser.add_argument(
        '--check', action='store_true',
        help='only report stale files; exit 1 if there are any')
    return parser


def main(argv=None):
    args = _parser().parse_args(argv)
    if args.check:
        stale = schema.stale_files(args.output_dir)
        if stale:
            print('Stale notification schemas in %s: %s\nRegenerate them '
                  'with: %s' % (args.output_dir, ', '.join(stale),
                                REGENERATE_COMMAND % args.output_dir),
                  file=sys.stderr)
            return 1
        print('Notification schemas in %s are up to date.' % args.output_dir)
        return 0
    changed = schema.write_all(args.output_dir)
    for file_name in changed:
        print(os.path.join(args.output_dir, file_name))
    if not changed:
        print('Notification schemas in %s are up to date.' % args.output_dir)
    return 0


if __name__ == '__main__':
    sys.exit(main())
