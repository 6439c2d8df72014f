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

"""Resolve the ``$ref`` keys of notification sample files.

``{"$ref": "common_payloads/X.json#", "key": value}`` is replaced by the
content of ``X.json`` (relative to the referring file), with the keys beside
``$ref`` merged over it recursively, so a sample states only what differs.
"""

import copy
import json
import os


def _merge(base, override):
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        else:
            base[key] = copy.deepcopy(value)
    return base


def resolve_refs(obj, base_path):
    """Return ``obj`` with every ``$ref`` resolved relative to ``base_path``.

    :raises ValueError: for a ``$ref`` pointing inside a document (only
        whole-file references ending in ``#`` are supported).
    """
    if isinstance(obj, list):
        return [resolve_refs(item, base_path) for item in obj]
    if not isinstance(obj, dict):
        return obj
    resolved = {key: resolve_refs(value, base_path)
                for key, value in obj.items() if key != '$ref'}
    if '$ref' not in obj:
        return resolved
    ref_file, _, pointer = obj['$ref'].partition('#')
    if pointer:
        raise ValueError('Unsupported $ref %r: only whole files are '
                         'supported' % obj['$ref'])
    path = os.path.join(base_path, ref_file)
    with open(path) as f:
        referred = resolve_refs(json.load(f), os.path.dirname(path))
    return _merge(referred, resolved)


def _overrides(obj, base):
    """Return what to write beside a ``$ref`` to ``base`` to get ``obj``.

    None when ``obj`` lacks a key of ``base``, which no override can say.
    """
    if set(base) - set(obj):
        return None
    overrides = {}
    for key, value in obj.items():
        if key not in base:
            overrides[key] = value
        elif value != base[key]:
            if isinstance(value, dict) and isinstance(base[key], dict):
                nested = _overrides(value, base[key])
                if nested is None:
                    return None
                overrides[key] = nested
            else:
                overrides[key] = value
    return overrides


def keep_refs(obj, raw, base_path):
    """Return ``obj`` written with the ``$ref`` keys of ``raw`` kept.

    ``raw`` is a sample as written, ``obj`` a resolved document of the same
    shape: where ``raw`` refers to a file, the result refers to it too and
    states only what differs from it, as a sample author would.
    """
    if not isinstance(obj, dict) or not isinstance(raw, dict):
        return obj
    if '$ref' in raw:
        ref_file = raw['$ref'].partition('#')[0]
        path = os.path.join(base_path, ref_file)
        with open(path) as f:
            referred = resolve_refs(json.load(f), os.path.dirname(path))
        overrides = _overrides(obj, referred)
        if overrides is not None:
            return dict({'$ref': raw['$ref']}, **overrides)
        return obj
    return {key: keep_refs(value, raw.get(key), base_path)
            for key, value in obj.items()}


def load_sample(path):
    """Load a sample file and resolve its references."""
    with open(path) as f:
        return resolve_refs(json.load(f), os.path.dirname(path))
