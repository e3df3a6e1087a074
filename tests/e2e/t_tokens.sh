# API tokens a person makes and revokes on /tokens: read-only ones cannot change anything.
. "$(dirname "$0")/lib.sh" "$@"

init_demo
start_server
login priya "$PW"
JAR=$TMP/priya.jar
http GET /tokens -b "$JAR"
expect_status "the tokens page opens" 200
expect_contains "it starts empty" "You have no tokens."

post_form "$JAR" /tokens label=reader scope=read
expect_status "making a token answers with the page" 200
expect_header "the page with a fresh token is not cached" "Cache-Control: no-store"
READ=$(grep -o '<code class="token">[^<]*' "$BODY" | sed 's/.*>//')
[ ${#READ} -eq 43 ] && pass || fail "the new token is shown once" "got: $READ"
post_form "$JAR" /tokens label=writer scope=write
WRITE=$(grep -o '<code class="token">[^<]*' "$BODY" | sed 's/.*>//')
http GET /tokens -b "$JAR"
expect_not_contains "tokens are never shown again" "$READ"
expect_contains "the list shows the scope" "read only"

http GET /api/pages/handbook/welcome -H "Authorization: Bearer $READ"
expect_status "a read-only token reads" 200
http PUT /api/pages/handbook/hello -H "Authorization: Bearer $READ" -d '{"title":"Hi","markdown":"x"}'
expect_status "a read-only token cannot write" 403
expect_contains "and is told why" "may only read"
http PUT /api/pages/handbook/hello -H "Authorization: Bearer $WRITE" -d '{"title":"Hi","markdown":"x"}'
expect_status "a read-write token writes" 201

post_form "$JAR" /tokens label= scope=admin
expect_status "a bad scope is refused" 400
ID=$(tr -d '\n' <"$BODY" | grep -o '<td>reader</td>.*' | grep -o 'name="id" value="[0-9]*"' | head -n 1 | grep -o '[0-9]*')
post_form "$JAR" /tokens/revoke "id=$ID"
expect_status "revoking goes back to the list" 303
http GET /api/pages/handbook/welcome -H "Authorization: Bearer $READ"
expect_status "a revoked token no longer works" 401

login mara "$PW"
post_form "$TMP/mara.jar" /tokens/revoke "id=$ID"
expect_status "nobody revokes someone else's token" 404
http POST /tokens -b "$JAR" --data-urlencode "label=x" -d "scope=read"
expect_status "no CSRF token, no new API token" 403

run_ken token add priya --read-only --db "$DB"
expect_eq "ken token add --read-only works" 0 "$RC"
http PUT /api/pages/handbook/hello2 -H "Authorization: Bearer $(cat "$OUT")" -d '{"title":"Hi","markdown":"x"}'
expect_status "and makes a read-only token" 403

# An admin sets the password of an existing account (one imported without a password, say).
run_ken user password priya --db "$DB"
expect_eq "ken user password generates one" 0 "$RC"
NEWPW=$(sed -n 's/^New password for priya: //p' "$OUT")
stop_server
start_server
login priya "$NEWPW"
expect_status "the new password signs in" 303
login priya "$PW"
expect_status "the old one no longer does" 401
echo short | "$KEN" user password priya --password-stdin --db "$DB" >/dev/null 2>&1
expect_eq "a short password is refused" 1 "$?"
