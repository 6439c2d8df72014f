"""JSON schema fragments shared by the compute API's schemas."""

# NOTE: nova accepts these spellings of a boolean in request bodies; the
# action turns them into a bool with oslo.utils' strutils.bool_from_string.
boolean = {
    'type': ['boolean', 'string'],
    'enum': [True, 'True', 'TRUE', 'true', '1', 'ON', 'On', 'on',
             'YES', 'Yes', 'yes',
             False, 'False', 'FALSE', 'false', '0', 'OFF', 'Off', 'off',
             'NO', 'No', 'no'],
}

# A free-text reason stored in a 255 character column.
reason = {
    'type': 'string', 'minLength': 1, 'maxLength': 255,
}

# A host name as nova stores it: letters, digits, "-", "." and "_".
fqdn = {
    'type': 'string', 'minLength': 1, 'maxLength': 255,
    'pattern': '^[a-zA-Z0-9-._]*$',
}

# A service's binary, such as nova-compute.
binary = {
    'type': 'string', 'minLength': 1, 'maxLength': 255,
}
