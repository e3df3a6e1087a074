#!/usr/bin/env bash
# Single sign-on behind a reverse proxy: the trusted proxy names the user in a header, ken signs
# them in (creating the account on first sight) and believes X-Forwarded-*; without the options,
# or from any other address, those headers are ignored.
. "$(dirname "$0")/lib.sh" "$@"
init_demo
ADMIN=(-H "Authorization: Bearer $("$KEN" token add mara --db "$DB")")

start_server --trusted-header X-Remote-User --trusted-proxy 127.0.0.1
AS_SAM=(-H "X-Remote-User: sam.lee")
http GET / "${AS_SAM[@]}"
expect_status "the proxy's user is signed in" 200
expect_contains "the page shows the new person" 'sam.lee'
expect_contains "the new person may sign out" 'Sign out'
expect_contains "ken logs the new account" "created user sam.lee on first sign-in through the proxy" "$LOG"
http GET /admin "${ADMIN[@]}"
expect_contains "the new account is listed for admins" "<span class=\"path\">sam.lee</span>"
http GET /new "${AS_SAM[@]}"
expect_status "the new account is an editor" 200
http GET /admin "${AS_SAM[@]}"
expect_status "but not an admin" 403
http GET /api/pages/handbook/welcome "${AS_SAM[@]}"
expect_status "the proxy's user may use the API" 200
http GET / "${AS_SAM[@]}"
expect_eq "a second visit does not create the account again" 1 \
    "$(grep -c 'created user sam.lee' "$LOG")"

# An existing account keeps its role.
http GET /admin -H "X-Remote-User: mara"
expect_status "an existing admin signed in by the proxy" 200
http GET /admin -H "X-Remote-User: gareth"
expect_status "an existing viewer stays a viewer" 403

# Nonsense in the header is not an account.
http GET / -H "X-Remote-User: Robert'); DROP TABLE users;--"
expect_status "an invalid login in the header is ignored" 303
http GET /admin "${ADMIN[@]}"
expect_not_contains "no account for the invalid login" "DROP TABLE"
http GET /
expect_status "no header: sign in as usual" 303

# The proxy's user can write through the forms like anyone signed in.
http GET "/new?path=sso/hello" "${AS_SAM[@]}"
expect_status "the proxy's user opens the new-page form" 200
CSRF=$(grep -o 'name="csrf" value="[^"]*"' "$BODY" | head -n1 | sed 's/.*value="//; s/"$//')
[ -n "$CSRF" ] && pass || fail "the form of the proxy's user carries a CSRF token" \
    "$(grep -o 'name="csrf" value="[^"]*"' "$BODY" | head -n1)"
http POST /edit/ "${AS_SAM[@]}" --data-urlencode "csrf=$CSRF" --data-urlencode "path=sso/hello" \
    --data-urlencode "title=Hello from SSO" --data-urlencode "markdown=hi" -d "base_rev=0&save=1"
expect_status "the proxy's user saves a page through the form" 303
http POST /edit/ "${AS_SAM[@]}" --data-urlencode "path=sso/forged" --data-urlencode "title=Forged" \
    --data-urlencode "markdown=hi" -d "base_rev=0&save=1"
expect_status "a form without the CSRF token is still refused" 403

# X-Forwarded-For and X-Forwarded-Proto are believed from the trusted proxy.
http GET "/static/ken.css?xff=1" -H "X-Forwarded-For: 198.51.100.7, 203.0.113.9"
expect_logged "the access log shows the client the proxy saw" '203.0.113.9 - "GET /static/ken.css?xff=1"'
http GET /login -H "X-Forwarded-Proto: https"
expect_header "cookies are Secure behind an https proxy" "Set-Cookie: ken_login="
grep -i '^Set-Cookie:' "$HEADERS" | grep -q '; Secure' && pass ||
    fail "the sign-in cookie is Secure behind an https proxy" "$(grep -i '^Set-Cookie' "$HEADERS")"
stop_server

# Without the options the same headers do nothing.
start_server
http GET / -H "X-Remote-User: mara"
expect_status "the header is ignored without --trusted-header" 303
http GET /api/pages -H "X-Remote-User: mara"
expect_status "the API ignores the header too" 401
http GET / -H "X-Remote-User: intruder"
http GET /admin "${ADMIN[@]}"
expect_not_contains "no account is created without the options" "intruder"
http GET "/static/ken.css?xff=2" -H "X-Forwarded-For: 203.0.113.66"
expect_logged "X-Forwarded-For is not believed" '127.0.0.1 - "GET /static/ken.css?xff=2"'
http GET /login -H "X-Forwarded-Proto: https"
grep -i '^Set-Cookie:' "$HEADERS" | grep -q '; Secure' &&
    fail "X-Forwarded-Proto is not believed without a trusted proxy" || pass
stop_server

# A trusted proxy elsewhere: requests from here are not from the proxy.
start_server --trusted-header X-Remote-User --trusted-proxy 192.0.2.1
http GET /admin -H "X-Remote-User: mara"
expect_status "the header is ignored from an untrusted address" 303
http GET /admin "${ADMIN[@]}"
expect_not_contains "and creates nobody" "192.0.2"
