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

"""URL dispatch of the compute API: routes to resources."""

import routes
import routes.middleware
import webob.dec
import webob.exc

from nova.api.openstack import wsgi


class ProjectMapper(routes.Mapper):
    """A mapper that serves each path with and without a project id.

    Since microversion 2.18 the project id in URLs is optional; both forms
    reach the same action. As in nova, a project id in a path is hex with
    dashes, so that it never shadows a resource name such as os-services.
    """

    PROJECT_ID_TOKEN = '/{project_id:[0-9a-f\\-]+}'

    def create_route(self, path, method, controller, action,
                     project_id=False):
        if project_id:
            path = self.PROJECT_ID_TOKEN + path
        self.connect(path, controller=controller, action=action,
                     conditions={'method': [method]})


class Router(object):
    """Dispatch a request to the resource its path and method select.

    ``route_list`` is ``[(path, {method: (controller, action)})]``. An
    unknown path gets 404, a known path with another method 405 (with the
    ``Allow`` header), both with nova's fault body.
    """

    @classmethod
    def factory(cls, global_config, **local_config):
        """The paste.deploy ``app_factory`` of a router."""
        return cls()

    def __init__(self, route_list, project_id=True):
        self.map = ProjectMapper()
        self._allowed = {}
        for with_project_id in ((False, True) if project_id else (False,)):
            for path, methods in route_list:
                for method, (controller, action) in methods.items():
                    self.map.create_route(path, method,
                                          wsgi.Resource(controller), action,
                                          project_id=with_project_id)
                    if with_project_id:
                        path_key = ProjectMapper.PROJECT_ID_TOKEN + path
                    else:
                        path_key = path
                    self._allowed.setdefault(path_key, set()).add(method)
        # NOTE: no method override (?_method=DELETE on a POST): a request
        # is exactly the method it was sent with.
        self._router = routes.middleware.RoutesMiddleware(
            self._dispatch, self.map, use_method_override=False)

    @webob.dec.wsgify(RequestClass=wsgi.Request)
    def __call__(self, req):
        return self._router

    @webob.dec.wsgify(RequestClass=wsgi.Request)
    def _dispatch(self, req):
        match = req.environ['wsgiorg.routing_args'][1]
        if match:
            return match['controller']
        allowed = self._allowed_methods(req.path_info or '/')
        if allowed:
            return wsgi.json_fault(
                webob.exc.HTTPMethodNotAllowed,
                'The method %s is not allowed for this resource; allowed: '
                '%s.' % (req.method, ', '.join(allowed)),
                headers=[('Allow', ', '.join(allowed))])
        return wsgi.json_fault(webob.exc.HTTPNotFound,
                               'The resource could not be found.')

    def _allowed_methods(self, path):
        # NOTE: Mapper.routematch would apply the current request's method
        # condition; each route alone matches on the path only.
        allowed = set()
        for route in self.map.matchlist:
            if route.match(path) is not False:
                allowed |= self._allowed.get(route.routepath, set())
        return sorted(allowed)
