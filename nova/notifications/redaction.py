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

"""Keep the passwords of transport URLs out of logs and error messages."""

import re
from urllib import parse

import oslo_messaging as messaging

_REDACTED = '***'


# NOTE: the password of each ``user:password@`` of a URL that oslo.messaging
# cannot parse: it may still be echoed by an error message.
_RAW_PASSWORD = re.compile(r'[/,][^:/@,]*:([^@]+)@')


def url_passwords(conf, url):
    """Return the passwords in transport ``url``, as given and unquoted.

    A URL that oslo.messaging cannot parse is searched for
    ``user:password@`` parts instead.
    """
    passwords = set(_RAW_PASSWORD.findall(url))
    try:
        hosts = messaging.TransportURL.parse(conf, url).hosts
    except (messaging.InvalidTransportURL, ValueError):
        hosts = []
    for host in hosts:
        if host.password:
            passwords.add(host.password)
    for password in list(passwords):
        passwords.update([parse.unquote(password), parse.quote(password),
                          parse.quote(password, safe='')])
    passwords.discard('')
    return tuple(sorted(passwords, key=len, reverse=True))


def redact(text, passwords):
    """Return ``text`` with each of ``passwords`` replaced by ``***``."""
    for password in passwords:
        text = text.replace(password, _REDACTED)
    return text


def redacted_url(conf, url):
    """Return transport ``url`` fit for a log: without its passwords."""
    return redact(url, url_passwords(conf, url))


def transport_secrets(conf):
    """Return the passwords of the notification transport URL."""
    url = (conf.oslo_messaging_notifications.transport_url or
           conf.transport_url)
    if not url:
        return ()
    return url_passwords(conf, url)
