"""The compute API v2.1 and its resources."""
