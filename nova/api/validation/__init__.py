"""JSON schema validation of request bodies.

An action checks its body with a ``validators.SchemaValidator`` of its
schema, after the policy check, so that a caller without the right learns
nothing about the schema. A body that does not match gets 400 with a
message naming the offending attribute, and nothing is changed.
"""
