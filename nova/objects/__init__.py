"""nova's versioned objects.

Registered classes are published here by name (``objects.Service``) by the
registry; call ``register_all`` before using them.
"""


def register_all():
    # NOTE: importing a module registers its objects; notification objects
    # are imported by the objects that emit them.
    __import__('nova.objects.service')
