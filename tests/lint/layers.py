#!/usr/bin/env python3
"""The shape of app/, checked: every rule below is one a reviewer would otherwise check by hand.

1. No include cycles between modules (a module is NAME.c with NAME.h; "a includes b" means a.c or
   a.h includes b.h). A cycle means two modules cannot be understood, tested or replaced apart.
2. Stores (*_store.c) and engines (everything outside http/ that is not *_http.c) never include
   http/ headers or *_http.h: they must run without a web request (the CLI, importers, tests).
3. SQL lives in *_store.c only (and in core/db.c, core/migrate.c, the storage engine itself), so a
   second storage engine can replace the stores alone.

Usage: layers.py APP_DIR [KNOWN]. Prints each violation; exits 1 if there is one that KNOWN (the
problems still being paid off, one per line, "#" comments) does not list. A KNOWN line that no
longer occurs is reported too, so the list only shrinks."""
import os, re, sys

app = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '../../app')
inc_re = re.compile(r'^\s*#\s*include\s+"([a-z0-9_]+/[a-z0-9_]+)\.h"', re.M)
# A string literal that begins like an SQL statement.
sql_re = re.compile(r'"\s*(SELECT|INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER|WITH|PRAGMA|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|VACUUM|ATTACH)\s', re.I)
# C tokens that may hide one another: string and character literals, block and line comments.
tok_re = re.compile(r'"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|/\*.*?\*/|//[^\n]*', re.S)
SQL_ALLOWED = {'core/db', 'core/migrate'}

modules = {}  # "dir/name" -> set of included "dir/name"
sources = {}
for d in sorted(os.listdir(app)):
    if d == 'tools' or not os.path.isdir(os.path.join(app, d)):
        continue
    for f in sorted(os.listdir(os.path.join(app, d))):
        if not f.endswith(('.c', '.h')):
            continue
        mod = d + '/' + f[:-2]
        text = open(os.path.join(app, d, f), encoding='utf-8').read()
        deps = modules.setdefault(mod, set())
        deps.update(m for m in inc_re.findall(text) if m != mod)
        if f.endswith('.c'):
            sources[mod] = text

problems = []
details = {}

def is_http(mod):
    return mod.startswith('http/') or mod.endswith('_http')

for mod, deps in sorted(modules.items()):
    if not is_http(mod) and not mod.startswith('cli/'):
        for dep in sorted(deps):
            if is_http(dep):
                problems.append(f'layer: {mod} -> {dep}')
for mod, text in sorted(sources.items()):
    if mod.endswith('_store') or mod in SQL_ALLOWED:
        continue
    # Comments are not SQL: blank them out, keeping line numbers (and string literals) in place.
    code = tok_re.sub(lambda m: m.group(0) if m.group(0)[0] in '"\'' else
                      re.sub(r'[^\n]', ' ', m.group(0)), text)
    lines = [str(code.count('\n', 0, m.start()) + 1) for m in sql_re.finditer(code)]
    if lines:
        problems.append(f'sql: {mod} ({len(lines)})')
        details[f'sql: {mod} ({len(lines)})'] = 'SQL outside a *_store.c at app/' + mod + '.c lines ' + ' '.join(lines)

# Strongly connected components (Tarjan), each one of more than one module is a cycle.
index, low, stack, on, sccs = {}, {}, [], set(), []
sys.setrecursionlimit(10000)
def visit(v):
    index[v] = low[v] = len(index)
    stack.append(v); on.add(v)
    for w in modules.get(v, ()):
        if w not in modules:
            continue
        if w not in index:
            visit(w); low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop(); on.discard(w); comp.append(w)
            if w == v:
                break
        if len(comp) > 1:
            sccs.append(sorted(comp))
for v in sorted(modules):
    if v not in index:
        visit(v)
for comp in sccs:
    for a in comp:
        for b in sorted(modules[a]):
            if b in comp:
                problems.append(f'cycle: {a} -> {b}')
                details[f'cycle: {a} -> {b}'] = f'an include inside a cycle of {len(comp)} modules: ' + ' '.join(comp)

known = set()
if len(sys.argv) > 2:
    for line in open(sys.argv[2], encoding='utf-8'):
        line = line.split('#', 1)[0].strip()
        if line:
            known.add(line)
new = [p for p in problems if p not in known]
gone = sorted(known - set(problems))
for p in new:
    print('NEW ' + p + ('  (' + details[p] + ')' if p in details else ''))
for p in gone:
    print('FIXED (remove it from the known list) ' + p)
print(f'layers: {len(modules)} modules, {len(problems)} problem(s), {len(new)} new, {len(known)} known, {len(gone)} fixed')
sys.exit(1 if new or gone else 0)
