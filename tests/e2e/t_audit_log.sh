# The audit log (issue #18): every recorded action leaves an entry with who, when, from where
# (the client's address, from X-Forwarded-For behind the trusted proxy) and what: sign-ins and
# failed ones, account changes (profile, SCIM, the command line, the proxy's first sign-in),
# tokens, HR searches, exports and views of HR-only fields, and deleted, restored and moved
# pages. Only admins read it (/admin/audit with filters, its CSV, /api/audit). `ken audit
# verify` passes on an untouched log and names the entry that was edited, deleted or moved
# with the sqlite3 shell; retention prunes from the oldest end and verify still passes, with a
# chain written by an independent implementation of the hash (Python's hashlib) to prove the
# encoding is the one README describes.
. "$(dirname "$0")/lib.sh" "$@"
command -v sqlite3 >/dev/null || { echo "needs the sqlite3 shell"; exit 1; }

init_demo
"$KEN" user add oscar --name "Oscar CLI" --role editor --db "$DB" >/dev/null
start_server --trusted-header X-Remote-User --trusted-proxy 127.0.0.1
ADMIN=$("$KEN" token add mara --db "$DB") HRT=$("$KEN" token add fiona --db "$DB")
EDT=$("$KEN" token add priya --db "$DB")
FROM=203.0.113.7
XFF=(-H "X-Forwarded-For: 198.51.100.1, $FROM")
TODAY=$(date -u +%Y-%m-%d) YESTERDAY=$(date -u -d yesterday +%Y-%m-%d)

# api TOKEN METHOD PATH [JSON]
api() {
    local t=$1 m=$2 p=$3
    shift 3
    if [ $# -ge 1 ]; then
        http "$m" "$p" "${XFF[@]}" -H "Authorization: Bearer $t" -H 'Content-Type: application/json' --data-binary "$1"
    else
        http "$m" "$p" "${XFF[@]}" -H "Authorization: Bearer $t"
    fi
}
# entry ACTION TARGET: prints "who|from|detail" of the newest entry with ACTION and TARGET, from
# /api/audit as the admin reads it ("none" when there is none).
entry() {
    curl -s -H "Authorization: Bearer $ADMIN" "$URL/api/audit?limit=500" | python3 -c '
import json, sys
d = json.load(sys.stdin)
for e in d["entries"]:
    if e["action"] == sys.argv[1] and e["target"] == sys.argv[2]:
        print("%s|%s|%s" % (e["who"] or "-", e["from"], e["detail"])); break
else: print("none")' "$1" "$2"
}
# expect_entry WHAT ACTION TARGET WHO FROM [DETAIL-PART]
expect_entry() {
    local got
    got=$(entry "$2" "$3")
    case "$got" in
    "$4|$5|"*"${6:-}"*) pass ;;
    *) fail "$1" "expected: $4|$5|...${6:-}..." "got:      $got" ;;
    esac
}

# ---- who may read it: admins only

for who in priya fiona gareth; do login "$who" "$PW"; done
for who in priya fiona gareth; do
    for p in /admin/audit /admin/audit.csv; do
        http GET "$p" -b "$TMP/$who.jar"
        expect_status "$who may not open $p" 403
    done
done
for t in "$EDT" "$HRT"; do
    http GET /api/audit -H "Authorization: Bearer $t"
    expect_status "/api/audit refuses a non-admin's token" 403
    expect_not_contains "and shows no entry" '"entries"'
done
http PUT /api/audit/retention -H "Authorization: Bearer $HRT" -H 'Content-Type: application/json' -d '{"days":1}'
expect_status "HR may not set the retention" 403
http GET /api/audit
expect_status "anonymous: sign in first" 401

# ---- sign-ins, from behind the trusted proxy

# signin LOGIN PASSWORD: the sign-in form and its POST, through the proxy; the session in
# $TMP/mara.jar.
signin() {
    local tok
    rm -f "$TMP/mara.jar"
    http GET /login -c "$TMP/mara.jar"
    tok=$(grep -o 'name="csrf" value="[^"]*"' "$BODY" | head -n1 | sed 's/.*value="//; s/"$//')
    http POST /login "${XFF[@]}" -b "$TMP/mara.jar" -c "$TMP/mara.jar" --data-urlencode "login=$1" \
        --data-urlencode "password=$2" --data-urlencode "csrf=$tok"
}
# post_from JAR ADDRESS NAME=VALUE...: post_form, through the proxy from $FROM.
post_from() {
    local jar=$1 where=$2 f args=()
    shift 2
    for f; do args+=(--data-urlencode "$f"); done
    http POST "$where" "${XFF[@]}" -b "$jar" --data-urlencode "csrf=$(csrf_of "$jar")" "${args[@]}"
}

signin priya not-her-password
expect_status "a wrong password" 401
expect_entry "a failed sign-in names the login tried, nobody as who" signin.fail priya - "$FROM" "wrong password"
signin nosuchperson whatever12345
expect_status "an unknown login" 401
expect_entry "a sign-in as nobody known" signin.fail nosuchperson - "$FROM" "unknown login"
signin mara "$PW"
expect_status "mara signs in through the proxy" 303
expect_entry "a sign-in: who, and the client's address behind the proxy" signin mara mara "$FROM" password
http GET / -H "X-Remote-User: newcomer" "${XFF[@]}"
expect_status "the proxy signs in someone new" 200
expect_entry "their account, made at the first sign-in, is recorded" account.create newcomer newcomer "$FROM" "proxy"
http GET / -H "X-Forwarded-For: $FROM" -H "X-Remote-User: newcomer"
expect_eq "a later request through the proxy is no new account" 1 \
    "$(curl -s -H "Authorization: Bearer $ADMIN" "$URL/api/audit?action=account.create" | python3 -c '
import json,sys; print(sum(e["target"] == "newcomer" for e in json.load(sys.stdin)["entries"]))')"
expect_entry "the command line's account is recorded as the command line's" account.create oscar - "" "ken user add"

# ---- pages: move, delete, restore, in HTML and the API

api "$ADMIN" PUT /api/pages/audit/one '{"title":"Audit one","markdown":"one"}'
expect_status "a page to move" 201
api "$ADMIN" PUT /api/pages/audit/two '{"title":"Audit two","markdown":"two"}'
post_from "$TMP/mara.jar" /move/audit/one to=audit/uno
expect_status "mara moves a page" 303
expect_entry "the move: from, to" page.move audit/one mara "$FROM" "to audit/uno"
api "$ADMIN" POST /api/pages/audit/two/move '{"to":"audit/dos"}'
expect_status "a move through the API" 200
expect_entry "the API's move" page.move audit/two mara "$FROM" "to audit/dos"
post_from "$TMP/mara.jar" /move/audit/uno to=audit/dos
expect_status "a move onto a taken path fails" 409
expect_eq "and leaves no entry" none "$(entry page.move audit/uno)"
post_from "$TMP/mara.jar" /delete/audit/uno
expect_status "mara deletes a page" 303
expect_entry "the delete" page.delete audit/uno mara "$FROM" trash
api "$EDT" DELETE /api/pages/audit/dos
expect_status "priya deletes one through the API" 200
expect_entry "the API's delete, by priya" page.delete audit/dos priya "$FROM"
ID=$(curl -s -H "Authorization: Bearer $ADMIN" "$URL/api/trash" | python3 -c '
import json,sys; print([t["id"] for t in json.load(sys.stdin)["trash"] if t["path"] == "audit/uno"][0])')
post_from "$TMP/mara.jar" /restore "id=$ID"
expect_status "mara restores it" 303
expect_entry "the restore, by path" page.restore audit/uno mara "$FROM" "page $ID"
ID2=$(curl -s -H "Authorization: Bearer $ADMIN" "$URL/api/trash" | python3 -c '
import json,sys; print([t["id"] for t in json.load(sys.stdin)["trash"] if t["path"] == "audit/dos"][0])')
api "$ADMIN" POST "/api/trash/$ID2/restore"
expect_status "and the other through the API" 200
expect_entry "the API's restore" page.restore audit/dos mara "$FROM"

# ---- HR: searches, exports and views of HR-only fields

http GET "/hr?skill=python" -b "$TMP/fiona.jar" "${XFF[@]}"
expect_status "fiona searches on /hr" 200
expect_entry "the HR search and what was asked" hr.search "" fiona "$FROM" "skill=python"
http GET "/hr/export.csv?skill=python&level=expert" -b "$TMP/fiona.jar" "${XFF[@]}"
expect_status "fiona exports" 200
expect_entry "the export, its search and its size" hr.export "" fiona "$FROM" "skill=python&level=expert"
http GET /people/wei -b "$TMP/fiona.jar" "${XFF[@]}"
expect_contains "fiona sees wei's HR-only career fields" "Data or automation work"
expect_entry "that view, naming the fields" hr.view wei fiona "$FROM" "open_to_roles, want_skills"
http GET /api/people/wei -H "Authorization: Bearer $HRT" "${XFF[@]}"
expect_eq "the API shows them too" "Data or automation work" "$(json "$BODY" '["open_to_roles"]')"
N_VIEWS=$(curl -s -H "Authorization: Bearer $ADMIN" "$URL/api/audit?action=hr.view&who=fiona" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
expect_eq "each view is an entry (page and API)" 2 "$N_VIEWS"
http GET /people/wei -b "$TMP/gareth.jar"
expect_not_contains "gareth does not see them" "Data or automation work"
http GET /people/fiona -b "$TMP/fiona.jar"
expect_eq "neither a reader who cannot see them nor one's own profile is an HR view" 2 \
    "$(curl -s -H "Authorization: Bearer $ADMIN" "$URL/api/audit?action=hr.view" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')"
http GET "/people?q=python" -b "$TMP/fiona.jar" "${XFF[@]}"
expect_entry "HR's directory search (it searches HR-only fields)" hr.search "people directory" fiona "$FROM" "q=python"
http GET /people/wei/history -b "$TMP/fiona.jar"
expect_status "fiona reads wei's profile history" 200
expect_eq "which shows HR-only fields too: an entry" 3 \
    "$(curl -s -H "Authorization: Bearer $ADMIN" "$URL/api/audit?action=hr.view" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')"

# ---- accounts: marked as left and back, SCIM, tokens

post_from "$TMP/fiona.jar" /people/liam/left left=1
expect_status "fiona marks liam as having left" 303
expect_entry "left" account.left liam fiona "$FROM"
post_from "$TMP/fiona.jar" /people/liam/left left=0
expect_entry "and back" account.back liam fiona "$FROM"
SCIMH=(-H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/scim+json' "${XFF[@]}")
http POST /scim/v2/Users "${SCIMH[@]}" --data-binary '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],
  "userName":"sam.audit@example.com","name":{"givenName":"Sam","familyName":"Audit"},"active":true,"password":"Secret-pass-123"}'
expect_status "SCIM creates an account" 201
SID=$(json "$BODY" '["id"]') SLOGIN=$(sqlite3 "$DB" "SELECT login FROM users WHERE id = $SID")
expect_entry "SCIM's create, by the token's admin, never the password itself" account.create "$SLOGIN" mara "$FROM" "userName"
expect_not_contains "no password in the log" "Secret-pass-123" <(curl -s -H "Authorization: Bearer $ADMIN" "$URL/api/audit?limit=500")
http PATCH "/scim/v2/Users/$SID" "${SCIMH[@]}" --data-binary '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
  "Operations":[{"op":"replace","path":"active","value":false}]}'
expect_status "SCIM deactivates" 200
expect_entry "SCIM's change says what" account.update "$SLOGIN" mara "$FROM" "active=false"
http DELETE "/scim/v2/Users/$SID" "${SCIMH[@]}"
expect_status "SCIM deletes" 204
expect_entry "SCIM's delete" account.delete "$SLOGIN" mara "$FROM"
post_from "$TMP/priya.jar" /tokens label=laptop scope=read
expect_status "priya makes a token" 200
expect_entry "the new token" token.create priya priya "$FROM" "read-only, labelled laptop"

# ---- accounts on /admin: create, role, password, left and back, revoke

post_from "$TMP/mara.jar" /admin/users login=rhea name=Rhea role=viewer
expect_status "mara adds an account" 200
expect_entry "the new account and its role" account.create rhea mara "$FROM" "role viewer"
post_from "$TMP/mara.jar" /admin/users/role login=rhea role=hr
expect_status "mara makes her HR" 303
expect_entry "the role change, from and to" account.role rhea mara "$FROM" "viewer -> hr"
post_from "$TMP/mara.jar" /admin/users/role login=rhea role=boss
expect_status "a role that is none" 400
expect_eq "leaves no entry" 1 "$(curl -s -H "Authorization: Bearer $ADMIN" "$URL/api/audit?action=account.role" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')"
post_from "$TMP/mara.jar" /admin/users/password login=rhea
expect_status "mara resets her password" 200
expect_entry "the reset" account.password rhea mara "$FROM"
post_from "$TMP/mara.jar" /admin/users/left login=rhea left=1
expect_entry "marked as left on /admin" account.left rhea mara "$FROM" "/admin"
post_from "$TMP/mara.jar" /admin/users/left login=rhea left=0
expect_entry "and back" account.back rhea mara "$FROM" "/admin"
post_from "$TMP/mara.jar" /admin/users/tokens login=rhea
expect_status "mara signs her out everywhere" 303
expect_entry "the revocation" account.revoke rhea mara "$FROM"

# ---- /admin/audit: filters, CSV

http GET "/admin/audit?who=fiona" -b "$TMP/mara.jar"
expect_status "mara opens the audit log" 200
expect_contains "fiona's HR search is listed" "skill=python"
expect_not_contains "mara's own entries are filtered out" "audit/uno"
http GET "/admin/audit?action=page." -b "$TMP/mara.jar"
sed -n '/<tbody>/,/<\/tbody>/p' "$BODY" >"$TMP/rows"
expect_contains "the page family: deletes" "page.delete" "$TMP/rows"
expect_contains "and moves" "page.move" "$TMP/rows"
expect_not_contains "and nothing else" "hr.search" "$TMP/rows"
http GET "/admin/audit?action=page.delete&to=$YESTERDAY" -b "$TMP/mara.jar"
expect_contains "nothing up to yesterday" "No entries match."
http GET "/admin/audit?action=page.delete&from=$TODAY&to=$TODAY" -b "$TMP/mara.jar"
expect_contains "today's deletes" "audit/dos"
http GET "/admin/audit?from=yesterday" -b "$TMP/mara.jar"
expect_status "a date that is not one" 400
http GET "/admin/audit.csv?action=page.delete" -b "$TMP/mara.jar"
expect_status "the CSV export" 200
expect_header "as an attachment" "Content-Disposition: attachment"
expect_eq "its header" '"id","time","who","from","action","target","detail","hash"' "$(head -n1 "$BODY" | tr -d '\r')"
expect_eq "one row per delete" 2 "$(($(wc -l <"$BODY") - 1))"
expect_contains "mara's delete, where from, what" "\"mara\",\"$FROM\",\"page.delete\",\"audit/uno\""
expect_contains "with the time" "\"${TODAY}T"
expect_entry "the export itself is on record" audit.export "" mara 127.0.0.1 "2 entries: action=page.delete"

# ---- verify: intact, then edited, deleted, moved with the sqlite3 shell

run_ken audit verify --db "$DB"
expect_eq "ken audit verify passes on the log as ken wrote it" 0 "$RC"
expect_contains "and counts its entries" "audit log intact:" "$OUT"
sqlite3 "$DB" "UPDATE audit_log SET detail = 'x' WHERE id = 3" 2>"$TMP/sq.err" && fail "an UPDATE is refused" || pass
expect_contains "by the append-only trigger" "append-only" "$TMP/sq.err"
sqlite3 "$DB" "DELETE FROM audit_log WHERE id = 3" 2>"$TMP/sq.err" && fail "a DELETE is refused" || pass
tamper() { # tamper NAME SQL: a copy of the database with SQL run on it (the triggers dropped first)
    "$KEN" backup "$TMP/$1.db" --db "$DB" >/dev/null
    sqlite3 "$TMP/$1.db" "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_prune_only; $2"
}
tamper edited "UPDATE audit_log SET actor = 'someone-else' WHERE id = 5"
run_ken audit verify --db "$TMP/edited.db"
expect_eq "an edited entry: verify exits 1" 1 "$RC"
expect_contains "naming it" "entry 5" "$ERR"
tamper deleted "DELETE FROM audit_log WHERE id = 4"
run_ken audit verify --db "$TMP/deleted.db"
expect_eq "a deleted entry: exit 1" 1 "$RC"
expect_contains "naming the one missing" "entry 4 is missing" "$ERR"
tamper moved "UPDATE audit_log SET at = at + 1 WHERE id = 6;
  UPDATE audit_log SET id = -1 WHERE id = 6; UPDATE audit_log SET id = 6 WHERE id = 7;
  UPDATE audit_log SET id = 7 WHERE id = -1"
run_ken audit verify --db "$TMP/moved.db"
expect_eq "two entries swapped: exit 1" 1 "$RC"
expect_contains "naming the first" "entry 6" "$ERR"
LAST=$(sqlite3 "$DB" "SELECT max(id) FROM audit_log")
tamper tail "DELETE FROM audit_log WHERE id = $LAST"
run_ken audit verify --db "$TMP/tail.db"
expect_eq "the newest entry deleted: exit 1" 1 "$RC"
expect_contains "naming it" "entries $LAST to $LAST" "$ERR"
"$KEN" backup "$TMP/unguarded.db" --db "$DB" >/dev/null
sqlite3 "$TMP/unguarded.db" "DROP TRIGGER audit_log_no_update"
run_ken audit verify --db "$TMP/unguarded.db"
expect_eq "a dropped trigger: exit 1" 1 "$RC"
expect_contains "saying so" "trigger" "$ERR"

# ---- retention: prunes from the oldest end, the chain still verifies

stop_server
DB2=$TMP/retention.db
"$KEN" init --db "$DB2" >/dev/null
# Five entries from 400 days ago, hashed by Python from README's description of the chain.
python3 - "$DB2" <<'PY'
import hashlib, sqlite3, sys, time
db = sqlite3.connect(sys.argv[1])
prev = bytes(32)
def field(s):
    b = str(s).encode()
    return str(len(b)).encode() + b":" + b
for i in range(1, 6):
    at = int(time.time()) - 400 * 86400 + i
    row = (i, at, 0, "olden", "192.0.2.9", "signin", "olden", "entry %d" % i)
    h = hashlib.blake2b(digest_size=32)
    h.update(field("ken-audit-1") + prev + b"".join(field(v) for v in row))
    prev = h.digest()
    db.execute("INSERT INTO audit_log(id, at, actor_id, actor, addr, action, target, detail, hash) "
               "VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?)", row[:2] + row[3:] + (prev,))
db.execute("UPDATE audit_state SET head = 5")
db.commit()
PY
"$KEN" user add root --name Root --role admin --db "$DB2" >/dev/null
run_ken audit verify --db "$DB2"
expect_eq "ken's entries chain onto the independently written ones" 0 "$RC"
expect_contains "six entries" "intact: 6 entries (1 to 6)" "$OUT"
DB=$DB2 start_server
ROOT=$("$KEN" token add root --db "$DB2")
http PUT /api/audit/retention -H "Authorization: Bearer $ROOT" -H 'Content-Type: application/json' -d '{"days":"30"}'
expect_status "retention is a number of days" 400
http PUT /api/audit/retention -H "Authorization: Bearer $ROOT" -H 'Content-Type: application/json' -d '{"days":30}'
expect_status "an admin keeps 30 days" 200
expect_eq "the five old entries are pruned" 5 "$(json "$BODY" '["pruned"]')"
http GET /api/audit -H "Authorization: Bearer $ROOT"
expect_eq "the newer entries stay" 2 "$(json "$BODY" '["total"]')"
expect_eq "the newest: the retention" audit.retention "$(json "$BODY" '["entries"][0]["action"]')"
expect_eq "then root's account" account.create "$(json "$BODY" '["entries"][1]["action"]')"
expect_eq "retention is recorded, with who set it" "keep 30 days" "$(json "$BODY" '["entries"][0]["detail"]')"
run_ken audit verify --db "$DB2"
expect_eq "verify passes after pruning" 0 "$RC"
expect_contains "from the anchor" "intact: 2 entries (6 to 7), 5 older ones pruned" "$OUT"
sqlite3 "$DB2" "DELETE FROM audit_log WHERE id = 6" 2>"$TMP/sq.err" && fail "pruning is retention's alone" || pass
http POST /admin/audit -H "Authorization: Bearer $ROOT" -d retention_days=-1
expect_status "a negative retention is refused" 400
