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

"""JSON schema validation of request bodies.

An action checks its body with a ``validators.SchemaValidator`` of its
schema, after the policy check, so that a caller without the right learns
nothing about the schema. A body that does not match gets 400 with a
message naming the offending attribute, and nothing is changed.
"""
