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

"""The parts of nova-lifecycle-demo, each in a module of its own.

``state`` is the state directory (configuration, logging, the
notifications each program wrote), ``expectations`` what the demo must see,
``api`` how it talks to nova-api; ``nova.cmd.lifecycle_demo`` runs the
steps.
"""


class DemoFailure(Exception):
    """A step of the demo failed; the message says which and why."""
