#!/usr/bin/env bash
# A page's history: the revision list, old revisions, diffs with word highlights, restoring an old
# revision, the revisions API, and two people editing at once (merged, refused, raced).
. "$(dirname "$0")/lib.sh" "$@"
init_demo
start_server
login priya "$PW" && login callum "$PW" && login gareth "$PW"
A=$TMP/priya.jar B=$TMP/callum.jar VIEWER=$TMP/gareth.jar
TOKEN_A=$("$KEN" token add priya --db "$DB") TOKEN_B=$("$KEN" token add callum --db "$DB")
api() { # api METHOD PATH TOKEN [JSON BODY]
    local m=$1 p=$2 t=$3
    shift 3
    http "$m" "$p" -H "Authorization: Bearer $t" ${1+-H "Content-Type: application/json" --data-binary "$1"}
}
P=ops/restart
R1=$'Restart the server with sudo now.\nCheck the logs.\nCall the on-call.'
R2=$'Restart the server with systemctl <script>alert(1)</script> now.\nCheck the logs.\nCall the on-call.\nWrite it down.'
post_form "$A" /edit/ path=$P "title=Restart guide" "markdown=$R1" "summary=first draft" base_rev=0 save=1
expect_status "revision 1 saved" 303
post_form "$B" /edit/$P "title=Restart guide" "markdown=$R2" "summary=use systemctl" base_rev=1 save=1
expect_status "revision 2 saved" 303

# The history lists both revisions, newest first, with authors, summaries and size changes.
http GET /history/$P -b "$VIEWER"
expect_status "history page" 200
for want in "Priya Raman" "Callum Reid" "first draft" "use systemctl"; do
    expect_contains "history shows $want" "$want"
done
at1=$(grep -n "?rev=1\">1<" "$BODY" | cut -d: -f1) at2=$(grep -n "?rev=2\">2<" "$BODY" | cut -d: -f1)
[ -n "$at1" ] && [ -n "$at2" ] && [ "$at2" -lt "$at1" ] && pass ||
    fail "history lists revision 2 before revision 1" "rev 2 at line ${at2:-none}, rev 1 at ${at1:-none}"
expect_contains "revision 1 grew by its whole size" "+${#R1} "
expect_contains "revision 2 shows how much it grew" "+$((${#R2} - ${#R1})) "

# An old revision is shown with a notice.
http GET "/wiki/$P?rev=1" -b "$VIEWER"
expect_status "old revision" 200
expect_contains "old revision has its text" "Restart the server with sudo now."
expect_contains "old revision says it is old" "an old version"
http GET "/wiki/$P" -b "$VIEWER"
expect_not_contains "the current revision has no old-version notice" "an old version"

# Diffs: lines added and removed, changed words marked, the text escaped.
http GET "/diff/$P?from=1&to=2" -b "$VIEWER"
expect_status "diff" 200
expect_contains "diff has a removed line" '<tr class="del">'
expect_contains "diff has an added line" '<tr class="add">'
expect_contains "diff shows the added last line" "Write it down."
expect_contains "diff marks the removed word" "<del>sudo</del>"
expect_contains "diff marks the inserted words" "<ins>systemctl"
expect_contains "diff escapes markup in the text" "&lt;script&gt;alert(1)&lt;/script&gt;"
expect_not_contains "diff has no live script" "<script>alert(1)"
expect_contains "diff counts lines" "+2</span>"
http GET "/diff/$P?from=1&to=2&mode=side" -b "$VIEWER"
expect_status "side-by-side diff" 200
expect_contains "side-by-side layout" "diff-sbs"
expect_contains "side by side marks the removed word" "<del>sudo</del>"
expect_not_contains "side by side has no live script" "<script>alert(1)"
http GET "/diff/$P?from=1&to=9" -b "$VIEWER"
expect_status "diff to a missing revision" 404
http GET "/diff/ops/no-such-page" -b "$VIEWER"
expect_status "diff of a missing page" 404

# Restoring revision 1 makes a new revision 3 with revision 1's text.
http POST /revert/$P -b "$VIEWER" --data-urlencode "csrf=$(csrf_of "$VIEWER")" -d "rev=1&base_rev=2"
expect_status "a viewer cannot restore" 403
http POST /revert/$P -b "$A" -d "rev=1&base_rev=2"
expect_status "restoring without the CSRF token" 403
post_form "$A" /revert/$P rev=1 base_rev=2
expect_status "restore revision 1" 303
expect_header "restore goes to the page" "Location: /wiki/$P"
http GET /wiki/$P -b "$VIEWER"
expect_contains "the page has revision 1's text again" "Restart the server with sudo now."
expect_not_contains "revision 2's text is gone from the page" "Write it down."
expect_contains "the restore is revision 3" "revision 3"
http GET /history/$P -b "$VIEWER"
expect_contains "history names the restore" "Restored revision 1"
expect_contains "history still has revision 2" "?rev=2\">2<"

# The revisions API.
api GET /api/pages/$P/revisions "$TOKEN_B"
expect_status "revision list" 200
expect_eq "revisions newest first" "[3, 2, 1]" "$(json "$BODY" '["revisions"] and [x["number"] for x in d["revisions"]]')"
expect_eq "revision authors" '["priya", "callum", "priya"]' "$(json "$BODY" '["revisions"] and [x["author"] for x in d["revisions"]]')"
expect_eq "revision summaries" "use systemctl" "$(json "$BODY" '["revisions"][1]["summary"]')"
api GET /api/pages/$P/revisions/2 "$TOKEN_B"
expect_status "one revision" 200
expect_eq "revision 2's text" "$R2" "$(json "$BODY" '["markdown"]')"
expect_eq "revision 2's author" callum "$(json "$BODY" '["author"]')"
api GET /api/pages/$P/revisions/7 "$TOKEN_B"
expect_status "a missing revision" 404

# Two people open the editor on revision 3. A changes line 1; B then changes the last line: merged.
post_form "$A" /edit/$P "title=Restart guide" "markdown=${R1/sudo/systemd}" base_rev=3 save=1
expect_status "A saves revision 4" 303
post_form "$B" /edit/$P "title=Restart guide" "markdown=${R1/on-call./on-call now.}" base_rev=3 save=1
expect_status "B's save on other lines is merged" 303
expect_header "merged save says so in the address" "Location: /wiki/$P?merged="
http GET "$(header_of Location)" -b "$B"
expect_contains "merged page has A's change" "Restart the server with systemd now."
expect_contains "merged page has B's change" "Call the on-call now."
expect_contains "merged page explains the merge" "ken merged both"
# Same line: refused, with A's newer text in the editor.
post_form "$B" /edit/$P "title=Restart guide" "markdown=${R1/sudo/init}" base_rev=3 save=1
expect_status "B changing A's line conflicts" 409
expect_contains "the conflict shows the newer text" "Restart the server with systemd now."
expect_contains "the conflict keeps B's text" "Restart the server with init now."
http GET /wiki/$P -b "$B"
expect_not_contains "the conflicting edit was not saved" "with init now"

# The same through the API.
Q=ops/api-merge
api PUT /api/pages/$Q "$TOKEN_A" '{"title":"Q","markdown":"one\ntwo\nthree\nfour\nfive\n","base_revision":0}'
api PUT /api/pages/$Q "$TOKEN_A" '{"title":"Q","markdown":"ONE\ntwo\nthree\nfour\nfive\n","base_revision":1}'
expect_status "API edit from revision 1" 200
api PUT /api/pages/$Q "$TOKEN_B" '{"title":"Q","markdown":"one\ntwo\nthree\nfour\nFIVE\n","base_revision":1}'
expect_status "API edit of another line from the old revision" 200
expect_eq "the API says it merged" true "$(json "$BODY" '["merged"]')"
expect_eq "the merged text has both changes" $'ONE\ntwo\nthree\nfour\nFIVE' "$(json "$BODY" '["markdown"]')"
api PUT /api/pages/$Q "$TOKEN_B" '{"title":"Q","markdown":"uno\ntwo\nthree\nfour\nfive\n","base_revision":1}'
expect_status "API edit of the same line from the old revision" 409
expect_eq "409 names the current revision" 3 "$(json "$BODY" '["current_revision"]')"

# Eight people change the same line of revision 3 at once: exactly one wins.
pids=()
for i in $(seq 1 8); do
    curl -s -o /dev/null -w '%{http_code}\n' -X PUT -H "Authorization: Bearer $TOKEN_A" \
        --data-binary "{\"title\":\"Q\",\"markdown\":\"ONE\\nrace $i\\nthree\\nfour\\nFIVE\\n\",\"base_revision\":3}" \
        "$URL/api/pages/$Q" >"$TMP/race.$i" &
    pids+=($!)
done
wait "${pids[@]}"
expect_eq "one of eight racing saves succeeds" 1 "$(cat "$TMP"/race.* | grep -c '^200$')"
expect_eq "the other seven conflict" 7 "$(cat "$TMP"/race.* | grep -c '^409$')"
api GET /api/pages/$Q "$TOKEN_B"
expect_eq "the page has exactly one new revision" 4 "$(json "$BODY" '["revision"]')"
