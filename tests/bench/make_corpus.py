#!/usr/bin/env python3
"""make_corpus.py SRC DST N: writes N Markdown pages to DST/<team>/..., copies of the corpus in SRC
(the tldr pages), one copy per team, each page ending with its team's name so that no two copies
are the same text. Used by tests/bench/search and, through lib.sh's big_db, the other benchmarks."""
import os
import sys

src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
teams = ("aurora basalt cobalt delta ember fjord glacier harbor indigo juniper krypton lagoon "
         "meridian nimbus obsidian prairie quartz rowan").split()
files = sorted(os.path.join(r, f) for r, _, fs in os.walk(src) for f in fs if f.endswith(".md"))
made = copy = 0
while made < n:
    team = teams[copy % len(teams)] + ("" if copy < len(teams) else str(copy))
    for f in files[: n - made]:
        out = os.path.join(dst, team, os.path.relpath(f, src))
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with open(f, encoding="utf-8", errors="replace") as fh:
            text = fh.read()
        with open(out, "w", encoding="utf-8") as fh:
            fh.write(text.rstrip("\n") + "\n\nKept by the %s team.\n" % team)
        made += 1
    copy += 1
