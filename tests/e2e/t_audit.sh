# Security and privacy audit of SCIM, e-mail notifications, @mentions in pages, recognition
# (/thanks, /admin/engagement) and questions by department: nothing a provider, a page or a
# question title holds reaches HTML unescaped or an e-mail as a header; SCIM filters are values,
# never query text; a person's self-typed email does not hand their account to a provider's new
# user; an address its owner keeps private is not shown to admins on /admin; the inbox does not
# show what a page in the trash was renamed to; roles, read-only tokens and CSRF hold on the new
# routes.
. "$(dirname "$0")/lib.sh" "$@"

FIXTURES=$(cd "$(dirname "$0")/fixtures" && pwd)
MAIL=$TMP/mail SINK_PID='' SINK_PORT=$(free_port) DEAD_PORT=$(free_port)
mkdir -p "$MAIL"
trap 'rc=$?; [ -n "$SINK_PID" ] && kill "$SINK_PID" 2>/dev/null; (exit $rc); finish' EXIT

init_demo
KEN_MAIL_RETRY_SCALE=0.01 start_server
tok() { "$KEN" token add "$@" --db "$DB"; }
ADMIN=$(tok mara) RO=$(tok mara --read-only) PRIYA=$(tok priya) CALLUM=$(tok callum)
VIEWER=$(tok gareth) HR=$(tok fiona)
CORE=urn:ietf:params:scim:schemas:core:2.0:User
ENT=urn:ietf:params:scim:schemas:extension:enterprise:2.0:User

# api TOKEN METHOD PATH [JSON]: a JSON API call with TOKEN.
api() {
    local t=$1 m=$2 p=$3
    shift 3
    if [ $# -ge 1 ]; then
        http "$m" "$p" -H "Authorization: Bearer $t" -H 'Content-Type: application/json' --data-binary "$1"
    else
        http "$m" "$p" -H "Authorization: Bearer $t"
    fi
}
# scim_filter FILTER: GET /scim/v2/Users?filter=FILTER with the admin's token.
scim_filter() { http GET /scim/v2/Users -G -H "Authorization: Bearer $ADMIN" --data-urlencode "filter=$1"; }
# expect_no_markup WHAT: the last body holds none of the markup planted below, as markup.
expect_no_markup() {
    expect_not_contains "$1: no <img onerror> as markup" "<img src=x onerror"
    expect_not_contains "$1: no <script> as markup" "<script>alert"
}

# ---- SCIM filters are values: nothing in one reads as query text
scim_filter 'userName eq "MARA"'
expect_eq "a userName filter finds the admin (any case)" 1 "$(json "$BODY" '["totalResults"]')"
scim_filter 'userName eq "x\" or 1=1"'
expect_status "an escaped quote inside the value is part of the value" 200
expect_eq "and matches nobody" 0 "$(json "$BODY" '["totalResults"]')"
scim_filter 'userName eq "mara\" or \"a\"=\"a"'
expect_eq "a value that looks like a second comparison matches nobody" 0 "$(json "$BODY" '["totalResults"]')"
scim_filter 'userName eq "x" or 1=1'
expect_status "a second comparison after the value is refused" 400
expect_eq "as invalidFilter" invalidFilter "$(json "$BODY" '["scimType"]')"
scim_filter "userName eq \"' OR '1'='1\""
expect_eq "SQL quotes in the value match nobody" 0 "$(json "$BODY" '["totalResults"]')"
scim_filter 'id eq "0"'
expect_eq "id 0 names nobody (not: no filter, everyone)" 0 "$(json "$BODY" '["totalResults"]')"

# ---- markup from a provider (name, title, department) and from a question title stays text
api "$ADMIN" POST /scim/v2/Users '{"schemas":["'$CORE'","'$ENT'"],"userName":"ivy.evil@example.com",
  "displayName":"Ivy <script>alert(1)</script>","title":"<img src=x onerror=alert(2)>",
  "emails":[{"value":"ivy.evil@example.com","primary":true}],
  "'$ENT'":{"department":"<img src=x onerror=alert(3)>"}}'
expect_status "SCIM makes a person whose name, title and department hold markup" 201
IVY_ID=$(json "$BODY" '["id"]')
DEPT=$(sqlite3 "$DB" "SELECT slug FROM departments WHERE name LIKE '<img%'")
[ -n "$DEPT" ] && pass || fail "the provider's department was made" "no department named <img...>"
IVY=$(tok ivy.evil)
api "$PRIYA" POST /api/questions '{"title":"<img src=x onerror=alert(7)> loom tension?","markdown":"How tight?","tags":["looms"]}'
expect_status "a question whose title holds markup" 201
QID=$(json "$BODY" '["id"]')
api "$IVY" POST "/api/questions/$QID/answers" '{"markdown":"About 40 N. <script>alert(8)</script>"}'
expect_status "the provider's person answers it" 201
AID=$(json "$BODY" '["id"]')
api "$PRIYA" POST "/api/answers/$AID/accept"
expect_status "and the asker accepts the answer" 200

api "$VIEWER" GET /thanks
expect_status "a viewer reads this month's thanks" 200
expect_contains "the question title is shown as text in /thanks" "&lt;img src=x onerror=alert(7)&gt; loom tension?"
expect_contains "the person's name is shown as text in /thanks" "Ivy &lt;script&gt;alert(1)&lt;/script&gt;"
expect_contains "the department is shown as text in /thanks" "&lt;img src=x onerror=alert(3)&gt;"
expect_no_markup "/thanks"
for page in /admin/engagement /departments "/people?dept=$DEPT" /people/ivy.evil /questions \
    "/questions?dept=$DEPT" "/departments/$DEPT" /org "/graph?dept=$DEPT"; do
    api "$ADMIN" GET "$page"
    expect_status "$page answers" 200
    expect_contains "$page shows the department's name as text" "&lt;img src=x onerror=alert(3)&gt;"
    expect_no_markup "$page"
done
api "$ADMIN" GET "/departments/$DEPT/graph.svg"
expect_no_markup "the department's picture (SVG)"
api "$ADMIN" GET /people/ivy.evil/graph.svg
expect_no_markup "the person's picture (SVG)"

# ---- a mention is a link to a profile or plain text, never markup
api "$CALLUM" PUT /api/pages/ops/audit-mentions '{"title":"Audit mentions","markdown":"Ask @priya, @<script>alert(5)</script> or @<img src=x onerror=alert(6)>.","tags":[]}'
expect_status "a page with a mention and markup after an @" 201
api "$VIEWER" GET /wiki/ops/audit-mentions
expect_contains "@priya links to her profile" '<a class="mention" href="/people/priya">@priya</a>'
expect_no_markup "a page with @<script> and @<img>"
expect_not_contains "no event attribute survives after an @" "onerror"

# ---- engagement figures are for HR and admins
for who in VIEWER CALLUM; do
    api "${!who}" GET /admin/engagement
    expect_status "/admin/engagement refuses $who" 403
    api "${!who}" GET /api/engagement
    expect_status "/api/engagement refuses $who" 403
done
api "$HR" GET /api/engagement
expect_status "/api/engagement answers HR" 200

# ---- SCIM never sends the admin a field the person keeps private
api "$PRIYA" PUT /api/people/priya '{"email":"priya.private@northwindloom.example","visibility":{"email":"private"}}'
expect_status "Priya keeps a new email private" 200
scim_filter 'userName eq "priya"'
expect_eq "SCIM still lists her" 1 "$(json "$BODY" '["totalResults"]')"
expect_not_contains "without her private email" "priya.private@"
expect_not_contains "(no emails at all)" '"emails"'

# ---- a self-typed email does not hand an account to a provider's new user
api "$CALLUM" PUT /api/people/callum '{"email":"nina.cfo@northwindloom.example"}'
expect_status "Callum types a new hire's address as his own email" 200
api "$ADMIN" POST /scim/v2/Users '{"schemas":["'$CORE'"],"userName":"nina.cfo@northwindloom.example","displayName":"Nina Cfo","title":"Chief Financial Officer","emails":[{"value":"nina.cfo@northwindloom.example","primary":true}]}'
expect_status "the provider creates the new hire" 201
CALLUM_ID=$(sqlite3 "$DB" "SELECT id FROM users WHERE login = 'callum'")
[ "$(json "$BODY" '["id"]')" != "$CALLUM_ID" ] && pass ||
    fail "the new hire gets an account of her own, not Callum's" "SCIM answered with id $CALLUM_ID (callum)"
api "$CALLUM" GET /api/people/callum
expect_eq "Callum keeps his name" "Callum Reid" "$(json "$BODY" '["name"]')"
expect_eq "and his title" "Site Reliability Engineer" "$(json "$BODY" '["title"]')" # as in the demo
api "$ADMIN" POST /scim/v2/Users '{"schemas":["'$CORE'"],"userName":"ewan@northwindloom.example","displayName":"Ewan Fraser","emails":[{"value":"ewan@northwindloom.example","primary":true}]}'
expect_eq "an email HR or an import set still links the existing account" \
    "$(sqlite3 "$DB" "SELECT id FROM users WHERE login = 'ewan'")" "$(json "$BODY" '["id"]')"

# ---- the admin's list of undelivered mail hides addresses their owners keep private
http POST /admin/mail -H "Authorization: Bearer $ADMIN" --data-urlencode enabled=1 \
    --data-urlencode "smtp_url=smtp://127.0.0.1:$DEAD_PORT" --data-urlencode from=ken@northwindloom.example \
    --data-urlencode "public_url=$URL"
expect_status "e-mail on, to an SMTP server that is down" 303
api "$CALLUM" PUT /api/pages/ops/audit-mail '{"title":"Audit mail","markdown":"Thanks @priya and @ines","tags":[]}'
expect_status "a page mentions Priya (private email) and Inês" 201
for i in $(seq 1 100); do
    api "$ADMIN" GET /admin
    grep -q 'ines@northwindloom.example' "$BODY" && break
    sleep 0.1
done
expect_contains "/admin lists the undelivered mail to Inês with her address (admins may see it)" \
    "ines@northwindloom.example"
expect_not_contains "but not Priya's private address" "priya.private@"
expect_contains "Priya's undelivered mail is listed by her login" "priya (address private)"

# ---- nothing in a subject becomes a header or a recipient
python3 "$FIXTURES/smtp_sink.py" --port "$SINK_PORT" --dir "$MAIL" 2>>"$TMP/sink.err" &
SINK_PID=$!
python3 -c 'import socket, sys, time
for _ in range(100):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1).close(); sys.exit(0)
    except OSError: time.sleep(0.1)
sys.exit(1)' "$SINK_PORT" || fail "the SMTP sink starts" "$(cat "$TMP/sink.err")"
http POST /admin/mail -H "Authorization: Bearer $ADMIN" --data-urlencode enabled=1 \
    --data-urlencode "smtp_url=smtp://127.0.0.1:$SINK_PORT" --data-urlencode from=ken@northwindloom.example \
    --data-urlencode "public_url=$URL"
TITLE='Audit =?UTF-8?B?QmNjOiBldmlsQGV4YW1wbGUuY29t?= Bcc: evil@example.com <b>x</b>'
api "$CALLUM" POST /api/questions "{\"title\":\"$TITLE\",\"markdown\":\"@ines can you help?\",\"tags\":[]}"
expect_status "a question whose title looks like headers, mentioning Inês" 201
F=''
for i in $(seq 1 150); do
    F=$(grep -l 'Audit' "$MAIL"/*.eml 2>/dev/null | head -n1)
    [ -n "$F" ] && break
    sleep 0.2
done
[ -n "$F" ] && pass || fail "the mention e-mail reaches the SMTP sink" "$(cat "$TMP/sink.err")"
if [ -n "$F" ]; then
    python3 - "$F" >"$TMP/seen" <<'EOF'
import email, email.policy, json, sys
f = sys.argv[1]
env = json.load(open(f[:-4] + ".json"))
msg = email.message_from_bytes(open(f, "rb").read(), policy=email.policy.default)
print("RCPT: " + ",".join(env["rcpt"]))
print("NAMES: " + ",".join(msg.keys()))
print("SUBJECT: " + str(msg["Subject"]))
EOF
    expect_contains "sent to Inês alone" "RCPT: ines@northwindloom.example" "$TMP/seen"
    expect_eq "no Bcc header" "" "$(grep '^NAMES' "$TMP/seen" | grep -o -i bcc)"
    expect_contains "the title is the subject, word for word" "$TITLE" "$TMP/seen"
fi

# ---- the inbox does not show what a page in the trash was renamed to
api "$CALLUM" PUT /api/pages/ops/audit-rename '{"title":"Ping","markdown":"hello @priya","tags":[]}'
expect_status "a page mentions Priya" 201
api "$CALLUM" PUT /api/pages/ops/audit-rename '{"title":"Secret reorg plan","markdown":"hello @priya","tags":[],"base_revision":1}'
expect_status "then gets a new title" 200
api "$CALLUM" DELETE /api/pages/ops/audit-rename
expect_status "then goes to the trash" 200
api "$PRIYA" GET /api/inbox
expect_contains "Priya's inbox keeps the mention" '"path":"ops/audit-rename"'
expect_not_contains "without the title the page got after it, now in the trash" "Secret reorg plan"
api "$PRIYA" GET /inbox
expect_not_contains "nor on /inbox" "Secret reorg plan"

# ---- people who left stay credited in /thanks, marked
api "$ADMIN" PATCH "/scim/v2/Users/$IVY_ID" '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}'
expect_status "the provider deactivates the person" 200
api "$VIEWER" GET /thanks
expect_contains "/thanks marks them as having left" "Ivy &lt;script&gt;alert(1)&lt;/script&gt;</a> (has left)"
api "$VIEWER" GET /api/thanks
expect_eq "/api/thanks says left" true "$(json "$BODY" '["answers"] and [a["author"]["left"] for a in d["answers"] if a["author"]["name"].startswith("Ivy")][0]')"

# ---- CSRF and read-only tokens on the new routes
login mara "$PW"
expect_status "the admin signs in with a session" 303
for req in "POST /inbox/email kind=mention" "PUT /api/inbox/email {\"kinds\":{}}" \
    "POST /scim/v2/Users {\"userName\":\"csrf.x\"}" "POST /admin/mail enabled=0"; do
    set -- $req
    http "$1" "$2" -b "$TMP/mara.jar" --data-binary "$3"
    expect_status "$1 $2 with a session but no CSRF token" 403
done
api "$RO" POST /scim/v2/Users '{"userName":"readonly.x"}'
expect_status "an admin's read-only token cannot create through SCIM" 403
api "$RO" PUT /api/inbox/email '{"kinds":{"mention":false}}'
expect_status "nor change e-mail choices" 403
scim_filter 'userName eq "csrf.x"'
expect_eq "nobody was made without a CSRF token" 0 "$(json "$BODY" '["totalResults"]')"
scim_filter 'userName eq "readonly.x"'
expect_eq "nor with a read-only token" 0 "$(json "$BODY" '["totalResults"]')"
