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

"""Print 'tests: N passed, M failed, K skipped' from a stestr repository.

Every run recorded in the repository (one per tox env in a CI run) counts;
each test's final status is read from the run's subunit stream (stestr's
file repository keeps version 1 streams; version 2 is read too).
"""

import os
import sys

import subunit
import testtools

_PASSED = ('success', 'xfail')
_FAILED = ('fail', 'uxsuccess')
_SUBUNIT_V2_SIGNATURE = b'\xb3'


def count(repository):
    statuses = {}

    def record(test):
        statuses[(run, test['id'])] = test['status']

    for run in sorted(name for name in os.listdir(repository)
                      if name.isdigit()):
        with open(os.path.join(repository, run), 'rb') as stream:
            result = testtools.StreamToDict(record)
            result.startTestRun()
            if stream.peek(1)[:1] == _SUBUNIT_V2_SIGNATURE:
                subunit.ByteStreamToStreamResult(
                    stream, non_subunit_name='stdout').run(result)
            else:
                subunit.ProtocolTestCase(stream).run(
                    testtools.ExtendedToStreamDecorator(result))
            result.stopTestRun()
    values = list(statuses.values())
    return (sum(v in _PASSED for v in values),
            sum(v in _FAILED for v in values),
            sum(v == 'skip' for v in values))


if __name__ == '__main__':
    passed, failed, skipped = count(sys.argv[1] if len(sys.argv) > 1
                                    else '.stestr')
    print('tests: %d passed, %d failed, %d skipped'
          % (passed, failed, skipped))
    sys.exit(1 if failed or not passed else 0)
