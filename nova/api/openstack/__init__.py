"""The OpenStack compute API: WSGI plumbing shared by its resources."""
