#!/usr/bin/env bash
# Search synonyms that admins keep: /admin/synonyms (a form with CSRF, admins only) and
# /api/synonyms; a search for one word of a set finds pages that use another, at once; bad
# input is refused with the reason; deleting a set takes it out of search.
. "$(dirname "$0")/lib.sh" "$@"
init_demo
start_server
login mara "$PW"
ADMIN=$TMP/mara.jar
ADMIN_TOKEN=$("$KEN" token add mara --db "$DB")
VIEWER_TOKEN=$("$KEN" token add gareth --db "$DB")
api() { # api TOKEN METHOD PATH [JSON]
    local t=$1 m=$2 p=$3
    shift 3
    http "$m" "$p" -H "Authorization: Bearer $t" ${1+-H "Content-Type: application/json" --data-binary "$1"}
}
api "$ADMIN_TOKEN" PUT /api/pages/ops/gadgets '{"title":"Gadget shelf","markdown":"Every wombatron is kept on the top shelf.\n"}'
expect_status "a page is saved" 201
titles() { # titles WORD: the paths /api/search finds for WORD, as a JSON list
    api "$VIEWER_TOKEN" GET "/api/search?q=$1&as_typed=1"
    python3 -c 'import json, sys; print(json.dumps([r["path"] for r in json.load(open(sys.argv[1]))["results"]]))' "$BODY"
}
expect_eq "before: zibbleflop finds nothing" "[]" "$(titles zibbleflop)"

# The page: admins only; the form needs the session's CSRF token.
login gareth "$PW"
http GET /admin/synonyms -b "$TMP/gareth.jar"
expect_status "a viewer may not see the synonyms page" 403
http GET /admin/synonyms -b "$ADMIN"
expect_status "the admin sees the synonyms page" 200
expect_contains "with a form to add a set" 'action="/admin/synonyms"'
http POST /admin/synonyms -b "$ADMIN" --data-urlencode "words=zibbleflop, wombatron"
expect_status "adding without the CSRF token is refused" 403
post_form "$ADMIN" /admin/synonyms "words=zibbleflop"
expect_status "one word is no set" 400
expect_contains "and says why" "at least two"
post_form "$ADMIN" /admin/synonyms 'words=zib"ble, wombatron'
expect_status "quotes are refused" 400
post_form "$ADMIN" /admin/synonyms "words= zibbleflop ,  wombatron "
expect_status "the admin adds a set" 303
http GET /admin/synonyms -b "$ADMIN"
expect_contains "the set is listed, trimmed" "zibbleflop, wombatron"
expect_eq "now zibbleflop finds the page that says wombatron" '["ops/gadgets"]' "$(titles zibbleflop)"
http GET "/search?q=where+is+the+zibbleflop+kept" -b "$TMP/gareth.jar"
expect_contains "the search page finds it from a question too" 'href="/wiki/ops/gadgets"'

# The API: anyone signed in reads, admins add and delete.
api "$VIEWER_TOKEN" GET /api/synonyms
expect_eq "the API lists the set" '["zibbleflop", "wombatron"]' "$(json "$BODY" '["sets"][0]["words"]')"
ID=$(json "$BODY" '["sets"][0]["id"]')
api "$VIEWER_TOKEN" POST /api/synonyms '{"words": ["a", "b"]}'
expect_status "a viewer may not add synonyms" 403
api "$ADMIN_TOKEN" POST /api/synonyms '{"words": ["gloptastic", "wombatron"]}'
expect_status "the admin adds a set through the API" 201
ID2=$(json "$BODY" '["id"]')
expect_eq "gloptastic finds the page" '["ops/gadgets"]' "$(titles gloptastic)"
api "$ADMIN_TOKEN" POST /api/synonyms '{"words": "lonely"}'
expect_status "a set of one is refused by the API too" 400
api "$ADMIN_TOKEN" DELETE "/api/synonyms/$ID2"
expect_status "the admin deletes a set through the API" 200
expect_eq "gloptastic finds nothing again" "[]" "$(titles gloptastic)"
api "$ADMIN_TOKEN" DELETE "/api/synonyms/$ID2"
expect_status "deleting it twice: not found" 404
post_form "$ADMIN" /admin/synonyms/delete "id=$ID"
expect_status "the admin deletes a set with the form" 303
expect_eq "zibbleflop finds nothing again" "[]" "$(titles zibbleflop)"
finish
