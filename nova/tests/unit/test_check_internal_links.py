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

"""tools/check_internal_links.py finds every broken internal link."""

import io
import os
from unittest import mock

import fixtures
import testtools

from tools import check_internal_links


class TestCheckInternalLinks(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.site = self.useFixture(fixtures.TempDir()).path
        os.makedirs(os.path.join(self.site, 'reference'))
        os.makedirs(os.path.join(self.site, '_static'))
        self._write('_static/style.css', '')
        self._write('index.html', '''
            <link rel="stylesheet" href="_static/style.css">
            <h1 id="top">Site</h1>
            <a href="reference/page.html#schema-1-1">schema</a>
            <a href="reference/">directory index</a>
            <a href="#top">top</a>
            <a href="https://example.invalid/missing">external</a>
            <a href="mailto:someone@example.invalid">mail</a>''')
        self._write('reference/index.html', '<p>index</p>')
        self._write('reference/page.html', '''
            <section id="schema-1-1"><a name="old-anchor"></a></section>
            <a href="../index.html#top">home</a>
            <a href="#old-anchor">old</a>
            <img src="../_static/style.css">''')

    def _write(self, name, content):
        with open(os.path.join(self.site, name), 'w') as f:
            f.write(content)

    def test_a_sound_site_passes(self):
        self.assertEqual([], check_internal_links.broken_links(self.site))

    def test_every_kind_of_broken_link_is_reported(self):
        self._write('reference/broken.html', '''
            <a href="missing.html">missing page</a>
            <a href="page.html#no-such-anchor">missing anchor</a>
            <a href="#nowhere">missing local anchor</a>
            <a href="../../outside.html">outside</a>
            <script src="../_static/missing.js"></script>''')
        self.assertEqual(
            [('reference/broken.html', 'missing.html', 'no such file'),
             ('reference/broken.html', 'page.html#no-such-anchor',
              'no anchor #no-such-anchor in reference/page.html'),
             ('reference/broken.html', '#nowhere',
              'no anchor #nowhere in reference/broken.html'),
             ('reference/broken.html', '../../outside.html',
              'points outside the site'),
             ('reference/broken.html', '../_static/missing.js',
              'no such file')],
            check_internal_links.broken_links(self.site))

    def _main(self, *argv):
        out = io.StringIO()
        with mock.patch('sys.stdout', out), mock.patch('sys.stderr', out):
            code = check_internal_links.main(list(argv))
        return code, out.getvalue()

    def test_main_exit_status(self):
        self.assertEqual(0, self._main(self.site)[0])
        self._write('index.html', '<a href="gone.html">gone</a>')
        code, output = self._main(self.site)
        self.assertEqual(1, code)
        self.assertIn('index.html: gone.html (no such file)', output)
        self.assertEqual(2, self._main()[0])
        self.assertEqual(2, self._main(os.path.join(self.site, 'nope'))[0])

    def test_a_sound_site_loads_nothing_from_outside(self):
        self.assertEqual([], check_internal_links.external_loads(self.site))

    def test_every_load_from_outside_is_reported(self):
        self._write('_static/theme.css', '''
            @import "https://fonts.example.invalid/font.css";
            body { background: url('//cdn.example.invalid/bg.png'); }
            h1 { background: url(local.png); }
            h2 { background: url("data:image/svg+xml,%3csvg"); }''')
        self._write('reference/loads.html', '''
            <script src="https://analytics.example.invalid/tag.js"></script>
            <link rel="stylesheet" href="https://cdn.example.invalid/x.css">
            <link rel="canonical" href="https://docs.example.invalid/x">
            <img src="https://img.example.invalid/logo.png">
            <a href="https://example.invalid/">a link, not a load</a>''')
        self.assertEqual(
            [('_static/theme.css', '//cdn.example.invalid/bg.png'),
             ('_static/theme.css', 'https://fonts.example.invalid/font.css'),
             ('reference/loads.html', 'https://analytics.example.invalid/'
                                      'tag.js'),
             ('reference/loads.html', 'https://cdn.example.invalid/x.css'),
             ('reference/loads.html', 'https://img.example.invalid/'
                                      'logo.png')],
            check_internal_links.external_loads(self.site))
        code, output = self._main(self.site)
        self.assertEqual(1, code)
        self.assertIn('(loaded from outside the site)', output)
