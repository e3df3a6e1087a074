#!/usr/bin/env bash
# The JSON API as a script would use it: tokens, reading, listing, creating and updating pages,
# conflicts, bad input, roles, CSRF for cookie sessions, and imports by admins.
. "$(dirname "$0")/lib.sh" "$@"
init_demo
start_server
EDITOR=$("$KEN" token add priya --db "$DB")
VIEWER=$("$KEN" token add gareth --db "$DB")
ADMIN=$("$KEN" token add mara --db "$DB")
api() { # api METHOD PATH TOKEN [JSON BODY]
    local m=$1 p=$2 t=$3
    shift 3
    http "$m" "$p" -H "Authorization: Bearer $t" ${1+-H "Content-Type: application/json" --data-binary "$1"}
}

# Reading needs a valid token; errors are JSON objects with a message.
http GET /api/pages
expect_status "no credentials" 401
expect_eq "401 body is a JSON error" "str" "$(json "$BODY" '["error"].__class__.__name__')"
api GET /api/pages not-a-real-token
expect_status "unknown token" 401
api GET /api/pages/handbook/welcome "$VIEWER"
expect_status "a viewer reads a page" 200
expect_header "JSON content type" "Content-Type: application/json"
expect_eq "page path" handbook/welcome "$(json "$BODY" '["path"]')"
expect_eq "page space" handbook "$(json "$BODY" '["space"]')"
expect_eq "tags are a list" list "$(json "$BODY" '["tags"].__class__.__name__')"
expect_eq "revision is a number" int "$(json "$BODY" '["revision"].__class__.__name__')"
json "$BODY" '["updated_at"]' | grep -qE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$' && pass ||
    fail "updated_at is ISO 8601 UTC" "$(json "$BODY" '["updated_at"]')"
for f in title markdown html author; do
    [ -n "$(json "$BODY" "[\"$f\"]")" ] && pass || fail "page has a $f"
done
api GET /api/pages/handbook/no-such-page "$VIEWER"
expect_status "missing page" 404
expect_contains "404 is a JSON error" '"error":"'
api GET /api/pages/Handbook "$VIEWER"
expect_status "bad path" 400
expect_contains "bad path explains the rules" "lowercase"

# Listing, narrowed by space, tag and limit.
api GET /api/pages "$VIEWER"
expect_status "list pages" 200
ALL=$(json "$BODY" '["pages"].__len__()')
[ "$ALL" -gt 5 ] && pass || fail "the demo has pages" "got $ALL"
api GET "/api/pages?space=handbook" "$VIEWER"
expect_eq "space filter keeps only that space" '["handbook"]' \
    "$(json "$BODY" '["pages"] and sorted({p["space"] for p in d["pages"]})')"
api GET "/api/pages?limit=2" "$VIEWER"
expect_eq "limit=2 gives 2 pages" 2 "$(json "$BODY" '["pages"].__len__()')"
api GET "/api/pages?limit=0" "$VIEWER"
expect_status "limit=0 is refused" 400

# Creating and updating.
PAGE='{"title":"Deploy checklist","markdown":"# Steps\n\nSee [[handbook/welcome|the welcome]].",
       "tags":["ops","Runbook"],"summary":"first"}'
api PUT /api/pages/ops/deploy-checklist "$EDITOR" "$PAGE"
expect_status "create a page" 201
expect_eq "new page is revision 1" 1 "$(json "$BODY" '["revision"]')"
expect_eq "author is the token's owner" priya "$(json "$BODY" '["author"]')"
expect_eq "tags are normalised" '["ops", "runbook"]' "$(json "$BODY" '["tags"]')"
expect_contains "markdown is rendered" "<h1"
expect_contains "wiki links are rendered" 'href=\"/wiki/handbook/welcome\"'
api GET /api/pages/ops/deploy-checklist "$VIEWER"
expect_eq "the new page can be read back" "Deploy checklist" "$(json "$BODY" '["title"]')"
api PUT /api/pages/ops/deploy-checklist "$EDITOR" '{"title":"Deploy checklist","markdown":"v2","base_revision":1}'
expect_status "update from the current revision" 200
expect_eq "update makes revision 2" 2 "$(json "$BODY" '["revision"]')"
api PUT /api/pages/ops/deploy-checklist "$EDITOR" '{"title":"Deploy checklist","markdown":"stale","base_revision":1}'
expect_status "update from an old revision conflicts" 409
expect_eq "409 names the current revision" 2 "$(json "$BODY" '["current_revision"]')"
expect_contains "409 explains" '"error":"'
api PUT /api/pages/ops/deploy-checklist "$EDITOR" '{"title":"Deploy checklist","markdown":"new?","base_revision":0}'
expect_status "base_revision 0 only creates" 409
api GET /api/pages/ops/deploy-checklist "$VIEWER"
expect_eq "conflicting writes changed nothing" v2 "$(json "$BODY" '["markdown"]')"

# Twelve people save revision 2 at once: exactly one wins, the others hear 409, nothing breaks.
pids=()
for i in $(seq 1 12); do
    curl -s --max-time 20 -o /dev/null -w '%{http_code}\n' -X PUT -H "Authorization: Bearer $EDITOR" \
        --data-binary "{\"title\":\"Deploy checklist\",\"markdown\":\"v3 by $i\",\"base_revision\":2}" \
        "$URL/api/pages/ops/deploy-checklist" >>"$TMP/race" &
    pids+=($!)
done
wait "${pids[@]}"
expect_eq "concurrent saves: one 200, eleven 409" "1x200 11x409" \
    "$(sort "$TMP/race" | uniq -c | awk '{printf "%s%sx%s", (NR > 1 ? " " : ""), $1, $2}')"
api GET /api/pages/ops/deploy-checklist "$VIEWER"
expect_eq "the page is at revision 3" 3 "$(json "$BODY" '["revision"]')"

# Bad input: 400 with a message that says what is wrong.
bad() { # bad WHAT BODY EXPECTED-TEXT
    api PUT /api/pages/ops/bad "$EDITOR" "$2"
    expect_status "$1 is refused" 400
    expect_contains "$1 is explained" "$3"
}
bad "malformed JSON" '{"title": "x", "markdown": ' "not a JSON object"
bad "a JSON array" '["title", "markdown"]' "not an object"
bad "an empty body" '' "JSON object"
bad "a missing title" '{"markdown":"text"}' "title"
bad "a number as markdown" '{"title":"T","markdown":42}' "markdown"
bad "tags that are not strings" '{"title":"T","markdown":"m","tags":[1]}' "tags must be"
bad "a tag with odd characters" '{"title":"T","markdown":"m","tags":["<b>"]}' "tags use"
bad "a duplicated key" '{"title":"T","title":"U","markdown":"m"}' "duplicate"
bad "a text base_revision" '{"title":"T","markdown":"m","base_revision":"1"}' "base_revision"
head -c 5000000 /dev/zero | tr '\0' x >"$TMP/big.json"
api PUT /api/pages/ops/bad "$EDITOR" "@$TMP/big.json"
expect_status "a 5 MB body is too large" 413
expect_contains "413 is a JSON error" '"error":"'
api GET /api/pages/ops/bad "$VIEWER"
expect_status "refused pages were not created" 404

# Roles: viewers cannot write; only admins may import with author and created_at.
api PUT /api/pages/ops/viewer-page "$VIEWER" '{"title":"T","markdown":"m"}'
expect_status "a viewer cannot write" 403
expect_contains "403 is a JSON error" '"error":"'
http PUT /api/pages/ops/anon -H "Content-Type: application/json" --data-binary '{"title":"T","markdown":"m"}'
expect_status "anonymous write" 401
api PUT /api/pages/ops/forged "$EDITOR" '{"title":"T","markdown":"m","author":"mara"}'
expect_status "an editor cannot set the author" 403
IMPORT='{"title":"Old notes","markdown":"from the old wiki","author":"helena","created_at":"2019-05-04T10:20:30Z"}'
api PUT /api/pages/ops/old-notes "$ADMIN" "$IMPORT"
expect_status "an admin imports a page" 201
expect_eq "imported author" helena "$(json "$BODY" '["author"]')"
expect_eq "imported date" 2019-05-04T10:20:30Z "$(json "$BODY" '["updated_at"]')"
api PUT /api/pages/ops/old-2 "$ADMIN" '{"title":"T","markdown":"m","author":"nobody"}'
expect_status "an unknown author" 400
api PUT /api/pages/ops/old-3 "$ADMIN" '{"title":"T","markdown":"m","created_at":"last week"}'
expect_status "an unreadable created_at" 400

# A browser session may use the API too, but must send its CSRF token.
login priya "$PW" && login mara "$PW"
CSRF=$(csrf_of "$TMP/priya.jar")
http PUT /api/pages/ops/from-browser -b "$TMP/priya.jar" -H "Content-Type: application/json" \
    --data-binary '{"title":"From the browser","markdown":"m"}'
expect_status "cookie PUT without X-CSRF-Token" 403
expect_contains "the CSRF refusal is JSON" '"error":"'
http PUT /api/pages/ops/from-browser -b "$TMP/priya.jar" -H "X-CSRF-Token: $CSRF" \
    -H "Content-Type: application/json" --data-binary '{"title":"From the browser","markdown":"m"}'
expect_status "cookie PUT with X-CSRF-Token" 201
http PUT /api/pages/ops/from-browser -b "$TMP/priya.jar" -H "X-CSRF-Token: $(csrf_of "$TMP/mara.jar")" \
    -H "Content-Type: application/json" --data-binary '{"title":"T","markdown":"other token"}'
expect_status "cookie PUT with another session's CSRF token" 403
http PUT /api/pages/ops/from-browser -b "$TMP/priya.jar" -H "X-CSRF-Token: $CSRF" \
    -H "Content-Type: application/json" --data-binary '{"title":"From the browser","markdown":"m2","base_revision":1}'
expect_status "cookie PUT updating with X-CSRF-Token" 200

# A token also works on HTML pages.
http GET /wiki/handbook/welcome -H "Authorization: Bearer $EDITOR"
expect_status "token on an HTML page" 200
expect_contains "the page knows who is reading" "Priya Raman"
expect_contains "and offers an editor a new page" 'href="/new"'
http GET /edit/ops/deploy-checklist -H "Authorization: Bearer $EDITOR"
expect_status "token opens the editor" 200
http POST /edit/ops/token-form -H "Authorization: Bearer $EDITOR" --data-urlencode "title=Via form" \
    --data-urlencode "markdown=sent by a script" -d "base_rev=0&save=1"
expect_status "token saves through the HTML form without a CSRF token" 303
