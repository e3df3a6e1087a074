#!/usr/bin/env bash
# Issue 15: nothing a user sends can stall, crash or silently lose data. Texts that Debian 12's
# cmark-gfm would take seconds, gigabytes or an abort to format are refused with the reason (the
# form keeps the text, the API answers 400), a slow render does not hold the write lock, and a
# diff of huge texts stays bounded.
. "$(dirname "$0")/lib.sh" "$@"
init_demo
start_server
TOKEN=$("$KEN" token add priya --db "$DB")
AUTH=(-H "Authorization: Bearer $TOKEN")
login priya "$PW"
ED=$TMP/priya.jar

# Texts: a 1,500-column header over 3,000 rows (12 KB; 45 MB of HTML and 1 GB of memory before),
# and 1 MB of e-mail-like words (7 s of CPU before, with no allocation for cmark to fail on).
python3 - "$TMP" <<'PY'
import json, sys
d = sys.argv[1]
wide = "a|" * 1500 + "\n" + "-|" * 1500 + "\n" + "x\n" * 3000 + "WIDE-MARKER\n"
open(d + "/wide.md", "w").write(wide)
open(d + "/wide.json", "w").write(json.dumps({"title": "Wide", "markdown": wide}))
open(d + "/bio.json", "w").write(json.dumps({"bio": wide}))
slow = ("a@b." * 262144)[: 1 << 20]
open(d + "/slow.json", "w").write(json.dumps({"title": "Slow", "markdown": slow}))
PY

# The API: 400 with the reason; nothing stored.
http PUT /api/pages/limits/wide "${AUTH[@]}" -H 'Content-Type: application/json' \
    --data-binary @"$TMP/wide.json"
expect_status "a page with a 4.5-million-cell table is refused" 400
expect_contains "the API says why" "its tables are too large"
http GET /api/pages/limits/wide "${AUTH[@]}"
expect_status "the refused page was not stored" 404

# The form: refused with the reason, and the text typed is still in the form.
post_form "$ED" /edit/ path=limits/wide title=Wide "markdown@$TMP/wide.md" base_rev=0 save=1
expect_status "the form refuses the same page" 400
expect_contains "the form says why" "its tables are too large"
expect_contains "the form keeps the typed text" "WIDE-MARKER"

# A bio (anyone may write one): the same.
http PUT /api/people/priya "${AUTH[@]}" -H 'Content-Type: application/json' \
    --data-binary @"$TMP/bio.json"
expect_status "a bio with the same table is refused" 400
expect_contains "the bio refusal says why" "its tables are too large"
post_form "$ED" /people/priya/edit "bio@$TMP/wide.md"
expect_status "the profile form refuses it" 400
expect_contains "the profile form keeps the typed bio" "WIDE-MARKER"

# A text that takes cmark seconds with no allocation in between: stopped after about 1 s of CPU
# and refused, while other people's saves go through (it renders before the write transaction;
# it used to hold the write lock for the whole render, so they got 503 "database is busy").
curl -s -o "$TMP/slow.out" -w '%{http_code}' --max-time 60 -X PUT "${AUTH[@]}" \
    -H 'Content-Type: application/json' --data-binary @"$TMP/slow.json" \
    "$URL/api/pages/limits/slow" >"$TMP/slow.code" &
SLOW=$!
sleep 0.3
for i in 1 2 3 4 5; do
    http PUT /api/pages/limits/other-$i "${AUTH[@]}" -H 'Content-Type: application/json' \
        --data-binary '{"title":"Other '$i'","markdown":"saved while a slow page renders"}'
    expect_status "save $i by someone else while the slow page renders" 201
done
wait "$SLOW"
expect_eq "the slow page is refused" 400 "$(cat "$TMP/slow.code")"
expect_contains "it says it took too long" "takes too long to format" "$TMP/slow.out"
http GET /wiki/handbook/welcome -b "$ED"
expect_status "ken still serves after all that" 200

# A diff of huge texts is bounded: a 0.6 MB change of short lines made a 54 MB page.
python3 - "$TMP" <<'PY'
import json, sys
d = sys.argv[1]
for n, (c, rev) in enumerate((("row %d\n", 0), ("ROW %d\n", 1))):
    md = "".join(c % i for i in range(60000))
    open("%s/lines%d.json" % (d, n), "w").write(
        json.dumps({"title": "Lines", "markdown": md, "base_revision": rev}))
PY
http PUT /api/pages/limits/lines "${AUTH[@]}" -H 'Content-Type: application/json' --data-binary @"$TMP/lines0.json"
expect_status "a page of 60,000 lines" 201
http PUT /api/pages/limits/lines "${AUTH[@]}" -H 'Content-Type: application/json' --data-binary @"$TMP/lines1.json"
expect_status "every line changed" 200
http GET "/diff/limits/lines?from=1&to=2" -b "$ED"
expect_status "the diff page" 200
size=$(stat -c %s "$BODY")
[ "$size" -lt 3000000 ] && pass || fail "the diff page stays under 3 MB" "it has $size bytes"
expect_contains "it says the rest is not shown" "too large to show in full (60000 lines added, 60000 removed in all)"
http GET "/api/pages/limits/lines/diff?from=1&to=2" "${AUTH[@]}"
expect_status "the API diff" 200
size=$(stat -c %s "$BODY")
[ "$size" -lt 4000000 ] && pass || fail "the API diff stays under 4 MB" "it has $size bytes"
expect_eq "the API diff says it is truncated" true "$(json "$BODY" '["truncated"]')"
expect_eq "with the counts of the whole change" 60000 "$(json "$BODY" '["added"]')"
