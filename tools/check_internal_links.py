#!/usr/bin/env python3
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

"""Check every internal link of a built HTML site; no network is used.

Every relative ``href`` and ``src`` of every page must name a file of the
site, and every ``#fragment`` an element id (or anchor name) of the page it
points to. Links with a scheme (``https:``, ``mailto:``...) or to another
host are external and not checked; but a page must not *load* anything from
elsewhere (a script, a style sheet, an image, a frame, nor a style sheet's
``url()`` or ``@import``): the site reads the same offline, and tells no
third party who reads it.

Usage: check_internal_links.py BUILD_DIR
Exit status: 0 when every internal link resolves and nothing is loaded from
outside, 1 otherwise (each problem is printed as ``page: link (reason)``), 2
for a bad argument.
"""

import html.parser
import os
import re
import sys
import urllib.parse

_LINK_ATTRIBUTES = {'a': 'href', 'link': 'href', 'img': 'src',
                    'script': 'src', 'iframe': 'src', 'source': 'src'}


# NOTE: what a browser fetches by itself when it shows a page; an <a> or a
# <link rel="canonical"> is only followed when the reader asks.
_LOADED_LINK_RELS = {'stylesheet', 'icon', 'shortcut', 'preload',
                     'prefetch', 'modulepreload', 'manifest',
                     'apple-touch-icon'}
_CSS_URL_RE = re.compile(
    r"""(?:url\(\s*['"]?|@import\s+['"])([^'")\s]+)""")


class _PageParser(html.parser.HTMLParser):
    """Collect the links and the anchor targets of one page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []
        self.anchors = set()
        self.loads = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get('id'):
            self.anchors.add(attrs['id'])
        if tag == 'a' and attrs.get('name'):
            self.anchors.add(attrs['name'])
        link = attrs.get(_LINK_ATTRIBUTES.get(tag, ''))
        if link:
            self.links.append(link)
            rels = set((attrs.get('rel') or '').lower().split())
            if tag != 'a' and (tag != 'link' or rels & _LOADED_LINK_RELS):
                self.loads.append(link)


def _parse(path):
    parser = _PageParser()
    with open(path, encoding='utf-8') as f:
        parser.feed(f.read())
    return parser


def _is_external(link):
    parts = urllib.parse.urlsplit(link)
    return bool(parts.scheme or parts.netloc)


def broken_links(build_dir):
    """Return ``[(page, link, reason)]`` for each internal link that fails.

    ``page`` is relative to ``build_dir``.
    """
    build_dir = os.path.abspath(build_dir)
    pages = {}
    for root, _dirs, files in os.walk(build_dir):
        for name in files:
            if name.endswith('.html'):
                path = os.path.join(root, name)
                pages[path] = _parse(path)
    broken = []
    for page, parsed in sorted(pages.items()):
        for link in parsed.links:
            if _is_external(link):
                continue
            reason = _check(page, link, pages, build_dir)
            if reason:
                broken.append((os.path.relpath(page, build_dir), link,
                               reason))
    return broken


def external_loads(build_dir):
    """Return ``[(file, url)]`` of what is loaded from another host.

    ``file``, a page or a style sheet, is relative to ``build_dir``.
    """
    build_dir = os.path.abspath(build_dir)
    found = []
    for root, _dirs, files in os.walk(build_dir):
        for name in sorted(files):
            path = os.path.join(root, name)
            if name.endswith('.html'):
                urls = _parse(path).loads
            elif name.endswith('.css'):
                with open(path, encoding='utf-8', errors='replace') as f:
                    urls = _CSS_URL_RE.findall(f.read())
            else:
                continue
            found.extend((os.path.relpath(path, build_dir), url)
                         for url in urls if _is_remote(url))
    return sorted(found)


def _is_remote(url):
    # NOTE: data: URLs are inline content, not a fetch.
    parts = urllib.parse.urlsplit(url)
    return bool(parts.netloc) or parts.scheme not in ('', 'data')


def _check(page, link, pages, build_dir):
    parts = urllib.parse.urlsplit(link)
    if parts.path:
        target = os.path.normpath(os.path.join(
            os.path.dirname(page), urllib.parse.unquote(parts.path)))
        if os.path.isdir(target):
            target = os.path.join(target, 'index.html')
    else:
        target = page
    if not (target == build_dir or target.startswith(build_dir + os.sep)):
        return 'points outside the site'
    if not os.path.isfile(target):
        return 'no such file'
    fragment = urllib.parse.unquote(parts.fragment)
    if fragment and target in pages and fragment not in pages[
            target].anchors:
        return 'no anchor #%s in %s' % (
            fragment, os.path.relpath(target, build_dir))
    return None


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1 or not os.path.isdir(argv[0]):
        print('usage: check_internal_links.py BUILD_DIR (an existing '
              'directory)', file=sys.stderr)
        return 2
    broken = broken_links(argv[0])
    for page, link, reason in broken:
        print('%s: %s (%s)' % (page, link, reason))
    loads = external_loads(argv[0])
    for page, url in loads:
        print('%s: %s (loaded from outside the site)' % (page, url))
    checked = argv[0]
    if broken or loads:
        print('%d broken internal link(s) and %d load(s) from outside in %s'
              % (len(broken), len(loads), checked))
        return 1
    print('Every internal link in %s resolves; nothing is loaded from '
          'outside.' % checked)
    return 0


if __name__ == '__main__':
    sys.exit(main())
