# Sphinx configuration of the release notes, built with reno from the notes
# committed under releasenotes/notes (tox -e releasenotes; warnings are
# errors). reno reads the notes from git history: an uncommitted note is
# not shown.

extensions = [
    'reno.sphinxext',
]

project = 'nova service notifications release notes'
copyright = 'Nova service notifications developers'
author = 'Nova service notifications developers'

master_doc = 'index'
exclude_patterns = []
pygments_style = 'sphinx'
html_theme = 'alabaster'
html_static_path = ['_static']
