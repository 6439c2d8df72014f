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

"""Print this project's Service costs against upstream nova's, interleaved.

Starts ``tools/benchmark_side.py`` twice, under this Python (this project)
and under ``--upstream-python`` (a virtualenv with upstream nova installed
with the same constraints, as ``tools/tox -e bench-upstream`` makes), and
asks both for the same operation in turn, alternating which goes first,
so that a noisy machine disturbs both alike. Per operation it prints the
median CPU time of each side, the ratio of the medians, each round's
ratio, and the target the ratio is measured against.

Usage: tools/benchmark_upstream.py --upstream-python PATH [--rounds N]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys

SIDE = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                    'benchmark_side.py')

# operation: (label, calls per round, target ratio or None)
OPERATIONS = {
    'notify': ('service.update without I/O', 2000, None),
    'save': ('Service.save() that emits', 200, 0.3),
    'pair': ('create + destroy pair', 100, 0.25),
}


class Side(object):
    """One ``benchmark_side.py`` process, asked one operation at a time."""

    def __init__(self, name, python):
        self.name = name
        self.process = subprocess.Popen(
            [os.path.abspath(python), SIDE], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, text=True, cwd=os.path.dirname(SIDE))
        self.ready = self._answer()

    def _answer(self):
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit('ERROR: the %s side stopped; run %s under it '
                             'to see why' % (self.name, SIDE))
        return json.loads(line)

    def cpu_us(self, operation, calls):
        self.process.stdin.write(
            json.dumps({'op': operation, 'calls': calls}) + '\n')
        self.process.stdin.flush()
        return self._answer()['cpu_us']

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=60)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--upstream-python', required=True,
                        help='the python of a virtualenv with upstream nova')
    parser.add_argument('--rounds', type=int, default=7,
                        help='interleaved rounds; medians are printed')
    args = parser.parse_args()

    sides = [Side('project', sys.executable),
             Side('upstream', args.upstream_python)]
    try:
        times = {op: {side.name: [] for side in sides} for op in OPERATIONS}
        for index in range(args.rounds):
            order = sides if index % 2 == 0 else sides[::-1]
            for operation, (_, calls, _) in OPERATIONS.items():
                for side in order:
                    times[operation][side.name].append(
                        side.cpu_us(operation, calls))
    finally:
        for side in sides:
            side.close()

    for side in sides:
        versions = ', '.join('%s %s' % item
                             for item in side.ready['versions'].items())
        print('%-8s: Python %s, %s' % (side.name, side.ready['python'],
                                       versions))
    print('CPU time per call, median of %d interleaved rounds' % args.rounds)
    for operation, (label, _, target) in OPERATIONS.items():
        ours = times[operation]['project']
        theirs = times[operation]['upstream']
        ratio = statistics.median(ours) / statistics.median(theirs)
        rounds = ' '.join('%.2f' % (a / b) for a, b in zip(ours, theirs))
        print('%-28s: %8.0f us vs %8.0f us = %.2f x upstream%s'
              % (label, statistics.median(ours), statistics.median(theirs),
                 ratio, '' if target is None else
                 ' (target <= %.2f)' % target))
        print('%-28s  rounds: %s' % ('', rounds))


if __name__ == '__main__':
    main()
