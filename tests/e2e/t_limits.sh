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

# ken import markdown: every file becomes its own page or is reported as failed with the reason
# (exit 1); links are never followed. Before, tldr's "+.md" files became revisions of their
# folder's page, clang++ and clang overwrote each other, "..md" was skipped without a word, and
# a link published /etc/hostname.
IMP=$TMP/imp
mkdir -p "$IMP/tools" "$IMP/misc"
echo "# Tools" >"$IMP/tools.md"
echo "plus" >"$IMP/tools/+.md"
echo "the C++ one" >"$IMP/tools/clang++.md"
echo "the C one" >"$IMP/tools/clang.md"
echo "dash" >"$IMP/misc/a-b.md"
echo "underscore" >"$IMP/misc/a_b.md"
echo "hidden" >"$IMP/misc/..md"
echo "secret-in-etc" >"$TMP/outside.md"
ln -s "$TMP/outside.md" "$IMP/misc/linked.md"
ln -s "$TMP" "$IMP/escape"
printf 'see ![x](host.png)\n' >"$IMP/misc/pic.md"
printf '\x89PNG\r\n\x1a\n' >"$TMP/host.png"
ln -s "$TMP/host.png" "$IMP/misc/host.png"
run_ken import markdown "$IMP" --space imp --db "$DB"
expect_eq "failures make the import exit 1" 1 "$RC"
expect_contains "clang++ does not overwrite clang: clang gets a page of its own, and says so" "tools/clang.md: imported as imp/tools/clang-2: imp/tools/clang is tools/clang++.md's page" "$ERR"
expect_contains "a_b does not overwrite a-b" "misc/a_b.md: imported as imp/misc/a-b-2: imp/misc/a-b is misc/a-b.md's page" "$ERR"
expect_contains "a linked file is reported, not followed" "misc/linked.md: a symbolic link: not followed" "$ERR"
expect_contains "a linked folder is reported, not followed" "escape: a symbolic link: not followed" "$ERR"
expect_contains "a linked image is reported too" "misc/host.png: a symbolic link: not followed" "$ERR"
expect_contains "the summary counts them" "created 8, updated 0, skipped 0 (unchanged), failed 3" "$ERR"
expect_eq "+.md has a page of its own (p- and a hash: the name has no letters)" 1 \
    "$(sqlite3 "$DB" "SELECT count(*) FROM pages WHERE path GLOB 'imp/tools/p-*' AND title = '+'")"
expect_eq "..md too (it was skipped without a word)" 1 \
    "$(sqlite3 "$DB" "SELECT count(*) FROM pages WHERE path GLOB 'imp/misc/p-*' AND title = '.'")"
http GET /api/pages/imp/tools/clang "${AUTH[@]}"
expect_eq "clang's page holds the first file only" "the C++ one" "$(json "$BODY" '["markdown"]' | tr -d '\n')"
http GET /api/pages/imp/tools/clang-2 "${AUTH[@]}"
expect_eq "clang.md has its own page" "the C one" "$(json "$BODY" '["markdown"]' | tr -d '\n')"
run_ken import markdown "$IMP" --space imp --db "$DB"
expect_contains "a second run finds every page unchanged" "created 0, updated 0, skipped 8 (unchanged), failed 3" "$ERR"
http GET /api/pages/imp/tools "${AUTH[@]}"
expect_eq "the folder's page has one revision" 1 "$(json "$BODY" '["revision"]')"
http GET /api/pages/imp/misc/linked "${AUTH[@]}"
expect_status "nothing was imported through the link" 404
http GET /files/imp/misc/pic/host.png "${AUTH[@]}"
expect_status "an image reached through a link is not attached" 404

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

# ken import mediawiki: memory stays bounded and a failure is a failure. A 222 KB export whose
# table pads to 72 million cells took gigabytes; now the table stays as written (as code).
python3 - "$TMP" <<'PY'
import sys
d = sys.argv[1]
page = """<page><title>%s</title><ns>0</ns><id>%d</id><revision><id>%d</id>
<timestamp>2020-01-01T00:00:00Z</timestamp><contributor><username>Ana</username></contributor>
<model>wikitext</model><format>text/x-wiki</format><text xml:space="preserve">%s</text></revision></page>
"""
wide = "{|\n| a" + " || a" * 1999 + "\n|-\n| x" * 36000 + "\n|}\n"
huge = "word " * 450000
xml = ('<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.10/" version="0.10">\n'
       "<siteinfo><sitename>W</sitename></siteinfo>\n"
       + page % ("Wide table", 1, 1, wide) + page % ("Huge", 2, 2, huge) + "</mediawiki>\n")
open(d + "/wiki.xml", "w").write(xml)
PY
run_ken import mediawiki "$TMP/wiki.xml" --space mw --db "$DB"
expect_eq "a revision too large to convert fails the import" 1 "$RC"
expect_contains "it is named with the reason" "Huge (revision of 2020-01-01T00:00:00Z): its text is larger than 2 MiB" "$ERR"
expect_contains "the wide table's page is imported" "created 1, updated 0, skipped 0 (unchanged), failed 1" "$ERR"
http GET /api/pages/mw/wide-table "${AUTH[@]}"
expect_status "the wide table's page" 200
expect_eq "its table is kept as written" '```mediawiki' "$(json "$BODY" '["markdown"]' | sed -n 1p)"

# Exports: an attachment never takes the place of a page's file (an editor's "b.md" with forged
# front matter used to become page x/b in the Markdown export, and an import of it believed its
# author), and active files (SVG, HTML) are exported inert.
for pg in x x/b; do
    http PUT "/api/pages/exp/$pg" "${AUTH[@]}" -H 'Content-Type: application/json' \
        --data-binary '{"title":"Page '$pg'","markdown":"the real text of '$pg'"}'
    expect_status "page exp/$pg" 201
done
printf -- '---\ntitle: Forged\nauthor: mara\n---\nforged text\n' >"$TMP/b.md"
http POST "/api/upload/exp/x?name=b.md" "${AUTH[@]}" -H 'Content-Type: application/octet-stream' --data-binary @"$TMP/b.md"
expect_status "an attachment named b.md" 201
printf '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>\n' >"$TMP/evil.svg"
http POST "/api/upload/exp/x?name=pic.png" "${AUTH[@]}" -H 'Content-Type: application/octet-stream' --data-binary @"$TMP/evil.svg"
expect_status "an SVG named pic.png" 201
http POST "/api/upload/exp/x?name=evil.svg" "${AUTH[@]}" -H 'Content-Type: application/octet-stream' --data-binary @"$TMP/evil.svg"
expect_status "an SVG named evil.svg" 201
run_ken export markdown "$TMP/md" --db "$DB"
expect_eq "export markdown" 0 "$RC"
expect_contains "page x/b keeps its own file" "the real text of x/b" "$TMP/md/exp/x/b.md"
[ -f "$TMP/md/exp/x.files/b.md.txt" ] && pass || fail "the attachment is in x's files, not a page" "$(cd "$TMP/md/exp" && find . | head)"
run_ken export html "$TMP/site" --db "$DB"
expect_eq "export html" 0 "$RC"
expect_contains "page x/b's HTML is its own" "the real text of x/b" "$TMP/site/exp/x/b.html"
found=$(cd "$TMP/site" && find . -name '*.svg' -o -name 'pic.png' | head -n 3)
expect_eq "no SVG is exported live (whatever its name)" "" "$found"
[ -f "$TMP/site/exp/x.files/evil.svg.txt" ] && [ -f "$TMP/site/exp/x.files/pic.png.txt" ] && pass ||
    fail "active files are exported as .txt" "$(cd "$TMP/site/exp" && find . | head)"
expect_contains "the page links the inert copy" 'href="../exp/x.files/evil.svg.txt"' "$TMP/site/exp/x.html"

# ken backup under write load: one read snapshot, so it finishes (it restarted after every save
# made between two of its steps and, at about 10 saves a second, never finished), with progress.
for i in 1 2 3; do
    head -c 12000000 /dev/urandom >"$TMP/blob$i.bin"
    http POST "/api/upload/exp/x?name=blob$i.bin" "${AUTH[@]}" -H 'Content-Type: application/octet-stream' --data-binary @"$TMP/blob$i.bin"
    expect_status "a 12 MB file to make the database large" 201
done
touch "$TMP/writing"
writer() {
    local k=0
    while [ -f "$TMP/writing" ]; do
        k=$((k + 1))
        curl -s -o /dev/null --max-time 5 -X PUT "${AUTH[@]}" -H 'Content-Type: application/json' \
            -d "{\"title\":\"Load $1 $k\",\"markdown\":\"writer $1 save $k\"}" "$URL/api/pages/load/w$1-$k"
    done
}
WRITERS=()
for n in 1 2 3; do writer "$n" & WRITERS+=($!); done
sleep 1
RC=0
timeout 120 "$KEN" backup "$TMP/copy.db" --db "$DB" >"$OUT" 2>"$ERR" </dev/null || RC=$?
saves=$(sqlite3 "$DB" "SELECT count(*) FROM pages WHERE path LIKE 'load/%'")
rm -f "$TMP/writing"
wait "${WRITERS[@]}"
expect_eq "ken backup finishes while three writers save (within 120 s)" 0 "$RC"
expect_contains "it shows its progress" "backup: 100% (" "$ERR"
[ "$saves" -ge 10 ] && pass || fail "the writers really were saving" "only $saves saves"
run_ken check --db "$TMP/copy.db"
expect_eq "the copy passes ken check" 0 "$RC"

# Idle connections cannot starve real users: 100 connections that never send a byte (they made
# about 90% of requests fail) while others browse. ken as it starts by default (no --threads).
stop_server
PORT=$(free_port)
URL=http://127.0.0.1:$PORT
"$KEN" serve --db "$DB" --listen "127.0.0.1:$PORT" >>"$ACCESS" 2>>"$LOG" &
SERVER_PID=$!
wait_up || fail "ken serve with the defaults starts"
python3 - "$PORT" 100 30 <<'PY' &
import socket, sys, time
port, n, secs = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
socks, end = [], time.time() + secs
while time.time() < end:
    socks = [s for s in socks if s.fileno() >= 0]
    while len(socks) < n:   # keep n open: replace those ken closed
        try:
            socks.append(socket.create_connection(("127.0.0.1", port), timeout=2))
        except OSError:
            break
    for s in list(socks):
        s.setblocking(False)
        try:
            if s.recv(1) == b"":
                s.close()
        except BlockingIOError:
            pass
        except OSError:
            s.close()
    time.sleep(0.2)
PY
IDLE=$!
sleep 2
ok=0
for i in $(seq 20); do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$URL/login")
    [ "$code" = 200 ] && ok=$((ok + 1))
    sleep 0.2
done
kill "$IDLE" 2>/dev/null
wait "$IDLE" 2>/dev/null
expect_eq "20 of 20 sign-in pages load within 5 s while 100 idle connections are held open" 20 "$ok"

# Accounts. Leaving revokes sessions and tokens for good: coming back revives none of them.
login wei "$PW" "$TMP/wei.jar"
WEI_TOKEN=$("$KEN" token add wei --db "$DB")
login fiona "$PW" "$TMP/fiona.jar"
HR=$TMP/fiona.jar
[ -n "$(csrf_of "$TMP/wei.jar")" ] && pass || fail "wei is signed in"
post_form "$HR" /people/wei/left left=1
expect_status "HR marks wei as having left" 303
post_form "$HR" /people/wei/left left=0
expect_status "and back" 303
expect_eq "wei's old session does not come back with them" "" "$(csrf_of "$TMP/wei.jar")"
http GET /api/pages/handbook/welcome -H "Authorization: Bearer $WEI_TOKEN"
expect_status "nor their old API token" 401
# HR cannot mark the only admin as having left (administration and SCIM would be locked out).
expect_eq "mara is the demo's only admin" "mara" "$(sqlite3 "$DB" "SELECT group_concat(login) FROM users WHERE role = 'admin' AND disabled = 0")"
post_form "$HR" /people/mara/left left=1
expect_status "HR cannot mark the only admin as having left" 409
expect_contains "and is told why" "the only admin"
expect_eq "mara can still sign in" 0 "$(sqlite3 "$DB" "SELECT disabled FROM users WHERE login = 'mara'")"
# ken user password ends the sessions the old password opened.
login gareth "$PW" "$TMP/gareth.jar"
[ -n "$(csrf_of "$TMP/gareth.jar")" ] && pass || fail "gareth is signed in"
echo 'a brand new passphrase' | "$KEN" user password gareth --password-stdin --db "$DB" >/dev/null 2>&1
expect_eq "after ken user password, gareth's old session is over" "" "$(csrf_of "$TMP/gareth.jar")"
# Withdrawing and endorsing again, over and over, tells the person once a day (60 toggles sent
# 60 e-mails).
login mara "$PW" "$TMP/mara.jar"
login callum "$PW" "$TMP/callum.jar"
post_form "$TMP/mara.jar" /admin/mail enabled=1 "smtp_url=smtp://127.0.0.1:9" from=ken@northwindloom.example public_url=https://ken.northwindloom.example/
expect_status "an admin turns e-mail on" 303
for i in $(seq 10); do
    post_form "$TMP/callum.jar" /people/priya/endorse skill=postgresql on=0
    post_form "$TMP/callum.jar" /people/priya/endorse skill=postgresql on=1
done
expect_status "callum endorses priya for the tenth time" 303
expect_eq "priya is e-mailed about it once" 1 \
    "$(sqlite3 "$DB" "SELECT count(*) FROM mail_queue q JOIN users u ON u.id = q.user_id WHERE u.login = 'priya' AND q.kind = 'endorsement'")"

# The sign-in throttle holds under concurrency: 60 guesses at once for one account get at most
# 10 password checks (401), the rest are refused (429); 40 more for other logins from the same
# address, at most 30 checks in all.
http GET /login -c "$TMP/guess.jar"
GUESS_CSRF=$(grep -o 'name="csrf" value="[^"]*"' "$BODY" | head -n1 | sed 's/.*value="//; s/"$//')
guess() { # guess LOGIN: prints the status of one wrong sign-in
    curl -s -o /dev/null -w '%{http_code}\n' --max-time 60 -b "$TMP/guess.jar" \
        --data-urlencode "login=$1" --data-urlencode "password=wrong guess" \
        --data-urlencode "csrf=$GUESS_CSRF" "$URL/login"
}
GUESSERS=()
for i in $(seq 60); do guess priya >>"$TMP/guesses1" & GUESSERS+=($!); done
wait "${GUESSERS[@]}"
GUESSERS=()
for i in $(seq 40); do guess "someone$i" >>"$TMP/guesses2" & GUESSERS+=($!); done
wait "${GUESSERS[@]}"
checked1=$(grep -c '^401$' "$TMP/guesses1")
checked2=$(grep -c '^401$' "$TMP/guesses2")
echo "throttle: one account, 60 at once: $(sort "$TMP/guesses1" | uniq -c | tr "\n" " "); 40 other logins: $(sort "$TMP/guesses2" | uniq -c | tr "\n" " ")"
[ "$checked1" -le 10 ] && [ "$checked1" -ge 1 ] && pass ||
    fail "60 concurrent guesses for one account get at most 10 checks" "got $checked1: $(sort "$TMP/guesses1" | uniq -c | tr '\n' ' ')"
[ $((checked1 + checked2)) -le 30 ] && pass ||
    fail "at most 30 checks from one address" "got $((checked1 + checked2))"
expect_eq "every other guess is refused with 429" 100 $(($(grep -c '^429$' "$TMP/guesses1") + $(grep -c '^429$' "$TMP/guesses2") + checked1 + checked2))

