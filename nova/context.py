"""The request context passed to every database and notification call."""

from oslo_context import context
from oslo_db.sqlalchemy import enginefacade


@enginefacade.transaction_context_provider
class RequestContext(context.RequestContext):
    """A security context that also carries the database transaction.

    Nesting ``nova.db.main.api.transaction(ctxt)`` blocks, or database API
    calls inside one, joins them into a single transaction.
    """


def get_admin_context():
    """Return a context with administrative rights, for internal callers."""
    return RequestContext(is_admin=True, overwrite=False)
