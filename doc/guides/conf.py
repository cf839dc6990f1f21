# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The pagefrag authors
#
# Sphinx configuration of the pagefrag guides. doc/meson.build runs
# "sphinx-build -W" (a warning fails the build); it also works by hand:
#
#   sphinx-build -W -b html doc/guides /tmp/pagefrag-html
#
# Two additions to a plain configuration:
#
# - The toctree of index.rst lists every guide we know of. Guides written
#   by others may not exist yet: entries whose document is missing are
#   dropped before the page is parsed, and documents that no toctree lists
#   are appended, so that neither case makes Sphinx warn.
# - When PAGEFRAG_DOCS_DEPFILE is set (doc/meson.build sets it), a ninja
#   depfile listing every source document, included file, image and
#   directory is written after a successful build: ninja reruns Sphinx when
#   any of them changes or a file is added.

import os
import re

_here = os.path.dirname(os.path.abspath(__file__))
_top = os.path.dirname(os.path.dirname(_here))


def _read_version():
    try:
        with open(os.path.join(_top, 'VERSION'), encoding='utf-8') as f:
            return f.read().strip()
    except OSError:
        return 'unknown'


project = 'pagefrag'
author = 'The pagefrag authors'
copyright = '2026, The pagefrag authors'
# doc/meson.build overrides both with -D from meson.project_version()
version = _read_version()
release = version

master_doc = 'index'
root_doc = 'index'
source_suffix = '.rst'
exclude_patterns = ['_build', 'Thumbs.db', '.DS_Store']
# keep "--mbuf-pool-ops-name" and quotes as typed, as DPDK's guides do
smartquotes = False
highlight_language = 'none'
pygments_style = 'sphinx'
numfig = True
language = 'en'

html_theme = 'alabaster'
html_theme_options = {
    'page_width': '1100px',
    'sidebar_width': '240px',
    'fixed_sidebar': False,
    'show_relbars': True,
}
html_title = 'pagefrag %s documentation' % release
html_short_title = 'pagefrag'
html_show_sourcelink = False
html_last_updated_fmt = None

# ---- toctree entries of guides that may not exist yet ----

_toctree_re = re.compile(r'^(\s*)\.\.\s+toctree::')


def _is_orphan(srcdir, docname):
    path = os.path.join(srcdir, docname + source_suffix)
    try:
        with open(path, encoding='utf-8') as f:
            head = f.read(2048)
    except OSError:
        return False
    return re.search(r'^:orphan:', head, re.M) is not None


def _fix_index_toctree(app, docname, source):
    if docname != root_doc:
        return
    found = app.env.found_docs
    lines = source[0].split('\n')
    out = []
    listed = set()
    last_toctree_end = None
    i = 0
    while i < len(lines):
        m = _toctree_re.match(lines[i])
        out.append(lines[i])
        i += 1
        if m is None:
            continue
        indent = len(m.group(1))
        body_indent = None
        while i < len(lines):
            line = lines[i]
            stripped = line.strip()
            if stripped and len(line) - len(line.lstrip()) <= indent:
                break           # end of the directive
            if stripped and body_indent is None:
                body_indent = len(line) - len(line.lstrip())
            if stripped and not stripped.startswith(':'):
                target = stripped
                # "Title <doc>" entries
                tm = re.match(r'^.*<([^>]+)>$', stripped)
                if tm:
                    target = tm.group(1)
                target = target.lstrip('/')
                if target not in found and '*' not in target:
                    i += 1      # guide not written (yet): drop the entry
                    continue
                listed.add(target)
            out.append(line)
            i += 1
        while out and not out[-1].strip():
            out.pop()           # trailing blank lines of the directive
        last_toctree_end = (len(out), body_indent or indent + 3)
        out.append('')
    if last_toctree_end is not None:
        pos, ind = last_toctree_end
        extra = sorted(d for d in found
                       if d != root_doc and d not in listed and
                       not _is_orphan(app.srcdir, d))
        out[pos:pos] = [' ' * ind + d for d in extra]
    source[0] = '\n'.join(out)


# ---- ninja depfile ----

def _dep_escape(path):
    return path.replace('\\', '\\\\').replace(' ', '\\ ').replace('#', '\\#')


def _write_depfile(app, exception):
    depfile = os.environ.get('PAGEFRAG_DOCS_DEPFILE')
    if exception is not None or not depfile:
        return
    target = os.environ.get('PAGEFRAG_DOCS_DEPTARGET', app.outdir)
    env = app.env
    srcdir = str(app.srcdir)
    deps = {os.path.join(srcdir, 'conf.py')}
    for docname in env.found_docs:
        deps.add(str(env.doc2path(docname)))
        for dep in env.dependencies.get(docname, ()):
            deps.add(os.path.normpath(os.path.join(srcdir, str(dep))))
    for img in getattr(env, 'images', {}):
        deps.add(os.path.normpath(os.path.join(srcdir, str(img))))
    # directories: their mtime changes when a guide or image is added
    for root, dirs, _files in os.walk(srcdir):
        dirs[:] = [d for d in dirs if not d.startswith(('.', '_'))]
        deps.add(root)
    deps = sorted(d for d in deps if os.path.exists(d))
    with open(depfile, 'w', encoding='utf-8') as f:
        f.write(_dep_escape(target) + ':')
        for d in deps:
            f.write(' \\\n  ' + _dep_escape(d))
        f.write('\n')


def _reread_index(app, env, added, changed, removed):
    # the toctree of index depends on which guides exist: read it again
    # on every build, so that a guide added or removed later is seen
    return [root_doc]


def setup(app):
    app.connect('env-get-outdated', _reread_index)
    app.connect('source-read', _fix_index_toctree)
    app.connect('build-finished', _write_depfile)
    return {'parallel_read_safe': True, 'parallel_write_safe': True}
