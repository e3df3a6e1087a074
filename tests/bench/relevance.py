#!/usr/bin/env python3
"""Scores search relevance on an evaluation set (tests/bench/relevance runs this).

Usage: relevance.py EVAL.tsv CORPUS_PAGES_DIR URL TOKEN
For each query, asks ken's /api/search (Cache-Control: no-cache) and two references computed
here, in the same run, over the same pages: plain SQLite FTS5 (porter unicode61 tokenizer, a
title column weighted 10 and the page text; bm25) with every word of the query required, and
with any word. Prints Success@3, Success@1, MRR@10 and the queries with no result for each;
VERBOSE=1 prints every query's rank of its first acceptable page (- when not in the top 10).
Also prints what ken's automatic vocabulary bridge does (the same queries with bridge=0).
"""
import json
import os
import re
import sqlite3
import sys
import urllib.parse
import urllib.request

evalfile, corpus, url, token = sys.argv[1:5]
verbose = os.environ.get("VERBOSE") == "1"

queries = []
for line in open(evalfile, encoding="utf-8"):
    if line.startswith("#") or not line.strip():
        continue
    q, pages = line.rstrip("\n").split("\t")
    queries.append((q, set(pages.split())))


def ken(q, extra=None):
    params = {"q": q, "limit": 10, "facets": 0}
    if extra:
        params.update(extra)
    req = urllib.request.Request(
        url + "/api/search?" + urllib.parse.urlencode(params),
        headers={"Authorization": "Bearer " + token, "Cache-Control": "no-cache"})
    with urllib.request.urlopen(req) as r:
        data = json.load(r)
    return [h["path"] for h in data["results"]]


# The references: the raw Markdown, title = the page's name, text = everything else.
ref = sqlite3.connect(":memory:")
ref.execute("CREATE VIRTUAL TABLE ref USING fts5(id UNINDEXED, title, body, "
            "tokenize = 'porter unicode61 remove_diacritics 2')")
for space in ("common", "linux"):
    d = os.path.join(corpus, space)
    for name in sorted(os.listdir(d)):
        if not name.endswith(".md"):
            continue
        text = open(os.path.join(d, name), encoding="utf-8").read()
        first, _, rest = text.partition("\n")
        ref.execute("INSERT INTO ref VALUES (?, ?, ?)",
                    (space + "/" + name[:-3], first.lstrip("# "), rest))


def reference(q, op):
    words = re.findall(r"[A-Za-z0-9\u0080-\uffff]+", q)
    if not words:
        return []
    expr = (" " + op + " ").join('"%s"' % w for w in words)
    return [r[0] for r in ref.execute(
        "SELECT id FROM ref WHERE ref MATCH ? ORDER BY bm25(ref, 10.0, 1.0) LIMIT 10", (expr,))]


def first_rank(found, ok):
    for i, p in enumerate(found[:10]):
        if p in ok:
            return i + 1
    return 0


systems = [("ken", lambda q: ken(q)),
           ("fts5 all words", lambda q: reference(q, "AND")),
           ("fts5 any word", lambda q: reference(q, "OR"))]
if os.environ.get("BRIDGE_CHECK", "1") == "1":
    systems.insert(1, ("ken, bridge=0", lambda q: ken(q, {"bridge": 0})))
    systems.insert(2, ("ken, bridge=1", lambda q: ken(q, {"bridge": 1})))
    systems.insert(3, ("ken, bridge=2", lambda q: ken(q, {"bridge": 2})))

ranks = {name: [] for name, _ in systems}
empty = {name: 0 for name, _ in systems}
for q, ok in queries:
    row = []
    for name, run in systems:
        found = run(q)
        r = first_rank(found, ok)
        ranks[name].append(r)
        empty[name] += not found
        row.append(str(r) if r else "-")
    if verbose:
        print("%-60s %s" % (q[:60], " ".join("%3s" % x for x in row)))
        if row[0] == "-" or int(row[0]) > 3:
            print("    ken's first: %s; acceptable: %s" % (" ".join(ken(q)[:3]), " ".join(sorted(ok))))

if verbose:
    print("%-60s %s" % ("(ranks: " + ", ".join(n for n, _ in systems) + ")", ""))
print("%-18s %10s %10s %8s %8s" % ("system", "Success@3", "Success@1", "MRR@10", "empty"))
for name, _ in systems:
    rs = ranks[name]
    n = len(rs)
    print("%-18s %10.3f %10.3f %8.3f %8d" % (
        name, sum(1 for r in rs if 1 <= r <= 3) / n, sum(1 for r in rs if r == 1) / n,
        sum(1.0 / r for r in rs if r) / n, empty[name]))
print("(%d queries from %s)" % (len(queries), os.path.basename(evalfile)))
