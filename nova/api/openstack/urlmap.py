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

"""The ``osapi_compute`` composite of api-paste.ini: apps by path prefix."""

import webob.exc

from nova.api.openstack import wsgi

ROOT_SCRIPT_NAME_KEY = 'nova.api.root_script_name'

_BELOW = '/+'


def root_url(req):
    """The URL of the API's root, where ``/`` and ``/v2.1`` live.

    Its scheme and host are the request's as the application sees them,
    after http_proxy_to_wsgi (``X-Forwarded-Proto``).
    """
    return req.host_url + req.environ.get(ROOT_SCRIPT_NAME_KEY,
                                          req.script_name)


class URLMap(object):
    """Send each request to the application mounted on its path.

    As in nova's api-paste.ini: ``/v2.1/+`` takes the paths below
    ``/v2.1``, which moves from ``PATH_INFO`` to ``SCRIPT_NAME``;
    ``/healthcheck`` takes that path and those below it, unchanged; ``/``
    everything else. The API's root path is kept in the environment for
    the links of the version documents.
    """

    def __init__(self, apps):
        self._root = apps.get('/')
        mounts = []
        for path, app in apps.items():
            if path == '/':
                continue
            below = path.endswith(_BELOW)
            mounts.append((path[:-len(_BELOW)] if below else path, below,
                           app))
        # NOTE: the longest path first, and of one path the mount below it
        # before the one of the path itself.
        self._mounts = sorted(mounts, key=lambda mount: (-len(mount[0]),
                                                         not mount[1]))

    def __call__(self, environ, start_response):
        # NOTE: the paths as the server gave them (WSGI's latin-1 strings):
        # a path that is not UTF-8 reaches the faultwrap of its pipeline,
        # which answers 400.
        environ.setdefault(ROOT_SCRIPT_NAME_KEY,
                           environ.get('SCRIPT_NAME', ''))
        path = environ.get('PATH_INFO', '')
        for prefix, below, app in self._mounts:
            if below and path.startswith(prefix + '/'):
                environ['SCRIPT_NAME'] = environ.get('SCRIPT_NAME',
                                                     '') + prefix
                environ['PATH_INFO'] = path[len(prefix):]
                return app(environ, start_response)
            if not below and (path == prefix or
                              path.startswith(prefix + '/')):
                return app(environ, start_response)
        app = self._root or wsgi.json_fault(
            webob.exc.HTTPNotFound, 'The resource could not be found.')
        return app(environ, start_response)


def urlmap_factory(loader, global_conf, **local_conf):
    """Build the ``URLMap`` of a paste composite: ``path = app name``."""
    return URLMap({path: loader.get_app(name, global_conf=global_conf)
                   for path, name in local_conf.items()})
